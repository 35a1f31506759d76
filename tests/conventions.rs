//! The rules every provider shares, end to end through `convert`: phones read in
//! the buyer's numbering plan.

mod common;

use serde_json::Value;

fn sample_with(path: &str, edit: impl FnOnce(&mut Value)) -> Value {
    let mut body = common::read_json(&common::sample(path));
    edit(&mut body);
    let text = body.to_string();
    let mut scratch = String::new();
    let converted = hooknorm::convert(&text, &mut scratch, &Default::default()).expect("converts");
    serde_json::to_value(&converted.event).expect("serializable")["payload"].clone()
}

fn first_phone(payload: &Value) -> (&Value, &Value) {
    let phone = &payload["customer"]["phone_numbers"][0];
    (&phone["formatted_phone"], &phone["raw_number"])
}

/// A US buyer's `5551234567` was given Brazil's `+55`.
#[test]
fn a_us_buyer_is_read_in_the_us_plan() {
    let payload = sample_with("kiwify/order_rejected.credit_card.test-webhook.json", |b| {
        b["Customer"]["mobile"] = "(555) 123-4567".into();
        b["Customer"]["country"] = "us".into();
    });
    assert_eq!(
        first_phone(&payload),
        (&"+15551234567".into(), &"5551234567".into())
    );
}

/// A Mexican buyer's number became null.
#[test]
fn a_mexican_buyer_is_read_in_the_mexican_plan() {
    let payload = sample_with(
        "hotmart/PURCHASE_APPROVED.docs-example.all-fields.json",
        |b| {
            let buyer = &mut b["data"]["buyer"];
            buyer["checkout_phone"] = "55 1234 5678".into();
            buyer["checkout_phone_code"] = "52".into();
            buyer["address"]["country_iso"] = "MX".into();
        },
    );
    assert_eq!(
        first_phone(&payload),
        (&"+525512345678".into(), &"5512345678".into())
    );
    // The country code sent with the number is recognised, not doubled.
    let payload = sample_with(
        "hotmart/PURCHASE_APPROVED.docs-example.all-fields.json",
        |b| {
            b["data"]["buyer"]["checkout_phone"] = "525512345678".into();
            b["data"]["buyer"]["address"]["country_iso"] = "MX".into();
        },
    );
    assert_eq!(first_phone(&payload).0, "+525512345678");
}

/// A number the buyer's plan has no such length for has no E.164 form.
#[test]
fn a_number_outside_the_plan_is_null() {
    let payload = sample_with("kiwify/order_rejected.credit_card.test-webhook.json", |b| {
        b["Customer"]["mobile"] = "12345".into();
        b["Customer"]["country"] = "US".into();
    });
    assert_eq!(first_phone(&payload), (&Value::Null, &"12345".into()));
}

/// A Brazilian buyer, or one whose country is not said, keeps the Brazilian rules.
#[test]
fn brazilian_buyers_are_unchanged() {
    for country in [Value::from("br"), Value::Null] {
        let payload = sample_with("kiwify/order_rejected.credit_card.test-webhook.json", |b| {
            b["Customer"]["mobile"] = "(34) 99999-0000".into();
            b["Customer"]["country"] = country;
        });
        assert_eq!(first_phone(&payload).0, "+5534999990000");
    }
}

/// `validate` judges phones with the same metadata: a `+55` number with 8 digits
/// after the country code has no DDD.
#[test]
fn validate_checks_phones_against_the_plan() {
    let mut event = common::read_json(&common::sample(
        "cakto/purchase_approved.pix.unique.notion-doc.expected.json",
    ));
    event["payload"]["customer"]["phone_numbers"][0]["formatted_phone"] = "+5599999999".into();
    event["payload"]["customer"]["phone_numbers"][0]["raw_number"] = "99999999".into();
    let text = event.to_string();
    let options = hooknorm::validate::Options {
        strict: true,
        ..Default::default()
    };
    let report = hooknorm::validate::validate(&text, &options).expect("judged");
    assert!(
        report.problems.iter().any(|p| p.keyword == "e164"
            && p.pointer == "/payload/customer/phone_numbers/0/formatted_phone"),
        "{:?}",
        report.problems
    );
}

/// Hotmart's `paid_at` is set only for purchases that were paid (approved,
/// complete, refunded, disputed): an expired test postback got it from
/// `approved_date`. Checked on every Hotmart sample, each event of the order table.
#[test]
fn hotmart_paid_at_only_for_paid_purchases() {
    let dir = common::root().join("samples/hotmart");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("samples/hotmart").flatten() {
        let path = entry.path();
        if !path.to_string_lossy().ends_with(".expected.json") {
            continue;
        }
        let event = common::read_json(&path);
        // A purchase, or a charge of a subscription.
        let Some(order) = event["payload"]
            .get("order")
            .or_else(|| event["payload"].get("transaction"))
        else {
            continue;
        };
        let paid = matches!(
            order["status"].as_str(),
            Some("paid" | "refunded" | "disputed")
        );
        if !paid {
            assert_eq!(order["paid_at"], Value::Null, "{}", path.display());
            checked += 1;
        }
    }
    assert!(
        checked >= 4,
        "expired, canceled and waiting samples: {checked}"
    );
    let payload = sample_with("hotmart/PURCHASE_EXPIRED.one-off.CONSTRUCTED.json", |_| {});
    assert_eq!(payload["order"]["paid_at"], Value::Null);
    let payload = sample_with(
        "hotmart/PURCHASE_EXPIRED.credit_card.test-postback.json",
        |_| {},
    );
    assert_eq!(payload["transaction"]["paid_at"], Value::Null);
    let payload = sample_with("hotmart/PURCHASE_APPROVED.one-off.CONSTRUCTED.json", |_| {});
    assert!(payload["order"]["paid_at"].is_i64());
    let payload = sample_with(
        "hotmart/PURCHASE_APPROVED.credit_card.test-postback.json",
        |_| {},
    );
    assert!(payload["transaction"]["paid_at"].is_i64());
}
