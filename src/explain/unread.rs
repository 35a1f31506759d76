//! `explain --unread`: the values of a body that no normalized field read.
//!
//! The body is converted by the general path with its reads logged
//! (`crate::reads`): what the typed parses consumed, what they skipped or kept
//! raw without reading it later. Every leaf of the body with a value is then
//! looked up in that log by the place of its text, so "read" is what the
//! conversion did, not a guess from the values.

use crate::convert::{self, Options};
use crate::error::{ConvertError, push_token};
use crate::reads::Log;
use crate::redact::Redactor;
use serde::Serialize;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;

/// What of a body no normalized field read.
#[derive(Debug, Clone, Serialize)]
pub struct Unread {
    pub provider: String,
    pub event: String,
    /// The leaves with a value that were not read, in the body's order.
    pub unread: Vec<Leaf>,
}

/// A raw leaf: its pointer in the input, and its value (secrets masked).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leaf {
    pub pointer: String,
    pub value: Value,
}

/// How values are shown: secrets masked by `masker`; personal data replaced
/// too when `redactor` is given (as `convert --redact` does).
pub struct Showing<'r> {
    pub masker: &'r Redactor,
    pub redactor: Option<&'r Redactor>,
}

/// The leaves of `input` (a raw body or a captured request) with a non-empty
/// value that its conversion did not read.
pub fn unread(input: &str, options: &Options, showing: &Showing) -> Result<Unread, ConvertError> {
    let mut scratch = String::new();
    let (converted, log) = convert::convert_traced(input, &mut scratch, options);
    let conversion = converted?;
    let provider = conversion.event.provider.to_owned();
    let event = conversion.event.event.as_str().to_owned();
    let mut event_value = serde_json::to_value(&conversion.event).unwrap_or(Value::Null);
    drop(conversion);
    let (body, body_pointer) = body_text(input, &scratch);
    let mut leaves = Vec::new();
    walk(body, String::new(), &mut leaves);
    let mut shown: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    showing.masker.mask_secrets(&mut shown);
    let mut unread: Vec<Leaf> = leaves
        .into_iter()
        .filter(|(pointer, text)| !was_read(&log, body_pointer, pointer, text))
        .map(|(pointer, _)| Leaf {
            value: shown.pointer(&pointer).cloned().unwrap_or(Value::Null),
            pointer: format!("{body_pointer}{pointer}"),
        })
        .collect();
    if let Some(redactor) = showing.redactor {
        redact(redactor, &mut event_value, &mut unread);
    }
    Ok(Unread {
        provider,
        event,
        unread,
    })
}

/// Whether the leaf at `pointer` (in the body), whose text is `text`, was read:
/// by a typed parse or a raw reader, or by its pointer in a tree (a form's
/// bracket keys, `items[0][id]`, nested as the tree has them).
fn was_read(log: &Log, body_pointer: &str, pointer: &str, text: &str) -> bool {
    if log.read(text) {
        return true;
    }
    let mut nested = body_pointer.to_owned();
    for token in crate::error::pointer_tokens(pointer) {
        for step in crate::form::steps(&token) {
            push_token(&mut nested, step);
        }
    }
    log.pointers.contains(&nested)
}

/// The body's text as the conversion read it, and its pointer in the input: a
/// form's or a captured request's string body is the text `scratch` holds.
fn body_text<'t>(input: &'t str, scratch: &'t str) -> (&'t str, &'static str) {
    #[derive(serde::Deserialize)]
    struct Request<'a> {
        #[serde(borrow)]
        headers: Option<&'a RawValue>,
        #[serde(borrow)]
        body: Option<&'a RawValue>,
    }
    if crate::form::looks_like_form(input) {
        return (scratch, "");
    }
    match serde_json::from_str::<Request>(input) {
        Ok(Request {
            headers: Some(_),
            body: Some(body),
        }) => match body.get().starts_with('"') {
            true => (scratch, "/body"),
            false => (body.get(), "/body"),
        },
        _ => (input, ""),
    }
}

/// Every leaf of `text` with a value (not null, not blank, not an empty list
/// or object): its pointer and the slice of `text` it is.
fn walk<'t>(text: &'t str, pointer: String, out: &mut Vec<(String, &'t str)>) {
    match text.as_bytes().first() {
        Some(b'{') => {
            let Ok(Entries(entries)) = serde_json::from_str::<Entries>(text) else {
                return;
            };
            for (key, value) in entries {
                let mut below = pointer.clone();
                push_token(&mut below, &key);
                walk(value.get(), below, out);
            }
        }
        Some(b'[') => {
            let Ok(items) = serde_json::from_str::<Vec<&RawValue>>(text) else {
                return;
            };
            for (index, item) in items.into_iter().enumerate() {
                walk(item.get(), format!("{pointer}/{index}"), out);
            }
        }
        Some(b'n') => {}
        Some(b'"') if serde_json::from_str::<Cow<str>>(text).is_ok_and(|t| t.trim().is_empty()) => {
        }
        Some(_) => out.push((pointer, text)),
        None => {}
    }
}

/// An object's entries in order, each value's text kept.
struct Entries<'a>(Vec<(Cow<'a, str>, &'a RawValue)>);

impl<'de> Deserialize<'de> for Entries<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> Visitor<'de> for Visit {
            type Value = Entries<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entries<'de>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
        }
        deserializer.deserialize_map(Visit)
    }
}

/// Personal data replaced in the values shown, as in the event redacted with
/// them: the person's own values found in the event, and by pattern e-mails,
/// documents, phones and addresses.
fn redact(redactor: &Redactor, event: &mut Value, unread: &mut [Leaf]) {
    const SHOWN: &str = "unread values";
    let values: Vec<Value> = unread.iter().map(|leaf| leaf.value.clone()).collect();
    let Some(payload) = event.get_mut("payload").and_then(Value::as_object_mut) else {
        return;
    };
    payload.insert(SHOWN.to_owned(), Value::Array(values));
    redactor.redact(event);
    let redacted = event
        .get_mut("payload")
        .and_then(|payload| payload.get_mut(SHOWN))
        .map(Value::take);
    if let Some(Value::Array(values)) = redacted {
        for (leaf, value) in unread.iter_mut().zip(values) {
            leaf.value = value;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaves(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        walk(text, String::new(), &mut out);
        out.into_iter()
            .map(|(pointer, text)| (pointer, text.to_owned()))
            .collect()
    }

    #[test]
    fn leaves_with_a_value_and_their_text() {
        assert_eq!(
            leaves(r#"{"a": {"b": [1, "x", null, "", " "]}, "c/d": {}, "e": [], "f": false}"#),
            [
                ("/a/b/0".to_owned(), "1".to_owned()),
                ("/a/b/1".to_owned(), "\"x\"".to_owned()),
                ("/f".to_owned(), "false".to_owned()),
            ]
        );
        assert_eq!(
            leaves(r#"{"c/d": 1}"#),
            [("/c~1d".to_owned(), "1".to_owned())]
        );
    }

    #[test]
    fn a_bracket_key_is_read_by_its_nested_pointer() {
        let log = Log {
            parts: Vec::new(),
            pointers: vec!["/body/items/0/id".to_owned()],
        };
        assert!(was_read(&log, "/body", "/items[0][id]", "1"));
        assert!(was_read(&log, "/body", "/items/0/id", "1"));
        assert!(!was_read(&log, "/body", "/items/0/name", "1"));
    }
}
