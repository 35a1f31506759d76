//! Detection and conversion of any bytes: an event or an error, never a panic.
//! The same bytes also go through `detect`, as the string body of a captured
//! request (the form support staff paste), every event through `--redact`, and
//! `explain`.
//!
//! All of it runs on a thread with a small stack, as the library is run: the
//! Python module converts on the calling Python thread (8 MiB on glibc, the
//! stack rlimit), `--jobs` on Rust's 2 MiB worker threads. The smaller is used,
//! so that input nested too deep for either crashes here (form names and
//! bracket keys 100,000 levels deep once overflowed both).
#![no_main]

use libfuzzer_sys::fuzz_target;

/// The stack of a `--jobs` worker, smaller than a Python thread's.
const STACK: usize = 2 << 20;

fuzz_target!(|data: &[u8]| {
    let data = data.to_vec();
    let run = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || convert(&data))
        .expect("a thread");
    if let Err(panic) = run.join() {
        std::panic::resume_unwind(panic);
    }
});

fn convert(data: &[u8]) {
    let Ok(text) = hooknorm::input::decode(data) else {
        return;
    };
    let mut scratch = String::new();
    let _ = hooknorm::convert::detect(text, &mut scratch, &Default::default());
    let mut scratch = String::new();
    if let Ok(conversion) = hooknorm::convert(text, &mut scratch, &Default::default()) {
        // Whatever converts must also serialize, and redact, and be explained.
        let mut event = serde_json::to_value(&conversion.event).expect("an event serializes");
        hooknorm::redact::Redactor::with_key(b"fuzz").redact(&mut event);
        serde_json::to_string(&event).expect("a redacted event serializes");
        let _ = hooknorm::explain::explain(text, &Default::default());
    }
    let request = serde_json::json!({"headers": {"event": "2"}, "body": text}).to_string();
    let mut scratch = String::new();
    let _ = hooknorm::convert(&request, &mut scratch, &Default::default());
}
