//! Messages that say what to do: a typo gets a suggestion, a refusal its
//! reason, and help its examples.

mod common;

use common::hooknorm;
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
