//! Appmax: `{event, event_type, data}` with PascalCase events (`OrderPaid`), in
//! either payload template — the standard one (`data.id`, `data.customer{…}`)
//! or the two-level one (`data.order_id`, `data.customer_firstname`, …).
//! Field by field: `docs/providers/appmax.md`.

use super::common::{AddressParts, PhoneParts, conversion, conversion_keyed_by_buyer, order_status_of, phones, synthetic_id};
use super::one_pass::Present;
use super::{Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, in_one_pass};
use crate::auth::{Checked, Policy, Request, no_scheme};
use crate::error::ConvertError;
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::time::parse_brazil_local;
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Str<'a> = Option<Cow<'a, str>>;

/// The body as the one-pass parse reads it: `data` typed in place.
#[derive(Debug, Deserialize)]
pub struct Root<'a> {
    #[serde(default, borrow)]
    data: Present<Data<'a>>,
}

/// `data`, with the fields of both templates.
#[derive(Debug, Deserialize)]
struct Data<'a> {
    // The standard template.
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    payment_type: Str<'a>,
    #[serde(borrow)]
    total_products: Option<&'a RawValue>,
    #[serde(borrow)]
    freight_value: Option<&'a RawValue>,
    #[serde(borrow)]
    discount: Option<&'a RawValue>,
    #[serde(borrow)]
    total: Option<&'a RawValue>,
    #[serde(borrow)]
    created_at: Str<'a>,
    #[serde(borrow)]
    paid_at: Str<'a>,
    #[serde(borrow)]
    refunded_at: Str<'a>,
    #[serde(borrow)]
    pix_code: Str<'a>,
    #[serde(borrow)]
    pix_expiration_date: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    customer: Option<RawCustomer<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    bundles: Option<Vec<Bundle<'a>>>,
    // The two-level template.
    #[serde(borrow)]
    order_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    order_status: Str<'a>,
    #[serde(borrow)]
    order_payment_type: Str<'a>,
    #[serde(borrow)]
    order_total_products: Option<&'a RawValue>,
    #[serde(borrow)]
    order_total: Option<&'a RawValue>,
    #[serde(borrow)]
    customer_firstname: Str<'a>,
    #[serde(borrow)]
    customer_lastname: Str<'a>,
    #[serde(borrow)]
    customer_email: Str<'a>,
    #[serde(borrow)]
    customer_phone: Option<Scalar<'a>>,
    // A customer event's own fields (`data` is the customer).
    #[serde(borrow)]
    firstname: Str<'a>,
    #[serde(borrow)]
    lastname: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    telephone: Option<Scalar<'a>>,
    #[serde(borrow)]
    document_number: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct RawCustomer<'a> {
    #[serde(borrow)]
    firstname: Str<'a>,
    #[serde(borrow)]
    lastname: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    telephone: Option<Scalar<'a>>,
    #[serde(borrow)]
    phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    document_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    postcode: Option<Scalar<'a>>,
    #[serde(borrow)]
    address_street: Str<'a>,
    #[serde(borrow)]
    address_street_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    address_street_district: Str<'a>,
    #[serde(borrow)]
    address_street_complement: Str<'a>,
    #[serde(borrow)]
    address_city: Str<'a>,
    #[serde(borrow)]
    address_state: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Bundle<'a> {
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    products: Option<Vec<BundleProduct<'a>>>,
}

#[derive(Debug, Deserialize)]
struct BundleProduct<'a> {
    #[serde(borrow)]
    sku: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    quantity: Option<&'a RawValue>,
}

/// Everything about Appmax.
pub static SPEC: Spec = Spec {
    name: "appmax",
    title: "Appmax",
    looked_for: "{event, event_type, data}",
    first_keys: &["event_type"],
    events: EVENTS,
    top_keys: &[
        ("event", Keep::Text),
        ("event_type", Keep::Text),
        ("data", Keep::Presence),
    ],
    docs: include_str!("../../docs/providers/appmax.md"),
    scheme: "none documented",
    secret: "nothing: Appmax documents no scheme",
    secret_headers: &[],
    secret_fields: &[],
    total_may_hold_unlisted_fees: true,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// `event` → normalized event (the seven `order.*` events and the abandoned
/// checkout of Appmax's page). The other events (`OrderAuthorized`,
/// `OrderIntegrated`, `OrderUpSold`, `CreatedSubscription`,
/// `SubscriptionCancellationEvent`, `CustomerCreated`, …) have no counterpart.
const EVENTS: EventTable = &[
    ("OrderApproved", EventName::OrderPaid),
    ("OrderPaid", EventName::OrderPaid),
    ("OrderPaidByPix", EventName::OrderPaid),
    ("order_paid", EventName::OrderPaid),
    ("OrderPixCreated", EventName::OrderWaitingPaymentPix),
    ("OrderBilletCreated", EventName::OrderWaitingPaymentBoleto),
    ("OrderRefund", EventName::OrderRefunded),
    ("OrderChargeBackInTreatment", EventName::OrderDisputed),
    ("OrderPixExpired", EventName::OrderExpired),
    ("OrderBilletOverdue", EventName::OrderExpired),
    ("PaymentNotAuthorized", EventName::OrderFailed),
    ("PaymentNotAuthorizedWithDelay", EventName::OrderFailed),
    ("CustomerInterested", EventName::CheckoutAbandoned),
];

/// Appmax's events without a normalized counterpart (the official plugin's
/// `AWC_Events` and the third parties' lists): known, so such a body is still
/// recognised as Appmax's.
const UNMAPPED: &[&str] = &[
    "OrderAuthorized",
    "OrderAuthorizedWithDelay",
    "OrderIntegrated",
    "OrderPendingIntegration",
    "OrderUpSold",
    "CreatedSubscription",
    "SubscriptionCancellationEvent",
    "SubscriptionDelayedEvent",
    "CustomerCreated",
    "CustomerContacted",
];

/// `event` and `data`, with Appmax's `event_type` beside them (Cakto's body has
/// `secret` instead, Hotmart's `version`, Eduzz's `sentDate`), or with an event
/// only Appmax names.
fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    let (event, _) = (top.get("event")?, top.get("data")?);
    if top.get("event_type").is_some() {
        return Some(vec!["event", "event_type", "data"]);
    }
    let name: String = serde_json::from_str(event.get()).ok()?;
    let known = EVENTS.iter().map(|(raw, _)| *raw).chain(UNMAPPED.iter().copied());
    known
        .filter(|raw| raw.starts_with(|c: char| c.is_ascii_uppercase()))
        .any(|raw| raw == name.trim())
        .then(|| vec!["event: an Appmax event name", "data"])
}

fn raw_event<'a>(ctx: &Context<'a, '_>) -> Result<Cow<'a, str>, ConvertError> {
    ctx.raw_event()?.ok_or_else(|| {
        ConvertError::missing(ctx.pointer("/event"), "the Appmax event name (a string)")
    })
}

fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let raw_event = raw_event(ctx)?;
    Ok(Identified {
        event: super::event_in(EVENTS, raw_event.trim()),
        raw_event: raw_event.into_owned(),
    })
}

/// Converts an Appmax body; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Root<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let raw_event = raw_event(ctx)?;
    let name = SPEC.event_of(&raw_event, || ctx.pointer("/event"))?;
    let data: Data<'a> = match root.map(|root| root.data) {
        Some(Present::Here(data)) => data,
        _ => {
            let raw = ctx.top.get("data").ok_or_else(|| {
                ConvertError::missing(ctx.pointer("/data"), "the event's data object")
            })?;
            ctx.doc.parse_at(raw.get(), || ctx.pointer("/data"))?
        }
    };
    let at = |field: &str| ctx.pointer(&format!("/data{field}"));
    let customer = customer(&data);
    let products = products(ctx, &data, &at)?;
    let payment = payment(ctx, &data, &at)?;
    let shipping = Shipping {
        total_value: payment.shipping_value,
        ..Shipping::default()
    };
    let Some(status) = order_status_of(name) else {
        // `CustomerInterested`: `data` is the customer who left the checkout.
        let id = synthetic_id(&[
            scalar_text(data.id.clone()).as_deref().unwrap_or_default(),
            customer.email.as_deref().unwrap_or_default(),
            data.created_at.as_deref().unwrap_or_default(),
        ]);
        let payload = Payload::Checkout(Box::new(CheckoutPayload {
            customer,
            checkout: Checkout::default(),
            payment,
            shipping,
            products,
            lead_tracking: LeadTracking::default(),
        }));
        return Ok(conversion_keyed_by_buyer(SPEC.name, name, &id, payload));
    };
    let id = scalar_text(data.id.clone())
        .or_else(|| scalar_text(data.order_id.clone()))
        .ok_or_else(|| ConvertError::missing(at("/id"), "the order id (`id`, or `order_id`)"))?;
    let time = |value: &Str<'a>, field: &str| {
        ctx.doc.time(value.as_ref(), || at(field), parse_brazil_local)
    };
    let order = Order {
        id: Some(id.clone()),
        status: Some(status),
        raw_status: text(data.status.clone()).or_else(|| text(data.order_status.clone())),
        created_at: time(&data.created_at, "/created_at")?,
        updated_at: None,
        paid_at: time(&data.paid_at, "/paid_at")?,
        warranty_until: None,
        canceled_at: None,
        refunded_at: time(&data.refunded_at, "/refunded_at")?,
    };
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

/// The buyer: `data.customer` (standard template), the `customer_*` fields
/// (two-level template), or `data` itself (a customer event).
fn customer<'a>(data: &Data<'a>) -> Customer<'a> {
    let full_name = |first: &Str<'a>, last: &Str<'a>| -> Str<'a> {
        match (text(first.clone()), text(last.clone())) {
            (Some(first), Some(last)) => Some(Cow::Owned(format!("{first} {last}"))),
            (first, last) => first.or(last),
        }
    };
    if let Some(raw) = data.customer.as_ref() {
        let phone = raw.telephone.as_ref().or(raw.phone.as_ref());
        return Customer {
            id: None,
            name: full_name(&raw.firstname, &raw.lastname),
            email: text(raw.email.clone()),
            document: raw
                .document_number
                .as_ref()
                .and_then(|d| document_digits(&d.0))
                .map(Cow::Owned),
            phone_numbers: phones(&[phone.map(|p| p.0.as_ref())], None, PhoneParts::default()),
            address: Some(
                AddressParts {
                    street: raw.address_street.clone(),
                    number: raw.address_street_number.clone(),
                    complement: raw.address_street_complement.clone(),
                    neighborhood: raw.address_street_district.clone(),
                    city: raw.address_city.clone(),
                    state: raw.address_state.clone(),
                    country: None,
                    postal_code: raw.postcode.clone(),
                }
                .build(AddressLayout::Full),
            ),
        };
    }
    let two_level = data.customer_email.is_some() || data.customer_firstname.is_some();
    let (first, last, email, phone) = match two_level {
        true => (
            &data.customer_firstname,
            &data.customer_lastname,
            &data.customer_email,
            data.customer_phone.as_ref(),
        ),
        false => (&data.firstname, &data.lastname, &data.email, data.telephone.as_ref()),
    };
    Customer {
        id: None,
        name: full_name(first, last),
        email: text(email.clone()),
        document: data
            .document_number
            .as_ref()
            .filter(|_| !two_level)
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(&[phone.map(|p| p.0.as_ref())], None, PhoneParts::default()),
        address: Some(Address::empty(AddressLayout::Full)),
    }
}

/// One product per bundle item: its SKU, name and quantity (Appmax sends no
/// price per item).
fn products<'a>(
    ctx: &Context<'a, '_>,
    data: &Data<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<Product<'a>>, ConvertError> {
    let mut products = Vec::new();
    for (b, bundle) in data.bundles.iter().flatten().enumerate() {
        for (p, item) in bundle.products.iter().flatten().enumerate() {
            products.push(Product {
                layout: ProductLayout::OfferTypeLast,
                id: scalar_text(item.sku.clone()),
                name: text(item.name.clone()),
                kind: ProductType::Product,
                quantity: ctx.doc.count(item.quantity, || {
                    at(&format!("/bundles/{b}/products/{p}/quantity"))
                })?,
                unit_value: None,
                total_value: None,
                image_url: None,
                offer_type: if products.is_empty() {
                    OfferType::Main
                } else {
                    OfferType::OrderBump
                },
            });
        }
    }
    Ok(products)
}

fn payment<'a>(
    ctx: &Context<'a, '_>,
    data: &Data<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Payment<'a>, ConvertError> {
    let reais = |raw: Option<&'a RawValue>, field: &str| ctx.doc.reais(raw, || at(field));
    let total = match data.total {
        Some(_) => reais(data.total, "/total")?,
        None => reais(data.order_total, "/order_total")?,
    };
    let products = match data.total_products {
        Some(_) => reais(data.total_products, "/total_products")?,
        None => reais(data.order_total_products, "/order_total_products")?,
    };
    let kind = data
        .payment_type
        .as_deref()
        .or(data.order_payment_type.as_deref())
        .map(str::trim);
    let method = match kind {
        Some("CreditCard") => Some(PaymentMethodType::CreditCard),
        Some("Pix") => Some(PaymentMethodType::Pix),
        Some("Boleto" | "Billet") => Some(PaymentMethodType::Boleto),
        Some("") | None => None,
        Some(_) => Some(PaymentMethodType::Other),
    };
    let payment_method = match method {
        Some(kind) => {
            let mut method = PaymentMethod::new(MethodShape::PerType, kind);
            if kind == PaymentMethodType::Pix {
                method.qrcode_signature = text(data.pix_code.clone());
                method.expiration_date = ctx.doc.time(
                    data.pix_expiration_date.as_ref(),
                    || at("/pix_expiration_date"),
                    parse_brazil_local,
                )?;
            }
            Some(method)
        }
        None => None,
    };
    Ok(Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: Some(Cow::Borrowed("BRL")),
        total,
        total_products_value: products,
        discount_value: reais(data.discount, "/discount")?,
        shipping_value: reais(data.freight_value, "/freight_value")?,
        payment_method,
        coupons: Vec::new(),
    })
}

fn verify(_request: &Request, _secret: &[u8], _policy: &Policy) -> Result<Checked, ConvertError> {
    no_scheme(
        "Appmax documents no way to authenticate its webhooks (no signature, no token): \
         confirm an event by reading the order back through Appmax's API",
    )
}
