//! `explain` names, as a field's sources, the pointers its value was read
//! from: each exists in the body, holds the value shown, and is the raw field
//! the documentation gives for that field (issue 29).

use hooknorm::explain::{Explanation, explain};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every raw sample (`samples/<provider>/`, JSON and forms) and real capture.
fn documents() -> Vec<PathBuf> {
    let mut found = Vec::new();
    for folder in ["samples", "tests/fixtures/captures"] {
        let Ok(providers) = std::fs::read_dir(root().join(folder)) else {
            continue;
        };
        for provider in providers.flatten().filter(|entry| entry.path().is_dir()) {
            for file in std::fs::read_dir(provider.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = file.path();
                let name = path.to_string_lossy();
                let raw = [".json", ".form", ".txt"]
                    .iter()
                    .any(|ext| name.ends_with(ext));
                let expected = name.ends_with(".expected.json") || name.ends_with(".refused.txt");
                if raw && !expected {
                    found.push(path);
                }
            }
        }
    }
    found.sort();
    found
}

/// The document the pointers of `explain` lead into: the input, its form read
/// as JSON, or a captured request with its string body decoded.
fn pointed(text: &str) -> Value {
    if hooknorm::form::looks_like_form(text) {
        return hooknorm::form::to_value(text).unwrap_or(Value::Null);
    }
    let mut value: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    if value.get("headers").is_some()
        && let Some(Value::String(body)) = value.get("body").cloned()
    {
        let decoded = match hooknorm::form::looks_like_form(&body) {
            true => hooknorm::form::to_value(&body).unwrap_or(Value::Null),
            false => serde_json::from_str(&body).unwrap_or(Value::Null),
        };
        value["body"] = decoded;
    }
    value
}

/// A value `explain` shows masked (a credential, a card number).
fn masked(value: &Value) -> bool {
    value
        .as_str()
        .is_some_and(|text| text.starts_with("[secret ") || text.starts_with("[card number"))
}

#[test]
fn every_source_is_the_value_at_its_pointer() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in documents() {
        let text = std::fs::read_to_string(&path).expect("readable");
        let Ok(explanation) = explain(&text, &Default::default()) else {
            continue; // Not converted (yet), or needs an event given.
        };
        let document = pointed(&text);
        for field in &explanation.fields {
            for source in &field.from {
                checked += 1;
                match document.pointer(&source.pointer) {
                    None => failures.push(format!(
                        "{}: {} ← {}: no such pointer in the body",
                        path.display(),
                        field.pointer,
                        source.pointer
                    )),
                    Some(found) if *found != source.value && !masked(&source.value) => failures
                        .push(format!(
                            "{}: {} ← {} shows {} but the body has {found}",
                            path.display(),
                            field.pointer,
                            source.pointer,
                            source.value
                        )),
                    Some(_) => {}
                }
            }
        }
    }
    assert!(checked > 1000, "sources checked: {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn explained(path: &str) -> Explanation {
    let text = std::fs::read_to_string(root().join(path)).expect("sample");
    explain(&text, &Default::default()).expect("explained")
}

fn sources(explanation: &Explanation, pointer: &str) -> Vec<String> {
    explanation
        .fields
        .iter()
        .find(|field| field.pointer == pointer)
        .map(|field| field.from.iter().map(|s| s.pointer.clone()).collect())
        .unwrap_or_default()
}

/// A field of a per-type shape (`qrcode_signature ← pix.qrCode`) comes from
/// the raw field that row names, not from the one that says the type.
#[test]
fn a_payment_method_field_comes_from_its_own_raw_field() {
    let pix = explained("samples/cakto/purchase_approved.pix.unique.notion-doc.json");
    let method = "/payload/payment/payment_method";
    assert_eq!(
        sources(&pix, &format!("{method}/qrcode_signature")),
        ["/data/pix/qrCode"]
    );
    assert_eq!(
        sources(&pix, &format!("{method}/expiration_date")),
        ["/data/pix/expirationDate"]
    );
    assert_eq!(
        sources(&pix, &format!("{method}/type")),
        ["/data/paymentMethod"]
    );
}

fn kiwify_card() -> Option<PathBuf> {
    documents().into_iter().find(|path| {
        let name = path.to_string_lossy();
        name.contains("samples/kiwify/")
            && std::fs::read_to_string(path).is_ok_and(|text| {
                text.contains("\"card_type\": \"")
                    && !text.contains("\"card_type\": \"\"")
                    && text.contains("\"payment_method\": \"credit_card\"")
            })
    })
}

#[test]
fn a_card_brand_comes_from_the_card_type() {
    let path = kiwify_card().expect("a Kiwify card sample");
    let text = std::fs::read_to_string(&path).expect("sample");
    let explanation = explain(&text, &Default::default()).expect("explained");
    let brand = sources(&explanation, "/payload/payment/payment_method/brand");
    assert_eq!(brand.len(), 1, "{brand:?}");
    assert!(brand[0].ends_with("/card_type"), "{brand:?}");
}

/// A documented raw field present and `null` is a source holding `null`, not
/// an absent one.
#[test]
fn a_field_present_and_null_is_said_to_be_null() {
    let text = std::fs::read_to_string(
        root().join("samples/cakto/purchase_approved.pix.unique.notion-doc.json"),
    )
    .expect("sample");
    let mut body: Value = serde_json::from_str(&text).expect("JSON");
    body["data"]["pix"]["expirationDate"] = Value::Null;
    let explanation = explain(&body.to_string(), &Default::default()).expect("explained");
    let field = explanation
        .fields
        .iter()
        .find(|field| field.pointer == "/payload/payment/payment_method/expiration_date")
        .expect("the field");
    assert_eq!(field.value, Value::Null);
    let from: Vec<Value> = field
        .from
        .iter()
        .map(|s| json!({"pointer": s.pointer, "value": s.value}))
        .collect();
    assert_eq!(
        from,
        [json!({"pointer": "/data/pix/expirationDate", "value": null})]
    );
}

#[test]
fn the_samples_are_found() {
    let count = documents().len();
    assert!(count > 100, "documents: {count}");
    assert!(Path::new(&root()).join("samples").is_dir());
}
