//! Detection and conversion of any bytes: an event or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = hooknorm::input::decode(data) else {
        return;
    };
    let mut scratch = String::new();
    if let Ok(conversion) = hooknorm::convert(text, &mut scratch, &Default::default()) {
        // Whatever converts must also serialize.
        serde_json::to_string(&conversion.event).expect("an event serializes");
    }
});
