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
        .stderr(contains(
            "no schema named \"nothing-like-it\" (`hooknorm schema` lists them)",
        ));
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
    assert!(
        !stderr.contains("Hotmart"),
        "every provider listed: {stderr}"
    );
    assert!(
        stderr.contains("`--verbose` lists what every provider sends"),
        "{stderr}"
    );
    hooknorm()
        .args(["convert", "--verbose"])
        .write_stdin(no_secret)
        .assert()
        .code(65)
        .stderr(contains(
            "  every provider: looked for Cakto {secret, event, data}, Kiwify",
        ));
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
        .stderr(contains(
            "unknown provider: looked for Cakto {secret, event, data}, Kiwify",
        ));
}

const SUBCOMMANDS: [&str; 8] = [
    "convert",
    "detect",
    "explain",
    "validate",
    "diff",
    "verify",
    "schema",
    "completions",
];

fn help(subcommand: &str) -> String {
    let output = hooknorm()
        .args([subcommand, "--help"])
        .env("COLUMNS", "100")
        .output()
        .expect("runs");
    assert!(output.status.success(), "{subcommand} --help");
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The examples of a help text, each with its continuation lines joined.
fn examples(help: &str) -> Vec<String> {
    let (_, section) = help.split_once("\nExamples:\n").unwrap_or_default();
    let mut examples: Vec<String> = Vec::new();
    let mut goes_on = false;
    for line in section.lines().take_while(|l| !l.is_empty()) {
        let text = line.trim().trim_end_matches('\\').trim_end();
        match examples.last_mut() {
            Some(example) if goes_on => {
                example.push(' ');
                example.push_str(text);
            }
            _ => examples.push(text.to_owned()),
        }
        goes_on = line.ends_with('\\');
    }
    examples
}

#[test]
fn every_subcommand_help_has_two_or_three_examples_that_run() {
    for subcommand in SUBCOMMANDS {
        let help = help(subcommand);
        let examples = examples(&help);
        assert!(
            (2..=3).contains(&examples.len()),
            "{subcommand} --help: {examples:?}"
        );
        for line in help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_default()
            .lines()
        {
            assert!(
                line.chars().count() <= 78,
                "{subcommand}: {line:?} is wrapped on 80 columns"
            );
        }
        for example in examples.iter().filter(|e| !e.contains(" > ")) {
            assert!(
                example.contains(&format!("hooknorm {subcommand}")),
                "{example}"
            );
            let binary = std::path::PathBuf::from(env!("CARGO_BIN_EXE_hooknorm"));
            let folder = binary.parent().expect("a folder");
            let path = std::env::var_os("PATH").unwrap_or_default();
            let mut paths = vec![folder.to_path_buf()];
            paths.extend(std::env::split_paths(&path));
            let status = std::process::Command::new("sh")
                .args(["-c", &format!("{example} > /dev/null 2>&1")])
                .current_dir(common::root())
                .env("PATH", std::env::join_paths(paths).expect("PATH"))
                .env("SECRET", "not-the-secret")
                .status()
                .expect("sh runs");
            // 1: different (diff) or not authentic (verify) is an answer too.
            assert!(
                matches!(status.code(), Some(0 | 1)),
                "{subcommand} --help: `{example}` exits {status}"
            );
        }
    }
}

/// verify --help's table: each provider's scheme wraps under itself.
#[test]
fn the_verify_table_wraps_under_its_text() {
    let help = help("verify");
    let (_, table) = help
        .split_once("Each provider's scheme, and the secret it takes:\n")
        .expect("the table");
    let rows: Vec<&str> = table.lines().take_while(|l| !l.is_empty()).collect();
    assert!(rows.len() >= 10, "{table}");
    let indent = rows
        .first()
        .and_then(|row| row.find("HMAC"))
        .expect("Cakto's scheme");
    for row in rows {
        let starts_a_provider = row.starts_with("  ") && !row.starts_with("   ");
        let continues = row.len() > indent
            && row.chars().take(indent).all(|c| c == ' ')
            && row.chars().nth(indent) != Some(' ');
        assert!(starts_a_provider || continues, "{row:?}");
        assert!(row.chars().count() <= 80, "{row:?}");
    }
}

/// An enum error names every allowed value; one object of another shape is one
/// error naming what it lacks and what its schema wants, not one per property.
#[test]
fn validate_says_what_is_allowed_and_says_it_once() {
    let invalid = common::root().join("tests/fixtures/invalid");
    hooknorm()
        .arg("validate")
        .arg(invalid.join("bad-enum.order-status.json"))
        .assert()
        .code(1)
        .stdout(contains(
            "\"pending\" is not one of the allowed values: \"paid\", \"waiting_payment\", \"failed\",",
        ))
        .stdout(contains("\"finalized\" [enum at order-status.json#/enum]"));
    let output = hooknorm()
        .arg("validate")
        .arg(invalid.join("kiwify-per-type-payment-method.json"))
        .output()
        .expect("runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let errors: Vec<&str> = stdout.lines().filter(|l| l.contains(": error: ")).collect();
    assert_eq!(errors.len(), 1, "{stdout}");
    assert!(
        errors[0].contains("/payload/payment/payment_method: lacks 7 required properties (\"qrcode_url\", \"qrcode_signature\", \"expiration_date\", \"pix_key\", \"pix_key_type\", \"digitable_line\", \"url\") — Kiwify's payment method: the 12 keys of every type"),
        "{stdout}"
    );
}
