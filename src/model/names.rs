//! Closed sets of names: providers, events, statuses and the enums of the format.

use serde::Serialize;

macro_rules! names {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

names!(
    /// Every normalized event name hooknorm emits.
    EventName {
        OrderPaid => "order.paid",
        OrderWaitingPayment => "order.waiting_payment",
        OrderWaitingPaymentPix => "order.waiting_payment.pix",
        OrderWaitingPaymentBoleto => "order.waiting_payment.boleto",
        OrderWaitingPaymentCreditCard => "order.waiting_payment.credit_card",
        OrderWaitingPaymentCashOnDelivery => "order.waiting_payment.cash_on_delivery",
        OrderFailed => "order.failed",
        OrderRefunded => "order.refunded",
        OrderDisputed => "order.disputed",
        OrderCanceled => "order.canceled",
        OrderExpired => "order.expired",
        OrderWaitingFulfillment => "order.waiting_fulfillment",
        OrderFulfilled => "order.fulfilled",
        OrderInTransit => "order.in_transit",
        OrderDelivered => "order.delivered",
        OrderWithdrawalAvailable => "order.withdrawal_available",
        OrderRefused => "order.refused",
        OrderFinalized => "order.finalized",
        CheckoutAbandoned => "checkout.abandoned",
        ReturnUnderReview => "reverse_logistic.return.under_review",
        ReturnApproved => "reverse_logistic.return.approved",
        ReturnInTransit => "reverse_logistic.return.in_transit",
        ReturnCanceled => "reverse_logistic.return.canceled",
        ReturnDelivered => "reverse_logistic.return.delivered",
        ExchangeReserved => "reverse_logistic.exchange.reserved",
        ExchangeApproved => "reverse_logistic.exchange.approved",
        VoucherGenerated => "reverse_logistic.voucher.generated",
        ReverseRefunded => "reverse_logistic.refunded",
        SubscriptionTrial => "subscription.trial",
        SubscriptionActive => "subscription.active",
        SubscriptionPastDue => "subscription.past_due",
        SubscriptionPaused => "subscription.paused",
        SubscriptionCanceled => "subscription.canceled",
        SubscriptionCompleted => "subscription.completed",
        TransactionPaid => "subscription_transaction.paid",
        TransactionWaitingPayment => "subscription_transaction.waiting_payment",
        TransactionWaitingPaymentPix => "subscription_transaction.waiting_payment.pix",
        TransactionWaitingPaymentBoleto => "subscription_transaction.waiting_payment.boleto",
        TransactionWaitingPaymentCreditCard => "subscription_transaction.waiting_payment.credit_card",
        TransactionFailed => "subscription_transaction.failed",
        TransactionRefunded => "subscription_transaction.refunded",
        TransactionDisputed => "subscription_transaction.disputed",
        TransactionExpired => "subscription_transaction.expired",
        TransactionCanceled => "subscription_transaction.canceled",
        TransactionWaitingPaymentWithoutMethod => "subscription_transaction.waiting_payment.without_payment_method",
    }
);

impl EventName {
    /// `subscription.<status>`.
    pub fn of_subscription(status: SubscriptionStatus) -> EventName {
        use SubscriptionStatus::*;
        match status {
            Trial => EventName::SubscriptionTrial,
            Active => EventName::SubscriptionActive,
            PastDue => EventName::SubscriptionPastDue,
            Paused => EventName::SubscriptionPaused,
            Canceled => EventName::SubscriptionCanceled,
            Completed => EventName::SubscriptionCompleted,
        }
    }

    /// The status a `subscription.*` event announces.
    pub fn subscription_status(self) -> Option<SubscriptionStatus> {
        use EventName::*;
        Some(match self {
            SubscriptionTrial => SubscriptionStatus::Trial,
            SubscriptionActive => SubscriptionStatus::Active,
            SubscriptionPastDue => SubscriptionStatus::PastDue,
            SubscriptionPaused => SubscriptionStatus::Paused,
            SubscriptionCanceled => SubscriptionStatus::Canceled,
            SubscriptionCompleted => SubscriptionStatus::Completed,
            _ => return None,
        })
    }

    /// The `subscription_transaction.*` event of a charge that belongs to a
    /// subscription, for the `order.*` event it would be without one (the
    /// payment method's suffix kept). `None` for an order event the family has
    /// no counterpart of (a provider decides what a canceled charge is).
    pub fn as_subscription_transaction(self) -> Option<EventName> {
        use EventName::*;
        Some(match self {
            OrderPaid => TransactionPaid,
            OrderWaitingPayment => TransactionWaitingPayment,
            OrderWaitingPaymentPix => TransactionWaitingPaymentPix,
            OrderWaitingPaymentBoleto => TransactionWaitingPaymentBoleto,
            OrderWaitingPaymentCreditCard => TransactionWaitingPaymentCreditCard,
            OrderFailed => TransactionFailed,
            OrderRefunded => TransactionRefunded,
            OrderDisputed => TransactionDisputed,
            OrderExpired => TransactionExpired,
            _ => return None,
        })
    }

    /// A waiting payment's event with its method's suffix
    /// (`order.waiting_payment` → `order.waiting_payment.pix`); other events,
    /// and methods without a suffix of their own, as they are.
    pub fn with_method(self, method: Option<PaymentMethodType>) -> EventName {
        use EventName::*;
        if self != OrderWaitingPayment {
            return self;
        }
        match method {
            Some(PaymentMethodType::Pix) => OrderWaitingPaymentPix,
            Some(PaymentMethodType::Boleto) => OrderWaitingPaymentBoleto,
            Some(PaymentMethodType::CreditCard) => OrderWaitingPaymentCreditCard,
            _ => self,
        }
    }

    /// The event without its payment method's suffix
    /// (`subscription_transaction.waiting_payment.pix` → `….waiting_payment`).
    pub fn without_method(self) -> EventName {
        use EventName::*;
        match self {
            OrderWaitingPaymentPix
            | OrderWaitingPaymentBoleto
            | OrderWaitingPaymentCreditCard
            | OrderWaitingPaymentCashOnDelivery => OrderWaitingPayment,
            TransactionWaitingPaymentPix
            | TransactionWaitingPaymentBoleto
            | TransactionWaitingPaymentCreditCard
            | TransactionWaitingPaymentWithoutMethod => TransactionWaitingPayment,
            other => other,
        }
    }
}

names!(
    /// `order.status`.
    OrderStatus {
        Paid => "paid",
        WaitingPayment => "waiting_payment",
        Failed => "failed",
        Refunded => "refunded",
        Disputed => "disputed",
        Canceled => "canceled",
        Expired => "expired",
        WaitingFulfillment => "waiting_fulfillment",
        Fulfilled => "fulfilled",
        InTransit => "in_transit",
        Delivered => "delivered",
        WithdrawalAvailable => "withdrawal_available",
        Refused => "refused",
        Finalized => "finalized",
    }
);

names!(
    /// `subscription.status`.
    SubscriptionStatus {
        Trial => "trial",
        Active => "active",
        PastDue => "past_due",
        Paused => "paused",
        Canceled => "canceled",
        Completed => "completed",
    }
);

names!(
    /// `shipping.status` (the published ShippingStatus).
    ShippingStatus {
        WaitingPostage => "waiting_postage",
        WaitingTrackingCode => "waiting_tracking_code",
        Fulfilled => "fulfilled",
        InTransit => "in_transit",
        OutForDelivery => "out_for_delivery",
        Delivered => "delivered",
        WithdrawalAvailable => "withdrawal_available",
        Delayed => "delayed",
        Failed => "failed",
        NotDelivered => "not_delivered",
        Refused => "refused",
        Returned => "returned",
        Lost => "lost",
        Misplaced => "misplaced",
        Canceled => "canceled",
        StoppedInInspection => "stopped_in_inspection",
        InDestinationAnalysis => "in_destination_analysis",
        CustomsInspectionCompleted => "customs_inspection_completed",
        ObjectDestroyed => "object_destroyed",
    }
);

names!(
    /// `products[].type`.
    ProductType {
        Product => "product",
        SubscriptionPlan => "subscription_plan",
    }
);

names!(
    /// `products[].offer_type`.
    OfferType {
        Main => "main",
        OrderBump => "order_bump",
    }
);

names!(
    /// `payment_method.type`.
    PaymentMethodType {
        CreditCard => "credit_card",
        Pix => "pix",
        Boleto => "boleto",
        CashOnDelivery => "cash_on_delivery",
        Other => "other",
    }
);
