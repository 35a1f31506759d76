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
