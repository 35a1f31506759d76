//! `idempotency_key`: for every provider, two deliveries that say different things
//! get different keys, and the same delivery sent again — re-indented, or captured
//! with its headers — keeps its key. A receiver that deduplicates by key must
//! never drop news, nor act twice on one delivery.

use serde_json::{Value, json};
use std::path::Path;

/// Per provider: a delivery, and the change that makes it another delivery a
/// receiver must not take for the first (pointer, value, what it stands for).
/// (provider, sample, the values that make it another delivery, what it stands for).
type Distinct = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static str,
);

const DISTINCT: &[Distinct] = &[
    (
        "cakto",
        "samples/cakto/subscription_renewed.credit_card.notion-doc.json",
        &[("/data/id", "\"the-next-renewal-order\"")],
        "the next renewal of the same subscription",
    ),
    (
        "kiwify",
        "samples/kiwify/order_approved.credit_card.subscription.test-webhook.json",
        &[("/order_id", "\"next-charge\"")],
        "a renewal: a new order of the same subscription",
    ),
    (
        "hotmart",
        "samples/hotmart/PURCHASE_APPROVED.credit_card.test-postback.json",
        &[("/data/purchase/transaction", "\"HP99999999999999\"")],
        "the next charge of the same subscriber",
    ),
    (
        "opabox",
        "samples/opabox/orders.status-2.payment-confirmed.CONSTRUCTED.json",
        &[("/id", "987654")],
        "another order",
    ),
    (
        "troquecommerce",
        "samples/troquecommerce/event-3_reversa-aprovada.CONSTRUCTED.json",
        &[("/body/id", "\"another-reverse\"")],
        "another return",
    ),
    (
        "monetizze",
        "samples/monetizze/postback.tipoEvento-6_completa.assinatura-cancelada.pr-example.json",
        &[("/venda/codigo", "\"99999999\"")],
        "the next sale of the same subscription",
    ),
    (
        "appmax",
        "samples/appmax/OrderPaid.credit_card.CONSTRUCTED.json",
        &[("/data/id", "99999")],
        "another order",
    ),
    (
        "digital_manager_guru",
        "tests/fixtures/captures/digital_manager_guru/subscription.active.invoice-paid.comu-dashboard.json",
        &[
            ("/cancel_at_cycle_end", "1"),
            (
                "/cancelled_by",
                r#"{"date": "2025-07-01T10:00:00Z", "email": "a@example.com", "name": "A"}"#,
            ),
        ],
        "a cancellation scheduled at the cycle's end (same status, same status time)",
    ),
    (
        "ticto",
        "tests/fixtures/captures/ticto/pix_created.pix.order-bump-order.main-item.pedidos-gnv.json",
        &[("/item/offer_code", "\"O638A0A7C\"")],
        "the order bump's own delivery (same order, same time)",
    ),
    (
        "eduzz",
        "samples/eduzz/v3.myeduzz.contract_updated.envelope-CONSTRUCTED.json",
        &[("/id", "\"another-delivery\"")],
        "another update of the same contract",
    ),
];

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn key_of(text: &str) -> Result<(String, String), String> {
    let mut scratch = String::new();
    hooknorm::convert(text, &mut scratch, &Default::default())
        .map(|c| (c.event.provider.to_owned(), c.event.idempotency_key))
        .map_err(|e| e.to_string())
}

fn load(path: &str) -> (String, Value) {
    let text = std::fs::read_to_string(root().join(path)).expect("the sample");
    let value = serde_json::from_str(&text).expect("a JSON sample");
    (text, value)
}

#[test]
fn every_provider_has_two_deliveries_that_must_differ() {
    for provider in hooknorm::providers::Provider::all() {
        assert!(
            DISTINCT.iter().any(|(name, ..)| *name == provider.as_str()),
            "{provider}: no pair of distinct deliveries in DISTINCT"
        );
    }
    for (provider, path, changes, what) in DISTINCT {
        let (text, mut value) = load(path);
        let (detected, first) = key_of(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(&detected, provider, "{path}");
        for (pointer, new) in *changes {
            let new: Value = serde_json::from_str(new).expect("a JSON value");
            match value.pointer_mut(pointer) {
                Some(site) => *site = new,
                None => {
                    let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
                    let object = value
                        .pointer_mut(parent)
                        .and_then(Value::as_object_mut)
                        .unwrap_or_else(|| panic!("{path}: no object at {parent}"));
                    object.insert(key.to_owned(), new);
                }
            }
        }
        let changed = serde_json::to_string_pretty(&value).expect("JSON");
        let (_, second) = key_of(&changed).unwrap_or_else(|e| panic!("{path} changed: {e}"));
        assert_ne!(first, second, "{provider}: {what} shares the key {first}");
    }
}

#[test]
fn the_same_delivery_sent_again_keeps_its_key() {
    for (provider, path, ..) in DISTINCT {
        let (text, value) = load(path);
        let (_, key) = key_of(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let compact = serde_json::to_string(&value).expect("JSON");
        let pretty = serde_json::to_string_pretty(&value).expect("JSON");
        for again in [compact, pretty] {
            let (_, retried) = key_of(&again).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                retried, key,
                "{provider}: re-indented, {path} changed its key"
            );
        }
        // Captured with its headers (a captured request stays one).
        if value.get("headers").is_none() {
            let captured = json!({
                "headers": {"content-type": "application/json", "user-agent": "retry/1"},
                "body": value,
            });
            let (_, retried) =
                key_of(&captured.to_string()).unwrap_or_else(|e| panic!("{path}: {e}"));
            assert_eq!(
                retried, key,
                "{provider}: captured with headers, {path} changed its key"
            );
        }
    }
}
