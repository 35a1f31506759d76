//! What the second round of providers adds beyond their samples: Eduzz's two
//! generations (its legacy postback as a form too, v3's signature), and the
//! verify schemes of the providers that sign nothing.

mod common;

use common::{hooknorm, read, sample};
use hmac::{Hmac, Mac};
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Eduzz lets the producer choose JSON or a form for its legacy postback; its
/// bracket keys (`trans_items[0][item_id]`) mean the same either way.
#[test]
fn eduzz_legacy_postback_as_a_form_is_the_same_event() {
    let json_text = read(&sample(
        "eduzz/legacy.trans_status-3.recurrence.test-event.json",
    ));
    let value: serde_json::Value = serde_json::from_str(&json_text).expect("JSON");
    let form: Vec<String> = value
        .as_object()
        .expect("object")
        .iter()
        .map(|(name, value)| {
            let text = value
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| value.to_string());
            let escape = |s: &str| {
                s.bytes()
                    .map(|b| match b {
                        b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => {
                            (b as char).to_string()
                        }
                        b' ' => "+".to_owned(),
                        other => format!("%{other:02X}"),
                    })
                    .collect::<String>()
            };
            format!("{}={}", escape(name), escape(&text))
        })
        .collect();
    let from_json = hooknorm()
        .arg("convert")
        .write_stdin(json_text)
        .output()
        .expect("runs");
    let from_form = hooknorm()
        .arg("convert")
        .write_stdin(form.join("&"))
        .output()
        .expect("runs");
    assert!(from_form.status.success(), "{from_form:?}");
    assert_eq!(from_form.stdout, from_json.stdout);
}

/// Eduzz v3: `x-signature` is HMAC-SHA256 of the body as received, in hex.
#[test]
fn eduzz_v3_signature_is_checked_over_the_raw_body() {
    let body = read(&sample("eduzz/v3.myeduzz.invoice_paid.docs-example.json"));
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"eduzz-secret").expect("key");
    mac.update(body.as_bytes());
    let signature = hex(&mac.finalize().into_bytes());
    let request = |signature: &str| {
        serde_json::json!({"headers": {"x-signature": signature}, "body": body}).to_string()
    };
    hooknorm()
        .args(["verify", "--secret", "eduzz-secret"])
        .write_stdin(request(&signature))
        .assert()
        .success()
        .stdout(contains(
            "authentic: eduzz HMAC-SHA256 of the body (x-signature)",
        ))
        .stdout(contains(signature.as_str()).not());
    hooknorm()
        .args(["verify", "--secret", "another"])
        .write_stdin(request(&signature))
        .assert()
        .code(1);
    // A re-serialized body has lost the bytes the signature covers: refused.
    let object: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let reserialized = serde_json::json!({"headers": {"x-signature": signature}, "body": object});
    hooknorm()
        .args(["verify", "--secret", "eduzz-secret"])
        .write_stdin(reserialized.to_string())
        .assert()
        .code(65);
}

/// Ticto, Digital Manager Guru and Eduzz's legacy postback echo a token in the
/// body: judged only behind --allow-echoed-secret, never printed; Appmax
/// documents no scheme at all.
#[test]
fn echoed_tokens_need_the_opt_in_and_appmax_has_no_scheme() {
    for (path, field) in [
        (
            "ticto/authorized.credit_card.subscription.real-capture-likely.json",
            "token",
        ),
        (
            "digital_manager_guru/transaction.approved.third-party-fixture.json",
            "api_token",
        ),
        (
            "eduzz/legacy.trans_status-3.recurrence.test-event.json",
            "origin_secret",
        ),
    ] {
        let body: serde_json::Value = serde_json::from_str(&read(&sample(path))).expect("JSON");
        let token = body[field].as_str().expect("a token").to_owned();
        hooknorm()
            .args(["verify", "--secret", &token])
            .arg(sample(path))
            .assert()
            .code(1)
            .stdout(contains("--allow-echoed-secret"))
            .stdout(contains(token.as_str()).not());
        hooknorm()
            .args(["verify", "--allow-echoed-secret", "--secret", &token])
            .arg(sample(path))
            .assert()
            .success()
            .stdout(contains(token.as_str()).not());
        for command in [
            &["convert"][..],
            &["explain"],
            &["detect", "--format", "json"],
        ] {
            hooknorm()
                .args(command)
                .arg(sample(path))
                .assert()
                .stdout(contains(token.as_str()).not());
        }
    }
    hooknorm()
        .args(["verify", "--secret", "x"])
        .arg(sample(
            "appmax/OrderPaid.standard-template.third-party-reference.json",
        ))
        .assert()
        .code(65)
        .stderr(contains("Appmax documents no way to authenticate"));
}

/// `explain` reads Eduzz's bracket keys as the paths its page writes.
#[test]
fn explain_finds_raw_fields_written_in_bracket_form() {
    let text = read(&sample("eduzz/legacy.cart_abandonment.test-event.json"));
    let explanation = hooknorm::explain::explain(&text, &Default::default()).expect("explained");
    let name = explanation
        .fields
        .iter()
        .find(|field| field.pointer == "/payload/customer/name")
        .expect("customer.name");
    let sources: Vec<&str> = name.from.iter().map(|s| s.pointer.as_str()).collect();
    assert_eq!(sources, ["/customer[name]"]);
}
