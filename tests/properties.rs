//! Property tests of the shared helpers (money, time, phone): exact round trips on
//! well-formed values, and an answer — never a panic — for any text at all.

use hooknorm::normalize::money::{MAX_CENTS, reais_to_cents};
use hooknorm::normalize::phone::{is_possible_e164, normalize_phone};
use hooknorm::normalize::time::{millis_to_seconds, parse_iso8601, unix_to_civil};
use proptest::prelude::*;

fn reais_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn money_round_trips_every_amount(cents in -MAX_CENTS..=MAX_CENTS) {
        prop_assert_eq!(reais_to_cents(&reais_text(cents)), Ok(cents));
    }

    #[test]
    fn money_rounds_half_away_from_zero(mills in -1_000_000_000_000i64..1_000_000_000_000) {
        // An amount with three decimals: mills of a real.
        let sign = if mills < 0 { "-" } else { "" };
        let abs = mills.unsigned_abs();
        let text = format!("{sign}{}.{:03}", abs / 1000, abs % 1000);
        let rounded = (abs + 5) / 10;
        let expected = if mills < 0 { -(rounded as i64) } else { rounded as i64 };
        prop_assert_eq!(reais_to_cents(&text), Ok(expected));
    }

    #[test]
    fn money_scientific_notation_agrees(cents in 0i64..1_000_000_000, shift in 0u32..6) {
        // 1234.5 written as 12345e-1, 1.2345e3, …
        let text = format!("{cents}e-{}", 2 + shift);
        let divisor = 10i64.pow(shift);
        let (quotient, remainder) = (cents / divisor, cents % divisor);
        let expected = quotient + i64::from(remainder * 2 >= divisor);
        prop_assert_eq!(reais_to_cents(&text), Ok(expected));
    }

    #[test]
    fn money_answers_any_text(text in "\\PC{0,40}") {
        let _ = reais_to_cents(&text);
    }

    #[test]
    fn iso_times_round_trip(seconds in -2_208_988_800i64..32_503_680_000, offset_minutes in -720i64..=840) {
        let local = seconds + offset_minutes * 60;
        let (y, mo, d, h, mi, s) = unix_to_civil(local);
        let sign = if offset_minutes < 0 { '-' } else { '+' };
        let off = offset_minutes.abs();
        let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{sign}{:02}:{:02}", off / 60, off % 60);
        prop_assert_eq!(parse_iso8601(&text, None), Ok(seconds), "{}", text);
        let utc = unix_to_civil(seconds);
        let z = format!("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.123456Z", utc.0, utc.1, utc.2, utc.3, utc.4, utc.5);
        prop_assert_eq!(parse_iso8601(&z, None), Ok(seconds), "{}", z);
    }

    #[test]
    fn epoch_milliseconds_floor(millis in -62_135_596_800_000i64..253_402_300_799_000) {
        let seconds = millis_to_seconds(millis).expect("in range");
        prop_assert!(seconds * 1000 <= millis && millis < seconds * 1000 + 1000);
    }

    #[test]
    fn times_answer_any_text(text in "\\PC{0,40}") {
        let _ = parse_iso8601(&text, None);
        let _ = parse_iso8601(&text, Some(-180));
    }

    #[test]
    fn phones_are_e164_or_nothing(
        text in "[+() 0-9-]{0,24}",
        country in prop::sample::select(vec![None, Some("BR"), Some("US"), Some("MX"), Some("PT"), Some("AR")]),
    ) {
        if let Some(phone) = normalize_phone(&text, country) {
            prop_assert!(phone.raw_number.bytes().all(|b| b.is_ascii_digit()));
            prop_assert_eq!(
                &phone.raw_number,
                &text.chars().filter(char::is_ascii_digit).collect::<String>()
            );
            if let Some(formatted) = &phone.formatted {
                let digits = &formatted[1..];
                prop_assert!(formatted.starts_with('+'), "{}", formatted);
                prop_assert!((8..=15).contains(&digits.len()), "{}", formatted);
                prop_assert!(digits.bytes().all(|b| b.is_ascii_digit()) && !digits.starts_with('0'));
                if country.is_some_and(|c| c != "BR") || text.trim_start().starts_with('+') {
                    prop_assert!(is_possible_e164(formatted), "{}", formatted);
                }
            }
            if let Some(area) = phone.area_code() {
                prop_assert!(area.len() == 2 && area.bytes().all(|b| (b'1'..=b'9').contains(&b)), "{}", area);
            }
        } else {
            prop_assert!(!text.chars().any(|c| c.is_ascii_digit()));
        }
    }

    #[test]
    fn brazilian_numbers_with_ddd_get_plus_55(ddd in 11u32..=99, number in 20_000_000u64..=999_999_999) {
        prop_assume!(ddd % 10 != 0);
        let text = format!("({ddd}) {number}");
        let phone = normalize_phone(&text, None).expect("digits");
        let digits = format!("{ddd}{number}");
        if (10..=11).contains(&digits.len()) {
            prop_assert_eq!(phone.formatted, Some(format!("+55{digits}")));
        }
    }
}

proptest! {
    /// The hand-written Brazilian path gives what libphonenumber's metadata gives
    /// for a Brazilian number, however it is written (with `55`, a `0` trunk
    /// prefix, punctuation), so keeping it as a fast path changes no answer.
    #[test]
    fn brazilian_fast_path_agrees_with_libphonenumber(
        ddd in 11u32..=99,
        // Landlines have 8 digits starting 2–5, mobiles 9 starting with 9.
        subscriber in prop_oneof![20_000_000u64..=59_999_999, 900_000_000u64..=999_999_999],
        prefix in prop::sample::select(vec!["", "0", "55", "(", "55 ("]),
    ) {
        prop_assume!(ddd % 10 != 0);
        let closing = if prefix.ends_with('(') { ") " } else { "" };
        let text = format!("{prefix}{ddd}{closing}{subscriber}");
        let ours = normalize_phone(&text, None).and_then(|p| p.formatted);
        let ours_in_br = normalize_phone(&text, Some("BR")).and_then(|p| p.formatted);
        let library = if ddd == 55 {
            // DDD 55 (Santa Maria, RS) also spells Brazil's country code: the crate
            // strips it from `55 3222 1234` and is left with a local-only number;
            // libphonenumber itself keeps a 10–11 digit number that matches the plan
            // whole as national (maybeExtractCountryCode), as we do.
            Some(format!("+55{ddd}{subscriber}"))
        } else {
            phonenumber::parse(Some(phonenumber::country::Id::BR), &text)
                .ok()
                .map(|n| n.format().mode(phonenumber::Mode::E164).to_string())
                .filter(|f| is_possible_e164(f))
        };
        prop_assert_eq!(&ours, &library, "{}", text);
        prop_assert_eq!(&ours_in_br, &library, "{}", text);
    }
}
