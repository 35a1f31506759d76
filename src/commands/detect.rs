//! `hooknorm detect`: which provider sent each body, its raw and normalized event,
//! and the keys that decided it.

use crate::cli::{DetectArgs, DetectFormat};
use crate::exit::Exit;
use crate::input::{Source, Tally, for_each_document};
use crate::output::{Painter, Reporter, write_failed};
use serde_json::json;
use std::io::Write;

pub fn run(args: &DetectArgs, painter: Painter, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let options = args.input.options();
    let sources = Source::from_args(&args.input.files);
    let mut tally = Tally::default();
    let mut scratch = String::new();
    let exit = for_each_document(&sources, reporter, &mut tally, |name, document| {
        let conversion = match crate::convert(document.text, &mut scratch, &options) {
            Ok(conversion) => conversion,
            Err(error) => return Ok(Err(error)),
        };
        let event = &conversion.event;
        let why = if conversion.evidence.is_empty() {
            "--provider".to_owned()
        } else {
            conversion.evidence.join(", ")
        };
        let location = if document.in_lines {
            format!("{name}:{}", document.line)
        } else {
            name.to_owned()
        };
        let written = match args.format {
            DetectFormat::Json => {
                let record = json!({
                    "input": location,
                    "provider": event.provider,
                    "raw_event": conversion.raw_event,
                    "event": event.event,
                    "idempotency_key": event.idempotency_key,
                    "by": if conversion.evidence.is_empty() { vec!["--provider"] } else { conversion.evidence.clone() },
                });
                writeln!(out, "{record}")
            }
            DetectFormat::Human => writeln!(
                out,
                "{}: {} {} {} {} {}",
                painter.strong(&location),
                painter.good(event.provider.as_str()),
                conversion.raw_event,
                painter.dim("→"),
                painter.good(event.event.as_str()),
                painter.dim(&format!("(by {why})")),
            ),
        };
        written.map(Ok).map_err(|e| write_failed(&e, reporter))
    });
    let exit = match out.flush() {
        Err(error) => exit.worst(write_failed(&error, reporter)),
        Ok(()) => exit,
    };
    if tally.failed > 0 && tally.succeeded + tally.failed > 1 {
        reporter.summary(tally.succeeded, tally.failed, "detected");
    }
    exit
}
