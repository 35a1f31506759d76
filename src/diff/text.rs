//! The human and `json` formats of a diff: changes grouped by section, money
//! and times readable, one record per change.

use super::Node;
use super::{Change, Diff, Matching, Op};
use crate::normalize::time::unix_to_civil;
use crate::output::Painter;
use serde::Serialize;
use std::io;

/// One record of the `json` format, its values borrowed from the documents.
#[derive(Debug, Serialize)]
pub struct Record<'a> {
    change: &'static str,
    pointer: &'a str,
    old: Option<&'a Node<'a>>,
    new: Option<&'a Node<'a>>,
    type_changed: Option<TypeChanged>,
    item: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct TypeChanged {
    from: &'static str,
    to: &'static str,
}

/// The `json` format: one record per change, each made as it is written (no list
/// of records, no second copy of the changed values).
pub fn records<'a>(result: &'a Diff<'_>) -> Records<'a> {
    Records(&result.changes)
}

/// The changes of a diff, serialized as the array of their records.
pub struct Records<'a>(&'a [Change<'a>]);

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(record))
    }
}

fn record<'a>(change: &'a Change<'a>) -> Record<'a> {
    Record {
        change: change.op.word(),
        pointer: &change.path,
        old: change.old,
        new: change.new,
        type_changed: change
            .type_change()
            .map(|(from, to)| TypeChanged { from, to }),
        item: change.item.as_deref(),
    }
}

/// The section a change belongs to: its first key, or `payload/<key>` inside an
/// event's payload.
fn section(path: &str) -> String {
    let tokens: Vec<&str> = path.split('/').skip(1).collect();
    match tokens.as_slice() {
        ["payload", second, ..] => format!("payload/{second}"),
        [first, ..] => (*first).to_owned(),
        [] => "/".to_owned(),
    }
}

/// The changes as people read them: grouped by section, money and times readable,
/// and a summary line.
pub fn render(result: &Diff, painter: Painter) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail, and every piece written is text.
    let _ = write_human(result, painter, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// `render`, written as it is made (a diff of large documents is never held
/// twice, once as changes and once as text).
pub fn write_human(result: &Diff, painter: Painter, out: &mut impl io::Write) -> io::Result<()> {
    if result.is_empty() {
        return out.write_all(b"no differences\n");
    }
    // Sections in the order they first appear; found by name in constant time
    // (an array of events has a section per event).
    let mut sections: Vec<(String, Vec<&Change>)> = Vec::new();
    let mut places: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for change in &result.changes {
        let name = section(&change.path);
        match places.get(&name).and_then(|&place| sections.get_mut(place)) {
            Some((_, changes)) => changes.push(change),
            None => {
                places.insert(name.clone(), sections.len());
                sections.push((name, vec![change]));
            }
        }
    }
    for (name, changes) in &sections {
        writeln!(out, "{}", painter.strong(name))?;
        for change in changes {
            writeln!(out, "  {}", line(change, painter))?;
        }
    }
    let count = |op: Op| result.changes.iter().filter(|c| c.op == op).count();
    let total = result.changes.len();
    write!(
        out,
        "{total} {}: {} added, {} removed, {} changed",
        if total == 1 { "change" } else { "changes" },
        count(Op::Add),
        count(Op::Remove),
        count(Op::Replace)
    )?;
    // Only the arrays that hold a change say how their items were matched: every
    // path above a change, gathered once.
    let mut above: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for change in &result.changes {
        let mut path = change.path.as_str();
        while let Some((parent, _)) = path.rsplit_once('/') {
            if !above.insert(parent) {
                break;
            }
            path = parent;
        }
    }
    let arrays: Vec<String> = result
        .arrays
        .iter()
        .filter(|a| above.contains(a.path.as_str()))
        .map(|a| match &a.by {
            Matching::Key(key) => format!("{} by {key}", display_path(&a.path)),
            Matching::Sequence => {
                format!("{} by longest common subsequence", display_path(&a.path))
            }
        })
        .collect();
    if !arrays.is_empty() {
        write!(out, "; arrays matched: {}", arrays.join(", "))?;
    }
    writeln!(out)
}

pub fn display_path(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

fn line(change: &Change, painter: Painter) -> String {
    let key = change.path.rsplit('/').next().unwrap_or("");
    let item = change
        .item
        .as_ref()
        .map(|i| format!(" ({i})"))
        .unwrap_or_default();
    let path = display_path(&change.path);
    match change.op {
        Op::Add => painter.good(&format!("+ {path}{item}: {}", readable(key, change.new))),
        Op::Remove => painter.error(&format!("- {path}{item}: {}", readable(key, change.old))),
        Op::Replace => {
            let types = change
                .type_change()
                .map(|(old, new)| format!(" (type changed: {old} → {new})"))
                .unwrap_or_default();
            painter.warning(&format!(
                "~ {path}: {} → {}{types}",
                readable(key, change.old),
                readable(key, change.new)
            ))
        }
    }
}

const MONEY: &[&str] = &[
    "total",
    "total_products_value",
    "discount_value",
    "shipping_value",
    "total_value",
    "unit_value",
    "value",
    "refund",
    "exchange",
];
const TIMES: &[&str] = &[
    "created_at",
    "updated_at",
    "paid_at",
    "warranty_until",
    "canceled_at",
    "refunded_at",
    "expiration_date",
    "estimated_delivery_date",
];

/// A value as people read it: money in reais and times in UTC next to the raw value.
pub fn readable(key: &str, value: Option<&Node>) -> String {
    let Some(value) = value else {
        return String::new();
    };
    let text = short(value);
    match value.as_i64() {
        Some(cents) if MONEY.contains(&key) => format!("{text} ({})", brl(cents)),
        Some(seconds) if TIMES.contains(&key) => {
            let (y, mo, d, h, mi, s) = unix_to_civil(seconds);
            format!("{text} ({y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02} UTC)")
        }
        _ => text,
    }
}

/// `29900` → `R$ 299,00`; `-123456789` → `-R$ 1.234.567,89`.
pub fn brl(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    let reais = (cents / 100).to_string();
    let mut grouped = String::new();
    for (index, digit) in reais.chars().enumerate() {
        if index > 0 && (reais.len() - index) % 3 == 0 {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{sign}R$ {grouped},{:02}", cents % 100)
}

fn short(value: &Node) -> String {
    const LIMIT: usize = 100;
    let text = value.to_string();
    if text.len() <= LIMIT {
        return text;
    }
    let mut cut = LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn money_reads_as_reais() {
        assert_eq!(brl(29900), "R$ 299,00");
        assert_eq!(brl(5), "R$ 0,05");
        assert_eq!(brl(-123456789), "-R$ 1.234.567,89");
        assert_eq!(
            readable("total", Some(&Node::of(&json!(29900)))),
            "29900 (R$ 299,00)"
        );
    }

    #[test]
    fn times_read_as_utc() {
        assert_eq!(
            readable("created_at", Some(&Node::of(&json!(1705319000)))),
            "1705319000 (2024-01-15 11:43:20 UTC)"
        );
        assert_eq!(readable("name", Some(&Node::of(&json!("x")))), "\"x\"");
    }

    #[test]
    fn sections() {
        assert_eq!(section("/payload/order/status"), "payload/order");
        assert_eq!(section("/event"), "event");
        assert_eq!(section(""), "/");
    }
}
