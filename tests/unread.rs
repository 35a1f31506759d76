//! `explain --unread` over every real capture (`tests/fixtures/captures/<provider>/`):
//! the values no normalized field reads are pinned in
//! `tests/fixtures/captures/unread.txt`, and each of them is either read by a
//! later change or listed, with its reason, in the provider's page under
//! "Not read, and why". `HOOKNORM_BLESS=1 cargo test --test unread` writes the
//! pinned list anew, to be reviewed by hand before committing.

mod common;

use hooknorm::explain::unread::{Showing, Unread, unread};
use hooknorm::redact::Redactor;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/captures")
}

/// Every capture (`*.json`, and `*.txt`: a form body), by provider, sorted.
fn captures() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut providers: Vec<PathBuf> = std::fs::read_dir(root())
        .expect("captures are readable")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.is_dir())
        .collect();
    providers.sort();
    for provider in providers {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&provider)
            .expect("a provider's captures are readable")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| is_capture(path))
            .collect();
        files.sort();
        found.extend(files);
    }
    found
}

/// A capture: a body (`*.json`, or `*.txt`, a form), not what a test expects
/// of one (`*.expected.json`, `*.refused.txt`).
fn is_capture(path: &Path) -> bool {
    let name = path.to_string_lossy();
    (name.ends_with(".json") || name.ends_with(".txt"))
        && !name.ends_with(".expected.json")
        && !name.ends_with(".refused.txt")
}

fn name(path: &Path) -> String {
    path.strip_prefix(root())
        .unwrap_or(path)
        .display()
        .to_string()
}

/// What `explain --unread` finds in one capture, secrets masked with a fixed key.
fn unread_in(path: &Path) -> Result<Unread, String> {
    let text = std::fs::read_to_string(path).map_err(|error| error.to_string())?;
    let masker = Redactor::with_key(b"tests/unread.rs");
    let showing = Showing {
        masker: &masker,
        redactor: None,
    };
    unread(&text, &Default::default(), &showing).map_err(|error| error.to_string())
}

/// Values in the pinned list are cut to this many characters.
const SHOWN: usize = 80;

fn pinned_text() -> String {
    let mut text = String::from(
        "# `hooknorm explain --unread` over every real capture: the values no normalized\n\
         # field reads. Each is read, or listed in its provider's page under \"Not read, and\n\
         # why\" (tests/unread.rs). Regenerate: HOOKNORM_BLESS=1 cargo test --test unread\n",
    );
    for path in captures() {
        match unread_in(&path) {
            Ok(found) => {
                text.push_str(&format!(
                    "\n{}: {} {}\n",
                    name(&path),
                    found.provider,
                    found.event
                ));
                for leaf in &found.unread {
                    let value = leaf.value.to_string();
                    let mut shown: String = value.chars().take(SHOWN).collect();
                    if value.chars().count() > SHOWN {
                        shown.push('…');
                    }
                    text.push_str(&format!("  {}  {shown}\n", leaf.pointer));
                }
            }
            Err(error) => {
                let first = error.lines().next().unwrap_or_default();
                let mut reason: String = first.chars().take(SHOWN).collect();
                if first.chars().count() > SHOWN {
                    reason.push('…');
                }
                text.push_str(&format!("\n{}: not converted: {reason}\n", name(&path)));
            }
        }
    }
    text
}

#[test]
fn the_unread_values_of_every_capture_are_pinned() {
    let pinned_file = root().join("unread.txt");
    let actual = pinned_text();
    if std::env::var_os("HOOKNORM_BLESS").is_some() {
        std::fs::write(&pinned_file, &actual).expect("the pinned list is writable");
        return;
    }
    let pinned = std::fs::read_to_string(&pinned_file).unwrap_or_default();
    if pinned != actual {
        let first = pinned
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(pinned.lines().count().min(actual.lines().count()));
        panic!(
            "{} differs from what explain --unread finds now, first at line {} \
             (review, then HOOKNORM_BLESS=1 cargo test --test unread):\n  pinned: {:?}\n  now:    {:?}",
            pinned_file.display(),
            first + 1,
            pinned.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// A pointer as the pages write raw fields: `/body/data/items/0/id` →
/// `data.items[].id` (a form's bracket keys nested: `items[0][id]` → `items[].id`).
fn generalised(pointer: &str) -> String {
    let pointer = pointer.strip_prefix("/body").unwrap_or(pointer);
    let mut path = String::new();
    for token in pointer.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        for step in hooknorm::form::steps(&token) {
            if step.parse::<usize>().is_ok() {
                path.push_str("[]");
            } else {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(step);
            }
        }
    }
    path
}

/// The raw fields a page's "Not read, and why" section names: the code spans
/// before the colon of each bullet (`data.fees`, `trans_job_*`), a name without
/// a dot after one with dots being its sibling (`data.plan.id`, `frequency`).
fn not_read(page: &str) -> Vec<String> {
    let Some(section) = page.split("\n## Not read, and why").nth(1) else {
        return Vec::new();
    };
    let section = section.split("\n## ").next().unwrap_or_default();
    let mut found = Vec::new();
    for line in section.lines().filter_map(|line| line.strip_prefix("- ")) {
        let names = line.split(':').next().unwrap_or_default();
        let mut parent: Option<&str> = None;
        for name in names.split('`').skip(1).step_by(2) {
            match (name.rsplit_once('.'), parent) {
                (Some((above, _)), _) => {
                    parent = Some(above);
                    found.push(name.to_owned());
                }
                (None, Some(above)) => found.push(format!("{above}.{name}")),
                (None, None) => found.push(name.to_owned()),
            }
        }
    }
    found
}

/// Unread values that have a place in the normalized format: conversion is to
/// read them (issue 29, values the output drops). Each is removed here once read.
const TO_BE_READ: &[(&str, &str)] = &[
    ("appmax", "data.address_city"),
    ("appmax", "data.address_state"),
    ("appmax", "data.address_street"),
    ("appmax", "data.address_street_complement"),
    ("appmax", "data.address_street_district"),
    ("appmax", "data.address_street_number"),
    ("appmax", "data.postcode"),
    ("appmax", "data.customer_uf"),
    ("appmax", "data.customer.id"),
    ("appmax", "data.customer_id"),
    ("appmax", "data.freight_type"),
    ("appmax", "data.order_freight_type"),
    ("appmax", "data.order_freight_value"),
    ("appmax", "data.order_created_at"),
    ("appmax", "data.pix_payment_link"),
    ("digital_manager_guru", "infrastructure.facebook_browser_id"),
    ("digital_manager_guru", "infrastructure.ga_id"),
    ("digital_manager_guru", "is_order_bump"),
    ("digital_manager_guru", "payment.pix.expiration_date"),
    ("digital_manager_guru", "payment.pix.qrcode.signature"),
    ("digital_manager_guru", "payment.pix.qrcode.url"),
    ("eduzz", "data.buyer.id"),
    ("eduzz", "product_refund"),
    ("eduzz", "trans_duedate"),
    ("eduzz", "trans_duetime"),
    ("hotmart", "data.product.is_physical_product"),
    ("hotmart", "data.purchase.sckPaymentLink"),
    ("kiwify", "checkout_link"),
    ("monetizze", "venda.garantiaRestante"),
    ("monetizze", "venda.tipo_frete"),
    ("ticto", "customer.code"),
    ("ticto", "item.refund_deadline"),
    ("ticto", "query_params.fbp"),
];

/// Whether `path` is a listed name, below one, or matched by one ending in `*`.
fn listed(path: &str, names: &[String]) -> bool {
    names.iter().any(|name| match name.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => {
            path == name
                || path
                    .strip_prefix(name.as_str())
                    .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
        }
    })
}

#[test]
fn every_unread_value_is_listed_with_its_reason() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/providers");
    let mut missing = Vec::new();
    let mut still_unread = std::collections::BTreeSet::new();
    for path in captures() {
        let Ok(found) = unread_in(&path) else {
            continue;
        };
        let page = std::fs::read_to_string(docs.join(format!("{}.md", found.provider)))
            .unwrap_or_default();
        let names = not_read(&page);
        for leaf in &found.unread {
            let mut field = generalised(&leaf.pointer);
            // A body that is an envelope's `data` object alone is read as that
            // `data`: its fields are listed as the envelope's.
            let in_data = format!("data.{field}");
            let known = |field: &str| {
                TO_BE_READ.contains(&(found.provider.as_str(), field)) || listed(field, &names)
            };
            if !known(&field) && known(&in_data) {
                field = in_data;
            }
            if TO_BE_READ.contains(&(found.provider.as_str(), field.as_str())) {
                still_unread.insert((found.provider.clone(), field));
                continue;
            }
            if !listed(&field, &names) {
                missing.push(format!("{}: {field} ({})", name(&path), leaf.pointer));
            }
        }
    }
    let read_now: Vec<String> = TO_BE_READ
        .iter()
        .filter(|(provider, field)| {
            !still_unread.contains(&(provider.to_string(), field.to_string()))
        })
        .map(|(provider, field)| format!("{provider}: {field}"))
        .collect();
    assert!(
        read_now.is_empty(),
        "read now (or gone from the captures): remove from TO_BE_READ:\n{}",
        read_now.join("\n")
    );
    assert!(
        missing.is_empty(),
        "unread values neither read nor listed under \"Not read, and why\" in docs/providers/<provider>.md:\n{}",
        missing.join("\n")
    );
}

#[test]
fn pointers_are_generalised_as_the_pages_write_fields() {
    assert_eq!(generalised("/body/data/items/0/id"), "data.items[].id");
    assert_eq!(
        generalised("/trans_items[0][item_id]"),
        "trans_items[].item_id"
    );
    let names = vec!["data.fees".to_owned(), "trans_job_*".to_owned()];
    assert!(listed("data.fees", &names));
    assert!(listed("data.fees[].value", &names));
    assert!(!listed("data.feesum", &names));
    assert!(listed("trans_job_id", &names));
    assert_eq!(
        not_read("x\n## Not read, and why\n- `a.b`, `c[]`: why `f`\nnot `d`\n## Next\n- `e`"),
        ["a.b", "a.c[]"]
    );
    assert_eq!(
        not_read("x\n## Not read, and why\n- `top`, `x.y.z`, `w`: why"),
        ["top", "x.y.z", "x.y.w"]
    );
}

const CAPTURE: &str = "cakto/purchase_approved.credit_card.reqbin-guide.json";

#[test]
fn the_command_lists_the_unread_values_per_input() {
    let path = root().join(CAPTURE);
    let output = common::hooknorm()
        .args(["explain", "--unread"])
        .arg(&path)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert!(
        header.ends_with("cakto order.paid: 6 values not read"),
        "{header}"
    );
    assert!(
        text.contains("\n  /data/product/supportEmail  \"suporte@email.com\"\n"),
        "{text}"
    );
    // The credential is masked.
    assert!(text.contains("  /secret  \"[secret "), "{text}");
    assert_eq!(lines.count(), 6);
}

#[test]
fn the_command_writes_one_json_record_per_input_and_fails_as_explain_does() {
    let good = root().join(CAPTURE);
    let bad = root().join("appmax/SubscriptionDelayedEvent.customer-shaped.appstore-sandbox.json");
    let output = common::hooknorm()
        .args(["explain", "--unread", "--format", "json"])
        .arg(&good)
        .arg(&bad)
        .output()
        .expect("runs");
    let explain = common::hooknorm()
        .args(["explain", "--format", "json"])
        .arg(&good)
        .arg(&bad)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), explain.status.code());
    assert!(!output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON record"))
        .collect();
    assert_eq!(records.len(), 1, "{text}");
    assert_eq!(records[0]["provider"], "cakto");
    assert_eq!(records[0]["event"], "order.paid");
    assert_eq!(
        records[0]["unread"][1]["pointer"],
        "/data/product/supportEmail"
    );
    assert_eq!(records[0]["unread"][1]["value"], "suporte@email.com");
    assert!(
        records[0]["input"]
            .as_str()
            .is_some_and(|input| input.ends_with(CAPTURE))
    );
}

#[test]
fn redact_replaces_personal_data_in_the_values_shown() {
    let path = root().join("cakto/subscription_renewed.credit_card.notion-doc-mirror.json");
    let run = |redact: bool| {
        let mut command = common::hooknorm();
        command.args(["explain", "--unread"]);
        if redact {
            command.arg("--redact");
        }
        let output = command.arg(&path).output().expect("runs");
        assert!(output.status.success());
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    let plain = run(false);
    let redacted = run(true);
    // E-mails and documents by pattern. A name is replaced where the event
    // carries it: another person's name (this body's subscription customer,
    // not its buyer) is not recognised.
    for personal in ["didipic225@mobilesm.com", "61068007079"] {
        assert!(plain.contains(personal), "{personal} in {plain}");
        assert!(!redacted.contains(personal), "{personal} in {redacted}");
    }
    assert_eq!(plain.lines().count(), redacted.lines().count());
}

/// Tracing what conversion reads changes nothing of what it answers: the same
/// event, or the same error, for every sample and capture.
#[test]
fn a_traced_conversion_answers_as_convert_does() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut compared = 0;
    for folder in ["samples", "tests/fixtures/captures", "tests/fixtures"] {
        let Ok(providers) = std::fs::read_dir(repository.join(folder)) else {
            continue;
        };
        for provider in providers.flatten().filter(|entry| entry.path().is_dir()) {
            for file in std::fs::read_dir(provider.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let Ok(text) = std::fs::read_to_string(file.path()) else {
                    continue;
                };
                let answer =
                    |converted: Result<hooknorm::providers::Conversion, hooknorm::ConvertError>| {
                        match converted {
                            Ok(conversion) => {
                                serde_json::to_string(&conversion.event).unwrap_or_default()
                            }
                            Err(error) => format!("{error} {:?}", error.position),
                        }
                    };
                let options = Default::default();
                let mut scratch = String::new();
                let plain = answer(hooknorm::convert(&text, &mut scratch, &options));
                let mut scratch = String::new();
                let (traced, _) = hooknorm::convert::convert_traced(&text, &mut scratch, &options);
                assert_eq!(answer(traced), plain, "{}", file.path().display());
                compared += 1;
            }
        }
    }
    assert!(compared > 200, "compared {compared}");
}
