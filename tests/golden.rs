//! Golden tests: every raw body under `samples/` (JSON, or a form-encoded
//! `.form`) converts to exactly its `.expected.json` (key order included). `HOOKNORM_BLESS=1 cargo test --test golden`
//! writes the expectations anew, to be reviewed by hand before committing.

use std::path::{Path, PathBuf};

fn raw_samples(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/ is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            raw_samples(&path, found);
        } else if path.extension().is_some_and(|e| e == "json" || e == "form")
            && !path.to_string_lossy().ends_with(".expected.json")
        {
            found.push(path);
        }
    }
}

fn expected_path(raw: &Path) -> PathBuf {
    raw.with_extension("expected.json")
}

/// What `hooknorm diff expected actual` would say; when the values are equal, the
/// difference is in key order or layout, shown line by line.
fn explain(expected: &str, actual: &str) -> String {
    let parsed = (
        serde_json::from_str::<serde_json::Value>(expected),
        serde_json::from_str::<serde_json::Value>(actual),
    );
    if let (Ok(expected_value), Ok(actual_value)) = parsed {
        let changes = hooknorm::diff::diff(&expected_value, &actual_value, &Default::default());
        if !changes.is_empty() {
            let plain = hooknorm::output::Painter { enabled: false };
            return hooknorm::diff::render(&changes, plain);
        }
    }
    let lines: Vec<String> = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .filter(|(_, (e, a))| e != a)
        .take(5)
        .map(|(i, (e, a))| format!("  line {}: expected {e:?}\n          actual   {a:?}", i + 1))
        .collect();
    format!(
        "the same values, but key order or layout differs:\n{}",
        lines.join("\n")
    )
}

fn convert(raw: &Path) -> Result<String, String> {
    let bytes = std::fs::read(raw).map_err(|e| e.to_string())?;
    let text = hooknorm::input::decode(&bytes).map_err(|e| e.to_string())?;
    let mut scratch = String::new();
    let converted =
        hooknorm::convert(text, &mut scratch, &Default::default()).map_err(|e| e.to_string())?;
    let mut out = serde_json::to_string_pretty(&converted.event).map_err(|e| e.to_string())?;
    out.push('\n');
    Ok(out)
}

#[test]
fn every_sample_converts_to_its_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples = Vec::new();
    raw_samples(&root, &mut samples);
    assert!(
        samples.len() >= 20,
        "expected the bundled samples, found {}",
        samples.len()
    );
    let bless = std::env::var_os("HOOKNORM_BLESS").is_some();
    let mut failures = Vec::new();
    for raw in &samples {
        let name = raw.strip_prefix(&root).unwrap_or(raw).display().to_string();
        let actual = match convert(raw) {
            Ok(actual) => actual,
            Err(error) => {
                failures.push(format!("{name}: does not convert: {error}"));
                continue;
            }
        };
        let expected_file = expected_path(raw);
        if bless {
            std::fs::write(&expected_file, &actual).expect("write expectation");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: output differs from {}:\n{}",
                expected_file.display(),
                explain(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} samples failed:\n\n{}",
        failures.len(),
        samples.len(),
        failures.join("\n\n")
    );
}

/// Each sample's name says which normalized event it must give (`<raw event>.…`),
/// so a wrong mapping cannot hide in a blessed expectation.
#[test]
fn samples_cover_every_mapped_event() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples = Vec::new();
    raw_samples(&root, &mut samples);
    let mut events = std::collections::BTreeSet::new();
    for raw in &samples {
        if let Ok(text) = std::fs::read_to_string(expected_path(raw)) {
            let value: serde_json::Value =
                serde_json::from_str(&text).expect("expected output is JSON");
            events.insert(format!(
                "{}:{}",
                value["provider"].as_str().unwrap_or(""),
                value["event"].as_str().unwrap_or("")
            ));
        }
    }
    for wanted in [
        "cakto:order.paid",
        "cakto:order.waiting_payment.pix",
        "cakto:order.waiting_payment.boleto",
        "cakto:order.waiting_payment.credit_card",
        "cakto:order.failed",
        "cakto:order.refunded",
        "cakto:order.disputed",
        "cakto:checkout.abandoned",
        "kiwify:order.paid",
        "kiwify:order.waiting_payment",
        "kiwify:order.failed",
        "kiwify:order.refunded",
        "kiwify:order.disputed",
        "kiwify:checkout.abandoned",
        "cakto:subscription.active",
        "cakto:subscription.past_due",
        "cakto:subscription.canceled",
        "cakto:subscription_transaction.paid",
        "cakto:subscription_transaction.waiting_payment",
        "cakto:subscription_transaction.failed",
        "cakto:subscription_transaction.refunded",
        "cakto:subscription_transaction.disputed",
        "kiwify:subscription.active",
        "kiwify:subscription.past_due",
        "kiwify:subscription.canceled",
        "kiwify:subscription_transaction.paid",
        "kiwify:subscription_transaction.waiting_payment",
        "kiwify:subscription_transaction.failed",
        "kiwify:subscription_transaction.refunded",
        "kiwify:subscription_transaction.disputed",
        "hotmart:subscription.active",
        "hotmart:subscription.past_due",
        "hotmart:subscription.canceled",
        "hotmart:subscription.completed",
        "hotmart:subscription_transaction.paid",
        "hotmart:subscription_transaction.waiting_payment",
        "hotmart:subscription_transaction.waiting_payment.pix",
        "hotmart:subscription_transaction.waiting_payment.boleto",
        "hotmart:subscription_transaction.waiting_payment.credit_card",
        "hotmart:subscription_transaction.failed",
        "hotmart:subscription_transaction.refunded",
        "hotmart:subscription_transaction.disputed",
        "hotmart:subscription_transaction.expired",
        "monetizze:order.waiting_payment",
        "monetizze:order.paid",
        "monetizze:order.canceled",
        "monetizze:order.refunded",
        "monetizze:order.finalized",
        "monetizze:checkout.abandoned",
        "monetizze:subscription.active",
        "monetizze:subscription.past_due",
        "monetizze:subscription.canceled",
        "hotmart:checkout.abandoned",
        "hotmart:order.paid",
        "hotmart:order.waiting_payment.boleto",
        "hotmart:order.waiting_payment.pix",
        "hotmart:order.waiting_payment",
        "hotmart:order.canceled",
        "hotmart:order.refunded",
        "hotmart:order.disputed",
        "hotmart:order.expired",
        "opabox:order.waiting_payment",
        "opabox:order.paid",
        "opabox:order.failed",
        "opabox:order.waiting_fulfillment",
        "opabox:order.in_transit",
        "opabox:order.delivered",
        "opabox:order.canceled",
        "opabox:order.withdrawal_available",
        "opabox:order.refused",
        "opabox:order.fulfilled",
        "opabox:order.waiting_payment.cash_on_delivery",
        "troquecommerce:reverse_logistic.return.under_review",
        "troquecommerce:reverse_logistic.return.approved",
        "troquecommerce:reverse_logistic.return.in_transit",
        "troquecommerce:reverse_logistic.return.canceled",
        "troquecommerce:reverse_logistic.return.delivered",
        "troquecommerce:reverse_logistic.exchange.reserved",
        "troquecommerce:reverse_logistic.exchange.approved",
        "troquecommerce:reverse_logistic.voucher.generated",
        "troquecommerce:reverse_logistic.refunded",
    ] {
        assert!(
            events.contains(wanted),
            "no sample gives {wanted}; samples give {events:?}"
        );
    }
}
