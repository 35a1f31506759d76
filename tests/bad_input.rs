//! The table of bad inputs: one row per way a webhook arrives broken or hostile.
//! Each row asserts the exit status, the message on stderr, and that stdout holds
//! nothing partial: either nothing, or one whole event.

mod common;

use common::{hooknorm, read, sample};
use serde_json::{Value, json};

const CAKTO_PIX: &str = "cakto/purchase_approved.pix.unique.notion-doc.json";
const HOTMART: &str = "hotmart/PURCHASE_APPROVED.credit_card.test-postback.json";

/// What stdout must hold for a row.
enum Out {
    /// Nothing at all.
    Nothing,
    /// One whole event whose value at the pointer is this.
    Event(&'static str, Value),
}

struct Case {
    name: &'static str,
    args: Vec<&'static str>,
    stdin: Vec<u8>,
    code: i32,
    /// A part of the message on stderr ("" when stderr must be empty).
    stderr: &'static str,
    out: Out,
}

fn sample_value(path: &str) -> Value {
    serde_json::from_str(&read(&sample(path))).expect("sample is JSON")
}

/// The Cakto sample with the value at `pointer` set to `token`, spelled as is
/// (so that numbers such as `1e400` or `-0` reach hooknorm exactly so written).
fn cakto_with(pointer: &str, token: &str) -> Vec<u8> {
    with_token(CAKTO_PIX, pointer, token)
}

fn with_token(path: &str, pointer: &str, token: &str) -> Vec<u8> {
    let mut body = sample_value(path);
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
    body.pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .expect("the parent is an object")
        .insert(key.to_owned(), json!("\u{1}TOKEN\u{1}"));
    body.to_string()
        .replace("\"\\u0001TOKEN\\u0001\"", token)
        .into_bytes()
}

fn cakto_compact() -> String {
    sample_value(CAKTO_PIX).to_string()
}

fn cases() -> Vec<Case> {
    let nothing = |name, stdin: Vec<u8>, code, stderr| Case {
        name,
        args: vec![],
        stdin,
        code,
        stderr,
        out: Out::Nothing,
    };
    let mut nested = "{\"a\":".repeat(100_000).into_bytes();
    nested.push(b'1');
    nested.extend("}".repeat(100_000).bytes());
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(read(&sample(CAKTO_PIX)).bytes());
    let double_encoded = serde_json::to_string(&cakto_compact()).expect("a JSON string");
    // A second `event` before the sample's own.
    let duplicate = cakto_compact().replacen('{', "{\"event\":\"refund\",", 1);
    assert!(duplicate.matches("\"event\"").count() == 2);
    vec![
        nothing(
            "empty input",
            vec![],
            65,
            "<stdin>:1:1: not JSON: expected a JSON value, found empty input",
        ),
        nothing(
            "only whitespace",
            b" \n\t \n".to_vec(),
            65,
            "not JSON: expected a JSON value, found empty input",
        ),
        nothing(
            "not JSON",
            b"hello".to_vec(),
            65,
            "<stdin>:1:1: not JSON: expected valid JSON",
        ),
        nothing(
            "text after the JSON",
            b"{\"a\": 1} x".to_vec(),
            65,
            "not JSON: expected valid JSON (trailing characters)",
        ),
        nothing(
            "JSON from no known provider",
            b"{\"hello\": \"world\"}".to_vec(),
            65,
            "unknown provider: looked for Cakto {secret, event, data}, Kiwify",
        ),
        nothing(
            "truncated JSON",
            cakto_compact().as_bytes()[..200].to_vec(),
            65,
            "not JSON: expected more input: the JSON is truncated",
        ),
        Case {
            name: "a UTF-8 byte-order mark is accepted",
            args: vec![],
            stdin: bom,
            code: 0,
            stderr: "",
            out: Out::Event("/payload/payment/total", json!(555)),
        },
        nothing(
            "invalid UTF-8",
            b"{\"secret\": \"\xFF\xFE\"}".to_vec(),
            65,
            "<stdin>:1:13: not JSON: expected UTF-8 text",
        ),
        nothing(
            "Latin-1 text",
            b"{\"name\": \"Jo\xE3o\"}".to_vec(),
            65,
            "found the byte 0xE3 at offset 12",
        ),
        // Refused rather than decoded: a body logged as a JSON string means the
        // capture went wrong upstream, and its signature is over other bytes.
        nothing(
            "a JSON string holding JSON (double-encoded)",
            double_encoded.into_bytes(),
            65,
            "not a string holding JSON (decode it first, e.g. with `jq -r .`)",
        ),
        nothing(
            "an array at the top level",
            br#"[{"secret": "s", "event": "refund", "data": {}}]"#.to_vec(),
            65,
            "expected a webhook body (a JSON object), found an array",
        ),
        // One limit for every command (validate, diff and verify build the whole
        // document; serde_json refuses its 128th level), wherever the nesting is.
        nothing(
            "100,000 levels of nesting",
            nested,
            65,
            "<stdin>:1:636: not JSON: expected JSON nested at most 127 levels deep",
        ),
        nothing(
            "100,000 levels of nesting in a field hooknorm does not read",
            cakto_with(
                "/data/not_read_by_hooknorm",
                &format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)),
            ),
            65,
            "not JSON: expected JSON nested at most 127 levels deep",
        ),
        nothing(
            "200 levels of nesting in a field hooknorm reads",
            cakto_with(
                "/data/customer/name",
                &format!("{}{}", "[".repeat(200), "]".repeat(200)),
            ),
            65,
            "not JSON: expected JSON nested at most 127 levels deep",
        ),
        Case {
            name: "127 levels (the limit) in a field hooknorm does not read",
            args: vec![],
            stdin: cakto_with(
                "/data/not_read_by_hooknorm",
                &format!("{}{}", "[".repeat(125), "]".repeat(125)),
            ),
            code: 0,
            stderr: "",
            out: Out::Event("/payload/payment/total", json!(555)),
        },
        nothing(
            "a number beyond f64 (1e400)",
            cakto_with("/data/amount", "1e400"),
            65,
            "/data/amount: expected an amount within ±9007199254740991 cents, found 1e400",
        ),
        // Found by fuzzing diff: such numbers are kept as written; an id was
        // refused ("found an object"), and before that rounded to 1.2345678901234568e29.
        Case {
            name: "an id beyond u64 is kept exactly",
            args: vec![],
            stdin: cakto_with("/data/id", "123456789012345678901234567890"),
            code: 0,
            stderr: "",
            out: Out::Event("/payload/order/id", json!("123456789012345678901234567890")),
        },
        Case {
            name: "-0 is zero",
            args: vec![],
            stdin: cakto_with("/data/amount", "-0"),
            code: 0,
            stderr: "",
            out: Out::Event("/payload/payment/total", json!(0)),
        },
        Case {
            name: "0.1e-400 rounds to zero cents",
            args: vec![],
            stdin: cakto_with("/data/amount", "0.1e-400"),
            code: 0,
            stderr: "",
            out: Out::Event("/payload/payment/total", json!(0)),
        },
        nothing(
            "an amount written as \"R$ 10,00\"",
            cakto_with("/data/amount", "\"R$ 10,00\""),
            65,
            "/data/amount: expected a decimal amount such as 10.50 or \"10.50\", found \"R$ 10,00\"",
        ),
        nothing(
            "a negative amount",
            cakto_with("/data/amount", "-5.55"),
            65,
            "/data/amount: expected a non-negative amount, found -5.55",
        ),
        nothing(
            "an absurdly large amount",
            cakto_with("/data/amount", "1e300"),
            65,
            "/data/amount: expected an amount within ±9007199254740991 cents, found 1e300",
        ),
        nothing(
            "a date that does not exist (2024-02-30)",
            cakto_with("/data/createdAt", "\"2024-02-30T10:00:00-03:00\""),
            65,
            "/data/createdAt: expected a date that exists in the calendar, found \"2024-02-30T10:00:00-03:00\"",
        ),
        nothing(
            "a date-time without a zone",
            cakto_with("/data/createdAt", "\"2024-02-10T10:00:00\""),
            65,
            "/data/createdAt: expected a date-time with a zone (Z or ±HH:MM)",
        ),
        nothing(
            "epoch seconds where milliseconds are due",
            with_token(HOTMART, "/creation_date", "1717823869"),
            65,
            "/creation_date: expected epoch milliseconds (13 digits; this looks like seconds), found 1717823869",
        ),
        nothing(
            "a duplicate key",
            duplicate.into_bytes(),
            65,
            "/event: expected each key once (receivers disagree on which of two values counts), found \"event\" a second time",
        ),
        Case {
            name: "one provider's body forced as another's",
            args: vec!["--provider", "kiwify"],
            stdin: read(&sample(CAKTO_PIX)).into_bytes(),
            code: 65,
            stderr: "/webhook_event_type: missing: expected the Kiwify event name (a string) (hint: the body looks like cakto's (by secret, event, data), not kiwify's: use --provider cakto",
            out: Out::Nothing,
        },
        nothing(
            "an event code with no mapping",
            cakto_with("/event", "\"picpay_gerado\""),
            65,
            "/event: Cakto event \"picpay_gerado\" is not mapped to a normalized event",
        ),
    ]
}

#[test]
fn every_bad_input_gets_its_status_its_message_and_no_partial_output() {
    let mut failures = Vec::new();
    for case in cases() {
        let output = hooknorm()
            .arg("convert")
            .args(&case.args)
            .write_stdin(case.stdin)
            .output()
            .expect("hooknorm runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let mut wrong = Vec::new();
        if output.status.code() != Some(case.code) {
            wrong.push(format!(
                "exit {:?}, not {}",
                output.status.code(),
                case.code
            ));
        }
        if case.stderr.is_empty() != stderr.is_empty() || !stderr.contains(case.stderr) {
            wrong.push(format!("stderr {stderr:?} lacks {:?}", case.stderr));
        }
        if stderr.contains("panicked") {
            wrong.push("a panic".to_owned());
        }
        match case.out {
            Out::Nothing if !stdout.is_empty() => wrong.push(format!("stdout {stdout:?}")),
            Out::Nothing => {}
            Out::Event(pointer, expected) => match serde_json::from_str::<Value>(&stdout) {
                Ok(event) if event.pointer(pointer) == Some(&expected) => {}
                Ok(event) => wrong.push(format!("{pointer} is {:?}", event.pointer(pointer))),
                Err(error) => wrong.push(format!("stdout is not one event: {error}")),
            },
        }
        if !wrong.is_empty() {
            failures.push(format!("{}: {}", case.name, wrong.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Output that cannot be written is exit 74, never a silent success: a closed
/// stdout lost every event while the summary said "converted"; `--help`,
/// `help convert` and `--version` into a full device exited 0. A closed pipe stays
/// a quiet end (`| head`).
#[test]
fn output_that_cannot_be_written_is_exit_74() {
    let binary = assert_cmd::cargo::cargo_bin("hooknorm");
    let sample = sample(CAKTO_PIX);
    let run = |redirect: &str, args: &str| {
        std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("exec \"$0\" {args} {redirect}"))
            .arg(&binary)
            .output()
            .expect("sh runs")
    };
    for (redirect, args) in [
        (">&-", format!("convert {}", sample.display())),
        (">&-", format!("validate {}", sample.display())),
        (">/dev/full", format!("convert {}", sample.display())),
        (">/dev/full", "--help".to_owned()),
        (">/dev/full", "help convert".to_owned()),
        (">/dev/full", "--version".to_owned()),
        (">&-", "--version".to_owned()),
    ] {
        let output = run(redirect, &args);
        assert_eq!(output.status.code(), Some(74), "{args} {redirect}");
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("error: <stdout>:"),
            "{args} {redirect}"
        );
    }
    // `> /dev/null` is a place to write to.
    assert_eq!(
        run(">/dev/null", &format!("convert {}", sample.display()))
            .status
            .code(),
        Some(0)
    );
}

/// A thread the system refuses is one worker fewer, never a panic: under
/// `ulimit -v 1000000`, `--jobs 100000` panicked (exit 101) in convert and
/// validate. `--jobs` is bounded (256), and no more threads start than the work
/// can use.
#[test]
fn refused_threads_mean_fewer_workers() {
    let dir = common::temp_dir("refused-threads");
    let line = serde_json::to_string(&common::read_json(&sample(CAKTO_PIX))).expect("JSON");
    let stream = dir.join("stream.ndjson");
    std::fs::write(&stream, format!("{line}\n").repeat(3000)).expect("write");
    let files = dir.join("files");
    std::fs::create_dir_all(&files).expect("folder");
    for index in 0..40 {
        std::fs::write(files.join(format!("{index:02}.json")), &line).expect("write");
    }
    let binary = assert_cmd::cargo::cargo_bin("hooknorm");
    for (args, expected) in [
        (
            format!("convert --jobs 256 {}", stream.display()),
            "3000 converted, 0 failed",
        ),
        (
            format!("convert --jobs 100000 {}", stream.display()),
            "3000 converted, 0 failed",
        ),
        (
            format!("validate --format json --jobs 100000 {}", stream.display()),
            "3000 valid, 0 invalid",
        ),
        (
            format!("validate --format json --jobs 100000 {}", files.display()),
            "40 valid, 0 invalid",
        ),
    ] {
        let output = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!(
                "ulimit -v 1000000 && exec \"$0\" {args} 2>&1 >/dev/null"
            ))
            .arg(&binary)
            .output()
            .expect("sh runs");
        let all = String::from_utf8_lossy(&output.stdout);
        assert_eq!(output.status.code(), Some(0), "{args}: {all}");
        assert!(all.contains(expected), "{args}: {all}");
        assert!(!all.contains("panicked"), "{args}: {all}");
    }
}

/// Smaller ones from the same outside attack: `-` given twice read an empty second
/// input; `--tolerance=-5`, `NaN` and `-inf` were accepted; a body with both
/// Hotmart's and Cakto's keys was "unknown" rather than ambiguous; a file name
/// with control bytes reached the terminal raw.
#[test]
fn smaller_refusals() {
    for command in ["convert", "detect", "validate"] {
        hooknorm()
            .args([command, "-", "-"])
            .write_stdin("{}")
            .assert()
            .code(2)
            .stderr(predicates::str::contains("can be given once"));
    }
    let sample = sample(CAKTO_PIX);
    for tolerance in ["-5", "NaN", "-inf", "inf"] {
        hooknorm()
            .arg("diff")
            .arg(format!("--tolerance={tolerance}"))
            .arg(&sample)
            .arg(&sample)
            .assert()
            .code(2);
    }
    let both = r#"{"secret":"s","event":"PURCHASE_APPROVED","data":{},"version":"2.0.0","creation_date":1700000000000}"#;
    hooknorm()
        .arg("convert")
        .write_stdin(both)
        .assert()
        .code(65)
        .stderr(predicates::str::contains("ambiguous provider"));
    let dir = common::temp_dir("control-name");
    let evil = dir.join("evil\u{1b}[31m\nname.json");
    std::fs::copy(&sample, &evil).expect("copy");
    for args in [
        vec!["detect"],
        vec!["validate"],
        vec!["convert", "--compact"],
    ] {
        let output = hooknorm()
            .args(&args)
            .arg(&evil)
            .arg("/nonexistent")
            .output()
            .expect("runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains('\u{1b}'), "{args:?}: {all}");
        if args[0] == "detect" {
            assert!(
                all.contains(r"evil\u{1b}[31m\nname.json"),
                "{args:?}: {all}"
            );
        }
    }
}

/// Errors that named a pointer had no place: an unmapped event and a null field
/// had no column, an impossible date in a pretty document no line and column, an
/// NDJSON line no column.
#[test]
fn every_error_with_a_pointer_has_a_line_and_column() {
    let pretty = "{\n  \"secret\": \"s\",\n  \"event\": \"refund\",\n  \"data\": {\n    \"id\": \"x\",\n    \"createdAt\": \"2024-02-30T10:00:00Z\"\n  }\n}\n";
    for (stdin, expected) in [
        (
            "{\"secret\":\"s\",\"event\":\"nope\",\"data\":{}}".to_owned(),
            "<stdin>:1:23: /event:",
        ),
        (
            "{\"secret\":\"s\",\"event\":\"purchase_approved\",\"data\":{\"id\":null}}".to_owned(),
            "<stdin>:1:56: /data/id:",
        ),
        (pretty.to_owned(), "<stdin>:6:18: /data/createdAt:"),
        (
            format!(
                "{{}}\n{}\n",
                "{\"secret\":\"s\",\"event\":\"nope\",\"data\":{}}"
            ),
            "<stdin>:2:23: /event:",
        ),
    ] {
        let output = hooknorm()
            .arg("convert")
            .write_stdin(stdin)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    }
}

/// A captured request whose body is a JSON string: what goes wrong inside the
/// string is under `/body` and placed at the string (it had neither).
#[test]
fn errors_inside_a_string_body_are_under_body_at_the_string() {
    let request = |body: &str| {
        serde_json::to_string_pretty(&json!({"headers": {"x": "y"}, "body": body})).expect("JSON")
    };
    for (body, expected) in [
        (
            "{\"secret\":\"s\",\"event\":\"purchase_approved\",\"data\":{\"id\":\"o1\",",
            "<stdin>:5:11: /body: not JSON: expected more input",
        ),
        (
            "{\"secret\":\"s\",\"event\":\"purchase_approved\",\"data\":{\"id\":[]}}",
            "<stdin>:5:11: /body/data/id: expected a string or a number, found an array",
        ),
        (
            "{\"secret\":\"s\",\"event\":\"nope\",\"data\":{}}",
            "<stdin>:5:11: /body/event:",
        ),
    ] {
        let output = hooknorm()
            .arg("convert")
            .write_stdin(request(body))
            .output()
            .expect("runs");
        assert_eq!(output.status.code(), Some(65));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{stderr}");
    }
}

/// Nesting has one limit and one message in every command, wherever it is: a
/// field convert skips was accepted 200 deep while validate, diff and verify
/// called the same body "not JSON".
#[test]
fn one_nesting_limit_for_every_command() {
    let deep = cakto_with(
        "/data/not_read_by_hooknorm",
        &format!("{}{}", "[".repeat(200), "]".repeat(200)),
    );
    let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let path = dir.join("nested-200.json");
    std::fs::write(&path, &deep).expect("write");
    let body = String::from_utf8(deep).expect("UTF-8");
    let request = dir.join("nested-200.request.json");
    std::fs::write(&request, format!("{{\"headers\": {{}}, \"body\": {body}}}")).expect("write");
    let string_body = dir.join("nested-200.string-body.json");
    std::fs::write(
        &string_body,
        json!({"headers": {}, "body": body}).to_string(),
    )
    .expect("write");
    let message = "not JSON: expected JSON nested at most 127 levels deep";
    let verify: &[&str] = &["verify", "--secret", "s"];
    let runs: [(&[&str], &std::path::Path, &str); 9] = [
        (&["convert"], &path, ":1:1333: "),
        (&["detect"], &path, ":1:1333: "),
        (&["validate"], &path, ":1:1333: "),
        (&["diff"], &path, ":1:1333: "),
        (&["convert"], &request, ":1:1356: "),
        (verify, &request, ":1:1356: "),
        (&["validate"], &request, ":1:1356: "),
        (&["convert"], &string_body, ":1:22: /body: "),
        (verify, &string_body, ":1:22: /body: "),
    ];
    for (args, input, place) in runs {
        let mut command = hooknorm();
        command.args(args).arg(input);
        if args == ["diff"] {
            command.arg(input);
        }
        let output = command.output().expect("runs");
        // validate reports each document on stdout, the others on stderr.
        let said =
            String::from_utf8_lossy(&output.stderr) + String::from_utf8_lossy(&output.stdout);
        assert!(
            said.contains(&format!("{place}{message}"))
                || said.contains(&format!("{place}error: {message}")),
            "{args:?} {input:?}: {said}"
        );
        assert_eq!(output.status.code(), Some(65), "{args:?}: {said}");
    }
}
