//! Builders shared by the providers: phones, card digits, sums, synthetic keys.

use super::Conversion;
use crate::error::ConvertError;
use crate::model::{Address, AddressLayout, Event, EventName, OrderStatus, Payload, Phone};
use crate::normalize::document::country_code;
use crate::normalize::money::MAX_CENTS;
use crate::normalize::phone::{NormalizedPhone, normalize_phone};
use crate::raw::{Scalar, scalar_text, text};
use serde::Deserialize;
use std::borrow::Cow;

/// The conversion of an event with its deterministic key.
pub fn conversion<'a>(
    provider: &'static str,
    name: EventName,
    id: &str,
    payload: Payload<'a>,
) -> Conversion<'a> {
    Conversion {
        event: Event {
            event: name,
            provider,
            idempotency_key: Event::key(provider, name, id),
            payload,
            personal_key: false,
        },
        evidence: Vec::new(),
    }
}

/// A conversion whose id is a `synthetic_id` of personal data (an abandoned
/// cart's e-mail): an unkeyed hash of it would let a guessed e-mail be
/// confirmed offline, so `--redact` keys it (`Event::personal_key`).
pub fn conversion_keyed_by_buyer<'a>(
    provider: &'static str,
    name: EventName,
    id: &str,
    payload: Payload<'a>,
) -> Conversion<'a> {
    let mut converted = conversion(provider, name, id, payload);
    converted.event.personal_key = true;
    converted
}

/// The order status an order event stands for (`order.waiting_payment.pix` →
/// `waiting_payment`); `None` for the events of other families.
pub fn order_status_of(event: EventName) -> Option<OrderStatus> {
    use EventName::*;
    Some(match event {
        OrderPaid => OrderStatus::Paid,
        OrderWaitingPayment
        | OrderWaitingPaymentPix
        | OrderWaitingPaymentBoleto
        | OrderWaitingPaymentCreditCard
        | OrderWaitingPaymentCashOnDelivery => OrderStatus::WaitingPayment,
        OrderFailed => OrderStatus::Failed,
        OrderRefunded => OrderStatus::Refunded,
        OrderDisputed => OrderStatus::Disputed,
        OrderCanceled => OrderStatus::Canceled,
        OrderExpired => OrderStatus::Expired,
        OrderWaitingFulfillment => OrderStatus::WaitingFulfillment,
        OrderFulfilled => OrderStatus::Fulfilled,
        OrderInTransit => OrderStatus::InTransit,
        OrderDelivered => OrderStatus::Delivered,
        OrderWithdrawalAvailable => OrderStatus::WithdrawalAvailable,
        OrderRefused => OrderStatus::Refused,
        OrderFinalized => OrderStatus::Finalized,
        _ => return None,
    })
}

/// An address's raw parts, whatever the provider calls them: the rules (trimmed
/// text, empty → null, ISO country) are applied once, here.
#[derive(Debug, Default)]
pub struct AddressParts<'a> {
    pub street: Option<Cow<'a, str>>,
    pub number: Option<Scalar<'a>>,
    pub complement: Option<Cow<'a, str>>,
    pub neighborhood: Option<Cow<'a, str>>,
    pub city: Option<Cow<'a, str>>,
    pub state: Option<Cow<'a, str>>,
    pub country: Option<Cow<'a, str>>,
    pub postal_code: Option<Scalar<'a>>,
}

impl<'a> AddressParts<'a> {
    pub fn build(self, layout: AddressLayout) -> Address<'a> {
        Address {
            layout,
            street: text(self.street),
            number: scalar_text(self.number),
            complement: text(self.complement),
            neighborhood: text(self.neighborhood),
            city: text(self.city),
            state: text(self.state),
            country: self
                .country
                .as_deref()
                .and_then(country_code)
                .map(Cow::Owned),
            postal_code: scalar_text(self.postal_code),
        }
    }
}

/// The address object of Cakto's `data.address` and Troquecommerce's
/// `client.address` (with the alternative names integrations use).
#[derive(Debug, Clone, Deserialize)]
pub struct RawAddress<'a> {
    #[serde(borrow)]
    street: Option<Cow<'a, str>>,
    #[serde(borrow)]
    number: Option<Scalar<'a>>,
    #[serde(borrow)]
    complement: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "district")]
    neighborhood: Option<Cow<'a, str>>,
    #[serde(borrow)]
    city: Option<Cow<'a, str>>,
    #[serde(borrow)]
    state: Option<Cow<'a, str>>,
    #[serde(borrow)]
    country: Option<Cow<'a, str>>,
    #[serde(borrow, alias = "zip_code", alias = "postal_code", alias = "cep")]
    zipcode: Option<Scalar<'a>>,
}

impl<'a> RawAddress<'a> {
    /// The country as sent (`"BR"`, `"br"`, …).
    pub fn country(&self) -> Option<&str> {
        self.country.as_deref()
    }

    pub fn to_address(&self) -> Address<'a> {
        AddressParts {
            street: self.street.clone(),
            number: self.number.clone(),
            complement: self.complement.clone(),
            neighborhood: self.neighborhood.clone(),
            city: self.city.clone(),
            state: self.state.clone(),
            country: self.country.clone(),
            postal_code: self.zipcode.clone(),
        }
        .build(AddressLayout::Full)
    }
}

/// Which optional parts of a phone a provider's documentation fills.
#[derive(Debug, Clone, Copy, Default)]
pub struct PhoneParts {
    /// `area_code`: the DDD (Hotmart, reverse logistics).
    pub area_code: bool,
    /// `international_dialing_code`: "55" (reverse logistics).
    pub dialing_code: bool,
}

/// The phone list of a customer: one phone per number sent, none when none was.
/// `country` is the buyer's country as the body states it: a number is read in its
/// numbering plan (Brazil's when `None`).
pub fn phones<'a>(
    numbers: &[Option<&str>],
    country: Option<&str>,
    parts: PhoneParts,
) -> Vec<Phone<'a>> {
    phone_list(
        numbers
            .iter()
            .flatten()
            .filter_map(|number| normalize_phone(number, country)),
        parts,
    )
}

/// The phone list of already normalized numbers; a number given twice is listed once.
pub fn phone_list<'a>(
    numbers: impl IntoIterator<Item = NormalizedPhone>,
    parts: PhoneParts,
) -> Vec<Phone<'a>> {
    let mut seen: Vec<String> = Vec::new();
    numbers
        .into_iter()
        .filter(|phone| {
            let new = !seen.contains(&phone.raw_number);
            seen.push(phone.raw_number.clone());
            new
        })
        .map(|phone| Phone {
            area_code: parts
                .area_code
                .then(|| phone.area_code().map(owned))
                .flatten(),
            international_dialing_code: parts
                .dialing_code
                .then(|| phone.dialing_code().map(owned))
                .flatten(),
            formatted_phone: phone.formatted.map(Cow::Owned),
            kind: None,
            raw_number: Some(Cow::Owned(phone.raw_number)),
        })
        .collect()
}

fn owned<'a>(text: &str) -> Cow<'a, str> {
    Cow::Owned(text.to_owned())
}

/// The last four digits of a card number: never more reach the output, even when
/// a provider sends a full number in a "last digits" field.
pub fn last_four<'a>(text: Option<Cow<'a, str>>) -> Option<Cow<'a, str>> {
    let text = text?;
    let digits: Vec<char> = text.chars().filter(char::is_ascii_digit).collect();
    match digits.len() {
        0 => None,
        1..=4 if digits.len() == text.len() => Some(text),
        len => Some(Cow::Owned(digits[len.saturating_sub(4)..].iter().collect())),
    }
}

/// Sums amounts in cents: `None` when every value is absent; an error past
/// `MAX_CENTS`.
pub fn sum_cents(
    values: impl IntoIterator<Item = Option<i64>>,
    pointer: impl Fn() -> String,
) -> Result<Option<i64>, ConvertError> {
    let mut total: Option<i64> = None;
    for value in values.into_iter().flatten() {
        let sum = total
            .unwrap_or(0)
            .checked_add(value)
            .filter(|s| s.abs() <= MAX_CENTS);
        total = Some(sum.ok_or_else(|| {
            ConvertError::invalid(
                pointer(),
                "amounts whose sum stays within ±90071992547409.91 reais",
                &value.to_string(),
            )
        })?);
    }
    Ok(total)
}

/// A deterministic key for bodies that carry no id of their own: 64-bit FNV-1a of
/// the parts, in hex. The same body always gives the same key, on every platform
/// and in every version.
pub fn synthetic_id(parts: &[&str]) -> String {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash = OFFSET;
    for part in parts {
        for byte in part.bytes().chain(std::iter::once(0x1f)) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(PRIME);
        }
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_four_never_keeps_more() {
        assert_eq!(last_four(Some("4242".into())).as_deref(), Some("4242"));
        assert_eq!(
            last_four(Some("4111111111111111".into())).as_deref(),
            Some("1111")
        );
        assert_eq!(last_four(Some("**** 1234".into())).as_deref(), Some("1234"));
        assert_eq!(last_four(Some("".into())), None);
    }

    #[test]
    fn sums() {
        assert_eq!(
            sum_cents([Some(1), None, Some(2)], || "/x".to_owned()),
            Ok(Some(3))
        );
        assert_eq!(sum_cents([None, None], || "/x".to_owned()), Ok(None));
        assert!(sum_cents([Some(MAX_CENTS), Some(1)], || "/x".to_owned()).is_err());
    }

    #[test]
    fn synthetic_ids_are_stable() {
        assert_eq!(synthetic_id(&["a", "b"]), synthetic_id(&["a", "b"]));
        assert_ne!(synthetic_id(&["ab", ""]), synthetic_id(&["a", "b"]));
        assert_eq!(synthetic_id(&[]), "cbf29ce484222325");
    }

    #[test]
    fn phones_fill_only_the_documented_parts() {
        let plain = phones(&[Some("(11) 99999-9999")], None, PhoneParts::default());
        assert_eq!(plain[0].area_code, None);
        let full = phones(
            &[Some("11999999999"), None],
            None,
            PhoneParts {
                area_code: true,
                dialing_code: true,
            },
        );
        assert_eq!(full.len(), 1);
        assert_eq!(full[0].area_code.as_deref(), Some("11"));
        assert_eq!(full[0].international_dialing_code.as_deref(), Some("55"));
        assert!(phones(&[Some("")], None, PhoneParts::default()).is_empty());
    }
}

/// The tracking parameters a checkout passes on as they are (`src`, `sck`,
/// `utm_*`), as Kiwify's `TrackingParameters` and Ticto's `tracking` send them.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Utm<'a> {
    #[serde(borrow)]
    pub src: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub sck: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub utm_source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub utm_medium: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub utm_campaign: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub utm_content: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub utm_term: Option<Cow<'a, str>>,
}

impl<'a> Utm<'a> {
    /// The lead tracking these parameters give, each read by `read` (which
    /// says what an unset one looks like).
    pub fn lead_tracking(
        utm: Option<&Utm<'a>>,
        read: impl Fn(&Option<Cow<'a, str>>) -> Option<Cow<'a, str>>,
    ) -> crate::model::LeadTracking<'a> {
        let Some(utm) = utm else {
            return crate::model::LeadTracking::default();
        };
        crate::model::LeadTracking {
            src: read(&utm.src),
            sck: read(&utm.sck),
            utm_source: read(&utm.utm_source),
            utm_campaign: read(&utm.utm_campaign),
            utm_medium: read(&utm.utm_medium),
            utm_content: read(&utm.utm_content),
            utm_term: read(&utm.utm_term),
            ..crate::model::LeadTracking::default()
        }
    }
}
