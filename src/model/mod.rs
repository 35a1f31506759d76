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
    /// The key's id is a hash of personal data (an abandoned cart's e-mail),
    /// not an id of the provider's: `--redact` replaces it with a keyed hash.
    #[serde(skip)]
    pub personal_key: bool,
}

impl Event<'_> {
    /// The deterministic key: `<provider>:<event>:<provider's id>`.
    pub fn key(provider: &str, event: EventName, id: &str) -> String {
        format!("{}:{}:{}", provider, event.as_str(), id)
    }
}

/// The payload of one of the five families.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum Payload<'a> {
    Order(Box<OrderPayload<'a>>),
    Checkout(Box<CheckoutPayload<'a>>),
    ReverseLogistic(Box<ReverseLogisticPayload<'a>>),
    Subscription(Box<SubscriptionPayload<'a>>),
    SubscriptionTransaction(Box<SubscriptionTransactionPayload<'a>>),
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

/// `subscription.*`: customer, subscription, products, charge, payment.
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionPayload<'a> {
    pub customer: Customer<'a>,
    pub subscription: Subscription<'a>,
    pub products: Vec<Product<'a>>,
    pub charge: Charge,
    pub payment: Payment<'a>,
}

/// `subscription_transaction.*`: customer, transaction, subscription, charge,
/// checkout, payment, products, lead_tracking.
#[derive(Debug, Clone, Serialize)]
pub struct SubscriptionTransactionPayload<'a> {
    pub customer: Customer<'a>,
    pub transaction: Transaction<'a>,
    pub subscription: Subscription<'a>,
    pub charge: Charge,
    pub checkout: Checkout<'a>,
    pub payment: Payment<'a>,
    pub products: Vec<Product<'a>>,
    pub lead_tracking: LeadTracking<'a>,
}

impl<'a> OrderPayload<'a> {
    /// The same purchase as a charge of `subscription`: `order` becomes
    /// `transaction`, shipping is dropped, every product is a subscription plan.
    pub fn into_transaction(
        self,
        subscription: Subscription<'a>,
    ) -> SubscriptionTransactionPayload<'a> {
        SubscriptionTransactionPayload {
            customer: self.customer,
            transaction: Transaction(self.order),
            subscription,
            charge: Charge,
            checkout: self.checkout,
            payment: self.payment,
            products: plans(self.products),
            lead_tracking: self.lead_tracking,
        }
    }

    /// What a change of `subscription`'s own state carries of the order the
    /// provider sent with it: the buyer, the plan and the payment.
    pub fn into_subscription(self, subscription: Subscription<'a>) -> SubscriptionPayload<'a> {
        SubscriptionPayload {
            customer: self.customer,
            subscription,
            products: plans(self.products),
            charge: Charge,
            payment: self.payment,
        }
    }
}

/// Products of a subscription are its plans.
pub fn plans(mut products: Vec<Product<'_>>) -> Vec<Product<'_>> {
    for product in &mut products {
        product.kind = ProductType::SubscriptionPlan;
    }
    products
}
