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
