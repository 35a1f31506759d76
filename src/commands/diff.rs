//! `hooknorm diff LEFT RIGHT` and `hooknorm diff FILE --docs`.

use crate::cli::{DiffArgs, DiffFormat};
use crate::diff::{Change, Diff, Matching, Op, Options, diff};
use crate::error::{ConvertError, ErrorKind};
use crate::exit::Exit;
use crate::input::{Source, decode};
use crate::normalize::time::unix_to_civil;
use crate::output::{Painter, Reporter, write_failed};
use crate::raw::Doc;
use crate::redact::Redactor;
use crate::validate::{self, Detail, Severity};
use serde_json::{Value, json};
use std::io::{self, Write};

pub fn run(args: &DiffArgs, painter: Painter, out: &mut impl Write, reporter: &Reporter) -> Exit {
    for pointer in args.ignore.iter().chain(&args.key) {
        if !(pointer.is_empty() || pointer.starts_with('/')) {
            reporter.usage(&format!(
                "{pointer:?} is not a JSON pointer: it must start with `/`"
            ));
            return Exit::Usage;
        }
    }
    let result = match (args.docs, args.files.as_slice()) {
        (true, [file]) => docs(args, file, painter, out, reporter),
        (false, [left, right]) => compare(args, left, right, painter, out, reporter),
        (true, _) => {
            reporter.usage("--docs compares one FILE with its documented schema");
            return Exit::Usage;
        }
        (false, _) => {
            reporter.usage("diff compares two documents: hooknorm diff LEFT RIGHT");
            return Exit::Usage;
        }
    };
    match result.and_then(|exit| out.flush().map(|()| exit)) {
        Ok(exit) => exit,
        Err(error) => write_failed(&error, reporter),
    }
}

/// One side, ready to compare: normalized documents as they are, raw provider
/// bodies converted first, any other JSON as it is.
struct Side {
    name: String,
    value: Value,
    converted_from: Option<&'static str>,
}

fn load(path: &std::path::Path, raw: bool, reporter: &Reporter) -> Result<Side, Exit> {
    let source = Source::from_args(std::slice::from_ref(&path.to_path_buf())).remove(0);
    let name = source.name();
    let bytes = source.read().map_err(|error| {
        reporter.io_error(&name, &error);
        Exit::of_read_error(&error)
    })?;
    let fail = |error: ConvertError| {
        reporter.convert_error(&name, 1, false, &error);
        error.exit()
    };
    let text = decode(&bytes).map_err(fail)?;
    let value: Value =
        serde_json::from_str(text).map_err(|e| fail(Doc::new(text).syntax_error(text, &e)))?;
    // Only an object can be a provider's body; normalized documents stay as they are.
    if raw || !value.is_object() || crate::normalized::recognize(&value).is_some() {
        return Ok(Side {
            name,
            value,
            converted_from: None,
        });
    }
    let mut scratch = String::new();
    match crate::convert(text, &mut scratch, &crate::Options::default()) {
        Ok(converted) => {
            let provider = converted.event.provider;
            let value = serde_json::to_value(&converted.event).map_err(|e| {
                fail(ConvertError::new(
                    ErrorKind::InvalidValue,
                    "",
                    format!("a serializable event ({e})"),
                ))
            })?;
            Ok(Side {
                name,
                value,
                converted_from: Some(provider),
            })
        }
        // Not a provider's body: plain JSON, compared as it is.
        Err(error) if error.kind == ErrorKind::UnknownProvider => Ok(Side {
            name,
            value,
            converted_from: None,
        }),
        Err(error) => Err(fail(error)),
    }
}

fn compare(
    args: &DiffArgs,
    left: &std::path::Path,
    right: &std::path::Path,
    painter: Painter,
    out: &mut impl Write,
    reporter: &Reporter,
) -> io::Result<Exit> {
    if left.as_os_str() == "-" && right.as_os_str() == "-" {
        reporter.usage("only one side can be read from stdin");
        return Ok(Exit::Usage);
    }
    let (mut left, mut right) = match (
        load(left, args.raw, reporter),
        load(right, args.raw, reporter),
    ) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(a), Err(b)) => return Ok(a.worst(b)),
        (Err(e), _) | (_, Err(e)) => return Ok(e),
    };
    // Documents compared as they are may hold credentials: never show them.
    let masker = Redactor::random();
    for side in [&mut left, &mut right] {
        if side.converted_from.is_none() {
            masker.mask_secrets(&mut side.value);
        }
    }
    let options = Options {
        ignore: args.ignore.clone(),
        key: args.key.clone(),
        tolerance: args.tolerance,
        parse_strings: args.parse_strings,
    };
    let result = diff(&left.value, &right.value, &options);
    match args.format {
        DiffFormat::JsonPatch => {
            serde_json::to_writer_pretty(&mut *out, &result.to_patch())?;
            writeln!(out)?;
        }
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &records(&result))?;
            writeln!(out)?;
        }
        DiffFormat::Human => human(&left, &right, &result, painter, out)?,
    }
    Ok(if result.is_empty() {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// The `json` format: one record per change.
pub fn records(result: &Diff) -> Value {
    Value::Array(
        result
            .changes
            .iter()
            .map(|c| {
                json!({
                    "change": c.op.word(),
                    "pointer": c.path,
                    "old": c.old,
                    "new": c.new,
                    "type_changed": c.type_change().map(|(old, new)| json!({"from": old, "to": new})),
                    "item": c.item,
                })
            })
            .collect(),
    )
}

fn side_label(side: &Side) -> String {
    match side.converted_from {
        Some(provider) => format!("{} (converted from {provider})", side.name),
        None => side.name.clone(),
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

fn human(
    left: &Side,
    right: &Side,
    result: &Diff,
    painter: Painter,
    out: &mut impl Write,
) -> io::Result<()> {
    writeln!(
        out,
        "{}",
        painter.error(&format!("--- {}", side_label(left)))
    )?;
    writeln!(
        out,
        "{}",
        painter.good(&format!("+++ {}", side_label(right)))
    )?;
    out.write_all(render(result, painter).as_bytes())
}

/// The changes as people read them: grouped by section, money and times readable,
/// and a summary line.
pub fn render(result: &Diff, painter: Painter) -> String {
    let mut out = String::new();
    if result.is_empty() {
        out.push_str("no differences\n");
        return out;
    }
    let mut sections: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in &result.changes {
        let name = section(&change.path);
        match sections.iter_mut().find(|(s, _)| *s == name) {
            Some((_, changes)) => changes.push(change),
            None => sections.push((name, vec![change])),
        }
    }
    use std::fmt::Write as _;
    for (name, changes) in &sections {
        let _ = writeln!(out, "{}", painter.strong(name));
        for change in changes {
            let _ = writeln!(out, "  {}", line(change, painter));
        }
    }
    let count = |op: Op| result.changes.iter().filter(|c| c.op == op).count();
    let total = result.changes.len();
    let _ = write!(
        out,
        "{total} {}: {} added, {} removed, {} changed",
        if total == 1 { "change" } else { "changes" },
        count(Op::Add),
        count(Op::Remove),
        count(Op::Replace)
    );
    // Only the arrays that hold a change say how their items were matched.
    let arrays: Vec<String> = result
        .arrays
        .iter()
        .filter(|a| {
            result
                .changes
                .iter()
                .any(|c| c.path.starts_with(&format!("{}/", a.path)))
        })
        .map(|a| match &a.by {
            Matching::Key(key) => format!("{} by {key}", display_path(&a.path)),
            Matching::Sequence => {
                format!("{} by longest common subsequence", display_path(&a.path))
            }
        })
        .collect();
    if !arrays.is_empty() {
        let _ = write!(out, "; arrays matched: {}", arrays.join(", "));
    }
    out.push('\n');
    out
}

fn display_path(path: &str) -> &str {
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
        Op::Add => painter.good(&format!(
            "+ {path}{item}: {}",
            readable(key, change.new.as_ref())
        )),
        Op::Remove => painter.error(&format!(
            "- {path}{item}: {}",
            readable(key, change.old.as_ref())
        )),
        Op::Replace => {
            let types = change
                .type_change()
                .map(|(old, new)| format!(" (type changed: {old} → {new})"))
                .unwrap_or_default();
            painter.warning(&format!(
                "~ {path}: {} → {}{types}",
                readable(key, change.old.as_ref()),
                readable(key, change.new.as_ref())
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
pub fn readable(key: &str, value: Option<&Value>) -> String {
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

fn short(value: &Value) -> String {
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

/// One departure of a document from its documented schema.
struct Departure {
    kind: &'static str,
    pointer: String,
    message: String,
    schema_path: String,
}

fn docs(
    args: &DiffArgs,
    file: &std::path::Path,
    painter: Painter,
    out: &mut impl Write,
    reporter: &Reporter,
) -> io::Result<Exit> {
    if args.format == DiffFormat::JsonPatch {
        reporter.usage("--docs reports departures, not a patch: use --format human or json");
        return Ok(Exit::Usage);
    }
    let source = Source::from_args(std::slice::from_ref(&file.to_path_buf())).remove(0);
    let name = source.name();
    let bytes = match source.read() {
        Ok(bytes) => bytes,
        Err(error) => {
            reporter.io_error(&name, &error);
            return Ok(Exit::of_read_error(&error));
        }
    };
    let report = match decode(&bytes)
        .and_then(|text| validate::validate(text, &validate::Options::default()))
    {
        Ok(report) => report,
        Err(error) => {
            reporter.convert_error(&name, 1, false, &error);
            return Ok(error.exit());
        }
    };
    let departures: Vec<Departure> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .flat_map(departures_of)
        .collect();
    if args.format == DiffFormat::Json {
        let records: Vec<Value> = departures
            .iter()
            .map(|d| json!({"departure": d.kind, "pointer": d.pointer, "message": d.message, "schema_path": d.schema_path}))
            .collect();
        serde_json::to_writer_pretty(
            &mut *out,
            &json!({"file": name, "schema": report.schema, "departures": records}),
        )?;
        writeln!(out)?;
    } else {
        let converted = report
            .converted_from
            .map(|p| format!(" (converted from {p})"))
            .unwrap_or_default();
        writeln!(
            out,
            "{}{converted} against {}.json",
            painter.strong(&name),
            report.schema
        )?;
        for departure in &departures {
            let text = format!(
                "  {:<13} {}: {}",
                departure.kind,
                display_path(&departure.pointer),
                departure.message
            );
            writeln!(
                out,
                "{} {}",
                painter.warning(&text),
                painter.dim(&format!("[{}]", departure.schema_path))
            )?;
        }
        match departures.len() {
            0 => writeln!(out, "matches the documented format")?,
            n => writeln!(
                out,
                "{n} {} from the documented format",
                if n == 1 { "departure" } else { "departures" }
            )?,
        }
    }
    Ok(if departures.is_empty() {
        Exit::Success
    } else {
        Exit::Failed
    })
}

/// Sorts a schema problem into what a reader of the docs wants to know.
fn departures_of(problem: &validate::Problem) -> Vec<Departure> {
    let departure = |kind: &'static str, pointer: String, message: String| Departure {
        kind,
        pointer,
        message,
        schema_path: problem.schema_path.clone(),
    };
    match &problem.detail {
        Detail::Missing(name) => vec![departure(
            "missing",
            format!("{}/{}", problem.pointer, escape(name)),
            "a documented field is absent".into(),
        )],
        Detail::Unexpected(names) => names
            .iter()
            .map(|name| {
                departure(
                    "undocumented",
                    format!("{}/{}", problem.pointer, escape(name)),
                    "not a documented field".into(),
                )
            })
            .collect(),
        Detail::Type(types) if types.as_slice() == ["null"] => vec![departure(
            "always null",
            problem.pointer.clone(),
            format!(
                "documented as always null, carries {}",
                problem.found.as_deref().unwrap_or("a value")
            ),
        )],
        Detail::Type(_) => vec![departure(
            "wrong type",
            problem.pointer.clone(),
            problem.message.clone(),
        )],
        Detail::None => vec![departure(
            "other",
            problem.pointer.clone(),
            problem.message.clone(),
        )],
    }
}

fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_as_reais() {
        assert_eq!(brl(29900), "R$ 299,00");
        assert_eq!(brl(5), "R$ 0,05");
        assert_eq!(brl(-123456789), "-R$ 1.234.567,89");
        assert_eq!(readable("total", Some(&json!(29900))), "29900 (R$ 299,00)");
    }

    #[test]
    fn times_read_as_utc() {
        assert_eq!(
            readable("created_at", Some(&json!(1705319000))),
            "1705319000 (2024-01-15 11:43:20 UTC)"
        );
        assert_eq!(readable("name", Some(&json!("x"))), "\"x\"");
    }

    #[test]
    fn sections() {
        assert_eq!(section("/payload/order/status"), "payload/order");
        assert_eq!(section("/event"), "event");
        assert_eq!(section(""), "/");
    }
}
