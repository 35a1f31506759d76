//! Validation of documents against the embedded schemas, plus the checks a schema
//! cannot make (CPF/CNPJ check digits, phones, totals that add up).
//!
//! A document is one of: a normalized event (validated against
//! `<provider>.event`), a bare payload (`payload.<family>`, or `--schema NAME`), or
//! a raw provider body, which is converted first so that a fixture that no longer
//! converts is reported too.

use crate::error::{ConvertError, ErrorKind};
use crate::locate::{locate, locate_key};
use crate::normalize::document::has_valid_check_digits;
use crate::normalize::phone::is_possible_e164;
use crate::normalized;
use crate::raw::{Doc, line_column};
use crate::schema;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem with a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    /// RFC 6901 pointer of the offending value.
    pub pointer: String,
    /// 1-based line and column of the value in the document's text (`None` for
    /// problems in the event converted from a raw body).
    pub position: Option<(usize, usize)>,
    /// What was wrong, and what was expected.
    pub message: String,
    /// The offending value, shortened.
    pub found: Option<String>,
    /// The schema keyword (`required`, `enum`, …) or the check (`cpf`, `totals`, …).
    pub keyword: String,
    /// Where the rule stands: `<schema file>#<pointer in it>`, or `hooknorm:<check>`.
    pub schema_path: String,
    /// What the schema said, as data (the message is derived from the same error).
    pub detail: Detail,
}

/// The structured part of a schema problem, for readers that sort problems
/// (`diff --docs`) without parsing messages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Detail {
    #[default]
    None,
    /// A required property is absent.
    Missing(String),
    /// Properties the schema does not allow.
    Unexpected(Vec<String>),
    /// The value is not of these JSON types.
    Type(Vec<&'static str>),
}

/// What a document turned out to be, and the schema that judged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub schema: &'static str,
    /// For a raw body: the provider it was converted from.
    pub converted_from: Option<&'static str>,
    pub problems: Vec<Problem>,
}

impl Report {
    /// What `validate --format json` records of a document of `file` that
    /// starts on `first_line` (its problems placed in the file).
    pub fn record(&self, file: &str, first_line: usize) -> serde_json::Value {
        let problems = |severity: Severity| -> Vec<serde_json::Value> {
            self.problems
                .iter()
                .filter(|p| p.severity == severity)
                .map(|p| {
                    let position = p
                        .position
                        .map(|(line, column)| (first_line + line - 1, column));
                    serde_json::json!({
                        "pointer": p.pointer,
                        "line": position.map(|(line, _)| line),
                        "column": position.map(|(_, column)| column),
                        "message": p.message,
                        "found": p.found,
                        "keyword": p.keyword,
                        "schema_path": p.schema_path,
                    })
                })
                .collect()
        };
        serde_json::json!({
            "file": file,
            "line": first_line,
            "valid": self.is_valid(),
            "schema": self.schema,
            "converted_from": self.converted_from,
            "errors": problems(Severity::Error),
            "warnings": problems(Severity::Warning),
            "unreadable": null,
        })
    }

    /// Valid: no error (warnings allowed, unless they were made errors by `strict`).
    pub fn is_valid(&self) -> bool {
        self.problems
            .iter()
            .all(|p| p.severity == Severity::Warning)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Validate against this schema instead of choosing one.
    pub schema: Option<&'static str>,
    /// Report the semantic checks as errors instead of warnings.
    pub strict: bool,
    /// How to convert raw bodies.
    pub convert: crate::Options,
}

/// Validates one document (JSON, or a form-encoded raw body). `Err` when the
/// document could not be judged: not JSON, or a raw body that does not convert.
pub fn validate(text: &str, options: &Options) -> Result<Report, ConvertError> {
    if options.schema.is_none() && crate::form::looks_like_form(text) {
        return validate_raw(text, options);
    }
    let doc = Doc::new(text);
    let value: Value = serde_json::from_str(text).map_err(|e| doc.syntax_error(text, &e))?;
    if let Some(name) = options.schema {
        return Ok(judge(&value, Some(text), name, None, options));
    }
    if let Some(normalized) = normalized::recognize(&value) {
        return Ok(judge(&value, Some(text), normalized.schema, None, options));
    }
    validate_raw(text, options)
}

/// A raw body: converted first, the event judged against its provider's schema.
fn validate_raw(text: &str, options: &Options) -> Result<Report, ConvertError> {
    let mut scratch = String::new();
    let converted = crate::convert(text, &mut scratch, &options.convert)?;
    let event = serde_json::to_value(&converted.event).map_err(|e| {
        ConvertError::new(
            ErrorKind::InvalidValue,
            "",
            format!("a serializable event ({e})"),
        )
    })?;
    let provider = converted.event.provider;
    let name = schema::canonical(&format!("{provider}.event")).unwrap_or("event");
    Ok(judge(&event, None, name, Some(provider), options))
}

fn judge(
    value: &Value,
    text: Option<&str>,
    name: &'static str,
    converted_from: Option<&'static str>,
    options: &Options,
) -> Report {
    let mut problems = Vec::new();
    if let Some(validator) = schema::validator(name) {
        if !validator.is_valid(value) {
            problems.extend(
                validator
                    .iter_errors(value)
                    .map(|error| schema_problem(&error, text)),
            );
        }
    }
    let (payload, prefix) = match value.get("payload") {
        Some(payload) if value.get("event").is_some() => (payload, "/payload"),
        _ => (value, ""),
    };
    let provider = value
        .get("provider")
        .and_then(Value::as_str)
        .or(converted_from);
    let severity = if options.strict {
        Severity::Error
    } else {
        Severity::Warning
    };
    // A whole card number where the format has its last digits is quoted by the
    // schema's message: mask it there.
    for problem in &mut problems {
        let field = problem.pointer.rsplit('/').next().unwrap_or("");
        if crate::redact::names_a_card(field) {
            problem.message = crate::redact::mask_card_numbers_in(&problem.message);
            problem.found = problem
                .found
                .as_deref()
                .map(crate::redact::mask_card_numbers_in);
        }
    }
    for mut problem in checks(payload, prefix, provider) {
        problem.severity = severity;
        problem.position = text.map(|t| line_column(t, locate(t, &problem.pointer)));
        problems.push(problem);
    }
    Report {
        schema: name,
        converted_from,
        problems,
    }
}

fn schema_problem(error: &jsonschema::ValidationError, text: Option<&str>) -> Problem {
    use jsonschema::error::ValidationErrorKind;
    let pointer = error.instance_path().as_str().to_owned();
    let position = text.map(|t| {
        let offset = match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => match unexpected.first() {
                Some(key) => locate_key(t, &pointer, key),
                None => locate(t, &pointer),
            },
            _ => locate(t, &pointer),
        };
        line_column(t, offset)
    });
    let schema_path = match error.absolute_keyword_location() {
        Some(uri) => uri
            .as_str()
            .strip_prefix(schema::BASE_URI)
            .unwrap_or(uri.as_str())
            .to_owned(),
        None => error.schema_path().as_str().to_owned(),
    };
    Problem {
        severity: Severity::Error,
        pointer,
        position,
        message: message_of(error),
        found: Some(shorten(&error.instance().to_string())),
        keyword: error.kind().keyword().to_owned(),
        schema_path,
        detail: detail_of(error.kind()),
    }
}

/// The schema's message, but an `enum`'s names every allowed value (the
/// validator's names two "or N other candidates").
fn message_of(error: &jsonschema::ValidationError) -> String {
    if let jsonschema::error::ValidationErrorKind::Enum { options } = error.kind()
        && let Some(values) = options.as_array()
    {
        let values: Vec<String> = values.iter().map(Value::to_string).collect();
        return format!(
            "{} is not one of the allowed values: {}",
            shorten(&error.instance().to_string()),
            values.join(", ")
        );
    }
    error.to_string()
}

fn detail_of(kind: &jsonschema::error::ValidationErrorKind) -> Detail {
    use jsonschema::error::{TypeKind, ValidationErrorKind};
    match kind {
        ValidationErrorKind::Required { property } => Detail::Missing(match property {
            Value::String(name) => name.clone(),
            other => other.to_string(),
        }),
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            Detail::Unexpected(unexpected.clone())
        }
        ValidationErrorKind::Type { kind } => Detail::Type(match kind {
            TypeKind::Single(one) => vec![one.as_str()],
            TypeKind::Multiple(set) => set.iter().map(|t| t.as_str()).collect(),
        }),
        _ => Detail::None,
    }
}

fn shorten(text: &str) -> String {
    const LIMIT: usize = 80;
    if text.len() <= LIMIT {
        return text.to_owned();
    }
    let mut cut = LIMIT;
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}…", &text[..cut])
}

fn check(pointer: String, keyword: &str, message: String, found: Option<&Value>) -> Problem {
    Problem {
        severity: Severity::Warning,
        pointer,
        position: None,
        message,
        found: found.map(|v| shorten(&v.to_string())),
        keyword: keyword.to_owned(),
        schema_path: format!("hooknorm:{keyword}"),
        detail: Detail::None,
    }
}

/// What a schema cannot say: CPF/CNPJ check digits, phones outside their country's
/// numbering plan or whose E.164 form is not their digits, totals that do not add up.
fn checks(payload: &Value, prefix: &str, provider: Option<&str>) -> Vec<Problem> {
    let mut problems = Vec::new();
    let customer = payload.get("customer");
    if let Some(document) = customer
        .and_then(|c| c.get("document"))
        .and_then(Value::as_str)
    {
        let pointer = format!("{prefix}/customer/document");
        let kind = match document.len() {
            11 => Some("cpf"),
            14 => Some("cnpj"),
            _ => None,
        };
        match kind {
            Some(kind) if !has_valid_check_digits(document) => problems.push(check(
                pointer,
                kind,
                format!(
                    "{} {document:?} has wrong check digits",
                    kind.to_uppercase()
                ),
                customer.and_then(|c| c.get("document")),
            )),
            None if document.bytes().all(|b| b.is_ascii_digit()) => problems.push(check(
                pointer,
                "document",
                format!("{document:?} is neither a CPF (11 digits) nor a CNPJ (14 digits)"),
                customer.and_then(|c| c.get("document")),
            )),
            _ => {}
        }
    }
    let phones = customer
        .and_then(|c| c.get("phone_numbers"))
        .and_then(Value::as_array);
    for (index, phone) in phones.into_iter().flatten().enumerate() {
        let formatted = phone.get("formatted_phone").and_then(Value::as_str);
        let raw = phone.get("raw_number").and_then(Value::as_str);
        let pointer = || format!("{prefix}/customer/phone_numbers/{index}/formatted_phone");
        if let Some(formatted) = formatted.filter(|f| !is_possible_e164(f)) {
            problems.push(check(
                pointer(),
                "e164",
                format!(
                    "{formatted:?} is not a phone number of its country's numbering plan (libphonenumber's metadata)"
                ),
                phone.get("formatted_phone"),
            ));
        } else if let (Some(formatted), Some(raw)) = (formatted, raw) {
            let digits = formatted.trim_start_matches('+');
            if !digits.ends_with(raw.trim_start_matches('0')) {
                problems.push(check(
                    pointer(),
                    "e164",
                    format!("{formatted:?} does not end with the raw number {raw:?}"),
                    phone.get("formatted_phone"),
                ));
            }
        }
    }
    if let Some(payment) = payload.get("payment") {
        let amount = |key: &str| payment.get(key).and_then(Value::as_i64);
        let fees_unlisted = provider
            .and_then(crate::providers::Provider::named)
            .is_some_and(|p| p.spec().total_may_hold_unlisted_fees);
        if !fees_unlisted {
            if let (Some(total), Some(products), Some(shipping), Some(discount)) = (
                amount("total"),
                amount("total_products_value"),
                amount("shipping_value"),
                amount("discount_value"),
            ) {
                let sum = products.saturating_add(shipping).saturating_sub(discount);
                if sum != total {
                    problems.push(check(
                        format!("{prefix}/payment/total"),
                        "totals",
                        format!("total {total} ≠ total_products_value {products} + shipping_value {shipping} − discount_value {discount} = {sum}"),
                        payment.get("total"),
                    ));
                }
            }
        }
    }
    let lines = payload
        .get("products")
        .or_else(|| payload.get("items"))
        .and_then(Value::as_array);
    let key = if payload.get("items").is_some() {
        "items"
    } else {
        "products"
    };
    for (index, product) in lines.into_iter().flatten().enumerate() {
        let unit = product.get("unit_value").and_then(Value::as_i64);
        let total = product.get("total_value").and_then(Value::as_i64);
        let quantity = product.get("quantity").and_then(Value::as_i64).unwrap_or(1);
        if let (Some(unit), Some(total)) = (unit, total) {
            if unit.saturating_mul(quantity) != total {
                problems.push(check(
                    format!("{prefix}/{key}/{index}/total_value"),
                    "line_total",
                    format!("total_value {total} ≠ unit_value {unit} × quantity {quantity}"),
                    product.get("total_value"),
                ));
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(path: &str) -> String {
        std::fs::read_to_string(format!("{}/samples/{path}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn a_sample_event_is_valid_against_its_provider_schema() {
        let report = validate(
            &event("cakto/purchase_approved.pix.unique.notion-doc.expected.json"),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(report.schema, "cakto.event");
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    #[test]
    fn a_raw_body_is_converted_then_validated() {
        let report = validate(
            &event("kiwify/order_rejected.credit_card.test-webhook.json"),
            &Options::default(),
        )
        .unwrap();
        assert_eq!(report.schema, "kiwify.event");
        assert_eq!(report.converted_from, Some("kiwify"));
        assert!(report.is_valid());
    }

    #[test]
    fn problems_have_pointer_position_keyword_and_schema_path() {
        let text = event("cakto/purchase_approved.pix.unique.notion-doc.expected.json")
            .replace("\"status\": \"paid\"", "\"status\": \"pending\"");
        let report = validate(&text, &Options::default()).unwrap();
        let problem = &report.problems[0];
        assert_eq!(problem.pointer, "/payload/order/status");
        assert_eq!(problem.keyword, "enum");
        assert_eq!(problem.found.as_deref(), Some("\"pending\""));
        assert!(
            problem.schema_path.starts_with("order-status.json#"),
            "{}",
            problem.schema_path
        );
        let line = text
            .lines()
            .position(|l| l.contains("\"pending\""))
            .unwrap()
            + 1;
        assert_eq!(problem.position.map(|p| p.0), Some(line));
    }

    #[test]
    fn checks_are_warnings_unless_strict() {
        let text = event("cakto/purchase_approved.credit_card.panel-sample.expected.json")
            .replace("12345678909", "12345678900");
        let report = validate(&text, &Options::default()).unwrap();
        assert!(report.is_valid());
        assert_eq!(report.problems[0].keyword, "cpf");
        let strict = validate(
            &text,
            &Options {
                strict: true,
                ..Options::default()
            },
        )
        .unwrap();
        assert!(!strict.is_valid());
    }

    #[test]
    fn not_json_cannot_be_judged() {
        assert_eq!(
            validate("{", &Options::default()).unwrap_err().kind,
            ErrorKind::NotJson
        );
    }
}
