//! Detection tells every provider apart: each sample of each registered
//! provider is detected as that provider and no other (a body two providers'
//! rules accept would be refused as ambiguous), with the headers a captured
//! request carries.

mod common;

use hooknorm::convert::{Detected, detect};

#[test]
fn every_sample_is_detected_as_its_own_provider_only() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for provider in hooknorm::providers::Provider::all() {
        let dir = common::root().join("samples").join(provider.as_str());
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("samples")
            .flatten()
            .map(|entry| entry.path())
            .filter(|path| !path.to_string_lossy().ends_with(".expected.json"))
            .collect();
        paths.sort();
        assert!(!paths.is_empty(), "no samples for {provider}");
        for path in paths {
            checked += 1;
            let text = common::read(&path);
            let mut scratch = String::new();
            match detect(&text, &mut scratch, &Default::default()) {
                Ok(Detected::Raw {
                    provider: found, ..
                }) if found == provider => {}
                Ok(other) => failures.push(format!("{}: {other:?}", path.display())),
                Err(error) => failures.push(format!("{}: {error}", path.display())),
            }
        }
    }
    assert!(checked >= 100, "checked {checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// An Appmax body without `event_type` is still Appmax's, by its event's name;
/// the same shape with another provider's event is not.
#[test]
fn appmax_is_known_by_its_event_names_too() {
    let body = r#"{"event": "OrderPaid", "data": {"id": 1, "status": "aprovado"}}"#;
    let mut scratch = String::new();
    match detect(body, &mut scratch, &Default::default()) {
        Ok(Detected::Raw { provider, .. }) => assert_eq!(provider.as_str(), "appmax"),
        other => panic!("{other:?}"),
    }
    let unknown = r#"{"event": "purchase_approved", "data": {"id": 1}}"#;
    assert!(detect(unknown, &mut scratch, &Default::default()).is_err());
}
