//! Detection and conversion of any bytes: an event or an error, never a panic.
//! The same bytes also go through `detect`, as the string body of a captured
//! request (the form support staff paste), and every event through `--redact`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = hooknorm::input::decode(data) else {
        return;
    };
    let mut scratch = String::new();
    let _ = hooknorm::convert::detect(text, &mut scratch, &Default::default());
    let mut scratch = String::new();
    if let Ok(conversion) = hooknorm::convert(text, &mut scratch, &Default::default()) {
        // Whatever converts must also serialize, and redact.
        let mut event = serde_json::to_value(&conversion.event).expect("an event serializes");
        hooknorm::redact::Redactor::with_key(b"fuzz").redact(&mut event);
        serde_json::to_string(&event).expect("a redacted event serializes");
    }
    let request = serde_json::json!({"headers": {"event": "2"}, "body": text}).to_string();
    let mut scratch = String::new();
    let _ = hooknorm::convert(&request, &mut scratch, &Default::default());
});
