//! Money: decimal reais (as JSON number text or string) to integer cents.
//!
//! Amounts are converted from their decimal *text*, never through binary floating
//! point, rounding half away from zero: `19.99 → 1999`, `1.005 → 101`, `0.1 → 10`.

use std::fmt;

/// The largest amount accepted, in cents: 2^53 − 1, so that every consumer of the
/// output (JavaScript included) reads the integer exactly.
pub const MAX_CENTS: i64 = 9_007_199_254_740_991;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// The text is not a plain decimal number (`10.00`, `-3`, `1e2`).
    NotDecimal,
    /// The amount is beyond ±`MAX_CENTS` cents.
    OutOfRange,
}

impl fmt::Display for MoneyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MoneyError::NotDecimal => f.write_str("a decimal amount such as 10.50 or \"10.50\""),
            MoneyError::OutOfRange => write!(f, "an amount within ±{MAX_CENTS} cents"),
        }
    }
}

/// Converts a decimal amount in reais, as text (`"127.99"`, `"5"`, `"-0.5"`,
/// `"1.5e2"`), to cents, rounding half away from zero.
pub fn reais_to_cents(text: &str) -> Result<i64, MoneyError> {
    decimal_to_scaled(text.trim(), 2)
}

/// Converts an integer amount already in cents, as text (`"4715"`), to cents.
/// A fractional part is refused: cents have none.
pub fn cents_text_to_cents(text: &str) -> Result<i64, MoneyError> {
    match scaled(text.trim(), 0)? {
        (cents, true) => Ok(cents),
        // 19699.999 is no count of cents, however close to one.
        (_, false) => Err(MoneyError::NotDecimal),
    }
}

/// Parses `[-+]digits[.digits][(e|E)[-+]digits]` and returns the value × 10^`scale`,
/// rounded half away from zero.
fn decimal_to_scaled(text: &str, scale: i64) -> Result<i64, MoneyError> {
    scaled(text, scale).map(|(value, _)| value)
}

/// `decimal_to_scaled`, and whether the value is exact: no digit other than
/// zero was rounded away.
fn scaled(text: &str, scale: i64) -> Result<(i64, bool), MoneyError> {
    let bytes = text.as_bytes();
    let mut i = 0;
    let negative = match bytes.first() {
        Some(b'-') => {
            i += 1;
            true
        }
        Some(b'+') => {
            i += 1;
            false
        }
        _ => false,
    };

    // Significant digits of the mantissa, with the count of digits after the point.
    let mut digits: u128 = 0;
    let mut significant = 0usize;
    let mut any_digit = false;
    let mut frac_len: i64 = 0;
    let mut seen_point = false;
    let mut dropped = false;
    while i < bytes.len() {
        match bytes[i] {
            b @ b'0'..=b'9' => {
                any_digit = true;
                if seen_point {
                    frac_len += 1;
                }
                if significant > 0 || b != b'0' {
                    if significant < 36 {
                        digits = digits * 10 + u128::from(b - b'0');
                        significant += 1;
                    } else if seen_point {
                        // Digits past the 36th significant one cannot change the cents.
                        frac_len -= 1;
                        dropped |= b != b'0';
                    } else {
                        return Err(MoneyError::OutOfRange);
                    }
                }
            }
            b'.' if !seen_point => seen_point = true,
            b'e' | b'E' => break,
            _ => return Err(MoneyError::NotDecimal),
        }
        i += 1;
    }
    if !any_digit {
        return Err(MoneyError::NotDecimal);
    }

    let mut exponent: i64 = 0;
    if i < bytes.len() {
        let exp_text = &text[i + 1..];
        let exp_digits = exp_text.strip_prefix(['-', '+']).unwrap_or(exp_text);
        if exp_digits.is_empty() || !exp_digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::NotDecimal);
        }
        // Anything past a few thousand is zero or overflow alike; clamp before parsing.
        let magnitude: i64 = if exp_digits.len() > 6 {
            1_000_000
        } else {
            exp_digits.parse().map_err(|_| MoneyError::NotDecimal)?
        };
        exponent = if exp_text.starts_with('-') {
            -magnitude
        } else {
            magnitude
        };
    }

    // value = digits × 10^(exponent − frac_len); we want value × 10^scale.
    let shift = exponent - frac_len + scale;
    let (magnitude, exact) = if digits == 0 {
        (0, true)
    } else if shift >= 0 {
        if shift > 38 {
            return Err(MoneyError::OutOfRange);
        }
        let magnitude = digits
            .checked_mul(10u128.pow(shift as u32))
            .ok_or(MoneyError::OutOfRange)?;
        (magnitude, true)
    } else if -shift > 38 {
        (0, false)
    } else {
        let divisor = 10u128.pow((-shift) as u32);
        let (quotient, remainder) = (digits / divisor, digits % divisor);
        // Half away from zero: the sign is applied afterwards.
        let rounded = if remainder * 2 >= divisor {
            quotient + 1
        } else {
            quotient
        };
        (rounded, remainder == 0)
    };
    if magnitude > MAX_CENTS as u128 {
        return Err(MoneyError::OutOfRange);
    }
    let value = magnitude as i64;
    Ok((if negative { -value } else { value }, exact && !dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(reais_to_cents("19.99"), Ok(1999));
        assert_eq!(reais_to_cents("1.005"), Ok(101));
        assert_eq!(reais_to_cents("0.1"), Ok(10));
        assert_eq!(reais_to_cents("5.00"), Ok(500));
        assert_eq!(reais_to_cents("127.99"), Ok(12799));
        assert_eq!(reais_to_cents("0.00"), Ok(0));
        assert_eq!(reais_to_cents("5"), Ok(500));
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(reais_to_cents("0.005"), Ok(1));
        assert_eq!(reais_to_cents("0.0049999"), Ok(0));
        assert_eq!(reais_to_cents("2.675"), Ok(268));
        assert_eq!(reais_to_cents("-1.005"), Ok(-101));
        assert_eq!(reais_to_cents("-0.004"), Ok(0));
        assert_eq!(
            reais_to_cents("1.00500000000000000000000000000000000000001"),
            Ok(101)
        );
    }

    #[test]
    fn negative_and_signed_zero() {
        assert_eq!(reais_to_cents("-10.50"), Ok(-1050));
        assert_eq!(reais_to_cents("-0"), Ok(0));
        assert_eq!(reais_to_cents("+3.2"), Ok(320));
    }

    #[test]
    fn exponents() {
        assert_eq!(reais_to_cents("1.5e2"), Ok(15000));
        assert_eq!(reais_to_cents("15E-1"), Ok(150));
        assert_eq!(reais_to_cents("0.1e-400"), Ok(0));
        assert_eq!(reais_to_cents("1e400"), Err(MoneyError::OutOfRange));
        assert_eq!(
            reais_to_cents("1e99999999999999"),
            Err(MoneyError::OutOfRange)
        );
        assert_eq!(reais_to_cents("0e99999"), Ok(0));
    }

    #[test]
    fn huge_values() {
        assert_eq!(reais_to_cents("90071992547409.91"), Ok(MAX_CENTS));
        assert_eq!(
            reais_to_cents("90071992547409.92"),
            Err(MoneyError::OutOfRange)
        );
        assert_eq!(
            reais_to_cents("123456789012345678901234567890123456789012"),
            Err(MoneyError::OutOfRange)
        );
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        assert_eq!(reais_to_cents(" 7.10 "), Ok(710));
    }

    #[test]
    fn refuses_what_is_not_a_plain_decimal() {
        for text in [
            "", "R$ 10,00", "10,00", "1.2.3", ".", "-", "e5", "1e", "1e+", "NaN", "Infinity",
            "0x10", "1 000",
        ] {
            assert_eq!(
                reais_to_cents(text),
                Err(MoneyError::NotDecimal),
                "{text:?}"
            );
        }
    }

    #[test]
    fn leading_point_and_zeros() {
        assert_eq!(reais_to_cents(".5"), Ok(50));
        assert_eq!(reais_to_cents("000123.40"), Ok(12340));
        assert_eq!(
            reais_to_cents("0.000000000000000000000000000000000000000000001"),
            Ok(0)
        );
    }

    #[test]
    fn cents_text() {
        assert_eq!(cents_text_to_cents("4715"), Ok(4715));
        assert_eq!(cents_text_to_cents("-3"), Ok(-3));
        assert_eq!(cents_text_to_cents("4715.0"), Ok(4715));
        assert_eq!(cents_text_to_cents("47.15"), Err(MoneyError::NotDecimal));
        // Fractions of a cent are refused, not rounded, however small.
        assert_eq!(
            cents_text_to_cents("19699.999"),
            Err(MoneyError::NotDecimal)
        );
        assert_eq!(
            cents_text_to_cents("19700.001"),
            Err(MoneyError::NotDecimal)
        );
        assert_eq!(cents_text_to_cents("1970e-1"), Ok(197));
        assert_eq!(cents_text_to_cents("1971e-1"), Err(MoneyError::NotDecimal));
        assert_eq!(
            cents_text_to_cents("1.0000000000000000000000000000000000000001"),
            Err(MoneyError::NotDecimal)
        );
        assert_eq!(cents_text_to_cents("1e-400"), Err(MoneyError::NotDecimal));
        assert_eq!(cents_text_to_cents("0e-400"), Ok(0));
        assert_eq!(cents_text_to_cents("abc"), Err(MoneyError::NotDecimal));
    }
}
