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

/// The fields a table row names: its first cell's code spans, siblings written
/// after a `/` or `,` taking the first one's parent (`customer.name` / `email`).
fn named(cell: &str) -> Vec<String> {
    let spans: Vec<&str> = cell.split('`').skip(1).step_by(2).collect();
    let mut names = Vec::new();
    let mut parent = String::new();
    for span in spans {
        let span = span.replace("[0]", "[]");
        let name = if span.contains('.') || parent.is_empty() {
            parent = span
                .rsplit_once('.')
                .map(|(p, _)| p.to_owned())
                .unwrap_or_default();
            span
        } else {
            format!("{parent}.{span}")
        };
        names.push(name.trim_end_matches(".*").to_owned());
    }
    names
}

fn covered(path: &str, names: &[String]) -> bool {
    names.iter().any(|name| {
        // `shipping.tracking_*` names every field that starts so.
        if let Some(prefix) = name.strip_suffix('*') {
            return path.starts_with(prefix);
        }
        // `customer.phone_numbers[0]` names the list, empty or not.
        let name = name.strip_suffix("[]").unwrap_or(name);
        path == name
            || path
                .strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
    })
}

/// The rows of each `## ` section whose title names a family (`order.*`,
/// `checkout.abandoned`, `reverse_logistic.*`), with its subsections.
fn sections(page: &str) -> Vec<(String, Vec<String>)> {
    let mut found: Vec<(String, Vec<String>)> = Vec::new();
    for line in page.lines() {
        if let Some(title) = line.strip_prefix("## ") {
            found.push((title.to_owned(), Vec::new()));
        } else if let (Some((_, names)), Some(row)) = (found.last_mut(), line.strip_prefix('|')) {
            if let Some(first) = row.split('|').next() {
                names.extend(named(first));
            }
        }
    }
    found
}

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
        let sections = sections(&page);
        for file in std::fs::read_dir(dir.path()).expect("folder").flatten() {
            let path = file.path();
            if !path.to_string_lossy().ends_with(".expected.json") {
                continue;
            }
            let event = common::read_json(&path);
            let name = event["event"].as_str().unwrap_or_default();
            let family = name.split('.').next().unwrap_or_default();
            let Some((_, names)) = sections.iter().find(|(title, _)| {
                title.contains(&format!("`{family}.*`")) || title.contains(&format!("`{name}`"))
            }) else {
                failures.push(format!("{}: no section for {name}", page_path.display()));
                continue;
            };
            let mut paths = BTreeSet::new();
            leaves(&event["payload"], "", &mut paths);
            for leaf in paths {
                checked += 1;
                if !covered(&leaf, names) {
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

#[test]
fn rows_are_read_as_the_pages_write_them() {
    assert_eq!(
        named("`customer.name` / `email`"),
        ["customer.name", "customer.email"]
    );
    assert_eq!(
        named("`products[0].quantity` / `unit_value`"),
        ["products[].quantity", "products[].unit_value"]
    );
    assert_eq!(named("other `lead_tracking.*`"), ["lead_tracking"]);
    assert!(covered(
        "shipping.delivery_address.city",
        &["shipping".to_owned()]
    ));
    assert!(!covered("shipping_value", &["shipping".to_owned()]));
    assert!(covered(
        "shipping.tracking_url",
        &["shipping.tracking_*".to_owned()]
    ));
    assert!(covered(
        "customer.phone_numbers",
        &["customer.phone_numbers[]".to_owned()]
    ));
}
