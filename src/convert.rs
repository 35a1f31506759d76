//! The conversion of one document: captured-request unwrapping, detection, and the
//! provider's conversion.

use crate::error::{ConvertError, ErrorKind};
use crate::form;
use crate::normalized::Normalized;
use crate::providers::{self, Context, Conversion, Given, OnePassed, Provider, TopLevel};
use crate::raw::{Doc, describe};
use serde_json::value::RawValue;

/// What the caller knows that the body may not say.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Skip detection: the body is from this provider.
    pub provider: Option<Provider>,
    /// The raw event, for bodies that carry none (an event code sent in a
    /// header, a status that is the event) or to override the body's.
    pub event: Option<String>,
    /// Request headers (`Name: value`), added to a captured request's own.
    pub headers: Vec<(String, String)>,
}

/// Converts one document (a raw JSON or form-encoded body, or a captured request
/// `{"headers": {...}, "body": ...}`) into a normalized event.
///
/// `scratch` holds the body when a captured request carries it as a JSON string,
/// or the JSON a form stands for; the event borrows from `input` and `scratch`.
pub fn convert<'a>(
    input: &'a str,
    scratch: &'a mut String,
    options: &Options,
) -> Result<Conversion<'a>, ConvertError> {
    names_once(&options.headers, "--header")?;
    let doc = Doc::new(input);
    if form::looks_like_form(input) {
        let converted = convert_in_general(doc, scratch, options);
        return converted.map_err(|error| in_form(input, error));
    }
    doc.within_nesting_limit(input)?;
    let converted = match convert_in_one_pass(doc, options) {
        Some(converted) => converted,
        None => convert_in_general(doc, scratch, options),
    };
    converted.map_err(|error| with_position(input, error))
}

/// `convert` by the general path only, logging what the conversion read of
/// the body (`explain --unread`). The one-pass parse reads the same values;
/// only the general path's typed parses are traced.
pub fn convert_traced<'a>(
    input: &'a str,
    scratch: &'a mut String,
    options: &Options,
) -> (Result<Conversion<'a>, ConvertError>, crate::reads::Log) {
    crate::reads::traced(|| {
        let doc = Doc::new(input);
        if form::looks_like_form(input) {
            let converted = convert_in_general(doc, scratch, options);
            return converted.map_err(|error| in_form(input, error));
        }
        doc.within_nesting_limit(input)?;
        convert_in_general(doc, scratch, options).map_err(|error| with_position(input, error))
    })
}

/// How an event is written, the same for the command line and every library
/// consumer: pretty or one line, the whole event or its payload, redacted or not.
#[derive(Default)]
pub struct Writing<'r> {
    pub pretty: bool,
    pub payload_only: bool,
    pub redactor: Option<&'r crate::redact::Redactor>,
}

/// Writes `event` as `hooknorm convert` prints it, newline included.
pub fn write_event(
    event: &crate::model::Event,
    writing: &Writing,
    out: &mut Vec<u8>,
) -> Result<(), ConvertError> {
    let written = match (writing.redactor, writing.payload_only) {
        // The common case, by the million: compact, straight into the buffer.
        (None, payload_only) if !writing.pretty => {
            let compact = if payload_only {
                crate::json_writer::write_compact(out, &event.payload)
            } else {
                crate::json_writer::write_compact(out, event)
            };
            out.push(b'\n');
            compact.map_err(std::io::Error::other)
        }
        (None, true) => write_json(out, &event.payload, writing.pretty),
        (None, false) => write_json(out, event, writing.pretty),
        (Some(redactor), payload_only) => {
            let value = if payload_only {
                serde_json::to_value(&event.payload)
            } else {
                serde_json::to_value(event)
            };
            value.map_err(std::io::Error::from).and_then(|mut value| {
                redactor.redact(&mut value);
                if event.personal_key {
                    redactor.key_idempotency_key(&mut value);
                }
                write_json(out, &value, writing.pretty)
            })
        }
    };
    written.map_err(|error| {
        ConvertError::new(ErrorKind::InvalidValue, "", "an event that can be written")
            .found(error.to_string())
    })
}

/// Writes one JSON document and a newline.
pub fn write_json(
    out: &mut impl std::io::Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> std::io::Result<()> {
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, value)
    } else {
        serde_json::to_writer(&mut *out, value)
    };
    written.map_err(std::io::Error::from)?;
    out.write_all(b"\n")
}

/// An error about a form-encoded body, placed at the field its pointer leads to.
#[cold]
fn in_form(form_text: &str, mut error: ConvertError) -> ConvertError {
    error.position = form::position(form_text, &error.pointer);
    error
}

/// An error that names a pointer but no place (an unmapped event, a null field)
/// gets the line and column of the value the pointer leads to, or of the deepest
/// part of its path that exists.
#[cold]
fn with_position(input: &str, mut error: ConvertError) -> ConvertError {
    if error.position.is_none() && !error.pointer.is_empty() {
        let offset = crate::locate::locate(input, &error.pointer);
        error.position = Some(crate::raw::line_column(input, offset));
    }
    error
}

/// A document read as far as detection: the body (a captured request unwrapped),
/// its top level, the headers, and the provider with the keys that named it.
struct Prepared<'a> {
    /// The input, knowing where a decoded body's string is.
    doc: Doc<'a>,
    body: &'a str,
    body_pointer: &'static str,
    top: TopLevel<'a>,
    headers: Vec<(String, String)>,
    provider: Provider,
    evidence: Vec<&'static str>,
}

impl<'a> Prepared<'a> {
    fn context<'h>(&'h self, options: &'h Options) -> Context<'a, 'h> {
        Context {
            doc: self.doc,
            body: self.body,
            body_pointer: self.body_pointer,
            top: self.top,
            headers: &self.headers,
            event: options.event.as_deref(),
        }
    }
}

/// The top level probed (and a captured request unwrapped), the provider detected.
fn prepare<'a>(
    doc: Doc<'a>,
    scratch: &'a mut String,
    options: &Options,
) -> Result<Prepared<'a>, ConvertError> {
    let input = doc.input;
    let mut headers = options.headers.clone();
    if form::looks_like_form(input) {
        // The JSON it stands for; the caller places errors in the form's text.
        *scratch = form::to_value(input)?.to_string();
        let body: &'a str = scratch;
        let doc = Doc::new(body);
        let top = probe(doc, body, "")?;
        return prepared(doc, body, "", top, headers, options);
    }
    let top = probe(doc, input, "")?;
    let (doc, body, body_pointer, top) = match (top.get("headers"), top.get("body")) {
        (Some(raw_headers), Some(raw_body)) => {
            // The captured request's own headers come first, so they win over
            // `--header` (docs/providers/troquecommerce.md gives the order).
            let mut captured = header_pairs(doc, raw_headers, "/headers")?;
            captured.append(&mut headers);
            headers = captured;
            let body = request_body(doc, raw_body, &headers, scratch)?;
            let doc = doc.with_decoded(body, raw_body.get());
            doc.within_nesting_limit(body)
                .map_err(|error| error.under("/body"))?;
            let top = probe(doc, body, "/body")?;
            (doc, body, "/body", top)
        }
        _ => (doc, input, "", top),
    };
    prepared(doc, body, body_pointer, top, headers, options)
}

/// A body's provider: the one `--provider` names, or the one detection finds.
fn prepared<'a>(
    doc: Doc<'a>,
    body: &'a str,
    body_pointer: &'static str,
    top: TopLevel<'a>,
    headers: Vec<(String, String)>,
    options: &Options,
) -> Result<Prepared<'a>, ConvertError> {
    let (provider, evidence) = match options.provider {
        Some(provider) => (provider, Vec::new()),
        None => {
            let detection = providers::detect(&top, &headers)
                .map_err(|e| unrecognised(body, e).under(body_pointer))?;
            (detection.provider, detection.evidence)
        }
    };
    Ok(Prepared {
        doc,
        body,
        body_pointer,
        top,
        headers,
        provider,
        evidence,
    })
}

/// The general path: prepared as far as detection, then the provider's typed parse.
fn convert_in_general<'a>(
    doc: Doc<'a>,
    scratch: &'a mut String,
    options: &Options,
) -> Result<Conversion<'a>, ConvertError> {
    let prepared = prepare(doc, scratch, options)?;
    let ctx = prepared.context(options);
    let converted = providers::convert(prepared.provider, &ctx);
    finish(converted, &ctx, options, prepared.evidence.clone())
}

/// What `detect` says of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Detected {
    /// A provider's body: who sent it, its raw and normalized event (`None`: not
    /// mapped), and the keys that named the provider (empty with `--provider`).
    Raw {
        provider: Provider,
        identified: providers::Identified,
        evidence: Vec<&'static str>,
    },
    /// A document that is already normalized.
    Normalized(Normalized),
}

impl Detected {
    /// What `detect --format json` records of `input`: the same keys for every
    /// input, so consumers need no cases.
    pub fn record(&self, input: &str) -> serde_json::Value {
        match self {
            Detected::Raw {
                provider,
                identified,
                evidence,
            } => serde_json::json!({
                "input": input,
                "provider": provider,
                "raw_event": identified.raw_event,
                "event": identified.event,
                "mapped": identified.event.is_some(),
                "normalized": false,
                "by": by(evidence),
                "schema": null,
                "error": null,
            }),
            Detected::Normalized(normalized) => serde_json::json!({
                "input": input,
                "provider": normalized.provider,
                "raw_event": null,
                "event": normalized.event,
                "mapped": normalized.event.is_some(),
                "normalized": true,
                "by": [],
                "schema": normalized.schema,
                "error": null,
            }),
        }
    }
}

/// The keys that told the provider, or `--provider` when it was given.
pub fn by(evidence: &[&'static str]) -> Vec<&'static str> {
    if evidence.is_empty() {
        vec!["--provider"]
    } else {
        evidence.to_vec()
    }
}

/// Who sent a document and what it is, without converting it: a body whose
/// provider and raw event are recognised is answered even when its event is not
/// mapped or a field only conversion needs is missing. `Err` only when no
/// provider can be recognised (or the input is not a JSON object).
pub fn detect(
    input: &str,
    scratch: &mut String,
    options: &Options,
) -> Result<Detected, ConvertError> {
    names_once(&options.headers, "--header")?;
    let doc = Doc::new(input);
    let is_form = form::looks_like_form(input);
    if !is_form {
        doc.within_nesting_limit(input)?;
    }
    let place = |error| match is_form {
        true => in_form(input, error),
        false => with_position(input, error),
    };
    let prepared = match prepare(doc, scratch, options).map_err(|error| match is_form {
        true => in_form(input, error),
        false => error,
    }) {
        Ok(prepared) => prepared,
        Err(error) if error.kind == ErrorKind::AlreadyNormalized => {
            let value = serde_json::from_str(input).ok();
            return match value.as_ref().and_then(crate::normalized::recognize) {
                Some(normalized) => Ok(Detected::Normalized(normalized)),
                None => Err(error),
            };
        }
        Err(error) => return Err(error),
    };
    let ctx = prepared.context(options);
    let identified = providers::identify(prepared.provider, &ctx).map_err(place)?;
    Ok(Detected::Raw {
        provider: prepared.provider,
        identified,
        evidence: prepared.evidence,
    })
}

/// The fast path: the body read once, as the provider it seems to be from (or
/// the one `--provider` names). `None` when detection does not confirm the guess
/// or the body needs the general path; the answer is then the general path's.
fn convert_in_one_pass<'a>(
    doc: Doc<'a>,
    options: &Options,
) -> Option<Result<Conversion<'a>, ConvertError>> {
    let guess = options.provider.or_else(|| guess_provider(doc.input))?;
    let given = Given {
        doc,
        headers: &options.headers,
        event: options.event.as_deref(),
    };
    let OnePassed { top, converted } = providers::convert_in_one_pass(guess, given)?;
    let evidence = match options.provider {
        Some(_) => Vec::new(),
        None => {
            let detection = providers::detect(&top, &options.headers).ok()?;
            if detection.provider != guess {
                return None;
            }
            detection.evidence
        }
    };
    let ctx = Context {
        doc,
        body: doc.input,
        body_pointer: "",
        top,
        headers: &options.headers,
        event: options.event.as_deref(),
    };
    Some(finish(converted, &ctx, options, evidence))
}

/// The provider a body most likely comes from, by the first key near the start
/// that only it sends. Only a guess: detection confirms it.
fn guess_provider(body: &str) -> Option<Provider> {
    let window = body
        .as_bytes()
        .get(..GUESS_WINDOW)
        .unwrap_or(body.as_bytes());
    memchr::memchr_iter(b'"', window).find_map(|quote| {
        let after = window.get(quote + 1..)?;
        Provider::all().find(|provider| {
            provider
                .spec()
                .first_keys
                .iter()
                .any(|key| after.starts_with(key.as_bytes()) && after.get(key.len()) == Some(&b'"'))
        })
    })
}

/// How far into a body `guess_provider` looks: the first keys of every provider's
/// documented body fit.
const GUESS_WINDOW: usize = 256;

/// Adds the detection evidence, or a hint when `--provider` named the wrong one.
fn finish<'a>(
    converted: Result<Conversion<'a>, ConvertError>,
    ctx: &Context<'a, '_>,
    options: &Options,
    evidence: Vec<&'static str>,
) -> Result<Conversion<'a>, ConvertError> {
    let mut conversion = converted.map_err(|error| match options.provider {
        Some(forced) => with_provider_hint(forced, ctx, error),
        None => error,
    })?;
    conversion.evidence = evidence;
    Ok(conversion)
}

/// When `--provider` named one provider and the body is another's, says so.
#[cold]
fn with_provider_hint(forced: Provider, ctx: &Context, mut error: ConvertError) -> ConvertError {
    if let Ok(detection) = providers::detect(&ctx.top, ctx.headers)
        && detection.provider != forced
    {
        let real = detection.provider;
        error.hint = Some(
            format!(
                "the body looks like {real}'s (by {}), not {forced}'s: use --provider {real}, or leave --provider out",
                detection.evidence.join(", ")
            )
            .into(),
        );
    }
    error
}

/// The provider of a body (not a captured request), by detection alone.
pub fn detect_provider(body: &str, headers: &[(String, String)]) -> Result<Provider, ConvertError> {
    let doc = Doc::new(body);
    let top = probe(doc, body, "")?;
    providers::detect(&top, headers)
        .map(|detection| detection.provider)
        .map_err(|e| unrecognised(body, e))
}

/// When no provider was recognised: a document that is already normalized is
/// named as one; any other gets its top-level keys in the message.
#[cold]
fn unrecognised(body: &str, mut error: ConvertError) -> ConvertError {
    if error.kind != ErrorKind::UnknownProvider {
        return error;
    }
    let Ok(value) = serde_json::from_str::<serde_json::Value>(body) else {
        return error;
    };
    if let Some(normalized) = crate::normalized::recognize(&value) {
        return ConvertError::new(
            ErrorKind::AlreadyNormalized,
            "",
            format!(
                "already {}: nothing to convert (`hooknorm validate` checks it against its schema)",
                normalized.describe()
            ),
        );
    }
    if let Some(keys) = value.as_object() {
        let mut names: Vec<&str> = keys.keys().map(String::as_str).collect();
        // Name the nearest provider and what it lacks rather than every
        // provider's keys (`--verbose` and the JSON records still list them).
        if error.expected.starts_with("unknown provider:")
            && let Some(nearest) = providers::nearest(&names)
        {
            error.expected = nearest;
        }
        names.truncate(12);
        error = error.found(format!("the keys {{{}}}", names.join(", ")));
    }
    error
}

/// Reads the top level of a body; it must be a JSON object.
fn probe<'a>(doc: Doc<'a>, text: &'a str, pointer: &str) -> Result<TopLevel<'a>, ConvertError> {
    let first = text.trim_start().as_bytes().first().copied();
    if first == Some(b'{') {
        return doc.parse(text, pointer);
    }
    // Report syntax errors as such before complaining about the type.
    let value: &RawValue = doc.parse(text, pointer)?;
    let mut error = ConvertError::new(
        ErrorKind::WrongType,
        pointer,
        "a webhook body (a JSON object)",
    )
    .found(describe(value.get()));
    if value.get().starts_with('"')
        && serde_json::from_str::<String>(value.get())
            .is_ok_and(|s| s.trim_start().starts_with('{'))
    {
        error
            .expected
            .push_str(", not a string holding JSON (decode it first, e.g. with `jq -r .`)");
        error.found = Some("a JSON-encoded string".to_owned());
    }
    Err(doc.at(value.get(), error))
}

/// A captured request's headers (or query, at `pointer`) as (lower-case name,
/// value) pairs. Values may be strings, numbers, or arrays of them (joined with
/// ", "). A name given twice (in any case) is refused, as a duplicate key of a
/// body is: which of two signatures or event codes counts must not be a guess.
/// Nothing of a value reaches a message: headers carry secrets.
pub(crate) fn header_pairs(
    doc: Doc,
    raw: &RawValue,
    pointer: &str,
) -> Result<Vec<(String, String)>, ConvertError> {
    // PHP's `[]` for an empty object is read as one (`Entries`).
    let empty_array = raw.get().starts_with('[') && raw.get()[1..].trim_start().starts_with(']');
    if !raw.get().starts_with('{') && !empty_array {
        let error = ConvertError::new(
            ErrorKind::WrongType,
            pointer,
            "an object of names and values",
        )
        .found(describe_kind(raw.get()));
        return Err(doc.at(raw.get(), error));
    }
    let entries: Entries = doc.parse(raw.get(), pointer)?;
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut pairs: Vec<(String, String)> = Vec::with_capacity(entries.0.len());
    for (name, value) in entries.0 {
        let name = name.to_ascii_lowercase();
        if pairs.iter().any(|(seen, _)| *seen == name) {
            return Err(name_given_twice(
                pointer,
                &name,
                "each name once (`{}` is given twice)",
            ));
        }
        let value = match value {
            serde_json::Value::Array(items) => {
                items.iter().map(text).collect::<Vec<_>>().join(", ")
            }
            other => text(&other),
        };
        pairs.push((name, value));
    }
    Ok(pairs)
}

/// Refuses a name (in any case) given twice on the command line as `what`
/// (`--header`): which of two event codes or signatures counts must not be a
/// guess. Nothing of the values is said: they may be secrets.
pub(crate) fn names_once(given: &[(String, String)], what: &str) -> Result<(), ConvertError> {
    for (index, (name, _)) in given.iter().enumerate() {
        let earlier = given.get(..index).unwrap_or_default();
        if earlier
            .iter()
            .any(|(seen, _)| seen.eq_ignore_ascii_case(name))
        {
            return Err(ConvertError::new(
                ErrorKind::InvalidValue,
                "",
                format!(
                    "each {what} name once (`{}` is given twice)",
                    crate::error::shown(name)
                ),
            ));
        }
    }
    Ok(())
}

/// A header or query name given twice, at `pointer`/`name`; `expected` names it
/// where it holds `{}`. Nothing of the values is said: they may be secrets.
pub(crate) fn name_given_twice(pointer: &str, name: &str, expected: &str) -> ConvertError {
    let mut at = pointer.to_owned();
    crate::error::push_token(&mut at, name);
    ConvertError::new(
        ErrorKind::InvalidValue,
        at,
        expected.replace("{}", &crate::error::shown(name)),
    )
}

/// What kind of JSON value a text is, without any of its content.
fn describe_kind(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// The entries of a JSON object in order, duplicates kept (a map would keep the last).
struct Entries(Vec<(String, serde_json::Value)>);

impl<'de> serde::Deserialize<'de> for Entries {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Entries;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an object of names and values")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Entries, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Entries(entries))
            }
            /// PHP's `[]` for an empty object.
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Entries, A::Error> {
                match seq.next_element::<serde::de::IgnoredAny>()? {
                    None => Ok(Entries(Vec::new())),
                    Some(_) => Err(serde::de::Error::invalid_type(
                        serde::de::Unexpected::Seq,
                        &self,
                    )),
                }
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// The body of a captured request: an object as it stands, or a string holding
/// the raw text (then decoded into `scratch`).
pub(crate) fn request_body<'a>(
    doc: Doc<'a>,
    raw: &'a RawValue,
    headers: &[(String, String)],
    scratch: &'a mut String,
) -> Result<&'a str, ConvertError> {
    if raw.get().starts_with('"') {
        let text: String = doc.parse(raw.get(), "/body")?;
        *scratch = match is_form(&text, headers) {
            true => form::to_value(&text)
                .map_err(|error| error.under("/body"))?
                .to_string(),
            false => text,
        };
        let body: &'a String = scratch;
        return Ok(body.as_str());
    }
    Ok(raw.get())
}

/// Whether a request's body text is a form: its `Content-Type` says so, or it
/// is not JSON but reads as one.
pub(crate) fn is_form(text: &str, headers: &[(String, String)]) -> bool {
    let declared = headers.iter().any(|(name, value)| {
        name.eq_ignore_ascii_case("content-type") && form::is_form_type(value)
    });
    let json = matches!(text.trim_start().as_bytes().first(), Some(b'{' | b'['));
    (declared && !json) || form::looks_like_form(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    /// The answer of a conversion as text: the event and its evidence, or the error.
    fn answer(converted: Result<Conversion, ConvertError>) -> String {
        match converted {
            Ok(c) => format!(
                "{} {:?}",
                serde_json::to_string(&c.event).unwrap_or_default(),
                c.evidence
            ),
            Err(error) => format!("error: {error} at {:?}", error.position),
        }
    }

    struct Sample {
        name: String,
        body: String,
        headers: Vec<(String, String)>,
    }

    /// Every sample and fixture, and the body of each captured request with its
    /// headers (as `--header` would give them).
    fn bodies() -> Vec<Sample> {
        let mut found = Vec::new();
        for (name, text) in files() {
            if let Ok(request) = serde_json::from_str::<TopLevel>(&text)
                && let (Some(headers), Some(body)) = (request.get("headers"), request.get("body"))
                && body.get().starts_with('{')
                && let Ok(headers) = header_pairs(Doc::new(&text), headers, "/headers")
            {
                found.push(Sample {
                    name: format!("{name} (body)"),
                    body: body.get().to_owned(),
                    headers,
                });
            }
            found.push(Sample {
                name,
                body: text,
                headers: Vec::new(),
            });
        }
        found
    }

    fn files() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut found = Vec::new();
        for folder in ["samples", "tests/fixtures"] {
            let Ok(providers) = std::fs::read_dir(root.join(folder)) else {
                continue;
            };
            for provider in providers.flatten() {
                for file in std::fs::read_dir(provider.path())
                    .into_iter()
                    .flatten()
                    .flatten()
                {
                    let path = file.path();
                    let name = path.display().to_string();
                    if name.ends_with(".json") && !name.ends_with(".expected.json") {
                        if let Ok(text) = std::fs::read_to_string(&path) {
                            found.push((name, text));
                        }
                    }
                }
            }
        }
        found
    }

    /// Same answer through the one-pass parse as through the general path, for
    /// every sample and fixture, whole and cut short, with and without --provider.
    #[test]
    fn one_pass_changes_no_answer() {
        let bodies = bodies();
        assert!(bodies.len() > 60, "samples found: {}", bodies.len());
        let mut compared = 0;
        for Sample {
            name,
            body,
            headers,
        } in &bodies
        {
            let cuts = (0..body.len()).step_by(97).chain([body.len()]);
            for cut in cuts.filter(|cut| body.is_char_boundary(*cut)) {
                let text = &body[..cut];
                // Detected, and forced to every provider (the body's own or another's).
                for provider in std::iter::once(None).chain(Provider::all().map(Some)) {
                    let options = Options {
                        provider,
                        headers: headers.clone(),
                        ..Options::default()
                    };
                    let doc = Doc::new(text);
                    let Some(fast) = convert_in_one_pass(doc, &options) else {
                        continue;
                    };
                    let mut scratch = String::new();
                    let general = convert_in_general(doc, &mut scratch, &options);
                    assert_eq!(
                        answer(fast),
                        answer(general),
                        "{name} cut at {cut}, {provider:?}"
                    );
                    compared += 1;
                }
            }
        }
        assert!(compared > 400, "compared {compared}");
    }

    /// The documented body of every provider takes the one-pass path.
    #[test]
    fn every_provider_takes_the_one_pass_path() {
        let bodies = bodies();
        for provider in Provider::all() {
            let one_pass = bodies
                .iter()
                .filter(|sample| sample.name.contains(&format!("samples/{provider}/")))
                .filter(|sample| {
                    let options = Options {
                        headers: sample.headers.clone(),
                        ..Options::default()
                    };
                    convert_in_one_pass(Doc::new(&sample.body), &options).is_some_and(|c| c.is_ok())
                })
                .count();
            assert!(one_pass > 0, "no {provider} sample took the one-pass path");
        }
    }
}
