//! Writing the user's files: every output (`render --out`, `json --out`, the draft of
//! `update`, the sources file of `add` and `health --fix`, a snapshot, the published folder)
//! goes through [`write_atomically`] or [`write_dir_atomically`]. Old or new content for any
//! reader, never partial, no temporary file left behind (also after a signal or a killed
//! process: [`clean_up_on_signals`], [`remove_dead_writers_temps`]); a write through a symbolic
//! link lands on its target, and the replaced file's mode and owner are kept.
//!
//! Architecture Invariant: nothing else in `src/` renames or replaces a user's file.
//!
//! Here: `atomic.rs` the writers (a file's `tempfile` temporary made next to the target, then
//! `persist`; a folder built beside it and swapped in), both following one rule for what the
//! user had: a write through a symbolic link lands beside its target, the link kept
//! (`resolve_links`), and the replaced file's or folder's mode and, where the process may, owner
//! and group kept; `temps.rs` the registry of live temporary files removed on SIGINT/SIGTERM,
//! and the stale ones of dead processes removed at the next write (what `tempfile` does not do).
//!
//! Around the writers, a write keeps what the user had in other ways too: a read-only target, or
//! a folder holding files the command did not write, is refused before fetching
//! (`cli/writable.rs`); a CRLF draft or sources file stays CRLF; a recording (`snapshot`) is
//! never traded for less (every source failing, or a source it holds not recorded, keeps it
//! unless `--replace`). `tests/writes.rs` checks every writer in every such situation.

mod atomic;
mod temps;

pub(crate) use atomic::write_synced;
pub use atomic::{
    create_dirs_below, remove_dead_writers_temps, resolve_links, write_atomically,
    write_dir_atomically,
};
pub use temps::clean_up_on_signals;
