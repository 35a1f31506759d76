//! `hooknorm validate` and `hooknorm schema`, end to end; and the schema files
//! checked by a second, independent validator (boon).

mod common;

use common::{hooknorm, read_json as read, root};
use predicates::str::contains;
use serde_json::Value;
use std::path::PathBuf;

fn invalid(name: &str) -> PathBuf {
    root()
        .join("tests/fixtures/invalid")
        .join(format!("{name}.json"))
}

fn records(output: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(output)
        .lines()
        .map(|line| serde_json::from_str(line).expect("NDJSON record"))
        .collect()
}

/// (fixture, pointer, keyword, flags): each broken document fails with exactly this.
const BROKEN: &[(&str, &str, &str, &[&str])] = &[
    (
        "wrong-type.total-as-string",
        "/payload/payment/total",
        "type",
        &[],
    ),
    (
        "missing-key.order-paid_at",
        "/payload/order",
        "required",
        &[],
    ),
    (
        "extra-key.customer-nickname",
        "/payload/customer",
        "additionalProperties",
        &[],
    ),
    (
        "bad-enum.order-status",
        "/payload/order/status",
        "enum",
        &[],
    ),
    (
        "always-null-set.cakto-updated_at",
        "/payload/order/updated_at",
        "type",
        &[],
    ),
    (
        "bad-cpf.check-digits",
        "/payload/customer/document",
        "cpf",
        &["--strict"],
    ),
    ("bad-event-for-provider.kiwify", "/event", "enum", &[]),
    (
        "bad-pattern.phone-not-e164",
        "/payload/customer/phone_numbers/0/formatted_phone",
        "pattern",
        &[],
    ),
    (
        "hotmart-delivery-address-with-neighborhood",
        "/payload/shipping/delivery_address",
        "additionalProperties",
        &[],
    ),
    (
        "kiwify-per-type-payment-method",
        "/payload/payment/payment_method",
        "required",
        &[],
    ),
];

#[test]
fn every_broken_document_fails_with_its_pointer_and_keyword() {
    for (name, pointer, keyword, flags) in BROKEN {
        let assert = hooknorm()
            .args(["validate", "--format", "json"])
            .args(*flags)
            .arg(invalid(name))
            .assert()
            .code(1);
        let records = records(&assert.get_output().stdout);
        assert_eq!(records.len(), 1, "{name}");
        let record = &records[0];
        assert_eq!(record["valid"], false, "{name}");
        let errors = record["errors"].as_array().expect("errors");
        assert!(
            errors
                .iter()
                .any(|e| e["pointer"] == *pointer && e["keyword"] == *keyword),
            "{name}: expected {keyword} at {pointer}, got {errors:#?}"
        );
        for error in errors {
            assert!(
                error["line"].as_u64().is_some() && error["column"].as_u64().is_some(),
                "{name}: {error}"
            );
            assert!(
                !error["schema_path"].as_str().unwrap_or("").is_empty(),
                "{name}"
            );
        }
    }
}

#[test]
fn the_position_is_the_offending_value() {
    let path = invalid("bad-enum.order-status");
    let text = std::fs::read_to_string(&path).expect("fixture");
    let line = text
        .lines()
        .position(|l| l.contains("\"pending\""))
        .expect("line")
        + 1;
    let column = text
        .lines()
        .nth(line - 1)
        .expect("line")
        .find("\"pending\"")
        .expect("column")
        + 1;
    hooknorm()
        .arg("validate")
        .arg(&path)
        .assert()
        .code(1)
        .stdout(contains(format!(
            "bad-enum.order-status.json:{line}:{column}: error: /payload/order/status:"
        )))
        .stdout(contains("[enum at order-status.json#/enum]"))
        .stdout(contains("0 valid, 1 invalid (1 file, 1 document)"));
}

#[test]
fn samples_are_valid_raw_and_expected() {
    hooknorm()
        .args(["validate"])
        .arg(root().join("samples"))
        .assert()
        .success()
        .stdout(contains(" valid, 0 invalid"));
}

#[test]
fn a_raw_body_that_no_longer_converts_is_reported() {
    hooknorm()
        .arg("validate")
        .write_stdin(r#"{"secret": "s", "event": "purchase_approved", "data": {"id": "x", "amount": "dez"}}"#)
        .assert()
        .code(65)
        .stdout(contains("<stdin>:1:"))
        .stdout(contains("/data/amount: expected a decimal amount"));
}

#[test]
fn github_annotations() {
    hooknorm()
        .args(["validate", "--format", "github"])
        .arg(invalid("bad-enum.order-status"))
        .assert()
        .code(1)
        .stdout(contains("::error file="))
        .stdout(contains(",line="))
        .stdout(contains(",col="))
        .stdout(contains(
            "title=hooknorm validate%3A enum::/payload/order/status:",
        ));
}

#[test]
fn bare_payloads_by_their_keys_or_by_schema() {
    let event: Value = serde_json::from_str(
        &std::fs::read_to_string(
            root().join("samples/hotmart/PURCHASE_OUT_OF_SHOPPING_CART.docs-example.expected.json"),
        )
        .expect("sample"),
    )
    .expect("JSON");
    let payload = event["payload"].to_string();
    hooknorm()
        .arg("validate")
        .write_stdin(payload.clone())
        .assert()
        .success();
    hooknorm()
        .args(["validate", "--schema", "hotmart.checkout"])
        .write_stdin(payload.clone())
        .assert()
        .success();
    hooknorm()
        .args(["validate", "--schema", "kiwify.checkout"])
        .write_stdin(payload)
        .assert()
        .code(1)
        .stdout(contains("/shipping/delivery_address"));
    hooknorm()
        .args(["validate", "--schema", "nope"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(contains("no schema named"));
}

#[test]
fn exit_status_precedence() {
    let broken = invalid("bad-enum.order-status");
    let not_json = root().join("tests/fixtures/not-json.json");
    hooknorm().arg("validate").arg(&broken).assert().code(1);
    hooknorm()
        .arg("validate")
        .arg(&broken)
        .arg(&not_json)
        .assert()
        .code(65);
    hooknorm()
        .arg("validate")
        .arg(&broken)
        .arg(&not_json)
        .arg("no/such/path.json")
        .assert()
        .code(66);
}

#[test]
fn ndjson_lines_are_documents() {
    let sample = |path: &str| -> String {
        let value: Value = serde_json::from_str(
            &std::fs::read_to_string(root().join("samples").join(path)).expect("sample"),
        )
        .expect("JSON");
        value.to_string()
    };
    let input = format!(
        "{}\n{}\n",
        sample("cakto/refund.pix.CONSTRUCTED.expected.json"),
        serde_json::to_string(
            &serde_json::from_str::<Value>(
                &std::fs::read_to_string(invalid("bad-enum.order-status")).expect("fixture")
            )
            .expect("JSON")
        )
        .expect("JSON")
    );
    let assert = hooknorm()
        .args(["validate", "--format", "json"])
        .write_stdin(input)
        .assert()
        .code(1);
    let records = records(&assert.get_output().stdout);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["valid"], true);
    assert_eq!(records[1]["line"], 2);
    assert_eq!(records[1]["errors"][0]["line"], 2);
    assert!(
        String::from_utf8_lossy(&assert.get_output().stderr)
            .contains("1 valid, 1 invalid (1 file, 2 documents)")
    );
}

#[test]
fn many_files_in_parallel_keep_their_order() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("validate-parallel");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good =
        std::fs::read_to_string(root().join("samples/cakto/refund.pix.CONSTRUCTED.expected.json"))
            .expect("sample");
    let bad = std::fs::read_to_string(invalid("bad-enum.order-status")).expect("fixture");
    for index in 0..60 {
        std::fs::write(
            dir.join(format!("{index:03}.json")),
            if index % 7 == 0 { &bad } else { &good },
        )
        .expect("write");
    }
    let assert = hooknorm()
        .args(["validate", "--format", "json", "--jobs", "4"])
        .arg(&dir)
        .assert()
        .code(1);
    let records = records(&assert.get_output().stdout);
    assert_eq!(records.len(), 60);
    for (index, record) in records.iter().enumerate() {
        assert!(
            record["file"]
                .as_str()
                .expect("file")
                .ends_with(&format!("{index:03}.json"))
        );
        assert_eq!(record["valid"], index % 7 != 0, "{index}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// Every input goes through the batch engine: a folder mixing valid, invalid,
/// broken, non-UTF-8 and NDJSON-in-a-.json files, and a missing path, gives the
/// same report on one thread as on many, every input on stdout, nothing on stderr.
#[test]
fn one_thread_or_many_the_same_report() {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("validate-mixed");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let good =
        std::fs::read_to_string(root().join("samples/cakto/refund.pix.CONSTRUCTED.expected.json"))
            .expect("sample");
    let bad = std::fs::read_to_string(invalid("bad-enum.order-status")).expect("fixture");
    let compact = |text: &str| {
        serde_json::from_str::<Value>(text)
            .expect("JSON")
            .to_string()
    };
    for index in 0..150 {
        let text: Vec<u8> = match index % 10 {
            3 => bad.clone().into_bytes(),
            5 => b"{\"payload\": ".to_vec(),
            7 => b"{\"name\": \"Jo\xE3o\"}".to_vec(),
            9 => format!("{}\n{}\n", compact(&good), compact(&bad)).into_bytes(),
            _ => good.clone().into_bytes(),
        };
        std::fs::write(dir.join(format!("{index:03}.json")), text).expect("write");
    }
    let run = |format: &str, jobs: &str| {
        hooknorm()
            .args(["validate", "--format", format, "--jobs", jobs])
            .arg(&dir)
            .arg(dir.join("missing.json"))
            .output()
            .expect("runs")
    };
    for format in ["human", "json", "github"] {
        let one = run(format, "1");
        assert_eq!(one.status.code(), Some(66), "{format}");
        if format == "json" {
            assert_eq!(
                records(&one.stdout).len(),
                150 + 15 + 1,
                "one record per document"
            );
        }
        for jobs in ["2", "8"] {
            let many = run(format, jobs);
            assert_eq!(
                many.status.code(),
                one.status.code(),
                "{format} --jobs {jobs}"
            );
            assert_eq!(
                String::from_utf8_lossy(&many.stdout),
                String::from_utf8_lossy(&one.stdout),
                "{format} --jobs {jobs}"
            );
            assert_eq!(many.stderr, one.stderr, "{format} --jobs {jobs}");
        }
    }
    let summary = String::from_utf8_lossy(&run("human", "2").stdout).into_owned();
    assert!(
        summary.ends_with(
            "105 valid, 30 invalid (151 files, 165 documents); 31 could not be read or converted\n"
        ),
        "{summary}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn schema_lists_and_prints() {
    hooknorm()
        .arg("schema")
        .assert()
        .success()
        .stdout(contains("cakto.order"))
        .stdout(contains("payload.reverse_logistic"));
    let assert = hooknorm()
        .args(["schema", "cakto.order"])
        .assert()
        .success();
    let schema: Value = serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    assert_eq!(
        schema["$id"],
        "https://hooknorm.dev/schemas/v1/cakto.order.json"
    );
    hooknorm().args(["schema", "nope"]).assert().code(2);
}

/// A second, independent implementation of JSON Schema 2020-12 (boon) loads the
/// same files and reaches the same verdicts.
#[test]
fn an_independent_validator_agrees() {
    let mut compiler = boon::Compiler::new();
    compiler.set_default_draft(boon::Draft::V2020_12);
    let dir = root().join("schemas");
    let mut names = Vec::new();
    for entry in std::fs::read_dir(&dir).expect("schemas/").flatten() {
        let path = entry.path();
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("schema")).expect("JSON");
        let id = schema["$id"].as_str().expect("$id").to_owned();
        compiler.add_resource(&id, schema).expect("resource");
        names.push(id);
    }
    let mut schemas = boon::Schemas::new();
    for id in &names {
        compiler
            .compile(id, &mut schemas)
            .unwrap_or_else(|e| panic!("boon cannot compile {id}: {e:#}"));
    }
    let verdict =
        |schemas: &mut boon::Schemas, compiler: &mut boon::Compiler, document: &Value| -> bool {
            let provider = document["provider"].as_str().expect("provider");
            let index = compiler
                .compile(
                    &format!("https://hooknorm.dev/schemas/v1/{provider}.event.json"),
                    schemas,
                )
                .expect("compiled");
            schemas.validate(document, index).is_ok()
        };
    let mut checked = 0;
    for provider in hooknorm::providers::Provider::all() {
        for entry in std::fs::read_dir(root().join("samples").join(provider.as_str()))
            .expect("samples")
            .flatten()
        {
            let path = entry.path();
            if path.to_string_lossy().ends_with(".expected.json") {
                let document = read(&path);
                assert!(
                    verdict(&mut schemas, &mut compiler, &document),
                    "boon rejects {}",
                    path.display()
                );
                checked += 1;
            }
        }
    }
    assert!(checked >= 60);
    for (name, _, keyword, _) in BROKEN {
        if *keyword == "cpf" {
            continue; // a check no schema can make
        }
        assert!(
            !verdict(&mut schemas, &mut compiler, &read(&invalid(name))),
            "boon accepts {name}"
        );
    }
}

#[test]
fn deep_nesting_is_refused_with_the_limit() {
    let deep = format!("{}1{}", "{\"a\":".repeat(5000), "}".repeat(5000));
    hooknorm()
        .arg("validate")
        .write_stdin(deep)
        .assert()
        .code(65)
        .stdout(contains(
            "not JSON: expected JSON nested at most 127 levels deep",
        ));
}

/// A folder with no document exits 66 and says why, naming the folder and what was
/// skipped: "0 valid, 0 invalid" with exit 0 let a CI job with a wrong path pass.
#[test]
fn a_folder_with_no_document_is_an_error() {
    let dir = common::temp_dir("validate-empty-folder");
    std::fs::create_dir_all(dir.join("nested")).expect("folder");
    std::fs::write(dir.join("notes.txt"), "x").expect("write");
    std::fs::write(dir.join("nested/events.yaml"), "x").expect("write");
    std::fs::write(dir.join(".cache.json"), "{}").expect("write");
    hooknorm()
        .arg("validate")
        .arg(&dir)
        .assert()
        .code(66)
        .stdout(contains(format!(
            "{}: error: no document to check",
            dir.display()
        )))
        .stdout(contains(
            "skipped 3 entries: 2 without a .json, .ndjson, .jsonl or .form name, 1 hidden",
        ));
    let empty = common::temp_dir("validate-empty-folder-bare");
    hooknorm()
        .args(["validate", "--format", "json"])
        .arg(&empty)
        .assert()
        .code(66)
        .stdout(contains("the folder is empty"));
    // Beside a folder that has documents, the empty one still decides the status.
    hooknorm()
        .arg("validate")
        .arg(root().join("samples/cakto"))
        .arg(&empty)
        .assert()
        .code(66);
}

/// `validate DIR` with two links to itself never ended (and grew ~8 MB/s); with
/// one, the same file was counted 41 times; a FIFO named `*.json` blocked the run.
/// Each real file is visited once, and what was skipped is said.
#[cfg(unix)]
#[test]
fn links_and_fifos_in_a_folder_neither_loop_nor_hang() {
    let dir = common::temp_dir("validate-links");
    let body = root().join("samples/cakto/refund.pix.CONSTRUCTED.json");
    std::fs::create_dir_all(dir.join("sub")).expect("folder");
    std::fs::copy(&body, dir.join("a.json")).expect("copy");
    std::fs::copy(&body, dir.join("sub/b.json")).expect("copy");
    std::os::unix::fs::symlink(".", dir.join("self1")).expect("link");
    std::os::unix::fs::symlink(".", dir.join("self2")).expect("link");
    std::os::unix::fs::symlink("a.json", dir.join("alias.json")).expect("link");
    let fifo = std::process::Command::new("mkfifo")
        .arg(dir.join("pipe.json"))
        .status()
        .expect("mkfifo runs");
    assert!(fifo.success());
    hooknorm()
        .arg("validate")
        .arg(&dir)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("2 valid, 0 invalid (2 files, 2 documents)"))
        .stdout(contains("3 reached again through a link"))
        .stdout(contains("1 not a regular file"));
}

/// `validate` held a whole NDJSON input in memory (20 MB → 150 MB RSS, 200 MB →
/// 1.3 GB): streams go through the batch engine a block at a time, as `convert`.
#[test]
fn validate_streams_in_bounded_memory() {
    if !std::path::Path::new("/proc/self/status").exists() {
        return; // Peak memory is read from Linux's /proc.
    }
    let line = serde_json::to_string(&read(
        &root().join("samples/kiwify/order_approved.credit_card.subscription.test-webhook.json"),
    ))
    .expect("JSON");
    let dir = common::temp_dir("validate-stream");
    let path = dir.join("events.ndjson");
    let count = (48 << 20) / (line.len() + 1);
    std::fs::write(&path, format!("{line}\n").repeat(count)).expect("write");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("hooknorm"))
        .args(["validate", "--format", "json"])
        .arg(&path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("starts");
    let pid = child.id();
    let mut peak = 0u64;
    while child.try_wait().expect("waits").is_none() {
        peak = peak.max(common::peak_rss_kb(pid).unwrap_or_default());
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("ends");
    let summary = String::from_utf8_lossy(&output.stderr);
    assert!(
        summary.contains(&format!(
            "{count} valid, 0 invalid (1 file, {count} documents)"
        )),
        "{summary}"
    );
    assert!(
        peak > 0 && peak < 64 * 1024,
        "peak {peak} kB for 48 MB of NDJSON"
    );
}
