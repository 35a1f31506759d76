//! No secret reaches any output: every sample that carries one (Cakto `secret`,
//! Hotmart `hottok`, Kiwify `signature`, OPABOX `x-api-key`, full card numbers),
//! through every command and format, on success and on failure.

mod common;

use common::{hooknorm, read, sample};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Distinctive secrets planted where each provider sends its own.
fn planted() -> Vec<(String, Value)> {
    let load = |path: &str| -> Value { serde_json::from_str(&read(&sample(path))).expect("JSON") };
    let mut cakto = load("cakto/purchase_approved.credit_card.panel-sample.json");
    cakto["secret"] = json!("SECRET-CAKTO-7f3a1");
    let mut kiwify = json!({
        "signature": "SECRET-KIWIFY-SIG-99",
        "url": "https://example.com/hook",
        "order": load("kiwify/order_approved.credit_card.subscription.test-webhook.json"),
    });
    kiwify["order"]["Customer"]["card_number"] = json!("4111111111111111");
    let mut hotmart = load("hotmart/PURCHASE_COMPLETE.pix.CONSTRUCTED.json");
    hotmart["hottok"] = json!("SECRET-HOTTOK-8c1d");
    let opabox = json!({
        "headers": {"x-api-key": "SECRET-OPABOX-KEY-42"},
        "body": load("opabox/orders.status-22.seed-example.json"),
    });
    vec![
        ("cakto".into(), cakto),
        ("kiwify".into(), kiwify),
        ("hotmart".into(), hotmart),
        ("opabox".into(), opabox),
    ]
}

const SECRETS: &[&str] = &["SECRET-", "4111111111111111"];

fn write(name: &str, value: &Value) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("secrets-{name}.json"));
    std::fs::write(&path, value.to_string()).expect("written");
    path
}

fn assert_clean(args: &[&str], paths: &[&PathBuf]) {
    let output = hooknorm().args(args).args(paths).output().expect("runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.is_empty(), "{args:?} said nothing");
    for secret in SECRETS {
        assert!(
            !all.contains(secret),
            "{secret} leaked with {args:?} {paths:?}:\n{all}"
        );
    }
}

#[test]
fn no_secret_in_any_command_or_format() {
    for (name, body) in planted() {
        let path = write(&name, &body);
        // The same body with a customer changed, to give diff something to show.
        let mut changed = body.clone();
        // The secret changes too: a diff of raw bodies must not show it either.
        let text = changed
            .to_string()
            .replace("@", "+changed@")
            .replace("SECRET-", "SECRET-OTHER-");
        changed = serde_json::from_str(&text).expect("JSON");
        let other = write(&format!("{name}-changed"), &changed);
        for args in [
            &["convert"][..],
            &["convert", "--compact"],
            &["convert", "--payload-only"],
            &["convert", "--redact"],
            &["detect"],
            &["detect", "--format", "json"],
            &["validate"],
            &["validate", "--format", "json"],
            &["validate", "--format", "github"],
        ] {
            assert_clean(args, &[&path]);
        }
        for format in ["human", "json", "json-patch"] {
            assert_clean(&["diff", "--format", format], &[&path, &other]);
            assert_clean(&["diff", "--raw", "--format", format], &[&path, &other]);
        }
        assert_clean(&["diff", "--docs"], &[&path]);
    }
}

#[test]
fn no_secret_in_error_messages() {
    for (name, body) in planted() {
        // Secrets of the wrong type, and bodies broken right after the secret.
        let mut wrong_type = body.clone();
        for key in ["secret", "hottok", "signature"] {
            if let Some(value) = wrong_type.get_mut(key) {
                *value = json!(["SECRET-IN-AN-ARRAY"]);
            }
        }
        let text = body.to_string();
        let cut = text
            .find("SECRET-")
            .map_or(text.len() / 2, |at| (at + 30).min(text.len() - 1));
        let truncated = &text[..cut];
        for input in [wrong_type.to_string(), truncated.to_owned()] {
            for args in [&["convert"][..], &["detect"], &["validate"]] {
                let output = hooknorm()
                    .args(args)
                    .write_stdin(input.clone())
                    .output()
                    .expect("runs");
                let stderr = String::from_utf8_lossy(&output.stderr);
                for secret in SECRETS {
                    assert!(!stderr.contains(secret), "{name} {args:?}: {stderr}");
                }
            }
        }
    }
}
