//! `hooknorm verify`: is a captured request authentic? Each provider's own scheme
//! (docs/security.md), checked against the receiver's secret in constant time.
//!
//! A signature covers the body's bytes as they were received, so the body is never
//! re-serialized: it is the input file as it stands, or the `body` of a captured
//! request when that is a JSON string holding the raw text. Token schemes (a
//! secret echoed in the body or a header) do not depend on the bytes.

use crate::auth::{Policy, Request};
use crate::convert::{detect_provider, header_pairs, name_given_twice, request_body};
use crate::error::ConvertError;
use crate::providers::Provider;
use crate::raw::Doc;
use serde_json::Value;
use serde_json::value::RawValue;

/// What `verify` is given besides the input.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Skip detection.
    pub provider: Option<Provider>,
    /// Headers (`Name: value`), added to a captured request's own.
    pub headers: Vec<(String, String)>,
    /// Query parameters (`name=value`), added to a captured request's own.
    pub query: Vec<(String, String)>,
    /// Largest accepted age (or advance) of a signed timestamp, in seconds.
    pub tolerance: u64,
    /// Unix time to judge timestamps against.
    pub now: i64,
    /// Accept a legacy scheme that echoes the secret in the body when the
    /// request carries no signature headers. It has no replay protection, and a
    /// signed request stripped of its headers falls back to it: off by default.
    pub allow_echoed_secret: bool,
}

/// The answer: authentic or not, by which scheme, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub authentic: bool,
    pub provider: Provider,
    /// The scheme checked: "HMAC-SHA1 of the body (query signature)", …
    pub scheme: &'static str,
    /// Why it failed, or what else was checked.
    pub detail: String,
}

/// Checks the authenticity of `input` (a raw body as received, or a captured
/// request) with `secret`.
pub fn verify(input: &[u8], secret: &[u8], options: &Options) -> Result<Verdict, ConvertError> {
    let (request, provider) = request(input, options)?;
    let policy = Policy {
        tolerance: options.tolerance,
        now: options.now,
        allow_echoed_secret: options.allow_echoed_secret,
    };
    let checked = (provider.spec().verify)(&request, secret, &policy)?;
    Ok(Verdict {
        authentic: checked.authentic,
        provider,
        scheme: checked.scheme,
        detail: checked.detail,
    })
}

/// A captured request's parts, as `convert` reads them.
#[derive(serde::Deserialize)]
struct Captured<'a> {
    #[serde(borrow)]
    headers: Option<&'a RawValue>,
    #[serde(borrow)]
    query: Option<&'a RawValue>,
    #[serde(borrow)]
    body: Option<&'a RawValue>,
}

/// Adds a captured request's pairs to those given on the command line; a name in
/// both is refused (which one was signed?).
fn extend_once(
    given: &mut Vec<(String, String)>,
    captured: Vec<(String, String)>,
    pointer: &str,
) -> Result<(), ConvertError> {
    for (name, value) in captured {
        if given
            .iter()
            .any(|(seen, _)| seen.eq_ignore_ascii_case(&name))
        {
            return Err(name_given_twice(
                pointer,
                &name,
                "`{}` in one place, not both on the command line and in the captured request",
            ));
        }
        given.push((name, value));
    }
    Ok(())
}

/// The input as a request: a captured request `{headers, query?, body}`, or a
/// body as received.
fn request(input: &[u8], options: &Options) -> Result<(Request, Provider), ConvertError> {
    crate::convert::names_once(&options.headers, "--header")?;
    crate::convert::names_once(&options.query, "--query")?;
    let text = crate::input::decode(input)?;
    if crate::form::looks_like_form(text) {
        let body = crate::form::to_value(text).map_err(|mut error| {
            error.position = crate::form::position(text, &error.pointer);
            error
        })?;
        let provider = match options.provider {
            Some(provider) => provider,
            None => detect_provider(&body.to_string(), &options.headers)?,
        };
        let request = Request {
            headers: options.headers.clone(),
            query: options.query.clone(),
            raw: Some(input.to_vec()),
            body,
        };
        return Ok((request, provider));
    }
    let doc = Doc::new(text);
    doc.within_nesting_limit(text)?;
    let top: Captured = doc.parse(text, "")?;
    let mut headers = options.headers.clone();
    let mut query = options.query.clone();
    let mut scratch = String::new();
    let (body_doc, body_text, body_pointer, raw) = match (top.headers, top.body) {
        (Some(raw_headers), Some(raw_body)) => {
            extend_once(
                &mut headers,
                header_pairs(doc, raw_headers, "/headers")?,
                "/headers",
            )?;
            if let Some(raw_query) = top.query {
                extend_once(
                    &mut query,
                    header_pairs(doc, raw_query, "/query")?,
                    "/query",
                )?;
            }
            // A signature covers the text as sent (a form's, not its JSON).
            let sent = raw_body
                .get()
                .starts_with('"')
                .then(|| doc.parse::<String>(raw_body.get(), "/body"))
                .transpose()?
                .map(String::into_bytes);
            let body = request_body(doc, raw_body, &headers, &mut scratch)?;
            let doc = doc.with_decoded(body, raw_body.get());
            (doc, body, "/body", sent)
        }
        _ => (doc, text, "", Some(input.to_vec())),
    };
    let body: Value = body_doc.parse(body_text, body_pointer)?;
    let provider = match options.provider {
        Some(provider) => provider,
        None => detect_provider(body_text, &headers).map_err(|e| e.under(body_pointer))?,
    };
    let request = Request {
        headers,
        query,
        raw,
        body,
    };
    Ok((request, provider))
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, Mac};

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    fn sign<M: Mac + hmac::digest::KeyInit>(secret: &[u8], message: &[u8]) -> String {
        let mut mac = <M as hmac::digest::KeyInit>::new_from_slice(secret).unwrap();
        mac.update(message);
        hex(&mac.finalize().into_bytes())
    }

    const KIWIFY: &str = r#"{"order_id": "k1", "order_ref": "R1", "webhook_event_type": "order_approved", "order_status": "paid"}"#;

    #[test]
    fn kiwify_signature_over_the_raw_body() {
        let signature = sign::<Hmac<sha1::Sha1>>(b"token", KIWIFY.as_bytes());
        let options = Options {
            query: vec![("signature".into(), signature.clone())],
            ..Options::default()
        };
        let verdict = verify(KIWIFY.as_bytes(), b"token", &options).unwrap();
        assert!(verdict.authentic, "{verdict:?}");
        assert_eq!(verdict.provider, Provider::named("kiwify").unwrap());
        assert!(
            !verify(KIWIFY.as_bytes(), b"other", &options)
                .unwrap()
                .authentic
        );
        // One space more: the bytes differ, the signature no longer matches.
        let respaced = KIWIFY.replacen(": ", ":  ", 1);
        assert!(
            !verify(respaced.as_bytes(), b"token", &options)
                .unwrap()
                .authentic
        );
        // A captured request with the raw text as a string body.
        let captured =
            serde_json::json!({"headers": {}, "query": {"signature": signature}, "body": KIWIFY});
        assert!(
            verify(
                captured.to_string().as_bytes(),
                b"token",
                &Options::default()
            )
            .unwrap()
            .authentic
        );
        // With an object body the bytes are gone: refused, not guessed.
        let reserialized = serde_json::json!({"headers": {}, "query": {"signature": "00"},
            "body": serde_json::from_str::<Value>(KIWIFY).unwrap()});
        let error = verify(
            reserialized.to_string().as_bytes(),
            b"token",
            &Options::default(),
        )
        .unwrap_err();
        assert!(error.to_string().contains("re-serialized"), "{error}");
    }

    #[test]
    fn cakto_hmac_with_timestamp_and_legacy_secret() {
        let body = r#"{"secret": "s3cr3t", "event": "purchase_approved", "data": {"id": "o1"}}"#;
        let timestamp = "1700000000";
        let signature =
            sign::<Hmac<sha2::Sha256>>(b"s3cr3t", format!("{timestamp}.{body}").as_bytes());
        let mut options = Options {
            headers: vec![
                ("X-Cakto-Signature".into(), format!("v1={signature}")),
                ("X-Cakto-Timestamp".into(), timestamp.into()),
            ],
            tolerance: 300,
            now: 1_700_000_100,
            ..Options::default()
        };
        assert!(
            verify(body.as_bytes(), b"s3cr3t", &options)
                .unwrap()
                .authentic
        );
        options.now = 1_700_000_301;
        let replay = verify(body.as_bytes(), b"s3cr3t", &options).unwrap();
        assert!(
            !replay.authentic && replay.detail.contains("replay"),
            "{replay:?}"
        );
        // Without the headers: the echoed secret, only when asked for, and said weak.
        let opted_in = Options {
            allow_echoed_secret: true,
            ..Options::default()
        };
        let legacy = verify(body.as_bytes(), b"s3cr3t", &opted_in).unwrap();
        assert!(legacy.authentic && legacy.scheme.contains("echoed"));
        assert!(legacy.scheme.contains("weak: no replay protection"));
        let wrong = verify(body.as_bytes(), b"nope", &opted_in).unwrap();
        assert!(!wrong.authentic && !wrong.detail.contains("s3cr3t"));
    }

    /// A signed request refused as a replay became "authentic" once its
    /// X-Cakto-* headers were removed or renamed, through the echoed secret.
    #[test]
    fn a_stripped_signature_does_not_fall_back_to_the_echoed_secret() {
        let body = r#"{"secret": "s3cr3t", "event": "purchase_approved", "data": {"id": "o1"}}"#;
        for headers in [
            vec![],
            vec![("X-Cakto-Signatur".to_owned(), "v1=00".to_owned())],
        ] {
            let options = Options {
                headers,
                ..Options::default()
            };
            let verdict = verify(body.as_bytes(), b"s3cr3t", &options).unwrap();
            assert!(!verdict.authentic, "{verdict:?}");
            assert!(
                verdict.detail.contains("--allow-echoed-secret"),
                "{verdict:?}"
            );
        }
    }

    /// Headers named twice (in a captured request, or there and on the command
    /// line) are refused, as duplicate body keys are.
    #[test]
    fn a_header_named_twice_is_refused() {
        let body = r#"{"secret": "s", "event": "purchase_approved", "data": {"id": "o1"}}"#;
        let twice = format!(
            r#"{{"headers": {{"X-Cakto-Signature": "v1=00", "x-cakto-signature": "v1=11"}}, "body": {}}}"#,
            serde_json::to_string(body).unwrap()
        );
        let error = verify(twice.as_bytes(), b"s", &Options::default()).unwrap_err();
        assert!(error.to_string().contains("given twice"), "{error}");
        let captured = format!(
            r#"{{"headers": {{"X-Cakto-Timestamp": "1"}}, "body": {}}}"#,
            serde_json::to_string(body).unwrap()
        );
        let options = Options {
            headers: vec![("x-cakto-timestamp".into(), "2".into())],
            ..Options::default()
        };
        let error = verify(captured.as_bytes(), b"s", &options).unwrap_err();
        assert!(error.to_string().contains("in one place"), "{error}");
        // A bad query is named as the query, and its content is not quoted.
        let query = format!(
            r#"{{"headers": {{}}, "query": "signature=SECRET-SIG", "body": {}}}"#,
            serde_json::to_string(body).unwrap()
        );
        let error = verify(query.as_bytes(), b"s", &Options::default()).unwrap_err();
        assert_eq!(error.pointer, "/query");
        assert!(!error.to_string().contains("SECRET-SIG"), "{error}");
    }

    #[test]
    fn hotmart_and_opabox_tokens() {
        let hotmart = r#"{"id": "x", "creation_date": 1700000000000, "event": "PURCHASE_APPROVED", "version": "2.0.0", "data": {}}"#;
        let options = Options {
            headers: vec![("X-HOTMART-HOTTOK".into(), "tok".into())],
            ..Options::default()
        };
        assert!(
            verify(hotmart.as_bytes(), b"tok", &options)
                .unwrap()
                .authentic
        );
        assert!(
            !verify(hotmart.as_bytes(), b"tok2", &options)
                .unwrap()
                .authentic
        );
        let missing = verify(hotmart.as_bytes(), b"tok", &Options::default()).unwrap_err();
        assert!(missing.to_string().contains("X-HOTMART-HOTTOK"));
        let opabox = serde_json::json!({"headers": {"x-api-key": "key-1"}, "body": {"product_list": [],
            "total_price": 1, "company_external_id": "c"}});
        let verdict = verify(opabox.to_string().as_bytes(), b"key-1", &Options::default()).unwrap();
        assert!(verdict.authentic && verdict.provider == Provider::named("opabox").unwrap());
    }
}
