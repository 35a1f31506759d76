//! Form-encoded bodies (`application/x-www-form-urlencoded`), read as the JSON
//! object they stand for: `+` and percent-escapes decoded, PHP's bracket names
//! nested (`venda[codigo]=1` → `{"venda": {"codigo": "1"}}`, `a[0]`/`a[]` items
//! of an array), every value a string. A repeated name is an error. Where the form
//! also carries the whole payload as JSON in a `json` field (Monetizze), that copy
//! is read (once, each of its keys once), and a form field it contradicts or
//! lacks is an error naming the field.
//!
//! Errors are placed in the form text: a converted body's JSON pointer leads back
//! to the field it came from (`position`).

use crate::error::{ConvertError, ErrorKind, quoted};
use crate::raw::MAX_NESTING;
use serde_json::{Map, Value};

/// The field of a form that may carry the whole payload as JSON.
pub const JSON_COPY: &str = "json";

/// One `name=value` pair, decoded, with where its value starts in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    pub value: String,
    /// Byte offset of the value (after `=`) in the form text.
    pub offset: usize,
}

/// Whether a `Content-Type` says the body is a form.
pub fn is_form_type(content_type: &str) -> bool {
    content_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("application/x-www-form-urlencoded")
}

/// Whether `text` is a form rather than JSON (or anything else): `name=value`
/// pairs joined by `&`, each with a name, no whitespace, escapes well formed.
pub fn looks_like_form(text: &str) -> bool {
    // Decided by the first byte for every JSON body (this runs on each input):
    // a form starts with a field name.
    let starts_a_name = |b: &u8| b.is_ascii_alphanumeric() || b"_-.%+".contains(b);
    if !text.as_bytes().first().is_some_and(starts_a_name) {
        return false;
    }
    let text = text.trim_end_matches(['\r', '\n']);
    if !text.contains('=') {
        return false;
    }
    let decoded = is_decoded(text);
    text.split('&').filter(|pair| !pair.is_empty()).all(|pair| {
        let Some((name, value)) = pair.split_once('=') else {
            return false;
        };
        // Names as forms write them (a URL's `https://…?a` is no field name).
        let plain_name = name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"_-.[]%+".contains(&b));
        let spaced = |b: u8| b.is_ascii_whitespace() && !(decoded && b == b' ');
        !name.is_empty()
            && plain_name
            && !pair.bytes().any(|b| spaced(b) || b.is_ascii_control())
            && decode(name).is_some()
            && match decoded {
                // Pasted text: a second `=` would leave the pair ambiguous.
                true => !value.contains('='),
                false => decode(value).is_some(),
            }
    })
}

/// Whether a form was pasted already decoded (from a log, a debugger, source
/// code): a form on the wire is ASCII without spaces, so a space or a non-ASCII
/// character says its values are plain text, to be taken as they are.
fn is_decoded(text: &str) -> bool {
    text.bytes().any(|b| b == b' ' || !b.is_ascii())
}

/// `+` as a space and `%XX` escapes as bytes, which must make UTF-8.
pub fn decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(index + 1..index + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                index += 2;
            }
            other => out.push(other),
        }
        index += 1;
    }
    String::from_utf8(out).ok()
}

/// A form value written as PHP's `urlencode` writes it: letters, digits and
/// `-_.` as they are, a space as `+`, every other byte as `%XX`.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b' ' => out.push('+'),
            b if b.is_ascii_alphanumeric() || b"-_.".contains(&b) => out.push(char::from(b)),
            b => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The fields of a form, in order.
pub fn fields(text: &str) -> Result<Vec<Field>, ConvertError> {
    let decoded = is_decoded(text);
    let mut found = Vec::new();
    let mut offset = 0;
    for pair in text.trim_end_matches(['\r', '\n']).split('&') {
        let start = offset;
        offset += pair.len() + 1;
        if pair.is_empty() {
            continue;
        }
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        // The name only: a value may be a credential.
        let bad = |what: &str| {
            ConvertError::new(
                ErrorKind::NotJson,
                "",
                format!("a form field {what} (percent-escapes of UTF-8 text)"),
            )
            .found(format!("the field {}", quoted(name)))
        };
        found.push(Field {
            name: decode(name).ok_or_else(|| bad("name"))?,
            value: match decoded {
                true => value.to_owned(),
                false => decode(value).ok_or_else(|| bad("value"))?,
            },
            offset: start + name.len() + 1,
        });
    }
    Ok(found)
}

/// The path a bracket name stands for: `a[b][0]` → `a`, `b`, `0`; `a[]` ends
/// with an empty step (the next item). A name whose brackets do not close is
/// one key, as PHP reads it.
pub fn steps(name: &str) -> Vec<&str> {
    let Some(open) = name.find('[').filter(|&open| open > 0) else {
        return vec![name];
    };
    let mut steps = vec![&name[..open]];
    let mut rest = &name[open..];
    while let Some(inner) = rest.strip_prefix('[') {
        let Some(close) = inner.find(']') else {
            return vec![name];
        };
        steps.push(&inner[..close]);
        rest = &inner[close + 1..];
    }
    if rest.is_empty() { steps } else { vec![name] }
}

/// The JSON pointer of a field's value (`venda[codigo]` → `/venda/codigo`).
pub fn pointer_of(name: &str) -> String {
    let mut pointer = String::new();
    for step in steps(name) {
        crate::error::push_token(&mut pointer, step);
    }
    pointer
}

/// The form as the JSON object it stands for.
pub fn to_value(text: &str) -> Result<Value, ConvertError> {
    let fields = fields(text)?;
    let mut root = Map::new();
    let mut copy = None;
    for field in &fields {
        if field.name == JSON_COPY {
            if copy.replace(field).is_some() {
                return Err(repeated_name(&field.name));
            }
            continue;
        }
        let value = Value::String(field.value.clone());
        let steps = steps(&field.name);
        within_nesting_limit(&field.name, &steps, &value)?;
        insert(&mut root, &steps, value).map_err(|why| {
            ConvertError::new(ErrorKind::InvalidValue, pointer_of(&field.name), why)
                .found(quoted(&field.name))
        })?;
    }
    let form = arrays(Value::Object(root));
    let Some(copy) = copy else {
        return Ok(form);
    };
    let mut copied = json_copy(copy)?;
    merge(&mut copied, &form, String::new(), &fields)?;
    Ok(copied)
}

/// The error of a form field given twice.
fn repeated_name(name: &str) -> ConvertError {
    ConvertError::new(ErrorKind::InvalidValue, pointer_of(name), REPEATED_NAME).found(quoted(name))
}

const REPEATED_NAME: &str = "each form field once (a repeated name is ambiguous)";

/// The payload the `json` field copies: a JSON object, each key once (as a
/// JSON body must have them).
fn json_copy(copy: &Field) -> Result<Value, ConvertError> {
    let copied: Value = serde_json::from_str(&copy.value)
        .ok()
        .filter(Value::is_object)
        .ok_or_else(|| {
            ConvertError::new(
                ErrorKind::WrongType,
                format!("/{JSON_COPY}"),
                "the payload as a JSON object (the form's `json` copy)",
            )
            .found(crate::raw::describe(&copy.value))
        })?;
    match crate::repeated::first_repeated_key(&copy.value) {
        Some((pointer, _, _)) => Err(crate::repeated::repeated_key_error(&pointer)),
        None => Ok(copied),
    }
}

/// Puts `value` at `steps` under `map`; a name given twice, or both a value
/// and a parent of others, is refused.
fn insert(map: &mut Map<String, Value>, steps: &[&str], value: Value) -> Result<(), String> {
    let Some((first, rest)) = steps.split_first() else {
        return Ok(());
    };
    let key = match *first {
        // `a[]`: the next item.
        "" => map.len().to_string(),
        key => key.to_owned(),
    };
    if rest.is_empty() {
        if map.contains_key(&key) {
            return Err(REPEATED_NAME.to_owned());
        }
        map.insert(key, value);
        return Ok(());
    }
    let child = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
    match child {
        Value::Object(inner) => insert(inner, rest, value),
        _ => Err("a field that is either a value or a group, not both".to_owned()),
    }
}

/// A JSON object whose keys are written as form names (`"trans_items[0][item_id]"`,
/// as Eduzz's legacy webhook sends them even in JSON), nested as a form's are.
pub fn nest(object: Map<String, Value>) -> Result<Value, ConvertError> {
    let mut root = Map::new();
    for (name, value) in object {
        let steps = steps(&name);
        within_nesting_limit(&name, &steps, &value)?;
        insert(&mut root, &steps, value).map_err(|why| {
            ConvertError::new(ErrorKind::InvalidValue, pointer_of(&name), why).found(quoted(&name))
        })?;
    }
    Ok(arrays(Value::Object(root)))
}

/// Refuses a field whose name and value together nest deeper than JSON may
/// ([`MAX_NESTING`]): `a[b]=1` is `{"a": {"b": "1"}}`, two levels. Everything
/// that walks the tree afterwards recurses, one stack frame per level.
fn within_nesting_limit(name: &str, steps: &[&str], value: &Value) -> Result<(), ConvertError> {
    let depth = steps.len() + depth_of(value);
    if depth <= MAX_NESTING {
        return Ok(());
    }
    // The pointer stops one level past the limit: the field itself may be
    // thousands of levels long.
    let mut pointer = String::new();
    for step in steps.iter().take(MAX_NESTING + 1) {
        crate::error::push_token(&mut pointer, step);
    }
    Err(ConvertError::new(
        ErrorKind::InvalidValue,
        pointer,
        format!("fields nested at most {MAX_NESTING} levels deep, as JSON is"),
    )
    .found(format!(
        "the field {} nested {depth} levels deep",
        quoted(name)
    )))
}

/// How many arrays and objects nest in `value` (0 for a scalar). Values here
/// were parsed by serde_json, which refuses its 128th level: the recursion is
/// bounded.
fn depth_of(value: &Value) -> usize {
    let deepest = |values: &mut dyn Iterator<Item = &Value>| values.map(depth_of).max();
    match value {
        Value::Object(map) => 1 + deepest(&mut map.values()).unwrap_or(0),
        Value::Array(items) => 1 + deepest(&mut items.iter()).unwrap_or(0),
        _ => 0,
    }
}

/// Groups whose keys are 0, 1, 2, … in order are arrays.
fn arrays(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let indexed = !map.is_empty()
                && map
                    .keys()
                    .enumerate()
                    .all(|(index, key)| key.parse::<usize>() == Ok(index));
            let items = map.into_iter().map(|(key, value)| (key, arrays(value)));
            match indexed {
                true => Value::Array(items.map(|(_, value)| value).collect()),
                false => Value::Object(items.collect()),
            }
        }
        other => other,
    }
}

/// The JSON copy, with the form's fields it lacks added (a group the copy
/// lacks is added whole); a field whose value the copy contradicts, or an item
/// of a list the copy holds fewer of, is refused, naming the field.
fn merge(
    copy: &mut Value,
    form: &Value,
    pointer: String,
    fields: &[Field],
) -> Result<(), ConvertError> {
    match (copy, form) {
        (Value::Object(copied), Value::Object(group)) => {
            for (key, inner) in group {
                let mut below = pointer.clone();
                crate::error::push_token(&mut below, key);
                match copied.get_mut(key) {
                    Some(copied) => merge(copied, inner, below, fields)?,
                    None => {
                        copied.insert(key.clone(), inner.clone());
                    }
                }
            }
            Ok(())
        }
        (Value::Array(copied), Value::Array(items)) => {
            for (index, inner) in items.iter().enumerate() {
                let below = format!("{pointer}/{index}");
                match copied.get_mut(index) {
                    Some(copied) => merge(copied, inner, below, fields)?,
                    None => return Err(disagreement(&below, fields)),
                }
            }
            Ok(())
        }
        (copied, Value::String(text)) if agrees(copied, text) => Ok(()),
        _ => Err(disagreement(&pointer, fields)),
    }
}

/// The error of a form field (or the first of a group) whose value the `json`
/// copy contradicts or lacks. Neither value is quoted: it may be a credential.
fn disagreement(pointer: &str, fields: &[Field]) -> ConvertError {
    let below = format!("{pointer}/");
    let name = fields
        .iter()
        .find(|field| pointer_of(&field.name) == pointer)
        .or_else(|| {
            fields
                .iter()
                .find(|field| pointer_of(&field.name).starts_with(&below))
        })
        .map_or(pointer, |field| field.name.as_str());
    ConvertError::new(
        ErrorKind::InvalidValue,
        pointer,
        format!(
            "the form field {} and the `json` copy of the payload to agree",
            quoted(name)
        ),
    )
    .found("different values")
}

/// Whether a JSON value and a form's text say the same (PHP writes `true` as
/// `1`, `false` and `null` as nothing); numbers are compared as decimals,
/// exactly (`1.50` is `1.5`, `…567` is not `…568`).
fn agrees(copied: &Value, text: &str) -> bool {
    match copied {
        Value::String(copied) => copied == text,
        Value::Number(number) => same_decimal(&number.to_string(), text.trim()),
        Value::Bool(true) => matches!(text, "1" | "true"),
        Value::Bool(false) => matches!(text, "" | "0" | "false"),
        Value::Null => text.is_empty(),
        _ => false,
    }
}

/// Whether two decimal texts (`-1.50`, `15e-1`) are the same number.
fn same_decimal(a: &str, b: &str) -> bool {
    a == b || matches!((decimal(a), decimal(b)), (Some(a), Some(b)) if a == b)
}

/// A decimal text as (negative, significant digits, exponent of the last
/// digit): `-1.50` → (true, "15", -1); zero is (false, "", 0).
fn decimal(text: &str) -> Option<(bool, String, i64)> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exponent) = match text.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, exponent.parse::<i64>().ok()?),
        None => (text, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let digits = format!("{whole}{fraction}");
    let significant = digits.trim_start_matches('0');
    let trimmed = significant.trim_end_matches('0');
    if trimmed.is_empty() {
        return Some((false, String::new(), 0));
    }
    let fraction_len = i64::try_from(fraction.len()).ok()?;
    let zeros = i64::try_from(significant.len() - trimmed.len()).ok()?;
    let last = exponent.checked_sub(fraction_len)?.checked_add(zeros)?;
    Some((negative, trimmed.to_owned(), last))
}

/// Where in the form text the value at `pointer` was written: the field of that
/// name, else the first field below it, else the field above it (the `json`
/// copy for what only the copy holds). Line and column, 1-based.
pub fn position(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let fields = fields(text).ok()?;
    let pointers: Vec<String> = fields.iter().map(|field| pointer_of(&field.name)).collect();
    let below = format!("{pointer}/");
    let at = pointers
        .iter()
        .position(|candidate| candidate == pointer)
        .or_else(|| {
            pointers
                .iter()
                .position(|candidate| candidate.starts_with(&below))
        })
        .or_else(|| {
            pointers.iter().position(|candidate| {
                pointer.starts_with(&format!("{candidate}/")) && !candidate.is_empty()
            })
        })
        .or_else(|| fields.iter().position(|field| field.name == JSON_COPY))?;
    let offset = fields.get(at)?.offset;
    Some(crate::raw::line_column(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_pasted_already_decoded_is_read_as_it_is() {
        let pasted = "venda[codigo]=1&venda[status]=Aguardando pagamento&comprador[bairro]=Esperança&comprador[telefone]=+55 (11) 1111-1111&x=50% off";
        assert!(looks_like_form(pasted));
        let value = to_value(pasted).expect("a form");
        assert_eq!(
            value.pointer("/venda/status"),
            Some(&Value::from("Aguardando pagamento"))
        );
        assert_eq!(
            value.pointer("/comprador/bairro"),
            Some(&Value::from("Esperança"))
        );
        assert_eq!(
            value.pointer("/comprador/telefone"),
            Some(&Value::from("+55 (11) 1111-1111"))
        );
        assert_eq!(value.pointer("/x"), Some(&Value::from("50% off")));
        // A line break is never part of a form, decoded or not; nor is a name with a space.
        assert!(!looks_like_form("a=b c\nd=e"));
        assert!(!looks_like_form("a b=c"));
        // On the wire a form is ASCII without spaces: its escapes are decoded.
        assert_eq!(
            to_value("a=b+c%C3%A9").expect("a form").pointer("/a"),
            Some(&Value::from("b cé"))
        );
    }
    use serde_json::json;

    #[test]
    fn bracket_names_nest_and_escapes_decode() {
        let value = to_value(
            "venda%5Bcodigo%5D=41852883&venda[valor]=157.00&comprador[nome]=Jo%C3%A3o+Silva&tipoEvento[codigo]=2",
        )
        .expect("form");
        assert_eq!(
            value,
            json!({"venda": {"codigo": "41852883", "valor": "157.00"},
                   "comprador": {"nome": "João Silva"}, "tipoEvento": {"codigo": "2"}})
        );
    }

    #[test]
    fn numbered_and_empty_brackets_are_arrays() {
        let value =
            to_value("items[0][id]=a&items[1][id]=b&tags[]=x&tags[]=y&odd[1]=z").expect("form");
        assert_eq!(
            value,
            json!({"items": [{"id": "a"}, {"id": "b"}], "tags": ["x", "y"], "odd": {"1": "z"}})
        );
    }

    #[test]
    fn a_repeated_name_or_a_value_that_is_also_a_group_is_refused() {
        let error = to_value("a=1&b=2&a=3").expect_err("repeated");
        assert_eq!(error.pointer, "/a");
        assert!(error.to_string().contains("repeated"), "{error}");
        let error = to_value("a=1&a[b]=2").expect_err("both");
        assert_eq!(error.pointer, "/a/b");
    }

    #[test]
    fn the_json_copy_is_read_and_checked_against_the_form() {
        let copy = r#"{"venda":{"codigo":"1","valor":"157.00"},"tipoEvento":{"codigo":6},"ok":true,"none":null}"#;
        let form = format!(
            "venda[codigo]=1&tipoEvento[codigo]=6&ok=1&none=&extra=x&json={}",
            copy.replace('%', "%25")
                .replace('&', "%26")
                .replace('+', "%2B")
        );
        let value = to_value(&form).expect("agrees");
        assert_eq!(value["tipoEvento"]["codigo"], json!(6));
        assert_eq!(value["venda"]["valor"], "157.00");
        assert_eq!(value["extra"], "x");
        let contradicting = form.replacen("venda[codigo]=1", "venda[codigo]=2", 1);
        let error = to_value(&contradicting).expect_err("disagrees");
        assert_eq!(error.pointer, "/venda/codigo");
        assert!(error.to_string().contains("venda[codigo]"), "{error}");
        let error = to_value("a=1&json=%7Bnot").expect_err("not JSON");
        assert_eq!(error.pointer, "/json");
    }

    /// Issue 30: a second `json` copy was read in place of the first, a key
    /// repeated inside the copy kept its last value, numbers "agreed" through
    /// floats, and a copy with an empty list dropped the form's items.
    #[test]
    fn the_json_copy_is_one_exact_copy() {
        let error = to_value("a=1&json=%7B%7D&json=%7B%22a%22%3A%221%22%7D").expect_err("twice");
        assert_eq!(error.pointer, "/json");
        assert!(
            error.to_string().contains("each form field once"),
            "{error}"
        );
        let error = to_value("a=1&json=%7B%22b%22%3A1%2C%22b%22%3A2%7D").expect_err("repeated key");
        assert_eq!(error.pointer, "/b");
        assert!(error.to_string().contains("each key once"), "{error}");
        let error = to_value("n=12345678901234567&json=%7B%22n%22%3A12345678901234568%7D")
            .expect_err("different numbers");
        assert_eq!(error.pointer, "/n");
        for (form, copy) in [
            ("1.50", "1.5"),
            ("150", "1.5e2"),
            ("0", "-0.0"),
            ("-2", "-2"),
        ] {
            let text = format!("n={form}&json=%7B%22n%22%3A{copy}%7D");
            assert!(to_value(&text).is_ok(), "{form} against {copy}");
        }
        let error =
            to_value("items[0][id]=a&json=%7B%22items%22%3A%5B%5D%7D").expect_err("dropped");
        assert_eq!(error.pointer, "/items/0");
        assert!(error.to_string().contains("\"items[0][id]\""), "{error}");
        let added = to_value("items[0][id]=a&json=%7B%7D").expect("added whole");
        assert_eq!(added, json!({"items": [{"id": "a"}]}));
    }

    #[test]
    fn bracket_keys_of_a_json_object_nest() {
        let object = json!({"type": "invoice", "trans_items[0][item_id]": "2",
            "trans_items[0][item_value]": 50, "trans_items[1][item_id]": "3"});
        let Value::Object(map) = object else {
            unreachable!()
        };
        assert_eq!(
            nest(map).expect("nested"),
            json!({"type": "invoice", "trans_items": [{"item_id": "2", "item_value": 50}, {"item_id": "3"}]})
        );
    }

    #[test]
    fn encoded_values_decode_back() {
        let text = "{\"chave_unica\": \"a-b_c.d\"} & 100% ç+";
        assert_eq!(decode(&encode(text)).as_deref(), Some(text));
        assert_eq!(encode("a b-c"), "a+b-c");
    }

    #[test]
    fn forms_are_told_from_json_and_from_text() {
        assert!(looks_like_form("a=1&b[c]=2"));
        assert!(looks_like_form("a=&b=%C3%A9\n"));
        assert!(!looks_like_form("{\"a\":1}"));
        assert!(!looks_like_form("not a form"));
        assert!(!looks_like_form("a=1 b=2"));
        assert!(!looks_like_form("=1"));
        assert!(!looks_like_form("a=%ZZ"));
        assert!(!looks_like_form("a=%C3"));
        assert!(!looks_like_form("https://example.com/hook?signature=x&a=1"));
    }

    #[test]
    fn positions_point_at_the_field() {
        let text = "x=1&venda[codigo]=7&venda[valor]=abc";
        assert_eq!(position(text, "/venda/valor"), Some((1, 34)));
        assert_eq!(position(text, "/venda"), Some((1, 19)));
        assert_eq!(position(text, "/venda/valor/deeper"), Some((1, 34)));
    }
}
