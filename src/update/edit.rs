//! The block edited in place: the draft's lines kept where they are, entries rewritten,
//! removed, moved or inserted around them.
//!
//! The block is its intro line, then sections (the lines before the first heading, then one
//! per heading), then its tail (the footer). A line that is not an entry (a blank line, an
//! HTML comment, a rough line, free text) stays where it is among its section's lines,
//! after what preceded it. An entry kept or rewritten in place keeps its place; an entry
//! whose date or section changed, and a new one, goes to its sorted place in its section
//! (before the first entry that sorts after it, else after the section's last line that is
//! not blank); a section that does not exist yet is made, in [`Region::ALL`] order, with the
//! draft's heading style (a blank line after the heading or not); a section that loses its
//! last entry and holds nothing else loses its heading. Lines keep their line ends; new lines
//! take the draft's, and the block's last line keeps its lack of one.

use super::plan::Verdict;
use crate::model::Region;
use crate::newsletter::block::{DraftEntry, Kind, Line, Piece};
use crate::newsletter::{EntryFields, heading, read, write};
use chrono::NaiveDate;

/// The newsletter's order of an entry ([`write::order_key`]).
type Key = (NaiveDate, String, String, String, String);

fn key_of(f: &EntryFields) -> Key {
    let (title, url) = f
        .title
        .as_ref()
        .map_or(("", ""), |t| (t.text.as_str(), t.url.as_str()));
    write::order_key(
        f.start_date,
        &f.location,
        f.organizers.first().map_or("", |o| o.text.as_str()),
        title,
        url,
    )
}

/// A line to print: its text, and its own line end (`None`: the draft's).
#[derive(Debug, Clone)]
struct Out {
    text: String,
    end: Option<String>,
}

impl Out {
    fn new(text: &str) -> Out {
        Out {
            text: text.to_string(),
            end: None,
        }
    }

    fn kept(l: &Line) -> Out {
        Out {
            text: l.text.to_string(),
            end: Some(l.end.to_string()),
        }
    }
}

enum Item {
    /// An entry's lines; `new` when placed by this update (moved or inserted).
    Entry {
        key: Key,
        lines: Vec<Out>,
        new: bool,
    },
    Other(Out),
}

impl Item {
    fn is_blank(&self) -> bool {
        matches!(self, Item::Other(o) if o.text.trim().is_empty())
    }
}

struct Section {
    /// The heading line (the intro line for the lines before the first heading).
    head: Out,
    region: Option<Region>,
    /// Made by this update.
    made: bool,
    /// Had entries in the draft.
    had_entries: bool,
    items: Vec<Item>,
}

/// Where a moved or new entry goes: the section it was in, or the section of a region.
enum Target {
    Own(usize),
    Region(Region),
}

/// An entry to place: where, its order, its lines.
type Queued = (Target, Key, Vec<Out>);

/// What the editor needs from the update.
pub(super) struct Edit<'a> {
    pub lines: &'a [Line<'a>],
    pub pieces: &'a [Piece],
    /// Per entry piece, in order.
    pub verdicts: &'a [Verdict],
    pub inserts: &'a [(Region, EntryFields)],
    /// The new intro line.
    pub intro: String,
    /// The draft's line end.
    pub nl: &'static str,
}

impl Edit<'_> {
    /// The new block's text.
    pub(super) fn apply(&self) -> String {
        let (mut sections, tail, queued) = self.sections();
        let blank_after_heading = self.blank_after_heading();
        for (target, key, lines) in queued {
            let index = match target {
                Target::Own(i) => i,
                Target::Region(r) => section_for(&mut sections, r, blank_after_heading),
            };
            if let Some(s) = sections.get_mut(index) {
                insert_sorted(&mut s.items, key, lines, blank_after_heading);
            }
        }
        sections.retain(|s| {
            !(s.had_entries && s.region.is_some() && s.items.iter().all(Item::is_blank))
        });
        self.print(&sections, &tail)
    }

    /// The draft's heading style: a blank line after its first region heading (as `render`
    /// prints it, and when it has none), or not (as the published sections are written).
    fn blank_after_heading(&self) -> bool {
        let first = self.pieces.iter().position(|p| {
            matches!(
                p,
                Piece::Line {
                    kind: Kind::Heading(_),
                    ..
                }
            )
        });
        first.is_none_or(|h| {
            self.pieces.get(h + 1).is_none_or(|p| {
                matches!(
                    p,
                    Piece::Line {
                        kind: Kind::Blank,
                        ..
                    }
                )
            })
        })
    }

    /// The draft's sections with the entries kept in place, the tail, and the entries to
    /// place (moved, then new ones).
    fn sections(&self) -> (Vec<Section>, Vec<Out>, Vec<Queued>) {
        let last_structure = self
            .pieces
            .iter()
            .rposition(|p| {
                matches!(
                    p,
                    Piece::Entry(_)
                        | Piece::Line {
                            kind: Kind::Heading(_),
                            ..
                        }
                )
            })
            .unwrap_or(0);
        let mut sections = vec![Section {
            head: Out {
                text: self.intro.clone(),
                end: self.lines.first().map(|l| l.end.to_string()),
            },
            region: None,
            made: false,
            had_entries: false,
            items: Vec::new(),
        }];
        let mut tail: Vec<Out> = Vec::new();
        let mut queued = Vec::new();
        let mut verdicts = self.verdicts.iter();
        for (n, piece) in self.pieces.iter().enumerate() {
            let current = sections.len() - 1;
            match piece {
                Piece::Line { index, kind } => {
                    let out = Out::kept(&self.lines[*index]);
                    match kind {
                        Kind::Intro => {}
                        Kind::Heading(region) => sections.push(Section {
                            head: out,
                            region: *region,
                            made: false,
                            had_entries: false,
                            items: Vec::new(),
                        }),
                        _ if n > last_structure && (*kind == Kind::Footer || !tail.is_empty()) => {
                            tail.push(out);
                        }
                        _ => sections[current].items.push(Item::Other(out)),
                    }
                }
                Piece::Entry(d) => {
                    sections[current].had_entries = true;
                    let Some(verdict) = verdicts.next() else {
                        continue;
                    };
                    match verdict {
                        Verdict::Keep => sections[current].items.push(Item::Entry {
                            key: key_of(&read::entry_fields(&d.entry)),
                            lines: (d.first..d.end)
                                .filter_map(|j| self.lines.get(j).map(Out::kept))
                                .collect(),
                            new: false,
                        }),
                        Verdict::Remove => {}
                        Verdict::Rewrite {
                            fields,
                            section,
                            reposition,
                            entry_line,
                            title_line,
                        } => {
                            let lines = self.rewritten(d, fields, (*entry_line, *title_line));
                            let key = key_of(fields);
                            if !reposition {
                                sections[current].items.push(Item::Entry {
                                    key,
                                    lines,
                                    new: false,
                                });
                            } else if *section == d.entry.region {
                                queued.push((Target::Own(current), key, lines));
                            } else if let Some(r) = section {
                                queued.push((Target::Region(*r), key, lines));
                            }
                        }
                    }
                }
            }
        }
        for (region, fields) in self.inserts {
            let mut text = String::new();
            write::write_fields(&mut text, fields);
            queued.push((
                Target::Region(*region),
                key_of(fields),
                text.lines().map(Out::new).collect(),
            ));
        }
        (sections, tail, queued)
    }

    /// An entry's lines with its entry line and title line printed from `fields` where
    /// `anew` says (entry line, title line), as they were otherwise; its other continuation
    /// lines (an editor's further sub-bullets) kept as they were.
    fn rewritten(&self, d: &DraftEntry, fields: &EntryFields, anew: (bool, bool)) -> Vec<Out> {
        let mut printed = String::new();
        write::write_fields(&mut printed, fields);
        let mut new = printed.lines();
        let first = new.next().map(Out::new);
        let title = new.next().map(Out::new);
        let kept = |j: usize| self.lines.get(j).map(Out::kept);
        let first = if anew.0 {
            first.map(|f| match self.lines.get(d.first) {
                Some(old) => Out::new(&spliced(old.text, &d.entry, &f.text)),
                None => f,
            })
        } else {
            kept(d.first)
        };
        let mut out: Vec<Out> = first.into_iter().collect();
        if d.title_line.is_none() {
            out.extend(title.clone());
        }
        for j in d.first + 1..d.end {
            if Some(j) == d.title_line && anew.1 {
                out.extend(title.clone());
            } else {
                out.extend(kept(j));
            }
        }
        out
    }

    /// The block's text: each section's heading and lines, a blank line around a section
    /// made by this update and after an entry placed last in its section, then the tail; line
    /// ends as the module says.
    fn print(&self, sections: &[Section], tail: &[Out]) -> String {
        fn push(outs: &mut Vec<Out>, need_blank: &mut bool, o: &Out) {
            if *need_blank && !o.text.trim().is_empty() {
                outs.push(Out::new(""));
            }
            *need_blank = false;
            outs.push(o.clone());
        }
        let mut outs: Vec<Out> = Vec::new();
        let mut need_blank = false;
        for s in sections {
            let after_text = outs.last().is_some_and(|o| !o.text.trim().is_empty());
            if s.made && after_text {
                outs.push(Out::new(""));
            }
            push(&mut outs, &mut need_blank, &s.head);
            for item in &s.items {
                match item {
                    Item::Entry { lines, .. } => lines
                        .iter()
                        .for_each(|l| push(&mut outs, &mut need_blank, l)),
                    Item::Other(o) => push(&mut outs, &mut need_blank, o),
                }
            }
            need_blank = s.made || matches!(s.items.last(), Some(Item::Entry { new: true, .. }));
        }
        for o in tail {
            push(&mut outs, &mut need_blank, o);
        }
        let last_has_end = self.lines.last().is_none_or(|l| !l.end.is_empty());
        let mut text = String::new();
        let n = outs.len();
        for (k, o) in outs.iter().enumerate() {
            text.push_str(&o.text);
            let own = o.end.as_deref().filter(|e| !e.is_empty());
            if k + 1 < n || last_has_end {
                text.push_str(own.unwrap_or(self.nl));
            }
        }
        text
    }
}

/// The index of the section for `region`, made (in [`Region::ALL`] order, after the lines
/// before the first heading) when the draft has none.
fn section_for(sections: &mut Vec<Section>, region: Region, blank_after_heading: bool) -> usize {
    if let Some(i) = sections
        .iter()
        .skip(1)
        .position(|s| s.region == Some(region))
    {
        return i + 1;
    }
    let at = sections
        .iter()
        .skip(1)
        .position(|s| s.region.is_some_and(|r| r > region))
        .map_or(sections.len(), |i| i + 1);
    sections.insert(
        at,
        Section {
            head: Out::new(&heading(region)),
            region: Some(region),
            made: true,
            had_entries: false,
            items: if blank_after_heading {
                vec![Item::Other(Out::new(""))]
            } else {
                Vec::new()
            },
        },
    );
    at
}

/// Puts an entry in its sorted place among a section's lines.
fn insert_sorted(items: &mut Vec<Item>, key: Key, lines: Vec<Out>, blank_after_heading: bool) {
    let at = items
        .iter()
        .position(|it| matches!(it, Item::Entry { key: k, .. } if *k > key))
        .or_else(|| items.iter().rposition(|it| !it.is_blank()).map(|i| i + 1))
        .unwrap_or_else(|| {
            usize::from(blank_after_heading && items.first().is_some_and(Item::is_blank))
        });
    items.insert(
        at.min(items.len()),
        Item::Entry {
            key,
            lines,
            new: true,
        },
    );
}

/// An entry's first line with only the fields that changed printed anew: `old` is the line as
/// the editors wrote it, `entry` it as read, `new` the line printed from the merged fields. A
/// field (the date, the location, the organizers) whose printed form is the same from the
/// draft's reading and from the merge did not change, and keeps the editors' text (their
/// `, ` or ` + ` between organizers, their spacing); the others take the new text.
fn spliced(old: &str, entry: &read::CorpusEntry, new: &str) -> String {
    let mut printed = String::new();
    write::write_fields(&mut printed, &read::entry_fields(entry));
    let was = printed.lines().next().unwrap_or("");
    let (Some((_, old_fields)), Some((bullet, now)), Some((_, was))) = (
        split_entry_line(old),
        split_entry_line(new),
        split_entry_line(was),
    ) else {
        return new.to_string();
    };
    let parts: Vec<&str> = (0..3)
        .map(|i| {
            if was.get(i) == now.get(i) {
                old_fields.get(i).copied().unwrap_or("")
            } else {
                now.get(i).copied().unwrap_or("")
            }
        })
        .collect();
    let mut line = format!("{bullet}{}", parts[0]);
    for (i, p) in parts.iter().enumerate().skip(1) {
        // An empty field the editors wrote (`| Unknown location | `) stays.
        if !p.is_empty() || i < old_fields.len() {
            line.push_str(crate::newsletter::FIELD_SEPARATOR);
            line.push_str(p);
        }
    }
    line
}

/// An entry line's bullet (with its indentation) and its three fields as written: the date,
/// the location, and the organizers (the rest of the line, however many `|` it holds).
fn split_entry_line(line: &str) -> Option<(&str, Vec<&str>)> {
    let content = line.trim_start();
    let content = content
        .strip_prefix("* ")
        .or_else(|| content.strip_prefix("- "))?;
    let bullet = &line[..line.len() - content.len()];
    let cuts = read::field_bounds(content);
    let mut fields: Vec<&str> = Vec::new();
    let mut start = 0;
    for &cut in cuts.iter().take(2) {
        fields.push(content[start..cut].trim());
        start = cut + 1;
    }
    fields.push(content[start.min(content.len())..].trim());
    Some((bullet, fields))
}
