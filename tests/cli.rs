//! End-to-end tests of the binary: exit statuses, messages, streams.

mod common;

use common::{hooknorm, read, read_json, root, sample};
use predicates::prelude::*;
use predicates::str::contains;

const CAKTO_PIX: &str = "cakto/purchase_approved.pix.unique.notion-doc.json";

#[test]
fn converts_a_file_to_its_expected_output() {
    let expected = read(&sample(
        "cakto/purchase_approved.pix.unique.notion-doc.expected.json",
    ));
    hooknorm()
        .arg("convert")
        .arg(sample(CAKTO_PIX))
        .assert()
        .success()
        .stdout(expected)
        .stderr("");
}

#[test]
fn reads_stdin_without_a_file_or_with_dash() {
    let body = read(&sample(CAKTO_PIX));
    for args in [vec!["convert"], vec!["convert", "-"]] {
        hooknorm()
            .args(&args)
            .write_stdin(body.clone())
            .assert()
            .success()
            .stdout(contains(
                "\"idempotency_key\": \"cakto:order.paid:81b408ee-2a91-427d-80bd-226cbeae1fa0\"",
            ));
    }
}

#[test]
fn several_files_give_one_document_each_in_order() {
    let output = hooknorm()
        .args(["convert", "--compact"])
        .arg(sample(CAKTO_PIX))
        .arg(sample(
            "kiwify/order_rejected.credit_card.test-webhook.json",
        ))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(output).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("{\"event\":\"order.paid\",\"provider\":\"cakto\""));
    assert!(lines[1].starts_with("{\"event\":\"order.failed\",\"provider\":\"kiwify\""));
}

fn compact_line(path: &str) -> String {
    let value: serde_json::Value = serde_json::from_str(&read(&sample(path))).expect("JSON");
    value.to_string()
}

#[test]
fn ndjson_gives_one_line_per_line_and_reports_the_broken_line() {
    let input = format!(
        "{}\n{{\"secret\": \"x\", \"event\": \n{}\n",
        compact_line(CAKTO_PIX),
        compact_line("kiwify/pix_created.pix.subscription.test-webhook.json")
    );
    let assert = hooknorm()
        .arg("convert")
        .write_stdin(input)
        .assert()
        .code(65);
    let output = assert.get_output();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].contains("\"provider\":\"cakto\""));
    assert!(lines[1].contains("\"provider\":\"kiwify\""));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("error: <stdin>:2:"), "{stderr}");
    assert!(
        stderr.contains("hooknorm: 2 converted, 1 failed"),
        "{stderr}"
    );
}

#[test]
fn payload_only_and_output_layouts() {
    let assert = hooknorm()
        .args(["convert", "--payload-only", "--compact"])
        .arg(sample(CAKTO_PIX))
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    assert!(stdout.starts_with("{\"customer\":{"), "{stdout}");
    assert_eq!(stdout.lines().count(), 1);
    let keys: Vec<String> =
        serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(&stdout)
            .expect("JSON")
            .keys()
            .cloned()
            .collect();
    assert_eq!(keys.len(), 7);
    hooknorm()
        .args(["convert", "--pretty"])
        .write_stdin(compact_line(CAKTO_PIX))
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "{\n  \"event\": \"order.paid\"",
        ));
    hooknorm()
        .args(["convert", "--pretty", "--compact"])
        .arg(sample(CAKTO_PIX))
        .assert()
        .code(2);
}

#[test]
fn captured_requests_with_object_or_string_bodies() {
    let body = read(&sample(CAKTO_PIX));
    let as_string =
        serde_json::json!({"headers": {"Content-Type": "application/json"}, "body": body});
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(as_string.to_string())
        .assert()
        .success()
        .stdout(contains("\"event\":\"order.paid\""));
    hooknorm()
        .arg("convert")
        .arg(sample("cakto/refund.pix.captured-request.CONSTRUCTED.json"))
        .assert()
        .success()
        .stdout(contains("\"event\": \"order.refunded\""));
}

#[test]
fn errors_inside_a_captured_body_point_into_it() {
    let request = r#"{"headers": {}, "body": {"secret": "s", "event": "purchase_approved", "data": {"id": "o1", "amount": "R$ 10,00"}}}"#;
    hooknorm()
        .arg("convert")
        .write_stdin(request)
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains(
            "/body/data/amount: expected a decimal amount such as 10.50",
        ))
        .stderr(contains("found \"R$ 10,00\""));
}

#[test]
fn wrong_types_name_the_pointer_line_and_column() {
    let body = "{\"secret\": \"s\", \"event\": \"refund\",\n \"data\": {\"id\": \"o1\", \"customer\": {\"name\": 42}}}";
    hooknorm()
        .arg("convert")
        .write_stdin(body)
        .assert()
        .code(65)
        .stderr(contains("<stdin>:2:"))
        .stderr(contains(
            "/data/customer/name: expected a string, found the number 42",
        ));
}

#[test]
fn missing_file_exits_66_and_the_batch_goes_on() {
    hooknorm()
        .arg("convert")
        .arg("does/not/exist.json")
        .arg(sample(CAKTO_PIX))
        .assert()
        .code(66)
        .stdout(contains("\"order.paid\""))
        .stderr(contains(
            "error: does/not/exist.json: no such file or directory",
        ));
}

#[test]
fn usage_errors_exit_2() {
    hooknorm()
        .arg("convert")
        .arg("--no-such-flag")
        .assert()
        .code(2);
    hooknorm()
        .args(["convert", "--provider", "nobody"])
        .assert()
        .code(2);
    hooknorm()
        .args(["convert", "--header", "no colon here"])
        .assert()
        .code(2)
        .stderr(contains("Name: value"));
    hooknorm().assert().code(2);
}

#[test]
fn unsupported_events_exit_65_saying_they_are_not_mapped() {
    for (file, event) in [
        ("cakto.initiate_checkout.json", "initiate_checkout"),
        ("hotmart.club_first_access.json", "CLUB_FIRST_ACCESS"),
    ] {
        hooknorm()
            .arg("convert")
            .arg(root().join("tests/fixtures/unsupported").join(file))
            .assert()
            .code(65)
            .stdout("")
            .stderr(contains(format!(
                "\"{event}\" is not mapped to a normalized event"
            )));
    }
    // A subscription status Hotmart documents no meaning for is named too.
    hooknorm()
        .arg("convert")
        .arg(root().join("tests/fixtures/unsupported/hotmart.switch_plan.unknown-status.json"))
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains(
            "/data/subscription/status: Hotmart subscription status \"SUSPENDED\" is not mapped",
        ));
}

#[test]
fn forcing_the_wrong_provider_says_what_is_missing() {
    hooknorm()
        .args(["convert", "--provider", "cakto"])
        .arg(sample(
            "kiwify/order_rejected.credit_card.test-webhook.json",
        ))
        .assert()
        .code(65)
        .stderr(contains("/event: missing: expected the Cakto event name"));
    hooknorm()
        .args(["convert", "--provider", "kiwify"])
        .arg(sample(CAKTO_PIX))
        .assert()
        .code(65)
        .stderr(contains("/webhook_event_type: missing"));
}

#[test]
fn event_flag_overrides_the_raw_event() {
    hooknorm()
        .args(["convert", "--compact", "--event", "refund"])
        .arg(sample(CAKTO_PIX))
        .assert()
        .success()
        .stdout(contains("\"event\":\"order.refunded\""));
}

#[test]
fn no_secret_reaches_any_output() {
    let mut secrets = Vec::new();
    for provider in hooknorm::providers::Provider::all() {
        for entry in std::fs::read_dir(sample(provider.as_str()))
            .expect("dir")
            .flatten()
        {
            let path = entry.path();
            if path.to_string_lossy().ends_with(".expected.json") {
                continue;
            }
            // A form-encoded sample (raw, or a captured request's string body) is
            // read as the JSON it stands for.
            let parse = |text: &str| -> serde_json::Value {
                match hooknorm::form::looks_like_form(text) {
                    true => hooknorm::form::to_value(text).expect("form"),
                    false => serde_json::from_str(text).expect("JSON"),
                }
            };
            let value = parse(&read(&path));
            let body = match value.get("body") {
                Some(serde_json::Value::String(text)) => parse(text),
                Some(body) => body.clone(),
                None => value.clone(),
            };
            if let Some(key) = value.pointer("/headers/x-api-key").and_then(|k| k.as_str()) {
                secrets.push((path.clone(), key.to_owned()));
            }
            let fields = hooknorm::providers::Provider::all()
                .flat_map(|provider| provider.spec().secret_fields.iter().copied());
            for key in ["secret", "signature"].into_iter().chain(fields) {
                // Short secrets ("123") occur inside other values by chance.
                if let Some(secret) = body
                    .get(key)
                    .and_then(|s| s.as_str())
                    .filter(|s| s.len() >= 8)
                {
                    secrets.push((path.clone(), secret.to_owned()));
                }
            }
        }
    }
    assert!(secrets.len() >= 5, "{secrets:?}");
    for (path, secret) in secrets {
        for args in [
            vec!["convert"],
            vec!["convert", "--payload-only"],
            vec!["detect"],
            vec!["detect", "--format", "json"],
        ] {
            let output = hooknorm().args(&args).arg(&path).output().expect("runs");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                !all.contains(&secret),
                "{} leaked {secret} with {args:?}",
                path.display()
            );
        }
    }
}

#[test]
fn distinctive_secrets_and_card_numbers_never_leak() {
    let cakto = r#"{"secret": "SECRET-CAKTO-7f3a", "event": "purchase_approved", "data": {"id": "o1", "status": "paid",
        "paymentMethod": "credit_card", "card": {"lastDigits": "4111111111111111", "brand": "visa"}}}"#;
    let kiwify_wrapped = r#"{"signature": "SECRET-KIWIFY-SIG-99", "url": "https://x", "order": {"order_id": "k1",
        "webhook_event_type": "order_approved", "order_status": "paid", "payment_method": "credit_card",
        "card_last4digits": "5555444433332222"}}"#;
    for body in [cakto, kiwify_wrapped] {
        for args in [
            vec!["convert"],
            vec!["convert", "--payload-only"],
            vec!["detect", "--format", "json"],
        ] {
            let output = hooknorm()
                .args(&args)
                .write_stdin(body)
                .output()
                .expect("runs");
            assert!(output.status.success(), "{args:?}");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            for secret in ["SECRET-", "4111111111111111", "555544443333"] {
                assert!(
                    !all.contains(secret),
                    "{secret} leaked with {args:?}: {all}"
                );
            }
        }
    }
}

#[test]
fn hottok_never_leaks() {
    let mut body: serde_json::Value = serde_json::from_str(&read(&sample(
        "hotmart/PURCHASE_COMPLETE.pix.CONSTRUCTED.json",
    )))
    .expect("JSON");
    body["hottok"] = "SECRET-HOTTOK-8c1d".into();
    for args in [vec!["convert"], vec!["detect", "--format", "json"]] {
        let output = hooknorm()
            .args(&args)
            .write_stdin(body.to_string())
            .output()
            .expect("runs");
        assert!(output.status.success());
        assert!(!String::from_utf8_lossy(&output.stdout).contains("SECRET-HOTTOK"));
    }
}

#[test]
fn opabox_without_a_status_or_with_an_unknown_one() {
    let mut body: serde_json::Value =
        serde_json::from_str(&read(&sample("opabox/orders.status-22.seed-example.json")))
            .expect("JSON");
    body.as_object_mut().expect("object").remove("status");
    hooknorm()
        .arg("convert")
        .write_stdin(body.to_string())
        .assert()
        .code(65)
        .stdout("")
        .stderr(contains("/status: missing: expected the order status code (1–11 or 22): OPABOX sends no event name"));
    body["status"] = 12.into();
    hooknorm()
        .arg("convert")
        .write_stdin(body.to_string())
        .assert()
        .code(65)
        .stderr(contains(
            "OPABOX status 12 is not mapped to a normalized event",
        ));
    body["status"] = "4".into();
    hooknorm()
        .args(["convert", "--compact"])
        .write_stdin(body.to_string())
        .assert()
        .success()
        .stdout(contains("\"event\":\"order.waiting_fulfillment\""));
}

#[test]
fn troquecommerce_event_code_from_header_flag_or_captured_request() {
    let request: serde_json::Value = serde_json::from_str(&read(&sample(
        "troquecommerce/event-3_reversa-aprovada.CONSTRUCTED.json",
    )))
    .expect("JSON");
    let body = request["body"].to_string();
    hooknorm()
        .arg("convert")
        .write_stdin(body.clone())
        .assert()
        .code(65)
        .stderr(contains(
            "the event code: Troquecommerce sends it in the `event` HTTP header",
        ));
    for args in [
        vec!["convert", "--compact", "--header", "event: 3"],
        vec![
            "convert",
            "--compact",
            "--provider",
            "troquecommerce",
            "--event",
            "3",
        ],
    ] {
        hooknorm()
            .args(&args)
            .write_stdin(body.clone())
            .assert()
            .success()
            .stdout(contains("\"event\":\"reverse_logistic.return.approved\""));
    }
    hooknorm()
        .arg("convert")
        .arg(root().join("tests/fixtures/unsupported/troquecommerce.event-5.json"))
        .assert()
        .code(65)
        .stderr(contains("Troquecommerce event code 5 is a valid event with no normalized counterpart: it is not mapped"));
}

#[test]
fn troquecommerce_without_the_reversa_id() {
    let mut request: serde_json::Value = serde_json::from_str(&read(&sample(
        "troquecommerce/event-3_reversa-aprovada.CONSTRUCTED.json",
    )))
    .expect("JSON");
    request["body"]
        .as_object_mut()
        .expect("object")
        .remove("id");
    hooknorm()
        .arg("convert")
        .write_stdin(request.to_string())
        .assert()
        .code(65)
        .stderr(contains("/body/id: missing: expected the reversa id"));
}

#[test]
fn detect_explains_itself() {
    hooknorm()
        .arg("detect")
        .arg(sample("kiwify/abandoned_cart.test-webhook.json"))
        .assert()
        .success()
        .stdout(contains(
            "kiwify abandoned → checkout.abandoned (by status: \"abandoned\", checkout_link)",
        ));
    let assert = hooknorm()
        .args(["detect", "--format", "json"])
        .arg(sample(CAKTO_PIX))
        .assert()
        .success();
    let record: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    assert_eq!(record["provider"], "cakto");
    assert_eq!(record["raw_event"], "purchase_approved");
    assert_eq!(record["event"], "order.paid");
    assert_eq!(record["by"], serde_json::json!(["secret", "event", "data"]));
}

#[test]
fn colour_follows_the_flag_per_stream() {
    let colored = hooknorm()
        .args(["--color", "always", "convert"])
        .write_stdin("nope")
        .assert()
        .code(65);
    assert!(String::from_utf8_lossy(&colored.get_output().stderr).contains("\u{1b}["));
    for args in [vec!["--color", "never", "convert"], vec!["convert"]] {
        let plain = hooknorm()
            .args(&args)
            .env("NO_COLOR", "1")
            .write_stdin("nope")
            .assert()
            .code(65);
        assert!(!String::from_utf8_lossy(&plain.get_output().stderr).contains("\u{1b}["));
    }
    // Event output is never coloured: it is data.
    let out = hooknorm()
        .args(["--color", "always", "convert"])
        .arg(sample(CAKTO_PIX))
        .assert()
        .success();
    assert!(!String::from_utf8_lossy(&out.get_output().stdout).contains("\u{1b}["));
}

#[test]
fn checked_in_completions_are_current() {
    let update = std::env::var_os("HOOKNORM_BLESS").is_some();
    for (shell, file) in [
        ("bash", "hooknorm.bash"),
        ("zsh", "_hooknorm"),
        ("fish", "hooknorm.fish"),
        ("powershell", "_hooknorm.ps1"),
        ("elvish", "hooknorm.elv"),
    ] {
        let output = hooknorm()
            .args(["completions", shell])
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = output.stdout;
        let path = root().join("completions").join(file);
        if update {
            std::fs::write(&path, &script).expect("write completions");
            continue;
        }
        let checked_in = std::fs::read(&path).unwrap_or_default();
        assert!(
            checked_in == script,
            "{} is stale: run `HOOKNORM_BLESS=1 cargo test --test cli checked_in_completions_are_current`",
            path.display()
        );
    }
}

#[test]
fn verify_says_authentic_or_not_with_exit_0_or_1() {
    let body = read(&sample("hotmart/PURCHASE_COMPLETE.pix.CONSTRUCTED.json"));
    let captured = serde_json::json!({"headers": {"X-HOTMART-HOTTOK": "tok-123"}, "body": body});
    hooknorm()
        .args(["verify", "--secret", "tok-123"])
        .write_stdin(captured.to_string())
        .assert()
        .success()
        .stdout(contains(
            "<stdin>: authentic: hotmart hottok token (X-HOTMART-HOTTOK header)",
        ));
    hooknorm()
        .arg("verify")
        .env("HOOKNORM_SECRET", "another")
        .write_stdin(captured.to_string())
        .assert()
        .code(1)
        .stdout(contains("not authentic"))
        .stdout(contains("tok-123").not());
    // A subscription event is authenticated as its provider's purchases are.
    let switch = read(&sample("hotmart/SWITCH_PLAN.docs-example.json"));
    let captured = serde_json::json!({"headers": {"X-HOTMART-HOTTOK": "tok-456"}, "body": switch});
    hooknorm()
        .args(["verify", "--secret", "tok-456"])
        .write_stdin(captured.to_string())
        .assert()
        .success()
        .stdout(contains("authentic: hotmart"));
    // Troquecommerce offers no scheme: said plainly, exit 65. (The sample is a
    // captured request carrying its `event` header; giving it again on the
    // command line is refused: which one counts must not be a guess.)
    let troquecommerce = sample("troquecommerce/event-10_reembolso-realizado.CONSTRUCTED.json");
    hooknorm()
        .args(["verify", "--secret", "x"])
        .arg(&troquecommerce)
        .assert()
        .code(65)
        .stderr(contains("offers no way to authenticate"));
    hooknorm()
        .args(["verify", "--secret", "x", "--header", "event: 1"])
        .arg(&troquecommerce)
        .assert()
        .code(65)
        .stderr(contains("/headers/event"));
    hooknorm()
        .args(["verify", "--tolerance", "soon", "--secret", "x"])
        .assert()
        .code(2);
}

#[test]
fn redact_masks_personal_data_and_the_output_still_validates() {
    let dir = common::temp_dir("redact");
    let samples = [
        CAKTO_PIX,
        "kiwify/order_approved.credit_card.subscription.test-webhook.json",
        "hotmart/PURCHASE_APPROVED.docs-example.all-fields.json",
        "cakto/subscription_canceled.credit_card.notion-doc.json",
        "hotmart/SUBSCRIPTION_CANCELLATION.test-postback.json",
    ];
    for path in samples {
        let plain: serde_json::Value = serde_json::from_slice(
            &hooknorm()
                .arg("convert")
                .arg(sample(path))
                .output()
                .expect("runs")
                .stdout,
        )
        .expect("event");
        let run = || {
            hooknorm()
                .args(["convert", "--redact"])
                .env("HOOKNORM_REDACT_KEY", "team-key")
                .arg(sample(path))
                .output()
                .expect("runs")
                .stdout
        };
        let redacted = run();
        assert_eq!(
            redacted,
            run(),
            "{path}: the same key gives the same placeholders"
        );
        let masked: serde_json::Value = serde_json::from_slice(&redacted).expect("event");
        let mut seen = 0;
        for pointer in [
            "/name",
            "/email",
            "/document",
            "/phone_numbers/0/raw_number",
        ] {
            let pointer = format!("/payload/customer{pointer}");
            if let Some(value) = plain.pointer(&pointer).and_then(|v| v.as_str()) {
                let now = masked.pointer(&pointer).and_then(|v| v.as_str());
                assert!(
                    now.is_some_and(|now| now != value),
                    "{path}{pointer}: {now:?}"
                );
                seen += 1;
            }
        }
        assert!(seen >= 2, "{path}: too little personal data to test with");
        assert_eq!(masked["idempotency_key"], plain["idempotency_key"]);
        let file = dir.join(path.replace('/', "-"));
        std::fs::write(&file, &redacted).expect("written");
        hooknorm().arg("validate").arg(&file).assert().success();
    }
}

/// `detect` says who sent a body without converting it: an unmapped event of a
/// known provider, or a body lacking a field only conversion needs, is recognised
/// (exit 0) and the record says so.
#[test]
fn detect_recognises_unmapped_events_and_incomplete_bodies() {
    let unsupported = root().join("tests/fixtures/unsupported");
    let mut files: Vec<_> = std::fs::read_dir(&unsupported)
        .expect("fixtures")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let assert = hooknorm()
        .args(["detect", "--format", "json"])
        .args(&files)
        .assert()
        .success();
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&assert.get_output().stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON record"))
        .collect();
    assert_eq!(records.len(), files.len());
    for record in &records {
        assert!(record["provider"].is_string(), "{record}");
        assert!(record["raw_event"].is_string(), "{record}");
        assert_eq!(record["event"], serde_json::Value::Null, "{record}");
        assert_eq!(record["mapped"], false, "{record}");
    }
    let raw_events: Vec<&str> = records
        .iter()
        .filter_map(|r| r["raw_event"].as_str())
        .collect();
    for event in ["SWITCH_PLAN", "initiate_checkout", "CLUB_FIRST_ACCESS"] {
        assert!(raw_events.contains(&event), "{raw_events:?}");
    }
    hooknorm()
        .arg("detect")
        .arg(unsupported.join("hotmart.switch_plan.unknown-status.json"))
        .assert()
        .success()
        .stdout(contains(
            "hotmart SWITCH_PLAN → not mapped (by version, creation_date, event)",
        ));

    // Hotmart CLUB_FIRST_ACCESS; Cakto without `data.id` (conversion needs it).
    let club = r#"{"id":"d1","creation_date":1700000000000,"event":"CLUB_FIRST_ACCESS","version":"2.0.0","data":{}}"#;
    hooknorm()
        .arg("detect")
        .write_stdin(club)
        .assert()
        .success()
        .stdout(contains("hotmart CLUB_FIRST_ACCESS → not mapped"));
    let no_id = r#"{"secret":"s","event":"purchase_approved","data":{"status":"paid"}}"#;
    hooknorm()
        .arg("convert")
        .write_stdin(no_id)
        .assert()
        .code(65);
    hooknorm()
        .arg("detect")
        .write_stdin(no_id)
        .assert()
        .success()
        .stdout(contains("cakto purchase_approved → order.paid"));
}

/// `detect --format json` prints one record per input, failures included (three
/// inputs, one of them broken, gave one record).
#[test]
fn detect_json_has_one_record_per_input() {
    let dir = common::temp_dir("detect-records");
    let broken = dir.join("broken.json");
    std::fs::write(&broken, "{\"secret\": ").expect("write");
    let unknown = dir.join("unknown.json");
    std::fs::write(&unknown, r#"{"hello": "world"}"#).expect("write");
    let missing = dir.join("missing.json");
    let assert = hooknorm()
        .args(["detect", "--format", "json"])
        .arg(sample(CAKTO_PIX))
        .arg(&broken)
        .arg(&unknown)
        .arg(&missing)
        .assert()
        .code(66);
    let records: Vec<serde_json::Value> = String::from_utf8_lossy(&assert.get_output().stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON record"))
        .collect();
    assert_eq!(records.len(), 4, "{records:?}");
    assert_eq!(records[0]["event"], "order.paid");
    assert_eq!(records[1]["error"]["kind"], "not_json");
    assert_eq!(records[1]["input"], broken.display().to_string());
    assert!(records[1]["error"]["line"].is_u64());
    assert_eq!(records[2]["error"]["kind"], "unknown_provider");
    assert_eq!(records[3]["error"]["kind"], "io");
    for record in &records {
        let keys: Vec<&String> = record.as_object().expect("object").keys().collect();
        let first: Vec<&String> = records[0].as_object().expect("object").keys().collect();
        assert_eq!(keys, first, "every record has the same keys");
    }
    // NDJSON on stdin whose second line is broken: a record for each line.
    let assert = hooknorm()
        .args(["detect", "--format", "json"])
        .write_stdin("{\"secret\":\"s\",\"event\":\"refund\",\"data\":{}}\n{\"x\":\n{\"a\":1}\n")
        .assert()
        .code(65);
    let lines = String::from_utf8_lossy(&assert.get_output().stdout)
        .lines()
        .count();
    assert_eq!(lines, 3);
}

/// A normalized event is named as one by `detect`, `convert` and `validate`: the
/// README's `detect samples/cakto/*.json` printed "unknown provider" for every
/// `.expected.json`.
#[test]
fn normalized_documents_are_named_as_such() {
    let expected = sample("cakto/purchase_approved.pix.unique.notion-doc.expected.json");
    hooknorm()
        .arg("detect")
        .arg(&expected)
        .assert()
        .success()
        .stdout(contains("already a normalized event (cakto order.paid)"));
    let assert = hooknorm()
        .args(["detect", "--format", "json"])
        .arg(&expected)
        .assert()
        .success();
    let record: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON");
    assert_eq!(record["normalized"], true);
    assert_eq!(record["provider"], "cakto");
    assert_eq!(record["event"], "order.paid");
    assert_eq!(record["schema"], "cakto.event");
    hooknorm()
        .arg("convert")
        .arg(&expected)
        .assert()
        .code(65)
        .stderr(contains(
            "already a normalized event (cakto order.paid): nothing to convert",
        ))
        .stderr(contains("unknown provider").not());
    let payload = read_json(&expected)["payload"].to_string();
    hooknorm()
        .arg("convert")
        .write_stdin(payload)
        .assert()
        .code(65)
        .stderr(contains("already a normalized payload (payload.order)"));
    hooknorm().arg("validate").arg(&expected).assert().success();
    // Every sample folder, raw bodies and expectations together, is detected.
    let cakto: Vec<_> = std::fs::read_dir(root().join("samples/cakto"))
        .expect("samples")
        .flatten()
        .map(|e| e.path())
        .collect();
    hooknorm()
        .arg("detect")
        .args(&cakto)
        .assert()
        .success()
        .stderr(contains("0 failed"));
}

/// `explain` says where each field came from: the raw pointer and value, and
/// the rule, grouped by component; `--format json` the same as data.
#[test]
fn explain_shows_each_field_with_its_source_and_rule() {
    let body = sample("cakto/purchase_approved.pix.unique.notion-doc.json");
    let output = hooknorm().arg("explain").arg(&body).output().expect("runs");
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        text.contains("cakto purchase_approved → order.paid"),
        "{text}"
    );
    assert!(text.contains("payload.payment\n"), "{text}");
    let total = text
        .lines()
        .find(|line| line.trim_start().starts_with("total "))
        .expect("a total line");
    assert!(
        total.contains("555  ← /data/amount 5.55  (reais → cents"),
        "{total}"
    );
    let output = hooknorm()
        .args(["explain", "--format", "json", "--set-only"])
        .arg(&body)
        .output()
        .expect("runs");
    let record: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
    assert_eq!(record["provider"], "cakto");
    assert_eq!(record["event"], "order.paid");
    let fields = record["fields"].as_array().expect("fields");
    assert!(fields.iter().all(|field| !field["value"].is_null()));
    let created = fields
        .iter()
        .find(|field| field["pointer"] == "/payload/order/created_at")
        .expect("created_at");
    assert_eq!(created["from"][0]["pointer"], "/data/createdAt");
    assert_eq!(created["rule"], "ISO 8601 → unix seconds");
    // A body that does not convert is an error, as for convert.
    hooknorm()
        .arg("explain")
        .write_stdin("{\"secret\":\"s\",\"event\":\"nope\",\"data\":{}}")
        .assert()
        .code(65)
        .stderr(contains("not mapped"));
}
