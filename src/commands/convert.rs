//! `hooknorm convert`: raw bodies to normalized events, one per input document.

use crate::cli::ConvertArgs;
use crate::exit::Exit;
use crate::input::{Source, Tally, for_each_document};
use crate::output::{Reporter, write_failed};
use serde::Serialize;
use std::io::{self, Write};

pub fn run(args: &ConvertArgs, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let options = args.input.options();
    let sources = Source::from_args(&args.input.files);
    let mut tally = Tally::default();
    let mut scratch = String::new();
    let exit = for_each_document(&sources, reporter, &mut tally, |_, document| {
        let conversion = match crate::convert(document.text, &mut scratch, &options) {
            Ok(conversion) => conversion,
            Err(error) => return Ok(Err(error)),
        };
        let pretty = args.pretty || !(args.compact || document.in_lines);
        let written = if args.payload_only {
            write_json(out, &conversion.event.payload, pretty)
        } else {
            write_json(out, &conversion.event, pretty)
        };
        written.map(Ok).map_err(|e| write_failed(&e, reporter))
    });
    let exit = match out.flush() {
        Err(error) => exit.worst(write_failed(&error, reporter)),
        Ok(()) => exit,
    };
    if tally.failed > 0 && tally.succeeded + tally.failed > 1 {
        reporter.summary(tally.succeeded, tally.failed, "converted");
    }
    exit
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
