//! The tree a diff compares: a JSON document read in place. Keys and strings
//! are borrowed from the document's text (copied only where the text escapes
//! them), numbers are kept as written, objects keep their keys in the
//! document's order. An entry takes 56 bytes where a `serde_json::Value`
//! entry, with its map's hash index, takes about 130: a diff holds two
//! documents for as long as it prints.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

#[derive(Debug, Clone, PartialEq)]
pub enum Node<'a> {
    Null,
    Bool(bool),
    /// The number's text as written (`1.50`, `1e3`, `18446744073709551617`).
    Number(Cow<'a, str>),
    String(Cow<'a, str>),
    Array(Box<[Node<'a>]>),
    /// Entries in the document's order; a key given twice keeps its first
    /// place and its last value, as in `serde_json::Value`.
    Object(Box<[(Cow<'a, str>, Node<'a>)]>),
}

/// Objects up to this size are searched entry by entry; larger ones through an
/// index, so a hostile object of many keys costs no quadratic time.
const SCANNED: usize = 16;

impl<'a> Node<'a> {
    /// Reads a document, keeping what it can of `text` borrowed.
    pub fn parse(text: &'a str) -> serde_json::Result<Node<'a>> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let node = NodeSeed(&mut Scratch::default()).deserialize(&mut deserializer)?;
        deserializer.end()?;
        Ok(node)
    }

    /// A tree of `value`, borrowing its keys and strings.
    pub fn of(value: &'a Value) -> Node<'a> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(*b),
            Value::Number(n) => Node::Number(Cow::Owned(n.to_string())),
            Value::String(s) => Node::String(Cow::Borrowed(s)),
            Value::Array(items) => Node::Array(items.iter().map(Node::of).collect()),
            Value::Object(map) => Node::Object(
                map.iter()
                    .map(|(k, v)| (Cow::Borrowed(k.as_str()), Node::of(v)))
                    .collect(),
            ),
        }
    }

    /// A tree that owns everything it holds.
    pub fn owned(value: Value) -> Node<'static> {
        match value {
            Value::Null => Node::Null,
            Value::Bool(b) => Node::Bool(b),
            Value::Number(n) => Node::Number(Cow::Owned(n.to_string())),
            Value::String(s) => Node::String(Cow::Owned(s)),
            Value::Array(items) => Node::Array(items.into_iter().map(Node::owned).collect()),
            Value::Object(map) => Node::Object(
                map.into_iter()
                    .map(|(k, v)| (Cow::Owned(k), Node::owned(v)))
                    .collect(),
            ),
        }
    }

    /// The same value as a `serde_json::Value`.
    pub fn to_value(&self) -> Value {
        match self {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(text) => text.parse().map_or(Value::Null, Value::Number),
            Node::String(s) => Value::String(s.to_string()),
            Node::Array(items) => Value::Array(items.iter().map(Node::to_value).collect()),
            Node::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_value()))
                    .collect::<Map<String, Value>>(),
            ),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "boolean",
            Node::Number(_) => "number",
            Node::String(_) => "string",
            Node::Array(_) => "array",
            Node::Object(_) => "object",
        }
    }

    pub fn as_entries(&self) -> Option<&[(Cow<'a, str>, Node<'a>)]> {
        match self {
            Node::Object(entries) => Some(entries),
            _ => None,
        }
    }

    /// An integer written as one (`29900`; not `299.00`).
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Node::Number(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The value under `key` in an object (a scan: for one look-up; `Lookup`
    /// for many in one large object).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        let entries = self.as_entries()?;
        entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }
}

/// Finds keys in one object: by a scan when it is small, through a hash index
/// built once when it is large.
pub struct Lookup<'n, 'a> {
    entries: &'n [(Cow<'a, str>, Node<'a>)],
    index: Option<HashMap<&'n str, usize>>,
}

impl<'n, 'a> Lookup<'n, 'a> {
    pub fn new(entries: &'n [(Cow<'a, str>, Node<'a>)]) -> Self {
        let index = (entries.len() > SCANNED).then(|| {
            entries
                .iter()
                .enumerate()
                .map(|(at, (key, _))| (key.as_ref(), at))
                .collect()
        });
        Lookup { entries, index }
    }

    pub fn get(&self, key: &str) -> Option<&'n Node<'a>> {
        let at = match &self.index {
            Some(index) => index.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| k == key),
        }?;
        self.entries.get(at).map(|(_, value)| value)
    }

    pub fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// The top level of an object, as recognition of a normalized document reads it
/// (any other node has no keys).
impl crate::normalized::TopLevel for Node<'_> {
    fn has(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
    fn text(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            Some(Node::String(text)) => Some(text),
            _ => None,
        }
    }
    fn keys(&self) -> impl Iterator<Item = &str> {
        self.as_entries()
            .unwrap_or_default()
            .iter()
            .map(|(k, _)| k.as_ref())
    }
}

impl fmt::Display for Node<'_> {
    /// Compact JSON, as `Value` displays.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Node<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            // Written as `Value` writes the number it reads from this text.
            Node::Number(text) => text
                .parse::<Number>()
                .map_err(serde::ser::Error::custom)?
                .serialize(serializer),
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => serializer.collect_seq(items.iter()),
            Node::Object(entries) => {
                serializer.collect_map(entries.iter().map(|(k, v)| (k.as_ref(), v)))
            }
        }
    }
}

/// Where the items and entries of the arrays and objects being read gather:
/// one stack each for the whole document, so that each array and object is
/// allocated once, at its size, when it ends (no growth by doubling, no slack).
#[derive(Default)]
struct Scratch<'de> {
    items: Vec<Node<'de>>,
    entries: Vec<(Cow<'de, str>, Node<'de>)>,
}

struct NodeSeed<'s, 'de>(&'s mut Scratch<'de>);

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, 'de> {
    type Value = Node<'de>;

    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<Node<'de>, D::Error> {
        deserializer.deserialize_any(NodeVisitor(self.0))
    }
}

/// The key serde_json's parser gives a number under (`arbitrary_precision`): the
/// number's text is its value.
const NUMBER_TOKEN: &str = "$serde_json::private::Number";

struct NodeVisitor<'s, 'de>(&'s mut Scratch<'de>);

impl<'de> Visitor<'de> for NodeVisitor<'_, 'de> {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(Cow::Owned(value.to_string())))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(Cow::Owned(value.to_string())))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Node<'de>, E> {
        Ok(Number::from_f64(value).map_or(Node::Null, |n| Node::Number(Cow::Owned(n.to_string()))))
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(value)))
    }

    fn visit_str<E>(self, value: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E>(self, value: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(value)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let scratch = self.0;
        let start = scratch.items.len();
        while let Some(item) = seq.next_element_seed(NodeSeed(&mut *scratch))? {
            scratch.items.push(item);
        }
        Ok(Node::Array(scratch.items.drain(start..).collect()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let scratch = self.0;
        let start = scratch.entries.len();
        while let Some(key) = map.next_key_seed(TextSeed)? {
            if scratch.entries.len() == start && key == NUMBER_TOKEN {
                let text: String = map.next_value()?;
                // Checked as `Value`'s own parse checks it.
                text.parse::<Number>().map_err(de::Error::custom)?;
                return Ok(Node::Number(Cow::Owned(text)));
            }
            let value = map.next_value_seed(NodeSeed(&mut *scratch))?;
            scratch.entries.push((key, value));
        }
        let entries = &mut scratch.entries;
        if has_a_key_twice(&entries[start..]) {
            let kept = first_place_last_value(entries.drain(start..));
            return Ok(Node::Object(kept.into_boxed_slice()));
        }
        Ok(Node::Object(entries.drain(start..).collect()))
    }
}

/// A key or string, borrowed from the text when it holds no escape.
struct TextSeed;

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E>(self, value: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(value))
    }
}

fn has_a_key_twice(entries: &[(Cow<'_, str>, Node<'_>)]) -> bool {
    if entries.len() <= SCANNED {
        entries
            .iter()
            .enumerate()
            .any(|(at, (key, _))| entries[..at].iter().any(|(k, _)| k == key))
    } else {
        let mut seen = std::collections::HashSet::with_capacity(entries.len());
        !entries.iter().all(|(key, _)| seen.insert(key.as_ref()))
    }
}

/// An object's entries with each key once: at its first place, with its last
/// value (nearly every object has no key twice and is not passed here).
fn first_place_last_value<'a>(
    entries: impl ExactSizeIterator<Item = (Cow<'a, str>, Node<'a>)>,
) -> Vec<(Cow<'a, str>, Node<'a>)> {
    let mut kept: Vec<(Cow<'a, str>, Node<'a>)> = Vec::with_capacity(entries.len());
    let mut places: HashMap<Cow<'a, str>, usize> = HashMap::with_capacity(entries.len());
    for (key, value) in entries {
        match places.get(&key).copied().and_then(|at| kept.get_mut(at)) {
            Some(slot) => slot.1 = value,
            None => {
                places.insert(key.clone(), kept.len());
                kept.push((key, value));
            }
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_entry_takes_56_bytes() {
        assert_eq!(std::mem::size_of::<Node>(), 32);
        assert_eq!(std::mem::size_of::<(Cow<str>, Node)>(), 56);
    }

    #[test]
    fn reads_in_place_and_writes_back_as_value_does() {
        let text =
            r#"{"a":"plain","b\u0041":"esc\"aped","n":[1.50,-0,1e3,18446744073709551617],"o":{}}"#;
        let node = Node::parse(text).unwrap();
        let value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(serde_json::to_string(&node).unwrap(), value.to_string());
        assert_eq!(node.to_value(), value);
        assert!(matches!(
            node.get("a"),
            Some(Node::String(Cow::Borrowed("plain")))
        ));
        assert!(matches!(node.get("bA"), Some(Node::String(Cow::Owned(_)))));
    }

    #[test]
    fn a_key_twice_keeps_its_first_place_and_its_last_value() {
        for text in [
            r#"{"a":1,"b":2,"a":3}"#.to_owned(),
            // An object beyond the scanned size goes through the index.
            format!(
                "{{\"a\":1,{},\"a\":3}}",
                (0..40)
                    .map(|i| format!("\"k{i}\":{i}"))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
        ] {
            let node = Node::parse(&text).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(node.to_string(), value.to_string());
            let entries = node.as_entries().unwrap();
            assert_eq!(
                Lookup::new(entries).get("a"),
                Some(&Node::Number("3".into()))
            );
        }
    }

    #[test]
    fn of_and_owned_agree_with_parse() {
        let value = json!({"x": [1, "two", null, true, {"y": 2.5}]});
        let text = value.to_string();
        assert_eq!(Node::of(&value), Node::parse(&text).unwrap());
        assert_eq!(Node::owned(value.clone()), Node::parse(&text).unwrap());
    }

    #[test]
    fn syntax_errors_are_serde_json_errors() {
        let error = Node::parse("{\"a\": [1, }").unwrap_err();
        assert_eq!((error.line(), error.column()), (1, 11));
        assert!(Node::parse("[1] 2").is_err());
    }
}
