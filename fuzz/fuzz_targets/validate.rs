//! Validation of any bytes (normalized events, payloads, raw bodies): a report or
//! an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = hooknorm::input::decode(data) {
        let _ = hooknorm::validate::validate(text, &Default::default());
    }
});
