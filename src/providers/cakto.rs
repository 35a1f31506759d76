//! Cakto: `{secret, event, data}`, where `data` is one order or, in grouped
//! delivery, an array of the orders of one purchase (main offer, order bumps,
//! upsells). Field by field: `docs/providers/cakto.md`.

use super::common::{
    PhoneParts, RawAddress, conversion, conversion_keyed_by_buyer, last_four, order_status_of, phones, sum_cents,
    synthetic_id,
};
use super::one_pass::Present;
use super::{
    Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, event_in, in_one_pass,
};
use crate::auth::{Checked, Policy, Request, hmac_matches, signature_detail};
use hmac::Hmac;
use crate::error::{ConvertError, ErrorKind};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::time::{BRASILIA_OFFSET_SECONDS, parse_iso8601};
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde::de::value::MapAccessDeserializer;
use serde::de::{Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

type Str<'a> = Option<Cow<'a, str>>;

/// The body as the one-pass parse reads it: `data` typed in place.
#[derive(Debug, Deserialize)]
pub struct Root<'a> {
    #[serde(default, borrow)]
    data: Present<Items<'a>>,
}

/// `data`: one order, or the orders of a grouped delivery (`grouped`).
#[derive(Debug)]
struct Items<'a> {
    items: Vec<Item<'a>>,
    grouped: bool,
}

impl<'de: 'a, 'a> Deserialize<'de> for Items<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ItemsVisitor;
        impl<'de> Visitor<'de> for ItemsVisitor {
            type Value = Items<'de>;
            fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
                formatter.write_str("an order object or an array of them")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                let item = Item::deserialize(MapAccessDeserializer::new(map))?;
                Ok(Items {
                    items: vec![item],
                    grouped: false,
                })
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element_seed(crate::raw::ObjectSeed::default())? {
                    items.push(item);
                }
                // PHP's `[]` for an empty `data` object.
                if items.is_empty() {
                    return Ok(Items {
                        items: vec![crate::raw::ObjectSeed::default().visit_seq(seq)?],
                        grouped: false,
                    });
                }
                Ok(Items {
                    items,
                    grouped: true,
                })
            }
        }
        deserializer.deserialize_any(ItemsVisitor)
    }
}

/// `data` (or one item of it).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Item<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    ref_id: Option<Scalar<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    customer: Option<Customer<'a>>,
    /// Read for the buyer's country only: the documented Cakto format has no
    /// customer address.
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    address: Option<RawAddress<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    offer: Option<Offer<'a>>,
    /// The item's role in a grouped delivery (`main`, `orderbump`, `upsell`, …);
    /// it picks the item the order comes from, never the product's `offer_type`.
    #[serde(borrow, rename = "offer_type")]
    offer_type: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    product: Option<RawProduct<'a>>,
    #[serde(borrow)]
    checkout: Option<Scalar<'a>>,
    #[serde(borrow)]
    checkout_url: Str<'a>,
    /// The subscription this order is a charge of (`null` for a one-off purchase).
    #[serde(borrow)]
    subscription: Option<&'a RawValue>,
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    base_amount: Option<&'a RawValue>,
    #[serde(borrow)]
    discount: Option<&'a RawValue>,
    #[serde(borrow)]
    amount: Option<&'a RawValue>,
    #[serde(borrow)]
    payment_method: Str<'a>,
    #[serde(borrow)]
    created_at: Str<'a>,
    #[serde(borrow)]
    paid_at: Str<'a>,
    #[serde(borrow)]
    refunded_at: Str<'a>,
    #[serde(borrow)]
    canceled_at: Str<'a>,
    #[serde(borrow, rename = "due_date")]
    due_date: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    pix: Option<Pix<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    boleto: Option<Boleto<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    card: Option<Card<'a>>,
    // Boleto fields flat on `data`, as one integration lists them.
    #[serde(borrow)]
    barcode: Str<'a>,
    #[serde(borrow)]
    boleto_url: Str<'a>,
    #[serde(borrow, rename = "utm_source")]
    utm_source: Str<'a>,
    #[serde(borrow, rename = "utm_medium")]
    utm_medium: Str<'a>,
    #[serde(borrow, rename = "utm_campaign")]
    utm_campaign: Str<'a>,
    #[serde(borrow, rename = "utm_term")]
    utm_term: Str<'a>,
    #[serde(borrow, rename = "utm_content")]
    utm_content: Str<'a>,
    #[serde(borrow, rename = "sck")]
    sck: Str<'a>,
    // `checkout_abandonment` as third-party integrations observe it: flat buyer fields.
    #[serde(borrow)]
    customer_name: Str<'a>,
    #[serde(borrow)]
    customer_email: Str<'a>,
    #[serde(borrow)]
    customer_cellphone: Str<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Customer<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    doc_number: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct Offer<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    price: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct RawProduct<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    short_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow, rename = "type")]
    kind: Str<'a>,
}

/// `data.subscription`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawSubscription<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow, rename = "current_period")]
    current_period: Option<&'a RawValue>,
    #[serde(borrow, rename = "paid_payments_quantity")]
    paid_payments_quantity: Option<&'a RawValue>,
    #[serde(borrow, rename = "next_payment_date")]
    next_payment_date: Str<'a>,
    #[serde(borrow)]
    created_at: Str<'a>,
    #[serde(borrow)]
    updated_at: Str<'a>,
    #[serde(borrow)]
    canceled_at: Str<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pix<'a> {
    #[serde(borrow)]
    qr_code: Str<'a>,
    #[serde(borrow)]
    expiration_date: Str<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Boleto<'a> {
    #[serde(borrow)]
    barcode: Str<'a>,
    #[serde(borrow)]
    boleto_url: Str<'a>,
    #[serde(borrow)]
    expiration_date: Str<'a>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Card<'a> {
    #[serde(borrow)]
    last_digits: Option<Scalar<'a>>,
    #[serde(borrow)]
    brand: Str<'a>,
}

/// Everything about Cakto.
pub static SPEC: Spec = Spec {
    name: "cakto",
    title: "Cakto",
    looked_for: "{secret, event, data}",
    first_keys: &["secret"],
    events: EVENTS,
    top_keys: &[("secret", Keep::Text), ("event", Keep::Text), ("data", Keep::Presence)],
    docs: include_str!("../../docs/providers/cakto.md"),
    scheme: "HMAC-SHA256 of timestamp.body (X-Cakto-Signature), or the secret echoed in the body with --allow-echoed-secret",
    secret: "the webhook's secret",
    secret_headers: &["x-cakto-signature"],
    secret_fields: &["secret"],
    total_may_hold_unlisted_fees: false,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// The raw events with a normalized counterpart, with the unofficial aliases
/// third-party write-ups use.
const EVENTS: EventTable = &[
    ("purchase_approved", EventName::OrderPaid),
    ("purchase.approved", EventName::OrderPaid),
    ("pix_gerado", EventName::OrderWaitingPaymentPix),
    ("pix_generated", EventName::OrderWaitingPaymentPix),
    ("boleto_gerado", EventName::OrderWaitingPaymentBoleto),
    ("boleto_generated", EventName::OrderWaitingPaymentBoleto),
    ("purchase_refused", EventName::OrderFailed),
    ("refund", EventName::OrderRefunded),
    ("purchase_refunded", EventName::OrderRefunded),
    ("chargeback", EventName::OrderDisputed),
    ("checkout_abandonment", EventName::CheckoutAbandoned),
    ("subscription_created", EventName::SubscriptionActive),
    ("subscription_renewed", EventName::SubscriptionActive),
    ("subscription_renewal_refused", EventName::SubscriptionPastDue),
    ("subscription_canceled", EventName::SubscriptionCanceled),
];

fn event_of(raw: &str) -> Option<(EventName, Option<OrderStatus>)> {
    event_in(EVENTS, raw).map(|event| (event, order_status_of(event)))
}

/// A waiting payment's event takes its method's suffix, whatever the raw event's
/// name: a card payment in review gives `order.waiting_payment.credit_card`.
fn with_method(name: EventName, status: Option<OrderStatus>, method: Option<&str>) -> EventName {
    match method_type(method) {
        Some(kind) if status == Some(OrderStatus::WaitingPayment) => {
            name.without_method().with_method(Some(kind))
        }
        _ => name,
    }
}

/// `data.paymentMethod`, for the methods the format has a shape for.
fn method_type(method: Option<&str>) -> Option<PaymentMethodType> {
    Some(match method?.trim() {
        "pix" => PaymentMethodType::Pix,
        "credit_card" => PaymentMethodType::CreditCard,
        "boleto" => PaymentMethodType::Boleto,
        _ => return None,
    })
}

fn raw_event<'a>(ctx: &Context<'a, '_>) -> Result<Cow<'a, str>, ConvertError> {
    ctx.raw_event()?.ok_or_else(|| {
        ConvertError::missing(ctx.pointer("/event"), "the Cakto event name (a string)")
    })
}

/// The raw event and its normalized event; of `data`, only the main item's
/// payment method is read (it decides a waiting payment's suffix).
fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    #[derive(Deserialize)]
    struct MethodOnly<'a> {
        #[serde(borrow, rename = "paymentMethod")]
        payment_method: Str<'a>,
        #[serde(borrow, rename = "offer_type")]
        offer_type: Str<'a>,
        #[serde(borrow)]
        subscription: Option<&'a RawValue>,
    }
    let raw_event = raw_event(ctx)?;
    let event = event_of(raw_event.trim()).map(|(name, status)| {
        // Not an untagged enum: a buffered value cannot hold `RawValue`s.
        let items: Vec<MethodOnly> = match ctx.top.get("data").map(|raw| raw.get()) {
            Some(text) if text.starts_with('[') => serde_json::from_str(text).unwrap_or_default(),
            Some(text) => serde_json::from_str(text).map(|item| vec![item]).unwrap_or_default(),
            None => Vec::new(),
        };
        let main = items
            .iter()
            .find(|item| item.offer_type.as_deref() == Some("main"))
            .or(items.first());
        let method = main.and_then(|item| item.payment_method.as_deref());
        let charge_of_subscription = main.is_some_and(|item| has_subscription(item.subscription));
        family_event(with_method(name, status, method), charge_of_subscription)
    });
    Ok(Identified {
        raw_event: raw_event.into_owned(),
        event,
    })
}

/// Whether an order names the subscription it is a charge of.
fn has_subscription(raw: Option<&RawValue>) -> bool {
    raw.is_some_and(|raw| !matches!(raw.get().trim(), "null" | "\"\"" | "[]" | "{}"))
}

/// An order event's charge of a subscription is `subscription_transaction.*`,
/// without the payment method's suffix (Cakto's page lists `waiting_payment` alone).
fn family_event(name: EventName, charge_of_subscription: bool) -> EventName {
    match name.as_subscription_transaction() {
        Some(transaction) if charge_of_subscription => transaction.without_method(),
        _ => name,
    }
}

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    // A body that also has Hotmart's keys matches both: refused as ambiguous.
    (top.get("secret").is_some() && top.get("event").is_some() && top.get("data").is_some())
        .then(|| vec!["secret", "event", "data"])
}

/// Converts a Cakto body; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Root<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let raw_event = raw_event(ctx)?;
    let name = SPEC.event_of(&raw_event, || ctx.pointer("/event"))?;
    let status = order_status_of(name);
    let (items, grouped) = match root.map(|root| root.data) {
        Some(Present::Here(Items { items, grouped })) => (items, grouped),
        _ => {
            let data = ctx.top.get("data").ok_or_else(|| {
                ConvertError::missing(
                    ctx.pointer("/data"),
                    "the order object (or an array of them)",
                )
            })?;
            parse_items(ctx, data)?
        }
    };
    let main_index = items
        .iter()
        .position(|item| item.offer_type.as_deref() == Some("main"))
        .unwrap_or(0);
    let Some(main) = items.get(main_index) else {
        return Err(ConvertError::missing(
            ctx.pointer("/data/0"),
            "at least one order in the grouped delivery",
        ));
    };
    let at = |index: usize, field: &str| -> String {
        if grouped {
            ctx.pointer(&format!("/data/{index}{field}"))
        } else {
            ctx.pointer(&format!("/data{field}"))
        }
    };

    let name = with_method(name, status, main.payment_method.as_deref());

    let customer = customer(main);
    let products = items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| product(ctx, item, &|field| at(index, field)).transpose())
        .collect::<Result<Vec<_>, _>>()?;
    let payment = payment(
        ctx,
        &items,
        main,
        &|index, field| at(index, field),
        main_index,
    )?;
    let checkout = Checkout {
        id: scalar_text(main.checkout.clone()),
        url: text(main.checkout_url.clone()),
    };
    let lead_tracking = LeadTracking {
        sck: text(main.sck.clone()),
        utm_source: text(main.utm_source.clone()),
        utm_campaign: text(main.utm_campaign.clone()),
        utm_medium: text(main.utm_medium.clone()),
        utm_content: text(main.utm_content.clone()),
        utm_term: text(main.utm_term.clone()),
        ..LeadTracking::default()
    };

    if let Some(subscription_status) = name.subscription_status() {
        let subscription = subscription(ctx, main, Some(subscription_status), &|field| {
            at(main_index, field)
        })?;
        let id = charge_key(&subscription, main, &|field| at(main_index, field))?;
        let payload = Payload::Subscription(Box::new(SubscriptionPayload {
            customer,
            subscription,
            products: plans(products),
            charge: Charge,
            payment,
        }));
        return Ok(conversion(SPEC.name, name, &id, payload));
    }
    let Some(status) = status else {
        let id = abandonment_id(main);
        let payload = Payload::Checkout(Box::new(CheckoutPayload {
            customer,
            checkout,
            payment,
            shipping: Shipping::default(),
            products,
            lead_tracking,
        }));
        return Ok(conversion_keyed_by_buyer(SPEC.name, name, &id, payload));
    };
    let time = |value: &Str<'a>, field: &str| {
        ctx.doc.time(
            value.as_ref(),
            || at(main_index, field),
            |t| parse_iso8601(t, None),
        )
    };
    let order = Order {
        id: order_reference(main),
        status: Some(status),
        raw_status: text(main.status.clone()),
        created_at: time(&main.created_at, "/createdAt")?,
        updated_at: None,
        paid_at: time(&main.paid_at, "/paidAt")?,
        warranty_until: None,
        canceled_at: time(&main.canceled_at, "/canceledAt")?,
        refunded_at: time(&main.refunded_at, "/refundedAt")?,
    };
    let order = OrderPayload {
        customer,
        order,
        checkout,
        payment,
        shipping: Shipping::default(),
        products,
        lead_tracking,
    };
    if has_subscription(main.subscription) {
        let subscription = subscription(ctx, main, None, &|field| at(main_index, field))?;
        let id = charge_key(&subscription, main, &|field| at(main_index, field))?;
        let name = family_event(name, true);
        let payload = Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription)));
        return Ok(conversion(SPEC.name, name, &id, payload));
    }
    let id = order_id(main, &|field| at(main_index, field))?;
    Ok(conversion(SPEC.name, name, &id, Payload::Order(Box::new(order))))
}

fn order_id<'a>(main: &Item<'a>, at: &dyn Fn(&str) -> String) -> Result<Cow<'a, str>, ConvertError> {
    order_reference(main)
        .ok_or_else(|| ConvertError::missing(at("/id"), "the order id (a string; else refId)"))
}

/// The order's id, else its `refId` (the short reference Cakto shows the buyer):
/// hand-made and trimmed bodies seen in practice carry only the latter.
fn order_reference<'a>(main: &Item<'a>) -> Option<Cow<'a, str>> {
    scalar_text(main.id.clone()).or_else(|| scalar_text(main.ref_id.clone()))
}

/// A change of a subscription, or one of its charges, is known by the
/// subscription and the order the body carries (each charge is an order of its own).
fn charge_key(
    subscription: &Subscription,
    main: &Item,
    at: &dyn Fn(&str) -> String,
) -> Result<String, ConvertError> {
    let order = order_id(main, at)?;
    let id = subscription.id.as_deref().unwrap_or_default();
    Ok(format!("{id}:{order}"))
}

/// `subscription.status` from Cakto's `data.subscription.status`.
fn subscription_status_of(raw: &str) -> Option<SubscriptionStatus> {
    use SubscriptionStatus::*;
    Some(match raw.trim() {
        "active" => Active,
        "canceled" | "cancelled" => Canceled,
        "trial" => Trial,
        "past_due" => PastDue,
        "paused" => Paused,
        "completed" => Completed,
        _ => return None,
    })
}

/// The subscription of `main`; its status is the event's for a change of the
/// subscription's state (`announced`), else the body's.
fn subscription<'a>(
    ctx: &Context<'a, '_>,
    main: &Item<'a>,
    announced: Option<SubscriptionStatus>,
    at: &dyn Fn(&str) -> String,
) -> Result<Subscription<'a>, ConvertError> {
    let raw = main.subscription.filter(|raw| has_subscription(Some(raw))).ok_or_else(|| {
        ConvertError::missing(at("/subscription"), "the subscription (an object)")
    })?;
    // Some deliveries name the subscription by its id alone.
    let raw: RawSubscription<'a> = match raw.get().as_bytes().first() {
        Some(b'{') => ctx.doc.parse_at(raw.get(), || at("/subscription"))?,
        _ => RawSubscription {
            id: Some(ctx.doc.parse_at(raw.get(), || at("/subscription"))?),
            ..RawSubscription::default()
        },
    };
    let id = scalar_text(raw.id.clone()).ok_or_else(|| {
        ConvertError::missing(at("/subscription/id"), "the subscription id (a string)")
    })?;
    let status = match (announced, raw.status.as_deref()) {
        (Some(status), _) => Some(status),
        (None, None) => None,
        (None, Some(sent)) => Some(subscription_status_of(sent).ok_or_else(|| {
            ctx.doc.at(
                sent,
                ConvertError::invalid(
                    at("/subscription/status"),
                    "a Cakto subscription status (active, canceled, trial, past_due, paused, completed)",
                    &format!("{sent:?}"),
                ),
            )
        })?),
    };
    let time = |value: &Str<'a>, field: &str| {
        ctx.doc.time(
            value.as_ref(),
            || at(&format!("/subscription{field}")),
            |t| parse_iso8601(t, None),
        )
    };
    let name = text(main.offer.as_ref().and_then(|o| o.name.clone()))
        .or_else(|| text(main.product.as_ref().and_then(|p| p.name.clone())));
    Ok(Subscription {
        id: Some(id),
        name,
        status,
        created_at: time(&raw.created_at, "/createdAt")?,
        updated_at: time(&raw.updated_at, "/updatedAt")?,
        canceled_at: time(&raw.canceled_at, "/canceledAt")?,
        charged_times: ctx.doc.count(raw.paid_payments_quantity, || {
            at("/subscription/paid_payments_quantity")
        })?,
        cancellation_reason: None,
        current_cycle: ctx
            .doc
            .count(raw.current_period, || at("/subscription/current_period"))?,
        current_cycle_start: None,
        current_cycle_end: time(&raw.next_payment_date, "/next_payment_date")?,
    })
}

fn parse_items<'a>(
    ctx: &Context<'a, '_>,
    data: &'a RawValue,
) -> Result<(Vec<Item<'a>>, bool), ConvertError> {
    let pointer = ctx.pointer("/data");
    match data.get().as_bytes().first() {
        Some(b'[') => ctx
            .doc
            .parse(data.get(), &pointer)
            .map(|items| (items, true)),
        Some(b'{') => ctx
            .doc
            .parse(data.get(), &pointer)
            .map(|item| (vec![item], false)),
        _ => Err(ctx.doc.at(
            data.get(),
            ConvertError::new(
                ErrorKind::WrongType,
                pointer,
                "an order object or an array of them",
            )
            .found(crate::raw::describe(data.get())),
        )),
    }
}

fn customer<'a>(main: &Item<'a>) -> crate::model::Customer<'a> {
    let buyer = main.customer.as_ref();
    let phone = buyer.and_then(|c| c.phone.as_ref()).map(|p| p.0.as_ref());
    let cellphone = main.customer_cellphone.as_deref();
    crate::model::Customer {
        id: None,
        name: text(
            buyer
                .and_then(|c| c.name.clone())
                .or_else(|| main.customer_name.clone()),
        ),
        email: text(
            buyer
                .and_then(|c| c.email.clone())
                .or_else(|| main.customer_email.clone()),
        ),
        document: buyer
            .and_then(|c| c.doc_number.as_ref())
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(
            &[phone.or(cellphone)],
            main.address.as_ref().and_then(RawAddress::country),
            PhoneParts::default(),
        ),
        // Always the object of nulls, even when Cakto sends `data.address`: the
        // documented Cakto format has no customer address.
        address: Some(Address::empty(AddressLayout::Full)),
    }
}

/// One product per item; an item with neither a product nor an offer gives none.
fn product<'a>(
    ctx: &Context<'a, '_>,
    item: &Item<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Option<Product<'a>>, ConvertError> {
    let raw_product = item.product.as_ref();
    let offer = item.offer.as_ref();
    if raw_product.is_none() && offer.is_none() {
        return Ok(None);
    }
    // Quantity is always one: the offer's price is both the unit and the total value.
    let offer_price = ctx
        .doc
        .reais(offer.and_then(|o| o.price), || at("/offer/price"))?;
    Ok(Some(Product {
        layout: ProductLayout::OfferTypeLast,
        id: scalar_text(raw_product.and_then(|p| p.id.clone()))
            .or_else(|| scalar_text(raw_product.and_then(|p| p.short_id.clone())))
            .or_else(|| scalar_text(offer.and_then(|o| o.id.clone()))),
        name: text(raw_product.and_then(|p| p.name.clone()))
            .or_else(|| text(offer.and_then(|o| o.name.clone()))),
        kind: match raw_product.and_then(|p| p.kind.as_deref()) {
            Some("subscription") => ProductType::SubscriptionPlan,
            _ => ProductType::Product,
        },
        quantity: None,
        unit_value: offer_price,
        total_value: offer_price,
        image_url: None,
        offer_type: OfferType::Main,
    }))
}

fn payment<'a>(
    ctx: &Context<'a, '_>,
    items: &[Item<'a>],
    main: &Item<'a>,
    at: &dyn Fn(usize, &str) -> String,
    main_index: usize,
) -> Result<Payment<'a>, ConvertError> {
    let read = |index: usize, raw: Option<&'a RawValue>, field: &str| {
        ctx.doc.reais(raw, || at(index, field))
    };
    let mut totals = [Vec::new(), Vec::new(), Vec::new()];
    for (index, item) in items.iter().enumerate() {
        totals[0].push(read(index, item.amount, "/amount")?);
        totals[1].push(read(index, item.base_amount, "/baseAmount")?);
        totals[2].push(read(index, item.discount, "/discount")?);
    }
    let [amounts, bases, discounts] = totals;
    Ok(Payment {
        layout: PaymentLayout::ProductsValueFirst,
        currency: Some(Cow::Borrowed("BRL")),
        total: sum_cents(amounts, || at(main_index, "/amount"))?,
        total_products_value: sum_cents(bases, || at(main_index, "/baseAmount"))?,
        discount_value: sum_cents(discounts, || at(main_index, "/discount"))?,
        shipping_value: None,
        payment_method: payment_method(ctx, main, &|field| at(main_index, field))?,
        coupons: Vec::new(),
    })
}

fn payment_method<'a>(
    ctx: &Context<'a, '_>,
    item: &Item<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Option<PaymentMethod<'a>>, ConvertError> {
    let Some(kind) = method_type(item.payment_method.as_deref()) else {
        return Ok(None);
    };
    let mut method = PaymentMethod::new(MethodShape::PerType, kind);
    match kind {
        PaymentMethodType::Pix => {
            let pix = item.pix.as_ref();
            method.qrcode_signature = text(pix.and_then(|p| p.qr_code.clone()));
            method.expiration_date = ctx.doc.time(
                pix.and_then(|p| p.expiration_date.as_ref()),
                || at("/pix/expirationDate"),
                |t| parse_iso8601(t, None),
            )?;
        }
        PaymentMethodType::CreditCard => {
            let card = item.card.as_ref();
            method.brand = text(card.and_then(|c| c.brand.clone()));
            method.last_digits = last_four(scalar_text(card.and_then(|c| c.last_digits.clone())));
        }
        _ => {
            let boleto = item.boleto.as_ref();
            method.digitable_line = text(
                boleto
                    .and_then(|b| b.barcode.clone())
                    .or_else(|| item.barcode.clone()),
            );
            method.url = text(
                boleto
                    .and_then(|b| b.boleto_url.clone())
                    .or_else(|| item.boleto_url.clone()),
            );
            // A due date without a time is midnight in Brasília.
            let (value, field) = match boleto.and_then(|b| b.expiration_date.as_ref()) {
                Some(date) => (Some(date), "/boleto/expirationDate"),
                None => (item.due_date.as_ref(), "/due_date"),
            };
            method.expiration_date = ctx.doc.time(
                value,
                || at(field),
                |t| parse_iso8601(t, Some(BRASILIA_OFFSET_SECONDS)),
            )?;
        }
    }
    Ok(Some(method))
}

/// An abandoned checkout carries no id: the key is derived from what identifies
/// the attempt (offer, buyer, time).
fn abandonment_id(main: &Item) -> String {
    let buyer = main.customer.as_ref();
    let email = buyer
        .and_then(|c| c.email.as_deref())
        .or(main.customer_email.as_deref());
    let phone = buyer
        .and_then(|c| c.phone.as_ref())
        .map(|p| p.0.as_ref())
        .or(main.customer_cellphone.as_deref());
    let offer = main
        .offer
        .as_ref()
        .and_then(|o| o.id.as_ref())
        .map(|id| id.0.as_ref());
    synthetic_id(&[
        offer.unwrap_or(""),
        email.unwrap_or(""),
        phone.unwrap_or(""),
        main.checkout_url.as_deref().unwrap_or("").trim(),
        main.created_at.as_deref().unwrap_or(""),
    ])
}

/// Cakto: `X-Cakto-Signature: v1=<hex>` = HMAC-SHA256 of `"{timestamp}.{raw body}"`
/// with `X-Cakto-Timestamp`, when those headers are present; otherwise the
/// `secret` the body echoes.
fn verify(request: &Request, secret: &[u8], options: &Policy) -> Result<Checked, ConvertError> {
    if let Some(header) = request.header("x-cakto-signature") {
        let signature = header.strip_prefix("v1=").unwrap_or(header);
        let timestamp = request.header("x-cakto-timestamp").ok_or_else(|| {
            ConvertError::missing(
                "",
                "the X-Cakto-Timestamp header that X-Cakto-Signature signs",
            )
        })?;
        let seconds: i64 = timestamp.parse().map_err(|_| {
            ConvertError::invalid("", "X-Cakto-Timestamp in epoch seconds", timestamp)
        })?;
        let raw = request.raw()?;
        let scheme = "HMAC-SHA256 of timestamp.body (X-Cakto-Signature)";
        if !hmac_matches::<Hmac<sha2::Sha256>>(
            secret,
            &[timestamp.as_bytes(), b".", raw],
            signature,
        ) {
            return Ok(Checked::new(false, scheme, signature_detail(false)));
        }
        let age = options.now.saturating_sub(seconds);
        if age.unsigned_abs() > options.tolerance {
            let when = if age >= 0 { "old" } else { "in the future" };
            return Ok(Checked::new(
                false,
                scheme,
                format!(
                    "the signature matches, but its timestamp is {} s {when}, beyond the tolerance of {} s: a replay?",
                    age.unsigned_abs(),
                    options.tolerance
                ),
            ));
        }
        return Ok(Checked::new(
            true,
            scheme,
            format!("signature matches; timestamp {age} s old"),
        ));
    }
    let echoed = request.body_text("secret").ok_or_else(|| {
        ConvertError::missing(
            "/secret",
            "the secret Cakto echoes in the body, or the X-Cakto-Signature header",
        )
    })?;
    let scheme = "secret echoed in the body (weak: no replay protection)";
    if !options.allow_echoed_secret {
        return Ok(Checked::new(
            false,
            scheme,
            "the request has no X-Cakto-Signature, and the echoed secret alone proves nothing against a replay \
             (nor against a signed request whose headers were removed): accept it with --allow-echoed-secret"
                .to_owned(),
        ));
    }
    Ok(Checked::token(echoed, secret, scheme))
}
