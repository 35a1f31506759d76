//! Real captures: bodies other people's systems really received or wrote
//! (`tests/fixtures/captures/<provider>/`, provenance in `SOURCES.md`). Each
//! converts to exactly its `.expected.json` (every value, key order included), or
//! is refused with exactly its `.refused.txt`: an event the format has no place
//! for, which the provider's docs page names. `HOOKNORM_BLESS=1 cargo test --test
//! captures` writes the expectations anew, to be reviewed value by value before
//! committing.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/captures")
}

/// Every capture: files of a provider's folder that are not expectations.
fn captures() -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for provider in hooknorm::providers::Provider::all() {
        let Ok(entries) = std::fs::read_dir(root().join(provider.as_str())) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let name = path.to_string_lossy();
            if !name.ends_with(".expected.json") && !name.ends_with(".refused.txt") {
                found.push((provider.as_str().to_owned(), path));
            }
        }
    }
    found
}

fn stem(path: &Path) -> PathBuf {
    path.with_extension("")
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = stem(path).into_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The event as `convert --pretty` prints it, or the error's message.
fn convert(path: &Path) -> Result<(String, String), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let text = hooknorm::input::decode(&bytes).map_err(|e| e.to_string())?;
    let mut scratch = String::new();
    let converted =
        hooknorm::convert(text, &mut scratch, &Default::default()).map_err(|e| e.to_string())?;
    let mut out = serde_json::to_string_pretty(&converted.event).map_err(|e| e.to_string())?;
    out.push('\n');
    Ok((converted.event.provider.to_owned(), out))
}

#[test]
fn every_capture_converts_to_its_expectation_or_is_refused_as_documented() {
    let captures = captures();
    assert!(captures.len() >= 51, "found {} captures", captures.len());
    let bless = std::env::var_os("HOOKNORM_BLESS").is_some();
    let mut failures = Vec::new();
    for (provider, path) in &captures {
        let name = path
            .strip_prefix(root())
            .unwrap_or(path)
            .display()
            .to_string();
        let (expected_file, actual) = match convert(path) {
            Ok((detected, event)) => {
                if &detected != provider {
                    failures.push(format!("{name}: converted as {detected}"));
                }
                (with_suffix(path, ".expected.json"), event)
            }
            Err(error) => (with_suffix(path, ".refused.txt"), format!("{error}\n")),
        };
        if bless {
            for stale in [".expected.json", ".refused.txt"] {
                let _ = std::fs::remove_file(with_suffix(path, stale));
            }
            std::fs::write(&expected_file, &actual).expect("write expectation");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_file).unwrap_or_default();
        if expected != actual {
            failures.push(format!(
                "{name}: expected {}:\n{expected}\nfound:\n{actual}",
                expected_file.display()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} captures failed:\n\n{}",
        failures.len(),
        captures.len(),
        failures.join("\n\n")
    );
}

/// A refused capture is refused for an event the format has no place for, and
/// the provider's page says so by naming that event.
#[test]
fn refused_captures_are_unmapped_events_the_docs_name() {
    for (provider, path) in captures() {
        let refused = with_suffix(&path, ".refused.txt");
        let Ok(message) = std::fs::read_to_string(&refused) else {
            continue;
        };
        assert!(
            message.contains("is not mapped to a normalized event"),
            "{}: refused for another reason than an unmapped event: {message}",
            path.display()
        );
        let event = message
            .split('"')
            .nth(1)
            .unwrap_or_else(|| panic!("{}: the message names no event", refused.display()));
        let page = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("docs/providers")
                .join(format!("{provider}.md")),
        )
        .expect("the provider's page");
        assert!(
            page.contains(&format!("`{event}`")),
            "docs/providers/{provider}.md does not name the unmapped event `{event}`"
        );
    }
}
