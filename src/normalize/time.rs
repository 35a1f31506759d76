//! Time: every timestamp becomes unix seconds (an integer).
//!
//! - ISO 8601 with an offset (`2024-08-22T11:39:57.113068-03:00`, `...Z`, a space
//!   instead of `T`) is an exact instant; fractions of a second are floored.
//! - Text without a zone is refused unless the provider's documentation fixes one:
//!   Kiwify's `YYYY-MM-DD HH:MM` and `DD/MM/YYYY[ HH:MM]` are Brasília time (UTC−03:00).
//! - Epoch milliseconds are floored to seconds.

use std::fmt;

/// Brasília time, UTC−03:00 (Brazil has had no daylight saving time since 2019).
pub const BRASILIA_OFFSET_SECONDS: i64 = -3 * 3600;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimeError {
    /// Not in any accepted layout.
    Format,
    /// Right layout, but the date or time does not exist (`2024-02-30`, `25:00`).
    NoSuchDate,
    /// A date and time with no zone where none may be assumed.
    NoZone,
    /// An epoch value out of the range of representable dates.
    OutOfRange,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TimeError::Format => "a date-time such as 2024-08-22T11:39:57-03:00",
            TimeError::NoSuchDate => "a date that exists in the calendar",
            TimeError::NoZone => "a date-time with a zone (Z or ±HH:MM)",
            TimeError::OutOfRange => "a timestamp between the years 0001 and 9999",
        })
    }
}

/// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the range we accept.
const MIN_UNIX: i64 = -62_135_596_800;
const MAX_UNIX: i64 = 253_402_300_799;

/// Parses ISO 8601 / RFC 3339 (`T` or a space between date and time, optional
/// seconds and fraction, `Z` or `±HH:MM` / `±HHMM` / `±HH`). Without a zone,
/// `assumed_offset` is used if given, else the text is refused. A date alone is
/// midnight at that offset.
pub fn parse_iso8601(text: &str, assumed_offset: Option<i64>) -> Result<i64, TimeError> {
    let text = text.trim();
    let mut cursor = Cursor::new(text);
    let year = cursor.digits(4)?;
    cursor.expect(b'-')?;
    let month = cursor.digits(2)?;
    cursor.expect(b'-')?;
    let day = cursor.digits(2)?;
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    let has_time = matches!(cursor.peek(), Some(b'T' | b't' | b' '));
    if has_time {
        cursor.advance();
        hour = cursor.digits(2)?;
        cursor.expect(b':')?;
        minute = cursor.digits(2)?;
        if cursor.peek() == Some(b':') {
            cursor.advance();
            second = cursor.digits(2)?;
            if matches!(cursor.peek(), Some(b'.' | b',')) {
                cursor.advance();
                if !cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return Err(TimeError::Format);
                }
                while cursor.peek().is_some_and(|b| b.is_ascii_digit()) {
                    cursor.advance();
                }
            }
        }
    }
    let offset = match cursor.peek() {
        None => assumed_offset.ok_or(TimeError::NoZone)?,
        Some(b'Z' | b'z') => {
            cursor.advance();
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            cursor.advance();
            let hours = cursor.digits(2)?;
            let minutes = match cursor.peek() {
                Some(b':') => {
                    cursor.advance();
                    cursor.digits(2)?
                }
                Some(b'0'..=b'9') => cursor.digits(2)?,
                _ => 0,
            };
            if hours > 23 || minutes > 59 {
                return Err(TimeError::Format);
            }
            let seconds = hours * 3600 + minutes * 60;
            if sign == b'-' { -seconds } else { seconds }
        }
        Some(_) => return Err(TimeError::Format),
    };
    cursor.finish()?;
    civil_to_unix(year, month, day, hour, minute, second, offset)
}

/// Parses Kiwify's local `DD/MM/YYYY` or `DD/MM/YYYY HH:MM[:SS]`, in Brasília time.
pub fn parse_br_date(text: &str) -> Result<i64, TimeError> {
    let text = text.trim();
    let mut cursor = Cursor::new(text);
    let day = cursor.digits(2)?;
    cursor.expect(b'/')?;
    let month = cursor.digits(2)?;
    cursor.expect(b'/')?;
    let year = cursor.digits(4)?;
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    if cursor.peek() == Some(b' ') {
        cursor.advance();
        hour = cursor.digits(2)?;
        cursor.expect(b':')?;
        minute = cursor.digits(2)?;
        if cursor.peek() == Some(b':') {
            cursor.advance();
            second = cursor.digits(2)?;
        }
    }
    cursor.finish()?;
    civil_to_unix(
        year,
        month,
        day,
        hour,
        minute,
        second,
        BRASILIA_OFFSET_SECONDS,
    )
}

/// Parses any of the layouts Kiwify uses (ISO with zone, `YYYY-MM-DD HH:MM` local,
/// `DD/MM/YYYY[ HH:MM]` local); local times are Brasília time.
pub fn parse_brazil_local(text: &str) -> Result<i64, TimeError> {
    if text.trim().as_bytes().get(2) == Some(&b'/') {
        parse_br_date(text)
    } else {
        parse_iso8601(text, Some(BRASILIA_OFFSET_SECONDS))
    }
}

/// Epoch milliseconds to seconds, floored (also before 1970).
pub fn millis_to_seconds(millis: i64) -> Result<i64, TimeError> {
    let seconds = millis.div_euclid(1000);
    if (MIN_UNIX..=MAX_UNIX).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(TimeError::OutOfRange)
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn civil_to_unix(
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    offset: i64,
) -> Result<i64, TimeError> {
    if year == 0
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return Err(TimeError::NoSuchDate);
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

/// The calendar date and time (UTC) of unix seconds: (year, month, day, hour, minute, second).
pub fn unix_to_civil(seconds: i64) -> (i64, i64, i64, i64, i64, i64) {
    let days = seconds.div_euclid(86_400);
    let rest = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day, rest / 3600, rest % 3600 / 60, rest % 60)
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            bytes: text.as_bytes(),
            at: 0,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn advance(&mut self) {
        self.at += 1;
    }

    fn expect(&mut self, byte: u8) -> Result<(), TimeError> {
        if self.peek() == Some(byte) {
            self.advance();
            Ok(())
        } else {
            Err(TimeError::Format)
        }
    }

    fn digits(&mut self, count: usize) -> Result<i64, TimeError> {
        let mut value = 0;
        for _ in 0..count {
            match self.peek() {
                Some(b @ b'0'..=b'9') => {
                    value = value * 10 + i64::from(b - b'0');
                    self.advance();
                }
                _ => return Err(TimeError::Format),
            }
        }
        Ok(value)
    }

    fn finish(&self) -> Result<(), TimeError> {
        if self.at == self.bytes.len() {
            Ok(())
        } else {
            Err(TimeError::Format)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_with_offset_and_microseconds() {
        // 2024-08-22T14:39:57Z
        assert_eq!(
            parse_iso8601("2024-08-22T11:39:57.113068-03:00", None),
            Ok(1_724_337_597)
        );
        assert_eq!(
            parse_iso8601("2024-08-22T14:39:57Z", None),
            Ok(1_724_337_597)
        );
        assert_eq!(
            parse_iso8601("2024-08-22T14:39:57.999999+00:00", None),
            Ok(1_724_337_597)
        );
        assert_eq!(
            parse_iso8601("2024-08-22T17:39:57+0300", None),
            Ok(1_724_337_597)
        );
        assert_eq!(
            parse_iso8601("2024-08-22T17:39:57+03", None),
            Ok(1_724_337_597)
        );
    }

    #[test]
    fn space_instead_of_t() {
        assert_eq!(
            parse_iso8601("2024-08-22 17:25:14.804059+00:00", None),
            Ok(1_724_347_514)
        );
    }

    #[test]
    fn seed_timestamp() {
        // 1705319000 = 2024-01-15 11:43:20 UTC (NORMALIZED-REFERENCE §3)
        assert_eq!(
            parse_iso8601("2024-01-15T11:43:20Z", None),
            Ok(1_705_319_000)
        );
        assert_eq!(unix_to_civil(1_705_319_000), (2024, 1, 15, 11, 43, 20));
    }

    #[test]
    fn kiwify_local_formats_are_brasilia_time() {
        assert_eq!(parse_brazil_local("2026-06-08 11:53"), Ok(1_780_930_380));
        assert_eq!(parse_brazil_local("08/06/2026 11:53"), Ok(1_780_930_380));
        assert_eq!(parse_brazil_local("12/06/2026"), Ok(1_781_233_200));
        assert_eq!(
            parse_brazil_local("2026-06-08T14:53:19.679Z"),
            Ok(1_780_930_399)
        );
    }

    #[test]
    fn zone_is_required_unless_assumed() {
        assert_eq!(
            parse_iso8601("2024-08-22T11:39:57", None),
            Err(TimeError::NoZone)
        );
        assert_eq!(parse_iso8601("2024-08-22", None), Err(TimeError::NoZone));
        assert_eq!(
            parse_iso8601("2024-08-25", Some(BRASILIA_OFFSET_SECONDS)),
            Ok(1_724_554_800)
        );
    }

    #[test]
    fn dates_that_do_not_exist() {
        for text in [
            "2024-02-30T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-00-10T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T23:60:00Z",
            "2024-01-01T23:59:60Z",
            "0000-01-01T00:00:00Z",
        ] {
            assert_eq!(
                parse_iso8601(text, None),
                Err(TimeError::NoSuchDate),
                "{text}"
            );
        }
        assert_eq!(
            parse_iso8601("2024-02-29T00:00:00Z", None),
            Ok(1_709_164_800)
        );
        assert_eq!(parse_br_date("31/04/2026"), Err(TimeError::NoSuchDate));
    }

    #[test]
    fn malformed_text() {
        for text in [
            "",
            "yesterday",
            "2024-8-22",
            "2024-08-22T1:00Z",
            "2024-08-22T10:00:00.Z",
            "2024-08-22T10:00:00+5:00",
            "2024-08-22T10:00:00Zjunk",
            "1724337597",
        ] {
            assert_eq!(parse_iso8601(text, None), Err(TimeError::Format), "{text}");
        }
    }

    #[test]
    fn epoch_milliseconds_floor() {
        assert_eq!(millis_to_seconds(1_603_808_305_165), Ok(1_603_808_305));
        assert_eq!(millis_to_seconds(999), Ok(0));
        assert_eq!(millis_to_seconds(-1), Ok(-1));
        assert_eq!(millis_to_seconds(i64::MAX), Err(TimeError::OutOfRange));
    }

    #[test]
    fn civil_round_trip() {
        for seconds in [-62_135_596_800, -1, 0, 951_782_400, 1_709_164_800, MAX_UNIX] {
            let (y, mo, d, h, mi, s) = unix_to_civil(seconds);
            assert_eq!(civil_to_unix(y, mo, d, h, mi, s, 0), Ok(seconds));
        }
    }
}
