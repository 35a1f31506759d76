//! The conversion of one document: captured-request unwrapping, detection, and the
//! provider's conversion.

use crate::error::{ConvertError, ErrorKind};
use crate::model::Provider;
use crate::providers::{self, Context, Conversion, TopLevel};
use crate::raw::{Doc, describe};
use serde_json::value::RawValue;

/// What the caller knows that the body may not say.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Skip detection: the body is from this provider.
    pub provider: Option<Provider>,
    /// The raw event, for bodies that carry none (Troquecommerce, OPABOX) or to
    /// override the body's.
    pub event: Option<String>,
    /// Request headers (`Name: value`), added to a captured request's own.
    pub headers: Vec<(String, String)>,
}

/// Converts one JSON document (a raw body or a captured request
/// `{"headers": {...}, "body": ...}`) into a normalized event.
///
/// `scratch` holds the body when a captured request carries it as a JSON string;
/// the event borrows from `input` and `scratch`.
pub fn convert<'a>(
    input: &'a str,
    scratch: &'a mut String,
    options: &Options,
) -> Result<Conversion<'a>, ConvertError> {
    let doc = Doc { input };
    let top = probe(doc, input, "")?;
    let mut headers = options.headers.clone();
    let (body, body_pointer, top) = match (top.headers, top.body) {
        (Some(raw_headers), Some(raw_body)) => {
            headers.extend(header_pairs(doc, raw_headers)?);
            let body = request_body(doc, raw_body, scratch)?;
            let top = probe(doc, body, "/body")?;
            (body, "/body", top)
        }
        _ => (input, "", top),
    };
    let (provider, evidence) = match options.provider {
        Some(provider) => (provider, Vec::new()),
        None => {
            let detection = providers::detect(&top, &headers)
                .map_err(|e| with_keys_found(body, e).under(body_pointer))?;
            (detection.provider, detection.evidence)
        }
    };
    let ctx = Context {
        doc,
        body,
        body_pointer,
        top,
        headers: &headers,
        event: options.event.as_deref(),
    };
    let mut conversion =
        providers::convert(provider, &ctx).map_err(|error| match options.provider {
            Some(forced) => with_provider_hint(forced, &ctx, error),
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
    let doc = Doc { input: body };
    let top = probe(doc, body, "")?;
    providers::detect(&top, headers)
        .map(|detection| detection.provider)
        .map_err(|e| with_keys_found(body, e))
}

/// Adds the body's top-level keys to an unknown-provider message.
#[cold]
fn with_keys_found(body: &str, mut error: ConvertError) -> ConvertError {
    let keys: Result<serde_json::Map<String, serde_json::Value>, _> = serde_json::from_str(body);
    if let (ErrorKind::UnknownProvider, Ok(keys)) = (error.kind, keys) {
        let mut names: Vec<&str> = keys.keys().map(String::as_str).collect();
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

/// A captured request's headers as (lower-case name, value) pairs. Values may be
/// strings, numbers, or arrays of them (joined with ", ").
pub(crate) fn header_pairs(
    doc: Doc,
    raw: &RawValue,
) -> Result<Vec<(String, String)>, ConvertError> {
    let map: serde_json::Map<String, serde_json::Value> = doc.parse(raw.get(), "/headers")?;
    let text = |value: &serde_json::Value| match value {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Ok(map
        .iter()
        .map(|(name, value)| {
            let value = match value {
                serde_json::Value::Array(items) => {
                    items.iter().map(text).collect::<Vec<_>>().join(", ")
                }
                other => text(other),
            };
            (name.to_ascii_lowercase(), value)
        })
        .collect())
}

/// The body of a captured request: an object as it stands, or a string holding
/// the raw text (then decoded into `scratch`).
pub(crate) fn request_body<'a>(
    doc: Doc<'a>,
    raw: &'a RawValue,
    scratch: &'a mut String,
) -> Result<&'a str, ConvertError> {
    if raw.get().starts_with('"') {
        *scratch = doc.parse(raw.get(), "/body")?;
        let body: &'a String = scratch;
        return Ok(body.as_str());
    }
    Ok(raw.get())
}

/// Parses `--header 'Name: value'`.
pub fn parse_header(text: &str) -> Result<(String, String), String> {
    match text.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_ascii_lowercase(), value.trim().to_owned()))
        }
        _ => Err(format!("expected 'Name: value', found {text:?}")),
    }
}
