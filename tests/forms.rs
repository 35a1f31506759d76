//! Form-encoded bodies (`application/x-www-form-urlencoded`): read as the JSON
//! object they stand for wherever a raw body is accepted — a file, stdin, a
//! captured request whose `Content-Type` says so — with errors placed in the
//! form's own text.

mod common;

use common::hooknorm;
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
