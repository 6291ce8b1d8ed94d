//! Errors that stop a run: bad input (arguments, sources file, snapshot), an output that
//! cannot be written, or an internal error (the runtime, the HTTP client, serializing: not the
//! user's input). One source failing is never one of these: it is reported and the run goes
//! on.

use crate::config::ConfigError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Config(#[from] ConfigError),
    #[error("{0}")]
    Snapshot(String),
    #[error("{0}")]
    Usage(String),
    /// What the user's input cannot cause: the async runtime does not start, the HTTP client
    /// cannot be built, a value cannot be serialized (exit [`exit::INTERNAL`]).
    #[error("internal error: {0}")]
    Internal(String),
    #[error("cannot write {path}: {message}")]
    Write { path: String, message: String },
    /// stdout was closed by its reader (`| head`): not an error for the user (exit 0).
    #[error("standard output closed")]
    ClosedStdout,
}

impl Error {
    /// The exit status the error ends the process with ([`exit::STATUSES`]).
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::ClosedStdout => exit::OK,
            Error::Internal(_) => exit::INTERNAL,
            Error::Config(_) | Error::Snapshot(_) | Error::Usage(_) | Error::Write { .. } => {
                exit::USAGE
            }
        }
    }
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
    /// An internal error, not the user's input (sysexits' `EX_SOFTWARE`).
    pub const INTERNAL: u8 = 70;
    /// Interrupted by SIGINT (128 + 2).
    pub const SIGINT: u8 = 130;
    /// Interrupted by SIGTERM (128 + 15).
    pub const SIGTERM: u8 = 143;

    /// Every exit status and what it means, in the README's Markdown: the one list the
    /// README's "Exit codes" table (a test compares them) and the manual page's EXIT STATUS
    /// section (`twir-events man`) are made from.
    pub const STATUSES: &[(&[u8], &str)] = &[
        (&[OK], "everything worked"),
        (
            &[USAGE],
            "bad input: arguments (an unknown option, a bad date such as `--from 2023-02-30`, a negative `--weeks`, an option that would do nothing such as `--timeout` with `--replay` or for `man`, no command), a missing or empty sources file, a snapshot directory, or an output that cannot be written (checked before anything is fetched); nothing is written",
        ),
        (
            &[SOURCE_FAILED],
            "the output was produced, but at least one source failed or is suspect (see the report on stderr); when every source failed or is suspect, nothing is printed or written and the previous output is kept",
        ),
        (
            &[NOT_LISTED],
            "`check`: the event is not in the section (stdout says why)",
        ),
        (
            &[SOURCE_FAILED],
            "`check`: not in the section, and a source that may list it failed or is suspect this run (stdout names it); `health`: something needs attention",
        ),
        (
            &[OK],
            "also when the reader of stdout goes away (`twir-events render \\| head -5`): the run ends quietly. A closed stderr never stops a run",
        ),
        (
            &[INTERNAL],
            "an internal error (stderr says \"internal error:\"): the async runtime did not start, the HTTP client could not be built, or a result could not be serialized; not bad input: please report it",
        ),
        (
            &[SIGINT, SIGTERM],
            "interrupted by SIGINT or SIGTERM: the temporary file being written was removed, the output file is as it was (or complete, if the signal came after the rename)",
        ),
    ];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_category_has_its_exit_code() {
        assert_eq!(Error::Internal("x".into()).exit_code(), 70);
        assert_eq!(exit::INTERNAL, 70);
        assert_eq!(Error::Usage("x".into()).exit_code(), exit::USAGE);
        assert_eq!(Error::Snapshot("x".into()).exit_code(), exit::USAGE);
        assert_eq!(Error::ClosedStdout.exit_code(), exit::OK);
        assert_eq!(
            Error::Internal("cannot start".into()).to_string(),
            "internal error: cannot start"
        );
    }
}
