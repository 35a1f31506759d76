//! What a conversion read of its body, logged only while `explain --unread`
//! asks (`traced`): the convert path checks one thread-local flag and logs
//! nothing.
//!
//! Conversion reads a body by typed, borrowing parses of its parts
//! (`Doc::parse_at`) and by reading raw values (`Doc::reais`, `millis`, …).
//! While tracing, a typed parse goes through [`Tracker`], a deserializer that
//! hands serde exactly what the plain parse would, and logs
//!
//! - the part parsed, as read;
//! - every value inside it that the types skipped (a key no struct declares),
//!   as not read;
//! - every value inside it kept as a `&RawValue` for later, as not read (yet):
//!   a raw reader or a typed parse of that very text logs it as read then.
//!
//! Parts are logged as the address ranges of the text they are slices of. A
//! leaf of the body is read when some logged part holds it outside what that
//! part skipped: a value is read if any parse or reader read it. A body read
//! as a tree (`serde_json::Value`, walked by pointer) is parsed `untraced`, and
//! each value the walk reads is logged by its pointer.

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::cell::{Cell, RefCell};
use std::fmt;

thread_local! {
    static TRACING: Cell<bool> = const { Cell::new(false) };
    static LOG: RefCell<Log> = RefCell::new(Log::default());
}

/// What a traced conversion read.
#[derive(Debug, Default, Clone)]
pub struct Log {
    /// The parts of the text parsed or read, in order.
    pub parts: Vec<Part>,
    /// Values of a tree read by their pointer in the input (`/body/data/id`).
    pub pointers: Vec<String>,
}

/// A part of the input read (by address), less the values inside it that the
/// read skipped or kept raw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub range: (usize, usize),
    pub skipped: Vec<(usize, usize)>,
}

impl Log {
    /// Whether the value whose text is `part` (a slice of the text the
    /// conversion read) was read by some logged part.
    pub fn read(&self, part: &str) -> bool {
        let leaf = range(part);
        let holds = |outer: &(usize, usize)| outer.0 <= leaf.0 && leaf.1 <= outer.1;
        self.parts
            .iter()
            .any(|read| holds(&read.range) && !read.skipped.iter().any(holds))
    }
}

/// Runs `work` with reads logged, and returns what it read.
pub fn traced<R>(work: impl FnOnce() -> R) -> (R, Log) {
    LOG.with(|log| *log.borrow_mut() = Log::default());
    TRACING.with(|on| on.set(true));
    let result = work();
    TRACING.with(|on| on.set(false));
    let log = LOG.with(|log| std::mem::take(&mut *log.borrow_mut()));
    (result, log)
}

/// Whether reads are being logged (only inside `traced`).
#[inline]
pub fn tracing() -> bool {
    TRACING.with(Cell::get)
}

/// Logs `part` (a slice of the text read) as read.
#[inline]
pub fn read(part: &str) {
    if tracing() {
        self::part(part);
    }
}

/// Runs `work` with nothing logged (a tree parsed whole, read by pointer).
pub fn untraced<R>(work: impl FnOnce() -> R) -> R {
    let was = TRACING.with(|on| on.replace(false));
    let result = work();
    TRACING.with(|on| on.set(was));
    result
}

/// Logs the value at `pointer` (in the input) of a tree as read.
#[inline]
pub fn pointer(pointer: impl FnOnce() -> String) {
    if tracing() {
        let pointer = pointer();
        LOG.with(|log| log.borrow_mut().pointers.push(pointer));
    }
}

fn part(part: &str) {
    let range = range(part);
    LOG.with(|log| {
        log.borrow_mut().parts.push(Part {
            range,
            skipped: Vec::new(),
        })
    });
}

/// Logs `part` as skipped by the part being parsed.
fn skipped(part: &str) {
    let range = range(part);
    LOG.with(|log| {
        if let Some(parsing) = log.borrow_mut().parts.last_mut() {
            parsing.skipped.push(range);
        }
    });
}

fn range(part: &str) -> (usize, usize) {
    let start = part.as_ptr() as usize;
    (start, start + part.len())
}

/// How many parts are logged: a parse that fails takes its own back.
fn mark() -> usize {
    LOG.with(|log| log.borrow().parts.len())
}

fn rewind(mark: usize) {
    LOG.with(|log| log.borrow_mut().parts.truncate(mark));
}

/// Parses `text` into `T` as `serde_json::from_str` does, logging what the
/// types read of it.
pub(crate) fn parse<'a, T: de::Deserialize<'a>>(text: &'a str) -> serde_json::Result<T> {
    let mark = mark();
    part(text);
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let parsed = T::deserialize(Tracker(&mut deserializer));
    let parsed = parsed.and_then(|value| deserializer.end().map(|()| value));
    if parsed.is_err() {
        rewind(mark);
    }
    parsed
}

/// The name serde_json gives a `RawValue` it is asked for.
const RAW_VALUE: &str = "$serde_json::private::RawValue";

/// A deserializer that logs what the visitor skips or keeps raw, and passes
/// everything else on to the one it wraps.
pub(crate) struct Tracker<D>(pub D);

impl<'de, D: Deserializer<'de>> Tracker<D> {
    /// The value's text, logged as not read.
    fn raw(self) -> Result<&'de RawValue, D::Error> {
        let raw: &'de RawValue = de::Deserialize::deserialize(self.0)?;
        skipped(raw.get());
        Ok(raw)
    }
}

macro_rules! forward {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
                self.0.$method(Wrap(visitor))
            }
        )*
    };
}

impl<'de, D: Deserializer<'de>> Deserializer<'de> for Tracker<D> {
    type Error = D::Error;

    forward! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16
        deserialize_i32 deserialize_i64 deserialize_i128 deserialize_u8
        deserialize_u16 deserialize_u32 deserialize_u64 deserialize_u128
        deserialize_f32 deserialize_f64 deserialize_char deserialize_str
        deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_identifier
    }

    /// A value no field declares: kept as text to log it, then skipped.
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, D::Error> {
        self.raw()?;
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        if name != RAW_VALUE {
            return self.0.deserialize_newtype_struct(name, Wrap(visitor));
        }
        // A `&RawValue`: read later, if at all.
        let raw = self.raw()?;
        raw.deserialize_newtype_struct(name, visitor)
            .map_err(de::Error::custom)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_unit_struct(name, Wrap(visitor))
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple(len, Wrap(visitor))
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_tuple_struct(name, len, Wrap(visitor))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_struct(name, fields, Wrap(visitor))
    }

    /// An enum's content is read as serde_json reads it: not traced inside.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, D::Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    fn is_human_readable(&self) -> bool {
        self.0.is_human_readable()
    }
}

/// A visitor whose nested values are read through `Tracker`.
struct Wrap<V>(V);

macro_rules! visit {
    ($($method:ident($type:ty))*) => {
        $(
            fn $method<E: de::Error>(self, value: $type) -> Result<Self::Value, E> {
                self.0.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for Wrap<V> {
    type Value = V::Value;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        self.0.expecting(formatter)
    }

    visit! {
        visit_bool(bool) visit_i8(i8) visit_i16(i16) visit_i32(i32) visit_i64(i64)
        visit_i128(i128) visit_u8(u8) visit_u16(u16) visit_u32(u32) visit_u64(u64)
        visit_u128(u128) visit_f32(f32) visit_f64(f64) visit_char(char)
        visit_str(&str) visit_borrowed_str(&'de str) visit_string(String)
        visit_bytes(&[u8]) visit_borrowed_bytes(&'de [u8]) visit_byte_buf(Vec<u8>)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_none()
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.0.visit_unit()
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        self.0.visit_some(Tracker(deserializer))
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        self.0.visit_newtype_struct(Tracker(deserializer))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(Wrap(seq))
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(Wrap(map))
    }

    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Self::Value, A::Error> {
        self.0.visit_enum(data)
    }
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        self.0.next_element_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

impl<'de, A: MapAccess<'de>> MapAccess<'de> for Wrap<A> {
    type Error = A::Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        self.0.next_key_seed(seed)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, A::Error> {
        self.0.next_value_seed(Seed(seed))
    }

    fn size_hint(&self) -> Option<usize> {
        self.0.size_hint()
    }
}

/// A seed whose value is read through `Tracker`.
struct Seed<S>(S);

impl<'de, S: DeserializeSeed<'de>> DeserializeSeed<'de> for Seed<S> {
    type Value = S::Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<S::Value, D::Error> {
        self.0.deserialize(Tracker(deserializer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Item<'a> {
        #[serde(borrow)]
        id: Option<&'a str>,
        #[serde(borrow)]
        price: Option<&'a RawValue>,
        #[serde(default)]
        tags: Vec<u32>,
    }

    #[derive(Debug, Deserialize)]
    struct Body<'a> {
        #[serde(borrow)]
        items: Vec<Item<'a>>,
        #[serde(borrow)]
        data: Option<&'a RawValue>,
        number: Option<crate::raw::Scalar<'a>>,
    }

    fn at<'t>(text: &'t str, needle: &str) -> &'t str {
        let start = text.find(needle).unwrap_or_default();
        &text[start..start + needle.len()]
    }

    #[test]
    fn logs_what_the_types_read_skip_and_keep_raw() {
        let text = r#"{"items": [{"id": "a", "price": 1.5, "extra": {"x": 1}, "tags": [7]}],
            "data": {"deep": true}, "number": 123456789012345678901234567890, "other": "o"}"#;
        let (parsed, log) = traced(|| parse::<Body>(text));
        let Ok(body) = parsed else {
            panic!("parses: {parsed:?}")
        };
        assert_eq!(body.items[0].id, Some("a"));
        assert_eq!(body.items[0].tags, [7]);
        assert_eq!(body.items[0].price.map(RawValue::get), Some("1.5"));
        assert_eq!(
            body.number.map(|n| n.0.into_owned()).as_deref(),
            Some("123456789012345678901234567890")
        );
        // The raw value keeps the very text of the body.
        assert_eq!(
            body.data.map(|raw| raw.get().as_ptr()),
            Some(at(text, r#"{"deep": true}"#).as_ptr())
        );
        assert!(log.read(at(text, "\"a\"")));
        assert!(log.read(at(text, "7")));
        assert!(log.read(at(text, "123456789012345678901234567890")));
        assert!(!log.read(at(text, "1.5")), "kept raw, not read yet");
        assert!(!log.read(at(text, "true")), "kept raw, not read yet");
        assert!(!log.read(at(text, "1}")), "skipped");
        assert!(!log.read(at(text, "\"o\"")), "skipped");
        // Read later, by a reader or a parse of its own.
        let (_, log) = traced(|| {
            let _ = parse::<Body>(text);
            read(at(text, "1.5"));
            let _ = parse::<std::collections::BTreeMap<&str, bool>>(at(text, r#"{"deep": true}"#));
        });
        assert!(log.read(at(text, "1.5")));
        assert!(log.read(at(text, "true")));
        // What one parse skipped, a later parse of the whole may read.
        let (_, log) = traced(|| {
            let _ = parse::<std::collections::BTreeMap<&str, serde::de::IgnoredAny>>(text);
            let _ = parse::<Body>(text);
        });
        assert!(log.read(at(text, "\"a\"")));
        assert!(!log.read(at(text, "\"o\"")));
        // Nothing is logged untraced.
        let doc = crate::raw::Doc::new(text);
        let (_, log) = traced(|| untraced(|| doc.parse::<Body>(text, "").map(|_| ())));
        assert!(log.parts.is_empty());
    }

    #[test]
    fn nothing_is_logged_outside_traced() {
        let _ = parse::<Body>(r#"{"items": []}"#);
        read("x");
        let (_, log) = traced(|| ());
        assert!(log.parts.is_empty());
        assert!(!tracing());
    }

    #[test]
    fn a_failed_parse_logs_nothing_and_errs_as_serde_json_does() {
        let text = r#"{"items": [{"id": 5}]}"#;
        let (parsed, log) = traced(|| parse::<Body>(text).map(|_| ()));
        let plain = serde_json::from_str::<Body>(text).map(|_| ());
        assert_eq!(
            parsed.map_err(|e| e.to_string()),
            plain.map_err(|e| e.to_string())
        );
        assert!(log.parts.is_empty());
    }
}
