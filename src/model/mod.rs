//! The normalized event: the envelope and the payload components of the
//! format (docs/format.md), serializing key for key in its order.
//!
//! Where the published pages disagree on the order of keys (Cakto's `payment` and `products`
//! versus Kiwify's and Hotmart's), the component carries a layout chosen by the
//! provider. Strings borrow from the raw body wherever no change was needed.

mod components;
mod names;

pub use components::*;
pub use names::*;

use serde::Serialize;
use std::borrow::Cow;

/// Optional text, borrowed from the raw body when it could be used as sent.
pub type Text<'a> = Option<Cow<'a, str>>;

/// One normalized event: `{event, provider, idempotency_key, payload}`.
#[derive(Debug, Clone, Serialize)]
pub struct Event<'a> {
    pub event: EventName,
    /// The provider's name (`cakto`).
    pub provider: &'static str,
    pub idempotency_key: String,
    pub payload: Payload<'a>,
}

impl Event<'_> {
    /// The deterministic key: `<provider>:<event>:<provider's id>`.
    pub fn key(provider: &str, event: EventName, id: &str) -> String {
        format!("{}:{}:{}", provider, event.as_str(), id)
    }
}

/// The payload of one of the three families.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Payload<'a> {
    Order(Box<OrderPayload<'a>>),
    Checkout(Box<CheckoutPayload<'a>>),
    ReverseLogistic(Box<ReverseLogisticPayload<'a>>),
}

/// `order.*`: customer, order, checkout, payment, shipping, products, lead_tracking.
#[derive(Debug, Clone, Serialize)]
pub struct OrderPayload<'a> {
    pub customer: Customer<'a>,
    pub order: Order<'a>,
    pub checkout: Checkout<'a>,
    pub payment: Payment<'a>,
    pub shipping: Shipping<'a>,
    pub products: Vec<Product<'a>>,
    pub lead_tracking: LeadTracking<'a>,
}

/// `checkout.*`: customer, checkout, payment, shipping, products, lead_tracking.
#[derive(Debug, Clone, Serialize)]
pub struct CheckoutPayload<'a> {
    pub customer: Customer<'a>,
    pub checkout: Checkout<'a>,
    pub payment: Payment<'a>,
    pub shipping: Shipping<'a>,
    pub products: Vec<Product<'a>>,
    pub lead_tracking: LeadTracking<'a>,
}

/// `reverse_logistic.*`: customer, reverse_payment, shipping, items.
#[derive(Debug, Clone, Serialize)]
pub struct ReverseLogisticPayload<'a> {
    pub customer: Customer<'a>,
    pub reverse_payment: ReversePayment<'a>,
    pub shipping: Shipping<'a>,
    pub items: Vec<Product<'a>>,
}
