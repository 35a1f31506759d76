//! Golden tests: every raw body under `samples/` (JSON, or a form-encoded
//! `.form`) converts to exactly its `.expected.json` (key order included). `HOOKNORM_BLESS=1 cargo test --test golden`
//! writes the expectations anew, to be reviewed by hand before committing.

use std::path::{Path, PathBuf};

fn raw_samples(dir: &Path, found: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("samples/ is readable")
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            raw_samples(&path, found);
        } else if path.extension().is_some_and(|e| e == "json" || e == "form")
            && !path.to_string_lossy().ends_with(".expected.json")
        {
            found.push(path);
        }
    }
}

fn expected_path(raw: &Path) -> PathBuf {
    raw.with_extension("expected.json")
}

/// What `hooknorm diff expected actual` would say; when the values are equal, the
/// difference is in key order or layout, shown line by line.
fn explain(expected: &str, actual: &str) -> String {
    let parsed = (
        serde_json::from_str::<serde_json::Value>(expected),
        serde_json::from_str::<serde_json::Value>(actual),
    );
    if let (Ok(expected_value), Ok(actual_value)) = parsed {
        let (expected_tree, actual_tree) = (
            hooknorm::diff::Node::of(&expected_value),
            hooknorm::diff::Node::of(&actual_value),
        );
        let changes = hooknorm::diff::diff(&expected_tree, &actual_tree, &Default::default());
        if !changes.is_empty() {
            let plain = hooknorm::output::Painter { enabled: false };
            return hooknorm::diff::render(&changes, plain);
        }
    }
    let lines: Vec<String> = expected
        .lines()
        .zip(actual.lines())
        .enumerate()
        .filter(|(_, (e, a))| e != a)
        .take(5)
        .map(|(i, (e, a))| format!("  line {}: expected {e:?}\n          actual   {a:?}", i + 1))
        .collect();
    format!(
        "the same values, but key order or layout differs:\n{}",
        lines.join("\n")
    )
}

fn convert(raw: &Path) -> Result<String, String> {
    let bytes = std::fs::read(raw).map_err(|e| e.to_string())?;
    let text = hooknorm::input::decode(&bytes).map_err(|e| e.to_string())?;
    let mut scratch = String::new();
    let converted =
        hooknorm::convert(text, &mut scratch, &Default::default()).map_err(|e| e.to_string())?;
    let mut out = serde_json::to_string_pretty(&converted.event).map_err(|e| e.to_string())?;
    out.push('\n');
    Ok(out)
}

#[test]
fn every_sample_converts_to_its_expected_output() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples = Vec::new();
    raw_samples(&root, &mut samples);
    assert!(
        samples.len() >= 20,
        "expected the bundled samples, found {}",
        samples.len()
    );
    let bless = std::env::var_os("HOOKNORM_BLESS").is_some();
    let mut failures = Vec::new();
    for raw in &samples {
        let name = raw.strip_prefix(&root).unwrap_or(raw).display().to_string();
        let actual = match convert(raw) {
            Ok(actual) => actual,
            Err(error) => {
                failures.push(format!("{name}: does not convert: {error}"));
                continue;
            }
        };
        let expected_file = expected_path(raw);
        if bless {
            std::fs::write(&expected_file, &actual).expect("write expectation");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: output differs from {}:\n{}",
                expected_file.display(),
                explain(&expected, &actual)
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} samples failed:\n\n{}",
        failures.len(),
        samples.len(),
        failures.join("\n\n")
    );
}

/// Each sample's name says which normalized event it must give (`<raw event>.…`),
/// so a wrong mapping cannot hide in a blessed expectation.
#[test]
fn samples_cover_every_mapped_event() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let mut samples = Vec::new();
    raw_samples(&root, &mut samples);
    let mut events = std::collections::BTreeSet::new();
    for raw in &samples {
        if let Ok(text) = std::fs::read_to_string(expected_path(raw)) {
            let value: serde_json::Value =
                serde_json::from_str(&text).expect("expected output is JSON");
            events.insert(format!(
                "{}:{}",
                value["provider"].as_str().unwrap_or(""),
                value["event"].as_str().unwrap_or("")
            ));
        }
    }
    // Every event a provider's schema allows (`<provider>.event`), so a new
    // provider's samples are held to its own schema without an edit here.
    for provider in hooknorm::providers::Provider::all() {
        let name = format!("{provider}.event");
        let schema: serde_json::Value =
            serde_json::from_str(hooknorm::schema::text(&name).expect("an event schema"))
                .expect("JSON");
        let allowed = schema["properties"]["event"]["enum"]
            .as_array()
            .expect("the provider's event names");
        for event in allowed.iter().filter_map(|event| event.as_str()) {
            let wanted = format!("{provider}:{event}");
            assert!(
                events.contains(&wanted),
                "no sample gives {wanted}; samples give {events:?}"
            );
        }
    }
}
