//! One event of each provider converted and written, in ns, next to the floor
//! (parse into `serde_json::Value`, write back) and the ceiling (an `IgnoredAny`
//! syntax pass) on the same body, so a regression shows as a ratio that moves.
//!
//!   cargo bench --bench convert            (about a minute)
//!   cargo bench --bench convert -- kiwify  (one provider)

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::IgnoredAny;
use std::hint::black_box;

/// A representative body of each provider (an order event with its optional
/// blocks), as the golden tests know them.
const BODIES: [(&str, &str); 10] = [
    (
        "cakto",
        include_str!("../samples/cakto/purchase_approved.credit_card.panel-sample.json"),
    ),
    (
        "kiwify",
        include_str!("../samples/kiwify/compra_aprovada.credit_card.tracking.CONSTRUCTED.json"),
    ),
    (
        "hotmart",
        include_str!("../samples/hotmart/PURCHASE_APPROVED.docs-example.all-fields.json"),
    ),
    (
        "opabox",
        include_str!("../samples/opabox/orders.status-2.payment-confirmed.CONSTRUCTED.json"),
    ),
    (
        "troquecommerce",
        include_str!("../samples/troquecommerce/event-21_troca-aprovada.CONSTRUCTED.json"),
    ),
    (
        "monetizze",
        include_str!(
            "../samples/monetizze/postback.tipoEvento-6_completa.assinatura-cancelada.pr-example.json"
        ),
    ),
    (
        "appmax",
        include_str!("../samples/appmax/OrderPaid.credit_card.CONSTRUCTED.json"),
    ),
    (
        "digital_manager_guru",
        include_str!(
            "../samples/digital_manager_guru/transaction.approved.third-party-fixture.json"
        ),
    ),
    (
        "ticto",
        include_str!("../samples/ticto/authorized.credit_card.one-off.CONSTRUCTED.json"),
    ),
    (
        "eduzz",
        include_str!("../samples/eduzz/v3.myeduzz.invoice_paid.docs-example.json"),
    ),
];

fn convert(c: &mut Criterion) {
    let options = hooknorm::Options::default();
    for (provider, body) in BODIES {
        let mut group = c.benchmark_group(provider);
        group.throughput(Throughput::Bytes(body.len() as u64));
        let mut out = Vec::with_capacity(16 * 1024);
        let mut scratch = String::new();
        group.bench_function(BenchmarkId::new("hooknorm", "convert+write"), |b| {
            b.iter(|| {
                out.clear();
                let conversion = hooknorm::convert(black_box(body), &mut scratch, &options)
                    .expect("a golden sample converts");
                serde_json::to_writer(&mut out, &conversion.event).expect("writes to a Vec");
                black_box(out.len())
            })
        });
        group.bench_function(BenchmarkId::new("hooknorm", "convert"), |b| {
            b.iter(|| {
                let conversion = hooknorm::convert(black_box(body), &mut scratch, &options)
                    .expect("a golden sample converts");
                black_box(conversion.event.idempotency_key.len())
            })
        });
        // The top-level probe alone: what a single-pass detection would save.
        // (A captured request is not a body: its probe would measure an error path.)
        if hooknorm::convert::detect_provider(body, &[]).is_ok() {
            group.bench_function(BenchmarkId::new("hooknorm", "detect"), |b| {
                b.iter(|| black_box(hooknorm::convert::detect_provider(black_box(body), &[])))
            });
        }
        let conversion =
            hooknorm::convert(body, &mut scratch, &options).expect("a golden sample converts");
        group.bench_function(BenchmarkId::new("hooknorm", "write"), |b| {
            b.iter(|| {
                out.clear();
                serde_json::to_writer(&mut out, black_box(&conversion.event))
                    .expect("writes to a Vec");
                black_box(out.len())
            })
        });
        drop(conversion);
        group.bench_function(BenchmarkId::new("floor", "Value+write"), |b| {
            b.iter(|| {
                out.clear();
                let value: serde_json::Value =
                    serde_json::from_str(black_box(body)).expect("a golden sample is JSON");
                serde_json::to_writer(&mut out, &value).expect("writes to a Vec");
                black_box(out.len())
            })
        });
        group.bench_function(BenchmarkId::new("ceiling", "IgnoredAny"), |b| {
            b.iter(|| {
                let ignored: IgnoredAny =
                    serde_json::from_str(black_box(body)).expect("a golden sample is JSON");
                black_box(ignored)
            })
        });
        group.finish();
    }
}

criterion_group!(benches, convert);
criterion_main!(benches);
