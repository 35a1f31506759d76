//! `hooknorm diff`: exit statuses, formats, conversion of raw sides, `--docs`; and
//! the JSON Patch it prints, applied by an independent implementation (the
//! `json-patch` crate), turning LEFT into RIGHT for generated documents.

mod common;

use common::{hooknorm, read_json as read, root, sample};
use hooknorm::diff::{Node, Options, diff};
use predicates::str::contains;
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::PathBuf;

fn temp(name: &str, value: &Value) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("diff-{name}"));
    std::fs::write(&path, serde_json::to_string_pretty(value).expect("JSON")).expect("write");
    path
}

/// Two string fields of each object of a JSON array: `(op, path)` of a patch,
/// `(change, pointer)` of the change records.
fn pairs(list: &Value, first: &str, second: &str) -> Vec<(String, String)> {
    let text = |item: &Value, key: &str| item[key].as_str().unwrap_or("").to_owned();
    list.as_array()
        .expect("an array")
        .iter()
        .map(|item| (text(item, first), text(item, second)))
        .collect()
}

/// The RFC 6902 patch `diff` gives, and whether it found no change.
fn patch_of(left: &Value, right: &Value) -> (Value, bool) {
    let (left, right) = (Node::of(left), Node::of(right));
    let result = diff(&left, &right, &Options::default());
    (result.to_patch(), result.is_empty())
}

fn equal(left: &Value, right: &Value) -> bool {
    hooknorm::diff::equal(&Node::of(left), &Node::of(right), 0.0)
}

fn apply(left: &Value, patch: &Value) -> Value {
    let mut document = left.clone();
    // Read from text: serde_json's from_value cannot hand a number beyond u64
    // (kept exact by arbitrary_precision) to json-patch's tagged operations.
    let patch: json_patch::Patch = serde_json::from_str(&patch.to_string()).expect("a JSON Patch");
    json_patch::patch(&mut document, &patch).expect("the patch applies");
    document
}

#[test]
fn a_raw_body_against_its_expected_output_is_the_same() {
    hooknorm()
        .arg("diff")
        .arg(sample("cakto/pix_gerado.pix.grouped.CONSTRUCTED.json"))
        .arg(sample(
            "cakto/pix_gerado.pix.grouped.CONSTRUCTED.expected.json",
        ))
        .assert()
        .success()
        .stdout(contains("(converted from cakto)"))
        .stdout(contains("no differences"));
}

#[test]
fn changes_grouped_with_money_and_time_readable() {
    let left_path = sample("cakto/purchase_approved.credit_card.panel-sample.expected.json");
    let mut right = read(&left_path);
    right["payload"]["payment"]["total"] = json!(29900);
    right["payload"]["order"]["paid_at"] = json!(1705319000);
    right["payload"]["customer"]["document"] = json!(12345678909u64);
    let right_path = temp("changed.json", &right);
    hooknorm()
        .args(["diff"])
        .arg(&left_path)
        .arg(&right_path)
        .assert()
        .code(1)
        .stdout(contains(
            "payload/payment\n  ~ /payload/payment/total: 9000 (R$ 90,00) → 29900 (R$ 299,00)",
        ))
        .stdout(contains("1705319000 (2024-01-15 11:43:20 UTC)"))
        .stdout(contains("(type changed: string → number)"))
        .stdout(contains("3 changes: 0 added, 0 removed, 3 changed"));
}

#[test]
fn the_patch_applied_to_left_gives_right() {
    let left_path = sample("cakto/pix_gerado.pix.grouped.CONSTRUCTED.expected.json");
    let left = read(&left_path);
    let mut right = left.clone();
    let products = right["payload"]["products"]
        .as_array_mut()
        .expect("products");
    let inserted = json!({"id": "new-bump", "name": "Brinde", "type": "product", "quantity": null, "unit_value": 0, "total_value": 0, "image_url": null, "offer_type": "order_bump"});
    products.insert(1, inserted);
    products[3]["unit_value"] = json!(5000);
    right["payload"]["lead_tracking"]["utm_term"] = Value::Null;
    // A phone number that passes the Luhn check (as one in ten does) is carried
    // as it is, not masked as if it were a card number.
    right["payload"]["customer"]["phone_numbers"] = json!([{"formatted_phone": "+5547954624669", "type": null, "raw_number": "5547954624669",
            "area_code": "47", "international_dialing_code": "55"}]);
    let right_path = temp("patched.json", &right);
    let assert = hooknorm()
        .args(["diff", "--format", "json-patch"])
        .arg(&left_path)
        .arg(&right_path)
        .assert()
        .code(1);
    let patch: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    let ops = pairs(&patch, "op", "path");
    let ops: Vec<(&str, &str)> = ops.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    assert!(
        ops.contains(&("add", "/payload/products/1")),
        "one inserted product is one add: {ops:?}"
    );
    assert!(
        !ops.iter()
            .any(|(op, path)| *op == "replace" && path.starts_with("/payload/products/2")),
        "{ops:?}"
    );
    assert_eq!(apply(&left, &patch), right);
}

#[test]
fn json_records_and_ignore() {
    let left = json!({"a": 1, "items": [{"at": 1}], "b": "x"});
    let right = json!({"a": 2, "items": [{"at": 5}], "c": "y"});
    let (l, r) = (temp("rec-l.json", &left), temp("rec-r.json", &right));
    let assert = hooknorm()
        .args(["diff", "--format", "json", "--ignore", "/items/*/at"])
        .arg(&l)
        .arg(&r)
        .assert()
        .code(1);
    let records: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    let kinds = pairs(&records, "change", "pointer");
    let kinds: Vec<(&str, &str)> = kinds
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(
        kinds,
        vec![("changed", "/a"), ("removed", "/b"), ("added", "/c")]
    );
    hooknorm()
        .args([
            "diff", "--ignore", "/a", "--ignore", "/b", "--ignore", "/c", "--ignore", "/items",
        ])
        .arg(&l)
        .arg(&r)
        .assert()
        .success();
    hooknorm()
        .args([
            "diff",
            "--tolerance",
            "5",
            "--ignore",
            "/b",
            "--ignore",
            "/c",
        ])
        .arg(&l)
        .arg(&r)
        .assert()
        .success();
}

#[test]
fn docs_mode_names_each_departure() {
    let fixture = |name: &str| {
        root()
            .join("tests/fixtures/invalid")
            .join(format!("{name}.json"))
    };
    for (name, kind, pointer) in [
        (
            "missing-key.order-paid_at",
            "missing",
            "/payload/order/paid_at",
        ),
        (
            "extra-key.customer-nickname",
            "undocumented",
            "/payload/customer/nickname",
        ),
        (
            "always-null-set.cakto-updated_at",
            "always null",
            "/payload/order/updated_at",
        ),
        (
            "wrong-type.total-as-string",
            "wrong type",
            "/payload/payment/total",
        ),
    ] {
        hooknorm()
            .args(["diff", "--docs"])
            .arg(fixture(name))
            .assert()
            .code(1)
            .stdout(contains(format!("  {kind:<13} {pointer}")));
    }
    hooknorm()
        .args(["diff", "--docs"])
        .arg(sample(
            "hotmart/PURCHASE_OUT_OF_SHOPPING_CART.docs-example.json",
        ))
        .assert()
        .success()
        .stdout(contains("against hotmart.event.json"))
        .stdout(contains("matches the documented format"));
}

#[test]
fn exit_statuses() {
    let same = sample("kiwify/abandoned_cart.test-webhook.expected.json");
    hooknorm()
        .arg("diff")
        .arg(&same)
        .arg(&same)
        .assert()
        .success()
        .stdout(contains("no differences"));
    hooknorm().arg("diff").arg(&same).assert().code(2);
    hooknorm()
        .args(["diff", "--docs"])
        .arg(&same)
        .arg(&same)
        .assert()
        .code(2);
    hooknorm()
        .args(["diff", "--ignore", "payload"])
        .arg(&same)
        .arg(&same)
        .assert()
        .code(2);
    hooknorm()
        .arg("diff")
        .arg(&same)
        .arg("no/such.json")
        .assert()
        .code(66);
    hooknorm()
        .arg("diff")
        .arg(&same)
        .arg(root().join("tests/fixtures/not-json.json"))
        .assert()
        .code(65);
}

#[test]
fn arrays_and_other_plain_json_are_compared_as_they_are() {
    let (l, r) = (
        temp("arr-l.json", &json!([{"id": 1}, {"id": 2}])),
        temp("arr-r.json", &json!([{"id": 1}, {"id": 3}, {"id": 2}])),
    );
    hooknorm()
        .arg("diff")
        .arg(&l)
        .arg(&r)
        .assert()
        .code(1)
        .stdout(contains("+ /1 (id 3)"));
    let (l, r) = (
        temp("num-l.json", &json!(5)),
        temp("num-r.json", &json!(5.0)),
    );
    hooknorm().arg("diff").arg(&l).arg(&r).assert().success();
}

/// Found by fuzzing: a number beyond u64 on one side; the patch still applies.
#[test]
fn a_patch_with_a_number_beyond_u64_applies() {
    let left: Value = serde_json::from_str("1").expect("JSON");
    let right: Value = serde_json::from_str("5643333333333333333333333334").expect("JSON");
    let (patch, _) = patch_of(&left, &right);
    assert!(equal(&apply(&left, &patch), &right));
}

/// Numbers beyond u64 and f64 are compared and printed exactly, in every format.
#[test]
fn numbers_beyond_f64_compared_and_shown_exactly() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let (l, r) = (dir.join("big-l.json"), dir.join("big-r.json"));
    std::fs::write(&l, r#"{"n": 18446744073709551617, "m": 1.0}"#).expect("write");
    std::fs::write(&r, r#"{"n": 18446744073709551616, "m": 1}"#).expect("write");
    hooknorm()
        .args(["diff"])
        .arg(&l)
        .arg(&r)
        .assert()
        .code(1)
        .stdout(contains("18446744073709551617 → 18446744073709551616"));
    hooknorm()
        .args(["diff", "--format", "json-patch"])
        .arg(&l)
        .arg(&r)
        .assert()
        .code(1)
        .stdout(contains(r#""value": 18446744073709551616"#));
}

#[test]
fn plain_json_and_unicode() {
    let (l, r) = (
        temp("u-l.json", &json!({"nome": "João", "ç": [1, 2]})),
        temp("u-r.json", &json!({"nome": "Joana", "ç": [1, 2]})),
    );
    hooknorm()
        .arg("diff")
        .arg(&l)
        .arg(&r)
        .assert()
        .code(1)
        .stdout(contains("~ /nome: \"João\" → \"Joana\""));
}

/// JSON values of bounded depth with a small alphabet of keys, so that generated
/// pairs share structure and the interesting cases (moves, inserts) happen.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        (-5i64..5).prop_map(|n| json!(n)),
        (-2.0f64..2.0).prop_map(|f| json!((f * 4.0).round() / 4.0)),
        prop::sample::select(vec!["a", "b", "é", "~/", ""]).prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec!["id", "a", "b", "c/d", "~"]).prop_map(String::from),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Arrays of objects with ids, to exercise matching by key.
fn keyed_array() -> impl Strategy<Value = Value> {
    prop::collection::vec((0u8..8, -3i64..3), 0..8).prop_map(|items| {
        let mut seen = std::collections::HashSet::new();
        Value::Array(
            items
                .into_iter()
                .filter(|(id, _)| seen.insert(*id))
                .map(|(id, v)| json!({"id": format!("p{id}"), "v": v}))
                .collect(),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn patch_turns_left_into_right(left in json_value(), right in json_value()) {
        let (patch, is_empty) = patch_of(&left, &right);
        let patched = apply(&left, &patch);
        prop_assert!(equal(&patched, &right), "left {left}\nright {right}\npatch {patch}\npatched {patched}");
        prop_assert_eq!(is_empty, equal(&left, &right));
    }

    #[test]
    fn keyed_arrays_patch_correctly(left in keyed_array(), right in keyed_array()) {
        let (left, right) = (json!({"products": left}), json!({"products": right}));
        let (patch, _) = patch_of(&left, &right);
        let patched = apply(&left, &patch);
        prop_assert!(equal(&patched, &right), "left {left}\nright {right}\npatch {patch}");
    }
}

/// `--docs` reads the schema's errors as data: undocumented keys whose names
/// hold quotes, commas or parentheses were cut apart when parsed back out of
/// jsonschema's message text.
#[test]
fn docs_mode_reads_names_from_the_errors_not_their_text() {
    let mut event = read(&sample(
        "cakto/purchase_approved.pix.unique.notion-doc.expected.json",
    ));
    let customer = event
        .pointer_mut("/payload/customer")
        .and_then(Value::as_object_mut)
        .expect("customer");
    customer.insert("it's, (odd)".into(), json!(1));
    customer.insert("x' was unexpected".into(), json!(2));
    customer.remove("email");
    let path = temp("docs-odd-names.json", &event);
    let output = hooknorm()
        .args(["diff", "--docs", "--format", "json"])
        .arg(&path)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).expect("JSON");
    let mut found = pairs(&report["departures"], "departure", "pointer");
    found.sort();
    assert_eq!(
        found,
        vec![
            ("missing".to_owned(), "/payload/customer/email".to_owned()),
            (
                "undocumented".to_owned(),
                "/payload/customer/it's, (odd)".to_owned()
            ),
            (
                "undocumented".to_owned(),
                "/payload/customer/x' was unexpected".to_owned()
            ),
        ]
    );
}
