//! One file per provider, each declaring everything about it in one `Spec`
//! (its name, the keys that identify it, its event table, detection,
//! conversion, its verify scheme, the headers that carry its secrets), and one
//! name per provider in `registry!`. Nothing outside this folder names a
//! provider: dispatch, messages, the CLI's values and the tests read the registry.
//!
//! Detection reads only the top level of the body (`TopLevel` keeps each key's raw
//! text without building a tree); the provider parses the parts it needs into
//! typed, borrowing structs. Usually both happen in one scan (`one_pass`): the
//! typed body is read straight from the text while `TopLevel` is recorded, and a
//! provider's `convert` receives that parse as its `root`; otherwise `root` is
//! `None` and it parses from `TopLevel`'s raw text itself.

mod common;
mod one_pass;

use crate::auth::{Checked, Policy, Request};
use crate::error::{ConvertError, ErrorKind};
use crate::model::{Event, EventName};
use crate::raw::Doc;
use serde::Deserialize;
use serde_json::value::RawValue;

/// Declares the provider modules and the registry from one list of names: a
/// new provider is its file and its name here.
macro_rules! registry {
    ($($name:ident),+ $(,)?) => {
        $(pub mod $name;)+
        /// Every provider, in the order messages list them.
        static REGISTRY: &[&Spec] = &[$(&$name::SPEC),+];
    };
}

registry!(
    cakto,
    kiwify,
    hotmart,
    opabox,
    troquecommerce,
    monetizze,
    appmax,
    digital_manager_guru,
    ticto,
    eduzz,
);

/// Request headers, names in lower case.
pub type Headers<'h> = &'h [(String, String)];

/// The keys that identified a provider.
pub type Evidence = Vec<&'static str>;

/// A provider's event table: raw event (aliases included) → normalized event.
/// The only place a provider writes which events it maps.
pub type EventTable = &'static [(&'static str, EventName)];

/// Everything hooknorm knows of one provider.
pub struct Spec {
    /// Its name in events, idempotency keys and `--provider` (`cakto`).
    pub name: &'static str,
    /// Its name in sentences (`Cakto`).
    pub title: &'static str,
    /// The keys detection looks for, for the message when nothing matched
    /// (`{secret, event, data}`).
    pub looked_for: &'static str,
    /// Top-level keys only it sends, near the start of its bodies: the one-pass
    /// path's guess (detection confirms it).
    pub first_keys: &'static [&'static str],
    pub events: EventTable,
    /// The top-level keys its detection and conversion read, and what the
    /// one-pass parse keeps of each.
    pub top_keys: &'static [(&'static str, Keep)],
    /// Its documentation page (`docs/providers/<name>.md`): where every field
    /// comes from, which `explain` reports.
    pub docs: &'static str,
    /// Its authenticity scheme, in words (`HMAC-SHA1 of the body`).
    pub scheme: &'static str,
    /// The receiver's secret `verify` takes, in words (`the webhook token`).
    pub secret: &'static str,
    /// Request headers that carry its secrets or signatures (lower case).
    pub secret_headers: &'static [&'static str],
    /// Body fields whose text is a credential (`chave_unica`): masked wherever
    /// a raw document is shown, whatever its provider.
    pub secret_fields: &'static [&'static str],
    /// Its order totals may hold fees that no field carries, so `validate` does
    /// not require the total to add up.
    pub total_may_hold_unlisted_fees: bool,
    /// Does this body look like its, and by which keys?
    pub detect: fn(&TopLevel, Headers) -> Option<Evidence>,
    /// The raw and normalized event, reading only what decides them.
    pub identify: fn(&Context) -> Result<Identified, ConvertError>,
    /// Raw body → event, from the top level.
    pub convert: for<'a, 'h> fn(&Context<'a, 'h>) -> Result<Conversion<'a>, ConvertError>,
    /// Raw body → event in one scan of the body (see `one_pass`); `None` leaves
    /// the body to the general path.
    pub convert_in_one_pass: for<'a, 'h> fn(Given<'a, 'h>) -> Option<OnePassed<'a>>,
    /// Its authenticity scheme.
    pub verify: fn(&Request, &[u8], &Policy) -> Result<Checked, ConvertError>,
}

/// A provider of the registry: a handle to its `Spec`.
#[derive(Clone, Copy)]
pub struct Provider(&'static Spec);

impl Provider {
    /// Every provider, in the registry's order.
    pub fn all() -> impl Iterator<Item = Provider> {
        REGISTRY.iter().map(|spec| Provider(spec))
    }

    /// The provider of this name (`cakto`), in any case.
    pub fn named(name: &str) -> Option<Provider> {
        Provider::all().find(|provider| provider.0.name.eq_ignore_ascii_case(name.trim()))
    }

    pub fn as_str(self) -> &'static str {
        self.0.name
    }

    pub fn spec(self) -> &'static Spec {
        self.0
    }
}

impl Spec {
    /// The raw events it maps, for messages: "a, b, c".
    pub fn mapped(&self) -> String {
        let names: Vec<&str> = self.events.iter().map(|(raw, _)| *raw).collect();
        names.join(", ")
    }

    /// The normalized event of `raw` (found at `pointer`), or the error that
    /// names the events that are mapped.
    pub fn event_of(
        &self,
        raw: &str,
        pointer: impl FnOnce() -> String,
    ) -> Result<EventName, ConvertError> {
        event_in(self.events, raw.trim()).ok_or_else(|| {
            ConvertError::new(
                ErrorKind::UnsupportedEvent,
                pointer(),
                format!(
                    "{} event {} is not mapped to a normalized event (mapped: {})",
                    self.title,
                    crate::error::quoted(raw),
                    self.mapped()
                ),
            )
        })
    }
}

/// `raw`'s row of an event table.
pub fn event_in(table: EventTable, raw: &str) -> Option<EventName> {
    table
        .iter()
        .find(|(name, _)| *name == raw)
        .map(|(_, event)| *event)
}

impl PartialEq for Provider {
    fn eq(&self, other: &Provider) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for Provider {}

impl std::hash::Hash for Provider {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

impl serde::Serialize for Provider {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0.name)
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.name)
    }
}

/// Every request header that carries some provider's secret or signature.
pub fn secret_headers() -> impl Iterator<Item = &'static str> {
    REGISTRY
        .iter()
        .flat_map(|spec| spec.secret_headers.iter().copied())
}

/// Every body field some provider sends a credential in.
pub fn secret_fields() -> impl Iterator<Item = &'static str> {
    REGISTRY
        .iter()
        .flat_map(|spec| spec.secret_fields.iter().copied())
}

/// What the one-pass parse keeps of a top-level key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Keep {
    /// Only that it is there: the value is read straight into the typed body.
    Presence,
    /// Its raw text (a small value that conversion also reads from `TopLevel`).
    Text,
    /// Nothing: a body with this key takes the general path.
    Nothing,
}

/// The top-level keys every body may have whatever its provider: a captured
/// request's parts, which the general path unwraps.
const REQUEST_KEYS: &[(&str, Keep)] = &[("headers", Keep::Nothing), ("body", Keep::Nothing)];

/// The most top-level keys the providers may declare together.
const MAX_TOP_KEYS: usize = 64;

/// Every key some provider's detection or conversion reads at the top level,
/// with what the one-pass parse keeps of it (the most any provider asks: the
/// general path before raw text before presence), and an open-addressing table
/// from a key's hash to its place: looked up for every top-level key of every
/// body, and by every `TopLevel::get`, so it must cost next to nothing.
struct TopKeys {
    keys: Vec<(&'static str, Keep)>,
    /// Place + 1 of the key whose probe sequence passes here; 0 = empty.
    table: [u8; KEY_TABLE],
}

/// Slots of the key table: a power of two, at least twice `MAX_TOP_KEYS`.
const KEY_TABLE: usize = 256;

fn key_hash(key: &str) -> usize {
    key.bytes().fold(key.len(), |hash, byte| {
        hash.wrapping_mul(31).wrapping_add(byte as usize)
    }) & (KEY_TABLE - 1)
}

impl TopKeys {
    fn build() -> TopKeys {
        let mut keys: Vec<(&'static str, Keep)> = REQUEST_KEYS
            .iter()
            .chain(REGISTRY.iter().flat_map(|spec| spec.top_keys.iter()))
            .copied()
            .collect();
        keys.sort();
        // Sorted by key then by Keep: the last of each key asks the most.
        keys.reverse();
        keys.dedup_by_key(|(key, _)| *key);
        keys.reverse();
        keys.truncate(MAX_TOP_KEYS);
        let mut table = [0u8; KEY_TABLE];
        for (place, (key, _)) in keys.iter().enumerate() {
            let mut slot = key_hash(key);
            while table[slot] != 0 {
                slot = (slot + 1) & (KEY_TABLE - 1);
            }
            table[slot] = (place + 1) as u8;
        }
        TopKeys { keys, table }
    }

    fn find(&self, key: &str) -> Option<(usize, Keep)> {
        let mut slot = key_hash(key);
        loop {
            let place = usize::from(*self.table.get(slot)?).checked_sub(1)?;
            let (known, keep) = self.keys.get(place)?;
            if *known == key {
                return Some((place, *keep));
            }
            slot = (slot + 1) & (KEY_TABLE - 1);
        }
    }
}

fn top_keys() -> &'static TopKeys {
    static KEYS: std::sync::OnceLock<TopKeys> = std::sync::OnceLock::new();
    KEYS.get_or_init(TopKeys::build)
}

/// The top-level keys of a body that detection and conversion look at, as raw
/// JSON text (after a one-pass parse, keys read in place only say they are
/// there). Keys no provider declares are skipped without being stored.
#[derive(Debug, Clone, Copy)]
pub struct TopLevel<'a> {
    values: [Option<&'a RawValue>; MAX_TOP_KEYS],
}

impl Default for TopLevel<'_> {
    fn default() -> Self {
        TopLevel {
            values: [None; MAX_TOP_KEYS],
        }
    }
}

impl<'a> TopLevel<'a> {
    /// The raw value of a declared top-level key, if the body has it.
    pub fn get(&self, key: &str) -> Option<&'a RawValue> {
        let (index, _) = TopLevel::slot(key)?;
        self.values.get(index).copied().flatten()
    }

    /// Where a declared key is kept, and how.
    fn slot(key: &str) -> Option<(usize, Keep)> {
        top_keys().find(key)
    }

    fn at(&mut self, index: usize) -> Option<&mut Option<&'a RawValue>> {
        self.values.get_mut(index)
    }
}

impl<'de> Deserialize<'de> for TopLevel<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TopVisitor;
        impl<'de> serde::de::Visitor<'de> for TopVisitor {
            type Value = TopLevel<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut top = TopLevel::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    let Some((index, _)) = TopLevel::slot(&key) else {
                        map.next_value::<serde::de::IgnoredAny>()?;
                        continue;
                    };
                    let value: &'de RawValue = map.next_value()?;
                    let Some(slot) = top.at(index) else {
                        continue;
                    };
                    if slot.is_some() {
                        let known = top_keys().keys.get(index).map_or("", |(known, _)| *known);
                        return Err(serde::de::Error::duplicate_field(known));
                    }
                    *slot = Some(value);
                }
                Ok(top)
            }
        }
        deserializer.deserialize_map(TopVisitor)
    }
}

/// What a provider's conversion needs besides the body's top level.
pub struct Context<'a, 'h> {
    pub doc: Doc<'a>,
    /// The body: the whole input, or the `body` of a captured request.
    pub body: &'a str,
    /// Where the body sits in the input, as a pointer ("" or "/body").
    pub body_pointer: &'static str,
    pub top: TopLevel<'a>,
    /// Request headers, names in lower case (captured request and `--header`).
    pub headers: &'h [(String, String)],
    /// The raw event given with `--event`, overriding the body's.
    pub event: Option<&'h str>,
}

impl<'a> Context<'a, '_> {
    /// A pointer to `path` inside the body.
    pub fn pointer(&self, path: &str) -> String {
        format!("{}{}", self.body_pointer, path)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The raw event: `--event` if given, else the body's top-level `event`.
    pub fn raw_event(&self) -> Result<Option<std::borrow::Cow<'a, str>>, ConvertError> {
        if let Some(event) = self.event {
            return Ok(Some(std::borrow::Cow::Owned(event.to_owned())));
        }
        match self.top.get("event") {
            Some(raw) => self
                .doc
                .parse_at(raw.get(), || self.pointer("/event"))
                .map(Some),
            None => Ok(None),
        }
    }
}

/// A converted event.
pub struct Conversion<'a> {
    pub event: Event<'a>,
    /// The keys that identified the provider; empty when `--provider` forced it.
    pub evidence: Vec<&'static str>,
}

/// What `detect` says of a body once its provider is known, read without
/// converting it: the raw event, and the normalized event it maps to (`None`: the
/// provider's event has no normalized counterpart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identified {
    pub raw_event: String,
    pub event: Option<EventName>,
}

/// The raw and normalized event of a body whose provider is known. Only what
/// decides the event is read: a body that lacks a field only conversion needs
/// (an order id, an amount) is still identified.
pub fn identify(provider: Provider, ctx: &Context) -> Result<Identified, ConvertError> {
    (provider.0.identify)(ctx)
}

/// Which provider sent a body, and the keys that said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detection {
    pub provider: Provider,
    pub evidence: Vec<&'static str>,
}

/// Recognises the provider from the top level of the body and the headers. Each
/// rule uses keys the other providers never send; more than one match is refused.
pub fn detect(top: &TopLevel, headers: &[(String, String)]) -> Result<Detection, ConvertError> {
    let candidates: Vec<Detection> = Provider::all()
        .filter_map(|provider| {
            (provider.0.detect)(top, headers).map(|evidence| Detection { provider, evidence })
        })
        .collect();
    match candidates.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(ConvertError::new(
            ErrorKind::UnknownProvider,
            "",
            format!("unknown provider: {}", looked_for()),
        )),
        _ => {
            let names: Vec<String> = candidates
                .iter()
                .map(|c| format!("{} (by {})", c.provider, c.evidence.join(", ")))
                .collect();
            Err(ConvertError::new(
                ErrorKind::UnknownProvider,
                "",
                format!(
                    "ambiguous provider: the body looks like {}; choose one with --provider",
                    names.join(" and ")
                ),
            ))
        }
    }
}

/// What detection looks for, for the message when nothing matched.
pub fn looked_for() -> String {
    let each: Vec<String> = REGISTRY
        .iter()
        .map(|spec| format!("{} {}", spec.title, spec.looked_for))
        .collect();
    match each.split_last() {
        Some((last, [])) => format!("looked for {last}"),
        Some((last, rest)) => format!("looked for {} or {last}", rest.join(", ")),
        None => "no provider is registered".to_owned(),
    }
}

/// The provider whose detection keys a body comes nearest to, and the keys it
/// lacks: "unknown provider: the nearest is Cakto {secret, event, data} (it
/// lacks secret)".
/// `None` when no provider's keys are in the body at all. Ties name each.
pub fn nearest(keys: &[&str]) -> Option<String> {
    nearest_groups(keys).map(|nearest| format!("{NEAREST}{nearest}"))
}

/// How an unknown provider's message starts when it names the nearest one.
pub const NEAREST: &str = "unknown provider: the nearest ";

fn nearest_groups(keys: &[&str]) -> Option<String> {
    let mut best: Vec<String> = Vec::new();
    let mut best_score = (0, usize::MAX);
    for spec in REGISTRY.iter() {
        for group in key_groups(spec.looked_for) {
            let (present, missing) = present_and_missing(&group, keys);
            let score = (present, missing.len());
            if present == 0 || missing.is_empty() {
                continue;
            }
            let shown = format!(
                "{} {{{}}} (it lacks {})",
                spec.title,
                group.join(", "),
                missing.join(", ")
            );
            if score.0 > best_score.0 || (score.0 == best_score.0 && score.1 < best_score.1) {
                (best, best_score) = (vec![shown], score);
            } else if score == best_score {
                best.push(shown);
            }
        }
    }
    match best.split_last() {
        None => None,
        Some((one, [])) => Some(format!("is {one}")),
        Some((last, rest)) => Some(format!("are {} and {last}", rest.join(", "))),
    }
}

/// The `{…}` groups of keys a provider's `looked_for` names, each item as written
/// (`status: "abandoned"`, `a | b`, `a or b`).
fn key_groups(looked_for: &str) -> Vec<Vec<&str>> {
    looked_for
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}'))
        .map(|(group, _)| group.split(", ").map(str::trim).collect())
        .collect()
}

/// How many items of a group the body's keys hold, and the items they lack.
fn present_and_missing<'g>(group: &[&'g str], keys: &[&str]) -> (usize, Vec<&'g str>) {
    let mut missing = Vec::new();
    for item in group {
        let name = item.split(':').next().unwrap_or_default();
        let held = name
            .split([' ', '|'])
            .filter(|word| !word.is_empty() && *word != "or")
            .any(|word| keys.contains(&word));
        if !held {
            missing.push(*item);
        }
    }
    (group.len() - missing.len(), missing)
}

/// What a provider's one-pass conversion is given: the input and what the
/// command line adds.
#[derive(Clone, Copy)]
pub struct Given<'a, 'h> {
    pub doc: Doc<'a>,
    pub headers: &'h [(String, String)],
    pub event: Option<&'h str>,
}

/// A one-pass conversion: the top level recorded on the way (detection must
/// confirm the provider from it), and the answer.
pub struct OnePassed<'a> {
    pub top: TopLevel<'a>,
    pub converted: Result<Conversion<'a>, ConvertError>,
}

/// A provider's one-pass conversion: its typed body `T` read straight from the
/// text with the top level recorded, then converted by `convert`.
pub fn in_one_pass<'a, T: Deserialize<'a>>(
    given: Given<'a, '_>,
    convert: impl FnOnce(&Context<'a, '_>, T) -> Result<Conversion<'a>, ConvertError>,
) -> Option<OnePassed<'a>> {
    let (top, parsed) = one_pass::parse::<T>(given.doc.input)?;
    let ctx = Context {
        doc: given.doc,
        body: given.doc.input,
        body_pointer: "",
        top,
        headers: given.headers,
        event: given.event,
    };
    let converted = convert(&ctx, parsed);
    Some(OnePassed {
        top: ctx.top,
        converted,
    })
}

/// Converts a body whose provider is known, by the general path.
pub fn convert<'a>(
    provider: Provider,
    ctx: &Context<'a, '_>,
) -> Result<Conversion<'a>, ConvertError> {
    (provider.0.convert)(ctx)
}

/// Converts a body as `provider`'s in one scan; `None` leaves it to the general path.
pub fn convert_in_one_pass<'a>(provider: Provider, given: Given<'a, '_>) -> Option<OnePassed<'a>> {
    (provider.0.convert_in_one_pass)(given)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_declared_top_level_key_is_found_with_the_most_any_provider_keeps() {
        let keys = top_keys();
        assert!(keys.keys.len() < MAX_TOP_KEYS, "raise MAX_TOP_KEYS");
        for spec in REGISTRY {
            for (key, keep) in spec.top_keys {
                let (place, kept) = keys.find(key).expect("declared keys are found");
                assert_eq!(keys.keys[place].0, *key);
                assert!(kept >= *keep, "{key}: {kept:?} < {keep:?}");
            }
        }
        assert_eq!(
            keys.find("headers").map(|(_, keep)| keep),
            Some(Keep::Nothing)
        );
        assert_eq!(keys.find("no such key"), None);
        assert_eq!(keys.find(""), None);
    }
}
