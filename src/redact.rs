//! `--redact`: the personal data of an event (names, e-mails, documents,
//! phones, street addresses, IPs) replaced by placeholders, so that support staff
//! can share an event.
//!
//! A placeholder is a keyed hash (HMAC-SHA256) of the value: the same value gives
//! the same placeholder, so one customer stays recognisable across the events of
//! a run, yet nobody can go back from it to the value. A CPF has only 10^9
//! candidates: an unkeyed hash of it would be undone by trying them all. The key
//! comes from `HOOKNORM_REDACT_KEY` (placeholders then agree across runs and
//! machines that share it) or is drawn at random for each run.
//!
//! Placeholders keep the shape the schemas ask for (digits stay digits, a phone
//! stays E.164, an e-mail an address, an IP an address of a documentation range),
//! so a redacted event still validates.

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::Sha256;
use std::sync::OnceLock;

/// The variable that holds the key, for placeholders stable across runs.
pub const KEY_VARIABLE: &str = "HOOKNORM_REDACT_KEY";

/// How one kind of value is replaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// A person's name: `Redacted 3f2a9c1b`.
    Name,
    /// `redacted-3f2a9c1b@example.invalid`.
    Email,
    /// Every digit replaced, everything else kept (documents, postal codes).
    Digits,
    /// Digits replaced after the first `keep` characters (`+55` and the area code).
    DigitsAfter(usize),
    /// Free text: `redacted 3f2a9c1b`.
    Text,
    /// A value inside a URL: `redacted-3f2a9c1b` (no space to escape).
    Token,
    /// An IPv4 address of 198.51.100.0/24 (RFC 5737), or IPv6 of 2001:db8::/32.
    Ip,
}

/// Personal data of the normalized payload, by path below the payload (`*`: any
/// array item).
const FIELDS: &[(&[&str], Shape)] = &[
    (&["customer", "name"], Shape::Name),
    (&["customer", "email"], Shape::Email),
    (&["customer", "document"], Shape::Digits),
    (
        &["customer", "phone_numbers", "*", "raw_number"],
        Shape::Digits,
    ),
    (
        &["customer", "phone_numbers", "*", "formatted_phone"],
        Shape::DigitsAfter(5),
    ),
    (&["lead_tracking", "ip"], Shape::Ip),
];

/// Address parts that point to a home, under either address block.
const ADDRESS_BLOCKS: &[&[&str]] = &[&["customer", "address"], &["shipping", "delivery_address"]];
const ADDRESS_FIELDS: &[(&str, Shape)] = &[
    ("street", Shape::Text),
    ("number", Shape::Digits),
    ("complement", Shape::Text),
    ("neighborhood", Shape::Text),
    ("postal_code", Shape::Digits),
];

pub struct Redactor {
    key: [u8; 32],
}

impl Redactor {
    /// The key of `HOOKNORM_REDACT_KEY`, or a random one for this run.
    pub fn from_env() -> Redactor {
        match std::env::var(KEY_VARIABLE) {
            Ok(secret) if !secret.is_empty() => Redactor::with_key(secret.as_bytes()),
            _ => Redactor::random(),
        }
    }

    pub fn with_key(secret: &[u8]) -> Redactor {
        let mut mac = new_mac(b"hooknorm redact key");
        mac.update(secret);
        Redactor {
            key: mac.finalize().into_bytes().into(),
        }
    }

    /// A key drawn at random, for placeholders that only need to agree within a run.
    pub fn random() -> Redactor {
        use std::hash::{BuildHasher, Hasher};
        // `RandomState` is seeded by the operating system's random source.
        let mut key = [0u8; 32];
        for (index, chunk) in key.chunks_mut(8).enumerate() {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_usize(index);
            chunk.copy_from_slice(&hasher.finish().to_le_bytes());
        }
        Redactor { key }
    }

    /// Redacts a normalized event (`{event, provider, idempotency_key, payload}`)
    /// or a bare payload, in place.
    pub fn redact(&self, document: &mut Value) {
        let payload = match document.get_mut("payload") {
            Some(payload) => payload,
            None => document,
        };
        // What identifies this person, found where the format keeps it: the same
        // values are then looked for everywhere else (a product named after the
        // buyer, an e-mail in a UTM parameter).
        let mut personal = Vec::new();
        for (path, shape) in FIELDS {
            self.at(payload, path, *shape, &mut personal);
        }
        for block in ADDRESS_BLOCKS {
            for (field, shape) in ADDRESS_FIELDS {
                let path: Vec<&str> = block.iter().copied().chain([*field]).collect();
                self.at(payload, &path, *shape, &mut personal);
            }
        }
        personal.extend(written_otherwise(&personal));
        // Longest first, so that a name inside an e-mail is not replaced first.
        personal.sort_by_key(|(value, _): &(String, String)| std::cmp::Reverse(value.len()));
        personal.dedup();
        self.scrub_within(payload, &personal, &mut Vec::new());
    }

    /// Replaces the id of an event's `idempotency_key` (`<provider>:<event>:<id>`)
    /// with a keyed hash of the whole key, 16 hex digits as before: used where
    /// the id is an unkeyed hash of the buyer's e-mail, which a guessed e-mail
    /// would confirm offline. The same event still gets the same key under one
    /// redaction key.
    pub fn key_idempotency_key(&self, event: &mut Value) {
        let Some(Value::String(key)) = event.get_mut("idempotency_key") else {
            return;
        };
        let digest = self.digest(key);
        let hex: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();
        let prefix = key.rsplit_once(':').map_or("", |(prefix, _)| prefix);
        *key = format!("{prefix}:{hex}");
    }

    /// Every other string of the payload: the person's own values wherever they
    /// appear, and by pattern e-mails, CPF/CNPJ and phone numbers, IP addresses
    /// and URL query values. Identifiers, enums and amounts are left alone.
    fn scrub_within(
        &self,
        value: &mut Value,
        personal: &[(String, String)],
        path: &mut Vec<String>,
    ) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    if !LEFT_ALONE.contains(&key.as_str()) {
                        path.push(key.clone());
                        self.scrub_within(inner, personal, path);
                        path.pop();
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    path.push("*".to_owned());
                    self.scrub_within(item, personal, path);
                    path.pop();
                }
            }
            // The fields redacted by name already hold their placeholder.
            Value::String(text) if !is_redacted_field(path) => {
                if let Some(scrubbed) = self.scrub(text, personal) {
                    *text = scrubbed;
                }
            }
            _ => {}
        }
    }

    fn scrub(&self, text: &str, personal: &[(String, String)]) -> Option<String> {
        let mut out = text.to_owned();
        if let Some((head, query)) = out.split_once('?').filter(|(head, _)| head.contains("://")) {
            let query: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, value)) if !value.is_empty() && !value.starts_with("redacted") => {
                        format!("{name}={}", self.placeholder(value, Shape::Token))
                    }
                    _ => pair.to_owned(),
                })
                .collect();
            out = format!("{head}?{}", query.join("&"));
        }
        // In another case too (`MENTORIA JOÃO SILVA`): the text is lowered once,
        // and again only after a replacement.
        let mut lowered = out.to_lowercase();
        for (value, placeholder) in personal {
            if out.contains(value.as_str()) {
                out = out.replace(value.as_str(), placeholder);
                lowered = out.to_lowercase();
            }
            if lowered.contains(&value.to_lowercase())
                && let Some(replaced) = replace_any_case(&out, value, placeholder)
            {
                out = replaced;
                lowered = out.to_lowercase();
            }
        }
        out = self.replace_encoded_emails(&out);
        out = self.replace_words(&out, |word| {
            if looks_like_email(word) {
                Some(Shape::Email)
            } else if looks_like_ip(word) {
                Some(Shape::Ip)
            } else {
                None
            }
        });
        out = self.replace_ips_within(&out);
        out = self.replace_digit_runs(&out);
        (out != text).then_some(out)
    }

    /// E-mail addresses percent-encoded (`maria%40example.com`) in a URL's path,
    /// a query or a UTM value: replaced by the encoded placeholder of the address.
    fn replace_encoded_emails(&self, text: &str) -> String {
        if !text.contains("%40") {
            return text.to_owned();
        }
        let separator = |c: char| c.is_whitespace() || "/?&=#,;".contains(c);
        let mut out = String::with_capacity(text.len());
        for piece in text.split_inclusive(separator) {
            let token = piece.trim_end_matches(separator);
            let email = match token.contains("%40") {
                true => crate::form::decode(token).filter(|decoded| looks_like_email(decoded)),
                false => None,
            };
            match email {
                Some(email) => {
                    let placeholder = self.placeholder(&email, Shape::Email);
                    out.push_str(&crate::form::encode(&placeholder));
                    out.push_str(piece.get(token.len()..).unwrap_or_default());
                }
                None => out.push_str(piece),
            }
        }
        out
    }

    /// IP addresses inside a word, after a prefix or before a port
    /// (`ip-203.0.113.9`, `203.0.113.9:443`, `[2001:4860::8888]:80`).
    fn replace_ips_within(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for (start, end) in ip_spans(text) {
            out.push_str(text.get(copied..start).unwrap_or_default());
            let ip = text.get(start..end).unwrap_or_default();
            out.push_str(&self.placeholder(ip, Shape::Ip));
            copied = end;
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        out
    }

    /// Replaces the whitespace-separated words `shape_of` recognises.
    fn replace_words(&self, text: &str, shape_of: impl Fn(&str) -> Option<Shape>) -> String {
        let mut out = String::with_capacity(text.len());
        for piece in
            text.split_inclusive(|c: char| c.is_whitespace() || c == '&' || c == '=' || c == ',')
        {
            let end = piece
                .trim_end_matches(|c: char| c.is_whitespace() || c == '&' || c == '=' || c == ',');
            let word = end.trim_matches(|c: char| {
                matches!(c, '(' | ')' | '<' | '>' | '"' | '\'' | ';' | '.')
            });
            match shape_of(word) {
                Some(shape) => {
                    out.push_str(&piece.replacen(word, &self.placeholder(word, shape), 1));
                }
                None => out.push_str(piece),
            }
        }
        out
    }

    /// Runs of 10 to 14 digits (with the punctuation documents and phones are
    /// written with: `123.456.789-09`, `(11) 99999-8888`, `+55 11 …`) that stand
    /// alone — not part of a word such as `HP1601547928` — are a CPF, a CNPJ or a
    /// phone number: their digits are replaced.
    fn replace_digit_runs(&self, text: &str) -> String {
        let bytes = text.as_bytes();
        let mut out = String::with_capacity(text.len());
        let mut index = 0;
        let mut copied = 0;
        while index < bytes.len() {
            let starts =
                (bytes[index].is_ascii_digit() || bytes[index] == b'+' || bytes[index] == b'(')
                    && (index == 0 || !bytes[index - 1].is_ascii_alphanumeric());
            if !starts {
                index += 1;
                continue;
            }
            // The run, and where its last digit ends: trailing separators
            // belong to the sentence, not the number.
            let (mut run_end, mut end) = (index, index);
            let mut digits = 0;
            while run_end < bytes.len()
                && (bytes[run_end].is_ascii_digit() || b".-/() +".contains(&bytes[run_end]))
            {
                if bytes[run_end].is_ascii_digit() {
                    digits += 1;
                    end = run_end + 1;
                }
                run_end += 1;
            }
            let alone = end == bytes.len() || !bytes[end].is_ascii_alphanumeric();
            // An IP address (already given its placeholder) is no document.
            let address = text[index..end].parse::<std::net::IpAddr>().is_ok();
            if alone && !address {
                for (start, stop) in numbers_in(&text[index..end], digits) {
                    out.push_str(&text[copied..index + start]);
                    let number = &text[index + start..index + stop];
                    out.push_str(&replace_digits(number, 0, &self.digest(number)));
                    copied = index + stop;
                }
            }
            // Any start inside the run would scan to the same end and find no
            // digit after `end`: the next start is past the run, so that each
            // byte is looked at once (`(+(+…` was quadratic).
            index = run_end.max(index + 1);
        }
        out.push_str(&text[copied..]);
        out
    }

    /// Redacts the field at `path`, recording (value, placeholder) in `personal`.
    fn at(
        &self,
        value: &mut Value,
        path: &[&str],
        shape: Shape,
        personal: &mut Vec<(String, String)>,
    ) {
        let Some((first, rest)) = path.split_first() else {
            if let Value::String(text) = value
                && !text.is_empty()
            {
                let placeholder = self.placeholder(text, shape);
                // Short values ("12", "SP") would be found inside unrelated text.
                if text.chars().count() >= 4 {
                    personal.push((text.clone(), placeholder.clone()));
                }
                *text = placeholder;
            }
            return;
        };
        match (value, *first) {
            (Value::Array(items), "*") => {
                for item in items {
                    self.at(item, rest, shape, personal);
                }
            }
            (Value::Object(map), key) => {
                if let Some(inner) = map.get_mut(key) {
                    self.at(inner, rest, shape, personal);
                }
            }
            _ => {}
        }
    }

    fn digest(&self, value: &str) -> [u8; 32] {
        let mut mac = new_mac(&self.key);
        mac.update(value.as_bytes());
        mac.finalize().into_bytes().into()
    }

    fn placeholder(&self, value: &str, shape: Shape) -> String {
        let digest = self.digest(value);
        let tag = tag(&digest);
        match shape {
            Shape::Name => format!("Redacted {tag}"),
            Shape::Email => format!("redacted-{tag}@example.invalid"),
            Shape::Text => format!("redacted {tag}"),
            Shape::Token => format!("redacted-{tag}"),
            Shape::Digits => replace_digits(value, 0, &digest),
            Shape::DigitsAfter(keep) => replace_digits(value, keep, &digest),
            Shape::Ip if value.contains(':') => {
                format!("2001:db8::{:x}", u16::from_be_bytes([digest[0], digest[1]]))
            }
            Shape::Ip => format!("198.51.100.{}", digest[0]),
        }
    }
}

/// Fields of the payload that hold no personal data and must keep their value:
/// identifiers, enums, amounts' currency, card brand and last digits.
const LEFT_ALONE: &[&str] = &[
    "id",
    "status",
    "raw_status",
    "type",
    "offer_type",
    "currency",
    "brand",
    "last_digits",
    "expiration_month",
    "expiration_year",
    "pix_key_type",
    "area_code",
    "international_dialing_code",
    "country",
    "state",
];

/// Whether `path` (below the payload, `*` for array items) is a field that
/// `FIELDS` or `ADDRESS_FIELDS` redacts.
fn is_redacted_field(path: &[String]) -> bool {
    let path: Vec<&str> = path.iter().map(String::as_str).collect();
    FIELDS.iter().any(|(fields, _)| *fields == path.as_slice())
        || ADDRESS_BLOCKS.iter().any(|block| {
            path.len() == block.len() + 1
                && path.starts_with(block)
                && ADDRESS_FIELDS
                    .iter()
                    .any(|(field, _)| path.last() == Some(field))
        })
}

/// Where IP addresses stand in `text`: runs of digits and dots (IPv4) or of hex
/// digits and colons (IPv6) that parse as one, not glued to a letter or digit
/// before (`v1.2.3.4` is a version) and not running on into another number.
/// The documentation ranges of placeholders are left alone.
fn ip_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let v4 = |b: u8| b.is_ascii_digit() || b == b'.';
    let v6 = |b: u8| b.is_ascii_hexdigit() || b == b':';
    let mut spans = Vec::new();
    let mut index = 0;
    while index < bytes.len() {
        let before = index.checked_sub(1).and_then(|at| bytes.get(at)).copied();
        let glued = before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b':');
        let Some(&first) = bytes.get(index) else {
            break;
        };
        if glued || !v6(first) {
            index += 1;
            continue;
        }
        let run = |accepts: &dyn Fn(u8) -> bool| {
            let length = bytes
                .get(index..)
                .unwrap_or_default()
                .iter()
                .take_while(|&&b| accepts(b))
                .count();
            let trimmed = text
                .get(index..index + length)
                .unwrap_or_default()
                .trim_end_matches(['.', ':']);
            index + trimmed.len()
        };
        let (end4, end6) = (run(&v4), run(&v6));
        let found = [(end6, true), (end4, false)]
            .into_iter()
            .find(|&(end, six)| {
                let candidate = text.get(index..end).unwrap_or_default();
                let after = bytes.get(end).copied();
                let runs_on =
                    after.is_some_and(|b| b.is_ascii_alphanumeric() && (six || b.is_ascii_digit()));
                !runs_on && (six == candidate.contains(':')) && looks_like_ip(candidate)
            });
        match found {
            Some((end, _)) => {
                spans.push((index, end));
                index = end;
            }
            None => index = end6.max(index + 1),
        }
    }
    spans
}

/// `text` with `value` replaced in any case (`JOÃO SILVA` for `João Silva`),
/// or `None` when it is not there. Linear: the text is lowered once, each
/// lowered byte remembering where its character starts in `text`.
fn replace_any_case(text: &str, value: &str, placeholder: &str) -> Option<String> {
    let needle = value.to_lowercase();
    if needle.is_empty() {
        return None;
    }
    let mut lowered = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        for lower in c.to_lowercase() {
            lowered.push(lower);
            origin.resize(lowered.len(), at);
        }
    }
    origin.push(text.len());
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    for (start, _) in lowered.match_indices(&needle) {
        let from = origin.get(start).copied().unwrap_or(text.len());
        let to = origin
            .get(start + needle.len())
            .copied()
            .unwrap_or(text.len());
        if from < copied || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
            continue;
        }
        out.push_str(text.get(copied..from).unwrap_or_default());
        out.push_str(placeholder);
        copied = to;
    }
    (copied > 0).then(|| {
        out.push_str(text.get(copied..).unwrap_or_default());
        out
    })
}

/// The person's values as they are also written: percent-encoded in a URL or
/// a UTM value (`joao%40example.com`, `Jo%C3%A3o+Silva`), and a Brazilian
/// phone without its `+55` and DDD (`99999-8888`, `999998888`, `99999 8888`).
fn written_otherwise(personal: &[(String, String)]) -> Vec<(String, String)> {
    let mut more = Vec::new();
    for (value, placeholder) in personal {
        let encoded = crate::form::encode(value);
        if encoded != *value {
            let placeholder = crate::form::encode(placeholder);
            if encoded.contains('+') {
                more.push((encoded.replace('+', "%20"), placeholder.replace('+', "%20")));
            }
            more.push((encoded, placeholder));
        }
        if let (Some(local), Some(replaced)) = (local_number(value), local_number(placeholder)) {
            let split = |number: &str, by: &str| {
                let cut = number.len().saturating_sub(4);
                let (head, tail) = number.split_at_checked(cut).unwrap_or((number, ""));
                format!("{head}{by}{tail}")
            };
            more.push((split(local, "-"), split(replaced, "-")));
            more.push((split(local, " "), split(replaced, " ")));
            more.push((local.to_owned(), replaced.to_owned()));
        }
    }
    more
}

/// The number of a Brazilian E.164 phone after `+55` and the DDD (8 or 9 digits).
fn local_number(phone: &str) -> Option<&str> {
    let national = phone.strip_prefix("+55")?;
    let local = national.get(2..)?;
    let digits = national.bytes().all(|b| b.is_ascii_digit());
    (digits && (8..=9).contains(&local.len())).then_some(local)
}

fn looks_like_email(word: &str) -> bool {
    let Some((local, domain)) = word.split_once('@') else {
        return false;
    };
    !local.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
}

fn looks_like_ip(word: &str) -> bool {
    word.parse::<std::net::IpAddr>().is_ok()
        && !word.starts_with("198.51.100.")
        && !word.starts_with("2001:db8:")
}

/// Keys whose values are credentials, wherever they appear in a raw document
/// (body, captured request headers or query), compared without regard to case;
/// each provider's own secret headers are added from the registry.
const SECRET_KEYS: &[&str] = &["secret", "signature", "token", "x-api-key", "authorization"];

fn is_secret_key(key: &str) -> bool {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        SECRET_KEYS
            .iter()
            .copied()
            .chain(crate::providers::secret_headers())
            .collect()
    });
    names.iter().any(|secret| key.eq_ignore_ascii_case(secret))
}

/// A provider's body field that holds a credential as text (`hottok`,
/// `chave_unica`): masked when it holds text or a number (a field of the same
/// name holding an object is some other provider's data).
fn is_secret_field(key: &str) -> bool {
    static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| crate::providers::secret_fields().collect());
    names.iter().any(|secret| key.eq_ignore_ascii_case(secret))
}

impl Redactor {
    /// Masks the credentials and full card numbers of a document compared as it
    /// is (`diff --raw`): `[secret 3f2a9c1b]`, equal for equal secrets under one
    /// key, so that a diff still tells whether a secret changed.
    pub fn mask_secrets(&self, value: &mut Value) {
        self.mask_in_place(value, false);
    }

    /// `masked_copy` done in place: copying made a body nested 120 deep with a
    /// credential at the bottom copied once per level.
    fn mask_in_place(&self, value: &mut Value, in_card: bool) {
        match value {
            Value::Object(map) => {
                for (key, inner) in map.iter_mut() {
                    self.mask_entry_in_place(key, inner, in_card);
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.mask_in_place(item, in_card);
                }
            }
            _ => {
                if let Some(masked) = self.masked_copy(value, in_card) {
                    *value = masked;
                }
            }
        }
    }

    /// `masked_entry` done in place: a group under a key that is no credential
    /// is walked, anything else is masked as `masked_entry` says.
    fn mask_entry_in_place(&self, key: &str, value: &mut Value, in_card: bool) {
        if (value.is_object() || value.is_array()) && !is_secret_key(last_step(key)) {
            return self.mask_in_place(value, in_card || names_a_card(key));
        }
        if let Some(masked) = self.masked_entry(key, value, in_card) {
            *value = masked;
        }
    }

    /// What `mask_secrets` would show of one value a diff prints, found at
    /// `pointer` in its document: `None` when it shows as it is. Masking what
    /// is printed, not both documents whole, keeps `diff` of large documents
    /// linear in what changed.
    pub fn mask_shown(&self, pointer: &str, value: &Value) -> Option<Value> {
        let tokens: Vec<_> = crate::error::pointer_tokens(pointer).collect();
        match tokens.split_last() {
            // Under a secret key, a secret of any type is masked whole.
            Some(_)
                if tokens[..tokens.len() - 1]
                    .iter()
                    .any(|parent| is_secret_key(last_step(parent))) =>
            {
                Some(Value::String(match value {
                    Value::String(text) => self.secret_mask(text),
                    _ => self.secret_mask(&value.to_string()),
                }))
            }
            Some((key, parents)) => {
                let in_card = parents.iter().any(|parent| names_a_card(parent));
                self.masked_entry(key, value, in_card)
            }
            None => self.masked_copy(value, false),
        }
    }

    /// The value under `key`, masked, or `None` when it holds nothing to mask.
    fn masked_entry(&self, key: &str, value: &Value, in_card: bool) -> Option<Value> {
        // A key written as a form name (`producer[api_key]`) by its last step.
        let name = last_step(key);
        let is_secret = is_secret_key(name)
            || (is_secret_field(name) && !value.is_object() && !value.is_array());
        match value {
            Value::String(text) if is_secret => Some(Value::String(self.secret_mask(text))),
            // A secret of any other type (a number, an object) is masked whole.
            _ if is_secret && !value.is_null() => {
                Some(Value::String(self.secret_mask(&value.to_string())))
            }
            _ => self.masked_copy(value, in_card || names_a_card(key)),
        }
    }

    /// `value` with its credentials and card numbers masked, or `None` when it
    /// holds none (nothing is copied then).
    ///
    /// `in_card`: under a key that names a card, where a Luhn-valid run of digits
    /// is a card number. Elsewhere it is not taken for one: one phone number in ten
    /// passes the Luhn check too, and masking it would corrupt the diff.
    fn masked_copy(&self, value: &Value, in_card: bool) -> Option<Value> {
        match value {
            Value::Object(map) => {
                let mut copy: Option<serde_json::Map<String, Value>> = None;
                for (key, inner) in map {
                    if let Some(masked) = self.masked_entry(key, inner, in_card)
                        && let Some(slot) = copy.get_or_insert_with(|| map.clone()).get_mut(key)
                    {
                        *slot = masked;
                    }
                }
                copy.map(Value::Object)
            }
            Value::Array(items) => {
                let mut copy: Option<Vec<Value>> = None;
                for (index, item) in items.iter().enumerate() {
                    if let Some(masked) = self.masked_copy(item, in_card)
                        && let Some(slot) = copy.get_or_insert_with(|| items.clone()).get_mut(index)
                    {
                        *slot = masked;
                    }
                }
                copy.map(Value::Array)
            }
            Value::String(text) if in_card && is_card_number(text) => {
                Some(Value::String(card_mask(text)))
            }
            Value::Number(number) if in_card && is_card_number(&number.to_string()) => {
                Some(Value::String(card_mask(&number.to_string())))
            }
            Value::String(text) => self.mask_in_text(text, in_card).map(Value::String),
            _ => None,
        }
    }

    /// Credentials inside a string: JSON held as text (a captured request's raw
    /// body, a body encoded twice) is masked as JSON, and a URL's query values
    /// under credential names (`?signature=…&token=…`) are masked in place.
    fn mask_in_text(&self, text: &str, in_card: bool) -> Option<String> {
        let trimmed = text.trim_start();
        if trimmed.starts_with('{') || trimmed.starts_with('[') || trimmed.starts_with('"') {
            let inner: Value = serde_json::from_str(text).ok()?;
            if !inner.is_string()
                || inner
                    .as_str()
                    .is_some_and(|s| s.trim_start().starts_with('{'))
            {
                return self
                    .masked_copy(&inner, in_card)
                    .map(|masked| masked.to_string());
            }
            return None;
        }
        if let Some(masked) = self.mask_header_lines(text) {
            return Some(masked);
        }
        // A form-encoded body held as text: every pair is a field.
        let (head, query) = match crate::form::looks_like_form(text) {
            true => ("", text),
            false => text.split_once('?')?,
        };
        let mut changed = false;
        let masked: Vec<String> = query
            .split('&')
            .map(|pair| match self.masked_pair(pair, in_card) {
                Some(masked) => {
                    changed = true;
                    masked
                }
                None => pair.to_owned(),
            })
            .collect();
        let masked = masked.join("&");
        changed.then(|| match head {
            "" => masked,
            head => format!("{head}?{masked}"),
        })
    }

    /// One `name=value` pair of a form or a query, masked: a value under a
    /// credential's name whole, else the credentials inside a value that holds
    /// JSON (a Monetizze `json` copy), written back percent-encoded.
    fn masked_pair(&self, pair: &str, in_card: bool) -> Option<String> {
        let (name, value) = pair.split_once('=')?;
        if names_a_secret(name) {
            return Some(format!("{name}={}", self.secret_mask(value)));
        }
        let decoded = crate::form::decode(value)?;
        let masked = self.mask_in_text(&decoded, in_card)?;
        Some(format!("{name}={}", crate::form::encode(&masked)))
    }

    /// Header lines held as one string (`"x-api-key: …\r\n…"`, a captured
    /// request's headers): the value of a credential's line is masked.
    fn mask_header_lines(&self, text: &str) -> Option<String> {
        let mut changed = false;
        let mut out = String::with_capacity(text.len());
        for line in text.split_inclusive('\n') {
            let body = line.trim_end_matches(['\r', '\n']);
            match body.split_once(':') {
                Some((name, value)) if names_a_secret(name.trim()) && !value.trim().is_empty() => {
                    changed = true;
                    out.push_str(name);
                    out.push_str(": ");
                    out.push_str(&self.secret_mask(value.trim()));
                    out.push_str(line.get(body.len()..).unwrap_or_default());
                }
                _ => out.push_str(line),
            }
        }
        changed.then_some(out)
    }

    fn secret_mask(&self, secret: &str) -> String {
        format!("[secret {}]", tag(&self.digest(secret)))
    }
}

/// Whether a query or form name (`token`, `produto[chave]`, `produto%5Bchave%5D`)
/// names a credential, by its last bracketed step.
fn names_a_secret(name: &str) -> bool {
    let name = name
        .replace("%5B", "[")
        .replace("%5D", "]")
        .replace("%5b", "[")
        .replace("%5d", "]");
    let last = last_step(&name);
    is_secret_key(last) || is_secret_field(last)
}

/// The last step of a name written as a form's (`producer[api_key]` →
/// `api_key`, `trans_items[0][token]` → `token`); any other name as it is.
fn last_step(name: &str) -> &str {
    if !name.ends_with(']') {
        return name;
    }
    match crate::form::steps(name).last() {
        Some(step) if !step.is_empty() => step,
        _ => name,
    }
}

fn card_mask(digits: &str) -> String {
    format!("[card number ending {}]", &digits[digits.len() - 4..])
}

/// Masks every full card number (13–19 digits passing the Luhn check) in a
/// message about a card field: `validate` quotes the value it judges, and a
/// `last_digits` that holds a whole card number must not reach the output.
pub fn mask_card_numbers_in(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        out.push_str(&rest[..start]);
        let run = &rest[start..];
        let end = run.find(|c: char| !c.is_ascii_digit()).unwrap_or(run.len());
        let digits = &run[..end];
        if is_card_number(digits) {
            out.push_str(&card_mask(digits));
        } else {
            out.push_str(digits);
        }
        rest = &run[end..];
    }
    out.push_str(rest);
    out
}

/// A key under which a card number may sit: `card`, `cardNumber`, `credit_card`,
/// `pan`, `cc_number`, and the normalized format's `last_digits`…
pub fn names_a_card(key: &str) -> bool {
    let key = key.as_bytes();
    let starts = |prefix: &[u8]| {
        key.get(..prefix.len())
            .is_some_and(|k| k.eq_ignore_ascii_case(prefix))
    };
    key.windows(4)
        .any(|w| w.first().is_some_and(|c| c | 0x20 == b'c') && w.eq_ignore_ascii_case(b"card"))
        || key.eq_ignore_ascii_case(b"last_digits")
        || key.eq_ignore_ascii_case(b"lastDigits")
        || key.eq_ignore_ascii_case(b"pan")
        || key.eq_ignore_ascii_case(b"cc")
        || starts(b"cc_")
        || starts(b"ccnum")
}

/// 13 to 19 digits that pass the Luhn check: a full payment card number.
fn is_card_number(text: &str) -> bool {
    if !(13..=19).contains(&text.len()) || !text.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = text
        .bytes()
        .rev()
        .enumerate()
        .map(|(index, byte)| {
            let digit = u32::from(byte - b'0');
            if index % 2 == 1 {
                let doubled = digit * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                digit
            }
        })
        .sum();
    sum % 10 == 0
}

/// The short hex tag placeholders carry: the digest's first four bytes.
fn tag(digest: &[u8; 32]) -> String {
    digest[..4].iter().map(|b| format!("{b:02x}")).collect()
}

fn new_mac(key: &[u8]) -> Hmac<Sha256> {
    // HMAC takes keys of any length; this cannot fail.
    match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC accepts any key length"),
    }
}

/// Where a run of digits and punctuation (`digits` of them) holds a CPF, a CNPJ or
/// a phone number: the whole run when it has 10 to 14 digits. A longer run may be
/// numbers side by side, a new one starting at a space before `(` or `+`
/// (`Mentoria 2024 (123.456.789-09)`): each part is judged alone. Numbers only
/// spaced apart stay one run, so that a boleto's digitable line is no document.
fn numbers_in(run: &str, digits: usize) -> Vec<(usize, usize)> {
    const DOCUMENT: std::ops::RangeInclusive<usize> = 10..=14;
    if DOCUMENT.contains(&digits) {
        return vec![(0, run.len())];
    }
    if digits < *DOCUMENT.start() {
        return Vec::new();
    }
    let bytes = run.as_bytes();
    let starts =
        (1..bytes.len()).filter(|&at| bytes[at - 1] == b' ' && matches!(bytes[at], b'(' | b'+'));
    let mut found = Vec::new();
    let mut start = 0;
    for end in starts.chain([run.len()]) {
        let part = run[start..end].trim_end_matches(|c: char| !c.is_ascii_digit());
        let count = part.bytes().filter(u8::is_ascii_digit).count();
        if DOCUMENT.contains(&count) {
            found.push((start, start + part.len()));
        }
        start = end;
    }
    found
}

/// Replaces every ASCII digit after the first `keep` characters with digits drawn
/// from `digest`; everything else (`+`, `-`, spaces) stays where it was.
fn replace_digits(value: &str, keep: usize, digest: &[u8; 32]) -> String {
    let mut draws = digest.iter().cycle().enumerate();
    value
        .chars()
        .enumerate()
        .map(|(index, c)| {
            if index < keep || !c.is_ascii_digit() {
                return c;
            }
            let (round, byte) = draws.next().unwrap_or((0, &0));
            // Each round of the cycle reads the digest's bytes differently.
            let mixed = byte.rotate_left((round / 32) as u32);
            char::from(b'0' + mixed % 10)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event() -> Value {
        json!({"event": "order.paid", "payload": {
            "customer": {"name": "João Silva", "email": "joao@example.com", "document": "12345678909",
                "phone_numbers": [{"raw_number": "11999998888", "formatted_phone": "+5511999998888", "area_code": "11"}],
                "address": {"street": "Rua A", "number": "12", "postal_code": "01000-000", "city": "São Paulo"}},
            "shipping": {"delivery_address": {"street": "Rua B", "complement": "Apto 4", "neighborhood": "Centro"}},
            "lead_tracking": {"ip": "203.0.113.9"}}})
    }

    #[test]
    fn a_document_beside_another_number_is_still_found() {
        let redactor = Redactor::with_key(b"k");
        for (text, kept) in [
            ("Mentoria 2024 (123.456.789-09)", "Mentoria 2024 ("),
            ("Redacted 65048065 (123.456.789-09)", "Redacted 65048065 ("),
            ("pedido 12345 +55 11 98888-7777", "pedido 12345 +"),
            ("ref 12345 (11) 98888-7777", "ref 12345 ("),
        ] {
            let out = redactor.replace_digit_runs(text);
            assert!(out.starts_with(kept), "{text} → {out}");
            for number in ["123.456.789-09", "98888-7777"] {
                assert!(!out.contains(number), "{number} left in {out}");
            }
            assert_eq!(out.len(), text.len(), "{text} → {out}");
        }
        // Shorter runs, numbers of more than 14 digits and numbers only spaced
        // apart (a boleto's digitable line) are no documents.
        for text in [
            "ref 2024 12 31",
            "code 123456789012345678",
            "23791.22928 60005.510098 74000.046909 4 83110000300000",
        ] {
            assert_eq!(redactor.replace_digit_runs(text), text);
        }
    }

    /// The digit-run scan went back over the rest of a run from each of its
    /// starts: 120 KB of `(+` took 10 s, 1 MB did not end in 10 minutes.
    #[test]
    fn a_megabyte_of_number_punctuation_is_redacted_in_linear_time() {
        // Without a digit, and with one digit before the rest of the run.
        let text = format!("{} x (11) 98888-7777", "(+".repeat(500_000));
        let mut event = event();
        event["payload"]["products"] = json!([{"name": text}, {"name": format!("1{text}")}]);
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            Redactor::with_key(b"k").redact(&mut event);
            let _ = sender.send(event);
        });
        // Linear, this takes well under a second even in a debug build.
        let event = receiver
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("redacted within 20 s");
        for product in 0..2 {
            let name = event["payload"]["products"][product]["name"]
                .as_str()
                .unwrap_or_default();
            assert!(name.contains("(+(+ x ("), "{}", name.len());
            assert!(!name.contains("98888-7777"));
        }
    }

    /// What `--redact` left (issue 30): the buyer's name in upper case in a
    /// product name, the buyer's e-mail percent-encoded in a URL path or a UTM
    /// value, IPs with a port or a prefix, the buyer's phone without its DDD.
    fn left_behind(fill: impl Fn(&mut Value)) -> String {
        let mut redacted = event();
        fill(&mut redacted["payload"]);
        Redactor::with_key(b"k").redact(&mut redacted);
        redacted.to_string()
    }

    #[test]
    fn the_buyers_name_in_another_case_is_found() {
        let text = left_behind(|payload| {
            payload["products"] = json!([{"name": "MENTORIA JOÃO SILVA", "id": "p1"}]);
            payload["lead_tracking"]["utm_content"] = json!("joão silva");
        });
        for left in ["JOÃO", "SILVA", "joão", "silva"] {
            assert!(!text.contains(left), "{left} left in {text}");
        }
        assert!(text.contains("MENTORIA Redacted "), "{text}");
    }

    #[test]
    fn the_buyers_email_percent_encoded_is_found() {
        let text = left_behind(|payload| {
            payload["checkout"] = json!({"url": "https://pay.example.com/u/joao%40example.com/c"});
            payload["lead_tracking"]["utm_source"] = json!("joao%40example.com");
            payload["lead_tracking"]["utm_term"] = json!("Jo%C3%A3o+Silva");
        });
        for left in ["joao%40", "%40example.com", "Jo%C3%A3o", "Silva"] {
            assert!(!text.contains(left), "{left} left in {text}");
        }
        assert!(
            text.contains("https://pay.example.com/u/redacted-"),
            "{text}"
        );
    }

    #[test]
    fn any_email_percent_encoded_in_a_path_or_value_is_found() {
        let redactor = Redactor::with_key(b"k");
        let placeholder =
            crate::form::encode(&redactor.placeholder("ana.lima@example.org", Shape::Email));
        for (text, kept) in [
            (
                "https://x.example/a/ana.lima%40example.org/b",
                "https://x.example/a/",
            ),
            ("ana.lima%40example.org", ""),
            ("lead ana.lima%40example.org, 2024", "lead "),
        ] {
            let out = redactor.scrub(text, &[]).unwrap_or_else(|| text.to_owned());
            assert!(!out.contains("ana.lima"), "{text} → {out}");
            assert!(
                out.starts_with(&format!("{kept}{placeholder}")),
                "{text} → {out}"
            );
        }
        assert_eq!(redactor.scrub("100%40 off", &[]), None);
    }

    #[test]
    fn ips_with_a_port_or_a_prefix_are_found() {
        let redactor = Redactor::with_key(b"k");
        for (text, kept) in [
            ("203.0.113.9:443", ":443"),
            ("ip-203.0.113.9", "ip-"),
            ("from 203.0.113.10:8080, then", "from "),
            ("[2001:4860:4860::8888]:80", "]:80"),
            ("host=ip-192.0.2.77.example", "host=ip-"),
        ] {
            let out = redactor.scrub(text, &[]).unwrap_or_else(|| text.to_owned());
            for ip in ["203.0.113.9", "203.0.113.10", "2001:4860", "192.0.2.77"] {
                assert!(!out.contains(ip), "{ip} left in {out}");
            }
            assert!(out.contains(kept), "{text} → {out}");
        }
        // Versions and times are no addresses.
        for text in ["v1.2.3.4", "10:00:00", "release 2.0"] {
            assert_eq!(redactor.scrub(text, &[]), None, "{text}");
        }
    }

    #[test]
    fn the_buyers_phone_without_its_ddd_is_found() {
        let text = left_behind(|payload| {
            payload["products"] =
                json!([{"name": "Ligue 99999-8888 ou 999998888 ou 99999 8888", "id": "p1"}]);
        });
        for left in ["99999-8888", "999998888", "99999 8888"] {
            assert!(!text.contains(left), "{left} left in {text}");
        }
    }

    #[test]
    fn personal_data_is_replaced_and_shapes_are_kept() {
        let mut redacted = event();
        Redactor::with_key(b"k").redact(&mut redacted);
        let text = redacted.to_string();
        for secret in [
            "João",
            "joao@",
            "12345678909",
            "999998888",
            "Rua A",
            "Rua B",
            "Apto 4",
            "Centro",
            "203.0.113.9",
            "01000-000",
        ] {
            assert!(!text.contains(secret), "{secret} left in {text}");
        }
        let customer = &redacted["payload"]["customer"];
        assert!(customer["name"].as_str().unwrap().starts_with("Redacted "));
        assert!(
            customer["email"]
                .as_str()
                .unwrap()
                .ends_with("@example.invalid")
        );
        let document = customer["document"].as_str().unwrap();
        assert!(document.len() == 11 && document.bytes().all(|b| b.is_ascii_digit()));
        let phone = customer["phone_numbers"][0]["formatted_phone"]
            .as_str()
            .unwrap();
        assert!(phone.starts_with("+5511") && phone.len() == 14, "{phone}");
        assert_eq!(customer["phone_numbers"][0]["area_code"], "11");
        let postal = customer["address"]["postal_code"].as_str().unwrap();
        assert_eq!(postal.as_bytes()[5], b'-');
        assert_eq!(customer["address"]["city"], "São Paulo");
        assert!(
            redacted["payload"]["lead_tracking"]["ip"]
                .as_str()
                .unwrap()
                .starts_with("198.51.100.")
        );
    }

    #[test]
    fn the_same_value_gets_the_same_placeholder_under_one_key() {
        let key = Redactor::with_key(b"k");
        assert_eq!(
            key.placeholder("João", Shape::Name),
            key.placeholder("João", Shape::Name)
        );
        assert_ne!(
            key.placeholder("João", Shape::Name),
            key.placeholder("Maria", Shape::Name)
        );
        let other = Redactor::with_key(b"another key");
        assert_ne!(
            key.placeholder("João", Shape::Name),
            other.placeholder("João", Shape::Name)
        );
        let (a, b) = (Redactor::random(), Redactor::random());
        assert_ne!(a.key, b.key, "each run draws its own key");
    }

    #[test]
    fn secrets_and_card_numbers_are_masked_in_raw_documents() {
        let key = Redactor::with_key(b"k");
        let mut raw = json!({"headers": {"X-Api-Key": "abc123"}, "body": {"secret": "s3cr3t", "hottok": 42,
            "data": {"card": "4111111111111111", "id": "1234567890123"}}});
        key.mask_secrets(&mut raw);
        let text = raw.to_string();
        for secret in ["abc123", "s3cr3t", "42", "4111111111111111"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        assert_eq!(raw["body"]["data"]["card"], "[card number ending 1111]");
        // Not a card number (Luhn fails): an id stays.
        assert_eq!(raw["body"]["data"]["id"], "1234567890123");
        let mut again = json!({"secret": "s3cr3t"});
        key.mask_secrets(&mut again);
        assert_eq!(again["secret"], raw["body"]["secret"]);
    }

    #[test]
    fn every_registered_secret_name_is_known_in_any_case_and_only_it() {
        let headers: Vec<&str> = SECRET_KEYS
            .iter()
            .copied()
            .chain(crate::providers::secret_headers())
            .collect();
        for name in &headers {
            assert!(is_secret_key(name), "{name}");
            assert!(is_secret_key(&name.to_ascii_uppercase()), "{name}");
            assert!(!is_secret_key(&format!("{name}s")), "{name}s");
            assert!(!is_secret_key(&name[1..]), "{name} less its first letter");
        }
        for name in crate::providers::secret_fields() {
            assert!(is_secret_field(&name.to_ascii_uppercase()), "{name}");
            assert!(!is_secret_field(&format!("x{name}")), "x{name}");
        }
        assert!(!is_secret_key("") && !is_secret_field(""));
    }

    #[test]
    fn secrets_in_form_copies_bracket_keys_and_header_lines_are_masked() {
        let key = Redactor::with_key(b"k");
        let copy = json!({"chave_unica": "SECRET-A", "x": 1}).to_string();
        let twice = Value::String(copy.clone()).to_string();
        let mut raw = json!({
            "once": format!("a=1&json={}", crate::form::encode(&copy)),
            "twice": format!("a=1&json={}", crate::form::encode(&twice)),
            "producer[api_key]": "SECRET-B",
            "trans_items[0][token]": 7,
            "headers": "Accept: */*\r\nX-Api-Key: SECRET-C\r\n",
        });
        key.mask_secrets(&mut raw);
        let text = raw.to_string();
        assert!(!text.contains("SECRET"), "{text}");
        assert_eq!(raw["producer[api_key]"], key.secret_mask("SECRET-B"));
        let headers = raw["headers"].as_str().unwrap_or_default();
        assert!(
            headers.starts_with("Accept: */*\r\nX-Api-Key: [secret "),
            "{headers}"
        );
        assert!(headers.ends_with("]\r\n"), "{headers}");
        let once = raw["once"].as_str().and_then(crate::form::decode);
        assert!(once.is_some_and(|once| once.contains(&key.secret_mask("SECRET-A"))));
        // A credential of any type under a bracket-form key is masked whole, in
        // place as in a copy.
        let mut grouped = json!({"producer[secret]": {"k": "SECRET-D"}, "a[token]": ["SECRET-E"]});
        key.mask_secrets(&mut grouped);
        assert!(!grouped.to_string().contains("SECRET"), "{grouped}");
        assert_eq!(last_step("a[b][0][token]"), "token");
        assert_eq!(last_step("plain"), "plain");
        assert_eq!(last_step("a[]"), "a[]");
    }

    #[test]
    fn keys_that_name_a_card() {
        for key in [
            "card",
            "CARD",
            "creditCard",
            "credit_card",
            "cardNumber",
            "pan",
            "cc_number",
            "CCNum",
            "last_digits",
            "lastDigits",
            "xcardx",
        ] {
            assert!(names_a_card(key), "{key}");
        }
        for key in ["", "car", "cart", "c_ard", "cc2", "ccv", "panel", "span"] {
            assert!(!names_a_card(key), "{key}");
        }
    }

    /// A phone number that passes the Luhn check is not a card number: masking it
    /// made `diff --format json-patch` of normalized events give a patch that no
    /// longer turned LEFT into RIGHT.
    #[test]
    fn only_card_keys_hold_card_numbers() {
        let key = Redactor::with_key(b"k");
        let mut doc = json!({"customer": {"phone_numbers": [{"raw_number": "5547954624669"}]},
            "order": {"id": "4111111111111111"},
            "payment": {"card": {"number": "4111111111111111"}, "cardNumber": "4111111111111111",
                "cc_number": "4111111111111111", "PAN": "4111111111111111"}});
        key.mask_secrets(&mut doc);
        assert_eq!(
            doc["customer"]["phone_numbers"][0]["raw_number"],
            "5547954624669"
        );
        assert_eq!(doc["order"]["id"], "4111111111111111");
        for masked in [
            &doc["payment"]["card"]["number"],
            &doc["payment"]["cardNumber"],
            &doc["payment"]["cc_number"],
            &doc["payment"]["PAN"],
        ] {
            assert_eq!(masked, "[card number ending 1111]");
        }
    }

    #[test]
    fn bare_payloads_and_missing_blocks() {
        let mut payload = event()["payload"].take();
        payload["shipping"] = Value::Null;
        Redactor::with_key(b"k").redact(&mut payload);
        assert!(
            payload["customer"]["name"]
                .as_str()
                .unwrap()
                .starts_with("Redacted ")
        );
        assert_eq!(payload["shipping"], Value::Null);
    }

    /// Every pointer of a document and the value there.
    fn pointers(value: &Value, at: String, found: &mut Vec<(String, Value)>) {
        found.push((at.clone(), value.clone()));
        let escape = |key: &str| key.replace('~', "~0").replace('/', "~1");
        match value {
            Value::Object(map) => map
                .iter()
                .for_each(|(key, inner)| pointers(inner, format!("{at}/{}", escape(key)), found)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(index, inner)| pointers(inner, format!("{at}/{index}"), found)),
            _ => {}
        }
    }

    #[test]
    fn what_a_diff_shows_at_any_pointer_is_masked_as_the_whole_document_is() {
        let doc = json!({
            "signature": "SECRET-SIG",
            "order": {"card": {"number": 4111111111111111u64, "holder": "Ana"},
                      "secret": {"k": "SECRET-OBJECT", "list": ["SECRET-ITEM"]}},
            "url": "https://example.com/hook?signature=SECRET-URL&a=1",
            "body": "{\"token\": \"SECRET-INNER\", \"x\": 1}",
            "phone": "5511999999999",
        });
        let masker = Redactor::with_key(b"k");
        let mut whole = doc.clone();
        masker.mask_secrets(&mut whole);
        assert_eq!(masker.mask_shown("", &doc), Some(whole.clone()));
        let mut found = Vec::new();
        pointers(&doc, String::new(), &mut found);
        for (pointer, value) in found {
            let shown = masker.mask_shown(&pointer, &value).unwrap_or(value.clone());
            let text = shown.to_string();
            assert!(
                !text.contains("SECRET") && !text.contains("4111111111111111"),
                "{pointer}: {text}"
            );
        }
        // What holds no secret shows as it is, without a copy.
        assert_eq!(masker.mask_shown("/phone", &doc["phone"]), None);
        assert_eq!(
            masker.mask_shown("/order/card/holder", &doc["order"]["card"]["holder"]),
            None
        );
    }
}
