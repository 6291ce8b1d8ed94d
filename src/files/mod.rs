//! Writing the user's files: every output (`render --out`, `json --out`, the draft of
//! `update`, the sources file of `add` and `health --fix`, a snapshot, the published folder)
//! goes through [`write_atomically`] or [`write_dir_atomically`]. Old or new content for any
//! reader, never partial, no temporary file left behind (also after a signal or a killed
//! process: [`clean_up_on_signals`], [`remove_dead_writers_temps`]); a write through a symbolic
//! link lands on its target, and the replaced file's mode and owner are kept.
//!
//! Architecture Invariant: nothing else in `src/` renames or replaces a user's file.

mod atomic;
mod temps;

pub(crate) use atomic::write_synced;
pub use atomic::{
    create_dirs_below, remove_dead_writers_temps, resolve_links, write_atomically,
    write_dir_atomically,
};
pub use temps::clean_up_on_signals;
