//! Updating the events block of a newsletter draft: a merge that respects the editors.
//!
//! The draft starts with last week's block as the editors published it, their hand
//! corrections included. The block (from the `Rusty Events between …` line to the
//! `[community]: …` footer line, or without a footer to the next heading) is read as its
//! lines ([`newsletter::block`]) and edited in place (`edit.rs`), never printed anew: what is
//! not an entry (blank lines, HTML comments, rough lines, free text, the footer) stays where
//! it is, byte for byte; line ends, a BOM and the final newline are kept, and so is
//! everything outside the block.
//!
//! Each draft entry is matched to the run's events (`plan.rs`: by event link identity
//! whatever the organizer, by the dedupe rules, or by a shared session) and is exactly one of:
//! - **updated**: matched, and a source contradicts a field: merged field by field
//!   (`fields.rs`: the editors' form of the location, their organizer names and links, mirrors
//!   and title wording are kept unless a source says otherwise; the date, a changed place or
//!   attendance, a renamed title win), each field replaced named with the source;
//! - **unchanged**: matched, and its text stays as it is;
//! - **kept because its source failed**: the run does not have it and its source failed or
//!   answered suspiciously (its group's or calendar's source by its links, or the community
//!   calendar, which may list anything); or the run has it only from a feed, unverified,
//!   while its own group or page source is down (what the page said is not undone by the
//!   calendar's copy during an outage, as in `pipeline::carry_over`);
//! - **kept** (added by hand): no source knows it;
//! - **removed**: outside the new window, cancelled or postponed on its page, merged into
//!   another entry for the same event (named), or no longer listed in its section.
//!
//! The run's other events are **added**, each in its sections at its sorted place.
//! When every source failed or answered suspiciously, the draft is left as it was
//! ([`Update::untouched`]). Pure: text in, text and a report out.
//!
//! No memory of what the tool wrote last is kept (no sidecar file): the draft is the only
//! state. A sidecar would go stale as the draft moves between machines and editors, and the
//! rule "keep the editors' form unless a source contradicts its meaning" needs none: a field
//! is compared with what the sources say now, not with what the tool said before.
//!
//! `update_draft` reads as its steps: locate the block, read it as lines, plan, edit. Which
//! failed source may hold an entry is `check`'s answer (`check::failed_source_of`), so `update`
//! and `check` agree on it.

mod edit;
mod fields;
mod plan;
#[cfg(test)]
mod tests;

pub use fields::FieldChange;

use crate::config::Source;
use crate::model::{Event, Window};
use crate::newsletter::block::{self, Kind, Piece};
use crate::newsletter::{self, write};
use crate::pipeline::Outcome;

/// The result of an update.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Update {
    /// The whole draft with the new block (the draft itself when [`Update::untouched`]).
    pub text: String,
    /// Every source failed or answered suspiciously: the draft is left as it was.
    pub untouched: bool,
    /// Entries in the draft's block: `updated + unchanged + kept_failed + kept + removed`.
    pub entries: usize,
    /// Draft entries a source corrected, with the fields replaced.
    pub updated: Vec<EntryReport>,
    /// Draft entries left as they were, with the fields where the editors' form was kept
    /// against a source's.
    pub unchanged: Vec<EntryReport>,
    /// Entries the run did not have (or had only from an unverified copy) because their
    /// source failed or was suspect: kept as they were.
    pub kept_failed: Vec<KeptFailed>,
    /// Entries no source knows (added by hand), kept.
    pub kept: Vec<String>,
    /// Entries of the draft that are gone, with why.
    pub removed: Vec<String>,
    /// The run's events the draft did not have.
    pub added: Vec<String>,
    /// Lines of the block that do not read as entries, kept as written: line number, text.
    pub as_written: Vec<(usize, String)>,
}

/// A draft entry matched to a run event, and what the merge did to its fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryReport {
    /// The draft's entry: `DATE "TITLE" <URL>`.
    pub entry: String,
    /// Its line in the draft.
    pub line: usize,
    /// The fields a source replaced (before → after).
    pub replaced: Vec<FieldChange>,
    /// The fields where the editors' form was kept against a source's.
    pub kept: Vec<FieldChange>,
}

/// A draft entry kept as it was because the source that lists it could not be used this run.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptFailed {
    pub entry: String,
    /// The source's label.
    pub source: String,
    /// It answered suspiciously (else it failed).
    pub suspect: bool,
}

impl Update {
    /// Whether the new text differs from the draft.
    pub fn changed(&self, draft: &str) -> bool {
        self.text != draft
    }

    /// Whether every entry of the draft is counted once:
    /// `entries = updated + unchanged + kept_failed + kept + removed`.
    pub fn adds_up(&self) -> bool {
        self.entries
            == self.updated.len()
                + self.unchanged.len()
                + self.kept_failed.len()
                + self.kept.len()
                + self.removed.len()
    }
}

/// Where the block is: byte range of its lines in `draft`, or where to insert one.
enum Place {
    Block(usize, usize),
    InsertAt(usize),
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .filter(|&i| i <= text.len())
        .collect()
}

fn locate(draft: &str) -> Result<Place, String> {
    let starts = line_starts(draft);
    let line = |i: usize| {
        let end = starts.get(i + 1).copied().unwrap_or(draft.len());
        &draft[starts[i]..end]
    };
    let heading = (0..starts.len()).find(|&i| {
        line(i)
            .trim()
            .trim_start_matches('#')
            .trim()
            .eq_ignore_ascii_case(newsletter::SECTION_TITLE)
            && line(i).trim_start().starts_with('#')
    });
    let from = heading.unwrap_or(0);
    let Some(first) = (from..starts.len()).find(|&i| line(i).starts_with(newsletter::INTRO)) else {
        return match heading {
            // A heading without a block: insert after the heading and one blank line.
            Some(h) => {
                let mut at = h + 1;
                while at < starts.len() && line(at).trim().is_empty() {
                    at += 1;
                }
                Ok(Place::InsertAt(
                    starts.get(at).copied().unwrap_or(draft.len()),
                ))
            }
            None => Err(
                "no \"## Upcoming Events\" heading and no \"Rusty Events between\" line: \
                 add the heading where the section belongs"
                    .to_string(),
            ),
        };
    };
    let is_heading = |i: usize| {
        let t = line(i).trim_start();
        t.starts_with("# ") || t.starts_with("## ")
    };
    let footer = (first..starts.len())
        .take_while(|&i| i == first || !is_heading(i))
        .find(|&i| line(i).starts_with(newsletter::FOOTER_END));
    // Without a footer: up to the next heading, without the blank lines before it.
    let last = footer.unwrap_or_else(|| {
        let mut end = (first + 1..starts.len())
            .find(|&i| is_heading(i))
            .unwrap_or(starts.len());
        while end > first + 1 && line(end - 1).trim().is_empty() {
            end -= 1;
        }
        end - 1
    });
    let end = starts.get(last + 1).copied().unwrap_or(draft.len());
    Ok(Place::Block(starts[first], end))
}

fn describe(e: &Event) -> String {
    format!("{} \"{}\" <{}>", e.start_date, e.title, e.url)
}

/// Updates `draft` with the run's `outcome` for `window`. `sources`: the run's sources file,
/// to tell which source lists an entry (may be empty: see [`crate::check::scopes`]).
pub fn update_draft(
    draft: &str,
    outcome: &Outcome,
    window: &Window,
    sources: &[Source],
) -> Result<Update, String> {
    let (bom, body) = match draft.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", draft),
    };
    let every_source_failed =
        !outcome.reports.is_empty() && outcome.reports.iter().all(|r| !r.trusted());
    let (a, b) = match locate(body)? {
        Place::Block(a, b) => (a, b),
        Place::InsertAt(at) if !every_source_failed => {
            return Ok(insert_block(bom, body, at, outcome, *window));
        }
        Place::InsertAt(_) => (0, 0),
    };
    let old = body.get(a..b).unwrap_or_default();
    let lines = block::lines(old);
    let first_line = body.get(..a).unwrap_or_default().matches('\n').count() + 1;
    let pieces = block::pieces(&lines, first_line);
    let entries: Vec<&block::DraftEntry> = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Entry(d) => Some(d),
            Piece::Line { .. } => None,
        })
        .collect();
    if every_source_failed {
        return Ok(Update {
            text: draft.to_string(),
            untouched: true,
            entries: entries.len(),
            ..Update::default()
        });
    }
    let plan = plan::plan(&entries, outcome, *window, sources);
    let verdicts: Vec<plan::Verdict> = plan
        .verdicts
        .iter()
        .map(|v| v.clone().unwrap_or(plan::Verdict::Keep))
        .collect();
    let new_block = edit::Edit {
        lines: &lines,
        pieces: &pieces,
        verdicts: &verdicts,
        inserts: &plan.inserts,
        intro: newsletter::intro(window),
        nl: block::line_end(body),
    }
    .apply();
    let as_written = pieces
        .iter()
        .filter_map(|p| match p {
            Piece::Line {
                index,
                kind: Kind::Rough,
            } => lines
                .get(*index)
                .map(|l| (first_line + index, l.text.to_string())),
            _ => None,
        })
        .collect();
    Ok(Update {
        text: format!(
            "{bom}{}{new_block}{}",
            body.get(..a).unwrap_or_default(),
            body.get(b..).unwrap_or_default()
        ),
        untouched: false,
        entries: entries.len(),
        updated: plan.updated,
        unchanged: plan.unchanged,
        kept_failed: plan.kept_failed,
        kept: plan.kept,
        removed: plan.removed,
        added: plan.added,
        as_written,
    })
}

/// A draft with a heading and no block yet: the run's block, as `render` prints it, inserted
/// at `at` (with the draft's line ends).
fn insert_block(bom: &str, body: &str, at: usize, outcome: &Outcome, window: Window) -> Update {
    let events: Vec<Event> = outcome
        .events
        .iter()
        .filter(|e| !e.regions.is_empty())
        .cloned()
        .collect();
    let mut rendered = write::render(&events, &window);
    rendered.push('\n');
    let nl = block::line_end(body);
    if nl != "\n" {
        rendered = rendered.replace('\n', nl);
    }
    let before = body.get(..at).unwrap_or_default();
    // A heading that ends the draft without a line end: the block goes below it.
    let gap = if before.is_empty() || before.ends_with('\n') {
        String::new()
    } else {
        format!("{nl}{nl}")
    };
    Update {
        text: format!(
            "{bom}{before}{gap}{rendered}{}",
            body.get(at..).unwrap_or_default()
        ),
        added: events.iter().map(describe).collect(),
        ..Update::default()
    }
}
