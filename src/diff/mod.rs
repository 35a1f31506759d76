//! Structural differences between two JSON documents.
//!
//! Objects are compared key by key (their order does not matter). Arrays are
//! aligned with Myers' algorithm over the identity of their items: the item's key
//! (`id`, or `--key`) when every item on both sides has a distinct one, else the
//! item's value; unmatched neighbours are then paired by position, so one inserted
//! product is one `add`, never a chain of replacements.
//!
//! Every change's path is valid at the moment the change is applied, in order:
//! the list of changes *is* an RFC 6902 JSON Patch that turns LEFT into RIGHT.

mod node;
mod text;

pub use node::{Lookup, Node};
pub use text::{Records, brl, display_path, readable, records, render, write_human};

use crate::error::{ConvertError, ErrorKind, push_token};
use std::borrow::Cow;
use std::hash::{BuildHasher, Hash, Hasher};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Add,
    Remove,
    Replace,
}

impl Op {
    /// The JSON Patch operation.
    pub fn as_str(self) -> &'static str {
        match self {
            Op::Add => "add",
            Op::Remove => "remove",
            Op::Replace => "replace",
        }
    }

    /// The word for people and for the `json` format.
    pub fn word(self) -> &'static str {
        match self {
            Op::Add => "added",
            Op::Remove => "removed",
            Op::Replace => "changed",
        }
    }
}

/// One change, its values borrowed from the documents compared (a diff of two
/// large documents holds no second copy of them).
#[derive(Debug, Clone, PartialEq)]
pub struct Change<'v> {
    pub op: Op,
    /// RFC 6901 pointer, valid when the changes before it have been applied.
    pub path: String,
    pub old: Option<&'v Node<'v>>,
    pub new: Option<&'v Node<'v>>,
    /// For an item of an array matched by key: which one (`id "prod_1"`).
    pub item: Option<String>,
}

impl Change<'_> {
    /// `Some((old type, new type))` when a value changed its JSON type.
    pub fn type_change(&self) -> Option<(&'static str, &'static str)> {
        match (self.old, self.new) {
            (Some(old), Some(new)) if old.type_name() != new.type_name() => {
                Some((old.type_name(), new.type_name()))
            }
            _ => None,
        }
    }
}

/// One operation of a JSON Patch.
#[derive(Debug, serde::Serialize)]
pub struct PatchOp<'a> {
    pub op: &'static str,
    pub path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a Node<'a>>,
}

/// How the items of one array were matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matching {
    /// By the value at this pointer in each item.
    Key(String),
    /// By the items' values kept in their longest common order (patience-style:
    /// values standing once on each side anchor the rest), then by position.
    Sequence,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrayMatch {
    pub path: String,
    pub by: Matching,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Pointers to leave out; a `*` token matches any one key or index, and a
    /// pointer leaves out everything below it.
    pub ignore: Vec<String>,
    /// The pointer, inside each array item, of the key items are matched by
    /// (default `/id`).
    pub key: Option<String>,
    /// Numbers closer than this are equal (cents, seconds).
    pub tolerance: f64,
    /// Strings that hold JSON objects or arrays are compared as JSON.
    pub parse_strings: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diff<'v> {
    pub changes: Vec<Change<'v>>,
    pub arrays: Vec<ArrayMatch>,
}

impl<'v> Diff<'v> {
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changes as the operations of an RFC 6902 JSON Patch, borrowing their
    /// values (serialized as they are written).
    pub fn patch(&self) -> Vec<PatchOp<'_>> {
        self.changes
            .iter()
            .map(|change| PatchOp {
                op: change.op.as_str(),
                path: &change.path,
                value: change.new,
            })
            .collect()
    }

    /// Shows `masked` values in place of the documents' own (see `masked_values`).
    pub fn show<'m>(&mut self, masked: &'m [(usize, bool, Node<'static>)])
    where
        'm: 'v,
    {
        for (index, is_new, value) in masked {
            if let Some(change) = self.changes.get_mut(*index) {
                *(if *is_new {
                    &mut change.new
                } else {
                    &mut change.old
                }) = Some(value);
            }
        }
    }

    /// The changes as an RFC 6902 JSON Patch document.
    pub fn to_patch(&self) -> serde_json::Value {
        serde_json::to_value(self.patch()).unwrap_or(serde_json::Value::Null)
    }
}

/// One side of a comparison: normalized documents and plain JSON as they are,
/// read in place; a provider's raw body converted first (unless compared `raw`).
pub struct Side<'a> {
    pub value: Node<'a>,
    pub converted_from: Option<&'static str>,
}

impl<'a> Side<'a> {
    pub fn load(text: &'a str, raw: bool) -> Result<Side<'a>, ConvertError> {
        let value = Self::tree(text)?;
        let as_it_is = |value| Side {
            value,
            converted_from: None,
        };
        // Only an object can be a provider's body; normalized documents stay as they are.
        if raw
            || !matches!(value, Node::Object(_))
            || crate::normalized::recognize_object(&value).is_some()
        {
            return Ok(as_it_is(value));
        }
        let mut scratch = String::new();
        match crate::convert(text, &mut scratch, &crate::Options::default()) {
            Ok(converted) => {
                let provider = converted.event.provider;
                let value = serde_json::to_value(&converted.event).map_err(|error| {
                    ConvertError::new(
                        ErrorKind::InvalidValue,
                        "",
                        format!("a serializable event ({error})"),
                    )
                })?;
                Ok(Side {
                    value: Node::owned(value),
                    converted_from: Some(provider),
                })
            }
            // Not a provider's body: plain JSON, compared as it is.
            Err(error) if error.kind == ErrorKind::UnknownProvider => Ok(as_it_is(value)),
            Err(error) => Err(error),
        }
    }
}

impl Side<'_> {
    /// The document's tree: a form-encoded body is the JSON it stands for, as
    /// wherever a body is accepted (errors placed in the form's text).
    fn tree(text: &str) -> Result<Node<'_>, ConvertError> {
        if !crate::form::looks_like_form(text) {
            return Node::parse(text)
                .map_err(|error| crate::raw::Doc::new(text).syntax_error(text, &error));
        }
        match crate::form::to_value(text) {
            Ok(value) => Ok(Node::owned(value)),
            Err(mut error) => {
                error.position = crate::form::position(text, &error.pointer);
                Err(error)
            }
        }
    }
}

/// Documents compared as they are may hold credentials and card numbers: the
/// values a change shows are masked (equal secrets get equal masks within a
/// run). Changes are found on the values as they are, so a secret that changed
/// shows as changed even where its masks would look alike. `Diff::show` puts
/// them in place.
pub fn masked_values(
    result: &Diff,
    left: &Side,
    right: &Side,
) -> Vec<(usize, bool, Node<'static>)> {
    let masker = crate::redact::Redactor::random();
    let mut masked = Vec::new();
    for (index, change) in result.changes.iter().enumerate() {
        for (is_new, side, value) in [(false, left, change.old), (true, right, change.new)] {
            if let Some(value) = value
                && side.converted_from.is_none()
                && let Some(shown) = masker.mask_shown(&change.path, &value.to_value())
            {
                masked.push((index, is_new, Node::owned(shown)));
            }
        }
    }
    masked
}

/// The changes that turn `left` into `right`.
pub fn diff<'v>(left: &'v Node<'v>, right: &'v Node<'v>, options: &Options) -> Diff<'v> {
    let ignore = options.ignore.iter().map(|p| escaped_tokens(p)).collect();
    let key = tokens(options.key.as_deref().unwrap_or("/id"));
    let mut differ = Differ {
        options,
        ignore,
        key,
        pointer: String::new(),
        diff: Diff::default(),
    };
    differ.value(left, right);
    differ.diff
}

/// RFC 6901 tokens of a pointer (`~1` → `/`, `~0` → `~`).
pub fn tokens(pointer: &str) -> Vec<String> {
    crate::error::pointer_tokens(pointer)
        .map(Cow::into_owned)
        .collect()
}

/// The tokens of a pointer as written in it (`~1`, `~0` kept): each one
/// escaped exactly as the pointer of a path being walked escapes it.
fn escaped_tokens(pointer: &str) -> Vec<String> {
    tokens(pointer)
        .iter()
        .map(|token| {
            let mut escaped = String::new();
            push_token(&mut escaped, token);
            escaped.split_off(1)
        })
        .collect()
}

struct Differ<'o, 'v> {
    options: &'o Options,
    /// Patterns of `--ignore`, as escaped tokens.
    ignore: Vec<Vec<String>>,
    key: Vec<String>,
    /// The pointer of the value being compared, built in place: one push as a
    /// key or index is entered, one truncate as it is left.
    pointer: String,
    diff: Diff<'v>,
}

impl<'v> Differ<'_, 'v> {
    /// Enters `key`; returns the length to give back to `leave`.
    fn enter(&mut self, key: &str) -> usize {
        let length = self.pointer.len();
        push_token(&mut self.pointer, key);
        length
    }

    fn enter_index(&mut self, index: usize) -> usize {
        let length = self.pointer.len();
        self.pointer.push('/');
        self.pointer.push_str(itoa::Buffer::new().format(index));
        length
    }

    fn leave(&mut self, length: usize) {
        self.pointer.truncate(length);
    }

    fn ignored(&self) -> bool {
        self.ignore.iter().any(|pattern| {
            let mut path = self.pointer.split('/').skip(1);
            pattern
                .iter()
                .all(|p| path.next().is_some_and(|t| p == "*" || p == t))
        })
    }

    fn record(
        &mut self,
        op: Op,
        old: Option<&'v Node<'v>>,
        new: Option<&'v Node<'v>>,
        item: Option<String>,
    ) {
        if self.ignored() {
            return;
        }
        self.diff.changes.push(Change {
            op,
            path: self.pointer.clone(),
            old,
            new,
            item,
        });
    }

    fn value(&mut self, left: &'v Node<'v>, right: &'v Node<'v>) {
        if self.ignored() {
            return;
        }
        match (left, right) {
            (Node::Object(l), Node::Object(r)) => self.object(l, r),
            (Node::Array(l), Node::Array(r)) => self.array(l, r),
            (Node::String(l), Node::String(r)) if self.options.parse_strings && l != r => {
                match (embedded_json(l), embedded_json(r)) {
                    (Some(l), Some(r)) if equal(&l, &r, self.options.tolerance) => {}
                    _ => self.record(Op::Replace, Some(left), Some(right), None),
                }
            }
            _ if equal(left, right, self.options.tolerance) => {}
            _ => self.record(Op::Replace, Some(left), Some(right), None),
        }
    }

    fn object(
        &mut self,
        left: &'v [(Cow<'v, str>, Node<'v>)],
        right: &'v [(Cow<'v, str>, Node<'v>)],
    ) {
        let (in_left, in_right) = (Lookup::new(left), Lookup::new(right));
        for (key, l) in left {
            let length = self.enter(key);
            match in_right.get(key) {
                Some(r) => self.value(l, r),
                None => self.record(Op::Remove, Some(l), None, None),
            }
            self.leave(length);
        }
        for (key, r) in right {
            if !in_left.contains(key) {
                let length = self.enter(key);
                self.record(Op::Add, None, Some(r), None);
                self.leave(length);
            }
        }
    }

    fn array(&mut self, left: &'v [Node<'v>], right: &'v [Node<'v>]) {
        let keyed = match (keys(left, &self.key), keys(right, &self.key)) {
            (Some(l), Some(r)) => Some((l, r)),
            _ => None,
        };
        let (left_ids, right_ids, by) = match keyed {
            Some((l, r)) => (
                l,
                r,
                Matching::Key(self.options.key.clone().unwrap_or_else(|| "/id".into())),
            ),
            None => (
                left.iter().map(|v| fingerprint(v).to_string()).collect(),
                right.iter().map(|v| fingerprint(v).to_string()).collect(),
                Matching::Sequence,
            ),
        };
        let both_empty = left.is_empty() && right.is_empty();
        if !both_empty && !self.ignored() {
            let path = self.pointer.clone();
            self.diff.arrays.push(ArrayMatch {
                path,
                by: by.clone(),
            });
        }
        let by_key = matches!(by, Matching::Key(_));
        let key_name = key_name(&self.key);
        let label =
            |ids: &[String], index: usize| by_key.then(|| format!("{key_name} {}", ids[index]));
        // `at` is where the next item stands in the array as it is being patched.
        let mut at = 0usize;
        for step in align(&left_ids, &right_ids) {
            match step {
                Step::Same(l, r) => {
                    let length = self.enter_index(at);
                    self.value(&left[l], &right[r]);
                    self.leave(length);
                    at += 1;
                }
                Step::Gap(old, new) => {
                    // Items without a shared key are different items; others are paired by position.
                    let paired = if by_key { 0 } else { old.len().min(new.len()) };
                    for (l, r) in old.clone().zip(new.clone()).take(paired) {
                        let length = self.enter_index(at);
                        self.value(&left[l], &right[r]);
                        self.leave(length);
                        at += 1;
                    }
                    for l in old.skip(paired) {
                        let length = self.enter_index(at);
                        self.record(Op::Remove, Some(&left[l]), None, label(&left_ids, l));
                        self.leave(length);
                    }
                    for r in new.skip(paired) {
                        let length = self.enter_index(at);
                        self.record(Op::Add, None, Some(&right[r]), label(&right_ids, r));
                        self.leave(length);
                        at += 1;
                    }
                }
            }
        }
    }
}

/// One step of an alignment of two arrays: an item of each that are the same
/// item, or a stretch of each that are not.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Same(usize, usize),
    Gap(std::ops::Range<usize>, std::ops::Range<usize>),
}

/// Aligns two arrays by their items' ids (keys or fingerprints) in
/// O(n log n), whatever the number of changes: the common start and end, then
/// the items whose id stands once on each side, kept in their longest common
/// order (patience diff), each stretch between two of them aligned the same way
/// at its ends. A general edit-distance diff costs O(n·d): quadratic when
/// every item changed.
fn align(left: &[String], right: &[String]) -> Vec<Step> {
    let mut steps = Vec::new();
    align_within(
        left,
        right,
        0..left.len(),
        0..right.len(),
        ALIGN_DEPTH,
        &mut steps,
    );
    steps
}

/// How many times a stretch between anchors is aligned again on its own: each
/// pass costs O(n log n), so the whole stays so even for crafted input.
const ALIGN_DEPTH: u8 = 8;

fn align_within(
    left: &[String],
    right: &[String],
    mut old: std::ops::Range<usize>,
    mut new: std::ops::Range<usize>,
    depth: u8,
    steps: &mut Vec<Step>,
) {
    // The common start.
    while !old.is_empty() && !new.is_empty() && left[old.start] == right[new.start] {
        steps.push(Step::Same(old.start, new.start));
        old.start += 1;
        new.start += 1;
    }
    // The common end, emitted after the middle.
    let mut tail = Vec::new();
    while !old.is_empty() && !new.is_empty() && left[old.end - 1] == right[new.end - 1] {
        old.end -= 1;
        new.end -= 1;
        tail.push(Step::Same(old.end, new.end));
    }
    let anchors = match depth {
        0 => Vec::new(),
        _ => unique_anchors(left, right, old.clone(), new.clone()),
    };
    if anchors.is_empty() {
        if !old.is_empty() || !new.is_empty() {
            steps.push(Step::Gap(old, new));
        }
    } else {
        let (mut l, mut r) = (old.start, new.start);
        for (al, ar) in anchors {
            align_within(left, right, l..al, r..ar, depth - 1, steps);
            steps.push(Step::Same(al, ar));
            l = al + 1;
            r = ar + 1;
        }
        align_within(left, right, l..old.end, r..new.end, depth - 1, steps);
    }
    steps.extend(tail.into_iter().rev());
}

/// The pairs of positions whose id stands exactly once in each range, in the
/// longest chain that keeps both orders.
fn unique_anchors(
    left: &[String],
    right: &[String],
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
) -> Vec<(usize, usize)> {
    use std::collections::HashMap;
    // id → (count on the left, its left position, count on the right, its right position)
    let mut seen: HashMap<&str, (u32, usize, u32, usize)> = HashMap::new();
    for l in old {
        let entry = seen.entry(left[l].as_str()).or_insert((0, l, 0, 0));
        entry.0 += 1;
        entry.1 = l;
    }
    for r in new {
        if let Some(entry) = seen.get_mut(right[r].as_str()) {
            entry.2 += 1;
            entry.3 = r;
        }
    }
    let mut pairs: Vec<(usize, usize)> = seen
        .into_values()
        .filter(|&(in_left, _, in_right, _)| in_left == 1 && in_right == 1)
        .map(|(_, l, _, r)| (l, r))
        .collect();
    pairs.sort_unstable();
    longest_increasing(&pairs)
}

/// The longest chain of `pairs` (sorted by their first) whose seconds increase.
fn longest_increasing(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // `tops[k]`: the index in `pairs` ending the best chain of length k + 1.
    let mut tops: Vec<usize> = Vec::new();
    let mut previous: Vec<Option<usize>> = vec![None; pairs.len()];
    for (index, &(_, r)) in pairs.iter().enumerate() {
        let place = tops.partition_point(|&top| pairs[top].1 < r);
        previous[index] = place.checked_sub(1).map(|p| tops[p]);
        match tops.get_mut(place) {
            Some(top) => *top = index,
            None => tops.push(index),
        }
    }
    let mut chain = Vec::with_capacity(tops.len());
    let mut cursor = tops.last().copied();
    while let Some(index) = cursor {
        chain.push(pairs[index]);
        cursor = previous[index];
    }
    chain.reverse();
    chain
}

fn key_name(key: &[String]) -> String {
    key.join("/")
}

/// The key of every item, when every item is an object holding a scalar at `key`
/// and no two items share one.
fn keys(items: &[Node], key: &[String]) -> Option<Vec<String>> {
    let mut found = Vec::with_capacity(items.len());
    let mut seen = std::collections::HashSet::with_capacity(items.len());
    for item in items {
        let mut value = item;
        for token in key {
            value = value.get(token)?;
        }
        let text = match value {
            Node::String(s) => format!("{s:?}"),
            Node::Number(n) => n.to_string(),
            _ => return None,
        };
        if !seen.insert(text.clone()) {
            return None;
        }
        found.push(text);
    }
    (!items.is_empty()).then_some(found)
}

/// A JSON value held inside a string (`"{\"a\": 1}"`), when it is an object or array.
fn embedded_json(text: &str) -> Option<Node<'_>> {
    let trimmed = text.trim_start();
    if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
        return None;
    }
    Node::parse(text).ok()
}

/// Equal as JSON values: numbers by exact decimal value (`1` = `1.0` = `1e0`,
/// or within `tolerance`), objects whatever their key order.
pub fn equal(left: &Node, right: &Node, tolerance: f64) -> bool {
    match (left, right) {
        (Node::Number(l), Node::Number(r)) => {
            let exact = Decimal::of(l) == Decimal::of(r);
            exact || (tolerance > 0.0 && within(l, r, tolerance))
        }
        (Node::Array(l), Node::Array(r)) => {
            l.len() == r.len() && l.iter().zip(r).all(|(l, r)| equal(l, r, tolerance))
        }
        (Node::Object(l), Node::Object(r)) => {
            let in_right = Lookup::new(r);
            l.len() == r.len()
                && l.iter()
                    .all(|(k, v)| in_right.get(k).is_some_and(|w| equal(v, w, tolerance)))
        }
        _ => left == right,
    }
}

/// Within `tolerance` of each other, read as finite floats.
fn within(left: &str, right: &str, tolerance: f64) -> bool {
    let finite = |text: &str| text.parse::<f64>().ok().filter(|f| f.is_finite());
    match (finite(left), finite(right)) {
        (Some(l), Some(r)) => (l - r).abs() <= tolerance,
        _ => false,
    }
}

/// A number's exact decimal value, whatever its spelling: the significant
/// digits (no leading or trailing zeros), the power of ten of the last one, and
/// the sign. Numbers are held as written (`arbitrary_precision`), so
/// `18446744073709551617` and `18446744073709551616` stay two numbers. The
/// digits are borrowed from the text: those of the whole part, then those of
/// the fraction (`1.5` and `15e-1` are one value split two ways).
#[derive(Debug)]
struct Decimal<'t> {
    negative: bool,
    whole: &'t str,
    fraction: &'t str,
    exponent: i64,
}

/// A written exponent; one too large for `i64` is as far as it can go.
fn exponent_of(text: &str) -> i64 {
    text.parse().unwrap_or(if text.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    })
}

impl<'t> Decimal<'t> {
    fn of(text: &'t str) -> Decimal<'t> {
        let (negative, unsigned) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (mantissa, written_exponent) = match unsigned.find(['e', 'E']) {
            Some(at) => (&unsigned[..at], exponent_of(&unsigned[at + 1..])),
            None => (unsigned, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let written_fraction = fraction.len();
        // Leading zeros: those of the whole part, then, if it was all zeros, the fraction's.
        let mut whole = whole.trim_start_matches('0');
        let mut fraction = match whole.is_empty() {
            true => fraction.trim_start_matches('0'),
            false => fraction,
        };
        let significant = whole.len() + fraction.len();
        // Trailing zeros: those of the fraction, then, if it was all zeros, the whole part's.
        fraction = fraction.trim_end_matches('0');
        if fraction.is_empty() {
            whole = whole.trim_end_matches('0');
        }
        if whole.is_empty() && fraction.is_empty() {
            return Decimal {
                negative: false,
                whole: "",
                fraction: "",
                exponent: 0,
            };
        }
        let dropped = (significant - whole.len() - fraction.len()) as i64;
        let exponent = written_exponent
            .saturating_sub(written_fraction as i64)
            .saturating_add(dropped);
        Decimal {
            negative,
            whole,
            fraction,
            exponent,
        }
    }

    fn digits(&self) -> impl Iterator<Item = u8> + '_ {
        self.whole.bytes().chain(self.fraction.bytes())
    }
}

impl PartialEq for Decimal<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.negative == other.negative
            && self.exponent == other.exponent
            && self.whole.len() + self.fraction.len() == other.whole.len() + other.fraction.len()
            && self.digits().eq(other.digits())
    }
}

impl Hash for Decimal<'_> {
    /// The digits are hashed as one run, so that equal values split
    /// differently between whole part and fraction hash alike.
    fn hash<H: Hasher>(&self, hasher: &mut H) {
        (self.negative, self.exponent).hash(hasher);
        let length = self.whole.len() + self.fraction.len();
        hasher.write_usize(length);
        let mut buffer = [0u8; 64];
        match buffer.get_mut(..length) {
            Some(run) => {
                for (slot, digit) in run.iter_mut().zip(self.digits()) {
                    *slot = digit;
                }
                hasher.write(run);
            }
            None => hasher.write(&self.digits().collect::<Vec<u8>>()),
        }
    }
}

/// A hash of a value that ignores object key order and number spelling (`1` = `1.0`).
fn fingerprint(value: &Node) -> u64 {
    let mut hasher = fingerprint_hasher();
    hash_value(value, &mut hasher);
    hasher.finish()
}

/// Fingerprints are compared within one run, never kept nor keyed by anyone
/// else's input: foldhash's quality variant (a 64-bit hash with full
/// avalanche) at a fixed seed, not SipHash, whose strength against chosen
/// collisions a fingerprint does not need and whose cost, once per member of
/// every object, was a fifth of `diff`.
fn fingerprint_hasher() -> impl Hasher {
    foldhash::quality::FixedState::with_seed(0x6f6f_6b6e_6f72_6d00).build_hasher()
}

fn hash_value(value: &Node, hasher: &mut impl Hasher) {
    match value {
        Node::Null => 0u8.hash(hasher),
        Node::Bool(b) => (1u8, b).hash(hasher),
        Node::Number(n) => (2u8, Decimal::of(n)).hash(hasher),
        Node::String(s) => (3u8, s).hash(hasher),
        Node::Array(items) => {
            (4u8, items.len()).hash(hasher);
            items.iter().for_each(|item| hash_value(item, hasher));
        }
        Node::Object(map) => {
            // Order-insensitive: combine the members' own hashes commutatively.
            let combined = map.iter().fold(0u64, |acc, (k, v)| {
                let mut member = fingerprint_hasher();
                k.hash(&mut member);
                hash_value(v, &mut member);
                acc.wrapping_add(member.finish())
            });
            (5u8, map.len(), combined).hash(hasher);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn changes(left: Value, right: Value) -> Vec<(Op, String)> {
        diff(&Node::of(&left), &Node::of(&right), &Options::default())
            .changes
            .into_iter()
            .map(|c| (c.op, c.path))
            .collect()
    }

    #[test]
    fn a_loaded_side_is_the_document_in_its_order() {
        let text = r#"{"z": [1, 2.50, 3, 4, 5], "a": {"k": null, "b": "x\n\u00e9", "c": [{"d": 123456789012345678901234567890, "e": -1.5e-7}]}, "z2": true, "a": {"again": 1E400}}"#;
        let side = Side::load(text, true).unwrap();
        let as_value: Value = serde_json::from_str(text).unwrap();
        assert_eq!(side.value.to_value(), as_value);
        assert_eq!(
            serde_json::to_string(&side.value).unwrap(),
            serde_json::to_string(&as_value).unwrap()
        );
        let keys: Vec<&str> = side
            .value
            .as_entries()
            .unwrap()
            .iter()
            .map(|(k, _)| k.as_ref())
            .collect();
        assert_eq!(keys, ["z", "a", "z2"]);
    }

    #[test]
    fn identical_and_key_order_only() {
        assert!(changes(json!({"a": 1, "b": [1, 2]}), json!({"b": [1, 2], "a": 1})).is_empty());
    }

    #[test]
    fn numbers_equal_as_values() {
        assert!(changes(json!({"a": 1}), json!({"a": 1.0})).is_empty());
        assert_eq!(
            changes(json!({"a": 1}), json!({"a": 2})),
            vec![(Op::Replace, "/a".into())]
        );
        let loose = Options {
            tolerance: 1.0,
            ..Options::default()
        };
        assert!(
            diff(
                &Node::of(&json!({"a": 100})),
                &Node::of(&json!({"a": 101})),
                &loose
            )
            .is_empty()
        );
    }

    fn number(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn numbers_compared_exactly_beyond_f64_and_u64() {
        let pairs = [
            ("18446744073709551617", "18446744073709551616"),
            ("9007199254740993", "9007199254740992"),
            ("0.1", "0.10000000000000001"),
            ("-1e400", "-2e400"),
        ];
        for (left, right) in pairs {
            assert_eq!(
                changes(number(left), number(right)).len(),
                1,
                "{left} vs {right}"
            );
        }
        let same = [
            ("1", "1.0"),
            ("100", "1e2"),
            ("0.5", "5E-1"),
            ("-0", "0.000"),
            ("18446744073709551617", "1.8446744073709551617e19"),
            ("12.3400", "1234e-2"),
            ("1.5", "15e-1"),
            ("120.0500", "1.2005e2"),
            ("0.0120", "12e-3"),
            ("0.00", "-0e5"),
        ];
        let fingerprint_of = |text: &str| fingerprint(&Node::of(&number(text)));
        let long = "1234567890".repeat(7);
        let long_split = format!("{}.{}e5", &long[..65], &long[65..]);
        assert_eq!(fingerprint_of(&long), fingerprint_of(&long_split));
        assert!(changes(number(&long), number(&long_split)).is_empty());
        for (left, right) in pairs {
            assert_ne!(
                fingerprint_of(left),
                fingerprint_of(right),
                "{left} vs {right}"
            );
        }
        for (left, right) in same {
            assert_eq!(
                fingerprint_of(left),
                fingerprint_of(right),
                "{left} vs {right}"
            );
            assert!(
                changes(number(left), number(right)).is_empty(),
                "{left} vs {right}"
            );
            let wrapped = |n: &str| number(&format!("[{n}, 7]"));
            assert!(
                changes(wrapped(left), wrapped(right)).is_empty(),
                "in an array: {left} vs {right}"
            );
        }
    }

    #[test]
    fn nested_changes_and_type_changes() {
        let (left, right) = (
            json!({"o": {"x": "1", "y": 2}}),
            json!({"o": {"x": 1, "z": 3}}),
        );
        let (l, r) = (Node::of(&left), Node::of(&right));
        let d = diff(&l, &r, &Options::default());
        let ops: Vec<_> = d.changes.iter().map(|c| (c.op, c.path.as_str())).collect();
        assert_eq!(
            ops,
            vec![
                (Op::Replace, "/o/x"),
                (Op::Remove, "/o/y"),
                (Op::Add, "/o/z")
            ]
        );
        assert_eq!(d.changes[0].type_change(), Some(("string", "number")));
    }

    #[test]
    fn one_inserted_product_is_one_add() {
        let left =
            json!({"products": [{"id": "a", "v": 1}, {"id": "b", "v": 2}, {"id": "c", "v": 3}]});
        let right = json!({"products": [{"id": "a", "v": 1}, {"id": "new", "v": 9}, {"id": "b", "v": 2}, {"id": "c", "v": 4}]});
        let (l, r) = (Node::of(&left), Node::of(&right));
        let d = diff(&l, &r, &Options::default());
        let ops: Vec<_> = d.changes.iter().map(|c| (c.op, c.path.as_str())).collect();
        assert_eq!(
            ops,
            vec![(Op::Add, "/products/1"), (Op::Replace, "/products/3/v")]
        );
        assert_eq!(d.changes[0].item.as_deref(), Some("id \"new\""));
        assert_eq!(
            d.arrays,
            vec![ArrayMatch {
                path: "/products".into(),
                by: Matching::Key("/id".into())
            }]
        );
    }

    #[test]
    fn arrays_without_ids_by_subsequence_then_position() {
        let (left, right) = (json!([1, 2, 3, 4]), json!([1, 9, 3, 4, 5]));
        let (l, r) = (Node::of(&left), Node::of(&right));
        let d = diff(&l, &r, &Options::default());
        let ops: Vec<_> = d.changes.iter().map(|c| (c.op, c.path.as_str())).collect();
        assert_eq!(ops, vec![(Op::Replace, "/1"), (Op::Add, "/4")]);
        assert_eq!(d.arrays[0].by, Matching::Sequence);
    }

    #[test]
    fn another_key() {
        let options = Options {
            key: Some("/sku".into()),
            ..Options::default()
        };
        let (left, right) = (
            json!([{"sku": "x", "q": 1}]),
            json!([{"sku": "y", "q": 1}, {"sku": "x", "q": 2}]),
        );
        let (l, r) = (Node::of(&left), Node::of(&right));
        let d = diff(&l, &r, &options);
        let ops: Vec<_> = d.changes.iter().map(|c| (c.op, c.path.as_str())).collect();
        assert_eq!(ops, vec![(Op::Add, "/0"), (Op::Replace, "/1/q")]);
    }

    #[test]
    fn ignore_with_wildcards() {
        let options = Options {
            ignore: vec!["/items/*/at".into(), "/meta".into()],
            ..Options::default()
        };
        let (left, right) = (
            json!({"items": [{"at": 1, "v": 1}], "meta": {"x": 1}}),
            json!({"items": [{"at": 2, "v": 2}], "meta": {"x": 2}}),
        );
        let (l, r) = (Node::of(&left), Node::of(&right));
        let d = diff(&l, &r, &options);
        let ops: Vec<_> = d.changes.iter().map(|c| c.path.as_str()).collect();
        assert_eq!(ops, vec!["/items/0/v"]);
    }

    #[test]
    fn keys_with_slash_and_tilde_are_escaped_in_paths_and_ignore_patterns() {
        let (left, right) = (
            json!({"a/b": {"c~d": 1, "e": 1}, "a": {"b": 1}, "x": [{"~": 1}, {"~": 1}]}),
            json!({"a/b": {"c~d": 2, "e": 2}, "a": {"b": 2}, "x": [{"~": 2}, {"~": 2}]}),
        );
        let (l, r) = (Node::of(&left), Node::of(&right));
        let paths = |ignore: &[&str]| {
            let options = Options {
                ignore: ignore.iter().map(|p| p.to_string()).collect(),
                ..Options::default()
            };
            diff(&l, &r, &options)
                .changes
                .iter()
                .map(|c| c.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            paths(&[]),
            ["/a~1b/c~0d", "/a~1b/e", "/a/b", "/x/0/~0", "/x/1/~0"]
        );
        // "/a~1b" names the key "a/b", never the path a → b.
        assert_eq!(paths(&["/a~1b"]), ["/a/b", "/x/0/~0", "/x/1/~0"]);
        assert_eq!(
            paths(&["/a/b", "/a~1b/c~0d"]),
            ["/a~1b/e", "/x/0/~0", "/x/1/~0"]
        );
        // A pattern longer than the path never matches its ancestors.
        assert_eq!(
            paths(&["/a~1b/e/deeper", "/x/*/~0"]),
            ["/a~1b/c~0d", "/a~1b/e", "/a/b"]
        );
        assert_eq!(paths(&["/*/e", "/x/1"]), ["/a~1b/c~0d", "/a/b", "/x/0/~0"]);
    }

    #[test]
    fn json_inside_strings() {
        let left = json!({"raw": "{\"a\": 1, \"b\": 2}"});
        let right = json!({"raw": "{\"b\": 2, \"a\": 1.0}"});
        assert_eq!(changes(left.clone(), right.clone()).len(), 1);
        let options = Options {
            parse_strings: true,
            ..Options::default()
        };
        assert!(diff(&Node::of(&left), &Node::of(&right), &options).is_empty());
    }

    #[test]
    fn unicode_keys_are_escaped_in_pointers() {
        let (left, right) = (json!({"a/b": {"ç~": 1}}), json!({"a/b": {"ç~": 2}}));
        let (l, r) = (Node::of(&left), Node::of(&right));
        let d = diff(&l, &r, &Options::default());
        assert_eq!(d.changes[0].path, "/a~1b/ç~0");
    }

    fn ids(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn alignment_keeps_common_items_and_gaps_the_rest() {
        let left = ids(&["a", "b", "c", "d", "e"]);
        let right = ids(&["a", "x", "c", "d", "y", "e"]);
        assert_eq!(
            align(&left, &right),
            vec![
                Step::Same(0, 0),
                Step::Gap(1..2, 1..2),
                Step::Same(2, 2),
                Step::Same(3, 3),
                Step::Gap(4..4, 4..5),
                Step::Same(4, 5),
            ]
        );
        // Every item changed: one gap, paired by position by the caller.
        let changed = ids(&["1", "2", "3"]);
        assert_eq!(align(&left[..3], &changed), vec![Step::Gap(0..3, 0..3)]);
        // A moved item: the longest common order stays, the mover is a gap.
        let moved = ids(&["b", "c", "d", "e", "a"]);
        let steps = align(&left, &moved);
        assert_eq!(
            steps.iter().filter(|s| matches!(s, Step::Same(..))).count(),
            4
        );
    }

    /// The cost of an alignment grows with n log n, however many items changed
    /// or repeat: 200,000 items all changed, or all equal to each other.
    #[test]
    fn alignment_of_large_arrays_is_quick() {
        let left: Vec<String> = (0..200_000).map(|i| format!("l{i}")).collect();
        let right: Vec<String> = (0..200_000).map(|i| format!("r{i}")).collect();
        let start = std::time::Instant::now();
        assert_eq!(align(&left, &right).len(), 1);
        let repeated = vec!["same".to_owned(); 100_000];
        let mut other = repeated.clone();
        other.insert(50_000, "new".to_owned());
        assert_eq!(align(&repeated, &other).len(), 100_001);
        let zigzag: Vec<String> = (0..100_000).map(|i| (i % 7).to_string()).collect();
        let reversed: Vec<String> = zigzag.iter().rev().cloned().collect();
        let steps = align(&zigzag, &reversed);
        let covered: usize = steps
            .iter()
            .map(|s| match s {
                Step::Same(..) => 1,
                Step::Gap(old, _) => old.len(),
            })
            .sum();
        assert_eq!(covered, zigzag.len());
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    }
}
