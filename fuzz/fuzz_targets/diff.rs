//! Diff of two documents cut from the input at its first NUL byte: never a panic,
//! and the RFC 6902 patch it gives turns the left document into the right one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let Some(cut) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let (Ok(left), Ok(right)) = (
        serde_json::from_slice::<Value>(&data[..cut]),
        serde_json::from_slice::<Value>(&data[cut + 1..]),
    ) else {
        return;
    };
    let diff = hooknorm::diff::diff(&left, &right, &Default::default());
    // From text: serde_json's from_value cannot hand a number beyond u64 (kept
    // exact by arbitrary_precision) to json-patch's tagged operations.
    let patch: json_patch::Patch =
        serde_json::from_str(&diff.to_patch().to_string()).expect("the patch is RFC 6902");
    let mut patched = left.clone();
    json_patch::patch(&mut patched, &patch).expect("the patch applies to the left document");
    assert!(
        hooknorm::diff::equal(&patched, &right, 0.0),
        "the patch does not give the right document"
    );
    assert_eq!(diff.is_empty(), hooknorm::diff::equal(&left, &right, 0.0));
});
