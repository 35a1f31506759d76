//! Wrong output and wrong exits found from outside (issue 30): repeated keys,
//! wrong-typed and fractional amounts, forms against their `json` copy, request
//! headers given twice, forms in `diff`, raw control characters on stderr,
//! standard output on `/dev/null` or a full device, a folder given as a file.

mod common;

use common::{hooknorm, read, read_json, sample};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

const EDUZZ_LEGACY: &str = "eduzz/legacy.invoice_paid.credit_card.CONSTRUCTED.json";
const EDUZZ_V3: &str = "eduzz/v3.myeduzz.invoice_paid.docs-example.json";
const TICTO: &str = "ticto/authorized.credit_card.one-off.CONSTRUCTED.json";
const MONETIZZE_FORM: &str =
    "monetizze/postback.tipoEvento-6_completa.form-encoded.CONSTRUCTED.form";
const TROQUECOMMERCE: &str = "troquecommerce/event-3_reversa-aprovada.CONSTRUCTED.json";
const CAKTO: &str = "cakto/purchase_approved.pix.unique.notion-doc.json";

/// A form field's value, percent-encoded.
fn encoded(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                (byte as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// `%XX` escapes and `+` decoded.
fn decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut index = 0;
    while let Some(&byte) = bytes.get(index) {
        match byte {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(&bytes[index + 1..index + 3]).expect("hex");
                out.push(u8::from_str_radix(hex, 16).expect("hex"));
                index += 2;
            }
            other => out.push(other),
        }
        index += 1;
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The Monetizze form sample (which carries the payload's `json` copy), one
/// line, its copy's text changed by `edit`, and `extra` appended.
fn monetizze_form(edit: impl Fn(String) -> String, extra: &str) -> String {
    let form = read(&sample(MONETIZZE_FORM));
    let pairs: Vec<String> = form
        .trim_end()
        .split('&')
        .map(|pair| match pair.strip_prefix("json=") {
            Some(copy) => format!("json={}", encoded(&edit(decoded(copy)))),
            None => pair.to_owned(),
        })
        .collect();
    format!("{}{extra}", pairs.join("&"))
}

/// The copy of the Monetizze sample, as its text.
fn monetizze_copy() -> String {
    let form = read(&sample(MONETIZZE_FORM));
    let copy = form
        .trim_end()
        .split('&')
        .find_map(|pair| pair.strip_prefix("json="))
        .expect("the sample carries a json copy");
    decoded(copy)
}

// 1. Repeated names: one rule for every provider and both encodings.

#[test]
fn the_monetizze_sample_converts_with_its_copy() {
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(monetizze_form(|copy| copy, ""))
        .assert()
        .success();
}

#[test]
fn a_json_copy_given_twice_in_a_form_is_refused() {
    let form = monetizze_form(
        |copy| copy,
        &format!("&json={}", encoded(&monetizze_copy())),
    );
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(form)
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains("/json: expected each form field once").and(contains("\"json\"")));
}

#[test]
fn a_key_repeated_inside_the_json_copy_is_refused() {
    let repeated = |copy: String| {
        assert!(copy.contains("\"tipoEvento\":{\"codigo\":6,"), "{copy}");
        copy.replacen(
            "\"tipoEvento\":{\"codigo\":6,",
            "\"tipoEvento\":{\"codigo\":3,\"codigo\":6,",
            1,
        )
    };
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(monetizze_form(repeated, ""))
        .assert()
        .code(65)
        .stdout("")
        .stderr(
            contains("/tipoEvento/codigo: expected each key once")
                .and(contains("\"codigo\" a second time")),
        );
}

#[test]
fn eduzz_refuses_a_key_it_reads_given_twice() {
    let legacy = read(&sample(EDUZZ_LEGACY)).replacen(
        "\"event_name\": \"invoice_paid\"",
        "\"event_name\": \"invoice_paid\", \"event_name\": \"invoice_refunded\"",
        1,
    );
    assert!(legacy.contains("invoice_refunded"));
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(legacy)
        .assert()
        .code(65)
        .stdout("")
        .stderr(
            contains("<stdin>:112:")
                .and(contains("/event_name: expected each key once"))
                .and(contains("\"event_name\" a second time")),
        );
    let v3 = read(&sample(EDUZZ_V3)).replacen(
        "\"status\": \"paid\",",
        "\"status\": \"paid\", \"status\": \"refunded\",",
        1,
    );
    assert!(v3.contains("refunded"));
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(v3)
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains("/data/status: expected each key once"));
}

// 2. Amounts: a wrong type and fractional cents are refused.

#[test]
fn eduzz_refuses_a_wrong_typed_amount() {
    let mut body = read_json(&sample(EDUZZ_V3));
    body["data"]["price"]["value"] = Value::Bool(true);
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(body.to_string())
        .assert()
        .code(65)
        .stdout("")
        .stderr(
            contains("/data/price/value: expected an amount").and(contains("found a boolean true")),
        );
    let mut legacy = read_json(&sample(EDUZZ_LEGACY));
    legacy["trans_value"] = serde_json::json!({"a": 1});
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(legacy.to_string())
        .assert()
        .code(65)
        .stderr(contains("/trans_value: expected an amount"));
}

#[test]
fn ticto_refuses_fractional_cents() {
    let body =
        read(&sample(TICTO)).replacen("\"paid_amount\": 19700", "\"paid_amount\": 19699.999", 1);
    assert!(body.contains("19699.999"));
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(body)
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains("/order/paid_amount").and(contains("19699.999")));
}

// 3. A form against its `json` copy: compared exactly, nothing dropped.

#[test]
fn form_and_copy_numbers_are_compared_exactly() {
    let with_number = |copy: String| {
        let mut copy: Value = serde_json::from_str(&copy).expect("JSON");
        copy["numero"] = serde_json::from_str("12345678901234568").expect("number");
        copy.to_string()
    };
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(monetizze_form(with_number, "&numero=12345678901234567"))
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains("/numero: expected the form field \"numero\""));
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(monetizze_form(with_number, "&numero=12345678901234568.0"))
        .assert()
        .success();
}

#[test]
fn a_copy_without_the_forms_items_disagrees() {
    let without_items = |copy: String| {
        let mut copy: Value = serde_json::from_str(&copy).expect("JSON");
        copy["produtos"] = Value::Array(Vec::new());
        copy.to_string()
    };
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(monetizze_form(without_items, ""))
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains("/produtos/0: expected the form field \"produtos[0][produto]\" and the `json` copy of the payload to agree"));
}

// 4. Request headers: the captured request's first, each name once.

fn troquecommerce_request() -> std::path::PathBuf {
    sample(TROQUECOMMERCE)
}

#[test]
fn the_captured_requests_header_wins_over_header() {
    hooknorm()
        .args(["convert", "--compact", "--header", "Event: 4"])
        .arg(troquecommerce_request())
        .assert()
        .success()
        .stdout(contains("\"event\":\"reverse_logistic.return.approved\""));
}

#[test]
fn a_header_given_twice_is_refused_by_convert_as_by_verify() {
    for command in ["convert", "detect", "explain"] {
        hooknorm()
            .args([command, "--header", "Event: 3", "--header", "event: 4"])
            .arg(troquecommerce_request())
            .assert()
            .code(65)
            .stdout("")
            .stderr(contains("each --header name once (`event` is given twice)"));
    }
}

// 5. Forms in diff.

#[test]
fn diff_reads_a_form_as_any_command_does() {
    let expected = sample(
        &MONETIZZE_FORM
            .strip_suffix(".form")
            .map(|stem| format!("{stem}.expected.json"))
            .expect("a form"),
    );
    hooknorm()
        .arg("diff")
        .arg(sample(MONETIZZE_FORM))
        .arg(&expected)
        .assert()
        .success()
        .stdout(contains("no differences"));
    hooknorm()
        .args(["diff", "--raw"])
        .arg(sample(MONETIZZE_FORM))
        .arg(&expected)
        .assert()
        .code(1);
}

// 6. Control characters of the input never reach stderr raw.

#[test]
fn keys_with_control_characters_are_escaped_on_stderr() {
    for input in [
        "a%0Ab%1B=1&a%0Ab%1B=2".to_owned(),
        "{\"x\\ny\\u001b[31m\": 1}".to_owned(),
        format!("{{\"secret\\n{}\": 1}}", "k".repeat(5000)),
    ] {
        let output = hooknorm()
            .arg("convert")
            .write_stdin(input.clone())
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(65), "{input}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(stderr.lines().count(), 1, "{input}: {stderr}");
        assert!(!stderr.contains('\u{1b}'), "{input}: {stderr}");
        assert!(stderr.len() < 2000, "{input}: {} bytes", stderr.len());
    }
}

// 7. and 8. Standard output.

#[cfg(unix)]
#[test]
fn stdout_on_dev_null_opened_read_write_is_not_closed() {
    let null = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open("/dev/null")
        .expect("/dev/null");
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("hooknorm"))
        .arg("convert")
        .arg(sample(CAKTO))
        .stdout(null)
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_full_device_is_reported_once() {
    let line = serde_json::to_string(&read_json(&sample(CAKTO))).expect("JSON");
    let dir = common::temp_dir("full-device");
    let stream = dir.join("stream.ndjson");
    std::fs::write(&stream, format!("{line}\n").repeat(2000)).expect("write");
    for command in ["convert", "detect"] {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .expect("/dev/full");
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("hooknorm"))
            .arg(command)
            .arg(&stream)
            .stdout(full)
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(74), "{command}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            stderr.matches("error: <stdout>").count(),
            1,
            "{command}: {stderr}"
        );
    }
}

#[test]
fn a_folder_given_to_convert_is_no_input() {
    let empty = common::temp_dir("empty-folder");
    for command in ["convert", "detect", "explain"] {
        hooknorm()
            .arg(command)
            .arg(&empty)
            .assert()
            .code(66)
            .stdout("")
            .stderr(contains("a folder"));
    }
}
