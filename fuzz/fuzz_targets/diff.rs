//! Diff of two documents cut from the input at its first NUL byte: never a panic,
//! each side's tree reads what `serde_json::Value` reads, and the RFC 6902 patch
//! the diff gives turns the left document into the right one.
#![no_main]

use hooknorm::diff::Node;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// A side read both ways: the diff's tree and `Value`, which must agree.
fn read(bytes: &[u8]) -> Option<(Value, Node<'_>)> {
    let text = std::str::from_utf8(bytes).ok()?;
    let (value, tree) = (serde_json::from_str::<Value>(text), Node::parse(text));
    assert_eq!(value.is_ok(), tree.is_ok(), "the tree and Value disagree on {text:?}");
    let (value, tree) = (value.ok()?, tree.ok()?);
    assert_eq!(tree.to_value(), value);
    assert_eq!(serde_json::to_string(&tree).ok(), serde_json::to_string(&value).ok());
    Some((value, tree))
}

fuzz_target!(|data: &[u8]| {
    let Some(cut) = data.iter().position(|&b| b == 0) else {
        return;
    };
    let (Some((left, left_tree)), Some((_, right_tree))) = (read(&data[..cut]), read(&data[cut + 1..]))
    else {
        return;
    };
    let diff = hooknorm::diff::diff(&left_tree, &right_tree, &Default::default());
    // From text: serde_json's from_value cannot hand a number beyond u64 (kept
    // exact by arbitrary_precision) to json-patch's tagged operations.
    let patch: json_patch::Patch =
        serde_json::from_str(&diff.to_patch().to_string()).expect("the patch is RFC 6902");
    let mut patched = left.clone();
    json_patch::patch(&mut patched, &patch).expect("the patch applies to the left document");
    assert!(
        hooknorm::diff::equal(&Node::of(&patched), &right_tree, 0.0),
        "the patch does not give the right document"
    );
    assert_eq!(diff.is_empty(), hooknorm::diff::equal(&left_tree, &right_tree, 0.0));
});
