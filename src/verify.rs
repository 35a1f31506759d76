//! `hooknorm verify`: is a captured request authentic? Each provider's own scheme
//! (docs/security.md), checked against the receiver's secret in constant time.
//!
//! A signature covers the body's bytes as they were received, so the body is never
//! re-serialized: it is the input file as it stands, or the `body` of a captured
//! request when that is a JSON string holding the raw text. Token schemes (a
//! secret echoed in the body or a header) do not depend on the bytes.

use crate::convert::{detect_provider, header_pairs, name_given_twice, request_body};
use crate::error::{ConvertError, ErrorKind};
use crate::model::Provider;
use crate::raw::Doc;
use hmac::{Hmac, Mac};
use serde_json::Value;
use serde_json::value::RawValue;
use subtle::ConstantTimeEq;

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
    /// Accept Cakto's legacy scheme, the secret echoed in the body, when the
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

/// The request under examination.
struct Request {
    headers: Vec<(String, String)>,
    query: Vec<(String, String)>,
    /// The body's bytes as received, when known.
    raw: Option<Vec<u8>>,
    body: Value,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    fn body_text(&self, key: &str) -> Option<&str> {
        self.body.get(key).and_then(Value::as_str)
    }

    /// The raw bytes, or why a signature over them cannot be checked.
    fn raw(&self) -> Result<&[u8], ConvertError> {
        self.raw.as_deref().ok_or_else(|| {
            ConvertError::new(
                ErrorKind::WrongType,
                "/body",
                "the body as received (a file holding it, or a captured request whose `body` is a JSON string of the raw text): a signature covers the exact bytes, and this body was re-serialized into an object",
            )
        })
    }
}

/// Checks the authenticity of `input` (a raw body as received, or a captured
/// request) with `secret`.
pub fn verify(input: &[u8], secret: &[u8], options: &Options) -> Result<Verdict, ConvertError> {
    let (request, provider) = request(input, options)?;
    let verdict = |authentic: bool, scheme: &'static str, detail: String| Verdict {
        authentic,
        provider,
        scheme,
        detail,
    };
    match provider {
        Provider::Kiwify => {
            kiwify(&request, secret).map(|(ok, scheme, detail)| verdict(ok, scheme, detail))
        }
        Provider::Cakto => {
            cakto(&request, secret, options).map(|(ok, scheme, detail)| verdict(ok, scheme, detail))
        }
        Provider::Hotmart => {
            let (token, scheme) = match request.header("x-hotmart-hottok") {
                Some(token) => (Some(token), "hottok token (X-HOTMART-HOTTOK header)"),
                None => (request.body_text("hottok"), "hottok token (in the body)"),
            };
            let token = token.ok_or_else(|| {
                ConvertError::missing(
                    "",
                    "a hottok: the X-HOTMART-HOTTOK header (or `hottok` in older bodies)",
                )
            })?;
            Ok(verdict(
                equal(token.as_bytes(), secret),
                scheme,
                token_detail(token, secret),
            ))
        }
        Provider::Opabox => {
            let key = request.header("x-api-key").ok_or_else(|| {
                ConvertError::missing(
                    "",
                    "the x-api-key header (give it with --header or a captured request)",
                )
            })?;
            Ok(verdict(
                equal(key.as_bytes(), secret),
                "API key (x-api-key header)",
                token_detail(key, secret),
            ))
        }
        Provider::Troquecommerce => Err(ConvertError::new(
            ErrorKind::UnsupportedEvent,
            "",
            "Troquecommerce offers no way to authenticate its webhooks (no signature, no token); restrict the receiver by other means",
        )),
    }
}

type Checked = (bool, &'static str, String);

/// Kiwify: `?signature=<hex>` = HMAC-SHA1 of the raw body, keyed with the webhook token.
fn kiwify(request: &Request, secret: &[u8]) -> Result<Checked, ConvertError> {
    if request.body.get("order").is_some() && request.body.get("signature").is_some() {
        return Err(ConvertError::new(
            ErrorKind::UnsupportedEvent,
            "/signature",
            "a body as Kiwify sends it: the {order, signature, url} wrapper comes from a forwarding layer, and what its signature covers is not documented",
        ));
    }
    let (signature, scheme) = match (
        request.query("signature"),
        request.header("x-kiwify-signature"),
    ) {
        (Some(signature), _) => (
            signature,
            "HMAC-SHA1 of the body (signature query parameter)",
        ),
        (None, Some(signature)) => (
            signature,
            "HMAC-SHA1 of the body (X-Kiwify-Signature header)",
        ),
        (None, None) => {
            return Err(ConvertError::missing(
                "",
                "the signature Kiwify appends to the URL: a captured request's `query.signature`, or --query 'signature=<hex>'",
            ));
        }
    };
    let raw = request.raw()?;
    let authentic = hmac_matches::<Hmac<sha1::Sha1>>(secret, &[raw], signature);
    Ok((authentic, scheme, signature_detail(authentic)))
}

/// Cakto: `X-Cakto-Signature: v1=<hex>` = HMAC-SHA256 of `"{timestamp}.{raw body}"`
/// with `X-Cakto-Timestamp`, when those headers are present; otherwise the
/// `secret` the body echoes.
fn cakto(request: &Request, secret: &[u8], options: &Options) -> Result<Checked, ConvertError> {
    if let Some(header) = request.header("x-cakto-signature") {
        let signature = header.strip_prefix("v1=").unwrap_or(header);
        let timestamp = request.header("x-cakto-timestamp").ok_or_else(|| {
            ConvertError::missing(
                "",
                "the X-Cakto-Timestamp header that X-Cakto-Signature signs",
            )
        })?;
        let seconds: i64 = timestamp.parse().map_err(|_| {
            ConvertError::invalid("", "X-Cakto-Timestamp in epoch seconds", timestamp)
        })?;
        let raw = request.raw()?;
        let scheme = "HMAC-SHA256 of timestamp.body (X-Cakto-Signature)";
        if !hmac_matches::<Hmac<sha2::Sha256>>(
            secret,
            &[timestamp.as_bytes(), b".", raw],
            signature,
        ) {
            return Ok((false, scheme, signature_detail(false)));
        }
        let age = options.now.saturating_sub(seconds);
        if age.unsigned_abs() > options.tolerance {
            let when = if age >= 0 { "old" } else { "in the future" };
            return Ok((
                false,
                scheme,
                format!(
                    "the signature matches, but its timestamp is {} s {when}, beyond the tolerance of {} s: a replay?",
                    age.unsigned_abs(),
                    options.tolerance
                ),
            ));
        }
        return Ok((
            true,
            scheme,
            format!("signature matches; timestamp {age} s old"),
        ));
    }
    let echoed = request.body_text("secret").ok_or_else(|| {
        ConvertError::missing(
            "/secret",
            "the secret Cakto echoes in the body, or the X-Cakto-Signature header",
        )
    })?;
    let scheme = "secret echoed in the body (weak: no replay protection)";
    if !options.allow_echoed_secret {
        return Ok((
            false,
            scheme,
            "the request has no X-Cakto-Signature, and the echoed secret alone proves nothing against a replay \
             (nor against a signed request whose headers were removed): accept it with --allow-echoed-secret"
                .to_owned(),
        ));
    }
    Ok((
        equal(echoed.as_bytes(), secret),
        scheme,
        token_detail(echoed, secret),
    ))
}

fn hmac_matches<M: Mac + hmac::digest::KeyInit>(
    secret: &[u8],
    parts: &[&[u8]],
    signature_hex: &str,
) -> bool {
    let Some(expected) = decode_hex(signature_hex) else {
        return false;
    };
    let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(secret) else {
        return false;
    };
    for part in parts {
        mac.update(part);
    }
    // `verify_slice` compares in constant time.
    mac.verify_slice(&expected).is_ok()
}

/// Strict hex: digits and `a`–`f` only (`from_str_radix` alone takes a `+` sign,
/// which made `+a…` a second spelling of `0a…`).
fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Constant-time comparison (the length alone may show).
fn equal(given: &[u8], secret: &[u8]) -> bool {
    given.ct_eq(secret).into()
}

fn signature_detail(authentic: bool) -> String {
    if authentic {
        "signature matches".to_owned()
    } else {
        "signature does not match: wrong secret, or the body was changed (even re-indented) after it was signed".to_owned()
    }
}

fn token_detail(token: &str, secret: &[u8]) -> String {
    if equal(token.as_bytes(), secret) {
        "token matches".to_owned()
    } else {
        // The token itself is never shown.
        format!(
            "token does not match (the request's is {} bytes long)",
            token.len()
        )
    }
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
    for (given, what) in [(&options.headers, "--header"), (&options.query, "--query")] {
        for (index, (name, _)) in given.iter().enumerate() {
            if given[..index]
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
    }
    let text = crate::input::decode(input)?;
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
            let is_text = raw_body.get().starts_with('"');
            let body = request_body(doc, raw_body, &mut scratch)?;
            let doc = doc.with_decoded(body, raw_body.get());
            (
                doc,
                body,
                "/body",
                is_text.then(|| body.as_bytes().to_vec()),
            )
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
        assert_eq!(verdict.provider, Provider::Kiwify);
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
        assert!(verdict.authentic && verdict.provider == Provider::Opabox);
    }

    #[test]
    fn hex_signatures_must_be_hex() {
        assert_eq!(decode_hex("0aff"), Some(vec![0x0a, 0xff]));
        // `from_str_radix` takes a sign: `+a` was a second spelling of `0a`.
        assert_eq!(decode_hex("+aff"), None);
        assert_eq!(decode_hex("-aff"), None);
        assert_eq!(decode_hex("0af"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é0"), None);
    }
}
