//! Ticto (webhook v2): the event in `status`, money already in cents, times
//! `YYYY-MM-DD HH:MM:SS` without a zone (Brasília), the subscription in
//! `subscriptions[]`; the abandoned cart nested or flat. Field by field:
//! `docs/providers/ticto.md`.

use super::common::{
    AddressParts, PhoneParts, Utm, conversion, conversion_keyed_by_buyer, last_four, order_status_of, phones, synthetic_id,
};
use super::{Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, in_one_pass};
use crate::auth::{Checked, Policy, Request, echoed_in_body};
use crate::error::ConvertError;
use crate::model::*;
use crate::normalize::document::{country_code, document_digits};
use crate::normalize::time::parse_brazil_local;
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Str<'a> = Option<Cow<'a, str>>;

/// The body (also what the one-pass parse reads).
/// The typed body this provider reads.
pub type Root<'a> = Body<'a>;

#[derive(Debug, Deserialize)]
pub struct Body<'a> {
    #[serde(borrow)]
    status: Str<'a>,
    #[serde(borrow)]
    status_date: Str<'a>,
    #[serde(borrow)]
    payment_method: Str<'a>,
    #[serde(borrow)]
    checkout_url: Str<'a>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    order: Option<RawOrder<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    customer: Option<RawCustomer<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    item: Option<Item<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    subscriptions: Option<Vec<RawSubscription<'a>>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    transaction: Option<RawTransaction<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    shipping: Option<RawShipping<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    tracking: Option<Utm<'a>>,
    // The flat abandoned cart.
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    product_name: Str<'a>,
    #[serde(borrow)]
    product_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    created_at: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawOrder<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    hash: Option<Scalar<'a>>,
    #[serde(borrow)]
    paid_amount: Option<&'a RawValue>,
    #[serde(borrow)]
    order_date: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawCustomer<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow)]
    cpf: Option<Scalar<'a>>,
    #[serde(borrow)]
    cnpj: Option<Scalar<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    phone: Option<RawPhone<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    address: Option<RawAddress<'a>>,
}

#[derive(Debug, Deserialize)]
struct RawPhone<'a> {
    #[serde(borrow)]
    ddi: Option<Scalar<'a>>,
    #[serde(borrow)]
    ddd: Option<Scalar<'a>>,
    #[serde(borrow)]
    number: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct RawAddress<'a> {
    #[serde(borrow)]
    street: Str<'a>,
    #[serde(borrow)]
    street_number: Option<Scalar<'a>>,
    #[serde(borrow)]
    complement: Str<'a>,
    #[serde(borrow)]
    neighborhood: Str<'a>,
    #[serde(borrow)]
    city: Str<'a>,
    #[serde(borrow)]
    state: Str<'a>,
    #[serde(borrow)]
    zip_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    country: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Item<'a> {
    #[serde(borrow)]
    product_name: Str<'a>,
    #[serde(borrow)]
    product_id: Option<Scalar<'a>>,
    #[serde(borrow)]
    offer_name: Str<'a>,
    #[serde(borrow)]
    offer_code: Option<Scalar<'a>>,
    #[serde(borrow)]
    quantity: Option<&'a RawValue>,
    #[serde(borrow)]
    amount: Option<&'a RawValue>,
    #[serde(borrow)]
    coupon_name: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawSubscription<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    successful_charges: Option<&'a RawValue>,
    #[serde(borrow)]
    max_charges: Option<&'a RawValue>,
    #[serde(borrow)]
    next_charge: Str<'a>,
    #[serde(borrow)]
    canceled_at: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct RawTransaction<'a> {
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    cards: Option<Vec<Card<'a>>>,
    #[serde(borrow)]
    pix_qr_code: Str<'a>,
    #[serde(borrow)]
    pix_url: Str<'a>,
    #[serde(borrow)]
    bank_slip_code: Str<'a>,
    #[serde(borrow)]
    bank_slip_url: Str<'a>,
    #[serde(borrow)]
    bank_slip_pdf: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Card<'a> {
    #[serde(borrow)]
    brand: Str<'a>,
    #[serde(borrow)]
    last_digits: Option<Scalar<'a>>,
}

#[derive(Debug, Deserialize)]
struct RawShipping<'a> {
    #[serde(borrow)]
    method: Str<'a>,
    #[serde(borrow)]
    amount: Option<&'a RawValue>,
    #[serde(borrow)]
    delivery_days: Option<&'a RawValue>,
}

/// Everything about Ticto.
pub static SPEC: Spec = Spec {
    name: "ticto",
    title: "Ticto",
    looked_for: "{status, status_date} or {status, item}",
    first_keys: &["status_date"],
    events: EVENTS,
    top_keys: &[
        ("status", Keep::Text),
        ("status_date", Keep::Presence),
        ("item", Keep::Presence),
        ("product_name", Keep::Presence),
    ],
    docs: include_str!("../../docs/providers/ticto.md"),
    scheme: "the token echoed in the body (weak: with --allow-echoed-secret)",
    secret: "the webhook token shown in Ticto's panel",
    secret_headers: &[],
    secret_fields: &["token"],
    total_may_hold_unlisted_fees: true,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// `status` → normalized event, for a sale without a subscription; a sale with
/// one moves to `subscription_transaction.*`. The subscription's own statuses
/// give `subscription.*`. `close`, `trial`, `trial_ended`, `card_exchanged`,
/// `extended` and `claimed` have no counterpart.
const EVENTS: EventTable = &[
    ("authorized", EventName::OrderPaid),
    ("waiting_payment", EventName::OrderWaitingPayment),
    ("pix_created", EventName::OrderWaitingPaymentPix),
    ("bank_slip_created", EventName::OrderWaitingPaymentBoleto),
    ("refused", EventName::OrderFailed),
    ("refunded", EventName::OrderRefunded),
    ("chargeback", EventName::OrderDisputed),
    ("pix_expired", EventName::OrderExpired),
    ("bank_slip_delayed", EventName::OrderExpired),
    ("abandoned_cart", EventName::CheckoutAbandoned),
    ("trial_started", EventName::SubscriptionTrial),
    ("uncanceled", EventName::SubscriptionActive),
    ("subscription_delayed", EventName::SubscriptionPastDue),
    ("subscription_canceled", EventName::SubscriptionCanceled),
    ("all_charges_paid", EventName::SubscriptionCompleted),
];

const ABANDONED: &str = "\"abandoned_cart\"";

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    top.get("status")?;
    if top.get("status_date").is_some() {
        return Some(vec!["status", "status_date"]);
    }
    if top.get("item").is_some() {
        return Some(vec!["status", "item"]);
    }
    let abandoned = top.get("status").is_some_and(|s| s.get() == ABANDONED);
    (abandoned && top.get("product_name").is_some())
        .then(|| vec!["status: \"abandoned_cart\"", "product_name"])
}

fn parse<'a>(ctx: &Context<'a, '_>) -> Result<Body<'a>, ConvertError> {
    ctx.doc.parse(ctx.body, ctx.body_pointer)
}

fn raw_event<'a>(ctx: &Context<'a, '_>, body: &Body<'a>) -> Result<String, ConvertError> {
    match ctx.event {
        Some(event) => Ok(event.trim().to_owned()),
        None => body
            .status
            .as_deref()
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .ok_or_else(|| ConvertError::missing(ctx.pointer("/status"), "the Ticto event (`status`, a string)")),
    }
}

fn subscription_of<'a, 'b>(body: &'b Body<'a>) -> Option<&'b RawSubscription<'a>> {
    body.subscriptions.as_deref()?.first()
}

fn method_of(body: &Body) -> Option<PaymentMethodType> {
    Some(match body.payment_method.as_deref()?.trim() {
        "credit_card" => PaymentMethodType::CreditCard,
        "pix" => PaymentMethodType::Pix,
        "bank_slip" => PaymentMethodType::Boleto,
        "" => return None,
        _ => PaymentMethodType::Other,
    })
}

/// The event of a sale: a waiting payment takes its method's suffix; a sale
/// with a subscription is `subscription_transaction.*`, where a payment not
/// yet chosen is `waiting_payment.without_payment_method` (Ticto's page).
fn family_event(name: EventName, body: &Body) -> EventName {
    let name = name.with_method(method_of(body));
    if subscription_of(body).is_none() {
        return name;
    }
    match name {
        EventName::OrderWaitingPayment => EventName::TransactionWaitingPaymentWithoutMethod,
        _ => name.as_subscription_transaction().unwrap_or(name),
    }
}

fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let body = parse(ctx)?;
    let raw_event = raw_event(ctx, &body)?;
    Ok(Identified {
        event: super::event_in(EVENTS, &raw_event).map(|name| family_event(name, &body)),
        raw_event,
    })
}

/// Converts a Ticto body; `root` is its one-pass parse, when there was one.
pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Body<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let body = match root {
        Some(body) => body,
        None => parse(ctx)?,
    };
    let raw_event = raw_event(ctx, &body)?;
    let name = SPEC.event_of(&raw_event, || ctx.pointer("/status"))?;
    let at = |field: &str| ctx.pointer(field);
    let time = |value: Option<&Cow<'a, str>>, field: &str| ctx.doc.time(value, || at(field), parse_brazil_local);
    let customer = customer(&body);
    let products = products(ctx, &body, &at)?;
    let payment = payment(ctx, &body, &at)?;
    let checkout = Checkout {
        id: None,
        url: text(body.checkout_url.clone()),
    };
    let lead_tracking = Utm::lead_tracking(body.tracking.as_ref(), informed);
    let order_code = body
        .order
        .as_ref()
        .and_then(|o| scalar_text(o.hash.clone()).or_else(|| scalar_text(o.id.clone())));
    // Ticto delivers each item of an order (an order bump too) on its own: the
    // item's offer tells those deliveries apart.
    let item_part = body
        .item
        .as_ref()
        .and_then(|i| scalar_text(i.offer_code.clone()).or_else(|| scalar_text(i.product_id.clone())))
        .map_or(String::new(), |offer| format!(":{offer}"));

    if name == EventName::CheckoutAbandoned {
        let offer = body.item.as_ref().and_then(|i| scalar_text(i.offer_code.clone()));
        let product = body
            .item
            .as_ref()
            .and_then(|i| i.product_name.clone())
            .or_else(|| body.product_name.clone());
        let when = body.status_date.clone().or_else(|| body.created_at.clone());
        let id = synthetic_id(&[
            customer.email.as_deref().unwrap_or_default(),
            offer.as_deref().unwrap_or_default(),
            product.as_deref().unwrap_or_default(),
            when.as_deref().unwrap_or_default(),
        ]);
        let payload = Payload::Checkout(Box::new(CheckoutPayload {
            customer,
            checkout,
            payment,
            shipping: Shipping::default(),
            products,
            lead_tracking,
        }));
        return Ok(conversion_keyed_by_buyer(SPEC.name, name, &id, payload));
    }

    let raw_subscription = subscription_of(&body);
    if let Some(status) = name.subscription_status() {
        let raw = raw_subscription.ok_or_else(|| {
            ConvertError::missing(at("/subscriptions/0"), "the subscription (`subscriptions[0]`)")
        })?;
        let subscription = subscription(ctx, &body, raw, Some(status), false)?;
        let id = subscription.id.clone().unwrap_or_default();
        // Each change has its own time; a retried delivery keeps it.
        let when = body.status_date.as_deref().unwrap_or_default().trim();
        let payload = Payload::Subscription(Box::new(SubscriptionPayload {
            customer,
            subscription,
            products: plans(products),
            charge: Charge,
            payment,
        }));
        return Ok(conversion(SPEC.name, name, &format!("{id}:{when}{item_part}"), payload));
    }

    let status = order_status_of(name).unwrap_or(OrderStatus::WaitingPayment);
    let order_code =
        order_code.ok_or_else(|| ConvertError::missing(at("/order/hash"), "the order code (`order.hash`)"))?;
    let changed = time(body.status_date.as_ref(), "/status_date")?;
    let order = Order {
        id: Some(order_code.clone()),
        status: Some(status),
        raw_status: text(body.status.clone()),
        created_at: time(body.order.as_ref().and_then(|o| o.order_date.as_ref()), "/order/order_date")?,
        updated_at: changed,
        paid_at: changed.filter(|_| status == OrderStatus::Paid),
        warranty_until: None,
        canceled_at: None,
        refunded_at: changed.filter(|_| status == OrderStatus::Refunded),
    };
    let shipping_raw = body.shipping.as_ref();
    let shipping = Shipping {
        total_value: payment.shipping_value,
        method: text(shipping_raw.and_then(|s| s.method.clone())),
        estimated_delivery_time_in_days: ctx
            .doc
            .count(shipping_raw.and_then(|s| s.delivery_days), || at("/shipping/delivery_days"))?,
        ..Shipping::default()
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
    let Some(raw) = raw_subscription else {
        let key = format!("{order_code}{item_part}");
        return Ok(conversion(SPEC.name, name, &key, Payload::Order(Box::new(order))));
    };
    let failed = name == EventName::TransactionFailed;
    let subscription = subscription(ctx, &body, raw, None, failed)?;
    let key = format!("{}:{order_code}{item_part}", subscription.id.as_deref().unwrap_or_default());
    let payload = Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription)));
    Ok(conversion(SPEC.name, name, &key, payload))
}

/// `subscriptions[0]`. Ticto sends no subscription status: a change of state
/// gives its event's (`announced`); a charge's is `canceled` once `canceled_at`
/// is set, `completed` once every charge of a limited plan was paid, `past_due`
/// when this charge `failed`, else `active`.
fn subscription<'a>(
    ctx: &Context<'a, '_>,
    body: &Body<'a>,
    raw: &RawSubscription<'a>,
    announced: Option<SubscriptionStatus>,
    failed: bool,
) -> Result<Subscription<'a>, ConvertError> {
    let at = |field: &str| ctx.pointer(&format!("/subscriptions/0{field}"));
    let id = scalar_text(raw.id.clone())
        .ok_or_else(|| ConvertError::missing(at("/id"), "the subscription id"))?;
    let charged = ctx.doc.count(raw.successful_charges, || at("/successful_charges"))?;
    let limit = ctx.doc.count(raw.max_charges, || at("/max_charges"))?;
    let canceled_at = ctx.doc.time(raw.canceled_at.as_ref(), || at("/canceled_at"), parse_brazil_local)?;
    let status = match (announced, canceled_at, charged, limit) {
        (Some(status), ..) => status,
        (None, Some(_), ..) => SubscriptionStatus::Canceled,
        (None, None, Some(charged), Some(limit)) if charged >= limit => SubscriptionStatus::Completed,
        _ if failed => SubscriptionStatus::PastDue,
        _ => SubscriptionStatus::Active,
    };
    Ok(Subscription {
        id: Some(id),
        name: text(body.item.as_ref().and_then(|i| i.offer_name.clone())),
        status: Some(status),
        created_at: None,
        updated_at: None,
        canceled_at,
        charged_times: charged,
        cancellation_reason: None,
        current_cycle: None,
        current_cycle_start: None,
        current_cycle_end: ctx.doc.time(raw.next_charge.as_ref(), || at("/next_charge"), parse_brazil_local)?,
    })
}

fn customer<'a>(body: &Body<'a>) -> Customer<'a> {
    let Some(raw) = body.customer.as_ref() else {
        // The flat abandoned cart.
        return Customer {
            name: text(body.name.clone()),
            email: text(body.email.clone()),
            address: Some(Address::empty(AddressLayout::Full)),
            ..Customer::default()
        };
    };
    let address = raw.address.as_ref();
    let country = address.and_then(|a| a.country.as_deref()).and_then(country_code);
    let phone = raw.phone.as_ref().and_then(|phone| {
        let part = |value: &Option<Scalar>| value.as_ref().map(|v| v.0.trim().to_owned()).unwrap_or_default();
        let (ddi, ddd, number) = (part(&phone.ddi), part(&phone.ddd), part(&phone.number));
        if number.is_empty() {
            return None;
        }
        // The country code is written in front of a foreign number only: a
        // Brazilian one keeps the digits as sent, DDD and number.
        Some(match ddi.trim_start_matches('+') {
            "" | "55" => format!("{ddd}{number}"),
            code => format!("+{code}{ddd}{number}"),
        })
    });
    Customer {
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
            &[phone.as_deref()],
            country.as_deref(),
            PhoneParts {
                area_code: true,
                dialing_code: false,
            },
        ),
        address: Some(match address {
            Some(address) => AddressParts {
                street: address.street.clone(),
                number: address.street_number.clone(),
                complement: address.complement.clone(),
                neighborhood: address.neighborhood.clone(),
                city: address.city.clone(),
                state: address.state.clone(),
                country: address.country.clone(),
                postal_code: address.zip_code.clone(),
            }
            .build(AddressLayout::Full),
            None => Address::empty(AddressLayout::Full),
        }),
    }
}

/// The sale's one `item` (or the flat abandoned cart's `product_name`).
fn products<'a>(
    ctx: &Context<'a, '_>,
    body: &Body<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<Product<'a>>, ConvertError> {
    let kind = match subscription_of(body) {
        Some(_) => ProductType::SubscriptionPlan,
        None => ProductType::Product,
    };
    let Some(item) = body.item.as_ref() else {
        let id = scalar_text(body.product_id.clone());
        let name = text(body.product_name.clone());
        return Ok((id.is_some() || name.is_some())
            .then_some(Product {
                layout: ProductLayout::OfferTypeLast,
                id,
                name,
                kind,
                quantity: None,
                unit_value: None,
                total_value: None,
                image_url: None,
                offer_type: OfferType::Main,
            })
            .into_iter()
            .collect());
    };
    let quantity = ctx.doc.count(item.quantity, || at("/item/quantity"))?;
    let amount = ctx.doc.cents(item.amount, || at("/item/amount"))?;
    Ok(vec![Product {
        layout: ProductLayout::OfferTypeLast,
        id: scalar_text(item.product_id.clone()),
        name: text(item.product_name.clone()),
        kind,
        quantity,
        unit_value: unit_price(amount, quantity),
        total_value: amount,
        image_url: None,
        offer_type: OfferType::Main,
    }])
}

/// `item.amount` is what the item costs in all — its offer's price, whatever the
/// quantity (real deliveries: "Compre 3 Leve 6", quantity 6, amount = the offer's
/// 27700) — so a unit's price is known only when it divides exactly.
fn unit_price(amount: Option<i64>, quantity: Option<i64>) -> Option<i64> {
    match quantity {
        None | Some(1) => amount,
        Some(count) if count > 1 => amount.filter(|amount| amount % count == 0).map(|amount| amount / count),
        Some(_) => None,
    }
}

fn payment<'a>(
    ctx: &Context<'a, '_>,
    body: &Body<'a>,
    at: &dyn Fn(&str) -> String,
) -> Result<Payment<'a>, ConvertError> {
    let item = body.item.as_ref();
    let amount = ctx.doc.cents(item.and_then(|i| i.amount), || at("/item/amount"))?;
    let method = method_of(body).map(|kind| {
        let mut method = PaymentMethod::new(MethodShape::PerType, kind);
        let transaction = body.transaction.as_ref();
        let read = |field: for<'t> fn(&'t RawTransaction<'a>) -> &'t Str<'a>| {
            text(transaction.and_then(|t| field(t).clone()))
        };
        match kind {
            PaymentMethodType::CreditCard => {
                let card = transaction.and_then(|t| t.cards.as_deref()).and_then(<[Card]>::first);
                method.brand = text(card.and_then(|c| c.brand.clone()));
                method.last_digits = last_four(scalar_text(card.and_then(|c| c.last_digits.clone())));
            }
            PaymentMethodType::Pix => {
                method.qrcode_signature = read(|t| &t.pix_qr_code);
                method.qrcode_url = read(|t| &t.pix_url);
            }
            PaymentMethodType::Boleto => {
                method.digitable_line = read(|t| &t.bank_slip_code);
                method.url = read(|t| &t.bank_slip_url).or_else(|| read(|t| &t.bank_slip_pdf));
            }
            _ => {}
        }
        method
    });
    Ok(Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: Some(Cow::Borrowed("BRL")),
        total: ctx
            .doc
            .cents(body.order.as_ref().and_then(|o| o.paid_amount), || at("/order/paid_amount"))?,
        total_products_value: amount,
        discount_value: None,
        shipping_value: ctx
            .doc
            .cents(body.shipping.as_ref().and_then(|s| s.amount), || at("/shipping/amount"))?,
        payment_method: method,
        coupons: text(item.and_then(|i| i.coupon_name.clone()))
            .map(|code| vec![Coupon { code: Some(code), value: None }])
            .unwrap_or_default(),
    })
}

/// Ticto writes `Não Informado` for a parameter that was not given.
fn informed<'a>(value: &Str<'a>) -> Text<'a> {
    text(value.clone()).filter(|v| !v.eq_ignore_ascii_case("Não Informado"))
}

/// Ticto signs nothing: the body echoes the webhook's `token`.
fn verify(request: &Request, secret: &[u8], policy: &Policy) -> Result<Checked, ConvertError> {
    echoed_in_body(
        request,
        &["token"],
        secret,
        policy,
        "token echoed in the body (weak: no replay protection)",
    )
}
