//! Kiwify: the flat order object (optionally wrapped as `{"order": {...}}`), and
//! the different abandoned-cart body. Field by field: `docs/providers/kiwify.md`.

use super::common::{AddressParts, PhoneParts, Utm, conversion, last_four, phones};
use super::{
    Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, event_in, in_one_pass,
};
use crate::auth::{Checked, Policy, Request, hmac_matches, signature_detail};
use hmac::Hmac;
use crate::error::{ConvertError, ErrorKind};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::time::parse_brazil_local;
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
    order_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    order_status: Str<'a>,
    #[serde(borrow)]
    payment_method: Str<'a>,
    #[serde(borrow)]
    card_type: Str<'a>,
    #[serde(borrow)]
    card_last4digits: Option<Scalar<'a>>,
    #[serde(borrow, rename = "boleto_URL")]
    boleto_url: Str<'a>,
    #[serde(borrow)]
    boleto_barcode: Str<'a>,
    #[serde(borrow)]
    boleto_expiry_date: Str<'a>,
    #[serde(borrow)]
    pix_code: Str<'a>,
    #[serde(borrow)]
    pix_expiration: Str<'a>,
    #[serde(borrow)]
    created_at: Str<'a>,
    #[serde(borrow)]
    updated_at: Str<'a>,
    #[serde(borrow)]
    approved_date: Str<'a>,
    #[serde(borrow)]
    refunded_at: Str<'a>,
    #[serde(borrow)]
    webhook_event_type: Str<'a>,
    #[serde(borrow, rename = "Product", default, deserialize_with = "crate::raw::object_or_empty")]
    product: Option<RawProduct<'a>>,
    #[serde(borrow, rename = "Customer", default, deserialize_with = "crate::raw::object_or_empty")]
    customer: Option<RawCustomer<'a>>,
    #[serde(borrow, rename = "Commissions", default, deserialize_with = "crate::raw::object_or_empty")]
    commissions: Option<Commissions<'a>>,
    #[serde(borrow, rename = "TrackingParameters", default, deserialize_with = "crate::raw::object_or_empty")]
    tracking: Option<Utm<'a>>,
    #[serde(borrow, rename = "Subscription")]
    subscription: Option<&'a RawValue>,
    #[serde(borrow)]
    subscription_id: Option<Scalar<'a>>,
}

/// `Subscription`.
#[derive(Debug, Deserialize)]
struct RawSubscription<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    start_date: Str<'a>,
    #[serde(borrow)]
    next_payment: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    plan: Option<Plan<'a>>,
    #[serde(default, deserialize_with = "crate::raw::object_or_empty")]
    charges: Option<Charges>,
}

#[derive(Debug, Deserialize)]
struct Plan<'a> {
    #[serde(borrow)]
    name: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Charges {
    completed: Option<Vec<serde::de::IgnoredAny>>,
}

#[derive(Debug, Deserialize)]
struct RawProduct<'a> {
    #[serde(borrow)]
    product_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    product_name: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawCustomer<'a> {
    #[serde(borrow)]
    full_name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    mobile: Option<Scalar<'a>>,
    #[serde(borrow, rename = "CPF")]
    cpf: Option<Scalar<'a>>,
    #[serde(borrow)]
    cnpj: Option<Scalar<'a>>,
    #[serde(borrow)]
    ip: Str<'a>,
    #[serde(borrow)]
    country: Str<'a>,
    #[serde(borrow)]
    street: Str<'a>,
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
    zipcode: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct Commissions<'a> {
    #[serde(borrow)]
    charge_amount: Option<&'a RawValue>,
    #[serde(borrow)]
    product_base_price: Option<&'a RawValue>,
    #[serde(borrow)]
    currency: Str<'a>,
}

/// The abandoned-cart body: flat, no `webhook_event_type`, `status: "abandoned"`.
#[derive(Debug, Deserialize)]
struct AbandonedCart<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    checkout_link: Str<'a>,
    #[serde(borrow)]
    country: Str<'a>,
    #[serde(borrow)]
    cpf: Option<Scalar<'a>>,
    #[serde(borrow)]
    cnpj: Option<Scalar<'a>>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    phone: Option<Scalar<'a>>,
    #[serde(borrow)]
    product_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    product_name: Str<'a>,
    #[serde(borrow)]
    subscription_plan: Str<'a>,
}

/// Everything about Kiwify.
pub static SPEC: Spec = Spec {
    name: "kiwify",
    title: "Kiwify",
    looked_for: "{order_id, webhook_event_type} or its abandoned cart {status: \"abandoned\", checkout_link}",
    first_keys: &["order_id", "webhook_event_type"],
    events: EVENTS,
    top_keys: &[
        ("order_id", Keep::Text),
        ("webhook_event_type", Keep::Text),
        ("status", Keep::Text),
        ("checkout_link", Keep::Text),
        ("Customer", Keep::Presence),
        ("Commissions", Keep::Presence),
        // The `{"order": {...}}` wrapper: unwrapped by the general path.
        ("order", Keep::Nothing),
    ],
    docs: include_str!("../../docs/providers/kiwify.md"),
    scheme: "HMAC-SHA1 of the body (signature query parameter)",
    secret: "the webhook token",
    secret_headers: &["x-kiwify-signature"],
    secret_fields: &["signature"],
    total_may_hold_unlisted_fees: false,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// `webhook_event_type` (and the Portuguese trigger names some tests send) →
/// normalized event. An abandoned cart is known by its shape, not an event.
const EVENTS: EventTable = &[
    ("order_approved", EventName::OrderPaid),
    ("compra_aprovada", EventName::OrderPaid),
    ("billet_created", EventName::OrderWaitingPayment),
    ("boleto_gerado", EventName::OrderWaitingPayment),
    ("pix_created", EventName::OrderWaitingPayment),
    ("pix_gerado", EventName::OrderWaitingPayment),
    ("waiting_payment", EventName::OrderWaitingPayment),
    ("order_rejected", EventName::OrderFailed),
    ("compra_recusada", EventName::OrderFailed),
    ("order_refunded", EventName::OrderRefunded),
    ("compra_reembolsada", EventName::OrderRefunded),
    ("chargeback", EventName::OrderDisputed),
    ("subscription_renewed", EventName::SubscriptionActive),
    ("subscription_late", EventName::SubscriptionPastDue),
    ("subscription_canceled", EventName::SubscriptionCanceled),
];

/// `order_status` → `order.status`.
fn status_of(raw: &str) -> Option<OrderStatus> {
    Some(match raw {
        "paid" => OrderStatus::Paid,
        "waiting_payment" => OrderStatus::WaitingPayment,
        "refused" => OrderStatus::Failed,
        "refunded" => OrderStatus::Refunded,
        "chargedback" => OrderStatus::Disputed,
        _ => return None,
    })
}

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    if top.get("order_id").is_some()
        && (top.get("webhook_event_type").is_some() || top.get("Customer").is_some() || top.get("Commissions").is_some())
    {
        let present = [
            ("webhook_event_type", top.get("webhook_event_type").is_some()),
            ("Customer", top.get("Customer").is_some()),
            ("Commissions", top.get("Commissions").is_some()),
        ];
        let mut keys = vec!["order_id"];
        keys.extend(
            present
                .iter()
                .filter(|(_, here)| *here)
                .map(|(key, _)| *key),
        );
        return Some(keys);
    }
    if wrapped_order(top).is_some() {
        return Some(vec!["order", "order.order_id"]);
    }
    let abandoned = top.get("status").is_some_and(|s| s.get() == "\"abandoned\"");
    (abandoned && top.get("checkout_link").is_some() && top.get("webhook_event_type").is_none())
        .then(|| vec!["status: \"abandoned\"", "checkout_link"])
}

/// For detection: the `order` of a `{"order": {...}}` wrapper, when it holds a Kiwify order.
fn wrapped_order<'a>(top: &TopLevel<'a>) -> Option<&'a RawValue> {
    let order = top.get("order")?;
    if !order.get().starts_with('{') {
        return None;
    }
    let inner: TopLevel = serde_json::from_str(order.get()).ok()?;
    inner.get("order_id").is_some().then_some(order)
}

/// Converts a Kiwify body; `root` is its one-pass parse as an order, when there was one.
/// The three shapes a Kiwify body comes in.
enum Shape<'a> {
    AbandonedCart,
    /// `{"order": {...}}`: the order's text.
    Wrapped(&'a str),
    Flat,
}

fn shape<'a>(ctx: &Context<'a, '_>) -> Shape<'a> {
    if ctx.top.get("order_id").is_none() && ctx.top.get("webhook_event_type").is_none() {
        if ctx.top.get("status").is_some_and(|s| s.get() == "\"abandoned\"") {
            return Shape::AbandonedCart;
        }
        if let Some(order) = ctx.top.get("order").filter(|o| o.get().starts_with('{')) {
            return Shape::Wrapped(order.get());
        }
    }
    Shape::Flat
}

/// The raw event (`webhook_event_type`, or `--event`) and its normalized event;
/// nothing else of the body is read.
fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    #[derive(Deserialize)]
    struct EventOnly<'a> {
        #[serde(borrow)]
        webhook_event_type: Str<'a>,
        #[serde(borrow)]
        subscription_id: Option<&'a RawValue>,
    }
    let (text, prefix) = match shape(ctx) {
        Shape::AbandonedCart => {
            return Ok(Identified {
                raw_event: ABANDONED.to_owned(),
                event: Some(EventName::CheckoutAbandoned),
            });
        }
        Shape::Wrapped(order) => (order, ctx.pointer("/order")),
        Shape::Flat => (ctx.body, ctx.body_pointer.to_owned()),
    };
    let body = ctx.doc.parse::<EventOnly>(text, &prefix)?;
    let raw_event = match ctx.event {
        Some(event) => event.to_owned(),
        None => body
            .webhook_event_type
            .ok_or_else(|| {
                ConvertError::missing(
                    format!("{prefix}/webhook_event_type"),
                    "the Kiwify event name (a string)",
                )
            })?
            .into_owned(),
    };
    let charge_of_subscription = names_subscription(body.subscription_id);
    Ok(Identified {
        event: event_in(EVENTS, raw_event.trim()).map(|name| family_event(name, charge_of_subscription)),
        raw_event,
    })
}

/// Whether an order names its subscription (`subscription_id` not null): then
/// it is a charge of that subscription.
fn names_subscription(id: Option<&RawValue>) -> bool {
    id.is_some_and(|id| id.get() != "null" && id.get() != "\"\"")
}

/// An order event's charge of a subscription is `subscription_transaction.*`.
fn family_event(name: EventName, charge_of_subscription: bool) -> EventName {
    match name.as_subscription_transaction() {
        Some(transaction) if charge_of_subscription => transaction,
        _ => name,
    }
}

/// `Subscription.status` → `subscription.status`.
fn subscription_status_of(raw: &str) -> Option<SubscriptionStatus> {
    Some(match raw.trim() {
        "active" => SubscriptionStatus::Active,
        "late" | "waiting_payment" => SubscriptionStatus::PastDue,
        "canceled" => SubscriptionStatus::Canceled,
        _ => return None,
    })
}

/// The raw event `detect` reports for the abandoned-cart body, which names none.
const ABANDONED: &str = "abandoned";

pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<RawOrder<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    match shape(ctx) {
        Shape::AbandonedCart => convert_abandoned_cart(ctx),
        // The wrapper: the order's own parse is the only one it needs.
        Shape::Wrapped(order) => convert_order(ctx, order, &ctx.pointer("/order"), None),
        Shape::Flat => convert_order(ctx, ctx.body, ctx.body_pointer, root),
    }
}

fn convert_order<'a>(
    ctx: &Context<'a, '_>,
    body: &'a str,
    prefix: &str,
    parsed: Option<RawOrder<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let at = |field: &str| format!("{prefix}{field}");
    let raw: RawOrder<'a> = match parsed {
        Some(raw) => raw,
        None => ctx.doc.parse(body, prefix)?,
    };
    let raw_event = match ctx.event {
        Some(event) => Cow::Owned(event.to_owned()),
        None => raw.webhook_event_type.clone().ok_or_else(|| {
            ConvertError::missing(
                at("/webhook_event_type"),
                "the Kiwify event name (a string)",
            )
        })?,
    };
    let name = SPEC.event_of(&raw_event, || at("/webhook_event_type"))?;
    let id = scalar_text(raw.order_id.clone())
        .ok_or_else(|| ConvertError::missing(at("/order_id"), "the order id (a string)"))?;
    let time = |value: &Str<'a>, field: &str| {
        ctx.doc
            .time(value.as_ref(), || at(field), parse_brazil_local)
    };

    let raw_customer = raw.customer.as_ref();
    let customer = Customer {
        id: None,
        name: text(raw_customer.and_then(|c| c.full_name.clone())),
        email: text(raw_customer.and_then(|c| c.email.clone())),
        document: raw_customer
            .and_then(|c| c.cpf.as_ref().or(c.cnpj.as_ref()))
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(
            &[raw_customer
                .and_then(|c| c.mobile.as_ref())
                .map(|m| m.0.as_ref())],
            raw_customer.and_then(|c| c.country.as_deref()),
            PhoneParts::default(),
        ),
        address: Some(customer_address(raw_customer)),
    };
    let order = Order {
        id: Some(Cow::Owned(id.to_string())),
        status: raw
            .order_status
            .as_deref()
            .and_then(|s| status_of(s.trim())),
        raw_status: text(raw.order_status.clone()),
        created_at: time(&raw.created_at, "/created_at")?,
        updated_at: time(&raw.updated_at, "/updated_at")?,
        paid_at: time(&raw.approved_date, "/approved_date")?,
        warranty_until: None,
        canceled_at: None,
        refunded_at: time(&raw.refunded_at, "/refunded_at")?,
    };
    let commissions = raw.commissions.as_ref();
    let total = ctx
        .doc
        .cents(commissions.and_then(|c| c.charge_amount), || {
            at("/Commissions/charge_amount")
        })?;
    let base_price = ctx
        .doc
        .cents(commissions.and_then(|c| c.product_base_price), || {
            at("/Commissions/product_base_price")
        })?;
    let payment = Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: text(commissions.and_then(|c| c.currency.clone())).or(Some(Cow::Borrowed("BRL"))),
        total,
        total_products_value: base_price,
        discount_value: None,
        shipping_value: None,
        payment_method: payment_method(ctx, &raw, &at)?,
        coupons: Vec::new(),
    };
    let raw_product = raw.product.as_ref();
    let subscription_id = scalar_text(raw.subscription_id.clone());
    let plan = subscription_id.is_some() || raw.subscription.is_some_and(|s| s.get() != "null");
    let product = Product {
        layout: ProductLayout::OfferTypeAfterType,
        id: scalar_text(raw_product.and_then(|p| p.product_id.clone())),
        name: text(raw_product.and_then(|p| p.product_name.clone())),
        kind: if plan {
            ProductType::SubscriptionPlan
        } else {
            ProductType::Product
        },
        quantity: Some(1),
        unit_value: base_price,
        total_value: base_price,
        image_url: None,
        offer_type: OfferType::Main,
    };
    let lead_tracking = LeadTracking {
        ip: text(raw_customer.and_then(|c| c.ip.clone())),
        ..Utm::lead_tracking(raw.tracking.as_ref(), |value| text(value.clone()))
    };
    let order = OrderPayload {
        customer,
        order,
        checkout: Checkout::default(),
        payment,
        shipping: Shipping::default(),
        products: vec![product],
        lead_tracking,
    };
    let announced = name.subscription_status();
    if announced.is_none() && subscription_id.is_none() {
        return Ok(conversion(SPEC.name, name, &id, Payload::Order(Box::new(order))));
    }
    let subscription = subscription(ctx, &raw, subscription_id, announced, &at)?;
    let key = format!("{}:{id}", subscription.id.as_deref().unwrap_or_default());
    let (name, payload) = match announced {
        Some(_) => (name, Payload::Subscription(Box::new(order.into_subscription(subscription)))),
        None => (
            family_event(name, true),
            Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription))),
        ),
    };
    Ok(conversion(SPEC.name, name, &key, payload))
}

/// The subscription of an order: its id from `subscription_id` (else
/// `Subscription.id`), the rest from `Subscription`; its status is the event's
/// for a change of the subscription's state (`announced`), else `Subscription.status`.
fn subscription<'a>(
    ctx: &Context<'a, '_>,
    raw: &RawOrder<'a>,
    subscription_id: Option<Cow<'a, str>>,
    announced: Option<SubscriptionStatus>,
    at: &dyn Fn(&str) -> String,
) -> Result<Subscription<'a>, ConvertError> {
    let block: Option<RawSubscription<'a>> = match raw.subscription.filter(|s| s.get() != "null") {
        Some(block) => Some(ctx.doc.parse_at(block.get(), || at("/Subscription"))?),
        None => None,
    };
    let id = subscription_id
        .or_else(|| scalar_text(block.as_ref().and_then(|b| b.id.clone())))
        .ok_or_else(|| {
            ConvertError::missing(at("/subscription_id"), "the subscription id (a string)")
        })?;
    let status = match (announced, block.as_ref().and_then(|b| b.status.as_deref())) {
        (Some(status), _) => Some(status),
        (None, None) => None,
        (None, Some(sent)) => Some(subscription_status_of(sent).ok_or_else(|| {
            ctx.doc.at(
                sent,
                ConvertError::invalid(
                    at("/Subscription/status"),
                    "a Kiwify subscription status (active, late, waiting_payment, canceled)",
                    &format!("{sent:?}"),
                ),
            )
        })?),
    };
    let time = |value: Option<&Cow<'a, str>>, field: &str| {
        ctx.doc.time(value, || at(field), parse_brazil_local)
    };
    Ok(Subscription {
        id: Some(id),
        name: text(block.as_ref().and_then(|b| b.plan.as_ref()).and_then(|p| p.name.clone())),
        status,
        created_at: time(block.as_ref().and_then(|b| b.start_date.as_ref()), "/Subscription/start_date")?,
        updated_at: None,
        canceled_at: None,
        charged_times: block
            .as_ref()
            .and_then(|b| b.charges.as_ref())
            .and_then(|c| c.completed.as_ref())
            .map(|completed| completed.len() as i64),
        cancellation_reason: None,
        current_cycle: None,
        current_cycle_start: None,
        current_cycle_end: time(
            block.as_ref().and_then(|b| b.next_payment.as_ref()),
            "/Subscription/next_payment",
        )?,
    })
}

fn customer_address<'a>(raw: Option<&RawCustomer<'a>>) -> Address<'a> {
    let Some(raw) = raw else {
        return Address::empty(AddressLayout::Full);
    };
    AddressParts {
        street: raw.street.clone(),
        number: raw.number.clone(),
        complement: raw.complement.clone(),
        neighborhood: raw.neighborhood.clone(),
        city: raw.city.clone(),
        state: raw.state.clone(),
        country: raw.country.clone(),
        postal_code: raw.zipcode.clone(),
    }
    .build(AddressLayout::Full)
}

/// Kiwify's method is the 12-key union of the published page, the other types' keys null.
fn payment_method<'a>(
    ctx: &Context<'a, '_>,
    raw: &RawOrder<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Option<PaymentMethod<'a>>, ConvertError> {
    let kind = match raw.payment_method.as_deref().map(str::trim) {
        Some("credit_card") => PaymentMethodType::CreditCard,
        Some("pix") => PaymentMethodType::Pix,
        Some("boleto") => PaymentMethodType::Boleto,
        _ => return Ok(None),
    };
    let mut method = PaymentMethod::new(MethodShape::Union, kind);
    match kind {
        PaymentMethodType::CreditCard => {
            method.brand = text(raw.card_type.clone());
            method.last_digits = last_four(scalar_text(raw.card_last4digits.clone()));
        }
        PaymentMethodType::Pix => {
            method.qrcode_signature = text(raw.pix_code.clone());
            method.expiration_date = ctx.doc.time(
                raw.pix_expiration.as_ref(),
                || at("/pix_expiration"),
                parse_brazil_local,
            )?;
        }
        _ => {
            method.digitable_line = text(raw.boleto_barcode.clone());
            method.url = text(raw.boleto_url.clone());
            method.expiration_date = ctx.doc.time(
                raw.boleto_expiry_date.as_ref(),
                || at("/boleto_expiry_date"),
                parse_brazil_local,
            )?;
        }
    }
    Ok(Some(method))
}

fn convert_abandoned_cart<'a>(ctx: &Context<'a, '_>) -> Result<Conversion<'a>, ConvertError> {
    let raw: AbandonedCart<'a> = ctx.doc.parse(ctx.body, ctx.body_pointer)?;
    let id = scalar_text(raw.id.clone())
        .ok_or_else(|| ConvertError::missing(ctx.pointer("/id"), "the cart id (a string)"))?;
    let address = AddressParts {
        country: raw.country.clone(),
        ..AddressParts::default()
    }
    .build(AddressLayout::Full);
    let customer = Customer {
        id: None,
        name: text(raw.name.clone()),
        email: text(raw.email.clone()),
        document: raw
            .cpf
            .as_ref()
            .or(raw.cnpj.as_ref())
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(
            &[raw.phone.as_ref().map(|p| p.0.as_ref())],
            raw.country.as_deref(),
            PhoneParts::default(),
        ),
        address: Some(address),
    };
    let checkout = Checkout {
        id: Some(Cow::Owned(id.to_string())),
        url: text(raw.checkout_link.clone())
            .map(|code| Cow::Owned(format!("https://pay.kiwify.com.br/{code}"))),
    };
    let product = Product {
        layout: ProductLayout::OfferTypeAfterType,
        id: scalar_text(raw.product_id.clone()),
        name: text(raw.product_name.clone()),
        kind: if text(raw.subscription_plan.clone()).is_some() {
            ProductType::SubscriptionPlan
        } else {
            ProductType::Product
        },
        quantity: Some(1),
        unit_value: None,
        total_value: None,
        image_url: None,
        offer_type: OfferType::Main,
    };
    let payload = Payload::Checkout(Box::new(CheckoutPayload {
        customer,
        checkout,
        payment: Payment::default(),
        shipping: Shipping::default(),
        products: vec![product],
        lead_tracking: LeadTracking::default(),
    }));
    Ok(conversion(
        SPEC.name,
        EventName::CheckoutAbandoned,
        &id,
        payload,
    ))
}

/// Kiwify: `?signature=<hex>` = HMAC-SHA1 of the raw body, keyed with the webhook token.
fn verify(request: &Request, secret: &[u8], _policy: &Policy) -> Result<Checked, ConvertError> {
    if request.body.get("order").is_some() && request.body.get("signature").is_some() {
        return Err(ConvertError::new(
            ErrorKind::UnsupportedEvent,
            "/signature",
            "a body as Kiwify sends it: the {order, signature, url} wrapper comes from a forwarding layer, and what its signature covers is not documented",
        ));
    }
    let (signature, scheme) = match (
        request.query("signature"),
        request.header("x-kiwify-signature"),
    ) {
        (Some(signature), _) => (
            signature,
            "HMAC-SHA1 of the body (signature query parameter)",
        ),
        (None, Some(signature)) => (
            signature,
            "HMAC-SHA1 of the body (X-Kiwify-Signature header)",
        ),
        (None, None) => {
            return Err(ConvertError::missing(
                "",
                "the signature Kiwify appends to the URL: a captured request's `query.signature`, or --query 'signature=<hex>'",
            ));
        }
    };
    let raw = request.raw()?;
    let authentic = hmac_matches::<Hmac<sha1::Sha1>>(secret, &[raw], signature);
    Ok(Checked::new(authentic, scheme, signature_detail(authentic)))
}
