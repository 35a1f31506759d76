//! `hooknorm convert`: raw bodies to normalized events, one per input document.

use crate::cli::ConvertArgs;
use hooknorm::batch::{self, Tally};
use hooknorm::convert::{Writing, write_event};
use hooknorm::exit::Exit;
use hooknorm::input::{Document, Source};
use hooknorm::output::Reporter;
use hooknorm::redact::Redactor;
use std::io::Write;

pub fn run(args: &ConvertArgs, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let options = args.input.options();
    let sources = Source::from_args(&args.input.files);
    let redactor = args.redact.then(Redactor::from_env);
    let work = |_: &str, document: &Document, scratch: &mut String, out: &mut Vec<u8>| {
        let conversion = hooknorm::convert(document.text, scratch, &options)?;
        let writing = Writing {
            pretty: args.pretty || !(args.compact || document.in_lines),
            payload_only: args.payload_only,
            redactor: redactor.as_ref(),
        };
        write_event(&conversion.event, &writing, out)
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
