//! `hooknorm convert`: raw bodies to normalized events, one per input document.

use crate::cli::ConvertArgs;
use hooknorm::batch::{self, Tally};
use hooknorm::error::{ConvertError, ErrorKind};
use hooknorm::exit::Exit;
use hooknorm::input::{Document, Source};
use hooknorm::output::Reporter;
use hooknorm::redact::Redactor;
use serde::Serialize;
use std::io::{self, Write};

pub fn run(args: &ConvertArgs, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let options = args.input.options();
    let sources = Source::from_args(&args.input.files);
    let redactor = args.redact.then(Redactor::from_env);
    let work = |_: &str, document: &Document, scratch: &mut String, out: &mut Vec<u8>| {
        let conversion = hooknorm::convert(document.text, scratch, &options)?;
        let pretty = args.pretty || !(args.compact || document.in_lines);
        let written = match (&redactor, args.payload_only) {
            (None, true) => write_json(out, &conversion.event.payload, pretty),
            (None, false) => write_json(out, &conversion.event, pretty),
            (Some(redactor), payload_only) => {
                let value = if payload_only {
                    serde_json::to_value(&conversion.event.payload)
                } else {
                    serde_json::to_value(&conversion.event)
                };
                value.map_err(io::Error::from).and_then(|mut value| {
                    redactor.redact(&mut value);
                    write_json(out, &value, pretty)
                })
            }
        };
        written.map_err(|error| {
            ConvertError::new(ErrorKind::InvalidValue, "", "an event that can be written")
                .found(error.to_string())
        })
    };
    let (tally, exit) = batch::run(&sources, args.input.settings(), &work, out, reporter);
    summarize(&tally, "converted", reporter);
    exit
}

/// The closing count of a batch on stderr: after more than one document, or when
/// one failed among several inputs, or when `--fail-fast` stopped the batch.
pub fn summarize(tally: &Tally, verb: &str, reporter: &Reporter) {
    if tally.documents() > 1 || tally.stopped {
        reporter.summary(tally, verb);
    }
}

/// Writes one JSON document and a newline.
pub fn write_json(out: &mut impl Write, value: &impl Serialize, pretty: bool) -> io::Result<()> {
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, value)
    } else {
        serde_json::to_writer(&mut *out, value)
    };
    written.map_err(io::Error::from)?;
    out.write_all(b"\n")
}
