//! Messages that say what to do: a typo gets a suggestion, a refusal its
//! reason, and help its examples.

mod common;

use common::hooknorm;
use predicates::prelude::*;
use predicates::str::contains;

#[test]
fn a_misspelt_schema_name_gets_the_nearest_one() {
    hooknorm()
        .args(["schema", "cakto.evnt"])
        .assert()
        .code(2)
        .stderr(contains("did you mean \"cakto.event\"?"));
    hooknorm()
        .args(["schema", "nothing-like-it"])
        .assert()
        .code(2)
        .stderr(contains("no schema named \"nothing-like-it\" (`hooknorm schema` lists them)"));
}

#[test]
fn detect_says_why_an_event_is_not_mapped_when_the_event_is_not_the_reason() {
    let fixtures = common::root().join("tests/fixtures/unsupported");
    hooknorm()
        .arg("detect")
        .arg(fixtures.join("hotmart.switch_plan.unknown-status.json"))
        .assert()
        .success()
        .stdout(contains(
            "hotmart SWITCH_PLAN → not mapped (by version, creation_date, event) — /data/subscription/status: Hotmart subscription status \"SUSPENDED\" is not mapped",
        ));
    // An event outside the table is its own reason: "not mapped" says it all.
    hooknorm()
        .arg("detect")
        .arg(fixtures.join("hotmart.club_first_access.json"))
        .assert()
        .success()
        .stdout(contains(
            "hotmart CLUB_FIRST_ACCESS → not mapped (by version, creation_date, event)\n",
        ));
}

/// An unknown provider's message names the nearest provider and what it lacks;
/// every provider's keys only with `--verbose` or in the JSON record.
#[test]
fn an_unknown_provider_names_the_nearest_and_what_it_lacks() {
    let no_secret = r#"{"event":"purchase_approved","data":{"id":"o1","amount":"5.55"}}"#;
    let output = hooknorm()
        .arg("convert")
        .write_stdin(no_secret)
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("error: <stdin>: unknown provider: the nearest are Cakto {secret, event, data} (it lacks secret) and Appmax {event, event_type, data} (it lacks event_type), found the keys {event, data}\n"),
        "{stderr}"
    );
    assert!(!stderr.contains("Hotmart"), "every provider listed: {stderr}");
    assert!(stderr.contains("`--verbose` lists what every provider sends"), "{stderr}");
    hooknorm()
        .args(["convert", "--verbose"])
        .write_stdin(no_secret)
        .assert()
        .code(65)
        .stderr(contains("  every provider: looked for Cakto {secret, event, data}, Kiwify"));
    hooknorm()
        .args(["detect", "--format", "json"])
        .write_stdin(no_secret)
        .assert()
        .code(65)
        .stdout(contains("(it lacks secret)").and(contains("; every provider: looked for Cakto")));
    // Keys of no provider at all: the whole list is the answer.
    hooknorm()
        .arg("convert")
        .write_stdin(r#"{"hello": "world"}"#)
        .assert()
        .code(65)
        .stderr(contains("unknown provider: looked for Cakto {secret, event, data}, Kiwify"));
}
