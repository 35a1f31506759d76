//! Documents that are already normalized (an event, or a bare payload): recognised
//! so that `detect` names them, `convert` says so instead of "unknown provider",
//! and `validate` judges them against their schema.

use crate::schema;
use serde_json::Value;

/// An already normalized document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    /// The schema that judges it: `<provider>.event`, `event`, or `payload.<family>`.
    pub schema: &'static str,
    /// An event's `provider` and `event`, as it states them.
    pub provider: Option<String>,
    pub event: Option<String>,
}

impl Normalized {
    /// "a normalized event (cakto order.paid)", "a normalized payload (payload.order)".
    pub fn describe(&self) -> String {
        match (&self.provider, &self.event) {
            (provider, Some(event)) => {
                let provider = provider.as_deref().unwrap_or("no provider");
                format!("a normalized event ({provider} {event})")
            }
            (Some(provider), None) => format!("a normalized event ({provider})"),
            (None, None) => format!("a normalized payload ({})", self.schema),
        }
    }
}

/// Whether `value` is already normalized, and as what.
pub fn recognize(value: &Value) -> Option<Normalized> {
    recognize_object(value.as_object()?)
}

/// The top level of an object, as recognition reads it: whatever tree holds it.
pub trait TopLevel {
    fn has(&self, key: &str) -> bool;
    /// The string under `key`, if a string is there.
    fn text(&self, key: &str) -> Option<&str>;
    fn keys(&self) -> impl Iterator<Item = &str>;
}

impl TopLevel for serde_json::Map<String, Value> {
    fn has(&self, key: &str) -> bool {
        self.contains_key(key)
    }
    fn text(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Value::as_str)
    }
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.keys().map(String::as_str)
    }
}

/// `recognize`, for an object of any tree.
pub fn recognize_object(object: &impl TopLevel) -> Option<Normalized> {
    event(object).or_else(|| payload(object))
}

/// A normalized event: `{event, provider, idempotency_key, payload}`.
fn event(object: &impl TopLevel) -> Option<Normalized> {
    if !(object.has("event") && object.has("payload")) || object.has("data") {
        return None;
    }
    let text = |key: &str| object.text(key).map(str::to_owned);
    let provider = text("provider");
    let name = format!("{}.event", provider.as_deref().unwrap_or(""));
    Some(Normalized {
        schema: schema::canonical(&name).unwrap_or("event"),
        provider,
        event: text("event"),
    })
}

/// Every key of some family's payload.
const PAYLOAD_KEYS: &[&str] = &[
    "customer",
    "order",
    "transaction",
    "subscription",
    "charge",
    "checkout",
    "payment",
    "shipping",
    "products",
    "lead_tracking",
    "reverse_payment",
    "items",
];

/// A bare payload, recognised by its family's keys; most of its keys must be
/// payload keys (a raw body may have a `customer` and an `order` too, among
/// many others of its own).
fn payload(object: &impl TopLevel) -> Option<Normalized> {
    if !object.has("customer") {
        return None;
    }
    let known = object
        .keys()
        .filter(|key| PAYLOAD_KEYS.contains(key))
        .count();
    if known * 2 <= object.keys().count() {
        return None;
    }
    let schema = if object.has("reverse_payment") || object.has("items") {
        "payload.reverse_logistic"
    } else if object.has("transaction") {
        "payload.subscription_transaction"
    } else if object.has("subscription") {
        "payload.subscription"
    } else if object.has("order") {
        "payload.order"
    } else if object.has("checkout") && object.has("payment") {
        "payload.checkout"
    } else {
        return None;
    };
    Some(Normalized {
        schema,
        provider: None,
        event: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A raw body with a `customer` and an `order` (Ticto's) among its many
    /// keys is not a bare payload: it was judged as one, not converted.
    #[test]
    fn a_raw_body_with_payload_like_keys_is_not_a_payload() {
        let raw = json!({"version": "2.0", "status": "authorized", "status_date": "2024-02-10 19:19:17",
            "token": "t", "order": {}, "customer": {}, "item": {}, "transaction": {}, "shipping": {},
            "tracking": {}, "producer": {}});
        assert_eq!(recognize(&raw), None);
    }

    #[test]
    fn bare_payloads_are_known_by_their_family_keys() {
        let schema = |value: Value| recognize(&value).map(|n| n.schema);
        assert_eq!(
            schema(
                json!({"customer": {}, "transaction": {}, "subscription": {}, "charge": {},
                "checkout": {}, "payment": {}, "products": [], "lead_tracking": {}})
            ),
            Some("payload.subscription_transaction")
        );
        assert_eq!(
            schema(
                json!({"customer": {}, "subscription": {}, "products": [], "charge": {}, "payment": {}})
            ),
            Some("payload.subscription")
        );
        // One key too many is a defect to report, not another kind of document.
        assert_eq!(
            schema(
                json!({"customer": {}, "order": {}, "checkout": {}, "payment": {}, "shipping": {},
                "products": [], "lead_tracking": {}, "nickname": "x"})
            ),
            Some("payload.order")
        );
    }
}
