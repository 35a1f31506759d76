//! Detection and typed parsing in one scan of the body.
//!
//! The general path reads a body twice: a probe that keeps each top-level key's raw
//! text (`TopLevel`, for detection), then the provider's typed parse. Here the
//! provider is guessed from the first bytes, its typed body is deserialized straight
//! from the text, and on the way each top-level key that detection looks at is
//! recorded into a `TopLevel`. The caller then runs the very same detection on
//! that record and keeps the result only when it names the guessed provider.
//!
//! Anything unusual — a guess that detection does not confirm, a captured request,
//! an escaped key, a value of the wrong type, a syntax error — makes the one-pass
//! parse give up (`None`), and the general path, which owns every error message,
//! reads the body again. So this path changes speed, never an answer.

use super::{Keep, TopLevel};
use serde::Deserialize;
use serde::de::value::BorrowedStrDeserializer;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt;

/// Parses `body` into `T` in one pass, recording the top level on the way.
pub fn parse<'a, T: Deserialize<'a>>(body: &'a str) -> Option<(TopLevel<'a>, T)> {
    let mut top = TopLevel::default();
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let value = T::deserialize(Recorder {
        inner: &mut deserializer,
        top: &mut top,
    })
    .ok()?;
    deserializer.end().ok()?;
    Some((top, value))
}

/// A field of `T` read in place whose presence is all detection needs.
const PARSED_IN_PLACE: &RawValue = RawValue::NULL;

/// A field that may be absent but, when present, must be a `T` (`null` included:
/// unlike `Option`, `null` is not taken as absence, so the general path reports it).
#[derive(Debug, Default)]
pub enum Present<T> {
    #[default]
    Absent,
    Here(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Present<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Present::Here)
    }
}

/// The top-level deserializer: hands `T`'s visitor a map that records as it goes.
struct Recorder<'r, 'a> {
    inner: &'r mut serde_json::Deserializer<serde_json::de::StrRead<'a>>,
    top: &'r mut TopLevel<'a>,
}

impl<'de> Deserializer<'de> for Recorder<'_, 'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.inner.deserialize_map(RecordingVisitor {
            inner: visitor,
            top: self.top,
        })
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_any(visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map enum identifier ignored_any
    }
}

struct RecordingVisitor<'r, 'a, V> {
    inner: V,
    top: &'r mut TopLevel<'a>,
}

impl<'a, V: Visitor<'a>> Visitor<'a> for RecordingVisitor<'_, 'a, V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.inner.expecting(formatter)
    }

    fn visit_map<A: MapAccess<'a>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.inner.visit_map(RecordingMap {
            inner: map,
            top: self.top,
            pending: None,
        })
    }
}

/// What to do with the value of the key just read: where it goes, and how.
type Pending = Option<(usize, Keep)>;

struct RecordingMap<'r, 'a, A> {
    inner: A,
    top: &'r mut TopLevel<'a>,
    pending: Pending,
}

impl<'a, A: MapAccess<'a>> MapAccess<'a> for RecordingMap<'_, 'a, A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        // An escaped key cannot be borrowed: the general path takes it.
        let Some(key) = self.inner.next_key::<&'a str>()? else {
            return Ok(None);
        };
        self.pending = TopLevel::slot(key);
        if let Some((index, keep)) = self.pending {
            let seen = self.top.at(index).is_none_or(|slot| slot.is_some());
            if keep == Keep::Nothing || seen {
                return Err(de::Error::custom("left to the general path"));
            }
        }
        seed.deserialize(BorrowedStrDeserializer::new(key))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        match self.pending.take() {
            Some((index, Keep::Text)) => {
                let raw: &'a RawValue = self.inner.next_value()?;
                if let Some(slot) = self.top.at(index) {
                    *slot = Some(raw);
                }
                seed.deserialize(raw).map_err(de::Error::custom)
            }
            Some((index, _)) => {
                if let Some(slot) = self.top.at(index) {
                    *slot = Some(PARSED_IN_PLACE);
                }
                self.inner.next_value_seed(seed)
            }
            None => self.inner.next_value_seed(seed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Body<'a> {
        #[serde(borrow)]
        order_id: Option<&'a str>,
        #[serde(default, borrow, rename = "Customer")]
        customer: Present<std::collections::BTreeMap<&'a str, u32>>,
        other: Option<u32>,
    }

    #[test]
    fn records_the_top_level_while_parsing() {
        let body = r#"{"order_id": "o1", "Customer": {"a": 1}, "other": 7, "status": "paid"}"#;
        let (top, parsed) = parse::<Body>(body).expect("one pass");
        assert_eq!(parsed.order_id, Some("o1"));
        assert_eq!(parsed.other, Some(7));
        assert!(matches!(parsed.customer, Present::Here(_)));
        assert_eq!(top.get("order_id").map(RawValue::get), Some("\"o1\""));
        assert_eq!(top.get("status").map(RawValue::get), Some("\"paid\""));
        assert!(top.get("Customer").is_some());
        assert!(top.get("event").is_none());
    }

    #[test]
    fn leaves_the_unusual_to_the_general_path() {
        for body in [
            r#"{"headers": {}, "body": "{}"}"#,
            r#"{"order_id": "a", "order_id": "b"}"#,
            r#"{"order\u005fid": "a"}"#,
            r#"{"Customer": null}"#,
            r#"{"other": "seven"}"#,
            r#"{"order_id": "a"} trailing"#,
            r#"{"order_id": "a""#,
            r#"[1]"#,
        ] {
            assert!(parse::<Body>(body).is_none(), "{body}");
        }
    }
}
