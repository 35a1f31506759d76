//! Hotmart (webhook 2.0.0): `{id, creation_date, event, version, data}`. The
//! abandoned cart follows its published page key for key; purchase events give `order.*`.
//! Field by field: `docs/providers/hotmart.md`.

use super::common::{
    AddressParts, PhoneParts, conversion, conversion_keyed_by_buyer, order_status_of, phone_list, synthetic_id,
};
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
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    product: Option<RawProduct<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    buyer: Option<Buyer<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    purchase: Option<Purchase<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    shipping: Option<RawShipping<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    subscription: Option<RawSubscription<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    checkout_country: Option<Country<'a>>,
    #[serde(borrow)]
    buyer_ip: Str<'a>,
    /// An abandoned cart's offer.
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    offer: Option<RawOffer<'a>>,
    // The subscription events' own fields.
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    subscriber: Option<Subscriber<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    plan: Option<Plan<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    plans: Option<Vec<Plan<'a>>>,
    #[serde(borrow)]
    cancellation_date: Option<&'a RawValue>,
    #[serde(borrow)]
    switch_plan_date: Option<&'a RawValue>,
    #[serde(borrow)]
    date_next_charge: Option<&'a RawValue>,
    #[serde(borrow)]
    actual_recurrence_value: Option<&'a RawValue>,
}

/// `data.subscription`: in a purchase `{status, plan, subscriber{code}}`; in
/// `SUBSCRIPTION_CANCELLATION` `{id, plan}`; in `SWITCH_PLAN` and
/// `UPDATE_SUBSCRIPTION_CHARGE_DATE` `{subscriber_code, status, date_next_charge, product, user}`.
#[derive(Debug, Deserialize)]
struct RawSubscription<'a> {
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    plan: Option<Plan<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    subscriber: Option<Subscriber<'a>>,
    #[serde(borrow)]
    subscriber_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    date_next_charge: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    product: Option<RawProduct<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    user: Option<User<'a>>,
}

#[derive(Debug, Deserialize)]
struct Plan<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    current: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct Subscriber<'a> {
    #[serde(borrow)]
    code: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    phone: Option<SubscriberPhone<'a>>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SubscriberPhone<'a> {
    #[serde(borrow)]
    ddd_phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    ddd_cell: Option<Scalar<'a>>,
    #[serde(borrow)]
    cell: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct User<'a> {
    #[serde(borrow)]
    email: Str<'a>,
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
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
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
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    price: Option<Price<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    full_price: Option<Price<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    offer: Option<RawOffer<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    payment: Option<RawPayment<'a>>,
    #[serde(default, deserialize_with = "crate::raw::object_or_empty")]
    order_bump: Option<OrderBump>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    origin: Option<Origin<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    tracking: Option<RawTracking<'a>>,
    #[serde(borrow)]
    buyer_ip: Str<'a>,
    #[serde(borrow)]
    recurrence_number: Option<&'a RawValue>,
    #[serde(borrow)]
    date_next_charge: Option<&'a RawValue>,
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
    #[serde(borrow)]
    code: Option<Scalar<'a>>,
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
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    cost: Option<Price<'a>>,
    estimated_delivery_days: Option<i64>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
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
    /// A change of the subscription's own state.
    Subscription(Change),
}

/// The subscription events, each with a body of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Cancellation,
    SwitchPlan,
    ChargeDate,
}

/// Everything about Hotmart.
pub static SPEC: Spec = Spec {
    name: "hotmart",
    title: "Hotmart",
    looked_for: "{version, creation_date, event}, or its data object alone {buyer, product, purchase or buyer_ip}",
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
        ("buyer", Keep::Presence),
        ("product", Keep::Presence),
        ("purchase", Keep::Presence),
        ("buyer_ip", Keep::Presence),
    ],
    docs: include_str!("../../docs/providers/hotmart.md"),
    scheme: "the hottok (X-HOTMART-HOTTOK header)",
    secret: "the hottok",
    secret_headers: &["x-hotmart-hottok", "x-hotmart-webhook-token"],
    secret_fields: &["hottok"],
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
    (CANCELLATION, EventName::SubscriptionCanceled),
    // `subscription.` + the subscription's status, whatever it is.
    (SWITCH_PLAN, EventName::SubscriptionActive),
    (CHARGE_DATE, EventName::SubscriptionActive),
];

const BILLET_PRINTED: &str = "PURCHASE_BILLET_PRINTED";
const CANCELLATION: &str = "SUBSCRIPTION_CANCELLATION";
const SWITCH_PLAN: &str = "SWITCH_PLAN";
const CHARGE_DATE: &str = "UPDATE_SUBSCRIPTION_CHARGE_DATE";

fn meaning_of(raw: &str) -> Option<Meaning> {
    meaning_of_event(raw, event_in(EVENTS, raw)?)
}

fn meaning_of_event(raw: &str, event: EventName) -> Option<Meaning> {
    Some(match event {
        EventName::CheckoutAbandoned => Meaning::Abandoned,
        _ if raw == BILLET_PRINTED => Meaning::BilletPrinted,
        _ if raw == CANCELLATION => Meaning::Subscription(Change::Cancellation),
        _ if raw == SWITCH_PLAN => Meaning::Subscription(Change::SwitchPlan),
        _ if raw == CHARGE_DATE => Meaning::Subscription(Change::ChargeDate),
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
    if let Some(event) = ctx.raw_event()? {
        return Ok(event);
    }
    if data_only(&ctx.top) {
        return event_of_data(ctx).map(Cow::Borrowed);
    }
    Err(ConvertError::missing(
        ctx.pointer("/event"),
        "the Hotmart event name (a string)",
    ))
}

/// A postback's `data` object alone, as integrators store it (no envelope):
/// the buyer and product, with a purchase or, for an abandoned cart, the IP.
fn data_only(top: &TopLevel) -> bool {
    top.get("event").is_none()
        && top.get("data").is_none()
        && top.get("buyer").is_some()
        && top.get("product").is_some()
        && (top.get("purchase").is_some() || top.get("buyer_ip").is_some())
}

/// The event a `data` object alone stands for: its purchase's status, or an
/// abandoned cart when it has no purchase.
fn event_of_data(ctx: &Context) -> Result<&'static str, ConvertError> {
    #[derive(Deserialize)]
    struct Status<'a> {
        #[serde(borrow)]
        status: Str<'a>,
    }
    let Some(raw) = ctx.top.get("purchase") else {
        return Ok("PURCHASE_OUT_OF_SHOPPING_CART");
    };
    let purchase: Option<Status> =
        ctx.doc.parse_at(raw.get(), || ctx.pointer("/purchase"))?;
    let status = purchase.and_then(|p| text(p.status)).unwrap_or_default();
    PURCHASE_STATUSES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(&status))
        .map(|(_, event)| *event)
        .ok_or_else(|| {
            ConvertError::missing(
                ctx.pointer("/purchase/status"),
                "the purchase status that names the event of a data object without its envelope (else give it with --event)",
            )
            .found(quoted(&status))
        })
}

/// A purchase's status → the event Hotmart sends with it.
const PURCHASE_STATUSES: &[(&str, &str)] = &[
    ("APPROVED", "PURCHASE_APPROVED"),
    ("COMPLETE", "PURCHASE_COMPLETE"),
    ("COMPLETED", "PURCHASE_COMPLETE"),
    ("CANCELED", "PURCHASE_CANCELED"),
    ("CANCELLED", "PURCHASE_CANCELED"),
    ("REFUNDED", "PURCHASE_REFUNDED"),
    ("CHARGEBACK", "PURCHASE_CHARGEBACK"),
    ("PROTESTED", "PURCHASE_PROTEST"),
    ("EXPIRED", "PURCHASE_EXPIRED"),
    ("DELAYED", "PURCHASE_DELAYED"),
    ("BILLET_PRINTED", "PURCHASE_BILLET_PRINTED"),
    ("WAITING_PAYMENT", "PURCHASE_BILLET_PRINTED"),
];

/// Where `data` is: `/data`, or the body itself when it is the data object alone.
fn data_pointer(ctx: &Context) -> &'static str {
    if data_only(&ctx.top) { "" } else { "/data" }
}

/// The `data` object's text: the envelope's `data`, or the whole body.
fn data_text<'a>(ctx: &Context<'a, '_>) -> Option<&'a str> {
    match data_only(&ctx.top) {
        true => Some(ctx.body),
        false => ctx.top.get("data").map(RawValue::get),
    }
}

/// The raw event and its normalized event; of `data`, only what decides it is
/// read: a printed billet's payment type, the subscriber code of a purchase
/// (a charge of a subscription), a subscription event's status.
fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    #[derive(Deserialize)]
    struct Kind<'a> {
        #[serde(borrow, rename = "type")]
        kind: Str<'a>,
    }
    #[derive(Deserialize)]
    struct Purchase<'a> {
        #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
        payment: Option<Kind<'a>>,
    }
    #[derive(Deserialize)]
    struct Code<'a> {
        #[serde(borrow)]
        code: Option<Scalar<'a>>,
    }
    #[derive(Deserialize)]
    struct Subscription<'a> {
        #[serde(borrow)]
        status: Str<'a>,
        #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
        subscriber: Option<Code<'a>>,
    }
    #[derive(Deserialize)]
    struct Decides<'a> {
        #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
        purchase: Option<Purchase<'a>>,
        #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
        subscription: Option<Subscription<'a>>,
    }
    let raw_event = raw_event(ctx)?;
    let data = data_text(ctx).and_then(|raw| serde_json::from_str::<Decides>(raw).ok());
    let subscription = data.as_ref().and_then(|d| d.subscription.as_ref());
    let charge_of_subscription = subscription
        .and_then(|s| s.subscriber.as_ref())
        .is_some_and(|code| scalar_text(code.code.clone()).is_some());
    let event = meaning_of(raw_event.trim()).and_then(|meaning| match meaning {
        Meaning::Abandoned => Some(EventName::CheckoutAbandoned),
        Meaning::Order(name, _) => Some(family_event(name, charge_of_subscription)),
        Meaning::BilletPrinted => {
            let kind = data
                .as_ref()
                .and_then(|d| d.purchase.as_ref())
                .and_then(|p| p.payment.as_ref())
                .and_then(|p| p.kind.as_deref());
            Some(family_event(billet_event(kind), charge_of_subscription))
        }
        Meaning::Subscription(Change::Cancellation) => Some(EventName::SubscriptionCanceled),
        Meaning::Subscription(_) => subscription
            .and_then(|s| s.status.as_deref())
            .and_then(subscription_status_of)
            .map(EventName::of_subscription),
    });
    Ok(Identified {
        raw_event: raw_event.into_owned(),
        event,
    })
}

/// A purchase that is a charge of a subscription is `subscription_transaction.*`;
/// a canceled charge is a failed one (the family has no `canceled`).
fn family_event(name: EventName, charge_of_subscription: bool) -> EventName {
    if !charge_of_subscription {
        return name;
    }
    match name {
        EventName::OrderCanceled => EventName::TransactionFailed,
        _ => name.as_subscription_transaction().unwrap_or(name),
    }
}

/// Hotmart's subscription status (`CANCELLED_BY_*` in purchases, `CANCELED_BY_*`
/// in the subscription events) → `subscription.status`.
fn subscription_status_of(raw: &str) -> Option<SubscriptionStatus> {
    let raw = raw.trim();
    Some(match raw {
        "ACTIVE" | "STARTED" => SubscriptionStatus::Active,
        "DELAYED" | "OVERDUE" => SubscriptionStatus::PastDue,
        "INACTIVE" => SubscriptionStatus::Canceled,
        "EXPIRED" => SubscriptionStatus::Completed,
        _ if raw.starts_with("CANCELLED_BY_") || raw.starts_with("CANCELED_BY_") => {
            SubscriptionStatus::Canceled
        }
        _ => return None,
    })
}

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    let created = top.get("creation_date").is_some() || top.get("creationDate").is_some();
    if top.get("version").is_some() && created && top.get("event").is_some() {
        return Some(vec!["version", "creation_date", "event"]);
    }
    data_only(top).then(|| vec!["buyer", "product", "purchase or buyer_ip (the data object alone)"])
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
    let base = data_pointer(ctx);
    let data: Data<'a> = match root.map(|root| root.data) {
        Some(Present::Here(data)) => data,
        _ => {
            let raw = data_text(ctx).ok_or_else(|| {
                ConvertError::missing(ctx.pointer("/data"), "the event's data object")
            })?;
            ctx.doc.parse_at(raw, || ctx.pointer(base))?
        }
    };
    let at = |field: &str| ctx.pointer(&format!("{base}{field}"));
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
        Meaning::Subscription(change) => subscription_change(ctx, data, change, &at),
    }
}

/// The published page: customer from `buyer`, one product from `product`, no payment, no
/// tracking, a 6-key delivery address of nulls.
fn abandoned_cart<'a>(
    ctx: &Context<'a, '_>,
    data: Data<'a>,
) -> Result<Conversion<'a>, ConvertError> {
    let keyed_by_buyer = data_only(&ctx.top);
    let id = match keyed_by_buyer {
        // No envelope, no delivery id: the cart is known by who left what.
        true => Cow::Owned(synthetic_id(&[
            data.buyer.as_ref().and_then(|b| b.email.as_deref()).unwrap_or_default(),
            &scalar_text(data.product.as_ref().and_then(|p| p.id.clone())).unwrap_or_default(),
            &scalar_text(data.offer.as_ref().and_then(|o| o.code.clone())).unwrap_or_default(),
        ])),
        false => delivery_id(ctx)?,
    };
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
    let convert = match keyed_by_buyer {
        true => conversion_keyed_by_buyer,
        false => conversion,
    };
    Ok(convert(SPEC.name, EventName::CheckoutAbandoned, &id, payload))
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

    let subscription = data.subscription.is_some();
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
    let order = OrderPayload {
        customer: customer(buyer, country, buyer_address),
        order,
        checkout: Checkout::default(),
        payment,
        shipping,
        products,
        lead_tracking,
    };
    let Some(code) = subscriber_code(&data) else {
        return Ok(conversion(SPEC.name, name, &id, Payload::Order(Box::new(order))));
    };
    let raw_subscription = data.subscription.as_ref();
    let subscription = Subscription {
        id: Some(code.clone()),
        name: text(raw_subscription.and_then(|s| s.plan.as_ref()).and_then(|p| p.name.clone())),
        status: Some(status_of(ctx, raw_subscription.and_then(|s| s.status.as_ref()), &|| {
            at("/subscription/status")
        })?),
        current_cycle: ctx
            .doc
            .count(purchase.recurrence_number, || at("/purchase/recurrence_number"))?,
        current_cycle_end: ctx
            .doc
            .millis_or_iso(purchase.date_next_charge, || at("/purchase/date_next_charge"))?,
        ..Subscription::default()
    };
    let payload = Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription)));
    Ok(conversion(SPEC.name, family_event(name, true), &format!("{code}:{id}"), payload))
}

/// The subscriber code of a purchase that is a charge of a subscription.
fn subscriber_code<'a>(data: &Data<'a>) -> Option<Cow<'a, str>> {
    let subscriber = data.subscription.as_ref()?.subscriber.as_ref()?;
    scalar_text(subscriber.code.clone())
}

/// The subscription's status as sent, or the exit-65 error naming a status
/// with no normalized counterpart.
fn status_of<'a>(
    ctx: &Context<'a, '_>,
    sent: Option<&Cow<'a, str>>,
    pointer: &dyn Fn() -> String,
) -> Result<SubscriptionStatus, ConvertError> {
    let Some(sent) = sent else {
        return Err(ConvertError::missing(pointer(), "the subscription's status (a string)"));
    };
    subscription_status_of(sent).ok_or_else(|| {
        ctx.doc.at(
            sent,
            ConvertError::new(
                ErrorKind::UnsupportedEvent,
                pointer(),
                format!(
                    "Hotmart subscription status {} is not mapped to a subscription status \
                     (mapped: ACTIVE, STARTED, DELAYED, OVERDUE, INACTIVE, EXPIRED, CANCELLED_BY_*, CANCELED_BY_*)",
                    quoted(sent)
                ),
            ),
        )
    })
}

/// `SUBSCRIPTION_CANCELLATION`, `SWITCH_PLAN`, `UPDATE_SUBSCRIPTION_CHARGE_DATE`:
/// bodies of their own, with no purchase. The subscription is known by its
/// subscriber code, the change by the delivery's `id`.
fn subscription_change<'a>(
    ctx: &Context<'a, '_>,
    data: Data<'a>,
    change: Change,
    at: &dyn Fn(&str) -> String,
) -> Result<Conversion<'a>, ConvertError> {
    let raw = data.subscription.as_ref();
    let subscriber = data.subscriber.as_ref();
    let (code, code_at) = match change {
        Change::SwitchPlan => (raw.and_then(|s| s.subscriber_code.clone()), "/subscription/subscriber_code"),
        _ => (subscriber.and_then(|s| s.code.clone()), "/subscriber/code"),
    };
    let code = scalar_text(code)
        .ok_or_else(|| ConvertError::missing(at(code_at), "the subscriber code (a string)"))?;
    let delivery = delivery_id(ctx)?;
    let status = match change {
        Change::Cancellation => SubscriptionStatus::Canceled,
        _ => status_of(ctx, raw.and_then(|s| s.status.as_ref()), &|| at("/subscription/status"))?,
    };
    let name = match change {
        Change::Cancellation => raw.and_then(|s| s.plan.as_ref()).and_then(|p| p.name.clone()),
        Change::SwitchPlan => data
            .plans
            .as_ref()
            .and_then(|plans| plans.iter().find(|plan| plan.current == Some(true)))
            .and_then(|plan| plan.name.clone()),
        Change::ChargeDate => data.plan.as_ref().and_then(|p| p.name.clone()),
    };
    let (next_charge, next_charge_at) = match change {
        Change::Cancellation => (data.date_next_charge, "/date_next_charge"),
        _ => (raw.and_then(|s| s.date_next_charge), "/subscription/date_next_charge"),
    };
    let updated_at = match change {
        Change::Cancellation => None,
        Change::SwitchPlan => ctx.doc.millis(data.switch_plan_date, || at("/switch_plan_date"))?,
        Change::ChargeDate => match ctx.top.get("creation_date") {
            Some(raw) => ctx.doc.millis(Some(raw), || ctx.pointer("/creation_date"))?,
            None => None,
        },
    };
    let subscription = Subscription {
        id: Some(code.clone()),
        name: text(name),
        status: Some(status),
        updated_at,
        canceled_at: ctx.doc.millis(data.cancellation_date, || at("/cancellation_date"))?,
        current_cycle_end: ctx.doc.millis_or_iso(next_charge, || at(next_charge_at))?,
        ..Subscription::default()
    };
    let product = data
        .product
        .as_ref()
        .or_else(|| raw.and_then(|s| s.product.as_ref()));
    let value = ctx
        .doc
        .reais(data.actual_recurrence_value, || at("/actual_recurrence_value"))?;
    let products = vec![Product {
        layout: ProductLayout::OfferTypeAfterType,
        id: scalar_text(product.and_then(|p| p.id.clone())),
        name: text(product.and_then(|p| p.name.clone())),
        kind: ProductType::SubscriptionPlan,
        quantity: Some(1),
        unit_value: value,
        total_value: value,
        image_url: None,
        offer_type: OfferType::Main,
    }];
    let email = subscriber
        .and_then(|s| s.email.clone())
        .or_else(|| raw.and_then(|s| s.user.as_ref()).and_then(|u| u.email.clone()));
    let customer = Customer {
        id: None,
        name: text(subscriber.and_then(|s| s.name.clone())),
        email: text(email),
        document: None,
        phone_numbers: subscriber_phones(subscriber.and_then(|s| s.phone.as_ref())),
        address: Some(Address::empty(AddressLayout::Full)),
    };
    let payload = Payload::Subscription(Box::new(SubscriptionPayload {
        customer,
        subscription,
        products,
        charge: Charge,
        payment: Payment::default(),
    }));
    let name = EventName::of_subscription(status);
    Ok(conversion(SPEC.name, name, &format!("{code}:{delivery}"), payload))
}

/// The delivery's own `id`, which a retried delivery keeps.
fn delivery_id<'a>(ctx: &Context<'a, '_>) -> Result<Cow<'a, str>, ConvertError> {
    ctx.top
        .get("id")
        .map(|raw| ctx.doc.parse_at::<Scalar>(raw.get(), || ctx.pointer("/id")))
        .transpose()?
        .and_then(|id| text(Some(id.0)))
        .ok_or_else(|| ConvertError::missing(ctx.pointer("/id"), "the delivery id (a string)"))
}

/// A subscriber's mobile (`dddCell` + `cell`) and landline (`dddPhone` + `phone`),
/// each with its DDD as `area_code`.
fn subscriber_phones<'a>(phone: Option<&SubscriberPhone>) -> Vec<Phone<'a>> {
    let Some(phone) = phone else { return Vec::new() };
    let joined = |ddd: &Option<Scalar>, number: &Option<Scalar>| {
        let number = number.as_ref().map(|n| n.0.trim()).filter(|n| !n.is_empty())?;
        let ddd = ddd.as_ref().map(|d| d.0.trim()).unwrap_or("");
        Some(format!("{ddd}{number}"))
    };
    let numbers = [
        joined(&phone.ddd_cell, &phone.cell),
        joined(&phone.ddd_phone, &phone.phone),
    ];
    phone_list(
        numbers.iter().flatten().filter_map(|n| normalize_phone(n, None)),
        PhoneParts {
            area_code: true,
            dialing_code: false,
        },
    )
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
