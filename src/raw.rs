//! Reading raw provider bodies: the top-level probe used for detection, lenient
//! scalars, and typed parsing whose errors carry a JSON pointer and a position.
//!
//! Parsing takes a fast path (plain `serde_json::from_str` into borrowing structs);
//! only when it fails is the part parsed again with path tracking, to name the
//! pointer of the offending value.

use crate::error::{ConvertError, ErrorKind};
use crate::normalize::{money, time};
use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// The text being converted and the part of it a reader works on, so that errors
/// can name a byte offset in the input and a pointer.
#[derive(Clone, Copy)]
pub struct Doc<'a> {
    /// The whole input given to `convert` (for byte offsets).
    pub input: &'a str,
    /// A captured request's body decoded from a JSON string, and the offset of
    /// that string in the input: what goes wrong inside it is placed there.
    pub decoded: Option<(&'a str, usize)>,
}

/// The deepest nesting of arrays and objects any command accepts: the limit
/// serde_json puts on the documents it builds (its 128th level is refused).
pub const MAX_NESTING: usize = 127;

impl<'a> Doc<'a> {
    pub fn new(input: &'a str) -> Doc<'a> {
        Doc {
            input,
            decoded: None,
        }
    }

    /// The same document, reading a body decoded from the string at `string`
    /// (unchanged when `body` is a part of the input, not decoded).
    pub fn with_decoded(self, body: &'a str, string: &str) -> Doc<'a> {
        if slice_offset(self.input, body).is_some() {
            return self;
        }
        Doc {
            decoded: self.offset_of(string).map(|at| (body, at)),
            ..self
        }
    }

    /// Byte offset of `part` in the input, if `part` is a slice of it; a part of
    /// a decoded body is at its string.
    pub fn offset_of(&self, part: &str) -> Option<usize> {
        if let Some(at) = slice_offset(self.input, part) {
            return Some(at);
        }
        let (body, at) = self.decoded?;
        slice_offset(body, part).map(|_| at)
    }

    fn is_decoded(&self, part: &str) -> bool {
        self.decoded
            .is_some_and(|(body, _)| slice_offset(body, part).is_some())
    }

    /// Refuses `text` (a part of the input) when it nests arrays and objects
    /// deeper than [`MAX_NESTING`], as every command does: typed parsing skips
    /// the fields it does not need without counting their depth.
    pub fn within_nesting_limit(&self, text: &str) -> Result<(), ConvertError> {
        match nesting_exceeded_at(text) {
            None => Ok(()),
            Some(offset) => {
                let mut error = ConvertError::new(ErrorKind::NotJson, "", too_deep());
                let place = text.get(offset..).unwrap_or_default();
                error.position = self.offset_of(place).map(|at| line_column(self.input, at));
                Err(error)
            }
        }
    }

    /// Refuses `text` (a part of the input, found at `pointer`) when one of its
    /// objects gives a key twice: for readers of a whole tree, which would keep
    /// the last value silently (typed fields are refused twice by serde).
    pub fn refuse_repeated_keys(&self, text: &str, pointer: &str) -> Result<(), ConvertError> {
        let Some((path, line, column)) = crate::repeated::first_repeated_key(text) else {
            return Ok(());
        };
        let mut error = crate::repeated::repeated_key_error(&format!("{pointer}{path}"));
        error.position = self.position(text, line, column);
        Err(error)
    }

    /// Parses `text` (a slice of the input, found at `pointer`) into `T`.
    pub fn parse<T: Deserialize<'a>>(
        &self,
        text: &'a str,
        pointer: &str,
    ) -> Result<T, ConvertError> {
        self.parse_at(text, || pointer.to_owned())
    }

    /// `parse`, with the pointer built only when there is an error to report.
    pub fn parse_at<T: Deserialize<'a>>(
        &self,
        text: &'a str,
        pointer: impl FnOnce() -> String,
    ) -> Result<T, ConvertError> {
        let parsed = match crate::reads::tracing() {
            false => serde_json::from_str(text),
            true => crate::reads::parse(text),
        };
        match parsed {
            Ok(value) => Ok(value),
            // PHP's empty array where an object is expected is that object, empty.
            Err(error) if text.trim() == "[]" => {
                serde_json::from_str("{}").map_err(|_| self.explain::<T>(text, &pointer(), error))
            }
            Err(error) => Err(self.explain::<T>(text, &pointer(), error)),
        }
    }

    /// Turns a serde error while parsing `text` into a `ConvertError` with the
    /// pointer of the value, re-parsing with path tracking for data errors.
    #[cold]
    fn explain<T: Deserialize<'a>>(
        &self,
        text: &'a str,
        pointer: &str,
        error: serde_json::Error,
    ) -> ConvertError {
        if !error.is_data() {
            let mut converted = self.syntax_error(text, &error);
            converted.pointer = pointer.to_owned();
            return converted;
        }
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let (mut path, error) = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Err(tracked) => (pointer_of(tracked.path()), tracked.into_inner()),
            Ok(_) => (String::new(), error),
        };
        let message = strip_position(&error.to_string());
        let mut converted = match message.strip_prefix("invalid type: ") {
            Some(rest) => match rest.split_once(", expected ") {
                Some((found, expected)) => {
                    ConvertError::new(ErrorKind::WrongType, "", in_plain_words(expected))
                        .found(found_in_plain_words(found))
                }
                None => ConvertError::new(ErrorKind::WrongType, "", rest),
            },
            None => match message.strip_prefix("missing field ") {
                Some(field) => ConvertError::missing("", format!("the field {field}")),
                None => match message.strip_prefix("duplicate field ") {
                    // A key given twice: which one a receiver uses is up to its parser.
                    Some(field) => {
                        let field = field.trim_matches('`');
                        path.push('/');
                        path.push_str(field);
                        ConvertError::new(
                            ErrorKind::InvalidValue,
                            "",
                            "each key once (receivers disagree on which of two values counts)",
                        )
                        .found(format!("\"{field}\" a second time"))
                    }
                    None => ConvertError::new(ErrorKind::InvalidValue, "", message),
                },
            },
        };
        converted.pointer = format!("{pointer}{path}");
        converted.position = self.position(text, error.line(), error.column());
        converted
    }

    /// A syntax error (not JSON, truncated) in `text`.
    #[cold]
    pub fn syntax_error(&self, text: &str, error: &serde_json::Error) -> ConvertError {
        let expected = match error.classify() {
            serde_json::error::Category::Eof if text.trim().is_empty() => {
                "a JSON value, found empty input".to_owned()
            }
            serde_json::error::Category::Eof => "more input: the JSON is truncated".to_owned(),
            _ => {
                let reason = strip_position(&error.to_string());
                match reason.as_str() {
                    "recursion limit exceeded" => too_deep(),
                    _ => format!("valid JSON ({reason})"),
                }
            }
        };
        let mut converted = ConvertError::new(ErrorKind::NotJson, "", expected);
        // Empty input is empty from its first line, whatever blank lines it holds.
        let (line, column) = match text.trim().is_empty() {
            true => (1, 1),
            false => (error.line(), error.column()),
        };
        converted.position = self.position(text, line, column);
        converted
    }

    /// Line and column in the input of a line/column reported inside `part`
    /// (of the string holding it, in a decoded body).
    fn position(&self, part: &str, line: usize, column: usize) -> Option<(usize, usize)> {
        let base = self.offset_of(part)?;
        if self.is_decoded(part) {
            return Some(line_column(self.input, base));
        }
        let mut offset = 0;
        for (index, text) in part.split_inclusive('\n').enumerate() {
            if index + 1 == line {
                offset += column.saturating_sub(1).min(text.len());
                return Some(line_column(self.input, base + offset));
            }
            offset += text.len();
        }
        Some(line_column(self.input, base + offset.min(part.len())))
    }

    /// Attaches the position of `raw` (a slice of the input) to an error about it.
    pub fn at(&self, raw: &str, mut error: ConvertError) -> ConvertError {
        error.position = self
            .offset_of(raw)
            .map(|offset| line_column(self.input, offset));
        error
    }

    /// Reads an amount in reais (JSON number or string) as cents. `null`, absence
    /// and the empty string are `None`.
    pub fn reais(
        &self,
        raw: Option<&'a RawValue>,
        pointer: impl Fn() -> String,
    ) -> Result<Option<i64>, ConvertError> {
        self.amount(raw, pointer, money::reais_to_cents)
    }

    /// Reads an amount already in cents (JSON integer or string of digits).
    pub fn cents(
        &self,
        raw: Option<&'a RawValue>,
        pointer: impl Fn() -> String,
    ) -> Result<Option<i64>, ConvertError> {
        self.amount(raw, pointer, money::cents_text_to_cents)
    }

    fn amount(
        &self,
        raw: Option<&'a RawValue>,
        pointer: impl Fn() -> String,
        convert: fn(&str) -> Result<i64, money::MoneyError>,
    ) -> Result<Option<i64>, ConvertError> {
        let Some(raw) = raw else { return Ok(None) };
        let text = raw.get();
        crate::reads::read(text);
        let value = match text.as_bytes().first() {
            Some(b'"') => {
                let decoded = self.string_of(raw, &pointer)?;
                if decoded.trim().is_empty() {
                    return Ok(None);
                }
                convert(&decoded).map_err(|e| ConvertError::invalid(pointer(), e, text))
            }
            Some(b'n') => return Ok(None),
            Some(b'-' | b'0'..=b'9') => {
                convert(text).map_err(|e| ConvertError::invalid(pointer(), e, text))
            }
            _ => Err(ConvertError::new(
                ErrorKind::WrongType,
                pointer(),
                "an amount (number or string)",
            )
            .found(describe(text))),
        };
        match value {
            Ok(cents) if cents < 0 => Err(self.at(
                text,
                ConvertError::invalid(pointer(), "a non-negative amount", text),
            )),
            Ok(cents) => Ok(Some(cents)),
            Err(error) => Err(self.at(text, error)),
        }
    }

    /// Reads epoch milliseconds (JSON integer or string of digits) as unix seconds.
    pub fn millis(
        &self,
        raw: Option<&'a RawValue>,
        pointer: impl Fn() -> String,
    ) -> Result<Option<i64>, ConvertError> {
        let Some(raw) = raw else { return Ok(None) };
        let text = raw.get();
        crate::reads::read(text);
        let digits: Cow<str> = match text.as_bytes().first() {
            Some(b'"') => self.string_of(raw, &pointer)?,
            Some(b'n') => return Ok(None),
            Some(b'-' | b'0'..=b'9') => Cow::Borrowed(text),
            _ => {
                return Err(self.at(
                    text,
                    ConvertError::new(ErrorKind::WrongType, pointer(), "epoch milliseconds")
                        .found(describe(text)),
                ));
            }
        };
        if digits.trim().is_empty() {
            return Ok(None);
        }
        let millis: i64 = digits.trim().parse().map_err(|_| {
            self.at(
                text,
                ConvertError::invalid(pointer(), "epoch milliseconds (an integer)", text),
            )
        })?;
        // A 10- or 11-digit value is epoch seconds (2001 to 5138) sent in the
        // wrong unit: read as milliseconds it would be a date in January 1970.
        if (1_000_000_000..100_000_000_000).contains(&millis.unsigned_abs()) {
            return Err(self.at(
                text,
                ConvertError::invalid(
                    pointer(),
                    "epoch milliseconds (13 digits; this looks like seconds)",
                    text,
                ),
            ));
        }
        time::millis_to_seconds(millis)
            .map(Some)
            .map_err(|e| self.at(text, ConvertError::invalid(pointer(), e, text)))
    }

    /// Reads epoch milliseconds, or an ISO 8601 text (some providers send the
    /// same field either way), as unix seconds.
    pub fn millis_or_iso(
        &self,
        raw: Option<&'a RawValue>,
        pointer: impl Fn() -> String,
    ) -> Result<Option<i64>, ConvertError> {
        let Some(text) = raw.filter(|raw| raw.get().starts_with('"')) else {
            return self.millis(raw, pointer);
        };
        let decoded = self.string_of(text, &pointer)?;
        if decoded.trim().bytes().all(|b| b.is_ascii_digit()) {
            return self.millis(raw, pointer);
        }
        self.time(Some(&decoded), pointer, |t| time::parse_iso8601(t, None))
            .map_err(|error| self.at(text.get(), error))
    }

    /// Reads a count (a JSON integer or a string of digits, not negative).
    pub fn count(
        &self,
        raw: Option<&'a RawValue>,
        pointer: impl Fn() -> String,
    ) -> Result<Option<i64>, ConvertError> {
        let Some(raw) = raw else { return Ok(None) };
        let text = raw.get();
        crate::reads::read(text);
        let digits: Cow<str> = match text.as_bytes().first() {
            Some(b'"') => self.string_of(raw, &pointer)?,
            Some(b'n') => return Ok(None),
            Some(b'-' | b'0'..=b'9') => Cow::Borrowed(text),
            _ => {
                return Err(self.at(
                    text,
                    ConvertError::new(ErrorKind::WrongType, pointer(), "a count (an integer)")
                        .found(describe(text)),
                ));
            }
        };
        if digits.trim().is_empty() {
            return Ok(None);
        }
        match digits.trim().parse::<i64>() {
            Ok(count) if count >= 0 => Ok(Some(count)),
            _ => Err(self.at(
                text,
                ConvertError::invalid(pointer(), "a count (an integer, not negative)", text),
            )),
        }
    }

    fn string_of(
        &self,
        raw: &'a RawValue,
        pointer: &impl Fn() -> String,
    ) -> Result<Cow<'a, str>, ConvertError> {
        crate::reads::read(raw.get());
        serde_json::from_str::<Cow<'a, str>>(raw.get()).map_err(|_| {
            self.at(
                raw.get(),
                ConvertError::new(ErrorKind::WrongType, pointer(), "a string")
                    .found(describe(raw.get())),
            )
        })
    }

    /// Reads a date-time with `parse` (one of `normalize::time`'s parsers).
    pub fn time(
        &self,
        text: Option<&Cow<'a, str>>,
        pointer: impl Fn() -> String,
        parse: impl Fn(&str) -> Result<i64, time::TimeError>,
    ) -> Result<Option<i64>, ConvertError> {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return Ok(None);
        };
        parse(text).map(Some).map_err(|e| {
            let error = ConvertError::invalid(pointer(), e, &format!("{text:?}"));
            self.at(text, error)
        })
    }
}

fn slice_offset(whole: &str, part: &str) -> Option<usize> {
    let start = whole.as_ptr() as usize;
    let at = part.as_ptr() as usize;
    (at >= start && at + part.len() <= start + whole.len()).then(|| at - start)
}

fn too_deep() -> String {
    format!("JSON nested at most {MAX_NESTING} levels deep")
}

/// The offset of the first `[` or `{` nested deeper than [`MAX_NESTING`].
/// Most bodies hold fewer openers than the limit, which one vectorised count
/// proves; only the others are walked, strings skipped.
pub fn nesting_exceeded_at(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b'{', b'[', bytes).nth(MAX_NESTING)?;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (offset, &byte) in bytes.iter().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(offset);
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// "a string", "an array", ... for a raw JSON value, with the value when short.
pub fn describe(raw: &str) -> String {
    let kind = match raw.as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => return "an object".to_owned(),
        Some(b'[') => return "an array".to_owned(),
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => return "null".to_owned(),
        _ => "a number",
    };
    format!("{kind} {raw}")
}

/// serde's name of an expected type, as a user says it (`struct Captured`, `i64`).
fn in_plain_words(expected: &str) -> &str {
    match expected {
        e if e.starts_with("struct ") || e == "a map" => "an object",
        "i64" | "u64" | "i32" | "u32" | "u16" | "u8" | "usize" => "an integer",
        "f64" | "f32" => "a number",
        "a borrowed string" => "a string",
        "a sequence" => "an array",
        other => other,
    }
}

/// What was found, without quoting a string that holds JSON (a request or body
/// encoded twice carries its secrets inside).
/// serde's name of what was found, as a JSON user says it.
fn found_in_plain_words(found: &str) -> String {
    if let Some(text) = found.strip_prefix("string \"") {
        if text.starts_with('{') || text.starts_with('[') {
            return "a string holding JSON (decode it first)".to_owned();
        }
        return format!("a string \"{text}");
    }
    let number = |rest: &str| format!("the number {}", rest.trim_matches('`'));
    match found {
        "sequence" => "an array".to_owned(),
        "map" => "an object".to_owned(),
        "unit" => "null".to_owned(),
        _ => match (
            found.strip_prefix("integer "),
            found.strip_prefix("floating point "),
            found.strip_prefix("boolean "),
        ) {
            (Some(rest), _, _) | (_, Some(rest), _) => number(rest),
            (_, _, Some(rest)) => rest.trim_matches('`').to_owned(),
            _ => found.to_owned(),
        },
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

fn pointer_of(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut pointer = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => crate::error::push_token(&mut pointer, &index.to_string()),
            Segment::Map { key } => crate::error::push_token(&mut pointer, key),
            Segment::Enum { variant } => crate::error::push_token(&mut pointer, variant),
            Segment::Unknown => crate::error::push_token(&mut pointer, "?"),
        }
    }
    pointer
}

/// The key under which serde_json's `arbitrary_precision` passes a number's text.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

/// A string or a number, kept as text: providers send ids and codes as either
/// (`payment_merchant_id`, Cakto's `checkout`, Hotmart's `product.id`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;
        impl<'de> Visitor<'de> for ScalarVisitor {
            type Value = Scalar<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or a number")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Scalar(Cow::Owned(v.to_string())))
            }
            /// serde_json (`arbitrary_precision`) hands a number that fits no
            /// machine type as a one-entry map holding its text: kept exactly.
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                match map.next_key::<Cow<'de, str>>()? {
                    Some(key) if key == NUMBER_TOKEN => {
                        Ok(Scalar(Cow::Owned(map.next_value::<String>()?)))
                    }
                    _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
                }
            }
        }
        deserializer.deserialize_any(ScalarVisitor)
    }
}

/// An optional object as the providers' languages write one: `null` and `""`
/// mean absent; an object is read as `T`, and so is an empty array (PHP's `[]`
/// for an empty associative array, read as `{}`); anything else is refused. Used with `deserialize_with` on every
/// optional object of a provider's typed body.
pub fn object_or_empty<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ObjectOrEmpty(std::marker::PhantomData))
}

struct ObjectOrEmpty<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOrEmpty<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim().is_empty() {
            true => Ok(None),
            false => Err(de::Error::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        ObjectSeed(std::marker::PhantomData)
            .visit_seq(seq)
            .map(Some)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        ObjectSeed(std::marker::PhantomData)
            .visit_map(map)
            .map(Some)
    }
}

/// An object, or PHP's `[]` for an empty one (read as `{}`).
pub struct ObjectSeed<T>(std::marker::PhantomData<T>);

impl<T> Default for ObjectSeed<T> {
    fn default() -> Self {
        ObjectSeed(std::marker::PhantomData)
    }
}

impl<'de, T: Deserialize<'de>> de::DeserializeSeed<'de> for ObjectSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectSeed<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        match seq.next_element::<de::IgnoredAny>()? {
            None => T::deserialize(de::value::MapDeserializer::<_, A::Error>::new(
                std::iter::empty::<(&'de str, &'de str)>(),
            )),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Seq, &self)),
        }
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::deserialize(de::value::MapAccessDeserializer::new(NotANumber {
            map,
            first: true,
        }))
    }
}

/// A map that refuses to be a number: serde_json (`arbitrary_precision`) hands a
/// number to `deserialize_any` as a one-entry map, which a struct of optional
/// fields would otherwise take for an empty object.
struct NotANumber<A> {
    map: A,
    first: bool,
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for NotANumber<A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        if !std::mem::take(&mut self.first) {
            return self.map.next_key_seed(seed);
        }
        let Some(key) = self.map.next_key::<Cow<'de, str>>()? else {
            return Ok(None);
        };
        if key == NUMBER_TOKEN {
            let number: String = self.map.next_value()?;
            return Err(de::Error::invalid_type(
                de::Unexpected::Other(&format!("the number {number}")),
                &"an object",
            ));
        }
        let key = match key {
            Cow::Borrowed(key) => seed.deserialize(de::value::BorrowedStrDeserializer::new(key)),
            Cow::Owned(key) => seed.deserialize(de::value::StringDeserializer::new(key)),
        };
        key.map(Some)
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        self.map.next_value_seed(seed)
    }
}

/// An optional list of objects as the providers' languages write one: `null`,
/// `""` and an empty object mean absent; an array is read as `Vec<T>`, each item
/// an object or `[]` (an empty one).
pub fn list_or_empty<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    deserializer.deserialize_any(ListOrEmpty(std::marker::PhantomData))
}

struct ListOrEmpty<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ListOrEmpty<T> {
    type Value = Option<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match v.trim().is_empty() {
            true => Ok(None),
            false => Err(de::Error::invalid_type(de::Unexpected::Str(v), &self)),
        }
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        match map.next_key::<Cow<'de, str>>()? {
            None => Ok(None),
            Some(_) => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(ObjectSeed(std::marker::PhantomData))? {
            items.push(item);
        }
        Ok(Some(items))
    }
}

/// `list_or_empty` for a list that is never absent: absent is empty.
pub fn objects<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    list_or_empty(deserializer).map(Option::unwrap_or_default)
}

/// Trimmed text; `None` when empty. Borrowed text stays borrowed.
pub fn text<'a>(value: Option<Cow<'a, str>>) -> Option<Cow<'a, str>> {
    match value? {
        Cow::Borrowed(s) => Some(s.trim()).filter(|s| !s.is_empty()).map(Cow::Borrowed),
        Cow::Owned(s) => {
            let trimmed = s.trim();
            if trimmed.is_empty() {
                None
            } else if trimmed.len() == s.len() {
                Some(Cow::Owned(s))
            } else {
                Some(Cow::Owned(trimmed.to_owned()))
            }
        }
    }
}

/// `text` of a `Scalar`.
pub fn scalar_text<'a>(value: Option<Scalar<'a>>) -> Option<Cow<'a, str>> {
    text(value.map(|s| s.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_in_the_whole_input() {
        let input = "{\n  \"a\": 1,\n  \"data\": {\"x\": \"é\", \"amount\": true}\n}";
        let doc = Doc::new(input);
        let start = input.find("true").unwrap();
        assert_eq!(line_column(input, start), (3, 32));
        let slice = &input[start..start + 4];
        let raw: &RawValue = serde_json::from_str(slice).unwrap();
        let error = doc.reais(Some(raw), || "/data/amount".into()).unwrap_err();
        assert_eq!(error.position, Some((3, 32)));
        assert_eq!(error.kind, ErrorKind::WrongType);
    }

    #[test]
    fn amounts_from_numbers_and_strings() {
        let doc = Doc::new("");
        let read = |json: &'static str| {
            let raw: &RawValue = serde_json::from_str(json).unwrap();
            doc.reais(Some(raw), || "/x".into())
        };
        assert_eq!(read("1.005"), Ok(Some(101)));
        assert_eq!(read("\"0.00\""), Ok(Some(0)));
        assert_eq!(read("\"\""), Ok(None));
        assert_eq!(read("null"), Ok(None));
        let error = read("\"R$ 10,00\"").unwrap_err();
        assert_eq!(error.pointer, "/x");
        assert_eq!(error.kind, ErrorKind::InvalidValue);
    }

    #[test]
    fn typed_errors_name_the_pointer() {
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Inner {
            n: Option<u32>,
        }
        #[derive(serde::Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let input = r#"{"items": [{"n": 1}, {"n": "two"}]}"#;
        let doc = Doc::new(input);
        let error = doc.parse::<Outer>(input, "/data").err().unwrap();
        assert_eq!(error.pointer, "/data/items/1/n");
        assert_eq!(error.kind, ErrorKind::WrongType);
        assert_eq!(
            error.to_string(),
            "line 1, column 32: /data/items/1/n: expected an integer, found a string \"two\""
        );
    }

    #[test]
    fn optional_objects_and_lists_as_other_languages_write_them() {
        #[derive(Debug, serde::Deserialize, PartialEq)]
        struct Inner<'a> {
            #[serde(borrow)]
            id: Option<Scalar<'a>>,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Outer<'a> {
            #[serde(borrow, default, deserialize_with = "object_or_empty")]
            inner: Option<Inner<'a>>,
            #[serde(borrow, default, deserialize_with = "list_or_empty")]
            items: Option<Vec<Inner<'a>>>,
        }
        let read = |input: &'static str| Doc::new(input).parse::<Outer>(input, "");
        for absent in [
            r#"{}"#,
            r#"{"inner": null, "items": null}"#,
            r#"{"items": {}}"#,
            r#"{"inner": "", "items": " "}"#,
        ] {
            let outer = read(absent).expect(absent);
            assert!(outer.inner.is_none() && outer.items.is_none(), "{absent}");
        }
        // PHP's `[]` for an empty object is that object, empty, wherever it stands.
        let outer = read(r#"{"inner": [], "items": [[], {"id": 1}]}"#).expect("PHP's empty arrays");
        assert_eq!(outer.inner, Some(Inner { id: None }));
        assert_eq!(outer.items.map(|items| items.len()), Some(2));
        let outer = read(r#"{"inner": {"id": 7}, "items": [{"id": "a"}]}"#).expect("objects");
        assert_eq!(
            outer.inner.and_then(|i| i.id),
            Some(Scalar(Cow::Borrowed("7")))
        );
        assert_eq!(outer.items.map(|items| items.len()), Some(1));
        for (wrong, pointer) in [
            (r#"{"inner": [1]}"#, "/inner"),
            (r#"{"inner": 5}"#, "/inner"),
            (r#"{"inner": 1.50}"#, "/inner"),
            (r#"{"inner": "x"}"#, "/inner"),
            (r#"{"inner": true}"#, "/inner"),
            (r#"{"items": {"a": 1}}"#, "/items"),
            (r#"{"items": "x"}"#, "/items"),
            (r#"{"items": [1]}"#, "/items/0"),
            (r#"{"items": [[1]]}"#, "/items/0"),
        ] {
            let error = read(wrong).expect_err(wrong);
            assert_eq!(error.pointer, pointer, "{wrong}");
            assert!(
                matches!(error.kind, ErrorKind::WrongType | ErrorKind::InvalidValue),
                "{wrong}: {error}"
            );
        }
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let input = "{\"a\": ";
        let doc = Doc::new(input);
        let error = doc.parse::<serde::de::IgnoredAny>(input, "").err().unwrap();
        assert_eq!(error.kind, ErrorKind::NotJson);
        assert!(error.to_string().contains("truncated"), "{error}");
    }
}
