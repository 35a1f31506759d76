//! Troquecommerce (reverse logistics): the body is the "reversa" object and the
//! event code arrives in the `event` HTTP header. The body is known only from the
//! field names of public code that reads reversas, so it is read leniently; each
//! assumption is written down in `docs/providers/troquecommerce.md`.

use super::common::{PhoneParts, RawAddress, conversion, phones};
use super::{
    Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, event_in, in_one_pass,
};
use crate::auth::no_scheme;
use crate::error::{ConvertError, ErrorKind};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

type Str<'a> = Option<Cow<'a, str>>;

/// The typed body this provider reads.
pub type Root<'a> = Reversa<'a>;

#[derive(Debug, Deserialize)]
pub struct Reversa<'a> {
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow)]
    reverse_type: Str<'a>,
    #[serde(borrow)]
    price: Option<&'a RawValue>,
    #[serde(borrow)]
    refund_value: Option<&'a RawValue>,
    /// The buyer: `client` in the samples, `customer` accepted too.
    #[serde(borrow, alias = "customer", default, deserialize_with = "crate::raw::object_or_empty")]
    client: Option<Client<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    tracking: Option<Tracking<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::list_or_empty")]
    items: Option<Vec<Item<'a>>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    reverse_coupon: Option<ReverseCoupon<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    reverse_payment: Option<RawReversePayment<'a>>,
}

#[derive(Debug, Deserialize)]
struct Client<'a> {
    #[serde(borrow)]
    name: Str<'a>,
    #[serde(borrow)]
    email: Str<'a>,
    #[serde(borrow, alias = "cpf")]
    document: Option<Scalar<'a>>,
    #[serde(borrow, alias = "cellphone")]
    phone: Option<Scalar<'a>>,
    #[serde(borrow, default, deserialize_with = "crate::raw::object_or_empty")]
    address: Option<RawAddress<'a>>,
}

#[derive(Debug, Deserialize)]
struct Tracking<'a> {
    #[serde(borrow)]
    courier_tracking_code: Str<'a>,
    #[serde(borrow, alias = "courier")]
    courier_name: Str<'a>,
    #[serde(borrow)]
    status: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct Item<'a> {
    #[serde(borrow)]
    sku: Option<Scalar<'a>>,
    #[serde(borrow)]
    id: Option<Scalar<'a>>,
    #[serde(borrow, alias = "name")]
    description: Str<'a>,
    quantity: Option<i64>,
    #[serde(borrow)]
    price: Option<&'a RawValue>,
    #[serde(borrow)]
    image_url: Str<'a>,
}

#[derive(Debug, Deserialize)]
struct ReverseCoupon<'a> {
    #[serde(borrow)]
    code: Str<'a>,
    #[serde(borrow)]
    value: Option<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct RawReversePayment<'a> {
    #[serde(borrow)]
    value: Option<&'a RawValue>,
    #[serde(borrow, rename = "type", alias = "method")]
    kind: Str<'a>,
}

/// Everything about Troquecommerce.
pub static SPEC: Spec = Spec {
    name: "troquecommerce",
    title: "Troquecommerce",
    looked_for: "{ecommerce_number, reverse_type} or an `event` header",
    first_keys: &["ecommerce_number", "reverse_type"],
    events: EVENTS,
    top_keys: &[
        ("ecommerce_number", Keep::Text),
        ("reverse_type", Keep::Text),
        ("event", Keep::Text),
    ],
    docs: include_str!("../../docs/providers/troquecommerce.md"),
    scheme: "none (it offers no way to authenticate)",
    secret: "none",
    secret_headers: &[],
    secret_fields: &[],
    total_may_hold_unlisted_fees: false,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify: |_, _, _| {
        no_scheme(
            "Troquecommerce offers no way to authenticate its webhooks (no signature, no token); restrict the receiver by other means",
        )
    },
};

/// The event code table (docs/providers/troquecommerce.md).
const EVENTS: EventTable = &[
    ("2", EventName::ReturnUnderReview),
    ("3", EventName::ReturnApproved),
    ("4", EventName::ReturnCanceled),
    ("10", EventName::ReverseRefunded),
    ("11", EventName::VoucherGenerated),
    ("18", EventName::ReturnCanceled),
    ("20", EventName::ExchangeReserved),
    ("21", EventName::ExchangeApproved),
    ("32", EventName::ReturnDelivered),
    ("33", EventName::ReturnInTransit),
];

fn detect(top: &TopLevel, headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    let keys = [
        ("ecommerce_number", top.get("ecommerce_number").is_some()),
        ("reverse_type", top.get("reverse_type").is_some()),
    ];
    let present: Vec<&'static str> = keys
        .iter()
        .filter(|(_, here)| *here)
        .map(|(key, _)| *key)
        .collect();
    if !present.is_empty() {
        return Some(present);
    }
    let numeric_event_header = headers.iter().any(|(name, value)| {
        name == "event"
            && !value.trim().is_empty()
            && value.trim().bytes().all(|b| b.is_ascii_digit())
    });
    (numeric_event_header && top.get("event").is_none()).then(|| vec!["event header"])
}

/// Converts a Troquecommerce body; `root` is its one-pass parse, when there was one.
fn event_code<'c>(ctx: &'c Context) -> Result<&'c str, ConvertError> {
    ctx.event.or_else(|| ctx.header("event")).map(str::trim).ok_or_else(|| {
        ConvertError::missing(
            "",
            "the event code: Troquecommerce sends it in the `event` HTTP header, so convert the captured \
             request, or give it with --event CODE or --header 'event: CODE'",
        )
    })
}

/// The event code (from the `event` header or `--event`) and its normalized event.
fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let code = event_code(ctx)?;
    Ok(Identified {
        raw_event: code.to_owned(),
        event: event_in(EVENTS, code),
    })
}

pub fn convert<'a>(
    ctx: &Context<'a, '_>,
    root: Option<Reversa<'a>>,
) -> Result<Conversion<'a>, ConvertError> {
    let code = event_code(ctx)?;
    let name = event_in(EVENTS, code).ok_or_else(|| {
        ConvertError::new(
            ErrorKind::UnsupportedEvent,
            "",
            format!(
                "Troquecommerce event code {} is a valid event with no normalized counterpart: it is not mapped \
                 (mapped: {})",
                crate::error::shown(code),
                SPEC.mapped()
            ),
        )
    })?;
    let raw: Reversa<'a> = match root {
        Some(raw) => raw,
        None => ctx.doc.parse(ctx.body, ctx.body_pointer)?,
    };
    let at = |field: &str| ctx.pointer(field);
    let id = scalar_text(raw.id.clone())
        .ok_or_else(|| ConvertError::missing(at("/id"), "the reversa id"))?;

    let client = raw.client.as_ref();
    let address = client
        .and_then(|c| c.address.as_ref())
        .map(RawAddress::to_address);
    let customer = Customer {
        id: None,
        name: text(client.and_then(|c| c.name.clone())),
        email: text(client.and_then(|c| c.email.clone())),
        document: client
            .and_then(|c| c.document.as_ref())
            .and_then(|d| document_digits(&d.0))
            .map(Cow::Owned),
        phone_numbers: phones(
            &[client.and_then(|c| c.phone.as_ref()).map(|p| p.0.as_ref())],
            address.as_ref().and_then(|a| a.country.as_deref()),
            PhoneParts {
                area_code: true,
                dialing_code: true,
            },
        ),
        address: Some(
            address
                .clone()
                .unwrap_or_else(|| Address::empty(AddressLayout::Full)),
        ),
    };

    let total = ctx.doc.reais(raw.price, || at("/price"))?;
    let requested = ctx.doc.reais(raw.refund_value, || at("/refund_value"))?;
    let payment = raw.reverse_payment.as_ref();
    let paid_back = ctx.doc.reais(payment.and_then(|p| p.value), || {
        at("/reverse_payment/value")
    })?;
    let coupon = raw.reverse_coupon.as_ref();
    let coupon_value = ctx
        .doc
        .reais(coupon.and_then(|c| c.value), || at("/reverse_coupon/value"))?;
    let is_exchange = raw
        .reverse_type
        .as_deref()
        .is_some_and(|t| t.to_lowercase().contains("troca"));
    let exchange = coupon_value.or_else(|| {
        is_exchange
            .then(|| total.map(|t| t - requested.unwrap_or(0)))
            .flatten()
            .filter(|value| *value > 0)
    });
    let reverse_payment = ReversePayment {
        currency: Some(Cow::Borrowed("BRL")),
        total,
        refund: paid_back.or(requested),
        exchange,
        reverse_payment_method: payment.and_then(|p| p.kind.as_deref()).and_then(method),
        coupons: coupon
            .filter(|c| c.code.is_some() || coupon_value.is_some())
            .map(|c| {
                vec![Coupon {
                    code: text(c.code.clone()),
                    value: coupon_value,
                }]
            })
            .unwrap_or_default(),
    };

    let tracking = raw.tracking.as_ref();
    let tracking_status = text(tracking.and_then(|t| t.status.clone()));
    let shipping = Shipping {
        carrier: text(tracking.and_then(|t| t.courier_name.clone())),
        tracking_code: text(tracking.and_then(|t| t.courier_tracking_code.clone())),
        delivery_address: Some(address.unwrap_or_else(|| Address::empty(AddressLayout::Full))),
        status: tracking_status.as_deref().and_then(shipping_status),
        raw_status: tracking_status,
        ..Shipping::default()
    };

    let items = raw
        .items
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(index, item)| {
            let unit_value = ctx
                .doc
                .reais(item.price, || at(&format!("/items/{index}/price")))?;
            Ok(Product {
                layout: ProductLayout::OfferTypeLast,
                id: scalar_text(item.sku.clone()).or_else(|| scalar_text(item.id.clone())),
                name: text(item.description.clone()),
                kind: ProductType::Product,
                quantity: item.quantity,
                unit_value,
                total_value: unit_value.map(|u| u.saturating_mul(item.quantity.unwrap_or(1))),
                image_url: text(item.image_url.clone()),
                offer_type: OfferType::Main,
            })
        })
        .collect::<Result<Vec<_>, ConvertError>>()?;

    let payload = Payload::ReverseLogistic(Box::new(ReverseLogisticPayload {
        customer,
        reverse_payment,
        shipping,
        items,
    }));
    Ok(conversion(SPEC.name, name, &id, payload))
}

/// The reverse payment's method (per-type shape).
fn method<'a>(kind: &str) -> Option<PaymentMethod<'a>> {
    let kind = match kind.trim().to_lowercase().as_str() {
        "pix" => PaymentMethodType::Pix,
        "credit_card" | "cartao" | "cartão" | "cartao_de_credito" | "card" => {
            PaymentMethodType::CreditCard
        }
        "boleto" => PaymentMethodType::Boleto,
        _ => return None,
    };
    Some(PaymentMethod::new(MethodShape::PerType, kind))
}

/// Troquecommerce's Portuguese tracking labels → ShippingStatus.
fn shipping_status(label: &str) -> Option<ShippingStatus> {
    let label = label.trim().to_lowercase();
    Some(match label.as_str() {
        "entregue" => ShippingStatus::Delivered,
        "em trânsito" | "em transito" | "postado" | "postada" => ShippingStatus::InTransit,
        "aguardando postagem" => ShippingStatus::WaitingPostage,
        "saiu para entrega" => ShippingStatus::OutForDelivery,
        "cancelada" | "cancelado" => ShippingStatus::Canceled,
        "devolvido" | "devolvida" => ShippingStatus::Returned,
        "extraviado" => ShippingStatus::Lost,
        "atrasado" => ShippingStatus::Delayed,
        _ => return None,
    })
}
