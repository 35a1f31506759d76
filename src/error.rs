//! Why an input could not be converted, with the JSON pointer and what was expected.

use crate::exit::Exit;
use std::borrow::Cow;
use std::fmt::{self, Write as _};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Not UTF-8, not JSON, empty, truncated.
    NotJson,
    /// No provider's keys were found, or more than one provider's.
    UnknownProvider,
    /// The provider's event has no normalized counterpart.
    UnsupportedEvent,
    /// A field needed for the conversion is absent or null.
    MissingField,
    /// A field is of the wrong JSON type.
    WrongType,
    /// A field has the right type but a value that cannot be read.
    InvalidValue,
    /// The document is already a normalized event or payload: nothing to convert.
    AlreadyNormalized,
}

/// One failure to convert one input, never a panic. `Display` gives the pointer,
/// what was expected and what was found; the caller adds the input's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertError {
    pub kind: ErrorKind,
    /// RFC 6901 pointer of the offending value in the input ("" for the whole input).
    pub pointer: String,
    /// What was expected, as a phrase: "a decimal amount such as 10.50".
    pub expected: String,
    /// What was found, shortened, when there was something.
    pub found: Option<String>,
    /// 1-based line and column of the problem, when the parser knows them.
    pub position: Option<(usize, usize)>,
    /// What the user can do about it, when hooknorm can tell.
    pub hint: Option<Box<str>>,
}

impl ErrorKind {
    /// The kind as records name it (`unknown_provider`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::NotJson => "not_json",
            ErrorKind::UnknownProvider => "unknown_provider",
            ErrorKind::UnsupportedEvent => "unsupported_event",
            ErrorKind::MissingField => "missing_field",
            ErrorKind::WrongType => "wrong_type",
            ErrorKind::InvalidValue => "invalid_value",
            ErrorKind::AlreadyNormalized => "already_normalized",
        }
    }
}

impl ConvertError {
    pub fn new(kind: ErrorKind, pointer: impl Into<String>, expected: impl Into<String>) -> Self {
        ConvertError {
            kind,
            pointer: pointer.into(),
            expected: expected.into(),
            found: None,
            position: None,
            hint: None,
        }
    }

    /// What was found. Every site's text passes here: one that quotes JSON
    /// held as text (a body or `json` copy encoded twice, with its secrets
    /// inside) is replaced by `HOLDS_JSON`, whatever the field.
    pub fn found(mut self, found: impl Into<String>) -> Self {
        let found = found.into();
        self.found = Some(match quotes_json(&found) {
            true => HOLDS_JSON.to_owned(),
            false => shorten(found),
        });
        self
    }

    pub fn missing(pointer: impl Into<String>, expected: impl Into<String>) -> Self {
        ConvertError::new(ErrorKind::MissingField, pointer, expected)
    }

    pub fn invalid(pointer: impl Into<String>, expected: impl fmt::Display, found: &str) -> Self {
        ConvertError::new(ErrorKind::InvalidValue, pointer, expected.to_string()).found(found)
    }

    /// Moves the error under `prefix` (a pointer), for values read from a part of
    /// the input (the `body` of a captured request, one item of `data`).
    pub fn under(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.pointer.insert_str(0, prefix);
        }
        self
    }

    pub fn exit(&self) -> Exit {
        Exit::DataError
    }

    /// The message without its line and column, for a caller that places the
    /// error itself (`file:12:5: …`, a record's own `line` and `column`).
    pub fn reason(&self) -> impl fmt::Display + '_ {
        Reason(self)
    }

    /// The error as the JSON records of `detect --format json` and the library
    /// bindings carry it. `first_line` is the line the document starts on in its
    /// input (an NDJSON line), so positions count from the input's start.
    pub fn record(&self, first_line: Option<usize>) -> serde_json::Value {
        let position = self.position.map(|(line, column)| {
            // A line of NDJSON is line 1 of its own document.
            (first_line.map_or(line, |first| first + line - 1), column)
        });
        serde_json::json!({
            "kind": self.kind.as_str(),
            "pointer": self.pointer,
            "line": position.map(|(line, _)| line),
            "column": position.map(|(_, column)| column),
            "message": self.reason().to_string(),
        })
    }
}

/// `ConvertError`'s message from the pointer on.
struct Reason<'e>(&'e ConvertError);

impl fmt::Display for ConvertError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((line, column)) = self.position {
            write!(f, "line {line}, column {column}: ")?;
        }
        Reason(self).fmt(f)
    }
}

impl fmt::Display for Reason<'_> {
    /// Every part goes through `Escaping`: a pointer holds the input's keys, and
    /// no part of a message may carry a raw control character to a terminal or
    /// a log (a forged line). A long pointer is cut as found values are.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Reason(error) = *self;
        let f = &mut Escaping(f);
        if !error.pointer.is_empty() {
            write!(f, "{}: ", shorten(error.pointer.clone()))?;
        }
        match error.kind {
            ErrorKind::NotJson => write!(f, "not JSON: expected {}", error.expected)?,
            ErrorKind::MissingField => write!(f, "missing: expected {}", error.expected)?,
            ErrorKind::UnknownProvider
            | ErrorKind::UnsupportedEvent
            | ErrorKind::AlreadyNormalized => f.write_str(&error.expected)?,
            ErrorKind::WrongType | ErrorKind::InvalidValue => {
                write!(f, "expected {}", error.expected)?
            }
        }
        if let Some(found) = &error.found {
            write!(f, ", found {found}")?;
        }
        if let Some(hint) = &error.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConvertError {}

/// What a message says in place of input text that holds JSON: a body or a
/// request encoded twice carries its secrets inside, so it is never quoted.
pub const HOLDS_JSON: &str = "a string holding JSON (decode it first)";

/// Whether input text is JSON held as text: it starts (blanks aside) as a
/// JSON object, array or string does. Cut or broken JSON counts too.
pub fn holds_json(text: &str) -> bool {
    text.trim_start().starts_with(['{', '[', '"'])
}

/// Whether a message's text quotes JSON held as text: it starts as JSON, or
/// one of its quoted strings does (`"{\"k\": …`, `"\"{…`, escaped blanks aside).
fn quotes_json(text: &str) -> bool {
    let starts_json = |rest: &str| {
        let mut rest = rest;
        loop {
            let next = rest.trim_start_matches([' ', '\t', '\r', '\n']);
            match ["\\n", "\\r", "\\t"]
                .iter()
                .find_map(|escape| next.strip_prefix(escape))
            {
                Some(after) => rest = after,
                None => return next.starts_with(['{', '[']) || next.starts_with("\\\""),
            }
        }
    };
    text.trim_start().starts_with(['{', '['])
        || text
            .match_indices('"')
            .any(|(at, _)| starts_json(text.get(at + 1..).unwrap_or_default()))
}

/// Writes text with its control characters escaped (`\n`, `\u{1b}`).
struct Escaping<'f, 'a>(&'f mut fmt::Formatter<'a>);

impl fmt::Write for Escaping<'_, '_> {
    fn write_str(&mut self, text: &str) -> fmt::Result {
        let mut rest = text;
        while let Some(at) = rest.find(char::is_control) {
            let (plain, control) = rest.split_at(at);
            self.0.write_str(plain)?;
            let mut chars = control.chars();
            if let Some(c) = chars.next() {
                write!(self.0, "{}", c.escape_default())?;
            }
            rest = chars.as_str();
        }
        self.0.write_str(rest)
    }
}

/// Input text as a message shows it: as it is when short and plain, else quoted
/// with JSON escapes (no control character reaches a terminal) and cut short.
pub fn shown(text: &str) -> String {
    if holds_json(text) {
        return HOLDS_JSON.to_owned();
    }
    let plain = text.len() <= 60
        && !text.is_empty()
        && text
            .chars()
            .all(|c| !c.is_control() && !c.is_whitespace() && c != '"' && c != '\\');
    if plain { text.to_owned() } else { quoted(text) }
}

/// Input text quoted for a message: JSON escapes (no control character reaches
/// a terminal or splits a log record) and cut short.
pub fn quoted(text: &str) -> String {
    if holds_json(text) {
        return HOLDS_JSON.to_owned();
    }
    let cut: String = text.chars().take(60).collect();
    let mut quoted = serde_json::to_string(&cut).unwrap_or_default();
    if cut.len() < text.len() {
        quoted.push('…');
    }
    quoted
}

/// Keeps messages one line long: long values are cut on a character boundary.
fn shorten(mut text: String) -> String {
    const LIMIT: usize = 120;
    if text.len() > LIMIT {
        let mut cut = LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// The RFC 6901 reference tokens of a pointer, unescaped (`~1` → `/`, `~0` →
/// `~`); a token without `~` is borrowed, not copied.
pub fn pointer_tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape_token)
}

/// One reference token unescaped; `~01` is `~1`, not `/` (`~1` first).
pub fn unescape_token(token: &str) -> Cow<'_, str> {
    match memchr::memchr(b'~', token.as_bytes()).is_some() {
        true => Cow::Owned(token.replace("~1", "/").replace("~0", "~")),
        false => Cow::Borrowed(token),
    }
}

/// Appends one RFC 6901 reference token (escaping `~` and `/`) to a pointer.
pub fn push_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_unescape_once_and_borrow_plain_tokens() {
        let tokens: Vec<_> = pointer_tokens("/a~1b/c~0d/~01/plain//0").collect();
        assert_eq!(tokens, ["a/b", "c~d", "~1", "plain", "", "0"]);
        assert!(matches!(tokens[3], Cow::Borrowed("plain")));
        assert_eq!(pointer_tokens("").count(), 0);
        let mut pointer = String::new();
        for token in &tokens {
            push_token(&mut pointer, token);
        }
        assert_eq!(pointer, "/a~1b/c~0d/~01/plain//0");
    }

    #[test]
    fn display_names_pointer_expected_and_found() {
        let error = ConvertError::invalid("/data/amount", "a decimal amount", "\"R$ 10,00\"");
        assert_eq!(
            error.to_string(),
            "/data/amount: expected a decimal amount, found \"R$ 10,00\""
        );
    }

    #[test]
    fn pointer_tokens_are_escaped() {
        let mut pointer = String::new();
        push_token(&mut pointer, "a/b");
        push_token(&mut pointer, "m~n");
        assert_eq!(pointer, "/a~1b/m~0n");
    }

    #[test]
    fn shown_input_is_escaped_and_cut() {
        assert_eq!(shown("PURCHASE_APPROVED"), "PURCHASE_APPROVED");
        assert_eq!(shown("a\u{1b}[31mb"), "\"a\\u001b[31mb\"");
        assert_eq!(shown("two words"), "\"two words\"");
        assert_eq!(shown(""), "\"\"");
        assert!(shown(&"x".repeat(500)).ends_with('…'));
        assert!(shown(&"x".repeat(500)).len() < 70);
    }

    /// Issue 30: a key holding a newline or ESC reached stderr raw through the
    /// pointer, forging a line of its own.
    #[test]
    fn control_characters_of_any_part_are_escaped_and_pointers_cut() {
        let error = ConvertError::new(ErrorKind::InvalidValue, "/a\nb\u{1b}[31m", "x\ty")
            .found("the keys {c\rd}");
        let message = error.to_string();
        assert_eq!(
            message,
            "/a\\nb\\u{1b}[31m: expected x\\ty, found the keys {c\\rd}"
        );
        let long = ConvertError::new(
            ErrorKind::InvalidValue,
            format!("/{}", "k".repeat(5000)),
            "x",
        );
        assert!(long.to_string().len() < 200, "{long}");
    }

    #[test]
    fn text_holding_json_is_never_quoted() {
        let inner = r#"{"chave_unica":"SECRET","x":1}"#;
        let twice = serde_json::to_string(inner).unwrap_or_default();
        let thrice = serde_json::to_string(&twice).unwrap_or_default();
        for found in [
            format!("a string {twice}"),
            format!("a string {thrice}"),
            twice.replace("{", "\\n {"),
            inner.to_owned(),
        ] {
            let error = ConvertError::invalid("/json", "an object", &found);
            assert_eq!(error.found.as_deref(), Some(HOLDS_JSON), "{found}");
        }
        assert_eq!(quoted(inner), HOLDS_JSON);
        assert_eq!(
            format!("the field {}", quoted(inner)),
            format!("the field {HOLDS_JSON}")
        );
        assert_eq!(shown(&twice), HOLDS_JSON);
        let plain = ConvertError::invalid("", "x", "\"R$ 10,00\" (the keys {a, b})");
        assert_eq!(
            plain.found.as_deref(),
            Some("\"R$ 10,00\" (the keys {a, b})")
        );
    }

    #[test]
    fn long_values_are_cut() {
        let error = ConvertError::invalid("", "x", &"é".repeat(200));
        assert!(error.to_string().ends_with('…'));
    }
}
