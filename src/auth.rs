//! What a provider's verify scheme works with: the request as received, what
//! the receiver allows, and constant-time primitives. The schemes themselves
//! live in each provider's file; `verify` reads the request and picks one.

use crate::error::{ConvertError, ErrorKind};
use hmac::Mac;
use serde_json::Value;
use subtle::ConstantTimeEq;

/// The request under examination.
pub struct Request {
    pub headers: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    /// The body's bytes as received, when known.
    pub raw: Option<Vec<u8>>,
    pub body: Value,
}

impl Request {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim())
    }

    pub fn body_text(&self, key: &str) -> Option<&str> {
        self.body.get(key).and_then(Value::as_str)
    }

    /// The raw bytes, or why a signature over them cannot be checked.
    pub fn raw(&self) -> Result<&[u8], ConvertError> {
        self.raw.as_deref().ok_or_else(|| {
            ConvertError::new(
                ErrorKind::WrongType,
                "/body",
                "the body as received (a file holding it, or a captured request whose `body` is a JSON string of the raw text): a signature covers the exact bytes, and this body was re-serialized into an object",
            )
        })
    }
}

/// What the receiver allows, besides its secret.
#[derive(Debug, Clone, Copy, Default)]
pub struct Policy {
    /// Largest accepted age (or advance) of a signed timestamp, in seconds.
    pub tolerance: u64,
    /// Unix time to judge timestamps against.
    pub now: i64,
    /// Accept a scheme without replay protection (a secret echoed in the body)
    /// when the request carries no signature.
    pub allow_echoed_secret: bool,
}

/// A scheme's answer: authentic or not, by which scheme, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub authentic: bool,
    /// The scheme checked: "HMAC-SHA1 of the body (query signature)", …
    pub scheme: &'static str,
    /// Why it failed, or what else was checked.
    pub detail: String,
}

impl Checked {
    pub fn new(authentic: bool, scheme: &'static str, detail: String) -> Checked {
        Checked {
            authentic,
            scheme,
            detail,
        }
    }

    /// A token compared with the secret (the token itself is never shown).
    pub fn token(token: &str, secret: &[u8], scheme: &'static str) -> Checked {
        Checked::new(
            equal(token.as_bytes(), secret),
            scheme,
            token_detail(token, secret),
        )
    }
}

/// A credential the provider echoes in the body (the first of `fields` present):
/// weak — anyone who saw one delivery can replay or forge another — so judged
/// only behind `--allow-echoed-secret`.
pub fn echoed_in_body(
    request: &Request,
    fields: &[&str],
    secret: &[u8],
    policy: &Policy,
    scheme: &'static str,
) -> Result<Checked, ConvertError> {
    let token = fields
        .iter()
        .find_map(|field| request.body_text(field))
        .ok_or_else(|| {
            let first = fields.first().copied().unwrap_or_default();
            ConvertError::missing(
                format!("/{first}"),
                "the token the provider echoes in the body",
            )
        })?;
    if !policy.allow_echoed_secret {
        return Ok(Checked::new(
            false,
            scheme,
            "a token echoed in the body proves nothing against a replay, nor against anyone who saw one \
             delivery: accept it with --allow-echoed-secret"
                .to_owned(),
        ));
    }
    Ok(Checked::token(token, secret, scheme))
}

/// For a provider that offers no way to authenticate its webhooks.
pub fn no_scheme(why: &'static str) -> Result<Checked, ConvertError> {
    Err(ConvertError::new(ErrorKind::UnsupportedEvent, "", why))
}

pub fn hmac_matches<M: Mac + hmac::digest::KeyInit>(
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
pub fn equal(given: &[u8], secret: &[u8]) -> bool {
    given.ct_eq(secret).into()
}

pub fn signature_detail(authentic: bool) -> String {
    if authentic {
        "signature matches".to_owned()
    } else {
        "signature does not match: wrong secret, or the body was changed (even re-indented) after it was signed".to_owned()
    }
}

pub fn token_detail(token: &str, secret: &[u8]) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_strict() {
        assert_eq!(decode_hex("0aff"), Some(vec![0x0a, 0xff]));
        assert_eq!(decode_hex("+aff"), None);
        assert_eq!(decode_hex("-aff"), None);
        assert_eq!(decode_hex("0af"), None);
        assert_eq!(decode_hex("zz"), None);
        assert_eq!(decode_hex("é0"), None);
    }
}
