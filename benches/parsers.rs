//! The parser ceilings, per provider: each provider's own typed body (`Root`)
//! read by serde_json (what hooknorm uses), sonic-rs and simd-json, next to the
//! two bounds every parser has on the same text — a syntax pass that keeps
//! nothing (`IgnoredAny`) and a whole tree (each parser's own `Value`).
//! `bench/parsers.py` writes the table; a cell is "—" where the parser cannot
//! read the provider's types (they keep numbers as serde_json's `RawValue`, the
//! decimal text money is read from).
//!
//!   cargo bench --bench parsers            (about two minutes)
//!   cargo bench --bench parsers -- hotmart (one provider)

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use serde::de::IgnoredAny;
use std::hint::black_box;

/// Each provider's typed parse with the three parsers (`false`: it cannot read it).
struct Typed {
    serde_json: fn(&str) -> bool,
    sonic_rs: fn(&str) -> bool,
    simd_json: fn(&mut [u8]) -> bool,
}

macro_rules! typed {
    ($root:ty) => {
        Typed {
            serde_json: |text| serde_json::from_str::<$root>(text).is_ok(),
            sonic_rs: |text| sonic_rs::from_str::<$root>(text).is_ok(),
            simd_json: |bytes| simd_json::serde::from_slice::<$root>(bytes).is_ok(),
        }
    };
}

use hooknorm::providers::*;

/// A representative body of each provider: a paid order where it has one.
fn bodies() -> Vec<(&'static str, &'static str, Typed)> {
    vec![
        (
            "cakto",
            include_str!("../samples/cakto/purchase_approved.credit_card.panel-sample.json"),
            typed!(cakto::Root),
        ),
        (
            "kiwify",
            include_str!("../samples/kiwify/compra_aprovada.credit_card.tracking.CONSTRUCTED.json"),
            typed!(kiwify::Root),
        ),
        (
            "hotmart",
            include_str!("../samples/hotmart/PURCHASE_APPROVED.docs-example.all-fields.json"),
            typed!(hotmart::Root),
        ),
        (
            "opabox",
            include_str!("../samples/opabox/orders.status-2.payment-confirmed.CONSTRUCTED.json"),
            typed!(opabox::Root),
        ),
        (
            "troquecommerce",
            include_str!("../samples/troquecommerce/event-21_troca-aprovada.CONSTRUCTED.json"),
            typed!(troquecommerce::Root),
        ),
        (
            "monetizze",
            include_str!(
                "../samples/monetizze/postback.tipoEvento-6_completa.assinatura-cancelada.pr-example.json"
            ),
            typed!(monetizze::Root),
        ),
        (
            "appmax",
            include_str!("../samples/appmax/OrderPaid.credit_card.CONSTRUCTED.json"),
            typed!(appmax::Root),
        ),
        (
            "digital_manager_guru",
            include_str!(
                "../samples/digital_manager_guru/transaction.approved.third-party-fixture.json"
            ),
            typed!(digital_manager_guru::Root),
        ),
        (
            "ticto",
            include_str!("../samples/ticto/authorized.credit_card.one-off.CONSTRUCTED.json"),
            typed!(ticto::Root),
        ),
        (
            "eduzz",
            include_str!("../samples/eduzz/v3.myeduzz.invoice_paid.docs-example.json"),
            typed!(eduzz::Root),
        ),
    ]
}

/// The body itself where the sample is a captured request.
fn body_of(sample: &'static str) -> String {
    let value: serde_json::Value = serde_json::from_str(sample).expect("a sample is JSON");
    match value.get("body") {
        Some(serde_json::Value::String(text)) if value.get("headers").is_some() => text.clone(),
        Some(body) if value.get("headers").is_some() => body.to_string(),
        _ => sample.to_owned(),
    }
}

fn parsers(c: &mut Criterion) {
    let bodies = bodies();
    for provider in Provider::all() {
        assert!(
            bodies.iter().any(|(name, _, _)| *name == provider.as_str()),
            "benches/parsers.rs has no body of {provider}"
        );
    }
    for (provider, sample, typed) in bodies {
        let text = body_of(sample);
        let mut group = c.benchmark_group(format!("parse/{provider}"));
        group.throughput(Throughput::Bytes(text.len() as u64));
        let mut bytes = text.clone().into_bytes();
        let mut scratch = bytes.clone();
        let fresh = |scratch: &mut Vec<u8>, bytes: &[u8]| {
            scratch.clear();
            scratch.extend_from_slice(bytes);
        };
        assert!(
            (typed.serde_json)(&text),
            "{provider}: serde_json reads its own body"
        );
        group.bench_function(BenchmarkId::new("typed", "serde_json"), |b| {
            b.iter(|| (typed.serde_json)(black_box(&text)))
        });
        if (typed.sonic_rs)(&text) {
            group.bench_function(BenchmarkId::new("typed", "sonic-rs"), |b| {
                b.iter(|| (typed.sonic_rs)(black_box(&text)))
            });
        }
        fresh(&mut scratch, &bytes);
        if (typed.simd_json)(&mut scratch) {
            group.bench_function(BenchmarkId::new("typed", "simd-json"), |b| {
                b.iter(|| {
                    fresh(&mut scratch, &bytes);
                    (typed.simd_json)(black_box(&mut scratch))
                })
            });
        }
        group.bench_function(BenchmarkId::new("skip", "serde_json"), |b| {
            b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&text)).is_ok())
        });
        group.bench_function(BenchmarkId::new("skip", "sonic-rs"), |b| {
            b.iter(|| sonic_rs::from_str::<IgnoredAny>(black_box(&text)).is_ok())
        });
        group.bench_function(BenchmarkId::new("skip", "simd-json"), |b| {
            b.iter(|| {
                fresh(&mut scratch, &bytes);
                simd_json::serde::from_slice::<IgnoredAny>(black_box(&mut scratch)).is_ok()
            })
        });
        group.bench_function(BenchmarkId::new("tree", "serde_json"), |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&text)).is_ok())
        });
        group.bench_function(BenchmarkId::new("tree", "sonic-rs"), |b| {
            b.iter(|| sonic_rs::from_str::<sonic_rs::Value>(black_box(&text)).is_ok())
        });
        group.bench_function(BenchmarkId::new("tree", "simd-json"), |b| {
            b.iter(|| {
                fresh(&mut scratch, &bytes);
                simd_json::to_borrowed_value(black_box(&mut scratch)).is_ok()
            })
        });
        bytes.clear();
        group.finish();
    }
}

criterion_group!(benches, parsers);
criterion_main!(benches);
