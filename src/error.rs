//! Errors that stop a run: bad input (arguments, sources file, snapshot) or an output that
//! cannot be written. One source failing is never one of these: it is reported and the run
//! goes on.

use crate::config::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Snapshot(String),
    #[error("{0}")]
    Usage(String),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    /// stdout was closed by its reader (`| head`): not an error for the user (exit 0).
    #[error("standard output closed")]
    ClosedStdout,
}

/// The process exit codes (documented in the README).
pub mod exit {
    /// Everything worked.
    pub const OK: u8 = 0;
    /// Bad input: arguments (an unknown option, a bad date, no subcommand), sources file,
    /// snapshot directory, unwritable output.
    pub const USAGE: u8 = 1;
    /// The output was produced, but at least one source failed (see stderr).
    pub const SOURCE_FAILED: u8 = 2;
    /// `check`: the event is not in the section (the output says why).
    pub const NOT_LISTED: u8 = 3;
}
