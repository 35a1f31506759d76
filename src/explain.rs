//! `explain`: where each field of a normalized event came from.
//!
//! The provenance of a provider's fields is its documentation page
//! (`docs/providers/<name>.md`, compiled into the provider's `Spec`): each table
//! row names normalized fields, the raw fields they come from, and the rule
//! applied. Explaining a body converts it, then for every field of the event finds
//! its row and the raw values at the fields the row names. So `explain` says what
//! the documentation says, and the tests that run it over every sample keep the
//! documentation true to the code: a field without a row, or a row whose raw field
//! is not in the body that produced a value, fails them. Of the raw fields a row
//! names, those the conversion read (logged as it ran, see `unread`) are shown.
//! Nothing of this runs on the convert path.

pub mod unread;

use crate::convert::{self, Options};
use crate::error::ConvertError;
use crate::providers::Provider;
use serde::Serialize;
use serde_json::Value;
use std::rc::Rc;

/// What a body became, field by field.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub provider: Provider,
    pub raw_event: String,
    pub event: String,
    pub fields: Vec<Field>,
}

/// One field of the event (a leaf: a value, `null`, or an empty list or object).
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// Its pointer in the event (`/payload/payment/total`).
    pub pointer: String,
    pub value: Value,
    /// The raw values it was made from, with their pointers in the input.
    pub from: Vec<Source>,
    /// The rule the documentation states (`ISO 8601 → unix seconds`), or why
    /// the field is null.
    pub rule: String,
    /// The raw fields as the documentation names them (`data.customer.name`).
    pub documented: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub pointer: String,
    pub value: Value,
}

/// One row of a provider page's field table, in the section of one family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The section's title (`` `order.*` payload ``).
    pub section: String,
    /// The normalized fields it names, dotted, list items as `[]`.
    pub fields: Vec<String>,
    /// The raw-field cell and the rule cell, as written.
    pub raw: String,
    pub rule: String,
}

/// Explains one document (a raw body or a captured request).
pub fn explain(input: &str, options: &Options) -> Result<Explanation, ConvertError> {
    let mut scratch = String::new();
    let detected = convert::detect(input, &mut scratch, options)?;
    let mut scratch = String::new();
    let conversion = convert::convert(input, &mut scratch, options)?;
    let raw_event = match detected {
        convert::Detected::Raw { identified, .. } => identified.raw_event,
        convert::Detected::Normalized(_) => String::new(),
    };
    let provider = Provider::named(conversion.event.provider).ok_or_else(|| {
        ConvertError::new(
            crate::ErrorKind::UnknownProvider,
            "",
            "a registered provider",
        )
    })?;
    let event = serde_json::to_value(&conversion.event).unwrap_or(Value::Null);
    let (mut body, body_pointer) = body_of(input);
    // Raw values are shown: credentials and full card numbers are masked first,
    // in the body and in the event alike (a URL's `token=` is in both).
    let masker = crate::redact::Redactor::from_env();
    if let Some(body) = body.as_mut() {
        masker.mask_secrets(body);
    }
    let name = conversion.event.event.as_str();
    let rows = rows_for(provider.spec().docs, name);
    let mut leaves = Vec::new();
    collect_leaves(&event, String::new(), &mut leaves);
    let names = raw_fields(&rows);
    let raw_leaves = body
        .as_ref()
        .map(|body| RawLeaves::of(body, &names))
        .unwrap_or_default();
    // Preferring what conversion read costs a traced conversion and a pointer
    // per leaf: past this size the docs tables alone choose, so that explain
    // stays a small multiple of the body.
    let unread = match input.len() <= TRACED_BODY_LIMIT {
        true => unread_pointers(input, options),
        false => Vec::new(),
    };
    let fields = leaves
        .into_iter()
        .map(|(pointer, value)| {
            let value = masker.mask_shown(&pointer, &value).unwrap_or(value);
            let dotted = dotted(&pointer);
            let shaped = shape_row(&rows, &pointer, &event);
            let row = shaped.as_ref().or_else(|| most_specific(&rows, &dotted));
            let from = row
                .map(|row| {
                    let raw = Raw {
                        leaves: &raw_leaves,
                        body_pointer,
                        unread: &unread,
                    };
                    sources(row, &pointer, &value, &raw)
                })
                .unwrap_or_default();
            let rule = match (row, &value) {
                (Some(row), _) => row.rule.clone(),
                (None, _) if pointer == "/event" => "the provider's event, by its table".into(),
                (None, _) if pointer == "/provider" => "detection".into(),
                (None, _) if pointer == "/idempotency_key" => {
                    "<provider>:<event>:<the provider's id>".into()
                }
                (None, _) => String::new(),
            };
            Field {
                pointer,
                value,
                from,
                rule: plain(&rule),
                documented: row.map(|row| plain(&row.raw)).unwrap_or_default(),
            }
        })
        .collect();
    Ok(Explanation {
        provider,
        raw_event,
        event: name.to_owned(),
        fields,
    })
}

/// The largest input whose sources are chosen with what conversion read.
const TRACED_BODY_LIMIT: usize = 1 << 20;

/// The pointers of the values conversion did not read (`explain --unread`).
fn unread_pointers(input: &str, options: &Options) -> Vec<String> {
    let masker = crate::redact::Redactor::random();
    let showing = unread::Showing {
        masker: &masker,
        redactor: None,
    };
    unread::unread(input, options, &showing)
        .map(|found| found.unread.into_iter().map(|leaf| leaf.pointer).collect())
        .unwrap_or_default()
}

/// The raw body's leaves, where the body sits in the input, and which of its
/// values conversion did not read.
struct Raw<'r> {
    leaves: &'r RawLeaves<'r>,
    body_pointer: &'r str,
    unread: &'r [String],
}

/// The row a field of a shape written in one cell comes from: `qrcode_signature
/// ← pix.qrCode` in the row of the payment type the event has (`pix`), or
/// `country ← country` in the row of the field's parent (`customer.address`).
/// A row of its own is made of it, naming only that raw field (and its `else`).
fn shape_row(rows: &[Row], pointer: &str, event: &Value) -> Option<Row> {
    let (parent, key) = pointer.rsplit_once('/')?;
    let key = crate::error::unescape_token(key);
    let parent_dotted = dotted(parent);
    let kind = event
        .pointer(&format!("{parent}/type"))
        .and_then(Value::as_str);
    rows.iter().find_map(|row| {
        let applies = row.fields.iter().any(|field| {
            *field == parent_dotted
                || (kind == Some(field.as_str()) && parent.ends_with("payment_method"))
        });
        let (names, note) = arrow_sources(&row.raw, &key)?;
        applies.then(|| Row {
            section: row.section.clone(),
            fields: vec![dotted(pointer)],
            raw: names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", else "),
            rule: note.unwrap_or_else(|| row.rule.clone()),
        })
    })
}

/// Every raw field a cell's shape names after an arrow or an `else`
/// (`{type, qrcode_signature ← pix.qrCode, expiration_date ← … (else data.due_date)}`).
fn arrow_names(cell: &str) -> Vec<String> {
    let text = cell.replace('`', "");
    let path_at = |rest: &str| -> String {
        rest.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
            .collect()
    };
    text.split('←')
        .skip(1)
        .chain(text.split("else ").skip(1))
        .map(path_at)
        .filter(|path| !path.is_empty())
        .collect()
}

/// The raw fields `key ← …` names in a cell (`expiration_date ←
/// boleto.expirationDate (else data.due_date)` → both), and its note in
/// parentheses; `None` when the cell has no arrow for `key`.
fn arrow_sources(cell: &str, key: &str) -> Option<(Vec<String>, Option<String>)> {
    let text = cell.replace('`', "");
    let arrow = format!("{key} ←");
    let at = text.match_indices(&arrow).find_map(|(at, _)| {
        let before = text.get(..at)?.chars().next_back();
        before
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'))
            .then_some(at + arrow.len())
    })?;
    let rest = text.get(at..)?.trim_start();
    // The mapping ends at a comma or brace outside parentheses.
    let mut depth = 0usize;
    let end = rest
        .char_indices()
        .find(|&(_, c)| match c {
            '(' => {
                depth += 1;
                false
            }
            ')' => {
                depth = depth.saturating_sub(1);
                false
            }
            ',' | '}' => depth == 0,
            _ => false,
        })
        .map_or(rest.len(), |(end, _)| end);
    let mapping = rest.get(..end)?.trim();
    let path_of = |text: &str| -> Option<String> {
        let path: String = text
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '[' | ']' | '-'))
            .collect();
        raw_path(&path)
    };
    let mut names: Vec<String> = path_of(mapping).into_iter().collect();
    let note = mapping
        .find('(')
        .and_then(|open| Some(mapping.get(open + 1..mapping.rfind(')')?)?.to_owned()));
    if let Some(note) = &note {
        names.extend(note.split("else ").skip(1).filter_map(path_of));
    }
    (!names.is_empty()).then_some((names, note))
}

/// The row that names `dotted` most closely (`products[].id` before `products[]`).
pub fn most_specific<'r>(rows: &'r [Row], dotted: &str) -> Option<&'r Row> {
    rows.iter()
        .filter_map(|row| {
            row.fields
                .iter()
                .filter(|field| covered(dotted, std::slice::from_ref(*field)))
                .map(String::len)
                .max()
                .map(|length| (length, row))
        })
        .max_by_key(|(length, _)| *length)
        .map(|(_, row)| row)
}

/// The rows of the sections of `page` that describe the family of `event`
/// (`order.*`, `checkout.abandoned`, …). A subscription family's section
/// writes only what differs from the purchase the body carries: its other
/// fields are those of the `order.*` section (`order.*` read as `transaction.*`),
/// listed first so that the family's own rows win.
pub fn rows_for(page: &str, event: &str) -> Vec<Row> {
    let family = event.split('.').next().unwrap_or_default();
    let all = rows(page);
    let in_section = |row: &Row, family: &str| {
        row.section.contains(&format!("`{family}.*`"))
            || row.section.contains(&format!("`{event}`"))
    };
    let own: Vec<Row> = all
        .iter()
        .filter(|row| in_section(row, family))
        .cloned()
        .collect();
    if !matches!(family, "subscription" | "subscription_transaction") || own.is_empty() {
        return own;
    }
    let inherited = all
        .iter()
        .filter(|row| row.section.contains("`order.*`"))
        .map(|row| Row {
            fields: row
                .fields
                .iter()
                .map(|field| match field.strip_prefix("order") {
                    Some(rest) if rest.is_empty() || rest.starts_with('.') => {
                        format!("transaction{rest}")
                    }
                    _ => field.clone(),
                })
                .collect(),
            ..row.clone()
        });
    inherited.chain(own).collect()
}

/// Every field-table row of a provider page, with its `## ` section.
pub fn rows(page: &str) -> Vec<Row> {
    let mut section = String::new();
    let mut found = Vec::new();
    for line in page.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            section = title.to_owned();
            continue;
        }
        let Some(row) = line.strip_prefix('|') else {
            continue;
        };
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let [field, raw, rule, ..] = cells.as_slice() else {
            continue;
        };
        let fields = named(field);
        if fields.is_empty() {
            continue;
        }
        found.push(Row {
            section: section.clone(),
            fields,
            raw: (*raw).to_owned(),
            rule: (*rule).to_owned(),
        });
    }
    found
}

/// The fields a table row names: its first cell's code spans, siblings written
/// after a `/` or `,` taking the first one's parent (`customer.name` / `email`).
pub fn named(cell: &str) -> Vec<String> {
    let spans: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
    let mut names = Vec::new();
    let mut parent = String::new();
    for span in spans {
        let span = span.replace("[0]", "[]");
        let name = if span.contains('.') || parent.is_empty() {
            parent = span
                .rsplit_once('.')
                .map(|(p, _)| p.to_owned())
                .unwrap_or_default();
            span
        } else {
            format!("{parent}.{span}")
        };
        names.push(name.trim_end_matches(".*").to_owned());
    }
    names
}

/// The raw fields a raw-field cell names: its code spans, a span after a `/`
/// being a sibling of the one before (`data.product.id` / `name`); after a
/// comma or "else", a field of its own (`reverse_payment.value`, else `refund_value`).
fn raw_names(cell: &str) -> Vec<String> {
    let pieces: Vec<&str> = cell.split('`').collect();
    let mut names = Vec::new();
    let mut parent = String::new();
    for (index, span) in pieces.iter().enumerate().skip(1).step_by(2) {
        let between = pieces.get(index - 1).copied().unwrap_or_default();
        let sibling = between.contains('/') && !span.contains('.') && !parent.is_empty();
        let name = match sibling {
            true => format!("{parent}.{span}"),
            false => (*span).to_owned(),
        };
        parent = name
            .rsplit_once('.')
            .map(|(p, _)| p.to_owned())
            .unwrap_or_default();
        names.push(name);
    }
    names
}

/// Whether a dotted field path is named by one of `names` (a name covers what
/// is below it; `shipping.tracking_*` every field that starts so).
pub fn covered(path: &str, names: &[String]) -> bool {
    names.iter().any(|name| {
        if let Some(prefix) = name.strip_suffix('*') {
            return path.starts_with(prefix);
        }
        // `customer.phone_numbers[0]` names the list, empty or not.
        let name = name.strip_suffix("[]").unwrap_or(name);
        path == name
            || path
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

/// An event pointer as the pages write fields: `/payload/products/0/name` →
/// `products[].name` (envelope fields keep their name).
pub fn dotted(pointer: &str) -> String {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    let tokens = match tokens.split_first() {
        Some((&"payload", rest)) => rest,
        _ => tokens.as_slice(),
    };
    let mut path = String::new();
    for token in tokens {
        if token.parse::<usize>().is_ok() {
            path.push_str("[]");
        } else {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&crate::error::unescape_token(token));
        }
    }
    path
}

/// Every leaf of `value`: scalars, `null`, and empty lists and objects.
fn collect_leaves(value: &Value, pointer: String, out: &mut Vec<(String, Value)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let mut below = pointer.clone();
                crate::error::push_token(&mut below, key);
                collect_leaves(child, below, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (index, child) in items.iter().enumerate() {
                collect_leaves(child, format!("{pointer}/{index}"), out);
            }
        }
        _ => out.push((pointer, value.clone())),
    }
}

/// The raw body of a document (a captured request's `body`, decoded when it is
/// a string), and its pointer in the input.
fn body_of(input: &str) -> (Option<Value>, &'static str) {
    if crate::form::looks_like_form(input) {
        return (crate::form::to_value(input).ok(), "");
    }
    let Ok(value) = serde_json::from_str::<Value>(input) else {
        return (None, "");
    };
    match (value.get("headers"), value.get("body")) {
        (Some(headers), Some(Value::String(text))) => {
            let headers: Vec<(String, String)> = headers
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(name, value)| Some((name.clone(), value.as_str()?.to_owned())))
                .collect();
            let body = match crate::convert::is_form(text, &headers) {
                true => crate::form::to_value(text).ok(),
                false => serde_json::from_str(text).ok(),
            };
            (body, "/body")
        }
        (Some(_), Some(body)) => (Some(body.clone()), "/body"),
        _ => (Some(value), ""),
    }
}

/// A raw leaf: where it is, its path without indices (`data.items.price`), the
/// index of the innermost list item it is in, and its value.
struct RawLeaf<'v> {
    /// Its place in `RawLeaves::nodes`: the pointer is written only when shown.
    node: usize,
    path: Rc<str>,
    index: Option<usize>,
    value: &'v Value,
    /// A whole array, listed beside its items: the source of a count.
    array: bool,
}

/// The leaves of a body a page's rows may name, borrowed from it. Nothing is
/// copied per level: a body of arrays nested 120 deep took 120 copies of itself
/// and a pointer and index list per leaf as long as the nesting.
#[derive(Default)]
struct RawLeaves<'v> {
    leaves: Vec<RawLeaf<'v>>,
    /// Each container and leaf kept: its parent and its key or index.
    nodes: Vec<(Option<usize>, Step<'v>)>,
}

enum Step<'v> {
    Root,
    Key(&'v str),
    Index(usize),
}

impl<'v> RawLeaves<'v> {
    /// The leaves of `body` whose path one of `names` (raw fields, as
    /// `raw_path` gives them) may name.
    fn of(body: &'v Value, names: &[String]) -> RawLeaves<'v> {
        let mut leaves = RawLeaves::default();
        let path: Rc<str> = Rc::from("");
        let wanted = is_wanted(&path, names);
        leaves.walk(body, (None, Step::Root), &path, wanted, None, names);
        leaves
    }

    fn walk(
        &mut self,
        value: &'v Value,
        node: (Option<usize>, Step<'v>),
        path: &Rc<str>,
        wanted: bool,
        index: Option<usize>,
        names: &[String],
    ) {
        let leaf = |node, array| RawLeaf {
            node,
            path: path.clone(),
            index,
            value,
            array,
        };
        match value {
            Value::Object(map) if !map.is_empty() => {
                let parent = self.node(node);
                for (key, child) in map {
                    let (below, index) = path_below(path, key, index);
                    let wanted = match Rc::ptr_eq(&below, path) {
                        true => wanted,
                        false => is_wanted(&below, names),
                    };
                    let node = (Some(parent), Step::Key(key));
                    self.walk(child, node, &below, wanted, index, names);
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let parent = self.node(node);
                if wanted {
                    self.leaves.push(leaf(parent, true));
                }
                for (at, child) in items.iter().enumerate() {
                    let node = (Some(parent), Step::Index(at));
                    self.walk(child, node, path, wanted, Some(at), names);
                }
            }
            _ if wanted => {
                let node = self.node(node);
                self.leaves.push(leaf(node, false));
            }
            _ => {}
        }
    }

    fn node(&mut self, node: (Option<usize>, Step<'v>)) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The JSON pointer of a kept node.
    fn pointer(&self, node: usize) -> String {
        let mut steps = Vec::new();
        let mut at = Some(node);
        while let Some((parent, step)) = at.and_then(|at| self.nodes.get(at)) {
            steps.push(step);
            at = *parent;
        }
        let mut pointer = String::new();
        for step in steps.into_iter().rev() {
            match step {
                Step::Root => {}
                Step::Key(key) => crate::error::push_token(&mut pointer, key),
                Step::Index(index) => pointer.push_str(&format!("/{index}")),
            }
        }
        pointer
    }
}

/// The path below `path` at `key`, and the index of the innermost list item:
/// a key in form notation (`trans_items[0][item_id]`) is the path the pages
/// write (`trans_items[].item_id`). The same path is shared, not copied.
fn path_below(path: &Rc<str>, key: &str, mut index: Option<usize>) -> (Rc<str>, Option<usize>) {
    let mut below = String::from(&**path);
    for step in crate::form::steps(key) {
        match step.parse::<usize>() {
            Ok(at) if key.contains('[') => index = Some(at),
            _ if below.is_empty() => below = step.to_owned(),
            _ => {
                below.push('.');
                below.push_str(step);
            }
        }
    }
    match below.len() == path.len() {
        true => (path.clone(), index),
        false => (Rc::from(below), index),
    }
}

/// Whether a raw field of `names` may name a leaf at `path`: the same tests
/// `sources` makes, on any row.
fn is_wanted(path: &str, names: &[String]) -> bool {
    names.iter().any(|name| {
        is_named(path, name)
            || path.starts_with(&format!("{name}."))
            || path.contains(&format!(".{name}."))
    })
}

/// The raw fields the rows name, as `sources` looks for them.
fn raw_fields(rows: &[Row]) -> Vec<String> {
    let mut names: Vec<String> = rows
        .iter()
        .flat_map(|row| raw_names(&row.raw).into_iter().chain(arrow_names(&row.raw)))
        .filter_map(|name| raw_path(&name))
        .collect();
    names.sort();
    names.dedup();
    names
}

/// How many raw values a field shows at most.
const MAX_SOURCES: usize = 4;

/// The raw values a row names for the field at `pointer` (with `value`):
/// leaves whose path is a raw field of the row, written from the body's root or
/// from the list item the field is made from. A row naming as many raw fields as
/// normalized ones pairs them in order; among several candidates, those that
/// conversion read (see `unread`), then those whose value the field's value
/// reads from (equal, trimmed, digits, reais → cents), then those of the same
/// list item are preferred. A null field whose raw fields are there and null
/// comes from them.
fn sources(row: &Row, pointer: &str, value: &Value, raw: &Raw) -> Vec<Source> {
    let Raw {
        leaves: raw,
        body_pointer,
        unread,
    } = *raw;
    let dotted = dotted(pointer);
    let mut names: Vec<String> = raw_names(&row.raw)
        .iter()
        .filter_map(|name| raw_path(name))
        .collect();
    if names.len() == row.fields.len()
        && let Some(at) = row
            .fields
            .iter()
            .position(|field| covered(&dotted, std::slice::from_ref(field)))
    {
        names = vec![names.swap_remove(at)];
    }
    let mut found: Vec<&RawLeaf> = Vec::new();
    for name in &names {
        let exact: Vec<&RawLeaf> = raw
            .leaves
            .iter()
            .filter(|leaf| is_named(&leaf.path, name))
            .collect();
        // A row may name a whole raw object or array (`data.buyer.address`), from
        // the root or inside a wrapper (`order.Subscription.charges`): then the
        // leaves below it (and the array itself, the source of a count).
        let values_named = exact.iter().any(|leaf| !leaf.array);
        let (prefix, inner) = (format!("{name}."), format!(".{name}."));
        let below = raw.leaves.iter().filter(|leaf| {
            !values_named
                && !leaf.array
                && (leaf.path.starts_with(&prefix) || leaf.path.contains(&inner))
        });
        let matches: Vec<&RawLeaf> = exact.into_iter().chain(below).collect();
        for leaf in matches {
            if !found.iter().any(|seen| seen.node == leaf.node) {
                found.push(leaf);
            }
        }
    }
    // A null field whose raw fields are all present and null comes from them.
    let null_in_body = value.is_null() && found.iter().all(|leaf| leaf.value.is_null());
    if !null_in_body {
        found.retain(|leaf| !leaf.value.is_null());
    }
    // A count (`charged_times`) comes from the array it counts, never from an
    // item's field that happens to hold the same number.
    let counted = |leaf: &&RawLeaf| {
        leaf.array
            && value
                .as_u64()
                .is_some_and(|count| leaf.value.as_array().map(Vec::len) == Some(count as usize))
    };
    match found.iter().any(counted) {
        true => found.retain(counted),
        false => found.retain(|leaf| !leaf.array),
    }
    let prefer = |found: &mut Vec<&RawLeaf>, keep: &dyn Fn(&RawLeaf) -> bool| {
        if found.iter().any(|leaf| keep(leaf)) {
            found.retain(|leaf| keep(leaf));
        }
    };
    // Of the fields named, those conversion read.
    prefer(&mut found, &|leaf| {
        !unread.contains(&format!("{body_pointer}{}", raw.pointer(leaf.node)))
    });
    prefer(&mut found, &|leaf| reads_from(value, leaf.value));
    let index = pointer
        .split('/')
        .find_map(|token| token.parse::<usize>().ok());
    if let Some(index) = index {
        prefer(&mut found, &|leaf| leaf.index == Some(index));
    }
    found
        .into_iter()
        .take(MAX_SOURCES)
        .map(|leaf| Source {
            pointer: format!("{body_pointer}{}", raw.pointer(leaf.node)),
            value: leaf.value.clone(),
        })
        .collect()
}

/// Whether an output value plainly reads from a raw one: the same text (trimmed,
/// or digits only), the same number, or reais as cents.
fn reads_from(output: &Value, raw: &Value) -> bool {
    let text = |value: &Value| match value {
        Value::String(text) => Some(text.trim().to_owned()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    };
    let (Some(out), Some(raw_text)) = (text(output), text(raw)) else {
        return false;
    };
    if out.is_empty() {
        return false;
    }
    let digits = |text: &str| {
        text.chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    };
    let cents = |text: &str| {
        crate::normalize::money::reais_to_cents(text)
            .ok()
            .map(|cents| cents.to_string())
    };
    out == raw_text
        || out.eq_ignore_ascii_case(&raw_text)
        || (!digits(&out).is_empty()
            && digits(&out) == digits(&raw_text)
            && out.chars().all(|c| c.is_ascii_digit() || c == '+'))
        || cents(&raw_text).is_some_and(|cents| cents == out)
}

/// The raw field a code span of a raw-field cell names, as a path without
/// indices: `data.customer.name`, `product_list[]`, the source of `country ←
/// country`, the placeholder of `https://…/<checkout_link>`, or a family of
/// keys `data.utm_*` (kept with its `*`).
fn raw_path(span: &str) -> Option<String> {
    let span = match span.rsplit_once('←') {
        Some((_, source)) => source.trim(),
        None => span.trim(),
    };
    if let (Some(open), Some(close)) = (span.find('<'), span.rfind('>')) {
        return raw_path(span.get(open + 1..close)?);
    }
    let path = span.replace("[]", "").replace("[0]", "");
    let body = path.strip_suffix('*').unwrap_or(&path);
    let is_path = !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
        && !body.starts_with('.')
        && body.chars().any(|c| c.is_ascii_alphabetic());
    is_path.then_some(path)
}

/// Whether a raw leaf's path is the raw field `name` (from the root or from a
/// list item; `data.utm_*` names every key that starts so).
fn is_named(path: &str, name: &str) -> bool {
    match name.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix) || path.contains(&format!(".{prefix}")),
        None => path == name || path.ends_with(&format!(".{name}")),
    }
}

/// A table cell as plain text: code spans unquoted, links reduced to their text.
fn plain(cell: &str) -> String {
    let mut text = cell.replace('`', "").replace("**", "");
    while let (Some(open), Some(middle)) = (text.find('['), text.find("](")) {
        let Some(close) = text[middle..].find(')').map(|at| middle + at) else {
            break;
        };
        if open > middle {
            break;
        }
        let label = text[open + 1..middle].to_owned();
        text.replace_range(open..=close, &label);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_read_as_the_pages_write_them() {
        assert_eq!(
            named("`customer.name` / `email`"),
            ["customer.name", "customer.email"]
        );
        assert_eq!(
            named("`products[0].quantity` / `unit_value`"),
            ["products[].quantity", "products[].unit_value"]
        );
        assert_eq!(named("other `lead_tracking.*`"), ["lead_tracking"]);
        assert!(covered(
            "shipping.delivery_address.city",
            &["shipping".to_owned()]
        ));
        assert!(!covered("shipping_value", &["shipping".to_owned()]));
        assert!(covered(
            "shipping.tracking_url",
            &["shipping.tracking_*".to_owned()]
        ));
        assert!(covered(
            "customer.phone_numbers",
            &["customer.phone_numbers[]".to_owned()]
        ));
        assert_eq!(dotted("/payload/products/0/name"), "products[].name");
        assert_eq!(
            raw_names("`data.product.id` (as a string) / `name`"),
            ["data.product.id", "data.product.name"]
        );
        assert_eq!(
            raw_names("`reverse_payment.value`, else `refund_value`"),
            ["reverse_payment.value", "refund_value"]
        );
        assert_eq!(dotted("/idempotency_key"), "idempotency_key");
        assert_eq!(
            raw_path("data.customer.name").as_deref(),
            Some("data.customer.name")
        );
        assert_eq!(raw_path("product_list[]").as_deref(), Some("product_list"));
        assert_eq!(raw_path("br → BR"), None);
        assert_eq!(raw_path("country ← country").as_deref(), Some("country"));
        assert_eq!(
            raw_path("https://pay.example/<checkout_link>").as_deref(),
            Some("checkout_link")
        );
        assert_eq!(raw_path("data.utm_*").as_deref(), Some("data.utm_*"));
        assert!(is_named("data.utm_source", "data.utm_*"));
        assert!(is_named("data.customer.name", "customer.name"));
        assert!(!is_named("data.customer.surname", "name"));
        let cell = "`{type, qrcode_signature ← pix.qrCode (the EMV code), expiration_date ← boleto.expirationDate (else data.due_date), url ← boleto.boletoUrl}`";
        assert_eq!(
            arrow_sources(cell, "qrcode_signature"),
            Some((
                vec!["pix.qrCode".to_owned()],
                Some("the EMV code".to_owned())
            ))
        );
        assert_eq!(
            arrow_sources(cell, "expiration_date").map(|(names, _)| names),
            Some(vec![
                "boleto.expirationDate".to_owned(),
                "data.due_date".to_owned()
            ])
        );
        assert_eq!(
            arrow_sources(cell, "url"),
            Some((vec!["boleto.boletoUrl".to_owned()], None))
        );
        assert_eq!(arrow_sources(cell, "signature"), None);
        assert_eq!(arrow_sources(cell, "type"), None);
        assert_eq!(
            plain("see [phones](../conventions.md#phones), `x`"),
            "see phones, x"
        );
    }
}
