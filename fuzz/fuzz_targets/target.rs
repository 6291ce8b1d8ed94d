#![no_main]
//! The one fuzz binary: runs the target of `src/fuzzing.rs` that `TWIR_FUZZ_TARGET` names
//! (`tools/fuzz.sh` sets it; `ical`, `manifest`, …). The targets are listed once, there: a new
//! kind of source is fuzzed without a file here.

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use twir_events::fuzzing::{Target, target};

static TARGET: OnceLock<Target> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let t = TARGET.get_or_init(|| {
        let name = std::env::var("TWIR_FUZZ_TARGET").unwrap_or_default();
        target(&name).unwrap_or_else(|| {
            panic!("TWIR_FUZZ_TARGET={name:?} names no target of src/fuzzing.rs (`targets()`)")
        })
    });
    t.run(data)
});
