//! Phones: `raw_number` keeps the provider's digits as sent (punctuation removed);
//! `formatted_phone` is E.164 when the number allows it.
//!
//! - A number sent with a leading `+` (or the `00` international prefix) is already
//!   international: its E.164 form when its country's numbering plan has numbers of
//!   its length.
//! - When the body says the buyer is not Brazilian (an ISO country other than `BR`),
//!   the number is read in that country's numbering plan (libphonenumber's metadata,
//!   via the `phonenumber` crate): a US `5551234567` is `+15551234567`, a number
//!   already carrying the country's code keeps it, and a number of a length the plan
//!   does not have gets no E.164 form.
//! - Otherwise the buyer is Brazilian, the fast path: a national number with its DDD
//!   (10–11 digits, the DDD's two digits 1–9, an optional `0` trunk prefix before it)
//!   gets `+55`; a number that already starts with `55` and has 12–13 digits keeps it.
//!   A property test shows it gives what the library gives on Brazilian numbers.
//! - Anything else (no area code, too short, too long) has no E.164 form.
//!
//! "Has numbers of its length" is libphonenumber's possible length of fixed lines,
//! mobiles, personal and VoIP numbers, without the lengths only dialable locally (a
//! `+55` number of 8 digits has no DDD): stricter validity (assigned ranges) would
//! refuse numbers real buyers type, such as the US 555 numbers, and `validate`
//! judges with the same rule. The lengths are kept in `phone_plans.rs` (generated
//! from the crate's metadata, a test keeps it equal), so a number with its country
//! code is judged without loading the whole metadata (about 60 ms).

use super::phone_plans::{PLANS, REGIONS};

/// A phone as the normalized format carries it, before provider-specific choices
/// of which optional parts (`area_code`, `international_dialing_code`) to fill.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalizedPhone {
    pub raw_number: String,
    pub formatted: Option<String>,
}

impl NormalizedPhone {
    /// The DDD of a Brazilian number (`"11"` of `+5511999999999`).
    pub fn area_code(&self) -> Option<&str> {
        self.formatted
            .as_deref()
            .filter(|f| f.starts_with("+55") && f.len() >= 13)
            .map(|f| &f[3..5])
    }

    /// The country calling code (`"55"` for Brazil, `"1"`, `"351"`).
    pub fn dialing_code(&self) -> Option<&str> {
        let digits = self.formatted.as_deref()?.strip_prefix('+')?;
        split_calling_code(digits).map(|(code, _)| code)
    }
}

/// Normalizes a phone as a provider sent it, for a buyer of `country` (ISO 3166-1
/// alpha-2 as the body states it; `None` or `BR` for a Brazilian buyer). `None`
/// when it holds no digit at all.
pub fn normalize_phone(text: &str, country: Option<&str>) -> Option<NormalizedPhone> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let international = if text.trim_start().starts_with('+') {
        Some(digits.as_str())
    } else {
        digits.strip_prefix("00")
    };
    let formatted = match (international, foreign_region(country)) {
        (Some(number), _) => in_its_plan(number),
        (None, Some(region)) => in_region(region, &digits),
        (None, None) => brazilian(&digits),
    };
    Some(NormalizedPhone {
        raw_number: digits,
        formatted,
    })
}

/// Whether an E.164 number's national part has a length its country's plan dials
/// from anywhere (local-only lengths excluded): what `validate` checks.
pub fn is_possible_e164(formatted: &str) -> bool {
    formatted.strip_prefix('+').is_some_and(|digits| {
        digits.bytes().all(|b| b.is_ascii_digit()) && in_its_plan(digits).is_some()
    })
}

/// The E.164 form of a number given with its country code, when that country's
/// plan has national numbers of its length (and E.164's 8 to 15 digits hold it).
fn in_its_plan(digits: &str) -> Option<String> {
    // No country code starts with 0 (`+027…` is not South Africa's `+27…`).
    if digits.starts_with('0') {
        return None;
    }
    let (_, national) = split_calling_code(digits)?;
    let possible = (8..=15).contains(&digits.len()) && has_possible_length(digits, national);
    possible.then(|| format!("+{digits}"))
}

fn has_possible_length(digits: &str, national: &str) -> bool {
    let code = &digits[..digits.len() - national.len()];
    let lengths = code
        .parse::<u16>()
        .ok()
        .and_then(|code| PLANS.binary_search_by_key(&code, |(c, _)| *c).ok())
        .map_or(&[][..], |index| PLANS[index].1);
    u8::try_from(national.len()).is_ok_and(|length| lengths.contains(&length))
}

/// The country calling code at the start of `digits` and the national number
/// after it (calling codes are prefix-free: at most one matches).
fn split_calling_code(digits: &str) -> Option<(&str, &str)> {
    (1..=3).find_map(|width| {
        let code: u16 = digits.get(..width)?.parse().ok()?;
        PLANS
            .binary_search_by_key(&code, |(c, _)| *c)
            .ok()
            .map(|_| digits.split_at(width))
    })
}

/// The buyer's region when the body names one other than Brazil.
fn foreign_region(country: Option<&str>) -> Option<(&'static str, u16)> {
    let country = country?.trim();
    if country.len() != 2 || country.eq_ignore_ascii_case("BR") {
        return None;
    }
    let upper = country.to_ascii_uppercase();
    REGIONS
        .binary_search_by_key(&upper.as_str(), |(region, _)| region)
        .ok()
        .map(|index| REGIONS[index])
}

/// A number read in a foreign region's plan. With the country's code already in
/// front (Hotmart's international buyers) the plan table answers; a national
/// number (trunk prefixes, `1` before a US area code, …) is read with the whole of
/// libphonenumber's metadata, loaded the first time a body needs it.
fn in_region((region, code): (&'static str, u16), digits: &str) -> Option<String> {
    if digits.starts_with(&code.to_string()) {
        if let Some(formatted) = in_its_plan(digits) {
            return Some(formatted);
        }
    }
    let id: phonenumber::country::Id = region.parse().ok()?;
    let number = phonenumber::parse(Some(id), digits).ok()?;
    let formatted = number.format().mode(phonenumber::Mode::E164).to_string();
    in_its_plan(formatted.strip_prefix('+')?)
}

/// The Brazilian fast path (see the module's documentation).
fn brazilian(digits: &str) -> Option<String> {
    let national = match digits.strip_prefix('0') {
        Some(rest) if matches!(rest.len(), 10 | 11) => rest,
        _ => digits,
    };
    match national.len() {
        10 | 11 if valid_ddd(national) => Some(format!("+55{national}")),
        12 | 13 if national.starts_with("55") && valid_ddd(&national[2..]) => {
            Some(format!("+{national}"))
        }
        _ => None,
    }
}

/// Brazilian DDDs are two digits, neither of them zero (11–99).
fn valid_ddd(national: &str) -> bool {
    national
        .as_bytes()
        .iter()
        .take(2)
        .all(|b| (b'1'..=b'9').contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn formatted(text: &str) -> Option<String> {
        normalize_phone(text, None).and_then(|p| p.formatted)
    }

    #[test]
    fn brazilian_with_ddd_gets_55() {
        assert_eq!(formatted("34999999999"), Some("+5534999999999".into()));
        assert_eq!(formatted("1133334444"), Some("+551133334444".into()));
    }

    #[test]
    fn already_with_55_keeps_it() {
        assert_eq!(formatted("5534999990000"), Some("+5534999990000".into()));
        assert_eq!(formatted("551133334444"), Some("+551133334444".into()));
        assert_eq!(formatted("+5511994215695"), Some("+5511994215695".into()));
    }

    #[test]
    fn punctuation_is_removed_from_raw_number() {
        let phone = normalize_phone("(11) 99999-9999", None).unwrap();
        assert_eq!(phone.raw_number, "11999999999");
        assert_eq!(phone.formatted.as_deref(), Some("+5511999999999"));
        assert_eq!(phone.area_code(), Some("11"));
        assert_eq!(phone.dialing_code(), Some("55"));
        assert_eq!(
            formatted("+55 (34) 9 9999-0000"),
            Some("+5534999990000".into())
        );
    }

    #[test]
    fn no_area_code_has_no_e164() {
        let phone = normalize_phone("999999999", None).unwrap();
        assert_eq!(phone.raw_number, "999999999");
        assert_eq!(phone.formatted, None);
        assert_eq!(phone.area_code(), None);
        assert_eq!(formatted("99999"), None);
    }

    #[test]
    fn twelve_digits_without_55_or_too_long() {
        assert_eq!(formatted("222222222222"), None);
        assert_eq!(formatted("55119999999999"), None);
    }

    #[test]
    fn invalid_ddd() {
        assert_eq!(formatted("0199999999"), None);
        assert_eq!(formatted("1099999999"), None);
    }

    #[test]
    fn trunk_and_international_prefixes() {
        assert_eq!(formatted("011999999999"), Some("+5511999999999".into()));
        assert_eq!(formatted("005511999999999"), Some("+5511999999999".into()));
        assert_eq!(formatted("0041945968750"), Some("+41945968750".into()));
    }

    #[test]
    fn foreign_numbers_sent_with_plus() {
        let phone = normalize_phone("+41945968750", None).unwrap();
        assert_eq!(phone.raw_number, "41945968750");
        assert_eq!(phone.formatted.as_deref(), Some("+41945968750"));
        assert_eq!(phone.area_code(), None);
        assert_eq!(formatted("+1234567"), None);
        assert_eq!(formatted("+1234567890123456"), None);
    }

    fn in_country(text: &str, country: &str) -> Option<String> {
        normalize_phone(text, Some(country)).and_then(|p| p.formatted)
    }

    #[test]
    fn foreign_buyers_are_read_in_their_country_plan() {
        assert_eq!(in_country("5551234567", "US"), Some("+15551234567".into()));
        assert_eq!(
            in_country("(202) 555-0123", "us"),
            Some("+12025550123".into())
        );
        assert_eq!(in_country("5512345678", "MX"), Some("+525512345678".into()));
        assert_eq!(
            in_country("525512345678", "MX"),
            Some("+525512345678".into())
        );
        assert_eq!(in_country("912345678", "PT"), Some("+351912345678".into()));
        assert_eq!(
            in_country("351912345678", "PT"),
            Some("+351912345678".into())
        );
        assert_eq!(
            in_country("00351912345678", "PT"),
            Some("+351912345678".into())
        );
        // A length the plan does not have.
        assert_eq!(in_country("123", "PT"), None);
        assert_eq!(in_country("55512345", "US"), None);
    }

    #[test]
    fn brazil_or_an_unknown_country_takes_the_brazilian_rules() {
        for country in ["BR", "br", " BR ", "", "Brasil", "XX"] {
            assert_eq!(
                in_country("34999999999", country),
                Some("+5534999999999".into())
            );
        }
    }

    #[test]
    fn dialing_code_of_any_country() {
        let us = normalize_phone("5551234567", Some("US")).unwrap();
        assert_eq!(us.dialing_code(), Some("1"));
        assert_eq!(us.area_code(), None);
        let pt = normalize_phone("+351912345678", None).unwrap();
        assert_eq!(pt.dialing_code(), Some("351"));
        assert_eq!(
            normalize_phone("999999999", None).unwrap().dialing_code(),
            None
        );
    }

    #[test]
    fn possible_e164_for_validate() {
        assert!(is_possible_e164("+5511999999999"));
        assert!(is_possible_e164("+15551234567"));
        // A `+55` number with 8 digits after the country code has no DDD.
        assert!(!is_possible_e164("+5599999999"));
        assert!(!is_possible_e164("+5551234567"));
        assert!(!is_possible_e164("5511999999999"));
        assert!(!is_possible_e164("+999123456789"));
        assert!(!is_possible_e164("+02700000"));
    }

    #[test]
    fn nothing_to_normalize() {
        assert_eq!(normalize_phone("", None), None);
        assert_eq!(normalize_phone("n/a", None), None);
    }
}
