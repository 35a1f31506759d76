//! The shapes other languages give the same meaning: PHP's `[]` for an empty
//! object, `""` for absent, numbers sent as text. Every JSON sample and real
//! capture is fed back with one site changed at a time, and the two spellings of
//! one meaning must give exactly the same event (or, for a number as text, a
//! located error): each object emptied as `{}` and as `[]`; each `null` as `""`
//! and each `""` as `null`; each number as its text. Never a panic, never a
//! silently different event or key.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        let name = path.to_string_lossy().into_owned();
        if path.is_dir() {
            json_files(&path, found);
        } else if name.ends_with(".json") && !name.ends_with(".expected.json") {
            found.push(path);
        }
    }
}

fn convert(text: &str) -> Result<String, String> {
    let mut scratch = String::new();
    let converted = std::panic::catch_unwind(|| {
        let mut scratch = String::new();
        hooknorm::convert(text, &mut scratch, &Default::default())
            .map(|c| serde_json::to_string(&c.event).unwrap_or_default())
            .map_err(|e| e.to_string())
    });
    scratch.clear();
    converted.unwrap_or_else(|_| Err("PANIC".to_owned()))
}

/// One change of one site: which, and the value it puts there.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Change {
    /// An object emptied as PHP writes it, `[]`, against `{}`.
    EmptyObjectAsArray,
    NullAsEmptyText,
    EmptyTextAsNull,
    NumberAsText,
}

/// Every pointer whose value one change applies to.
fn sites(value: &Value, pointer: String, change: Change, out: &mut Vec<String>) {
    let applies = match (change, value) {
        (Change::EmptyObjectAsArray, Value::Object(_)) => !pointer.is_empty(),
        (Change::NullAsEmptyText, Value::Null) => true,
        (Change::EmptyTextAsNull, Value::String(text)) => text.is_empty(),
        (Change::NumberAsText, Value::Number(_)) => true,
        _ => false,
    };
    if applies {
        out.push(pointer.clone());
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let token = key.replace('~', "~0").replace('/', "~1");
                sites(child, format!("{pointer}/{token}"), change, out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                sites(child, format!("{pointer}/{index}"), change, out);
            }
        }
        _ => {}
    }
}

fn changed(value: &Value, change: Change) -> Value {
    match change {
        Change::EmptyObjectAsArray => Value::Array(Vec::new()),
        Change::NullAsEmptyText => Value::String(String::new()),
        Change::EmptyTextAsNull => Value::Null,
        Change::NumberAsText => Value::String(value.to_string()),
    }
}

#[test]
fn other_languages_shapes_of_one_meaning_give_the_same_event() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    json_files(&root.join("samples"), &mut files);
    json_files(&root.join("tests/fixtures/captures"), &mut files);
    assert!(files.len() > 100, "found {} samples", files.len());
    let mut failures = Vec::new();
    let mut tried = 0;
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let Ok(original) = serde_json::from_str::<Value>(&text) else {
            continue;
        };
        // A captured request's body may be a string: its sites are not JSON here.
        let Ok(unchanged) = convert(&text) else {
            continue;
        };
        for change in [
            Change::EmptyObjectAsArray,
            Change::NullAsEmptyText,
            Change::EmptyTextAsNull,
            Change::NumberAsText,
        ] {
            let mut found = Vec::new();
            sites(&original, String::new(), change, &mut found);
            for pointer in found {
                let mut mutated = original.clone();
                let Some(site) = mutated.pointer_mut(&pointer) else {
                    continue;
                };
                // An emptied object is compared with its other spelling.
                let expected = match change {
                    Change::EmptyObjectAsArray => {
                        *site = Value::Object(Default::default());
                        match serde_json::to_string_pretty(&mutated).map(|t| convert(&t)) {
                            Ok(Ok(event)) => event,
                            Ok(Err(error)) => format!("refused: {error}"),
                            Err(_) => continue,
                        }
                    }
                    _ => unchanged.clone(),
                };
                let Some(site) = mutated.pointer_mut(&pointer) else {
                    continue;
                };
                *site = changed(site, change);
                tried += 1;
                let Ok(mutated_text) = serde_json::to_string_pretty(&mutated) else {
                    continue;
                };
                let name = file.strip_prefix(root).unwrap_or(file).display();
                match convert(&mutated_text) {
                    Ok(actual) if actual == expected => {}
                    // A body refused either way is refused: the error is checked below.
                    Err(error) if format!("refused: {error}") == expected => {}
                    Err(error) if expected.starts_with("refused: ") && error.contains("line ") => {}
                    Ok(actual) => failures.push(format!(
                        "{name} {pointer} ({change:?}): a different event\n  before: {expected}\n  after:  {actual}"
                    )),
                    Err(error) if error == "PANIC" => {
                        failures.push(format!("{name} {pointer}: panicked"))
                    }
                    // The other spellings of one meaning are never refused.
                    Err(error) if change != Change::NumberAsText => {
                        failures.push(format!("{name} {pointer} ({change:?}): refused: {error}\n  expected {expected}"))
                    }
                    Err(error) if error.contains(&pointer) || error.contains("line ") => {}
                    Err(error) => failures.push(format!(
                        "{name} {pointer}: an error that does not say where: {error}"
                    )),
                }
            }
        }
    }
    eprintln!("{tried} changes tried on {} files", files.len());
    assert!(tried > 1000, "only {tried} changes tried");
    assert!(
        failures.is_empty(),
        "{} of {tried} changes failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
