//! Sources: turning one fetched document into [`RawEvent`]s. One module per kind of source
//! (a file, or a folder where the reader has several concerns: `ical/`), holding its reader
//! and the unit type that implements [`kind::Kind`] for it, registered once below.
//!
//! Parsers are pure: they take text and return events plus warnings. A warning is something
//! skipped or odd in an otherwise usable document; an `Err` means the document as a whole
//! could not be used (and is reported for that source; the run goes on).
//!
//! # A new kind of source
//!
//! 1. Write `sources/<kind>.rs` (or `sources/<kind>/mod.rs`): the reader, and a unit type
//!    named as the module, capitalized (`tito::Tito`), with its `impl Kind` next to it. The compiler asks for what
//!    every kind must say: its [`SourceKind`] (`fn kind`), its reader's name, its
//!    [`kind::Reach`] (which URLs it claims, and so the order kinds are asked in), its reader
//!    (`fn parse`), which event pages its sources could list, which URLs are its own
//!    (`fn owns`) and its fixtures as fuzz seeds (`fn fuzz_seeds`). The rest has defaults
//!    (one fetch, the page as its organizer, no claim on URLs `add` is given, a fuzz target
//!    that runs `parse`): override what differs. Read other kinds' answers through the
//!    registry, never by naming them (`tests/layers.rs` checks that no production code outside
//!    `sources/` names a kind).
//! 2. Add one line to `kinds!` below: `<kind>::<Kind>,`. It declares the module, makes the
//!    configuration's `kind = "<kind>"`, and lists the kind for help text, hints, `add`,
//!    `health`, `check` and the fuzz targets. A type implementing `Kind` that is not listed
//!    fails `layers::every_kind_is_registered` with the line to add.
//! 3. Fixtures: the pages or feeds it reads in `tests/fixtures/` (as the real sources look,
//!    `formats.md`), a test of the reader on them, and at least one input in
//!    `tests/fixtures/fuzz/<kind>/` (`fuzz_smoke::every_target_has_regression_inputs` asks
//!    for it by name).
//!
//! A reader never panics and bounds its work (`MAX_*` constants, a warning when a bound is
//! hit); [`page_util`] reads a page's `<script>` data and title, [`ical`] feeds. What a
//! platform's URLs mean (hosts, groups, event ids) is `crate::site`'s, asked from here, one
//! rule per question. A way in that no [`kind::WaysIn`] describes yet is a new variant and its
//! arm in `pipeline/ways_in.rs`.
//!
//! The readers: `ical/` (RFC 5545 via `icalendar` + `rrule`, its steps in its doc), `meetup/`
//! (group and event pages: the `__NEXT_DATA__` Apollo cache, JSON-LD), `jsonld/` (schema.org
//! Event pages, luma's `__NEXT_DATA__`), `luma.rs` (a calendar page's id and name, its feed
//! read with luma's conventions: the link from DESCRIPTION, TENTATIVE as scheduled, a URL
//! LOCATION as no place).

pub mod fuzz;
pub mod kind;
pub mod page_util;

/// Registers the kinds of source: for each line `module::Type`, the module `sources/<module>`
/// (a file or a folder) holding the reader and `Type`, a unit type implementing
/// [`kind::Kind`]. Makes the configuration's [`SourceKind`] (one variant per kind, named as
/// its type; `kind = "<module>"` in `sources.toml`), [`ALL`] and [`of`]: a kind cannot be
/// in one and missing from another.
macro_rules! kinds {
    ($($(#[$doc:meta])* $module:ident :: $Type:ident,)*) => {
        $(pub mod $module;)*

        /// The kinds of source, as `sources.toml` names them (`kind = "ical"`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize, serde::Serialize)]
        #[serde(rename_all = "lowercase")]
        pub enum SourceKind {
            $($(#[$doc])* $Type,)*
        }

        impl SourceKind {
            /// Its name (`kind = "luma"`): its module's.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SourceKind::$Type => stringify!($module),)*
                }
            }
        }

        /// Every kind, once, in the order help text names them (the order URLs are asked in
        /// is [`kind::Kind::reach`]'s, not this one).
        pub const ALL: &[&dyn kind::Kind] = &[$(&$module::$Type),*];

        /// The type of a configured kind.
        pub fn of(kind: SourceKind) -> &'static dyn kind::Kind {
            match kind {
                $(SourceKind::$Type => &$module::$Type,)*
            }
        }
    };
}

kinds! {
    /// An iCalendar feed (the Rust Community Calendar, a meetup or luma feed).
    ical::Ical,
    /// A meetup.com group (`url` is the group's page).
    meetup::Meetup,
    /// A luma calendar (`url` is the calendar page, `https://luma.com/<slug>`): its ICS feed,
    /// found through the `cal-…` id on the page; the page's own event list when the feed fails.
    luma::Luma,
    /// Any page carrying schema.org `Event` JSON-LD (conference sites, hasgeek, …).
    jsonld::Jsonld,
}

use crate::model::RawEvent;

/// What a source yielded.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Parsed {
    pub events: Vec<RawEvent>,
    /// Entries skipped or repaired, each naming the entry and what was wrong.
    pub warnings: Vec<String>,
}

/// A document that could not be used at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct SourceError {
    /// The URL or file the document came from.
    pub origin: String,
    pub message: String,
}
