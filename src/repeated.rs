//! Keys given twice in one JSON object. A receiver that reads a whole tree
//! (rather than the typed fields serde refuses twice) keeps the last of two
//! values where another receiver keeps the first: such a body is refused, the
//! same rule as for a typed field and a form's repeated name.

use crate::error::{ConvertError, ErrorKind, push_token, quoted};
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::HashSet;
use std::fmt;

/// The first key that an object of `text` gives twice: its JSON pointer, and
/// the line and column (1-based, in `text`) where its second copy ends. `None`
/// when there is none, or when `text` is not JSON (its parser says why).
pub fn first_repeated_key(text: &str) -> Option<(String, usize, usize)> {
    let found = RefCell::new(None);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let seed = Unique {
        pointer: String::new(),
        found: &found,
    };
    let error = seed.deserialize(&mut deserializer).err()?;
    let pointer = found.into_inner()?;
    Some((pointer, error.line(), error.column()))
}

/// The error of a key given twice, at `pointer` (which ends with the key).
pub fn repeated_key_error(pointer: &str) -> ConvertError {
    let key = crate::error::pointer_tokens(pointer)
        .last()
        .unwrap_or_default();
    ConvertError::new(
        ErrorKind::InvalidValue,
        pointer,
        "each key once (receivers disagree on which of two values counts)",
    )
    .found(format!("{} a second time", quoted(&key)))
}

/// Walks one value, refusing a key given twice in any object below it.
struct Unique<'f> {
    pointer: String,
    found: &'f RefCell<Option<String>>,
}

impl Unique<'_> {
    fn below(&self, token: &str) -> Self {
        let mut pointer = self.pointer.clone();
        push_token(&mut pointer, token);
        Unique {
            pointer,
            found: self.found,
        }
    }
}

impl<'de> DeserializeSeed<'de> for Unique<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Unique<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut items: A) -> Result<(), A::Error> {
        let mut index = 0usize;
        while items
            .next_element_seed(self.below(&index.to_string()))?
            .is_some()
        {
            index += 1;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = HashSet::new();
        while let Some(key) = map.next_key::<String>()? {
            let below = self.below(&key);
            if !seen.insert(key) {
                *self.found.borrow_mut() = Some(below.pointer);
                return Err(de::Error::custom("a key given twice"));
            }
            map.next_value_seed(below)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_repeated_key_is_found_at_any_depth() {
        assert_eq!(first_repeated_key(r#"{"a": 1, "b": [1, {"c": 2}]}"#), None);
        assert_eq!(
            first_repeated_key("{\"a\": 1,\n \"a\": 2}"),
            Some(("/a".to_owned(), 2, 4))
        );
        let nested = r#"{"a": [0, {"x/y": 1, "x/y": 2}], "a": 3}"#;
        assert_eq!(
            first_repeated_key(nested).map(|found| found.0),
            Some("/a/1/x~1y".to_owned())
        );
        // Numbers of any precision are values, not objects.
        assert_eq!(
            first_repeated_key(r#"{"n": 12345678901234567890123, "m": 1.5e3}"#),
            None
        );
        assert_eq!(first_repeated_key("{not json"), None);
    }

    #[test]
    fn the_error_names_the_key_escaped() {
        let error = repeated_key_error("/data/a\nb");
        let message = error.reason().to_string();
        assert!(message.contains("each key once"), "{message}");
        assert!(message.contains("\"a\\nb\" a second time"), "{message}");
    }
}
