//! The subscription families: which family a body belongs to, and idempotency
//! keys that tell two changes of one subscription apart while a retried delivery
//! keeps its key.

mod common;

use serde_json::Value;

/// The event `body` converts to.
fn convert(body: &Value) -> Value {
    let text = body.to_string();
    let mut scratch = String::new();
    let converted = hooknorm::convert(&text, &mut scratch, &Default::default())
        .unwrap_or_else(|error| panic!("{body} does not convert: {error}"));
    serde_json::to_value(&converted.event).expect("serializable")
}

fn sample(path: &str) -> Value {
    common::read_json(&common::sample(path))
}

fn key(event: &Value) -> String {
    event["idempotency_key"].as_str().expect("a key").to_owned()
}

fn assert_valid(event: &Value) {
    let options = hooknorm::validate::Options::default();
    let report = hooknorm::validate::validate(&event.to_string(), &options).expect("judged");
    let errors: Vec<_> = report
        .problems
        .iter()
        .filter(|p| p.severity == hooknorm::validate::Severity::Error)
        .map(|p| format!("{}: {}", p.pointer, p.message))
        .collect();
    assert!(errors.is_empty(), "{}: {errors:?}", event["event"]);
}

/// A sample, what removes its subscription, and the events with and without it.
type FamilyCase = (&'static str, fn(&mut Value), &'static str, &'static str);

/// A purchase that names a subscription is a charge of it; the same body
/// without the subscription is a plain order. Both validate.
#[test]
fn the_subscription_in_the_body_decides_the_family() {
    let cases: [FamilyCase; 3] = [
        (
            "cakto/purchase_approved.credit_card.subscription.notion-doc.json",
            |body| body["data"]["subscription"] = Value::Null,
            "subscription_transaction.paid",
            "order.paid",
        ),
        (
            "kiwify/order_approved.credit_card.subscription.test-webhook.json",
            |body| body["subscription_id"] = Value::Null,
            "subscription_transaction.paid",
            "order.paid",
        ),
        (
            "hotmart/PURCHASE_CANCELED.credit_card.test-postback.json",
            |body| {
                body["data"]
                    .as_object_mut()
                    .expect("data")
                    .remove("subscription");
            },
            "subscription_transaction.failed",
            "order.canceled",
        ),
    ];
    for (path, remove_subscription, with, without) in cases {
        let mut body = sample(path);
        let charge = convert(&body);
        assert_eq!(charge["event"], with, "{path}");
        assert!(charge["payload"]["transaction"].is_object(), "{path}");
        assert!(
            charge["payload"]["subscription"]["id"].is_string(),
            "{path}"
        );
        assert_valid(&charge);
        remove_subscription(&mut body);
        let order = convert(&body);
        assert_eq!(order["event"], without, "{path}");
        assert!(order["payload"]["order"].is_object(), "{path}");
        assert_valid(&order);
    }
}

/// Cakto: the creation, a renewal and a refused renewal of one subscription, and
/// the purchase event of the renewal's order, are four changes with four keys.
#[test]
fn changes_of_one_cakto_subscription_never_share_a_key() {
    let renewed = sample("cakto/subscription_renewed.credit_card.notion-doc.json");
    let mut created = renewed.clone();
    created["event"] = "subscription_created".into();
    created["data"]["id"] = "first-order".into();
    let mut refused = renewed.clone();
    refused["event"] = "subscription_renewal_refused".into();
    refused["data"]["id"] = "third-order".into();
    let mut charge = renewed.clone();
    charge["event"] = "purchase_approved".into();
    let keys: Vec<String> = [&created, &renewed, &refused, &charge]
        .into_iter()
        .map(|body| key(&convert(body)))
        .collect();
    let subscription = renewed["data"]["subscription"]["id"].as_str().expect("id");
    for (index, key) in keys.iter().enumerate() {
        assert!(key.contains(subscription), "{key}");
        assert!(!keys[..index].contains(key), "{key} repeats: {keys:?}");
    }
    // The creation and the renewal are both `subscription.active`: only the
    // order tells them apart.
    assert_eq!(convert(&created)["event"], convert(&renewed)["event"]);
}

/// Kiwify: each charge is a new order of one `subscription_id`; a renewal's
/// purchase event and its subscription event are two events with two keys.
#[test]
fn changes_of_one_kiwify_subscription_never_share_a_key() {
    let first = sample("kiwify/subscription_canceled.credit_card.CONSTRUCTED.json");
    let renewed = sample("kiwify/subscription_renewed.credit_card.CONSTRUCTED.json");
    assert_eq!(first["subscription_id"], renewed["subscription_id"]);
    let mut first_purchase = first.clone();
    first_purchase["webhook_event_type"] = "order_approved".into();
    let mut renewal_purchase = renewed.clone();
    renewal_purchase["webhook_event_type"] = "order_approved".into();
    let keys: Vec<String> = [&first_purchase, &renewal_purchase, &renewed, &first]
        .into_iter()
        .map(|body| key(&convert(body)))
        .collect();
    for (index, key) in keys.iter().enumerate() {
        assert!(!keys[..index].contains(key), "{key} repeats: {keys:?}");
    }
}

/// Hotmart: renewals are new purchases (new transactions) of one subscriber;
/// two plan switches are two deliveries with two ids.
#[test]
fn changes_of_one_hotmart_subscription_never_share_a_key() {
    let first = sample("hotmart/PURCHASE_APPROVED.docs-example.all-fields.json");
    let mut renewal = first.clone();
    renewal["id"] = "another-delivery".into();
    renewal["data"]["purchase"]["transaction"] = "HP-RENEWAL-2".into();
    renewal["data"]["purchase"]["recurrence_number"] = 2.into();
    let (first, renewal) = (convert(&first), convert(&renewal));
    assert_eq!(
        first["payload"]["subscription"]["id"],
        renewal["payload"]["subscription"]["id"]
    );
    assert_ne!(key(&first), key(&renewal));
    assert_eq!(renewal["payload"]["subscription"]["current_cycle"], 2);

    let switch = sample("hotmart/SWITCH_PLAN.docs-example.json");
    let mut switched_back = switch.clone();
    switched_back["id"] = "a-later-delivery".into();
    assert_ne!(key(&convert(&switch)), key(&convert(&switched_back)));
}

/// A retried delivery is the same body, maybe captured with its headers or
/// re-indented: it keeps its key, in every subscription sample.
#[test]
fn a_retried_delivery_keeps_its_key() {
    let mut checked = 0;
    for provider in ["cakto", "kiwify", "hotmart"] {
        let dir = common::root().join("samples").join(provider);
        for entry in std::fs::read_dir(dir).expect("samples").flatten() {
            let path = entry.path();
            if path.to_string_lossy().ends_with(".expected.json") {
                continue;
            }
            let body = common::read_json(&path);
            let event = convert(&body);
            let name = event["event"].as_str().unwrap_or_default();
            if !name.starts_with("subscription") {
                continue;
            }
            checked += 1;
            let captured = serde_json::json!({
                "headers": {"content-type": "application/json", "x-retry": "2"},
                "body": body,
            });
            let pretty = serde_json::to_string_pretty(&body).expect("JSON");
            let mut scratch = String::new();
            let again =
                hooknorm::convert(&pretty, &mut scratch, &Default::default()).expect("converts");
            assert_eq!(key(&convert(&captured)), key(&event), "{}", path.display());
            assert_eq!(
                again.event.idempotency_key,
                key(&event),
                "{}",
                path.display()
            );
        }
    }
    assert!(checked >= 30, "subscription samples: {checked}");
}

/// Hotmart's subscription status decides the event of a plan switch or a new
/// charge date, in both spellings of "canceled"; a status with no meaning is
/// named in an exit-65 error.
#[test]
fn hotmart_subscription_status_decides_the_event() {
    let switch = sample("hotmart/SWITCH_PLAN.docs-example.json");
    for (status, event) in [
        ("ACTIVE", "subscription.active"),
        ("STARTED", "subscription.active"),
        ("OVERDUE", "subscription.past_due"),
        ("DELAYED", "subscription.past_due"),
        ("CANCELED_BY_VENDOR", "subscription.canceled"),
        ("CANCELLED_BY_SELLER", "subscription.canceled"),
        ("INACTIVE", "subscription.canceled"),
        ("EXPIRED", "subscription.completed"),
    ] {
        let mut body = switch.clone();
        body["data"]["subscription"]["status"] = status.into();
        let converted = convert(&body);
        assert_eq!(converted["event"], event, "{status}");
        assert_eq!(
            converted["payload"]["subscription"]["status"],
            event.trim_start_matches("subscription."),
            "{status}"
        );
    }
    let mut body = switch;
    body["data"]["subscription"]["status"] = "PAUSED_BY_MAGIC".into();
    let text = body.to_string();
    let mut scratch = String::new();
    let error = hooknorm::convert(&text, &mut scratch, &Default::default())
        .err()
        .expect("refused");
    assert_eq!(error.kind, hooknorm::ErrorKind::UnsupportedEvent);
    assert_eq!(error.pointer, "/data/subscription/status");
    assert!(error.to_string().contains("\"PAUSED_BY_MAGIC\""), "{error}");
}

/// `date_next_charge` is epoch ms in most Hotmart subscription bodies and ISO
/// 8601 in `UPDATE_SUBSCRIPTION_CHARGE_DATE`: the same instant either way.
#[test]
fn hotmart_next_charge_in_ms_or_iso_is_the_same_instant() {
    let iso = sample("hotmart/UPDATE_SUBSCRIPTION_CHARGE_DATE.docs-example.json");
    let mut millis = iso.clone();
    millis["data"]["subscription"]["date_next_charge"] = 1_662_033_600_000_i64.into();
    let end = |body: &Value| convert(body)["payload"]["subscription"]["current_cycle_end"].clone();
    assert_eq!(end(&iso), 1_662_033_600);
    assert_eq!(end(&millis), 1_662_033_600);
    let mut digits = iso.clone();
    digits["data"]["subscription"]["date_next_charge"] = "1662033600000".into();
    assert_eq!(end(&digits), 1_662_033_600);
    let mut broken = iso;
    broken["data"]["subscription"]["date_next_charge"] = "next tuesday".into();
    let text = broken.to_string();
    let mut scratch = String::new();
    let error = hooknorm::convert(&text, &mut scratch, &Default::default())
        .err()
        .expect("refused");
    assert_eq!(error.pointer, "/data/subscription/date_next_charge");
    assert!(error.position.is_some(), "{error}");
}

/// A subscription event without the subscription's id cannot be keyed: exit 65
/// naming the field (a third party's trimmed copy of a Kiwify cancellation).
#[test]
fn a_subscription_event_needs_its_subscription_id() {
    let body = serde_json::json!({"order": {
        "order_id": "ord-1",
        "webhook_event_type": "subscription_canceled",
        "Customer": {"email": "cliente@example.com"},
        "Subscription": {"status": "canceled", "next_payment": "2026-08-31T22:06:53.212Z"}
    }});
    let text = body.to_string();
    let mut scratch = String::new();
    let error = hooknorm::convert(&text, &mut scratch, &Default::default())
        .err()
        .expect("refused");
    assert_eq!(error.kind, hooknorm::ErrorKind::MissingField);
    assert_eq!(error.pointer, "/order/subscription_id");
    // Cakto: `data.subscription` given but not an object with an id.
    let mut cakto = sample("cakto/subscription_renewed.credit_card.notion-doc.json");
    cakto["data"]["subscription"]["id"] = Value::Null;
    let text = cakto.to_string();
    let error = hooknorm::convert(&text, &mut scratch, &Default::default())
        .err()
        .expect("refused");
    assert_eq!(error.pointer, "/data/subscription/id");
}

/// `explain` names the array a count comes from, not an item's field that
/// happens to hold the same number (`installments: 1` beside one charge).
#[test]
fn explain_names_the_array_a_count_comes_from() {
    let text = std::fs::read_to_string(common::sample(
        "kiwify/subscription_canceled.credit_card.CONSTRUCTED.json",
    ))
    .expect("sample");
    let explanation = hooknorm::explain::explain(&text, &Default::default()).expect("explained");
    let field = explanation
        .fields
        .iter()
        .find(|field| field.pointer == "/payload/subscription/charged_times")
        .expect("charged_times");
    assert_eq!(field.value, 1);
    let sources: Vec<&str> = field.from.iter().map(|s| s.pointer.as_str()).collect();
    assert_eq!(sources, ["/Subscription/charges/completed"]);
}

/// Cakto's `data.subscription` may be the subscription's id alone: still a
/// charge of it, its status unknown. A status with no meaning is named.
#[test]
fn cakto_subscription_given_by_id_or_without_status() {
    let mut body = sample("cakto/purchase_approved.credit_card.subscription.notion-doc.json");
    body["data"]["subscription"] = "sub-by-id-only".into();
    let event = convert(&body);
    assert_eq!(event["event"], "subscription_transaction.paid");
    assert_eq!(event["payload"]["subscription"]["id"], "sub-by-id-only");
    assert_eq!(event["payload"]["subscription"]["status"], Value::Null);
    assert_valid(&event);

    let mut body = sample("cakto/purchase_approved.credit_card.subscription.notion-doc.json");
    let subscription = body["data"]["subscription"]
        .as_object_mut()
        .expect("object");
    subscription.remove("status");
    assert_eq!(
        convert(&body)["payload"]["subscription"]["status"],
        Value::Null
    );

    body["data"]["subscription"]["status"] = "frozen".into();
    let text = body.to_string();
    let mut scratch = String::new();
    let error = hooknorm::convert(&text, &mut scratch, &Default::default())
        .err()
        .expect("refused");
    assert_eq!(error.pointer, "/data/subscription/status");
    assert!(error.to_string().contains("frozen"), "{error}");
    assert!(error.position.is_some(), "{error}");
}
