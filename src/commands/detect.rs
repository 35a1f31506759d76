//! `hooknorm detect`: which provider sent each body, its raw and normalized event,
//! and the keys that decided it.

use super::convert::summarize;
use crate::batch;
use crate::cli::{DetectArgs, DetectFormat};
use crate::exit::Exit;
use crate::input::{Document, Source};
use crate::output::{Painter, Reporter};
use serde_json::json;
use std::io::Write;

pub fn run(args: &DetectArgs, painter: Painter, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let options = args.input.options();
    let sources = Source::from_args(&args.input.files);
    let work = |name: &str, document: &Document, scratch: &mut String, out: &mut Vec<u8>| {
        let conversion = crate::convert(document.text, scratch, &options)?;
        let event = &conversion.event;
        let by = if conversion.evidence.is_empty() {
            vec!["--provider"]
        } else {
            conversion.evidence.clone()
        };
        let location = if document.in_lines {
            format!("{name}:{}", document.line)
        } else {
            name.to_owned()
        };
        // Writing to memory cannot fail.
        let _ = match args.format {
            DetectFormat::Json => {
                let record = json!({
                    "input": location,
                    "provider": event.provider,
                    "raw_event": conversion.raw_event,
                    "event": event.event,
                    "idempotency_key": event.idempotency_key,
                    "by": by,
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
                painter.dim(&format!("(by {})", by.join(", "))),
            ),
        };
        Ok(())
    };
    let (tally, exit) = batch::run(&sources, args.input.settings(), &work, out, reporter);
    summarize(&tally, "detected", reporter);
    exit
}
