//! No secret reaches any output: every sample that carries one (Cakto `secret`,
//! Hotmart `hottok`, Kiwify `signature`, OPABOX `x-api-key`, full card numbers),
//! through every command and format, on success and on failure.

mod common;

use common::{hooknorm, read, sample};
use serde_json::{Value, json};
use std::path::PathBuf;

/// Distinctive secrets planted where each provider sends its own.
fn planted() -> Vec<(String, Value)> {
    let load = |path: &str| -> Value { serde_json::from_str(&read(&sample(path))).expect("JSON") };
    let mut cakto = load("cakto/purchase_approved.credit_card.panel-sample.json");
    cakto["secret"] = json!("SECRET-CAKTO-7f3a1");
    let mut kiwify = json!({
        "signature": "SECRET-KIWIFY-SIG-99",
        "url": "https://example.com/hook",
        "order": load("kiwify/order_approved.credit_card.subscription.test-webhook.json"),
    });
    kiwify["order"]["Customer"]["card_number"] = json!("4111111111111111");
    let mut hotmart = load("hotmart/PURCHASE_COMPLETE.pix.CONSTRUCTED.json");
    hotmart["hottok"] = json!("SECRET-HOTTOK-8c1d");
    let opabox = json!({
        "headers": {"x-api-key": "SECRET-OPABOX-KEY-42"},
        "body": load("opabox/orders.status-22.seed-example.json"),
    });
    let mut cakto_renewal = load("cakto/subscription_renewed.credit_card.notion-doc.json");
    cakto_renewal["secret"] = json!("SECRET-CAKTO-SUB-5e2b");
    let hotmart_switch = json!({
        "headers": {"X-HOTMART-HOTTOK": "SECRET-HOTTOK-SUB-31f0"},
        "body": load("hotmart/SWITCH_PLAN.docs-example.json"),
    });
    vec![
        ("cakto".into(), cakto),
        ("kiwify".into(), kiwify),
        ("hotmart".into(), hotmart),
        ("opabox".into(), opabox),
        ("cakto-subscription".into(), cakto_renewal),
        ("hotmart-subscription".into(), hotmart_switch),
    ]
}

const SECRETS: &[&str] = &["SECRET-", "4111111111111111"];

fn write(name: &str, value: &Value) -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("secrets-{name}.json"));
    std::fs::write(&path, value.to_string()).expect("written");
    path
}

fn assert_clean(args: &[&str], paths: &[&PathBuf]) {
    let output = hooknorm().args(args).args(paths).output().expect("runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!all.is_empty(), "{args:?} said nothing");
    for secret in SECRETS {
        assert!(
            !all.contains(secret),
            "{secret} leaked with {args:?} {paths:?}:\n{all}"
        );
    }
}

#[test]
fn no_secret_in_any_command_or_format() {
    for (name, body) in planted() {
        let path = write(&name, &body);
        // The same body with a customer changed, to give diff something to show.
        let mut changed = body.clone();
        // The secret changes too: a diff of raw bodies must not show it either.
        let text = changed
            .to_string()
            .replace("@", "+changed@")
            .replace("SECRET-", "SECRET-OTHER-");
        changed = serde_json::from_str(&text).expect("JSON");
        let other = write(&format!("{name}-changed"), &changed);
        for args in [
            &["convert"][..],
            &["convert", "--compact"],
            &["convert", "--payload-only"],
            &["convert", "--redact"],
            &["detect"],
            &["detect", "--format", "json"],
            &["explain"],
            &["explain", "--format", "json"],
            &["validate"],
            &["validate", "--format", "json"],
            &["validate", "--format", "github"],
        ] {
            assert_clean(args, &[&path]);
        }
        for format in ["human", "json", "json-patch"] {
            assert_clean(&["diff", "--format", format], &[&path, &other]);
            assert_clean(&["diff", "--raw", "--format", format], &[&path, &other]);
        }
        assert_clean(&["diff", "--docs"], &[&path]);
    }
}

#[test]
fn no_secret_in_error_messages() {
    for (name, body) in planted() {
        // Secrets of the wrong type, and bodies broken right after the secret.
        let mut wrong_type = body.clone();
        for key in ["secret", "hottok", "signature"] {
            if let Some(value) = wrong_type.get_mut(key) {
                *value = json!(["SECRET-IN-AN-ARRAY"]);
            }
        }
        let text = body.to_string();
        let cut = text
            .find("SECRET-")
            .map_or(text.len() / 2, |at| (at + 30).min(text.len() - 1));
        let truncated = &text[..cut];
        for input in [wrong_type.to_string(), truncated.to_owned()] {
            for args in [&["convert"][..], &["detect"], &["explain"], &["validate"]] {
                let output = hooknorm()
                    .args(args)
                    .write_stdin(input.clone())
                    .output()
                    .expect("runs");
                let stderr = String::from_utf8_lossy(&output.stderr);
                for secret in SECRETS {
                    assert!(!stderr.contains(secret), "{name} {args:?}: {stderr}");
                }
            }
        }
    }
}

/// A `--header` or `--query` without its `:` or `=` was echoed (twice) in the
/// usage error: it is often a token written without its colon.
#[test]
fn malformed_header_and_query_values_are_not_echoed() {
    for args in [
        vec!["convert", "--header", "X-HOTMART-HOTTOK SECRET-HOTTOK-1"],
        vec!["detect", "--header", "X-HOTMART-HOTTOK SECRET-HOTTOK-1"],
        vec![
            "verify",
            "--secret",
            "s",
            "--header",
            "X-HOTMART-HOTTOK SECRET-HOTTOK-1",
        ],
        vec![
            "verify",
            "--secret",
            "s",
            "--query",
            "signatureSECRET-SIG-2",
        ],
    ] {
        let output = hooknorm().args(&args).output().expect("runs");
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("SECRET-"), "{args:?}: {stderr}");
        assert!(stderr.contains("not shown"), "{args:?}: {stderr}");
    }
}

/// Headers or a query given as a string were quoted in errors of every command.
#[test]
fn headers_given_as_a_string_are_not_quoted() {
    let body = r#"{"secret":"s","event":"purchase_approved","data":{"id":"o1"}}"#;
    for (key, pointer) in [("headers", "/headers"), ("query", "/query")] {
        let mut request = json!({"headers": {}, "body": body});
        request[key] = json!("x-api-key: SECRET-IN-HEADERS-3");
        let file = write(&format!("string-{key}"), &request);
        let mut commands = vec![vec!["verify", "--secret", "s"]];
        if key == "headers" {
            commands.extend([
                vec!["convert"],
                vec!["detect", "--format", "json"],
                vec!["validate"],
            ]);
        }
        for args in commands {
            let output = hooknorm().args(&args).arg(&file).output().expect("runs");
            let all = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(!all.contains("SECRET-"), "{args:?} {key}: {all}");
            assert!(all.contains(pointer), "{args:?} {key}: {all}");
        }
    }
}

/// An event name with ESC and a newline was printed raw (terminal and log
/// injection, one record split in two), and a 5 MB name was echoed whole.
#[test]
fn quoted_event_names_are_escaped_and_cut() {
    let evil = json!({"secret": "s", "event": "evil\u{1b}[31m\nforged: line", "data": {}});
    let output = hooknorm()
        .arg("convert")
        .write_stdin(evil.to_string())
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains(r#""evil\u001b[31m\nforged: line""#),
        "{stderr}"
    );
    let long = json!({"secret": "s", "event": "A".repeat(5_000_000), "data": {}});
    let output = hooknorm()
        .arg("convert")
        .write_stdin(long.to_string())
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(65));
    assert!(
        output.stderr.len() < 1000,
        "{} bytes of stderr",
        output.stderr.len()
    );
    for args in [vec!["detect"], vec!["detect", "--format", "json"]] {
        let output = hooknorm()
            .args(&args)
            .write_stdin(evil.to_string())
            .output()
            .expect("runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(!stdout.contains('\u{1b}'), "{args:?}: {stdout}");
        assert_eq!(stdout.lines().count(), 1, "{args:?}: {stdout}");
    }
}

fn all_output(args: &[&str], files: &[&PathBuf]) -> String {
    let output = hooknorm().args(args).args(files).output().expect("runs");
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// What `diff`, `verify` and `validate` printed of a credential or card number
/// held where the key-based masking did not look: a captured request's string
/// body (the form docs/security.md recommends), a request encoded twice, a URL's
/// query, a secret whose value is an object, a card number written as a number,
/// a whole card number in `last_digits`.
#[test]
fn credentials_inside_strings_urls_and_odd_types_are_masked() {
    let body =
        json!({"secret": "SECRET-CAKTO-1", "event": "purchase_approved", "data": {"id": "o1"}})
            .to_string();
    let left = write(
        "string-body-left",
        &json!({"headers": {"x": "1"}, "body": body}),
    );
    let right = write(
        "string-body-right",
        &json!({"headers": {"x": "2"}, "body": body}),
    );
    let twice = write(
        "encoded-twice",
        &Value::String(json!({"headers": {"x": "1"}, "body": body}).to_string()),
    );
    let kiwify = |n: u8| {
        json!({"signature": "SECRET-SIG", "order": {"card": {"number": 4111111111111111u64},
            "secret": {"k": format!("SECRET-OBJECT-{n}")}},
            "url": format!("https://example.com/hook?signature=SECRET-URL-{n}&token=SECRET-TOKEN&a={n}")})
    };
    let (kiwify_left, kiwify_right) = (
        write("url-left", &kiwify(1)),
        write("url-right", &kiwify(2)),
    );
    let mut event = common::read_json(&sample(
        "cakto/chargeback.credit_card.CONSTRUCTED.expected.json",
    ));
    event["payload"]["payment"]["payment_method"]["last_digits"] = json!("4111111111111111");
    let card = write("last-digits", &event);
    let expected = sample("cakto/chargeback.credit_card.CONSTRUCTED.expected.json");
    let runs: Vec<(Vec<&str>, Vec<&PathBuf>)> = vec![
        (vec!["diff", "--raw"], vec![&left, &right]),
        (
            vec!["diff", "--raw", "--format", "json-patch"],
            vec![&left, &right],
        ),
        (vec!["diff", "--format", "json"], vec![&twice, &right]),
        (vec!["verify", "--secret", "s"], vec![&twice]),
        (vec!["diff", "--raw"], vec![&kiwify_left, &kiwify_right]),
        (
            vec!["diff", "--raw", "--format", "json-patch"],
            vec![&kiwify_left, &kiwify_right],
        ),
        (vec!["validate"], vec![&card]),
        (vec!["validate", "--format", "json"], vec![&card]),
        (vec!["diff", "--docs"], vec![&card]),
        (vec!["diff"], vec![&card, &expected]),
    ];
    for (args, files) in runs {
        let all = all_output(&args, &files);
        for secret in SECRETS {
            assert!(!all.contains(secret), "{args:?} leaked {secret}: {all}");
        }
    }
    // The masks still tell that something changed.
    let all = all_output(&["diff", "--raw"], &[&kiwify_left, &kiwify_right]);
    assert!(all.contains("[secret "), "{all}");
}

/// `--redact` left personal data where the format does not keep it: a checkout
/// URL's query (`email=`, `cpf=`, `phone=`, `name=`), UTM and `src`/`sck` values
/// holding an e-mail, phone, CPF or IP, product names holding the buyer's name,
/// e-mail or CPF. And its output lost the documented key order.
#[test]
fn redact_leaves_nothing_personal_and_keeps_the_order() {
    let mut body = common::read_json(&sample(
        "cakto/purchase_approved.pix.unique.notion-doc.json",
    ));
    let data = &mut body["data"];
    data["customer"]["name"] = json!("Maria Aparecida Souza");
    data["customer"]["email"] = json!("maria.souza@example.com");
    data["customer"]["docNumber"] = json!("123.456.789-09");
    data["customer"]["phone"] = json!("(11) 98888-7777");
    data["checkoutUrl"] = json!(
        "https://pay.cakto.com.br/B8B?email=maria.souza%40example.com&cpf=12345678909&phone=11988887777&name=Maria+Souza"
    );
    data["utm_source"] = json!("maria.souza@example.com");
    data["utm_medium"] = json!("11988887777");
    data["utm_campaign"] = json!("123.456.789-09");
    data["utm_content"] = json!("203.0.113.7");
    data["sck"] = json!("lead maria.souza@example.com");
    data["product"]["name"] = json!("Mentoria Maria Aparecida Souza (123.456.789-09)");
    let file = write("redact-patterns", &body);
    let output = hooknorm()
        .args(["convert", "--redact"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for personal in [
        "Maria",
        "Souza",
        "maria.souza",
        "%40example.com",
        "12345678909",
        "123.456.789-09",
        "11988887777",
        "98888-7777",
        "203.0.113.7",
    ] {
        assert!(!text.contains(personal), "{personal} left in {text}");
    }
    // Still the documented event, in the documented order.
    let plain = hooknorm().arg("convert").arg(&file).output().expect("runs");
    let keys = |bytes: &[u8]| -> Vec<String> {
        let value: Value = serde_json::from_slice(bytes).expect("event");
        let mut keys = Vec::new();
        fn walk(value: &Value, path: String, keys: &mut Vec<String>) {
            if let Value::Object(map) = value {
                for (key, inner) in map {
                    keys.push(format!("{path}/{key}"));
                    walk(inner, format!("{path}/{key}"), keys);
                }
            }
        }
        walk(&value, String::new(), &mut keys);
        keys
    };
    assert_eq!(keys(&output.stdout), keys(&plain.stdout));
    // An IP keeps the shape of one (a documentation address).
    assert!(text.contains("\"utm_content\": \"198.51.100."), "{text}");
    let first_line = text.lines().nth(1).unwrap_or_default();
    assert!(first_line.contains("\"event\""), "{first_line}");
}

/// A subscription event names its subscriber and its plan: `--redact` replaces the
/// subscriber's name, e-mail and phones, and a plan named after the subscriber.
#[test]
fn redact_covers_the_subscription_families() {
    let mut body = common::read_json(&sample(
        "hotmart/SUBSCRIPTION_CANCELLATION.docs-example.json",
    ));
    body["data"]["subscriber"]["name"] = json!("Joana Prado Lima");
    body["data"]["subscriber"]["email"] = json!("joana.lima@example.com");
    body["data"]["subscription"]["plan"]["name"] = json!("Mentoria individual Joana Prado Lima");
    let file = write("redact-subscription", &body);
    let output = hooknorm()
        .args(["convert", "--redact"])
        .arg(&file)
        .output()
        .expect("runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    for personal in ["Joana", "Prado", "joana.lima", "999999999", "33334444"] {
        assert!(!text.contains(personal), "{personal} left in {text}");
    }
    let event: Value = serde_json::from_slice(&output.stdout).expect("event");
    assert_eq!(event["event"], "subscription.canceled");
    assert_eq!(event["payload"]["subscription"]["status"], "canceled");
}

/// `explain` shows raw values: a full card number where the last digits belong,
/// or a secret, is masked like everywhere else.
#[test]
fn explain_masks_raw_values() {
    let path = sample("cakto/purchase_approved.credit_card.panel-sample.json");
    let mut body: Value = serde_json::from_str(&read(&path)).expect("JSON");
    body["data"]["card"]["lastDigits"] = json!("4111111111111111");
    body["secret"] = json!("SECRET-CAKTO");
    let path = write("explain-card", &body);
    assert_clean(&["explain"], &[&path]);
    assert_clean(&["explain", "--format", "json"], &[&path]);
}

/// Percent-encodes a form value as PHP's `urlencode` does.
fn form_encoded(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
            true => char::from(b).to_string(),
            false => format!("%{b:02X}"),
        })
        .collect()
}

/// A Monetizze postback whose `json` copy is encoded `times` times over (1: the
/// JSON text itself; 2: a JSON string holding it; …), `chave_unica` first in it.
fn monetizze_form(secret: &str, event: &str, times: usize) -> String {
    let mut copy = json!({"chave_unica": secret, "venda": {"codigo": "1", "valor": "10.00"},
        "tipoEvento": {"codigo": event}})
    .to_string();
    for _ in 1..times {
        copy = Value::String(copy).to_string();
    }
    format!(
        "venda[codigo]=1&tipoEvento[codigo]={event}&chave_unica={secret}&json={}",
        form_encoded(&copy)
    )
}

/// A Monetizze `json` copy encoded twice (a JSON string holding the JSON) was
/// quoted in the error of every command, `chave_unica` included.
#[test]
fn a_json_copy_encoded_twice_is_not_quoted_in_errors() {
    for times in [2, 3] {
        let form = monetizze_form("SECRET-CHAVE-1", "2", times);
        let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("twice-{times}.form"));
        std::fs::write(&path, &form).expect("written");
        let captured = write(
            &format!("twice-captured-{times}"),
            &json!({"headers": {"Content-Type": "application/x-www-form-urlencoded"}, "body": form}),
        );
        for file in [&path, &captured] {
            for args in [
                &["convert"][..],
                &["detect"],
                &["detect", "--format", "json"],
                &["explain"],
                &["validate"],
                &["validate", "--format", "json"],
                &["verify", "--secret", "s"],
                &["verify", "--secret", "s", "--allow-echoed-secret"],
            ] {
                let all = all_output(args, &[file]);
                assert!(all.contains("/json"), "{args:?} {times}: {all}");
                assert!(!all.contains("SECRET-"), "{args:?} {times}: {all}");
            }
        }
    }
}

/// Every found value an error quotes goes through one rule: a string whose text
/// is JSON (a body or request encoded twice) is not quoted, wherever it is read.
#[test]
fn a_string_holding_json_is_never_quoted_whatever_the_field() {
    let inner = json!({"chave_unica": "SECRET-IN-AMOUNT", "x": 1}).to_string();
    let mut body = common::read_json(&sample(
        "cakto/purchase_approved.pix.unique.notion-doc.json",
    ));
    body["data"]["amount"] = json!(inner);
    body["data"]["paidAt"] = json!(Value::String(inner.clone()).to_string());
    let file = write("json-in-amount", &body);
    for args in [&["convert"][..], &["validate"], &["explain"]] {
        let all = all_output(args, &[&file]);
        assert!(!all.contains("SECRET-"), "{args:?}: {all}");
    }
}

/// `diff --raw` of captured Monetizze forms masked the form's `chave_unica`
/// but not the same secret inside the `json` copy (encoded once or twice);
/// secrets under bracket-form keys of a JSON body were not masked at all.
#[test]
fn diff_raw_masks_form_copies_and_bracket_keys() {
    for times in [1, 2] {
        let captured = |secret: &str, event: &str| {
            json!({"headers": {"Content-Type": "application/x-www-form-urlencoded"},
                "body": monetizze_form(secret, event, times)})
        };
        let left = write(
            &format!("form-left-{times}"),
            &captured("SECRET-CHAVE-1", "2"),
        );
        let right = write(
            &format!("form-right-{times}"),
            &captured("SECRET-CHAVE-2", "3"),
        );
        for format in ["human", "json", "json-patch"] {
            let all = all_output(&["diff", "--raw", "--format", format], &[&left, &right]);
            assert!(!all.contains("SECRET-"), "{format} {times}: {all}");
            assert!(all.contains("[secret "), "{format} {times}: {all}");
        }
    }
    let bracket = |n: u8| {
        json!({"type": "invoice", "producer[api_key]": format!("SECRET-API-{n}"),
            "trans_items[0][token]": format!("SECRET-TOKEN-{n}"), "x": n})
    };
    let (left, right) = (
        write("bracket-left", &bracket(1)),
        write("bracket-right", &bracket(2)),
    );
    for format in ["human", "json", "json-patch"] {
        let all = all_output(&["diff", "--raw", "--format", format], &[&left, &right]);
        assert!(!all.contains("SECRET-"), "{format}: {all}");
        assert!(all.contains("[secret "), "{format}: {all}");
    }
}

/// A captured request whose headers are one string (`"x-api-key: …"`) showed
/// the signature header in `diff --raw`.
#[test]
fn diff_raw_masks_headers_given_as_one_string() {
    let request = |n: u8| {
        json!({"headers": format!("Content-Type: application/json\r\nx-api-key: SECRET-HEADER-{n}"),
            "body": format!("{{\"a\":{n}}}")})
    };
    let (left, right) = (
        write("headers-left", &request(1)),
        write("headers-right", &request(2)),
    );
    for format in ["human", "json", "json-patch"] {
        let all = all_output(&["diff", "--raw", "--format", format], &[&left, &right]);
        assert!(!all.contains("SECRET-"), "{format}: {all}");
        assert!(all.contains("[secret "), "{format}: {all}");
    }
}

/// `explain` masked a URL's `token=` query value where it shows the raw field
/// (`from`) but not in the normalized value it shows beside it.
#[test]
fn explain_masks_url_credentials_in_values_too() {
    let mut body = common::read_json(&sample(
        "cakto/purchase_approved.pix.unique.notion-doc.json",
    ));
    body["data"]["checkoutUrl"] = json!("https://pay.example.com/c?token=SECRET-URL-TOKEN&a=1");
    let file = write("explain-url-token", &body);
    for args in [&["explain"][..], &["explain", "--format", "json"]] {
        let all = all_output(args, &[&file]);
        assert!(!all.contains("SECRET-"), "{args:?}: {all}");
        assert!(all.contains("token=[secret "), "{args:?}: {all}");
    }
}

/// Under `--redact` an abandoned cart's key was an unkeyed hash of the buyer's
/// e-mail (it has no id of its own): a guessed e-mail was confirmed offline by
/// hashing it. The key is now keyed with the redaction key.
#[test]
fn redacted_abandoned_cart_keys_are_keyed() {
    // Hotmart's data object stored without its envelope has no delivery id either.
    let hotmart = sample("hotmart/PURCHASE_OUT_OF_SHOPPING_CART.docs-example.json");
    let mut data_only = common::read_json(&hotmart)["data"].take();
    data_only["buyer_ip"] = json!("203.0.113.5");
    let data_only = write("hotmart-cart-data-only", &data_only);
    let mut paths: Vec<PathBuf> = [
        "ticto/abandoned_cart.flat.third-party-observed.json",
        "ticto/abandoned_cart.nested.docs-transcription.json",
        "cakto/checkout_abandonment.third-party-observed.json",
        "appmax/CustomerInterested.CONSTRUCTED.json",
        "monetizze/postback.tipoEvento-7_abandono.CONSTRUCTED.form",
    ]
    .iter()
    .map(|path| sample(path))
    .collect();
    paths.push(data_only);
    for path in &paths {
        let key_of = |redact_key: Option<&str>| -> String {
            let mut command = hooknorm();
            command.arg("convert").arg(path);
            if let Some(redact_key) = redact_key {
                command
                    .arg("--redact")
                    .env("HOOKNORM_REDACT_KEY", redact_key);
            }
            let output = command.output().expect("runs");
            assert!(output.status.success(), "{path:?}");
            let event: Value = serde_json::from_slice(&output.stdout).expect("event");
            assert_eq!(event["event"], "checkout.abandoned", "{path:?}");
            event["idempotency_key"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        };
        let plain = key_of(None);
        let (first, again, other) = (key_of(Some("a")), key_of(Some("a")), key_of(Some("b")));
        assert_ne!(first, plain, "{path:?}: the unkeyed hash stayed");
        assert_eq!(first, again, "{path:?}: one key, one idempotency key");
        assert_ne!(first, other, "{path:?}");
        let prefix = |key: &str| key.rsplit_once(':').map(|(p, id)| (p.to_owned(), id.len()));
        assert_eq!(prefix(&first), prefix(&plain), "{path:?}");
    }
    // A provider's own id is kept: the enveloped cart keeps its delivery id.
    let keyed = hooknorm()
        .args(["convert", "--redact"])
        .arg(&hotmart)
        .output()
        .expect("runs");
    let plain = hooknorm()
        .arg("convert")
        .arg(&hotmart)
        .output()
        .expect("runs");
    let key = |bytes: &[u8]| {
        serde_json::from_slice::<Value>(bytes).expect("event")["idempotency_key"].clone()
    };
    assert_eq!(key(&keyed.stdout), key(&plain.stdout));
}
