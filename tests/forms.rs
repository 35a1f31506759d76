//! Form-encoded bodies (`application/x-www-form-urlencoded`): read as the JSON
//! object they stand for wherever a raw body is accepted — a file, stdin, a
//! captured request whose `Content-Type` says so — with errors placed in the
//! form's own text.

mod common;

use common::hooknorm;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

const FORM: &str = "secret=s3cr3t&event=purchase_approved&data[id]=o1&data[status]=paid\
&data[amount]=10.5&data[customer][name]=Jo%C3%A3o+Silva&data[customer][email]=joao%40example.com";

#[test]
fn a_form_converts_like_the_json_it_stands_for() {
    let json = r#"{"secret":"s3cr3t","event":"purchase_approved","data":{"id":"o1","status":"paid","amount":"10.5","customer":{"name":"João Silva","email":"joao@example.com"}}}"#;
    let from_json = hooknorm()
        .arg("convert")
        .write_stdin(json)
        .output()
        .expect("runs");
    let from_form = hooknorm()
        .arg("convert")
        .write_stdin(FORM)
        .output()
        .expect("runs");
    assert!(from_form.status.success(), "{from_form:?}");
    assert_eq!(from_form.stdout, from_json.stdout);
    let captured = serde_json::json!({
        "headers": {"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
        "body": FORM,
    });
    let from_request = hooknorm()
        .arg("convert")
        .write_stdin(captured.to_string())
        .output()
        .expect("runs");
    assert_eq!(from_request.stdout, from_json.stdout);
    hooknorm()
        .arg("detect")
        .write_stdin(FORM)
        .assert()
        .success()
        .stdout(contains("cakto purchase_approved → order.paid"));
}

#[test]
fn errors_point_into_the_form_text() {
    let bad = FORM.replace("data[amount]=10.5", "data[amount]=ten");
    let column = bad.find("data[amount]=").expect("field") + "data[amount]=".len() + 1;
    hooknorm()
        .arg("convert")
        .write_stdin(bad)
        .assert()
        .code(65)
        .stderr(contains(format!("<stdin>:1:{column}: /data/amount:")));
    let repeated = format!("{FORM}&data[id]=o2");
    hooknorm()
        .arg("convert")
        .write_stdin(repeated)
        .assert()
        .code(65)
        .stderr(contains("/data/id: expected each form field once"));
}

#[test]
fn the_secret_of_a_form_is_never_printed() {
    for args in [
        &["convert"][..],
        &["detect"],
        &["explain"],
        &["validate", "-"],
    ] {
        let output = hooknorm()
            .args(args)
            .write_stdin(FORM)
            .output()
            .expect("runs");
        let all = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!all.contains("s3cr3t"), "{args:?}: {all}");
    }
}

#[test]
fn validate_converts_a_form_and_judges_the_event() {
    hooknorm()
        .args(["validate", "-"])
        .write_stdin(FORM)
        .assert()
        .success()
        .stdout(contains("1 valid"));
}

const MONETIZZE_FORM: &str =
    "monetizze/postback.tipoEvento-6_completa.form-encoded.CONSTRUCTED.form";
const MONETIZZE_JSON: &str =
    "monetizze/postback.tipoEvento-6_completa.assinatura-cancelada.pr-example.json";

fn converted(stdin: String) -> std::process::Output {
    hooknorm()
        .arg("convert")
        .write_stdin(stdin)
        .output()
        .expect("runs")
}

/// Monetizze posts a form with a `json` copy: the form (with or without its
/// copy) and the JSON body give the same event.
#[test]
fn monetizze_form_and_its_json_copy_give_the_same_event() {
    let form = common::read(&common::sample(MONETIZZE_FORM));
    let json = common::read(&common::sample(MONETIZZE_JSON));
    let from_form = converted(form.clone());
    let from_json = converted(json);
    assert!(from_form.status.success(), "{from_form:?}");
    assert_eq!(from_form.stdout, from_json.stdout);
    // Without its copy: the fields alone, every value text.
    let fields_only: Vec<&str> = form
        .trim_end()
        .split('&')
        .filter(|pair| !pair.starts_with("json="))
        .collect();
    let from_fields = converted(fields_only.join("&"));
    assert_eq!(from_fields.stdout, from_json.stdout);
}

/// A form field the copy contradicts is refused, naming the field and placing
/// the error at it; neither value is printed.
#[test]
fn a_form_field_the_json_copy_contradicts_is_named() {
    let form = common::read(&common::sample(MONETIZZE_FORM));
    let tampered = form.replacen("venda%5Bvalor%5D=157.00", "venda%5Bvalor%5D=1.00", 1);
    assert_ne!(tampered, form);
    let column = tampered.find("venda%5Bvalor%5D=").expect("field") + "venda%5Bvalor%5D=".len() + 1;
    hooknorm()
        .arg("convert")
        .write_stdin(tampered)
        .assert()
        .code(65)
        .stderr(contains(format!(
            "<stdin>:1:{column}: /venda/valor: expected the form field \"venda[valor]\" and the `json` copy"
        )))
        .stderr(contains("1.00").not())
        .stderr(contains("157.00").not());
}

/// The chave única the postback echoes is a weak credential: judged only with
/// --allow-echoed-secret, and never printed.
#[test]
fn monetizze_verify_takes_the_echoed_key_only_when_allowed() {
    let path = common::sample("monetizze/postback.tipoEvento-2_finalizada.cartao.CONSTRUCTED.form");
    let key = "0123456789abcdef0123456789abcdef";
    hooknorm()
        .args(["verify", "--secret", key])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(contains("--allow-echoed-secret"));
    hooknorm()
        .args(["verify", "--allow-echoed-secret", "--secret", key])
        .arg(&path)
        .assert()
        .success()
        .stdout(contains("authentic: monetizze"))
        .stdout(contains(key).not());
    hooknorm()
        .args(["verify", "--allow-echoed-secret", "--secret", "another"])
        .arg(&path)
        .assert()
        .code(1)
        .stdout(contains(key).not());
}

/// What every command says of a field nested past the limit.
const TOO_DEEP: &str = "expected fields nested at most 127 levels deep, as JSON is";

/// `FORM` with one more field nested `levels` deep (`data`, `extra`, then `[a]`s),
/// which no provider reads; and the column of its value.
fn form_nested(levels: usize) -> (String, usize) {
    let field = format!("&data[extra]{}=", "[a]".repeat(levels - 2));
    (format!("{FORM}{field}1"), FORM.len() + field.len() + 1)
}

/// Bracket names nest no deeper than JSON does: a form 100,000 levels deep
/// aborted every command with a stack overflow, and one 200 deep in a field
/// nothing reads was accepted.
#[test]
fn forms_nest_at_most_127_levels_in_every_command() {
    let dir = common::temp_dir("deep-forms");
    let deep = dir.join("deep.form");
    let deep_form = format!("a{}=1", "[a]".repeat(100_000));
    std::fs::write(&deep, &deep_form).expect("write");
    let ignored = dir.join("ignored.form");
    let (ignored_form, column) = form_nested(200);
    std::fs::write(&ignored, &ignored_form).expect("write");
    let verify: &[&str] = &["verify", "--secret", "s"];
    let commands: [&[&str]; 5] = [
        &["convert"],
        &["detect"],
        &["validate"],
        &["explain"],
        verify,
    ];
    // validate writes `error: ` between the place and the pointer.
    let places = [
        (&deep, format!(":1:{}: ", deep_form.len()), " /a/a/a"),
        (&ignored, format!(":1:{column}: "), " /data/extra/a/a"),
    ];
    for args in commands {
        for (input, place, pointer) in &places {
            let output = hooknorm().args(args).arg(input).output().expect("runs");
            let said =
                String::from_utf8_lossy(&output.stderr) + String::from_utf8_lossy(&output.stdout);
            assert_eq!(output.status.code(), Some(65), "{args:?} {input:?}: {said}");
            assert!(said.contains(place.as_str()), "{args:?} {input:?}: {said}");
            assert!(said.contains(pointer), "{args:?} {input:?}: {said}");
            assert!(said.contains(TOO_DEEP), "{args:?} {input:?}: {said}");
        }
    }
    let (at_limit, _) = form_nested(127);
    hooknorm()
        .arg("convert")
        .write_stdin(at_limit)
        .assert()
        .success();
    let (past_limit, _) = form_nested(128);
    hooknorm()
        .arg("convert")
        .write_stdin(past_limit)
        .assert()
        .code(65)
        .stderr(contains(TOO_DEEP));
}

/// With `--jobs 2` the workers (Rust's 2 MiB thread stacks) overflowed on a
/// form 3,000 levels deep, as files and as lines of a stream.
#[test]
fn deep_forms_are_refused_by_the_workers_too() {
    let dir = common::temp_dir("deep-forms-jobs");
    let deep = format!("a{}=1", "[a]".repeat(3_000));
    let mut files = Vec::new();
    for index in 0..4 {
        let path = dir.join(format!("{index}.form"));
        std::fs::write(&path, &deep).expect("write");
        files.push(path);
    }
    // Past 64 KiB, a stream is run by the workers.
    let lines = dir.join("deep.ndjson");
    std::fs::write(&lines, format!("{deep}\n").repeat(16)).expect("write");
    for inputs in [files, vec![lines]] {
        let output = hooknorm()
            .args(["convert", "--jobs", "2"])
            .args(&inputs)
            .output()
            .expect("runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(65), "{inputs:?}: {stderr}");
        assert!(stderr.contains(TOO_DEEP), "{inputs:?}: {stderr}");
    }
}

/// Eduzz's legacy bracket keys nest as form names do, under the same limit: a
/// key `x[a][a]…` 100,000 levels deep aborted with a stack overflow.
#[test]
fn deep_bracket_keys_of_a_json_body_are_refused() {
    let path = common::sample("eduzz/legacy.invoice_paid.credit_card.CONSTRUCTED.json");
    let mut body = common::read_json(&path);
    let key = format!("x{}", "[a]".repeat(100_000));
    body.as_object_mut()
        .expect("an object")
        .insert(key, serde_json::json!(1));
    hooknorm()
        .arg("convert")
        .write_stdin(body.to_string())
        .assert()
        .code(65)
        .stderr(contains("/x/a/a"))
        .stderr(contains(TOO_DEEP));
    // Key and value together: 100 levels of key over 100 of value.
    let mut body = common::read_json(&path);
    let value: serde_json::Value =
        serde_json::from_str(&format!("{}1{}", "[".repeat(100), "]".repeat(100))).expect("JSON");
    body.as_object_mut()
        .expect("an object")
        .insert(format!("x{}", "[a]".repeat(99)), value);
    hooknorm()
        .arg("convert")
        .write_stdin(body.to_string())
        .assert()
        .code(65)
        .stderr(contains(TOO_DEEP));
}

/// The Python module converts on the caller's thread: a 60 KB form converted
/// in a Python thread crashed the interpreter. Here the same conversion runs
/// on threads with a Python thread's stack (8 MiB: glibc's default, the stack
/// rlimit) and a `--jobs` worker's (2 MiB: Rust's default).
#[test]
fn a_deep_form_is_an_error_on_a_thread_of_any_usual_stack() {
    let form = format!("a{}=1", "[a]".repeat(20_000));
    for stack in [8 << 20, 2 << 20] {
        let form = form.clone();
        let converted = std::thread::Builder::new()
            .stack_size(stack)
            .spawn(move || {
                let mut scratch = String::new();
                let result = hooknorm::convert(&form, &mut scratch, &Default::default());
                result.err().map(|error| error.to_string())
            })
            .expect("a thread")
            .join()
            .expect("no panic");
        let error = converted.expect("an error");
        assert!(error.contains(TOO_DEEP), "{error}");
    }
}
