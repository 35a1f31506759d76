//! Phones: `raw_number` keeps the provider's digits as sent (punctuation removed);
//! `formatted_phone` is E.164 when the number allows it.
//!
//! - A number sent with a leading `+` (or the `00` international prefix) is already
//!   international: `+` and its digits, when 8–15 digits long.
//! - A Brazilian national number with its DDD (10–11 digits, the DDD's two digits
//!   1–9, an optional `0` trunk prefix before it) gets `+55`.
//! - A number that already starts with `55` and has 12–13 digits keeps it.
//! - Anything else (no area code, too short, too long) has no E.164 form.

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

    /// The country calling code, for Brazilian numbers only (`"55"`): other
    /// countries' codes have 1 to 3 digits and cannot be split off without a table.
    pub fn dialing_code(&self) -> Option<&str> {
        self.area_code().map(|_| "55")
    }
}

/// Normalizes a phone as a provider sent it. `None` when it holds no digit at all.
pub fn normalize_phone(text: &str) -> Option<NormalizedPhone> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    let formatted = e164(text.trim_start().starts_with('+'), &digits);
    Some(NormalizedPhone {
        raw_number: digits,
        formatted,
    })
}

/// Normalizes a phone known to include its country code even without a `+`
/// (Hotmart's international buyers).
pub fn normalize_international_phone(text: &str) -> Option<NormalizedPhone> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(NormalizedPhone {
        formatted: international(digits.trim_start_matches('0')),
        raw_number: digits,
    })
}

fn e164(has_plus: bool, digits: &str) -> Option<String> {
    if has_plus {
        return international(digits);
    }
    if let Some(rest) = digits.strip_prefix("00") {
        return international(rest);
    }
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

fn international(digits: &str) -> Option<String> {
    let plausible = (8..=15).contains(&digits.len()) && !digits.starts_with('0');
    plausible.then(|| format!("+{digits}"))
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
        normalize_phone(text).and_then(|p| p.formatted)
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
        let phone = normalize_phone("(11) 99999-9999").unwrap();
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
        let phone = normalize_phone("999999999").unwrap();
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
        let phone = normalize_phone("+41945968750").unwrap();
        assert_eq!(phone.raw_number, "41945968750");
        assert_eq!(phone.formatted.as_deref(), Some("+41945968750"));
        assert_eq!(phone.area_code(), None);
        assert_eq!(formatted("+1234567"), None);
        assert_eq!(formatted("+1234567890123456"), None);
    }

    #[test]
    fn known_international_numbers() {
        let phone = normalize_international_phone("351912345678").unwrap();
        assert_eq!(phone.formatted.as_deref(), Some("+351912345678"));
        assert_eq!(phone.raw_number, "351912345678");
        assert_eq!(
            normalize_international_phone("00351912345678")
                .unwrap()
                .formatted
                .as_deref(),
            Some("+351912345678")
        );
        assert_eq!(
            normalize_international_phone("123").unwrap().formatted,
            None
        );
    }

    #[test]
    fn nothing_to_normalize() {
        assert_eq!(normalize_phone(""), None);
        assert_eq!(normalize_phone("n/a"), None);
    }
}
