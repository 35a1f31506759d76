//! Digital Manager Guru: JSON with `webhook_type` — `transaction` (a sale, its
//! `status`) or `subscription` (its `last_status`). Money in reais, dates ISO 8601
//! (cycle dates `YYYY-MM-DD`, Brasília). Field by field:
//! `docs/providers/digital_manager_guru.md`.

use super::common::{AddressParts, PhoneParts, conversion, order_status_of, phone_list};
use super::{Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, in_one_pass};
use crate::auth::{Checked, Policy, Request, echoed_in_body};
use crate::error::{ConvertError, ErrorKind, quoted};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::phone::normalize_phone;
use crate::normalize::time::{BRASILIA_OFFSET_SECONDS, parse_iso8601};
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Str<'a> = Option<Cow<'a, str>>;

/// Both kinds of body, with the fields of each.
/// The typed body this provider reads.
pub type Root<'a> = Body<'a>;

#[derive(Debug, Deserialize)]
pub struct Body<'a> {
    #[serde(borrow)]
    webhook_type: Str<'a>,
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    checkout_url: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    contact: Option<Person<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    payment: Option<RawPayment<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    product: Option<Item<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    items: Option<Vec<Item<'a>>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    subscription: Option<RawSubscription<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    dates: Option<Dates<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    invoice: Option<Invoice<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    shipment: Option<Shipment<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    shipping: Option<RawShipping<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    source: Option<Source<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    infrastructure: Option<Infrastructure<'a>>,
    // A subscription body's own fields.
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    last_status: Str<'a>,
    #[serde(borrow)]
    cancel_reason: Str<'a>,
    #[serde(borrow)]
    cancel_at_cycle_end: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    cancelled_by: Option<CancelledBy<'a>>,
    #[serde(borrow)]
    charged_times: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    current_invoice: Option<Invoice<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    subscriber: Option<Person<'a>>,
    #[serde(borrow)]
    payment_method: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    credit_card: Option<Card<'a>>,
}

#[derive(Debug, Deserialize)]
struct CancelledBy<'a> {
    #[serde(borrow)]
    date: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Person<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    doc: Option<Scalar<'a>>,
    #[serde(borrow)]
    phone_local_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    phone_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    address: Str<'a>,
    #[serde(borrow)]
    address_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    address_comp: Str<'a>,
    #[serde(borrow)]
    address_district: Str<'a>,
    #[serde(borrow)]
    address_city: Str<'a>,
    #[serde(borrow)]
    address_state: Str<'a>,
    #[serde(borrow)]
    address_country: Str<'a>,
    #[serde(borrow)]
    address_zip_code: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct RawPayment<'a> {
    #[serde(borrow)]
    total: Option<&'a RawValue>,
    #[serde(borrow)]
    currency: Str<'a>,
    #[serde(borrow)]
    method: Str<'a>,
    #[serde(borrow)]
    discount_value: Option<&'a RawValue>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    credit_card: Option<Card<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    billet: Option<Billet<'a>>,
}

#[derive(Debug, Deserialize)]
struct Card<'a> {
    #[serde(borrow)]
    brand: Str<'a>,
    #[serde(borrow)]
    last_digits: Option<Scalar<'a>>,
    #[serde(borrow)]
    last_four: Option<Scalar<'a>>,
    #[serde(borrow)]
    expiration_month: Option<Scalar<'a>>,
    #[serde(borrow)]
    expiration_year: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct Billet<'a> {
    #[serde(borrow)]
    url: Str<'a>,
    #[serde(borrow)]
    line: Str<'a>,
    #[serde(borrow)]
    expiration_date: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Item<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow, rename = "type")]
    kind: Str<'a>,
    #[serde(borrow)]
    unit_value: Option<&'a RawValue>,
    #[serde(borrow)]
    total_value: Option<&'a RawValue>,
    #[serde(borrow)]
    qty: Option<&'a RawValue>,
    #[serde(borrow)]
    image_url: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    offer: Option<Offer<'a>>,
}

#[derive(Debug, Deserialize)]
struct Offer<'a> {
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct RawSubscription<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    last_status: Str<'a>,
    #[serde(borrow)]
    last_status_at: Str<'a>,
    #[serde(borrow)]
    started_at: Str<'a>,
    #[serde(borrow)]
    canceled_at: Str<'a>,
    #[serde(borrow)]
    charged_times: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct Dates<'a> {
    #[serde(borrow)]
    created_at: Str<'a>,
    #[serde(borrow)]
    ordered_at: Str<'a>,
    #[serde(borrow)]
    confirmed_at: Str<'a>,
    #[serde(borrow)]
    updated_at: Str<'a>,
    #[serde(borrow)]
    canceled_at: Str<'a>,
    #[serde(borrow)]
    warranty_until: Str<'a>,
    // A subscription body's.
    #[serde(borrow)]
    started_at: Str<'a>,
    #[serde(borrow)]
    last_status_at: Str<'a>,
    #[serde(borrow)]
    cycle_start_date: Str<'a>,
    #[serde(borrow)]
    cycle_end_date: Str<'a>,
    #[serde(borrow)]
    next_cycle_at: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Invoice<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    #[serde(borrow)]
    cycle: Option<&'a RawValue>,
    #[serde(borrow)]
    period_start: Str<'a>,
    #[serde(borrow)]
    period_end: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Shipment<'a> {
    #[serde(borrow)]
    carrier: Str<'a>,
    #[serde(borrow)]
    service: Str<'a>,
    #[serde(borrow)]
    tracking: Str<'a>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    #[serde(borrow)]
    delivery_time: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct RawShipping<'a> {
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct Source<'a> {
    #[serde(borrow)]
    source: Str<'a>,
    #[serde(borrow)]
    checkout_source: Str<'a>,
    #[serde(borrow)]
    utm_source: Str<'a>,
    #[serde(borrow)]
    utm_medium: Str<'a>,
    #[serde(borrow)]
    utm_campaign: Str<'a>,
    #[serde(borrow)]
    utm_content: Str<'a>,
    #[serde(borrow)]
    utm_term: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Infrastructure<'a> {
    #[serde(borrow)]
    ip: Str<'a>,
}

/// Everything about Digital Manager Guru.
pub static SPEC: Spec = Spec {
    name: "digital_manager_guru",
    title: "Digital Manager Guru",
    looked_for: "{webhook_type, id}",
    first_keys: &["webhook_type"],
    events: EVENTS,
    top_keys: &[("webhook_type", Keep::Presence)],
    docs: include_str!("../../docs/providers/digital_manager_guru.md"),
    scheme: "the api_token echoed in the body (weak: with --allow-echoed-secret)",
    secret: "the account's API token",
    secret_headers: &[],
    secret_fields: &["api_token"],
    total_may_hold_unlisted_fees: true,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// `<webhook_type>.<status>` (a sale) or `subscription.<last_status>` → normalized
/// event. A sale of a subscription's charge moves to `subscription_transaction.*`.
const EVENTS: EventTable = &[
    ("transaction.approved", EventName::OrderPaid),
    ("transaction.paid", EventName::OrderPaid),
    ("transaction.waiting_payment", EventName::OrderWaitingPayment),
    ("transaction.canceled", EventName::OrderCanceled),
    ("transaction.refunded", EventName::OrderRefunded),
    ("transaction.abandoned", EventName::CheckoutAbandoned),
    ("subscription.active", EventName::SubscriptionActive),
    ("subscription.started", EventName::SubscriptionActive),
    ("subscription.trial", EventName::SubscriptionTrial),
    ("subscription.pastdue", EventName::SubscriptionPastDue),
    ("subscription.canceled", EventName::SubscriptionCanceled),
    ("subscription.trial canceled", EventName::SubscriptionCanceled),
    ("subscription.inactive", EventName::SubscriptionCanceled),
    ("subscription.expired", EventName::SubscriptionCompleted),
];

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    top.get("webhook_type").is_some().then(|| vec!["webhook_type"])
}

fn parse<'a>(ctx: &Context<'a, '_>) -> Result<Body<'a>, ConvertError> {
    ctx.doc.parse(ctx.body, ctx.body_pointer)
}

/// The raw event (`--event`, else `<webhook_type>.<status or last_status>`) and
/// where its status was read.
fn raw_event(ctx: &Context, body: &Body) -> Result<(String, String), ConvertError> {
    if let Some(event) = ctx.event {
        return Ok((event.trim().to_owned(), ctx.pointer("/webhook_type")));
    }
    let kind = body.webhook_type.as_deref().map(str::trim).unwrap_or_default();
    let (status, field) = match kind {
        "subscription" => (body.last_status.as_deref(), "/last_status"),
        _ => (body.status.as_deref(), "/status"),
    };
    let status = status.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        ConvertError::missing(ctx.pointer(field), "the status that names the event (a string)")
    })?;
    Ok((format!("{kind}.{status}"), ctx.pointer(field)))
}

/// A sale names the subscription it is a charge of.
fn charge_of_subscription(body: &Body) -> bool {
    body.subscription
        .as_ref()
        .is_some_and(|s| scalar_text(s.id.clone()).is_some())
}

/// A sale of a subscription's charge is `subscription_transaction.*`, a
/// waiting one with its payment method's suffix.
fn family_event(name: EventName, body: &Body) -> EventName {
    let name = name.with_method(method_of(body));
    if !charge_of_subscription(body) {
        return name;
    }
    match name {
        EventName::OrderCanceled => EventName::TransactionCanceled,
        _ => name.as_subscription_transaction().unwrap_or(name),
    }
}

fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let body = parse(ctx)?;
    let (raw_event, _) = raw_event(ctx, &body)?;
    Ok(Identified {
        event: super::event_in(EVENTS, &raw_event).map(|name| family_event(name, &body)),
        raw_event,
    })
}

/// Converts a Guru body; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Body<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let body = match root {
        Some(body) => body,
        None => parse(ctx)?,
    };
    let (raw_event, event_at) = raw_event(ctx, &body)?;
    let name = SPEC.event_of(&raw_event, || event_at.clone())?;
    let at = |field: &str| ctx.pointer(field);
    if let Some(status) = name.subscription_status() {
        return subscription_change(ctx, &body, name, status, &at);
    }
    let customer = customer(body.contact.as_ref());
    let products = products(ctx, &body, &at)?;
    let payment = payment(ctx, &body, &at)?;
    let checkout = Checkout {
        id: None,
        url: text(body.checkout_url.clone()),
    };
    let source = body.source.as_ref();
    let lead_tracking = LeadTracking {
        src: text(source.and_then(|s| s.source.clone())),
        sck: text(source.and_then(|s| s.checkout_source.clone())),
        utm_source: text(source.and_then(|s| s.utm_source.clone())),
        utm_campaign: text(source.and_then(|s| s.utm_campaign.clone())),
        utm_medium: text(source.and_then(|s| s.utm_medium.clone())),
        utm_content: text(source.and_then(|s| s.utm_content.clone())),
        utm_term: text(source.and_then(|s| s.utm_term.clone())),
        ip: text(body.infrastructure.as_ref().and_then(|i| i.ip.clone())),
        ..LeadTracking::default()
    };
    let shipment = body.shipment.as_ref();
    let shipping = Shipping {
        carrier: text(shipment.and_then(|s| s.carrier.clone())),
        total_value: payment.shipping_value,
        tracking_code: text(shipment.and_then(|s| s.tracking.clone())),
        method: text(shipment.and_then(|s| s.service.clone())),
        estimated_delivery_time_in_days: ctx
            .doc
            .count(shipment.and_then(|s| s.delivery_time), || at("/shipment/delivery_time"))?,
        ..Shipping::default()
    };
    let id = scalar_text(body.id.clone())
        .ok_or_else(|| ConvertError::missing(at("/id"), "the transaction id (a string)"))?;

    let Some(status) = order_status_of(name) else {
        let payload = Payload::Checkout(Box::new(CheckoutPayload {
            customer,
            checkout,
            payment,
            shipping,
            products,
            lead_tracking,
        }));
        return Ok(conversion(SPEC.name, name, &id, payload));
    };
    let dates = body.dates.as_ref();
    let time = |value: Option<&Cow<'a, str>>, field: &str| {
        ctx.doc.time(value, || at(field), |t| parse_iso8601(t, Some(BRASILIA_OFFSET_SECONDS)))
    };
    let order = Order {
        id: Some(id.clone()),
        status: Some(status),
        raw_status: text(body.status.clone()),
        created_at: match dates.and_then(|d| d.ordered_at.as_ref()) {
            Some(ordered) => time(Some(ordered), "/dates/ordered_at")?,
            None => time(dates.and_then(|d| d.created_at.as_ref()), "/dates/created_at")?,
        },
        updated_at: time(dates.and_then(|d| d.updated_at.as_ref()), "/dates/updated_at")?,
        paid_at: time(dates.and_then(|d| d.confirmed_at.as_ref()), "/dates/confirmed_at")?,
        warranty_until: time(dates.and_then(|d| d.warranty_until.as_ref()), "/dates/warranty_until")?,
        canceled_at: time(dates.and_then(|d| d.canceled_at.as_ref()), "/dates/canceled_at")?,
        refunded_at: None,
    };
    let order = OrderPayload {
        customer,
        order,
        checkout,
        payment,
        shipping,
        products,
        lead_tracking,
    };
    let name = family_event(name, &body);
    if !charge_of_subscription(&body) {
        return Ok(conversion(SPEC.name, name, &id, Payload::Order(Box::new(order))));
    }
    let raw = body.subscription.as_ref();
    let subscription_id = scalar_text(raw.and_then(|s| s.id.clone())).unwrap_or_default();
    let invoice = body.invoice.as_ref();
    let status = match raw.and_then(|s| s.last_status.as_deref()) {
        Some(sent) => Some(status_of(sent).ok_or_else(|| {
            unknown_status(sent, at("/subscription/last_status"))
        })?),
        None => None,
    };
    let subscription = Subscription {
        id: Some(subscription_id.clone()),
        name: text(raw.and_then(|s| s.name.clone())),
        status,
        created_at: time(raw.and_then(|s| s.started_at.as_ref()), "/subscription/started_at")?,
        updated_at: time(raw.and_then(|s| s.last_status_at.as_ref()), "/subscription/last_status_at")?,
        canceled_at: time(raw.and_then(|s| s.canceled_at.as_ref()), "/subscription/canceled_at")?,
        charged_times: ctx
            .doc
            .count(raw.and_then(|s| s.charged_times), || at("/subscription/charged_times"))?,
        cancellation_reason: None,
        current_cycle: ctx.doc.count(invoice.and_then(|i| i.cycle), || at("/invoice/cycle"))?,
        current_cycle_start: time(invoice.and_then(|i| i.period_start.as_ref()), "/invoice/period_start")?,
        current_cycle_end: time(invoice.and_then(|i| i.period_end.as_ref()), "/invoice/period_end")?,
    };
    let payload = Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription)));
    Ok(conversion(SPEC.name, name, &format!("{subscription_id}:{id}"), payload))
}

/// `last_status` → `subscription.status` (Guru's list: active, canceled, expired,
/// inactive, pastdue, started, trial, "trial canceled").
fn status_of(raw: &str) -> Option<SubscriptionStatus> {
    super::event_in(EVENTS, &format!("subscription.{}", raw.trim()))
        .and_then(EventName::subscription_status)
}

fn unknown_status(sent: &str, pointer: String) -> ConvertError {
    ConvertError::new(
        ErrorKind::UnsupportedEvent,
        pointer,
        format!(
            "Digital Manager Guru subscription status {} is not mapped to a subscription status",
            quoted(sent)
        ),
    )
}

/// A `subscription` body: the subscription's own change of state.
fn subscription_change<'a>(
    ctx: &Context<'a, '_>,
    body: &Body<'a>,
    name: EventName,
    status: SubscriptionStatus,
    at: &dyn Fn(&str) -> String,
) -> Result<Conversion<'a>, ConvertError> {
    let id = scalar_text(body.id.clone())
        .ok_or_else(|| ConvertError::missing(at("/id"), "the subscription id (a string)"))?;
    let dates = body.dates.as_ref();
    let invoice = body.current_invoice.as_ref();
    let time = |value: Option<&Cow<'a, str>>, field: &str| {
        ctx.doc.time(value, || at(field), |t| parse_iso8601(t, Some(BRASILIA_OFFSET_SECONDS)))
    };
    let next_charge = match dates.and_then(|d| d.next_cycle_at.as_ref()) {
        Some(next) => time(Some(next), "/dates/next_cycle_at")?,
        None => time(dates.and_then(|d| d.cycle_end_date.as_ref()), "/dates/cycle_end_date")?,
    };
    let subscription = Subscription {
        id: Some(id.clone()),
        name: text(body.name.clone()),
        status: Some(status),
        created_at: time(dates.and_then(|d| d.started_at.as_ref()), "/dates/started_at")?,
        updated_at: time(dates.and_then(|d| d.last_status_at.as_ref()), "/dates/last_status_at")?,
        canceled_at: time(dates.and_then(|d| d.canceled_at.as_ref()), "/dates/canceled_at")?,
        charged_times: ctx.doc.count(body.charged_times, || at("/charged_times"))?,
        cancellation_reason: text(body.cancel_reason.clone()),
        current_cycle: ctx
            .doc
            .count(invoice.and_then(|i| i.cycle), || at("/current_invoice/cycle"))?,
        current_cycle_start: time(dates.and_then(|d| d.cycle_start_date.as_ref()), "/dates/cycle_start_date")?,
        current_cycle_end: next_charge,
    };
    let product = body.product.as_ref();
    let value = ctx.doc.reais(
        product.and_then(|p| p.offer.as_ref()).and_then(|o| o.value),
        || at("/product/offer/value"),
    )?;
    let products = product
        .map(|product| Product {
            layout: ProductLayout::OfferTypeLast,
            id: scalar_text(product.id.clone()),
            name: text(product.name.clone()),
            kind: ProductType::SubscriptionPlan,
            quantity: Some(1),
            unit_value: value,
            total_value: value,
            image_url: None,
            offer_type: OfferType::Main,
        })
        .into_iter()
        .collect();
    let card = body.credit_card.as_ref();
    let payment = Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: None,
        total: ctx
            .doc
            .reais(invoice.and_then(|i| i.value), || at("/current_invoice/value"))?,
        total_products_value: None,
        discount_value: None,
        shipping_value: None,
        payment_method: method_named(body.payment_method.as_deref()).map(|kind| {
            let mut method = PaymentMethod::new(MethodShape::PerType, kind);
            if kind == PaymentMethodType::CreditCard {
                method.brand = text(card.and_then(|c| c.brand.clone()));
                method.last_digits = last_digits(card);
                method.expiration_month = scalar_text(card.and_then(|c| c.expiration_month.clone()));
                method.expiration_year = scalar_text(card.and_then(|c| c.expiration_year.clone()));
            }
            method
        }),
        coupons: Vec::new(),
    };
    // Each change of state has its own time (else its invoice); a retried
    // delivery keeps both.
    let changed = dates
        .and_then(|d| text(d.last_status_at.clone()))
        .or_else(|| scalar_text(invoice.and_then(|i| i.id.clone())))
        .unwrap_or_default();
    // Scheduling a cancellation at the cycle's end changes no status and no
    // status time: Guru delivers the subscription again, which must not pass
    // for the delivery before it.
    let scheduled = match body.cancel_at_cycle_end.map(|flag| flag.get().trim_matches('"')) {
        Some(flag) if !matches!(flag, "0" | "false" | "null" | "") => {
            let when = body.cancelled_by.as_ref().and_then(|by| text(by.date.clone()));
            format!(":cancel_at_cycle_end:{}", when.unwrap_or_default())
        }
        _ => String::new(),
    };
    let key = format!("{id}:{changed}{scheduled}");
    let payload = Payload::Subscription(Box::new(SubscriptionPayload {
        customer: customer(body.subscriber.as_ref()),
        subscription,
        products,
        charge: Charge,
        payment,
    }));
    Ok(conversion(SPEC.name, name, &key, payload))
}

fn customer<'a>(raw: Option<&Person<'a>>) -> Customer<'a> {
    let Some(raw) = raw else {
        return Customer {
            address: Some(Address::empty(AddressLayout::Full)),
            ..Customer::default()
        };
    };
    let country = raw.address_country.as_deref();
    // `phone_local_code` is the country calling code: a foreign one is written
    // in front of the number so that it is read in that country's plan.
    let code = raw.phone_local_code.as_ref().map(|c| c.0.trim()).unwrap_or("");
    let number = raw.phone_number.as_ref().map(|n| n.0.trim()).filter(|n| !n.is_empty());
    let phone = number.and_then(|number| match code {
        "" | "55" => normalize_phone(number, country),
        code => normalize_phone(&format!("+{code}{number}"), country),
    });
    Customer {
        id: scalar_text(raw.id.clone()),
        name: text(raw.name.clone()),
        email: text(raw.email.clone()),
        document: raw.doc.as_ref().and_then(|d| document_digits(&d.0)).map(Cow::Owned),
        phone_numbers: phone_list(
            phone,
            PhoneParts {
                area_code: true,
                dialing_code: true,
            },
        ),
        address: Some(
            AddressParts {
                street: raw.address.clone(),
                number: raw.address_number.clone(),
                complement: raw.address_comp.clone(),
                neighborhood: raw.address_district.clone(),
                city: raw.address_city.clone(),
                state: raw.address_state.clone(),
                country: raw.address_country.clone(),
                postal_code: raw.address_zip_code.clone(),
            }
            .build(AddressLayout::Full),
        ),
    }
}

/// `items` (else `product`): the first is the main offer, the others order bumps.
fn products<'a>(
    ctx: &Context<'a, '_>,
    body: &Body<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<Product<'a>>, ConvertError> {
    let (list, path): (Vec<&Item<'a>>, &str) = match body.items.as_deref() {
        Some(items) if !items.is_empty() => (items.iter().collect(), "/items"),
        _ => (body.product.iter().collect(), "/product"),
    };
    let mut products = Vec::new();
    for (index, item) in list.into_iter().enumerate() {
        let field = |name: &str| match path {
            "/items" => at(&format!("/items/{index}/{name}")),
            _ => at(&format!("/product/{name}")),
        };
        products.push(Product {
            layout: ProductLayout::OfferTypeLast,
            id: scalar_text(item.id.clone()),
            name: text(item.name.clone()),
            kind: match item.kind.as_deref().map(str::trim) {
                Some("plan" | "subscription") => ProductType::SubscriptionPlan,
                _ if charge_of_subscription(body) => ProductType::SubscriptionPlan,
                _ => ProductType::Product,
            },
            quantity: ctx.doc.count(item.qty, || field("qty"))?,
            unit_value: ctx.doc.reais(item.unit_value, || field("unit_value"))?,
            total_value: ctx.doc.reais(item.total_value, || field("total_value"))?,
            image_url: text(item.image_url.clone()),
            offer_type: if index == 0 {
                OfferType::Main
            } else {
                OfferType::OrderBump
            },
        });
    }
    Ok(products)
}

fn method_named(method: Option<&str>) -> Option<PaymentMethodType> {
    Some(match method?.trim() {
        "credit_card" => PaymentMethodType::CreditCard,
        "pix" => PaymentMethodType::Pix,
        "billet" | "boleto" => PaymentMethodType::Boleto,
        "" => return None,
        _ => PaymentMethodType::Other,
    })
}

fn method_of(body: &Body) -> Option<PaymentMethodType> {
    method_named(body.payment.as_ref().and_then(|p| p.method.as_deref()))
}

fn last_digits<'a>(card: Option<&Card<'a>>) -> Text<'a> {
    super::common::last_four(
        scalar_text(card.and_then(|c| c.last_digits.clone()))
            .or_else(|| scalar_text(card.and_then(|c| c.last_four.clone()))),
    )
}

fn payment<'a>(
    ctx: &Context<'a, '_>,
    body: &Body<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Payment<'a>, ConvertError> {
    let raw = body.payment.as_ref();
    let total = ctx.doc.reais(raw.and_then(|p| p.total), || at("/payment/total"))?;
    let shipping = match body.shipping.as_ref().and_then(|s| s.value) {
        Some(value) => ctx.doc.reais(Some(value), || at("/shipping/value"))?,
        None => ctx.doc.reais(
            body.shipment.as_ref().and_then(|s| s.value),
            || at("/shipment/value"),
        )?,
    };
    let payment_method = match method_of(body) {
        Some(kind) => {
            let mut method = PaymentMethod::new(MethodShape::PerType, kind);
            match kind {
                PaymentMethodType::CreditCard => {
                    let card = raw.and_then(|p| p.credit_card.as_ref());
                    method.brand = text(card.and_then(|c| c.brand.clone()));
                    method.last_digits = last_digits(card);
                }
                PaymentMethodType::Boleto => {
                    let billet = raw.and_then(|p| p.billet.as_ref());
                    method.url = text(billet.and_then(|b| b.url.clone()));
                    method.digitable_line = text(billet.and_then(|b| b.line.clone()));
                    method.expiration_date = ctx.doc.time(
                        billet.and_then(|b| b.expiration_date.as_ref()),
                        || at("/payment/billet/expiration_date"),
                        |t| parse_iso8601(t, Some(BRASILIA_OFFSET_SECONDS)),
                    )?;
                }
                _ => {}
            }
            Some(method)
        }
        None => None,
    };
    Ok(Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: text(raw.and_then(|p| p.currency.clone())),
        total,
        total_products_value: None,
        discount_value: ctx
            .doc
            .reais(raw.and_then(|p| p.discount_value), || at("/payment/discount_value"))?,
        shipping_value: shipping,
        payment_method,
        coupons: Vec::new(),
    })
}

/// Guru signs nothing: every body echoes the account's `api_token`.
fn verify(request: &Request, secret: &[u8], policy: &Policy) -> Result<Checked, ConvertError> {
    echoed_in_body(
        request,
        &["api_token"],
        secret,
        policy,
        "api_token echoed in the body (weak: no replay protection)",
    )
}
