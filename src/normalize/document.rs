//! Documents (CPF / CNPJ) and countries.

/// A CPF or CNPJ as digits only; `None` when no digit is left.
pub fn document_digits(text: &str) -> Option<String> {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// Whether `digits` is a CPF (11 digits) or CNPJ (14 digits) whose check digits
/// are right. Sequences of one repeated digit pass the arithmetic but are not issued.
pub fn has_valid_check_digits(digits: &str) -> bool {
    let values: Vec<u32> = digits.chars().filter_map(|c| c.to_digit(10)).collect();
    if values.len() != digits.len() || values.windows(2).all(|w| w[0] == w[1]) {
        return false;
    }
    match values.len() {
        11 => cpf_check(&values),
        14 => cnpj_check(&values),
        _ => false,
    }
}

fn cpf_check(values: &[u32]) -> bool {
    let digit = |len: usize| {
        let sum: u32 = values[..len]
            .iter()
            .zip((2..=len as u32 + 1).rev())
            .map(|(v, w)| v * w)
            .sum();
        (sum * 10 % 11) % 10
    };
    digit(9) == values[9] && digit(10) == values[10]
}

fn cnpj_check(values: &[u32]) -> bool {
    const WEIGHTS: [u32; 13] = [6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];
    let digit = |len: usize| {
        let sum: u32 = values[..len]
            .iter()
            .zip(&WEIGHTS[13 - len..])
            .map(|(v, w)| v * w)
            .sum();
        match sum % 11 {
            0 | 1 => 0,
            r => 11 - r,
        }
    };
    digit(12) == values[12] && digit(13) == values[13]
}

/// ISO 3166-1 alpha-2 in upper case: `"br"` → `"BR"`; the Portuguese and English
/// names of Brazil → `"BR"`; empty → `None`. Anything else is kept, trimmed, so that
/// `validate` can point at it rather than have it vanish.
pub fn country_code(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.eq_ignore_ascii_case("brasil") || text.eq_ignore_ascii_case("brazil") {
        return Some("BR".to_owned());
    }
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Some(text.to_ascii_uppercase());
    }
    Some(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_only() {
        assert_eq!(
            document_digits("123.456.789-09").as_deref(),
            Some("12345678909")
        );
        assert_eq!(
            document_digits("27.823.991/3160-52").as_deref(),
            Some("27823991316052")
        );
        assert_eq!(document_digits(""), None);
        assert_eq!(document_digits("-"), None);
    }

    #[test]
    fn check_digits() {
        assert!(has_valid_check_digits("12345678909"));
        assert!(!has_valid_check_digits("12345678900"));
        assert!(!has_valid_check_digits("11111111111"));
        assert!(has_valid_check_digits("11222333000181"));
        assert!(!has_valid_check_digits("11222333000182"));
        assert!(!has_valid_check_digits("123"));
        assert!(!has_valid_check_digits("1234567890a"));
    }

    #[test]
    fn countries() {
        assert_eq!(country_code("br").as_deref(), Some("BR"));
        assert_eq!(country_code(" Brasil ").as_deref(), Some("BR"));
        assert_eq!(country_code(""), None);
        assert_eq!(country_code("Portugal").as_deref(), Some("Portugal"));
    }
}
