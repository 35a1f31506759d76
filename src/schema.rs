//! The documented formats as JSON Schema 2020-12, embedded in the binary.
//!
//! Each schema's `$id` is `https://hooknorm.dev/schemas/v1/<name>.json`; `$ref`s
//! between them are relative and resolved from the embedded copies only (no
//! network). A validator is compiled the first time a schema is used, and at most
//! once per run.

use serde_json::Value;
use std::sync::{LazyLock, OnceLock};

include!(concat!(env!("OUT_DIR"), "/schemas.rs"));

/// The base of every schema's `$id`.
pub const BASE_URI: &str = "https://hooknorm.dev/schemas/v1/";

/// The names of the embedded schemas, sorted.
pub fn names() -> impl Iterator<Item = &'static str> {
    EMBEDDED.iter().map(|(name, _)| *name)
}

/// The text of a schema, by name (`cakto.order`) or file name (`cakto.order.json`).
pub fn text(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".json").unwrap_or(name);
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// A schema's name, as the embedded list spells it.
pub fn canonical(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".json").unwrap_or(name);
    EMBEDDED.iter().find(|(n, _)| *n == name).map(|(n, _)| *n)
}

/// The embedded schema whose name is nearest to a misspelt one (at most two
/// edits, or a third of its length, away), for "did you mean".
pub fn nearest(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".json").unwrap_or(name);
    let most = (name.chars().count() / 3).clamp(1, 2);
    names()
        .map(|candidate| (edits(name, candidate), candidate))
        .filter(|(distance, _)| *distance <= most)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// The Levenshtein distance between two names, in characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, left) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (right, pair) in b.iter().zip(previous.windows(2)) {
            let (&[diagonal, above], Some(&before)) = (pair, current.last()) else {
                continue;
            };
            let best = (diagonal + usize::from(left != *right))
                .min(above + 1)
                .min(before + 1);
            current.push(best);
        }
        previous = current;
    }
    previous.last().copied().unwrap_or_default()
}

/// The parsed schemas, in the order of `EMBEDDED`.
fn parsed() -> &'static [Value] {
    static PARSED: LazyLock<Vec<Value>> = LazyLock::new(|| {
        EMBEDDED
            .iter()
            .map(|(name, text)| {
                serde_json::from_str(text)
                    .unwrap_or_else(|e| panic!("embedded schema {name} is not JSON: {e}"))
            })
            .collect()
    });
    &PARSED
}

/// A schema's `title` and `description`.
pub fn summary(name: &str) -> Option<(&'static str, &'static str)> {
    let index = EMBEDDED.iter().position(|(n, _)| *n == name)?;
    let schema = &parsed()[index];
    let field = |key: &str| schema.get(key).and_then(Value::as_str).unwrap_or("");
    Some((field("title"), field("description")))
}

/// The schema `name`, self-contained: every schema it references, directly or
/// not, embedded under `$defs` (each keeps its `$id`, so its relative `$ref`s
/// resolve to the embedded copies).
pub fn bundle(name: &str) -> Result<Value, String> {
    let index = EMBEDDED
        .iter()
        .position(|(n, _)| *n == name)
        .ok_or_else(|| format!("no schema named {name:?}"))?;
    let mut wanted = vec![name.to_owned()];
    let mut seen = std::collections::BTreeSet::new();
    while let Some(current) = wanted.pop() {
        if !seen.insert(current.clone()) {
            continue;
        }
        let position = EMBEDDED
            .iter()
            .position(|(n, _)| *n == current)
            .ok_or_else(|| format!("{name} refers to a missing {current}"))?;
        collect_refs(&parsed()[position], &mut wanted);
    }
    let mut root = parsed()[index].clone();
    let defs: serde_json::Map<String, Value> = seen
        .iter()
        .filter(|n| n.as_str() != name)
        .filter_map(|n| {
            EMBEDDED
                .iter()
                .position(|(e, _)| e == n)
                .map(|i| (n.clone(), parsed()[i].clone()))
        })
        .collect();
    if let Some(object) = root.as_object_mut() {
        object.insert("$defs".to_owned(), Value::Object(defs));
    }
    Ok(root)
}

/// The schema names of the relative `$ref`s in `schema`.
fn collect_refs(schema: &Value, into: &mut Vec<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("$ref", Value::String(target)) => {
                        let file = target.split('#').next().unwrap_or("");
                        if let Some(name) = file.strip_suffix(".json") {
                            into.push(name.to_owned());
                        }
                    }
                    _ => collect_refs(value, into),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| collect_refs(item, into)),
        _ => {}
    }
}

fn registry() -> &'static jsonschema::Registry<'static> {
    static REGISTRY: LazyLock<jsonschema::Registry<'static>> = LazyLock::new(|| {
        let resources = EMBEDDED
            .iter()
            .zip(parsed())
            .map(|((name, _), schema)| (format!("{BASE_URI}{name}.json"), schema));
        jsonschema::Registry::new()
            .extend(resources)
            .and_then(|builder| builder.prepare())
            .unwrap_or_else(|e| panic!("the embedded schemas do not form a registry: {e}"))
    });
    &REGISTRY
}

/// The compiled validator of a schema, compiled on first use.
pub fn validator(name: &str) -> Option<&'static jsonschema::Validator> {
    static VALIDATORS: LazyLock<Vec<OnceLock<jsonschema::Validator>>> =
        LazyLock::new(|| EMBEDDED.iter().map(|_| OnceLock::new()).collect());
    let index = EMBEDDED.iter().position(|(n, _)| *n == name)?;
    Some(VALIDATORS[index].get_or_init(|| {
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .offline()
            .with_registry(registry())
            .build(&parsed()[index])
            .unwrap_or_else(|e| panic!("embedded schema {name} does not compile: {e}"))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_schema_compiles_and_is_valid_2020_12() {
        assert!(EMBEDDED.len() >= 40);
        for (name, _) in EMBEDDED {
            let index = EMBEDDED.iter().position(|(n, _)| n == name).unwrap();
            let schema = &parsed()[index];
            assert_eq!(
                schema["$id"],
                format!("{BASE_URI}{name}.json"),
                "{name}: $id"
            );
            assert_eq!(
                schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
                "{name}: $schema"
            );
            jsonschema::draft202012::meta::validate(schema)
                .unwrap_or_else(|e| panic!("{name} is not a valid 2020-12 schema: {e}"));
            assert!(validator(name).is_some());
        }
    }

    #[test]
    fn bundles_are_self_contained_and_equivalent() {
        let bundled = bundle("cakto.event").unwrap();
        let defs = bundled["$defs"].as_object().unwrap();
        assert!(
            defs.contains_key("cakto.order")
                && defs.contains_key("customer")
                && defs.contains_key("order-status")
        );
        assert!(!defs.contains_key("kiwify.order"));
        // Compiled alone, with no registry: every reference resolves inside the bundle.
        let alone = jsonschema::options().offline().build(&bundled).unwrap();
        let event: Value = serde_json::from_str(include_str!(
            "../samples/cakto/refund.pix.CONSTRUCTED.expected.json"
        ))
        .unwrap();
        assert!(alone.is_valid(&event));
        let mut broken = event.clone();
        broken["payload"]["order"]["status"] = "pending".into();
        assert!(!alone.is_valid(&broken));
    }

    #[test]
    fn names_with_or_without_extension() {
        assert!(text("cakto.order").is_some());
        assert!(text("cakto.order.json").is_some());
        assert_eq!(canonical("payload.order.json"), Some("payload.order"));
        assert!(text("nope").is_none());
    }
}
