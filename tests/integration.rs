//! The integration tests, as one binary (as ripgrep's `tests/tests.rs` and just's
//! `tests/lib.rs`): one file per concern, each a module here, `common` shared by all. One
//! binary links once, where 27 binaries linked the crate 27 times (build time and disk:
//! `BENCHMARKS.md`). A file in `tests/` that is not listed here does not run:
//! `conventions::every_test_file_is_a_module` checks the list.
//!
//! One module's tests: `cargo test --test integration faults::` (a filter on the path).

mod common;
/// The loopback server of `faults` and `hourly`.
#[path = "faults/server.rs"]
mod server;

mod add;
mod cache;
mod cli;
mod config_files;
mod conventions;
mod dedupe;
mod editors_week;
mod faults;
mod feeds;
mod fetch;
mod fuzz_smoke;
mod health;
mod honest;
mod hostile;
mod hourly;
mod ical;
mod kill;
mod layers;
mod live;
mod mutations;
mod newsletter_format;
mod offline;
mod organizers;
mod outputs;
mod pages;
mod places;
mod publish;
mod robustness;
mod snapshots;
mod speed;
mod update;
mod verify;
mod week;

mod workflows;
mod writes;
