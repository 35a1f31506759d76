//! OPABOX "Webhook de Orders": a snapshot of the order on each POST, with no event
//! name: the integer `status` decides. Field by field:
//! `docs/providers/opabox.md`.

use super::common::{AddressParts, PhoneParts, conversion, order_status_of, phones};
use super::{
    Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, event_in, in_one_pass,
};
use crate::auth::{Checked, Policy, Request};
use crate::error::{ConvertError, ErrorKind};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Str<'a> = Option<Cow<'a, str>>;

/// The order body (also what the one-pass parse reads).
/// The typed body this provider reads.
pub type Root<'a> = RawOrder<'a>;

#[derive(Debug, Deserialize)]
pub struct RawOrder<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::objects")]
    product_list: Vec<RawProduct<'a>>,
    #[serde(borrow)]
    purchased_products_value: Option<&'a RawValue>,
    #[serde(borrow)]
    delivery_fee: Option<&'a RawValue>,
    #[serde(borrow)]
    voucher_discount: Option<&'a RawValue>,
    #[serde(borrow)]
    total_price: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    customer: Option<RawCustomer<'a>>,
    #[serde(borrow)]
    transaction_date: Option<&'a RawValue>,
    #[serde(borrow)]
    payment_type: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    other_payment_type: Option<OtherPaymentType<'a>>,
    #[serde(borrow)]
    card_flag: Str<'a>,
    #[serde(borrow)]
    type_shipping: Str<'a>,
    #[serde(borrow)]
    schedule_date: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    delivery_address: Option<RawAddress<'a>>,
    will_delivery: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct RawProduct<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    sku: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    purchased_quantity: Option<&'a RawValue>,
    #[serde(borrow)]
    price: Option<&'a RawValue>,
    #[serde(borrow)]
    shopper_price: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    options_chosen: Option<Vec<OptionGroup<'a>>>,
}

#[derive(Debug, Deserialize)]
struct OptionGroup<'a> {
    #[serde(borrow)]
    label: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    choices: Option<Vec<Choice<'a>>>,
}

#[derive(Debug, Deserialize)]
struct Choice<'a> {
    #[serde(borrow)]
    label: Str<'a>,
    #[serde(borrow)]
    quantity: Option<&'a RawValue>,
    #[serde(borrow)]
    price: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct RawCustomer<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    cpf: Option<Scalar<'a>>,
    #[serde(borrow)]
    phone: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct OtherPaymentType<'a> {
    #[serde(borrow)]
    name: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawAddress<'a> {
    #[serde(borrow)]
    cep: Option<Scalar<'a>>,
    #[serde(borrow)]
    city: Str<'a>,
    #[serde(borrow)]
    country: Str<'a>,
    #[serde(borrow)]
    street: Str<'a>,
    #[serde(borrow)]
    state: Str<'a>,
    #[serde(borrow)]
    street_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    vicinity: Str<'a>,
    #[serde(borrow)]
    more: Str<'a>,
}

/// Everything about OPABOX.
pub static SPEC: Spec = Spec {
    name: "opabox",
    title: "OPABOX",
    looked_for: "{product_list, total_price, company_external_id}",
    first_keys: &["product_list"],
    events: EVENTS,
    top_keys: &[
        ("product_list", Keep::Presence),
        ("total_price", Keep::Text),
        ("company_external_id", Keep::Text),
        ("status", Keep::Text),
    ],
    docs: include_str!("../../docs/providers/opabox.md"),
    scheme: "the API key (x-api-key header)",
    secret: "the API key",
    secret_headers: &["x-api-key"],
    secret_fields: &[],
    // Its total also holds service fees and interest that have no field.
    total_may_hold_unlisted_fees: true,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// The status table (docs/providers/opabox.md): the status code is the event.
const EVENTS: EventTable = &[
    ("1", EventName::OrderWaitingPayment),
    ("2", EventName::OrderPaid),
    ("3", EventName::OrderFailed),
    ("4", EventName::OrderWaitingFulfillment),
    ("5", EventName::OrderInTransit),
    ("6", EventName::OrderDelivered),
    ("7", EventName::OrderCanceled),
    ("8", EventName::OrderCanceled),
    ("9", EventName::OrderWithdrawalAvailable),
    ("10", EventName::OrderRefused),
    ("11", EventName::OrderFulfilled),
    ("22", EventName::OrderWaitingPaymentCashOnDelivery),
];

/// A status code's event, order status and shipping status.
fn meaning_of(code: i64) -> Option<(EventName, OrderStatus, Option<ShippingStatus>)> {
    let event = event_in(EVENTS, &code.to_string())?;
    Some((event, order_status_of(event)?, shipping_status_of(event)))
}

fn shipping_status_of(event: EventName) -> Option<ShippingStatus> {
    use EventName::*;
    Some(match event {
        OrderInTransit => ShippingStatus::InTransit,
        OrderDelivered => ShippingStatus::Delivered,
        OrderCanceled => ShippingStatus::Canceled,
        OrderWithdrawalAvailable => ShippingStatus::WithdrawalAvailable,
        OrderRefused => ShippingStatus::Refused,
        OrderFulfilled => ShippingStatus::WaitingPostage,
        _ => return None,
    })
}

/// Status 22 is "payment on delivery".
const PAYMENT_ON_DELIVERY: i64 = 22;

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    let keys = [
        ("total_price", top.get("total_price").is_some()),
        ("company_external_id", top.get("company_external_id").is_some()),
    ];
    let mut evidence = vec!["product_list"];
    evidence.extend(keys.iter().filter(|(_, here)| *here).map(|(key, _)| *key));
    (top.get("product_list").is_some() && evidence.len() > 1).then_some(evidence)
}

/// The status code: `--event` if given, else the body's `status` (an integer, or
/// a string of digits).
fn status_code(ctx: &Context) -> Result<(i64, String), ConvertError> {
    let pointer = ctx.pointer("/status");
    let expected =
        "the order status code (1–11 or 22): OPABOX sends no event name, the status decides";
    let text = match (ctx.event, ctx.top.get("status")) {
        (Some(event), _) => event.trim().to_owned(),
        (None, Some(raw)) if raw.get() != "null" => {
            match ctx.doc.parse::<Scalar>(raw.get(), &pointer) {
                Ok(code) => code.0.trim().to_owned(),
                Err(_) => {
                    let error = ConvertError::new(ErrorKind::WrongType, pointer, expected)
                        .found(crate::raw::describe(raw.get()));
                    return Err(ctx.doc.at(raw.get(), error));
                }
            }
        }
        _ => return Err(ConvertError::missing(pointer, expected)),
    };
    let code = text
        .parse::<i64>()
        .map_err(|_| ConvertError::invalid(ctx.pointer("/status"), expected, &text))?;
    Ok((code, text))
}

/// The status code (OPABOX's raw event) and its normalized event.
fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let (code, raw_status) = status_code(ctx)?;
    Ok(Identified {
        raw_event: raw_status,
        event: meaning_of(code).map(|(name, _, _)| name),
    })
}

/// Converts an OPABOX body; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<RawOrder<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let (code, raw_status) = status_code(ctx)?;
    let (name, status, shipping_status) = meaning_of(code).ok_or_else(|| {
        ConvertError::new(
            ErrorKind::UnsupportedEvent,
            ctx.pointer("/status"),
            format!(
                "OPABOX status {code} is not mapped to a normalized event (mapped: {})",
                SPEC.mapped()
            ),
        )
    })?;
    let raw: RawOrder<'a> = match root {
        Some(raw) => raw,
        None => ctx.doc.parse(ctx.body, ctx.body_pointer)?,
    };
    let at = |field: &str| ctx.pointer(field);
    let id = scalar_text(raw.id.clone())
        .ok_or_else(|| ConvertError::missing(at("/id"), "the order id (a string)"))?;
    let raw_customer = raw.customer.as_ref();
    let customer = Customer {
        id: scalar_text(raw_customer.and_then(|c| c.id.clone())),
        name: text(raw_customer.and_then(|c| c.name.clone())),
        email: None,
        document: raw_customer
            .and_then(|c| c.cpf.as_ref())
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(
            &[raw_customer
                .and_then(|c| c.phone.as_ref())
                .map(|p| p.0.as_ref())],
            raw.delivery_address
                .as_ref()
                .and_then(|a| a.country.as_deref()),
            PhoneParts::default(),
        ),
        address: Some(Address::empty(AddressLayout::Full)),
    };
    let order = Order {
        id: Some(id.clone()),
        status: Some(status),
        raw_status: Some(Cow::Owned(raw_status.clone())),
        created_at: ctx
            .doc
            .millis(raw.transaction_date, || at("/transaction_date"))?,
        ..Order::default()
    };
    let delivery_fee = ctx.doc.reais(raw.delivery_fee, || at("/delivery_fee"))?;
    let payment = Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: Some(Cow::Borrowed("BRL")),
        total: ctx.doc.reais(raw.total_price, || at("/total_price"))?,
        total_products_value: ctx.doc.reais(raw.purchased_products_value, || {
            at("/purchased_products_value")
        })?,
        discount_value: ctx
            .doc
            .reais(raw.voucher_discount, || at("/voucher_discount"))?,
        shipping_value: delivery_fee,
        payment_method: payment_method(&raw, code),
        coupons: Vec::new(),
    };
    let scheduled = raw
        .type_shipping
        .as_deref()
        .is_some_and(|t| t.trim().eq_ignore_ascii_case("SCHEDULED"));
    let shipping = Shipping {
        total_value: delivery_fee,
        method: if raw.will_delivery == Some(false) {
            Some(Cow::Borrowed("pickup"))
        } else {
            text(raw.type_shipping.clone())
        },
        delivery_address: raw.delivery_address.as_ref().map(delivery_address),
        estimated_delivery_date: if scheduled {
            ctx.doc.millis(raw.schedule_date, || at("/schedule_date"))?
        } else {
            None
        },
        status: shipping_status,
        raw_status: shipping_status.map(|_| Cow::Owned(raw_status)),
        ..Shipping::default()
    };
    let products = raw
        .product_list
        .iter()
        .enumerate()
        .map(|(index, item)| {
            product(ctx, item, &|field| {
                at(&format!("/product_list/{index}{field}"))
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let payload = Payload::Order(Box::new(OrderPayload {
        customer,
        order,
        checkout: Checkout::default(),
        payment,
        shipping,
        products,
        lead_tracking: LeadTracking::default(),
    }));
    Ok(conversion(SPEC.name, name, &id, payload))
}

/// `payment_type` is a credit card or `OTHER`, described by `other_payment_type`.
fn payment_method<'a>(raw: &RawOrder<'a>, code: i64) -> Option<PaymentMethod<'a>> {
    let payment_type = raw.payment_type.as_deref().map(str::trim).unwrap_or("");
    let other_name = raw
        .other_payment_type
        .as_ref()
        .and_then(|o| o.name.as_deref())
        .map(|n| n.to_lowercase())
        .unwrap_or_default();
    let mentions = |words: &[&str]| words.iter().any(|w| other_name.contains(w));
    let is_card = payment_type.eq_ignore_ascii_case("CREDIT_CARD")
        || payment_type.eq_ignore_ascii_case("CREDIT")
        || payment_type.eq_ignore_ascii_case("CARD");
    let kind = if is_card {
        PaymentMethodType::CreditCard
    } else if payment_type.is_empty() && code != PAYMENT_ON_DELIVERY {
        return None;
    } else if mentions(&["pix"]) {
        PaymentMethodType::Pix
    } else if mentions(&["boleto"]) {
        PaymentMethodType::Boleto
    } else if mentions(&["dinheiro", "cash", "espécie", "especie"]) || code == PAYMENT_ON_DELIVERY
    {
        PaymentMethodType::CashOnDelivery
    } else if mentions(&["cartão", "cartao", "crédito", "credito", "card"]) {
        PaymentMethodType::CreditCard
    } else {
        PaymentMethodType::Other
    };
    let mut method = PaymentMethod::new(MethodShape::PerType, kind);
    if kind == PaymentMethodType::CreditCard {
        method.brand = text(raw.card_flag.clone());
    }
    Some(method)
}

fn delivery_address<'a>(raw: &RawAddress<'a>) -> Address<'a> {
    AddressParts {
        street: raw.street.clone(),
        number: raw.street_number.clone(),
        complement: raw.more.clone(),
        neighborhood: raw.vicinity.clone(),
        city: raw.city.clone(),
        state: raw.state.clone(),
        country: raw.country.clone(),
        postal_code: raw.cep.clone(),
    }
    .build(AddressLayout::Full)
}

/// One line: the unit value is `shopper_price` (product plus chosen add-ons) when
/// sent, else `price` plus each add-on's price × quantity; the add-ons' names are
/// kept in the product name, grouped by option label.
fn product<'a>(
    ctx: &Context<'a, '_>,
    raw: &RawProduct<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Product<'a>, ConvertError> {
    let purchased = match raw.purchased_quantity {
        Some(q) => whole_quantity(ctx, q, || at("/purchased_quantity"))?,
        None => None,
    };
    let groups = raw.options_chosen.as_deref().unwrap_or_default();
    let mut add_ons = 0i64;
    let mut labels = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let mut chosen = Vec::new();
        for (c, choice) in group
            .choices
            .as_deref()
            .unwrap_or_default()
            .iter()
            .enumerate()
        {
            let at_choice = |field: &str| at(&format!("/options_chosen/{g}/choices/{c}{field}"));
            let count = match choice.quantity {
                Some(q) => whole_quantity(ctx, q, || at_choice("/quantity"))?.unwrap_or(1),
                None => 1,
            };
            let price = ctx
                .doc
                .reais(choice.price, || at_choice("/price"))?
                .unwrap_or(0);
            add_ons = add_ons.saturating_add(price.saturating_mul(count));
            if let Some(label) = text(choice.label.clone()) {
                chosen.push(if count > 1 {
                    format!("{count}× {label}")
                } else {
                    label.into_owned()
                });
            }
        }
        if !chosen.is_empty() {
            match text(group.label.clone()) {
                Some(label) => labels.push(format!("{label}: {}", chosen.join(", "))),
                None => labels.push(chosen.join(", ")),
            }
        }
    }
    let price = ctx.doc.reais(raw.price, || at("/price"))?;
    let unit_value = match ctx.doc.reais(raw.shopper_price, || at("/shopper_price"))? {
        Some(shopper_price) => Some(shopper_price),
        None => price.map(|p| p.saturating_add(add_ons)),
    };
    let base_name = text(raw.name.clone());
    let name = match (base_name, labels.is_empty()) {
        (name, true) => name,
        (Some(name), false) => Some(Cow::Owned(format!("{name} ({})", labels.join("; ")))),
        (None, false) => Some(Cow::Owned(labels.join("; "))),
    };
    Ok(Product {
        layout: ProductLayout::OfferTypeLast,
        id: scalar_text(raw.id.clone()).or_else(|| scalar_text(raw.sku.clone())),
        name,
        kind: ProductType::Product,
        quantity: purchased,
        unit_value,
        total_value: unit_value.map(|u| u.saturating_mul(purchased.unwrap_or(1))),
        image_url: None,
        offer_type: OfferType::Main,
    })
}

/// A whole quantity (JSON integer, or a number with no fraction).
fn whole_quantity(
    ctx: &Context,
    raw: &RawValue,
    pointer: impl Fn() -> String,
) -> Result<Option<i64>, ConvertError> {
    let text = raw.get();
    if text == "null" {
        return Ok(None);
    }
    let value: f64 = text.parse().map_err(|_| {
        ctx.doc.at(
            text,
            ConvertError::invalid(pointer(), "a whole quantity", text),
        )
    })?;
    if value.fract() != 0.0 || !(0.0..=1e12).contains(&value) {
        return Err(ctx.doc.at(
            text,
            ConvertError::invalid(pointer(), "a whole quantity", text),
        ));
    }
    Ok(Some(value as i64))
}

/// The API key the receiver configured, sent in the x-api-key header.
fn verify(request: &Request, secret: &[u8], _policy: &Policy) -> Result<Checked, ConvertError> {
    let key = request.header("x-api-key").ok_or_else(|| {
        ConvertError::missing(
            "",
            "the x-api-key header (give it with --header or a captured request)",
        )
    })?;
    Ok(Checked::token(key, secret, "API key (x-api-key header)"))
}
