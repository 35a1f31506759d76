//! Memory of library calls on hostile bodies, counted by this test binary's own
//! allocator: the peak of bytes allocated at once, whatever the machine.

mod common;

use serde_json::Value;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// One measurement at a time: the counters are the process's.
static MEASURING: Mutex<()> = Mutex::new(());

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        // SAFETY: the caller's layout is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `System` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The bytes `work` holds at most beyond what was held before it.
fn peak_of<T>(work: impl FnOnce() -> T) -> (usize, T) {
    let _one = MEASURING.lock().unwrap_or_else(|e| e.into_inner());
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let result = work();
    (PEAK.load(Ordering::Relaxed) - before, result)
}

/// A Cakto sample with an extra field: `inner` under arrays 119 levels deep.
fn deep_body(inner: &str) -> String {
    let sample = common::read(&common::sample(
        "cakto/purchase_approved.pix.unique.notion-doc.json",
    ));
    let body: Value = serde_json::from_str(&sample).expect("JSON");
    let compact = body.to_string();
    let open = compact.strip_suffix('}').expect("an object");
    format!(
        "{open},\"extra\":{}{inner}{}}}",
        "[".repeat(119),
        "]".repeat(119)
    )
}

/// `explain` copied each level of nested arrays, and kept for every leaf a
/// pointer and a list of indices as long as the nesting: 4 MB of strings 120
/// levels deep peaked at 2.1 GB; a credential inside made each level copy its
/// subtree once more to mask it (31 MB for 2 MB). Now under ten times the body.
#[test]
fn explain_of_deeply_nested_arrays_holds_a_small_multiple_of_the_body() {
    let strings = vec!["\"abcdefghijklmnopqrstuvwxyz\""; 70_000].join(",");
    for inner in [strings.clone(), format!("{{\"token\":\"t\"}},{strings}")] {
        let body = deep_body(&inner);
        let (peak, explained) = peak_of(|| hooknorm::explain::explain(&body, &Default::default()));
        assert!(explained.is_ok(), "{:?}", explained.err());
        eprintln!(
            "peak {} kB for a body of {} kB",
            peak >> 10,
            body.len() >> 10
        );
        assert!(
            peak < 10 * body.len(),
            "peak {} kB for a body of {} kB",
            peak >> 10,
            body.len() >> 10
        );
    }
}
