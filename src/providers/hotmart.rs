//! Hotmart (webhook 2.0.0): `{id, creation_date, event, version, data}`. The
//! abandoned cart follows its published page key for key; purchase events give `order.*`.
//! Field by field: `docs/providers/hotmart.md`.

use super::common::{AddressParts, PhoneParts, conversion, order_status_of, phone_list};
use super::one_pass::Present;
use super::{
    Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, event_in, in_one_pass,
};
use crate::auth::{Checked, Policy, Request};
use crate::error::{ConvertError, ErrorKind, quoted};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::phone::normalize_phone;
use crate::normalize::time::parse_iso8601;
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

#[derive(Debug, Deserialize)]
struct Data<'a> {
    #[serde(borrow)]
    product: Option<RawProduct<'a>>,
    #[serde(borrow)]
    buyer: Option<Buyer<'a>>,
    #[serde(borrow)]
    purchase: Option<Purchase<'a>>,
    #[serde(borrow)]
    shipping: Option<RawShipping<'a>>,
    #[serde(borrow)]
    subscription: Option<&'a RawValue>,
    #[serde(borrow)]
    checkout_country: Option<Country<'a>>,
    #[serde(borrow)]
    buyer_ip: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawProduct<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    warranty_date: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Buyer<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    document: Option<Scalar<'a>>,
    #[serde(borrow)]
    phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    checkout_phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    checkout_phone_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    address: Option<BuyerAddress<'a>>,
}

#[derive(Debug, Deserialize)]
struct BuyerAddress<'a> {
    #[serde(borrow)]
    address: Str<'a>,
    #[serde(borrow)]
    number: Option<Scalar<'a>>,
    #[serde(borrow)]
    complement: Str<'a>,
    #[serde(borrow)]
    neighborhood: Str<'a>,
    #[serde(borrow)]
    city: Str<'a>,
    #[serde(borrow)]
    state: Str<'a>,
    #[serde(borrow)]
    country: Str<'a>,
    #[serde(borrow)]
    country_iso: Str<'a>,
    #[serde(borrow)]
    zipcode: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct Country<'a> {
    #[serde(borrow)]
    iso: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Purchase<'a> {
    #[serde(borrow)]
    transaction: Option<Scalar<'a>>,
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    order_date: Option<&'a RawValue>,
    #[serde(borrow)]
    approved_date: Option<&'a RawValue>,
    #[serde(borrow)]
    price: Option<Price<'a>>,
    #[serde(borrow)]
    full_price: Option<Price<'a>>,
    #[serde(borrow)]
    offer: Option<RawOffer<'a>>,
    #[serde(borrow)]
    payment: Option<RawPayment<'a>>,
    order_bump: Option<OrderBump>,
    #[serde(borrow)]
    origin: Option<Origin<'a>>,
    #[serde(borrow)]
    tracking: Option<RawTracking<'a>>,
    #[serde(borrow)]
    buyer_ip: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Price<'a> {
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    #[serde(borrow)]
    currency_value: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawOffer<'a> {
    #[serde(borrow)]
    coupon_code: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawPayment<'a> {
    #[serde(borrow, rename = "type")]
    kind: Str<'a>,
    #[serde(borrow)]
    billet_barcode: Str<'a>,
    #[serde(borrow)]
    billet_url: Str<'a>,
    #[serde(borrow)]
    pix_code: Str<'a>,
    #[serde(borrow)]
    pix_qrcode: Str<'a>,
    #[serde(borrow)]
    pix_expiration_date: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct OrderBump {
    is_order_bump: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Origin<'a> {
    #[serde(borrow)]
    src: Str<'a>,
    #[serde(borrow)]
    sck: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawTracking<'a> {
    #[serde(borrow)]
    source: Str<'a>,
    #[serde(borrow)]
    source_sck: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawShipping<'a> {
    #[serde(borrow)]
    cost: Option<Price<'a>>,
    estimated_delivery_days: Option<i64>,
    #[serde(borrow)]
    carrier: Option<Carrier<'a>>,
}

#[derive(Debug, Deserialize)]
struct Carrier<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    service: Str<'a>,
}

/// What a purchase event means: its normalized event (before the payment-type
/// suffix of a printed billet) and order status.
#[derive(Debug, Clone, Copy)]
enum Meaning {
    Abandoned,
    Order(EventName, OrderStatus),
    /// `PURCHASE_BILLET_PRINTED`: the suffix comes from `purchase.payment.type`.
    BilletPrinted,
}

/// Everything about Hotmart.
pub static SPEC: Spec = Spec {
    name: "hotmart",
    title: "Hotmart",
    looked_for: "{version, creation_date, event}",
    first_keys: &["creation_date", "creationDate"],
    events: EVENTS,
    top_keys: &[
        ("id", Keep::Text),
        ("creation_date", Keep::Text),
        ("creationDate", Keep::Text),
        ("event", Keep::Text),
        ("version", Keep::Text),
        ("hottok", Keep::Text),
        ("data", Keep::Presence),
    ],
    docs: include_str!("../../docs/providers/hotmart.md"),
    scheme: "the hottok (X-HOTMART-HOTTOK header)",
    secret: "the hottok",
    secret_headers: &["x-hotmart-hottok", "x-hotmart-webhook-token"],
    total_may_hold_unlisted_fees: false,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// The purchase events with a normalized counterpart. A printed billet's
/// event takes its payment type's suffix (`billet_event`).
const EVENTS: EventTable = &[
    ("PURCHASE_OUT_OF_SHOPPING_CART", EventName::CheckoutAbandoned),
    ("PURCHASE_APPROVED", EventName::OrderPaid),
    ("PURCHASE_COMPLETE", EventName::OrderPaid),
    (BILLET_PRINTED, EventName::OrderWaitingPayment),
    ("PURCHASE_CANCELED", EventName::OrderCanceled),
    ("PURCHASE_CANCELLED", EventName::OrderCanceled),
    ("PURCHASE_REFUNDED", EventName::OrderRefunded),
    ("PURCHASE_CHARGEBACK", EventName::OrderDisputed),
    ("PURCHASE_PROTEST", EventName::OrderDisputed),
    ("PURCHASE_EXPIRED", EventName::OrderExpired),
    ("PURCHASE_DELAYED", EventName::OrderWaitingPayment),
];

const BILLET_PRINTED: &str = "PURCHASE_BILLET_PRINTED";

fn meaning_of(raw: &str) -> Option<Meaning> {
    meaning_of_event(raw, event_in(EVENTS, raw)?)
}

fn meaning_of_event(raw: &str, event: EventName) -> Option<Meaning> {
    Some(match event {
        EventName::CheckoutAbandoned => Meaning::Abandoned,
        _ if raw == BILLET_PRINTED => Meaning::BilletPrinted,
        _ => Meaning::Order(event, order_status_of(event)?),
    })
}

/// `PURCHASE_BILLET_PRINTED`'s event by the payment type.
fn billet_event(kind: Option<&str>) -> EventName {
    match kind.map(str::trim) {
        Some("PIX") => EventName::OrderWaitingPaymentPix,
        Some("BILLET") => EventName::OrderWaitingPaymentBoleto,
        Some("CREDIT_CARD") => EventName::OrderWaitingPaymentCreditCard,
        _ => EventName::OrderWaitingPayment,
    }
}

fn raw_event<'a>(ctx: &Context<'a, '_>) -> Result<Cow<'a, str>, ConvertError> {
    ctx.raw_event()?.ok_or_else(|| {
        ConvertError::missing(ctx.pointer("/event"), "the Hotmart event name (a string)")
    })
}

/// The raw event and its normalized event; of `data`, only a printed billet's
/// payment type is read.
fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    #[derive(Deserialize)]
    struct Kind<'a> {
        #[serde(borrow, rename = "type")]
        kind: Str<'a>,
    }
    #[derive(Deserialize)]
    struct Purchase<'a> {
        #[serde(borrow)]
        payment: Option<Kind<'a>>,
    }
    #[derive(Deserialize)]
    struct PaymentOnly<'a> {
        #[serde(borrow)]
        purchase: Option<Purchase<'a>>,
    }
    let raw_event = raw_event(ctx)?;
    let event = meaning_of(raw_event.trim()).map(|meaning| match meaning {
        Meaning::Abandoned => EventName::CheckoutAbandoned,
        Meaning::Order(name, _) => name,
        Meaning::BilletPrinted => {
            let data = ctx
                .top
                .get("data")
                .and_then(|raw| serde_json::from_str::<PaymentOnly>(raw.get()).ok());
            let kind = data
                .as_ref()
                .and_then(|d| d.purchase.as_ref())
                .and_then(|p| p.payment.as_ref())
                .and_then(|p| p.kind.as_deref());
            billet_event(kind)
        }
    });
    Ok(Identified {
        raw_event: raw_event.into_owned(),
        event,
    })
}

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    let created = top.get("creation_date").is_some() || top.get("creationDate").is_some();
    (top.get("version").is_some() && created && top.get("event").is_some())
        .then(|| vec!["version", "creation_date", "event"])
}

/// Converts a Hotmart body; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Root<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let raw_event = raw_event(ctx)?;
    let event = SPEC.event_of(&raw_event, || ctx.pointer("/event"))?;
    let meaning = meaning_of_event(raw_event.trim(), event).ok_or_else(|| {
        ConvertError::new(
            ErrorKind::UnsupportedEvent,
            ctx.pointer("/event"),
            format!("Hotmart event {} has no order status", quoted(&raw_event)),
        )
    })?;
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
    match meaning {
        Meaning::Abandoned => abandoned_cart(ctx, data),
        Meaning::Order(name, status) => order(ctx, data, name, status, &at),
        Meaning::BilletPrinted => {
            let kind = data
                .purchase
                .as_ref()
                .and_then(|p| p.payment.as_ref())
                .and_then(|p| p.kind.as_deref());
            let name = billet_event(kind);
            order(ctx, data, name, OrderStatus::WaitingPayment, &at)
        }
    }
}

/// The published page: customer from `buyer`, one product from `product`, no payment, no
/// tracking, a 6-key delivery address of nulls.
fn abandoned_cart<'a>(
    ctx: &Context<'a, '_>,
    data: Data<'a>,
) -> Result<Conversion<'a>, ConvertError> {
    let id = ctx
        .top
        .get("id")
        .map(|raw| ctx.doc.parse_at::<Scalar>(raw.get(), || ctx.pointer("/id")))
        .transpose()?
        .and_then(|id| text(Some(id.0)))
        .ok_or_else(|| ConvertError::missing(ctx.pointer("/id"), "the delivery id (a string)"))?;
    let country = data
        .checkout_country
        .as_ref()
        .and_then(|c| c.iso.as_deref());
    let buyer = data.buyer.as_ref();
    let payload = Payload::Checkout(Box::new(CheckoutPayload {
        customer: customer(buyer, country, None),
        checkout: Checkout::default(),
        payment: Payment::default(),
        shipping: Shipping {
            delivery_address: Some(Address::empty(AddressLayout::WithoutNeighborhoodAndCountry)),
            ..Shipping::default()
        },
        products: vec![Product {
            layout: ProductLayout::OfferTypeAfterType,
            id: scalar_text(data.product.as_ref().and_then(|p| p.id.clone())),
            name: text(data.product.as_ref().and_then(|p| p.name.clone())),
            kind: ProductType::Product,
            quantity: Some(1),
            unit_value: None,
            total_value: None,
            image_url: None,
            offer_type: OfferType::Main,
        }],
        lead_tracking: LeadTracking::default(),
    }));
    Ok(conversion(
        SPEC.name,
        EventName::CheckoutAbandoned,
        &id,
        payload,
    ))
}

/// Approved, complete, refunded and disputed purchases were paid; expired,
/// canceled and waiting ones were not.
fn was_paid(status: OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::Paid | OrderStatus::Refunded | OrderStatus::Disputed
    )
}

fn order<'a>(
    ctx: &Context<'a, '_>,
    data: Data<'a>,
    name: EventName,
    status: OrderStatus,
    at: &dyn Fn(&str) -> String,
) -> Result<Conversion<'a>, ConvertError> {
    let purchase = data
        .purchase
        .as_ref()
        .ok_or_else(|| ConvertError::missing(at("/purchase"), "the purchase object"))?;
    let id = scalar_text(purchase.transaction.clone()).ok_or_else(|| {
        ConvertError::missing(
            at("/purchase/transaction"),
            "the transaction code (a string)",
        )
    })?;
    let buyer = data.buyer.as_ref();
    // When Hotmart recorded the event: the moment of a cancellation or refund.
    let event_time = match ctx.top.get("creation_date") {
        Some(raw) => ctx
            .doc
            .millis(Some(raw), || ctx.pointer("/creation_date"))?,
        None => None,
    };
    let product = data.product.as_ref();
    let order = Order {
        id: Some(id.clone()),
        status: Some(status),
        raw_status: text(purchase.status.clone()),
        created_at: ctx
            .doc
            .millis(purchase.order_date, || at("/purchase/order_date"))?,
        updated_at: None,
        // Only a purchase that was paid has a payment time: Hotmart's test postbacks
        // (and some real ones) carry an `approved_date` on expired or waiting ones.
        paid_at: ctx
            .doc
            .millis(purchase.approved_date, || at("/purchase/approved_date"))?
            .filter(|_| was_paid(status)),
        warranty_until: ctx.doc.time(
            product.and_then(|p| p.warranty_date.as_ref()),
            || at("/product/warranty_date"),
            |t| parse_iso8601(t, None),
        )?,
        canceled_at: event_time.filter(|_| status == OrderStatus::Canceled),
        refunded_at: event_time.filter(|_| status == OrderStatus::Refunded),
    };

    let price = ctx
        .doc
        .reais(purchase.price.as_ref().and_then(|p| p.value), || {
            at("/purchase/price/value")
        })?;
    let full_price = ctx
        .doc
        .reais(purchase.full_price.as_ref().and_then(|p| p.value), || {
            at("/purchase/full_price/value")
        })?;
    let shipping_cost = data.shipping.as_ref().and_then(|s| s.cost.as_ref());
    let shipping_value = ctx.doc.reais(shipping_cost.and_then(|c| c.value), || {
        at("/shipping/cost/value")
    })?;
    let currency = purchase
        .full_price
        .as_ref()
        .and_then(|p| p.currency_value.clone())
        .or_else(|| {
            purchase
                .price
                .as_ref()
                .and_then(|p| p.currency_value.clone())
        });
    let payment = Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: text(currency),
        total: full_price.or(price),
        total_products_value: price,
        discount_value: None,
        shipping_value,
        payment_method: payment_method(ctx, purchase.payment.as_ref(), at)?,
        coupons: text(purchase.offer.as_ref().and_then(|o| o.coupon_code.clone()))
            .map(|code| {
                vec![Coupon {
                    code: Some(code),
                    value: None,
                }]
            })
            .unwrap_or_default(),
    };

    let physical = data.shipping.as_ref();
    let buyer_address = buyer.and_then(|b| b.address.as_ref());
    let shipping = Shipping {
        carrier: text(
            physical
                .and_then(|s| s.carrier.as_ref())
                .and_then(|c| c.name.clone()),
        ),
        total_value: shipping_value,
        method: text(
            physical
                .and_then(|s| s.carrier.as_ref())
                .and_then(|c| c.service.clone()),
        ),
        delivery_address: Some(match (physical, buyer_address) {
            (Some(_), Some(address)) => delivery_address(address),
            _ => Address::empty(AddressLayout::WithoutNeighborhoodAndCountry),
        }),
        estimated_delivery_time_in_days: physical.and_then(|s| s.estimated_delivery_days),
        ..Shipping::default()
    };

    let subscription = data.subscription.is_some_and(|s| s.get() != "null");
    let order_bump = purchase.order_bump.as_ref().and_then(|b| b.is_order_bump) == Some(true);
    let products = vec![Product {
        layout: ProductLayout::OfferTypeAfterType,
        id: scalar_text(product.and_then(|p| p.id.clone())),
        name: text(product.and_then(|p| p.name.clone())),
        kind: if subscription {
            ProductType::SubscriptionPlan
        } else {
            ProductType::Product
        },
        quantity: Some(1),
        unit_value: price,
        total_value: price,
        image_url: None,
        offer_type: if order_bump {
            OfferType::OrderBump
        } else {
            OfferType::Main
        },
    }];

    let origin = purchase.origin.as_ref();
    let tracking = purchase.tracking.as_ref();
    let lead_tracking = LeadTracking {
        src: text(origin.and_then(|o| o.src.clone()))
            .or_else(|| text(tracking.and_then(|t| t.source.clone()))),
        sck: text(origin.and_then(|o| o.sck.clone()))
            .or_else(|| text(tracking.and_then(|t| t.source_sck.clone()))),
        ip: text(purchase.buyer_ip.clone()).or_else(|| text(data.buyer_ip.clone())),
        ..LeadTracking::default()
    };

    let country = buyer_address.and_then(|a| a.country_iso.as_deref());
    let payload = Payload::Order(Box::new(OrderPayload {
        customer: customer(buyer, country, buyer_address),
        order,
        checkout: Checkout::default(),
        payment,
        shipping,
        products,
        lead_tracking,
    }));
    Ok(conversion(SPEC.name, name, &id, payload))
}

/// The buyer; up to two phones (`phone`, and `checkout_phone` with its DDD in
/// `checkout_phone_code`, which Hotmart sends for Brazilian buyers only), each with
/// its DDD as `area_code`, read in the numbering plan of `country`.
fn customer<'a>(
    buyer: Option<&Buyer<'a>>,
    country: Option<&str>,
    address: Option<&BuyerAddress<'a>>,
) -> Customer<'a> {
    let Some(buyer) = buyer else {
        return Customer {
            address: Some(Address::empty(AddressLayout::Full)),
            ..Customer::default()
        };
    };
    let checkout_phone = buyer
        .checkout_phone
        .as_ref()
        .map(|p| p.0.as_ref())
        .map(|phone| {
            let ddd = buyer
                .checkout_phone_code
                .as_ref()
                .map(|c| c.0.trim())
                .unwrap_or("");
            let digits = phone.chars().filter(char::is_ascii_digit).count();
            let brazilian =
                country.is_none_or(|c| c.trim().is_empty() || c.trim().eq_ignore_ascii_case("BR"));
            if brazilian
                && ddd.len() == 2
                && ddd.bytes().all(|b| b.is_ascii_digit())
                && (8..=9).contains(&digits)
            {
                format!("{ddd}{phone}")
            } else {
                phone.to_owned()
            }
        });
    let numbers = [
        buyer.phone.as_ref().map(|p| p.0.to_string()),
        checkout_phone,
    ];
    Customer {
        id: None,
        name: text(buyer.name.clone()),
        email: text(buyer.email.clone()),
        document: buyer
            .document
            .as_ref()
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phone_list(
            numbers
                .iter()
                .flatten()
                .filter_map(|n| normalize_phone(n, country)),
            PhoneParts {
                area_code: true,
                dialing_code: false,
            },
        ),
        address: Some(match address {
            Some(raw) => buyer_address(raw, AddressLayout::Full),
            None => Address::empty(AddressLayout::Full),
        }),
    }
}

fn buyer_address<'a>(raw: &BuyerAddress<'a>, layout: AddressLayout) -> Address<'a> {
    AddressParts {
        street: raw.address.clone(),
        number: raw.number.clone(),
        complement: raw.complement.clone(),
        neighborhood: raw.neighborhood.clone(),
        city: raw.city.clone(),
        state: raw.state.clone(),
        country: raw.country_iso.clone().or_else(|| raw.country.clone()),
        postal_code: raw.zipcode.clone(),
    }
    .build(layout)
}

/// Hotmart's delivery address has six keys (the published page): no neighborhood, no country.
fn delivery_address<'a>(raw: &BuyerAddress<'a>) -> Address<'a> {
    buyer_address(raw, AddressLayout::WithoutNeighborhoodAndCountry)
}

fn payment_method<'a>(
    ctx: &Context<'a, '_>,
    raw: Option<&RawPayment<'a>>,
    at: &dyn Fn(&str) -> String,
) -> Result<Option<PaymentMethod<'a>>, ConvertError> {
    let Some(raw) = raw else { return Ok(None) };
    let kind = match raw.kind.as_deref().map(str::trim) {
        Some("CREDIT_CARD") => PaymentMethodType::CreditCard,
        Some("PIX") => PaymentMethodType::Pix,
        Some("BILLET") => PaymentMethodType::Boleto,
        _ => return Ok(None),
    };
    let mut method = PaymentMethod::new(MethodShape::PerType, kind);
    match kind {
        PaymentMethodType::Pix => {
            method.qrcode_url = text(raw.pix_qrcode.clone());
            method.qrcode_signature = text(raw.pix_code.clone());
            method.expiration_date = ctx.doc.millis(raw.pix_expiration_date, || {
                at("/purchase/payment/pix_expiration_date")
            })?;
        }
        PaymentMethodType::Boleto => {
            method.digitable_line = text(raw.billet_barcode.clone());
            method.url = text(raw.billet_url.clone());
        }
        _ => {}
    }
    Ok(Some(method))
}

/// The hottok: the X-HOTMART-HOTTOK header, or `hottok` in older bodies.
fn verify(request: &Request, secret: &[u8], _policy: &Policy) -> Result<Checked, ConvertError> {
    let (token, scheme) = match request.header("x-hotmart-hottok") {
        Some(token) => (Some(token), "hottok token (X-HOTMART-HOTTOK header)"),
        None => (request.body_text("hottok"), "hottok token (in the body)"),
    };
    let token = token.ok_or_else(|| {
        ConvertError::missing(
            "",
            "a hottok: the X-HOTMART-HOTTOK header (or `hottok` in older bodies)",
        )
    })?;
    Ok(Checked::token(token, secret, scheme))
}
