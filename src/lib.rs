//! twir-events: builds the "Upcoming Events" section of *This Week in Rust*.
//!
//! The modules are the pipeline, in order: [`config`] (what to fetch) → [`fetch`] (bytes for a
//! URL, live or replayed) → [`sources`] (bytes to raw events, one module per kind) →
//! [`normalize`] (local dates, places, regions, organizers) → [`dedupe`] → [`newsletter`] (the
//! newsletter's Markdown, written and read back) and [`render`] (the JSON file, the calendar
//! feeds, the page). [`pipeline`] wires them together; [`cli`] is the command line; [`update`],
//! [`check`], [`health`] and [`publish`] are the editors', organizers' and subscribers' uses of
//! one run. Only `fetch` and `cli` do I/O; everything else takes values and returns values.
//! Below the stages: [`model`], [`place`] (place vocabulary), [`site`] (each site's URL
//! grammar), [`link`], [`text`] and [`description`] (description HTML); the kinds of source are one registry,
//! [`sources::kind`]. The dependency direction is written in `ARCHITECTURE.md` ("Layers")
//! and checked by `tests/layers.rs`.

pub mod check;
pub mod cli;
pub mod config;
pub mod dedupe;
pub mod description;
pub mod error;
pub mod fetch;
pub mod files;
#[doc(hidden)]
pub mod fuzzing;
pub mod health;
pub mod link;
pub mod model;
pub mod new_source;
pub mod newsletter;
pub mod normalize;
pub mod pipeline;
pub mod place;
pub mod publish;
pub mod render;
pub mod run;
pub mod site;
pub mod sources;
pub mod suspect;
pub mod text;
pub mod update;
pub mod verify;
