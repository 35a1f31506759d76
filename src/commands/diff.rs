//! `hooknorm diff LEFT RIGHT` and `hooknorm diff FILE --docs`.

use crate::cli::{DiffArgs, DiffFormat};
use hooknorm::diff::{Diff, Options, diff, display_path, masked_values, records, write_human};
use hooknorm::exit::Exit;
use hooknorm::input::{Source, decode};
use hooknorm::output::{Painter, Reporter, write_failed};
use hooknorm::validate::{self, Detail, Severity};
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

/// One input, read whole.
struct Input {
    name: String,
    bytes: Vec<u8>,
}

fn read(path: &std::path::Path, reporter: &Reporter) -> Result<Input, Exit> {
    let source = Source::from_args(std::slice::from_ref(&path.to_path_buf())).remove(0);
    let name = source.name();
    match source.read() {
        Ok(mut bytes) => {
            // Held for as long as the diff prints: without the room it grew by.
            bytes.shrink_to_fit();
            Ok(Input { name, bytes })
        }
        Err(error) => {
            reporter.io_error(&name, &error);
            Err(Exit::of_read_error(&error))
        }
    }
}

/// One side, named as its input, its tree borrowing the input's text.
struct Side<'a> {
    name: &'a str,
    side: hooknorm::diff::Side<'a>,
}

/// The tree of an input that could be read.
fn load<'a>(
    input: &'a Result<Input, Exit>,
    raw: bool,
    reporter: &Reporter,
) -> Result<Side<'a>, Exit> {
    let input = input.as_ref().map_err(|exit| *exit)?;
    let side = decode(&input.bytes).and_then(|text| hooknorm::diff::Side::load(text, raw));
    match side {
        Ok(side) => Ok(Side {
            name: &input.name,
            side,
        }),
        Err(error) => {
            reporter.convert_error(&input.name, 1, false, &error);
            Err(error.exit())
        }
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
    // Each side read and loaded in turn: its errors are reported in order.
    let left_input = read(left, reporter);
    let left = load(&left_input, args.raw, reporter);
    let right_input = read(right, reporter);
    let right = load(&right_input, args.raw, reporter);
    let (left, right) = match (left, right) {
        (Ok(l), Ok(r)) => (l, r),
        (Err(a), Err(b)) => return Ok(a.worst(b)),
        (Err(e), _) | (_, Err(e)) => return Ok(e),
    };
    let options = Options {
        ignore: args.ignore.clone(),
        key: args.key.clone(),
        tolerance: args.tolerance,
        parse_strings: args.parse_strings,
    };
    let mut result = diff(&left.side.value, &right.side.value, &options);
    let masked = masked_values(&result, &left.side, &right.side);
    result.show(&masked);
    match args.format {
        DiffFormat::JsonPatch => {
            serde_json::to_writer_pretty(&mut *out, &result.patch())?;
            writeln!(out)?;
        }
        DiffFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &records(&result))?;
            writeln!(out)?;
        }
        DiffFormat::Human => human(&left, &right, &result, painter, out)?,
    }
    let exit = if result.is_empty() {
        Exit::Success
    } else {
        Exit::Failed
    };
    // The process ends after one diff: freeing two documents' trees node by node
    // would only delay the exit (5 % of a 6 MB pair's time).
    std::mem::forget(result);
    std::mem::forget(masked);
    std::mem::forget((left, right));
    std::mem::forget((left_input, right_input));
    Ok(exit)
}

fn side_label(side: &Side) -> String {
    match side.side.converted_from {
        Some(provider) => format!("{} (converted from {provider})", side.name),
        None => side.name.to_owned(),
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
    write_human(result, painter, out)
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
