#![no_main]
//! Fuzz target: `twir_events::fuzzing::luma` (see `src/fuzzing.rs`).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| twir_events::fuzzing::luma(data));
