//! `docs/providers/<name>.md` says where every field comes from: for each provider
//! and each family its samples produce, every field of the payload is named by a
//! row of that family's table in the provider's page (a row may name a whole
//! component, `shipping.*`, or siblings, `customer.name` / `email`).

mod common;

use serde_json::Value;
use std::collections::BTreeSet;

/// Every leaf of a payload as a dotted path (`customer.phone_numbers[].raw_number`).
fn leaves(value: &Value, path: &str, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (key, child) in map {
                let child_path = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                leaves(child, &child_path, out);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for item in items {
                leaves(item, &format!("{path}[]"), out);
            }
        }
        _ => {
            out.insert(path.to_owned());
        }
    }
}

use hooknorm::explain::covered;

#[test]
fn every_field_of_every_sample_has_a_documented_source() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for dir in std::fs::read_dir(common::root().join("samples"))
        .expect("samples/")
        .flatten()
    {
        let provider = dir.file_name().to_string_lossy().into_owned();
        let page_path = common::root().join(format!("docs/providers/{provider}.md"));
        let page = std::fs::read_to_string(&page_path)
            .unwrap_or_else(|_| panic!("{} is missing", page_path.display()));
        for file in std::fs::read_dir(dir.path()).expect("folder").flatten() {
            let path = file.path();
            if !path.to_string_lossy().ends_with(".expected.json") {
                continue;
            }
            let event = common::read_json(&path);
            let name = event["event"].as_str().unwrap_or_default();
            let names: Vec<String> = hooknorm::explain::rows_for(&page, name)
                .into_iter()
                .flat_map(|row| row.fields)
                .collect();
            if names.is_empty() {
                failures.push(format!("{}: no section for {name}", page_path.display()));
                continue;
            }
            let mut paths = BTreeSet::new();
            leaves(&event["payload"], "", &mut paths);
            for leaf in paths {
                checked += 1;
                if !covered(&leaf, &names) {
                    failures.push(format!(
                        "docs/providers/{provider}.md ({name}): no row names {leaf}"
                    ));
                }
            }
        }
    }
    failures.sort();
    failures.dedup();
    assert!(checked > 1000, "checked {checked} fields");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `explain` on every raw sample names where each non-null field came from: a
/// documented row, and a raw value at a raw field the row names (unless the row
/// names none: a constant, the event, a value derived from others).
#[test]
fn explain_names_a_source_for_every_field_of_every_sample() {
    let mut failures = Vec::new();
    let mut explained = 0;
    for provider in hooknorm::providers::Provider::all() {
        let dir = common::root().join("samples").join(provider.as_str());
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("samples")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| !path.to_string_lossy().ends_with(".expected.json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).expect("sample");
            let Ok(explanation) = hooknorm::explain::explain(&text, &Default::default()) else {
                continue; // Bodies that need an event given on the command line.
            };
            let rows = hooknorm::explain::rows_for(provider.spec().docs, &explanation.event);
            for field in &explanation.fields {
                let empty = field.value.as_array().is_some_and(Vec::is_empty);
                if field.value.is_null() || empty || !field.pointer.starts_with("/payload/") {
                    continue;
                }
                explained += 1;
                let dotted = hooknorm::explain::dotted(&field.pointer);
                let Some(row) = hooknorm::explain::most_specific(&rows, &dotted) else {
                    failures.push(format!(
                        "{}: {}: no documented row",
                        path.display(),
                        field.pointer
                    ));
                    continue;
                };
                let names_raw_fields = row.raw.contains('`') && !row.raw.trim().starts_with('—');
                // A documented constant or default: a value the row itself writes
                // in a code span (`currency: BRL`, else `product`).
                let spans = format!("{} {}", row.raw, row.rule);
                let default = field.value.as_str().is_some_and(|value| {
                    spans.split('`').skip(1).step_by(2).any(|span| {
                        span == value
                            || span.ends_with(&format!(" {value}"))
                            || span.ends_with(&format!(": {value}"))
                    })
                });
                if names_raw_fields && field.from.is_empty() && !default {
                    failures.push(format!(
                        "{}: {} = {}: the row names {} but the body has none of it",
                        path.display(),
                        field.pointer,
                        field.value,
                        row.raw
                    ));
                }
            }
        }
    }
    assert!(explained > 1000, "explained {explained} fields");
    assert!(
        failures.is_empty(),
        "{} unexplained:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
