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
    event(value).or_else(|| payload(value))
}

/// A normalized event: `{event, provider, idempotency_key, payload}`.
fn event(value: &Value) -> Option<Normalized> {
    let object = value.as_object()?;
    if !(object.contains_key("event") && object.contains_key("payload"))
        || object.contains_key("data")
    {
        return None;
    }
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let provider = text("provider");
    let name = format!("{}.event", provider.as_deref().unwrap_or(""));
    Some(Normalized {
        schema: schema::canonical(&name).unwrap_or("event"),
        provider,
        event: text("event"),
    })
}

/// A bare payload, recognised by its family's keys.
fn payload(value: &Value) -> Option<Normalized> {
    let object = value.as_object()?;
    if !object.contains_key("customer") {
        return None;
    }
    let schema = if object.contains_key("reverse_payment") || object.contains_key("items") {
        "payload.reverse_logistic"
    } else if object.contains_key("transaction") {
        "payload.subscription_transaction"
    } else if object.contains_key("subscription") {
        "payload.subscription"
    } else if object.contains_key("order") {
        "payload.order"
    } else if object.contains_key("checkout") && object.contains_key("payment") {
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
