//! `hooknorm detect`: who sent each body and what it is — the provider, the raw
//! event, the normalized event (or that it is not mapped), and the keys that
//! decided — without converting it. One record per input, failures included.

use super::convert::summarize;
use crate::cli::{DetectArgs, DetectFormat};
use hooknorm::batch::{self, Failed, Work};
use hooknorm::convert::Detected;
use hooknorm::error::{ConvertError, shown};
use hooknorm::exit::Exit;
use hooknorm::input::{Document, Source};
use hooknorm::output::{Painter, Reporter};
use serde_json::json;
use std::io::Write;

pub fn run(args: &DetectArgs, painter: Painter, out: &mut impl Write, reporter: &Reporter) -> Exit {
    let detector = Detector {
        options: args.input.options(),
        format: args.format,
        painter,
    };
    let sources = Source::from_args(&args.input.files);
    let (tally, exit) = batch::run(&sources, args.input.settings(), &detector, out, reporter);
    summarize(&tally, "detected", reporter);
    exit
}

struct Detector {
    options: hooknorm::Options,
    format: DetectFormat,
    painter: Painter,
}

fn location(input: &str, line: Option<usize>) -> String {
    match line {
        Some(line) => format!("{input}:{line}"),
        None => input.to_owned(),
    }
}

impl Work for Detector {
    fn run(
        &self,
        input: &str,
        document: &Document,
        scratch: &mut String,
        out: &mut Vec<u8>,
    ) -> Result<(), ConvertError> {
        let detected = hooknorm::convert::detect(document.text, scratch, &self.options)?;
        let location = location(input, document.in_lines.then_some(document.line));
        let line = match self.format {
            DetectFormat::Json => detected.record(&location).to_string(),
            DetectFormat::Human => {
                let why = self.why_not_mapped(document.text, &detected, scratch);
                self.human(&location, &detected, why.as_deref())
            }
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
        Ok(())
    }

    /// With `--format json`, a failed input has its record too (the message is
    /// on stderr as well), so a consumer reads exactly one record per input.
    fn failure(&self, input: &str, line: Option<usize>, failed: Failed, out: &mut Vec<u8>) {
        if self.format != DetectFormat::Json {
            return;
        }
        let location = location(input, line);
        let error = match failed {
            Failed::Convert(error) => with_every_provider(error, error.record(line)),
            Failed::Read(error) => json!({
                "kind": "io",
                "pointer": null,
                "line": null,
                "column": null,
                "message": hooknorm::output::io_reason(error),
            }),
        };
        let record = json!({
            "input": location,
            "provider": null,
            "raw_event": null,
            "event": null,
            "mapped": false,
            "normalized": false,
            "by": [],
            "schema": null,
            "error": error,
        });
        out.extend_from_slice(record.to_string().as_bytes());
        out.push(b'\n');
    }
}

/// An unknown provider's record names every provider's keys, not only the
/// nearest one's, as `--verbose` does on stderr.
fn with_every_provider(error: &ConvertError, mut record: serde_json::Value) -> serde_json::Value {
    if error.expected.starts_with(hooknorm::providers::NEAREST)
        && let Some(message) = record.get_mut("message")
    {
        let every = hooknorm::providers::looked_for();
        *message = json!(format!(
            "{}; every provider: {every}",
            message.as_str().unwrap_or_default()
        ));
    }
    record
}

impl Detector {
    /// Why a known provider's body has no normalized event, when the reason is
    /// not its raw event itself but a field read after it (a subscription's
    /// status no rule maps): the conversion's own message.
    fn why_not_mapped(
        &self,
        text: &str,
        detected: &Detected,
        scratch: &mut String,
    ) -> Option<String> {
        let Detected::Raw { identified, .. } = detected else {
            return None;
        };
        if identified.event.is_some() {
            return None;
        }
        let error = hooknorm::convert(text, scratch, &self.options).err()?;
        let reason = error.reason().to_string();
        // The message of an unmapped event names it: nothing to add to "not mapped".
        (!reason.contains(identified.raw_event.as_str())).then_some(reason)
    }

    fn human(&self, location: &str, detected: &Detected, why: Option<&str>) -> String {
        let painter = self.painter;
        match detected {
            Detected::Raw {
                provider,
                identified,
                evidence,
            } => {
                let event = match identified.event {
                    Some(event) => painter.good(event.as_str()),
                    None => painter.warning("not mapped"),
                };
                let why = why
                    .map(|why| format!(" — {}", painter.warning(why)))
                    .unwrap_or_default();
                format!(
                    "{}: {} {} {} {event} {}{why}",
                    painter.strong(location),
                    painter.good(provider.as_str()),
                    shown(&identified.raw_event),
                    painter.dim("→"),
                    painter.dim(&format!(
                        "(by {})",
                        hooknorm::convert::by(evidence).join(", ")
                    )),
                )
            }
            Detected::Normalized(normalized) => format!(
                "{}: already {} {}",
                painter.strong(location),
                normalized.describe(),
                painter.dim("(nothing to convert; validate checks it)"),
            ),
        }
    }
}
