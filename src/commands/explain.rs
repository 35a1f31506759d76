//! `hooknorm explain`: every field of the normalized event with the raw fields
//! and values it came from and the rule applied, grouped by component. One
//! table (or JSON record) per input, in order.

use super::convert::summarize;
use crate::cli::{DetectFormat, ExplainArgs};
use hooknorm::batch::{self, Work};
use hooknorm::error::{ConvertError, shown};
use hooknorm::exit::Exit;
use hooknorm::explain::unread::{Showing, Unread, unread};
use hooknorm::explain::{Explanation, Field, explain};
use hooknorm::input::{Document, Source};
use hooknorm::output::{Painter, Reporter};
use hooknorm::redact::Redactor;
use serde_json::{Value, json};
use std::fmt::Write as _;
use std::io::Write;

pub fn run(
    args: &ExplainArgs,
    painter: Painter,
    out: &mut impl Write,
    reporter: &Reporter,
) -> Exit {
    let masker = Redactor::from_env();
    let explainer = Explainer {
        options: args.input.options(),
        format: args.format,
        set_only: args.set_only,
        unread: args.unread.then(|| Unreading {
            redactor: args.redact.then(Redactor::from_env),
        }),
        masker,
        painter,
    };
    let sources = Source::from_args(&args.input.files);
    let (tally, exit) = batch::run(&sources, args.input.settings(), &explainer, out, reporter);
    summarize(&tally, "explained", reporter);
    exit
}

struct Explainer {
    options: hooknorm::Options,
    format: DetectFormat,
    set_only: bool,
    /// `--unread`: the values no field read, instead of the fields.
    unread: Option<Unreading>,
    /// Masks the secrets of the raw values shown.
    masker: Redactor,
    painter: Painter,
}

struct Unreading {
    redactor: Option<Redactor>,
}

impl Work for Explainer {
    fn run(
        &self,
        input: &str,
        document: &Document,
        _: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError> {
        let location = match document.in_lines {
            true => format!("{input}:{}", document.line),
            false => input.to_owned(),
        };
        if let Some(unreading) = &self.unread {
            let showing = Showing {
                masker: &self.masker,
                redactor: unreading.redactor.as_ref(),
            };
            let found = unread(document.text, &self.options, &showing)?;
            let text = match self.format {
                DetectFormat::Json => json_record(&location, &found),
                DetectFormat::Human => human_unread(&location, &found, self.painter),
            };
            out.extend_from_slice(text.as_bytes());
            return Ok(());
        }
        let mut explanation = explain(document.text, &self.options)?;
        if self.set_only {
            explanation.fields.retain(|field| !field.value.is_null());
        }
        let text = match self.format {
            DetectFormat::Json => json_record(&location, &explanation),
            DetectFormat::Human => human(&location, &explanation, self.painter),
        };
        out.extend_from_slice(text.as_bytes());
        Ok(())
    }
}

/// One JSON record: the input's location, then `what`'s keys.
fn json_record(location: &str, what: &impl serde::Serialize) -> String {
    let mut record = json!({"input": location});
    if let (Value::Object(record), Ok(Value::Object(rest))) =
        (&mut record, serde_json::to_value(what))
    {
        record.extend(rest);
    }
    format!("{record}\n")
}

/// A line for the input, then one per value not read: its pointer and value.
fn human_unread(location: &str, found: &Unread, painter: Painter) -> String {
    let mut text = String::new();
    let count = match found.unread.len() {
        1 => "1 value not read".to_owned(),
        n => format!("{n} values not read"),
    };
    let _ = writeln!(
        text,
        "{}: {} {}: {count}",
        painter.strong(location),
        found.provider,
        found.event
    );
    for leaf in &found.unread {
        let pointer = hooknorm::input::escape_controls(&leaf.pointer);
        let _ = writeln!(text, "  {pointer}  {}", cut(&leaf.value.to_string()));
    }
    text
}

/// Values in the table are cut to this many characters.
const SHOWN: usize = 60;

/// A table per component: field, value, where it came from, the rule.
fn human(location: &str, explanation: &Explanation, painter: Painter) -> String {
    let mut text = String::new();
    let _ = writeln!(
        text,
        "{}: {} {} → {}",
        painter.strong(location),
        explanation.provider,
        shown(&explanation.raw_event),
        explanation.event
    );
    let mut component = None;
    let width = explanation
        .fields
        .iter()
        .map(|field| short_name(field).chars().count())
        .max()
        .unwrap_or(0);
    for field in &explanation.fields {
        let group = group_of(&field.pointer);
        if component.as_deref() != Some(group.as_str()) {
            let _ = writeln!(text, "{}", painter.strong(&group));
            component = Some(group);
        }
        let name = short_name(field);
        let value = cut(&field.value.to_string());
        let from = if field.from.is_empty() {
            match (field.value.is_null(), field.documented.as_str()) {
                (_, "" | "—") => String::new(),
                (true, documented) => format!("← {documented} (absent)"),
                (false, documented) => format!("← {documented}"),
            }
        } else {
            let sources: Vec<String> = field
                .from
                .iter()
                .map(|source| format!("{} {}", source.pointer, cut(&source.value.to_string())))
                .collect();
            format!("← {}", sources.join(", "))
        };
        let _ = write!(text, "  {name:<width$}  {value}");
        if !from.is_empty() {
            let _ = write!(text, "  {from}");
        }
        if !field.rule.is_empty() {
            let _ = write!(
                text,
                "  {}",
                painter.dim(&format!("({})", cut(&field.rule)))
            );
        }
        text.push('\n');
    }
    text
}

/// The component a field belongs to: `payload.customer`, `payload.products[0]`,
/// or `event` for the envelope.
fn group_of(pointer: &str) -> String {
    let tokens: Vec<&str> = pointer.split('/').skip(1).collect();
    match tokens.as_slice() {
        ["payload", component, index, _, ..] if index.parse::<usize>().is_ok() => {
            format!("payload.{component}[{index}]")
        }
        ["payload", component, _, ..] => format!("payload.{component}"),
        _ => "event".to_owned(),
    }
}

/// The field's name within its component.
fn short_name(field: &Field) -> String {
    let group = group_of(&field.pointer);
    let tokens: Vec<&str> = field.pointer.split('/').skip(1).collect();
    let skip = match group.as_str() {
        "event" => 0,
        _ if group.ends_with(']') => 3,
        _ => 2,
    };
    let rest = match tokens.get(skip..).unwrap_or_default() {
        [] => tokens.last().map(std::slice::from_ref).unwrap_or_default(),
        rest => rest,
    };
    let mut name = String::new();
    for token in rest {
        if token.parse::<usize>().is_ok() {
            let _ = write!(name, "[{token}]");
        } else {
            if !name.is_empty() {
                name.push('.');
            }
            name.push_str(&hooknorm::error::unescape_token(token));
        }
    }
    name
}

/// Text cut to `SHOWN` characters, control characters escaped (values are
/// JSON text already; rules are the documentation's).
fn cut(text: &str) -> String {
    let escaped = hooknorm::input::escape_controls(text);
    let mut shown: String = escaped.chars().take(SHOWN).collect();
    if escaped.chars().count() > SHOWN {
        shown.push('…');
    }
    shown
}
