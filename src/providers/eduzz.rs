//! Eduzz, both generations in use: the legacy ("Órbita") postback — flat, its
//! item keys in bracket form even in JSON (`trans_items[0][item_id]`), the event
//! in `event_name` (else `trans_status` / `recurrence_status`), money as reais
//! text, dates split in `*_date` + `*_time` — and webhook v3 (`{id, event, data,
//! sentDate}`, `myeduzz.*` events, signed with `x-signature`). Both are read as
//! a JSON tree (the legacy keys re-nested first). Field by field:
//! `docs/providers/eduzz.md`.

use super::common::{AddressParts, PhoneParts, conversion, order_status_of, phone_list, synthetic_id};
use super::{Context, Conversion, EventTable, Identified, Keep, Spec, TopLevel, in_one_pass};
use crate::auth::{Checked, Policy, Request, echoed_in_body, hmac_matches, signature_detail};
use crate::error::{ConvertError, ErrorKind, quoted};
use crate::model::*;
use crate::normalize::document::document_digits;
use crate::normalize::money::reais_to_cents;
use crate::normalize::phone::normalize_phone;
use crate::normalize::time::{TimeError, parse_brazil_local};
use hmac::Hmac;
use serde_json::Value;

/// The body this provider reads: a tree (legacy keys are re-nested first).
pub type Root = Value;
use std::borrow::Cow;

/// Everything about Eduzz.
pub static SPEC: Spec = Spec {
    name: "eduzz",
    title: "Eduzz",
    looked_for: "{type, trans_cod | recurrence_cod | identifier} or {trans_cod, trans_status} (legacy) or {id, event, data, sentDate} (v3)",
    first_keys: &["sentDate", "trans_cod", "identifier"],
    events: EVENTS,
    top_keys: &[
        ("type", Keep::Text),
        ("trans_cod", Keep::Text),
        ("trans_status", Keep::Text),
        ("recurrence_cod", Keep::Text),
        ("identifier", Keep::Text),
        ("sentDate", Keep::Text),
        ("event", Keep::Text),
        ("data", Keep::Presence),
    ],
    docs: include_str!("../../docs/providers/eduzz.md"),
    scheme: "HMAC-SHA256 of the body (x-signature, v3), or the legacy origin_secret echoed in the body with --allow-echoed-secret",
    secret: "the webhook's secret (v3) or the Órbita origin token (legacy)",
    secret_headers: &["x-signature"],
    secret_fields: &["origin_secret", "origin", "api_key", "cus_apikey", "request_token"],
    total_may_hold_unlisted_fees: true,
    detect,
    identify,
    convert: |ctx| convert(ctx, None),
    convert_in_one_pass: |given| in_one_pass(given, |ctx, root| convert(ctx, Some(root))),
    verify,
};

/// The raw events: the legacy `event_name`s (and, when a legacy body names
/// none, `trans_status N` / `recurrence_status N` / `cart_abandonment` by its
/// `type`), and v3's `myeduzz.*`. A charge of a contract moves to
/// `subscription_transaction.*`; a contract event of v3 takes its status's name.
const EVENTS: EventTable = &[
    ("invoice_paid", EventName::OrderPaid),
    ("invoice_open", EventName::OrderWaitingPayment),
    ("invoice_waiting_payment", EventName::OrderWaitingPayment),
    ("invoice_canceled", EventName::OrderCanceled),
    ("invoice_refunded", EventName::OrderRefunded),
    ("invoice_expired", EventName::OrderExpired),
    ("invoice_overdue", EventName::OrderExpired),
    ("invoice_refused", EventName::OrderFailed),
    ("contract_up_to_date", EventName::SubscriptionActive),
    ("contract_trial", EventName::SubscriptionTrial),
    ("contract_waiting_payment", EventName::SubscriptionPastDue),
    ("contract_delayed", EventName::SubscriptionPastDue),
    ("contract_overdue", EventName::SubscriptionPastDue),
    ("contract_suspended", EventName::SubscriptionPaused),
    ("contract_canceled", EventName::SubscriptionCanceled),
    ("contract_finished", EventName::SubscriptionCompleted),
    ("cart_abandonment", EventName::CheckoutAbandoned),
    ("trans_status 3", EventName::OrderPaid),
    ("trans_status 1", EventName::OrderWaitingPayment),
    ("trans_status 15", EventName::OrderWaitingPayment),
    ("trans_status 4", EventName::OrderCanceled),
    ("trans_status 7", EventName::OrderRefunded),
    ("trans_status 10", EventName::OrderExpired),
    ("recurrence_status 1", EventName::SubscriptionActive),
    ("recurrence_status 2", EventName::SubscriptionPastDue),
    ("recurrence_status 7", EventName::SubscriptionPastDue),
    ("recurrence_status 3", EventName::SubscriptionPaused),
    ("recurrence_status 4", EventName::SubscriptionCanceled),
    ("recurrence_status 9", EventName::SubscriptionCompleted),
    ("recurrence_status 10", EventName::SubscriptionTrial),
    ("myeduzz.invoice_paid", EventName::OrderPaid),
    ("myeduzz.invoice_opened", EventName::OrderWaitingPayment),
    ("myeduzz.invoice_waiting_payment", EventName::OrderWaitingPayment),
    ("myeduzz.invoice_canceled", EventName::OrderCanceled),
    ("myeduzz.invoice_refunded", EventName::OrderRefunded),
    ("myeduzz.invoice_expired", EventName::OrderExpired),
    ("myeduzz.invoice_overdue", EventName::OrderExpired),
    ("myeduzz.invoice_refused", EventName::OrderFailed),
    // `subscription.` + the contract's status.
    ("myeduzz.contract_created", EventName::SubscriptionActive),
    ("myeduzz.contract_updated", EventName::SubscriptionActive),
    ("sun.cart_abandonment", EventName::CheckoutAbandoned),
];

/// The two generations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Generation {
    Legacy,
    V3,
}

/// The event namespaces of webhook v3 (`app.action`): Eduzz's apps.
const V3_APPS: &[&str] = &["\"myeduzz.", "\"sun.", "\"nutror.", "\"blinket."];

fn generation(top: &TopLevel) -> Option<Generation> {
    if top.get("event").is_some() && top.get("data").is_some() && (top.get("sentDate").is_some() || v3_app_event(top)) {
        return Some(Generation::V3);
    }
    let legacy = match top.get("type").map(|kind| kind.get()) {
        Some("\"invoice\"") => top.get("trans_cod").is_some(),
        Some("\"contract\"") => top.get("recurrence_cod").is_some() || top.get("trans_cod").is_some(),
        Some("\"abandonment\"") => top.get("identifier").is_some(),
        // The older postback, from before `type` and `event_name`.
        None => top.get("trans_cod").is_some() && top.get("trans_status").is_some(),
        Some(_) => false,
    };
    legacy.then_some(Generation::Legacy)
}

/// A v3 event named by its app (`myeduzz.invoice_paid`): receivers that store
/// deliveries often drop the envelope's `sentDate`.
fn v3_app_event(top: &TopLevel) -> bool {
    top.get("event")
        .is_some_and(|event| V3_APPS.iter().any(|app| event.get().starts_with(app)))
}

fn detect(top: &TopLevel, _headers: &[(String, String)]) -> Option<Vec<&'static str>> {
    match generation(top)? {
        Generation::V3 if top.get("sentDate").is_some() => Some(vec!["sentDate", "event", "data"]),
        Generation::V3 => Some(vec!["event: an Eduzz app's (myeduzz.…)", "data"]),
        Generation::Legacy => Some(match top.get("type").map(|t| t.get()) {
            Some("\"abandonment\"") => vec!["type: \"abandonment\"", "identifier"],
            Some("\"contract\"") => vec!["type: \"contract\"", "recurrence_cod"],
            None => vec!["trans_cod", "trans_status"],
            _ => vec!["type: \"invoice\"", "trans_cod"],
        }),
    }
}

/// The body as a tree: v3's `data`, or the legacy body with its bracket keys
/// nested; `parsed` is the whole body when the one-pass parse read it.
fn tree(ctx: &Context, generation: Generation, parsed: Option<Value>) -> Result<Value, ConvertError> {
    let body = match parsed {
        Some(body) => body,
        // Read by pointer (`Fields::get`): what a tree holds is not read yet.
        None => crate::reads::untraced(|| ctx.doc.parse::<Value>(ctx.body, ctx.body_pointer))?,
    };
    // Every key of the tree may be read: one given twice is refused.
    ctx.doc.refuse_repeated_keys(ctx.body, ctx.body_pointer)?;
    match (generation, body) {
        (Generation::V3, mut body) => match body.get_mut("data").map(Value::take) {
            Some(data) if data.is_object() => Ok(data),
            Some(data) => Err(ConvertError::new(
                ErrorKind::WrongType,
                ctx.pointer("/data"),
                "the event's data object",
            )
            .found(crate::raw::describe(&data.to_string()))),
            None => Err(ConvertError::missing(ctx.pointer("/data"), "the event's data object")),
        },
        (Generation::Legacy, Value::Object(flat)) => {
            crate::form::nest(flat).map_err(|error| error.under(ctx.body_pointer))
        }
        (Generation::Legacy, _) => Err(ConvertError::new(ErrorKind::WrongType, ctx.body_pointer, "a JSON object")),
    }
}

/// Reads the fields of a tree, owning what it returns; errors name the field's
/// pointer in the body (`base` + path).
struct Fields<'v, 'c, 'a, 'h> {
    ctx: &'c Context<'a, 'h>,
    root: &'v Value,
    base: &'static str,
}

impl<'v> Fields<'v, '_, '_, '_> {
    fn at(&self, path: &str) -> String {
        self.ctx.pointer(&format!("{}{path}", self.base))
    }

    /// The value at `path` (a pointer of plain tokens: ours, never escaped),
    /// walked without the token copies `Value::pointer` makes; `None` for null.
    fn get(&self, path: &str) -> Option<&'v Value> {
        crate::reads::pointer(|| self.at(path));
        let mut value = self.root;
        for token in path.split('/').skip(1) {
            value = match value {
                Value::Object(map) => map.get(token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        (!value.is_null()).then_some(value)
    }

    /// Text or a number as text, trimmed; empty is `None`.
    fn text<'x>(&self, path: &str) -> Text<'x> {
        let text = match self.get(path)? {
            Value::String(text) => text.trim().to_owned(),
            Value::Number(number) => number.to_string(),
            _ => return None,
        };
        (!text.is_empty()).then_some(Cow::Owned(text))
    }

    /// A value that must be text or a number when present: any other type is
    /// refused, not read as absent.
    fn scalar(&self, path: &str, expected: &str) -> Result<(), ConvertError> {
        match self.get(path) {
            Some(value @ (Value::Bool(_) | Value::Array(_) | Value::Object(_))) => {
                Err(ConvertError::new(ErrorKind::WrongType, self.at(path), expected)
                    .found(crate::raw::describe(&value.to_string())))
            }
            _ => Ok(()),
        }
    }

    fn reais(&self, path: &str) -> Result<Option<i64>, ConvertError> {
        self.scalar(path, "an amount (number or string)")?;
        let Some(text) = self.text(path) else { return Ok(None) };
        match reais_to_cents(&text) {
            Ok(cents) if cents >= 0 => Ok(Some(cents)),
            Ok(_) => Err(ConvertError::invalid(self.at(path), "a non-negative amount", &quoted(&text))),
            Err(error) => Err(ConvertError::invalid(self.at(path), error, &quoted(&text))),
        }
    }

    fn count(&self, path: &str) -> Result<Option<i64>, ConvertError> {
        self.scalar(path, "a count (an integer, not negative)")?;
        let Some(text) = self.text(path) else { return Ok(None) };
        match text.parse::<i64>() {
            Ok(count) if count >= 0 => Ok(Some(count)),
            _ => Err(ConvertError::invalid(self.at(path), "a count (an integer, not negative)", &quoted(&text))),
        }
    }

    fn time(&self, path: &str, parse: fn(&str) -> Result<i64, TimeError>) -> Result<Option<i64>, ConvertError> {
        let Some(text) = self.text(path) else { return Ok(None) };
        parse(&text)
            .map(Some)
            .map_err(|error| ConvertError::invalid(self.at(path), error, &quoted(&text)))
    }

    /// A legacy date split in two: `YYYYMMDD` and `HH:MM:SS` (Brasília).
    fn split_time(&self, date: &str, time: &str) -> Result<Option<i64>, ConvertError> {
        let Some(day) = self.text(date) else { return Ok(None) };
        let clock = self.text(time).unwrap_or(Cow::Borrowed("00:00:00"));
        let joined = match (day.len(), day.bytes().all(|b| b.is_ascii_digit())) {
            (8, true) => format!("{}-{}-{} {clock}", &day[..4], &day[4..6], &day[6..]),
            _ => format!("{day} {clock}"),
        };
        parse_brazil_local(&joined)
            .map(Some)
            .map_err(|error| ConvertError::invalid(self.at(date), error, &quoted(&day)))
    }
}

/// The raw event: `--event`, v3's `event`, the legacy `event_name`, else the
/// legacy body's status by its `type`.
fn raw_event(ctx: &Context, generation: Generation, tree: &Value) -> Result<(String, String), ConvertError> {
    if let Some(event) = ctx.event {
        return Ok((event.trim().to_owned(), ctx.pointer("/event")));
    }
    let text = |path: &str| {
        crate::reads::pointer(|| ctx.pointer(path));
        tree.pointer(path).and_then(|value| match value {
            Value::String(text) => Some(text.trim().to_owned()),
            Value::Number(number) => Some(number.to_string()),
            _ => None,
        })
    };
    if generation == Generation::V3 {
        let event: Cow<str> = ctx
            .raw_event()?
            .ok_or_else(|| ConvertError::missing(ctx.pointer("/event"), "the Eduzz event name (a string)"))?;
        return Ok((event.trim().to_owned(), ctx.pointer("/event")));
    }
    if let Some(name) = text("/event_name").filter(|name| !name.is_empty()) {
        return Ok((name, ctx.pointer("/event_name")));
    }
    let (status, field) = match text("/type").as_deref() {
        Some("abandonment") => return Ok(("cart_abandonment".to_owned(), ctx.pointer("/type"))),
        Some("contract") => ("recurrence_status", "/recurrence_status"),
        _ => ("trans_status", "/trans_status"),
    };
    let code = text(field).ok_or_else(|| {
        ConvertError::missing(ctx.pointer(field), "the status that names the event (event_name absent)")
    })?;
    Ok((format!("{status} {code}"), ctx.pointer(field)))
}

/// The legacy `recurrence_status` → `subscription.status`.
fn recurrence_status(code: &str) -> Option<SubscriptionStatus> {
    super::event_in(EVENTS, &format!("recurrence_status {}", code.trim()))
        .and_then(EventName::subscription_status)
}

/// v3's `contract.status` → `subscription.status`.
fn contract_status(status: &str) -> Option<SubscriptionStatus> {
    use SubscriptionStatus::*;
    Some(match status.trim() {
        "upToDate" | "free" => Active,
        "awaitingPayment" | "waitingPayment" | "late" | "defaulter" => PastDue,
        "suspended" => Paused,
        "canceled" => Canceled,
        "trial" => Trial,
        "finished" => Completed,
        _ => return None,
    })
}

/// A charge belongs to a contract: legacy `recurrence_cod`, v3 `contract.id`.
fn contract_of<'x>(fields: &Fields, generation: Generation) -> Text<'x> {
    match generation {
        Generation::Legacy => fields.text("/recurrence_cod"),
        Generation::V3 => fields.text("/contract/id"),
    }
}

/// The payment method: legacy `trans_paymentmethod` codes, v3 `paymentMethod`.
fn method_of(fields: &Fields, generation: Generation) -> Option<(PaymentMethodType, Option<&'static str>)> {
    use PaymentMethodType::*;
    match generation {
        Generation::Legacy => Some(match fields.text("/trans_paymentmethod")?.as_ref() {
            "1" => (Boleto, None),
            "32" => (Pix, None),
            "13" => (CreditCard, Some("visa")),
            "14" => (CreditCard, Some("amex")),
            "15" => (CreditCard, Some("mastercard")),
            "16" => (CreditCard, Some("diners")),
            "21" => (CreditCard, Some("hipercard")),
            "23" => (CreditCard, Some("hiper")),
            "24" => (CreditCard, Some("elo")),
            "27" => (CreditCard, None),
            _ => (Other, None),
        }),
        Generation::V3 => Some(match fields.text("/paymentMethod")?.as_ref() {
            "creditCard" => (CreditCard, None),
            "pix" => (Pix, None),
            "bankslip" | "bankSlip" | "boleto" => (Boleto, None),
            _ => (Other, None),
        }),
    }
}

/// A waiting payment takes its method's suffix; a charge of a contract is
/// `subscription_transaction.*`; a v3 contract event, its contract's status.
fn family_event(name: EventName, fields: &Fields, generation: Generation, raw: &str) -> Option<EventName> {
    if raw.starts_with("myeduzz.contract_") {
        let status = fields.text("/contract/status").and_then(|s| contract_status(&s))?;
        return Some(EventName::of_subscription(status));
    }
    let name = name.with_method(method_of(fields, generation).map(|(kind, _)| kind));
    if order_status_of(name).is_none() || contract_of(fields, generation).is_none() {
        return Some(name);
    }
    Some(match name {
        EventName::OrderCanceled => EventName::TransactionCanceled,
        EventName::OrderWaitingPayment => EventName::TransactionWaitingPaymentWithoutMethod,
        _ => name.as_subscription_transaction().unwrap_or(name),
    })
}

fn base(generation: Generation) -> &'static str {
    match generation {
        Generation::Legacy => "",
        Generation::V3 => "/data",
    }
}

fn identify(ctx: &Context) -> Result<Identified, ConvertError> {
    let generation = generation(&ctx.top).unwrap_or(Generation::Legacy);
    let tree = tree(ctx, generation, None)?;
    let fields = Fields { ctx, root: &tree, base: base(generation) };
    let (raw_event, _) = raw_event(ctx, generation, &tree)?;
    Ok(Identified {
        event: super::event_in(EVENTS, &raw_event)
            .and_then(|name| family_event(name, &fields, generation, &raw_event)),
        raw_event,
    })
}

/// Converts an Eduzz body; `root` is the whole body when the one-pass parse read it.
pub fn convert<'a>(ctx: &Context<'a, '_>, root: Option<Value>) -> Result<Conversion<'a>, ConvertError> {
    let generation = generation(&ctx.top).unwrap_or(Generation::Legacy);
    let tree = tree(ctx, generation, root)?;
    let fields = Fields { ctx, root: &tree, base: base(generation) };
    let (raw_event, event_at) = raw_event(ctx, generation, &tree)?;
    let mapped = SPEC.event_of(&raw_event, || event_at.clone())?;
    // The sale's status is its order event's, whatever family it lands in.
    let status = order_status_of(mapped).unwrap_or(OrderStatus::WaitingPayment);
    let name = family_event(mapped, &fields, generation, &raw_event).ok_or_else(|| {
        let sent = fields.text("/contract/status").unwrap_or_default();
        ConvertError::new(
            ErrorKind::UnsupportedEvent,
            fields.at("/contract/status"),
            format!("Eduzz contract status {} is not mapped to a subscription status", quoted(&sent)),
        )
    })?;
    match generation {
        Generation::Legacy => legacy(&fields, name, status),
        Generation::V3 => v3(&fields, name, status),
    }
}

fn customer_address<'x>(fields: &Fields, prefix: &str) -> Address<'x> {
    let text = |name: &str| fields.text(&format!("{prefix}{name}"));
    AddressParts {
        street: text("address"),
        number: text("address_number").map(crate::raw::Scalar),
        complement: text("address_comp"),
        neighborhood: text("address_district"),
        city: text("address_city"),
        state: text("address_state"),
        country: text("address_country"),
        postal_code: text("address_zip_code").map(crate::raw::Scalar),
    }
    .build(AddressLayout::Full)
}

fn phone_numbers<'x>(numbers: &[Text], country: Option<&str>) -> Vec<Phone<'x>> {
    phone_list(
        numbers.iter().flatten().filter_map(|number| normalize_phone(number, country)),
        PhoneParts { area_code: true, dialing_code: false },
    )
}

/// The legacy postback.
fn legacy<'a>(fields: &Fields, name: EventName, status: OrderStatus) -> Result<Conversion<'a>, ConvertError> {
    if name == EventName::CheckoutAbandoned {
        return legacy_abandonment(fields);
    }
    let country = fields.text("/cus_address_country").and_then(|c| crate::normalize::document::country_code(&c));
    let customer = Customer {
        id: fields.text("/cus_cod"),
        name: fields.text("/cus_name"),
        email: fields.text("/cus_email"),
        document: fields.text("/cus_taxnumber").and_then(|d| document_digits(&d)).map(Cow::Owned),
        phone_numbers: phone_numbers(
            &[fields.text("/cus_cel"), fields.text("/cus_tel"), fields.text("/cus_tel2")],
            country.as_deref(),
        ),
        address: Some(customer_address(fields, "/cus_")),
    };
    let contract = fields.text("/recurrence_cod");
    let kind = if contract.is_some() { ProductType::SubscriptionPlan } else { ProductType::Product };
    let mut products = Vec::new();
    match fields.get("/trans_items").and_then(Value::as_array) {
        Some(items) if !items.is_empty() => {
            for index in 0..items.len() {
                let item = |name: &str| format!("/trans_items/{index}/{name}");
                let value = fields.reais(&item("item_value"))?;
                let recurring = fields.text(&item("item_product_chargetype")).as_deref() == Some("A");
                products.push(Product {
                    layout: ProductLayout::OfferTypeLast,
                    id: fields.text(&item("item_product_id")),
                    name: fields.text(&item("item_product_name")).or_else(|| fields.text(&item("item_name"))),
                    kind: if recurring { ProductType::SubscriptionPlan } else { kind },
                    quantity: Some(1),
                    unit_value: value,
                    total_value: value,
                    image_url: None,
                    offer_type: if index == 0 { OfferType::Main } else { OfferType::OrderBump },
                });
            }
        }
        _ => {
            let value = fields.reais("/trans_value")?;
            products.push(Product {
                layout: ProductLayout::OfferTypeLast,
                id: fields.text("/product_cod"),
                name: fields.text("/product_name"),
                kind,
                quantity: Some(1),
                unit_value: value,
                total_value: value,
                image_url: None,
                offer_type: OfferType::Main,
            });
        }
    }
    let coupon = fields.text("/discount_coupon_code");
    let coupon_value = match fields.get("/trans_items").and_then(Value::as_array) {
        Some(items) => {
            let index = items.iter().position(|item| {
                item.get("item_coupon_code").and_then(Value::as_str).map(str::trim) == coupon.as_deref()
            });
            match index {
                Some(index) => fields.reais(&format!("/trans_items/{index}/item_coupon_value"))?,
                None => None,
            }
        }
        None => None,
    };
    let method = method_of(fields, Generation::Legacy).map(|(kind, brand)| {
        let mut method = PaymentMethod::new(MethodShape::PerType, kind);
        method.brand = brand.map(Cow::Borrowed);
        if kind == PaymentMethodType::Boleto {
            method.digitable_line = fields.text("/trans_barcode");
            method.url = fields.text("/billet_url");
        }
        method
    });
    let total = match fields.text("/trans_paid") {
        Some(_) => fields.reais("/trans_paid")?,
        None => fields.reais("/trans_value")?,
    };
    let payment = Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency: fields.text("/trans_currency").or(Some(Cow::Borrowed("BRL"))),
        total,
        total_products_value: fields.reais("/trans_value")?,
        discount_value: None,
        shipping_value: None,
        payment_method: method,
        coupons: coupon.map(|code| vec![Coupon { code: Some(code), value: coupon_value }]).unwrap_or_default(),
    };
    let lead_tracking = LeadTracking {
        utm_source: fields.text("/utm_source").or_else(|| fields.text("/tracker_utm_source")),
        utm_campaign: fields.text("/utm_campaign").or_else(|| fields.text("/tracker_utm_campaign")),
        utm_medium: fields.text("/utm_medium").or_else(|| fields.text("/tracker_utm_medium")),
        utm_content: fields.text("/utm_content").or_else(|| fields.text("/tracker_utm_content")),
        ..LeadTracking::default()
    };
    let subscription = |status: Option<SubscriptionStatus>| -> Result<Subscription<'a>, ConvertError> {
        let sent = fields.text("/recurrence_status");
        let status = match (status, sent.as_deref()) {
            (Some(status), _) => Some(status),
            (None, None) => None,
            (None, Some(code)) => Some(recurrence_status(code).ok_or_else(|| {
                ConvertError::new(
                    ErrorKind::UnsupportedEvent,
                    fields.at("/recurrence_status"),
                    format!("Eduzz recurrence_status {} is not mapped to a subscription status", quoted(code)),
                )
            })?),
        };
        let count = fields.count("/recurrence_count")?;
        Ok(Subscription {
            id: fields.text("/recurrence_cod"),
            name: fields.text("/recurrence_plan"),
            status,
            created_at: fields.time("/recurrence_startdate", parse_brazil_local)?,
            updated_at: None,
            canceled_at: fields.time("/recurrence_canceled_at", parse_brazil_local)?,
            charged_times: count,
            cancellation_reason: None,
            current_cycle: count,
            current_cycle_start: None,
            current_cycle_end: None,
        })
    };
    if let Some(status) = name.subscription_status() {
        let id = contract
            .ok_or_else(|| ConvertError::missing(fields.at("/recurrence_cod"), "the contract code (recurrence_cod)"))?;
        // Each change of the contract differs in status, count, cancellation or charge.
        let change = synthetic_id(&[
            name.as_str(),
            fields.text("/recurrence_status").as_deref().unwrap_or_default(),
            fields.text("/recurrence_count").as_deref().unwrap_or_default(),
            fields.text("/recurrence_canceled_at").as_deref().unwrap_or_default(),
            fields.text("/trans_cod").as_deref().unwrap_or_default(),
        ]);
        let payload = Payload::Subscription(Box::new(SubscriptionPayload {
            customer,
            subscription: subscription(Some(status))?,
            products: plans(products),
            charge: Charge,
            payment,
        }));
        return Ok(conversion(SPEC.name, name, &format!("{id}:{change}"), payload));
    }
    let id = fields
        .text("/trans_cod")
        .ok_or_else(|| ConvertError::missing(fields.at("/trans_cod"), "the invoice code (trans_cod)"))?;
    let paid = fields.split_time("/trans_paiddate", "/trans_paidtime")?;
    let order = Order {
        id: Some(id.clone()),
        status: Some(status),
        raw_status: fields.text("/trans_status"),
        created_at: fields.split_time("/trans_createdate", "/trans_createtime")?,
        updated_at: None,
        paid_at: paid.filter(|_| matches!(status, OrderStatus::Paid | OrderStatus::Refunded)),
        warranty_until: None,
        canceled_at: None,
        refunded_at: match status {
            OrderStatus::Refunded => fields.time("/refund_date", parse_brazil_local)?,
            _ => None,
        },
    };
    let order = OrderPayload {
        customer,
        order,
        checkout: Checkout { id: None, url: fields.text("/page_checkout_url") },
        payment,
        shipping: Shipping::default(),
        products,
        lead_tracking,
    };
    let Some(contract) = contract else {
        return Ok(conversion(SPEC.name, name, &id, Payload::Order(Box::new(order))));
    };
    let payload = Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription(None)?)));
    Ok(conversion(SPEC.name, name, &format!("{contract}:{id}"), payload))
}

/// The legacy abandoned cart (`type: abandonment`, `product[id]`, `customer[…]`).
fn legacy_abandonment<'a>(fields: &Fields) -> Result<Conversion<'a>, ConvertError> {
    let id = fields
        .text("/identifier")
        .ok_or_else(|| ConvertError::missing(fields.at("/identifier"), "the cart's identifier"))?;
    let customer = Customer {
        id: None,
        name: fields.text("/customer/name"),
        email: fields.text("/customer/email"),
        document: None,
        phone_numbers: phone_numbers(&[fields.text("/customer/phone")], None),
        address: Some(Address::empty(AddressLayout::Full)),
    };
    let products = match fields.get("/product") {
        Some(_) => vec![Product {
            layout: ProductLayout::OfferTypeLast,
            id: fields.text("/product/id"),
            name: fields.text("/product/title"),
            kind: ProductType::Product,
            quantity: Some(1),
            unit_value: None,
            total_value: None,
            image_url: None,
            offer_type: OfferType::Main,
        }],
        None => Vec::new(),
    };
    let payload = Payload::Checkout(Box::new(CheckoutPayload {
        customer,
        checkout: Checkout { id: None, url: fields.text("/checkoutUrl") },
        payment: Payment { currency: Some(Cow::Borrowed("BRL")), ..Payment::default() },
        shipping: Shipping::default(),
        products,
        lead_tracking: LeadTracking::default(),
    }));
    Ok(conversion(SPEC.name, EventName::CheckoutAbandoned, &id, payload))
}

/// v3: a phone as text (`+5515…`) or as `{countryCode, areaCode, number}`.
fn v3_phone<'x>(fields: &Fields, path: &str) -> Text<'x> {
    match fields.get(path)? {
        Value::Object(_) => {
            let part = |name: &str| fields.text(&format!("{path}/{name}")).unwrap_or_default();
            let (code, area, number) = (part("countryCode"), part("areaCode"), part("number"));
            if number.is_empty() {
                return None;
            }
            Some(Cow::Owned(match code.trim_start_matches('+') {
                "" | "55" => format!("{area}{number}"),
                code => format!("+{code}{area}{number}"),
            }))
        }
        _ => fields.text(path),
    }
}

/// Webhook v3 (`myeduzz.*`).
fn v3<'a>(fields: &Fields, name: EventName, status: OrderStatus) -> Result<Conversion<'a>, ConvertError> {
    if name == EventName::CheckoutAbandoned {
        return v3_abandonment(fields);
    }
    let delivery = fields
        .ctx
        .top
        .get("id")
        .and_then(|raw| fields.ctx.doc.parse::<String>(raw.get(), "/id").ok())
        .unwrap_or_default();
    let time = |path: &str| fields.time(path, parse_brazil_local);
    let person = if fields.get("/buyer").is_some() { "/buyer" } else { "/customer" };
    let customer = Customer {
        id: None,
        name: fields.text(&format!("{person}/name")),
        email: fields.text(&format!("{person}/email")),
        document: None,
        phone_numbers: phone_numbers(
            &[
                v3_phone(fields, &format!("{person}/cellphone")),
                v3_phone(fields, &format!("{person}/phone")),
                v3_phone(fields, &format!("{person}/phone2")),
            ],
            None,
        ),
        address: Some(Address::empty(AddressLayout::Full)),
    };
    let contract = fields.text("/contract/id");
    let kind = if contract.is_some() { ProductType::SubscriptionPlan } else { ProductType::Product };
    let (list, id_key) = match fields.get("/items") {
        Some(_) => ("/items", "productId"),
        None => ("/products", "id"),
    };
    let mut products = Vec::new();
    for index in 0..fields.get(list).and_then(Value::as_array).map_or(0, Vec::len) {
        let item = |name: &str| format!("{list}/{index}/{name}");
        let value = fields.reais(&item("price/value"))?;
        products.push(Product {
            layout: ProductLayout::OfferTypeLast,
            id: fields.text(&item(id_key)),
            name: fields.text(&item("name")),
            kind,
            quantity: Some(1),
            unit_value: value,
            total_value: value,
            image_url: None,
            offer_type: if index == 0 { OfferType::Main } else { OfferType::OrderBump },
        });
    }
    let method = method_of(fields, Generation::V3)
        .or_else(|| match fields.text("/contract/payment/method").as_deref() {
            Some("creditCard") => Some((PaymentMethodType::CreditCard, None)),
            Some("pix") => Some((PaymentMethodType::Pix, None)),
            Some(_) => Some((PaymentMethodType::Other, None)),
            None => None,
        })
        .map(|(kind, _)| PaymentMethod::new(MethodShape::PerType, kind));
    let (currency, total) = match fields.get("/price") {
        Some(_) => (fields.text("/price/currency"), fields.reais("/price/value")?),
        None => (fields.text("/contract/recurrence/price/currency"), fields.reais("/contract/recurrence/price/value")?),
    };
    let payment = Payment {
        layout: PaymentLayout::ProductsValueLast,
        currency,
        total,
        total_products_value: None,
        discount_value: None,
        shipping_value: None,
        payment_method: method,
        coupons: Vec::new(),
    };
    let subscription = |status: Option<SubscriptionStatus>| -> Result<Subscription<'a>, ConvertError> {
        Ok(Subscription {
            id: contract.clone(),
            name: fields.text("/products/0/name"),
            status: status.or_else(|| fields.text("/contract/status").and_then(|s| contract_status(&s))),
            created_at: time("/contract/createdAt")?,
            updated_at: time("/contract/updatedAt")?,
            canceled_at: None,
            charged_times: None,
            cancellation_reason: None,
            current_cycle: fields.count("/contract/recurrence/charges/current")?,
            current_cycle_start: time("/contract/recurrence/currentDue")?,
            current_cycle_end: time("/contract/recurrence/nextDue")?,
        })
    };
    if let Some(status) = name.subscription_status() {
        let id = contract
            .clone()
            .ok_or_else(|| ConvertError::missing(fields.at("/contract/id"), "the contract id"))?;
        let payload = Payload::Subscription(Box::new(SubscriptionPayload {
            customer,
            subscription: subscription(Some(status))?,
            products: plans(products),
            charge: Charge,
            payment,
        }));
        return Ok(conversion(SPEC.name, name, &format!("{id}:{delivery}"), payload));
    }
    let id = fields
        .text("/id")
        .ok_or_else(|| ConvertError::missing(fields.at("/id"), "the invoice id"))?;
    let sent = fields
        .ctx
        .top
        .get("sentDate")
        .and_then(|raw| fields.ctx.doc.parse::<String>(raw.get(), "/sentDate").ok())
        .and_then(|text| parse_brazil_local(&text).ok());
    // The invoice's own dates first; the delivery's time only where it has none.
    let paid_at = match status {
        OrderStatus::Paid | OrderStatus::Refunded => time("/paidAt")?.or(sent.filter(|_| status == OrderStatus::Paid)),
        _ => None,
    };
    let order = Order {
        id: Some(id.clone()),
        status: Some(status),
        raw_status: fields.text("/status"),
        created_at: time("/createdAt")?,
        updated_at: time("/updatedAt")?,
        paid_at,
        warranty_until: None,
        canceled_at: match status {
            OrderStatus::Canceled => time("/canceledAt")?,
            _ => None,
        },
        refunded_at: match status {
            OrderStatus::Refunded => time("/refundedAt")?.or(sent),
            _ => None,
        },
    };
    let lead_tracking = LeadTracking {
        utm_source: fields.text("/utm/source"),
        utm_campaign: fields.text("/utm/campaign"),
        utm_medium: fields.text("/utm/medium"),
        utm_content: fields.text("/utm/content"),
        ..LeadTracking::default()
    };
    let order = OrderPayload {
        customer,
        order,
        checkout: Checkout::default(),
        payment,
        shipping: Shipping::default(),
        products,
        lead_tracking,
    };
    let Some(contract) = contract.clone() else {
        return Ok(conversion(SPEC.name, name, &id, Payload::Order(Box::new(order))));
    };
    let payload = Payload::SubscriptionTransaction(Box::new(order.into_transaction(subscription(None)?)));
    Ok(conversion(SPEC.name, name, &format!("{contract}:{id}"), payload))
}

/// v3 `sun.cart_abandonment`: a cart left at Eduzz's checkout (Sun). The
/// buyer in `customer`, the products as ids, the recovery link, and the
/// tracking the checkout was opened with (the query of `href`).
fn v3_abandonment<'a>(fields: &Fields) -> Result<Conversion<'a>, ConvertError> {
    let id = fields
        .text("/transactionId")
        .ok_or_else(|| ConvertError::missing(fields.at("/transactionId"), "the cart's transaction id"))?;
    let customer = Customer {
        id: None,
        name: fields.text("/customer/name"),
        email: fields.text("/customer/email"),
        document: None,
        phone_numbers: phone_numbers(&[v3_phone(fields, "/customer/phone")], None),
        address: Some(Address::empty(AddressLayout::Full)),
    };
    let ids = fields.get("/productId").and_then(Value::as_array).map_or(0, Vec::len);
    let products = (0..ids)
        .map(|index| Product {
            layout: ProductLayout::OfferTypeLast,
            id: fields.text(&format!("/productId/{index}")),
            name: None,
            kind: ProductType::Product,
            quantity: Some(1),
            unit_value: None,
            total_value: None,
            image_url: None,
            offer_type: if index == 0 { OfferType::Main } else { OfferType::OrderBump },
        })
        .collect();
    let payload = Payload::Checkout(Box::new(CheckoutPayload {
        customer,
        checkout: Checkout { id: None, url: fields.text("/saleRecoveryUrl") },
        payment: Payment { currency: Some(Cow::Borrowed("BRL")), ..Payment::default() },
        shipping: Shipping::default(),
        products,
        lead_tracking: fields.text("/href").map(|href| tracking_of(&href)).unwrap_or_default(),
    }));
    Ok(conversion(SPEC.name, EventName::CheckoutAbandoned, &id, payload))
}

/// The tracking parameters of a checkout link's query.
fn tracking_of<'x>(href: &str) -> LeadTracking<'x> {
    let query = href.split_once('?').map_or("", |(_, query)| query);
    let query = query.split('#').next().unwrap_or_default();
    let fields = crate::form::fields(query).unwrap_or_default();
    let value = |name: &str| {
        fields
            .iter()
            .find(|field| field.name == name)
            .map(|field| field.value.trim().to_owned())
            .filter(|value| !value.is_empty())
            .map(Cow::Owned)
    };
    LeadTracking {
        sck: value("sck"),
        utm_source: value("utm_source"),
        utm_campaign: value("utm_campaign"),
        utm_medium: value("utm_medium"),
        utm_content: value("utm_content"),
        utm_term: value("utm_term"),
        meta_fbp: value("fbp"),
        ip: value("ip"),
        ..LeadTracking::default()
    }
}

/// v3: `x-signature` = HMAC-SHA256 of the raw body (hex). Legacy: the
/// `origin_secret` (or `origin`) the body echoes, a weak scheme.
fn verify(request: &Request, secret: &[u8], policy: &Policy) -> Result<Checked, ConvertError> {
    if let Some(signature) = request.header("x-signature") {
        let raw = request.raw()?;
        let authentic = hmac_matches::<Hmac<sha2::Sha256>>(secret, &[raw], signature);
        return Ok(Checked::new(authentic, "HMAC-SHA256 of the body (x-signature)", signature_detail(authentic)));
    }
    echoed_in_body(
        request,
        &["origin_secret", "origin"],
        secret,
        policy,
        "origin token echoed in the body (weak: no replay protection)",
    )
}
