//! The page's "Not listed, and why": what the sources know but the section does not print,
//! one list per reason, each with what an organizer can do about it.

use super::{MAX_LISTED, OPEN_UP_TO, Page, attr, link, text};
use crate::dedupe::{EntryRef, Merge};
use crate::model::{Event, RawEvent, Window};
use crate::pipeline::Outcome;
use chrono::NaiveDate;
use std::fmt::Write as _;

/// The window (first and last day) of the first later issue that holds `date`, `None` when
/// `window` does. Issues' windows end a week apart on the weekday `window` ends on and last
/// its whole weeks: `render`'s window (from the next Wednesday) is one of them, and `json`'s
/// and `publish`'s, from today, end where the next issue's does.
pub fn enters(window: &Window, date: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    if date <= window.to {
        return None;
    }
    let late = (date - window.to).num_days();
    let length = chrono::Duration::days((window.to - window.from).num_days() / 7 * 7);
    let to = window
        .to
        .checked_add_signed(chrono::Duration::days(7 * ((late + 6) / 7)))?;
    Some((to.checked_sub_signed(length)?, to))
}

/// One "not listed" list: its anchor, heading, what the organizer can do (HTML), and its
/// items (HTML).
struct List {
    id: &'static str,
    heading: &'static str,
    todo: &'static str,
    items: Vec<String>,
}

/// Writes the panel: every list that has items, or a line saying nothing is left out.
pub(super) fn write_not_listed(h: &mut String, p: &Page) {
    let o = p.outcome;
    h.push_str(
        "<section id=\"not-listed\" class=\"panel\">\n<h2>Not listed, and why</h2>\n\
         <p class=\"why\">What the sources know but the section does not print, with what an organizer can do about it. \
         Fixes on the calendar entry or the event page are picked up by the next run.</p>\n",
    );
    let lists = [
        left_out(o),
        failed(o),
        later(p.later, *p.window),
        filtered(o),
        merged(o),
        possible_duplicates(o),
        unverified(o),
        corrected(o),
    ];
    for list in &lists {
        write_list(h, list);
    }
    // The corrected entries are listed (with the page's facts): they do not count.
    let [not_listed @ .., _corrections] = &lists;
    if not_listed.iter().all(|l| l.items.is_empty()) {
        h.push_str("<p>Nothing: every event the sources know in this window is listed.</p>\n");
    }
    h.push_str("</section>\n");
}

/// One list: a heading with the count, what the organizer can do, the items (capped), in a
/// `<details>` open when short; nothing when empty.
fn write_list(h: &mut String, list: &List) {
    let List {
        id,
        heading,
        todo,
        items,
    } = list;
    if items.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<details id=\"{}\" class=\"reasons\"{}>\n<summary><h3>{} <span class=\"count\">({})</span></h3></summary>\n<p class=\"todo\">{}</p>\n<ul class=\"not-listed\">\n",
        attr(id),
        if items.len() <= OPEN_UP_TO {
            " open"
        } else {
            ""
        },
        text(heading),
        items.len(),
        todo
    );
    for item in items.iter().take(MAX_LISTED) {
        let _ = writeln!(h, "<li data-reason=\"{}\">{item}</li>", attr(id));
    }
    if items.len() > MAX_LISTED {
        let _ = writeln!(
            h,
            "<li class=\"more\">… and {} more</li>",
            items.len() - MAX_LISTED
        );
    }
    h.push_str("</ul>\n</details>\n");
}

fn left_out(o: &Outcome) -> List {
    List {
        id: "left-out",
        heading: "Left out",
        todo: "Cancelled and postponed events are not listed. Otherwise: fix what the reason says on the calendar entry or the event page \
         (a link to the event's own page, a place or its time zone, the dates).",
        items: o
            .left_out_once()
            .iter()
            .map(|l| {
                format!(
                    "{}: <span class=\"reason\">{}</span>",
                    raw_item(&l.event, l.date),
                    text(&l.reason)
                )
            })
            .collect(),
    }
}

fn failed(o: &Outcome) -> List {
    List {
        id: "source-failed",
        heading: "Sources that failed or are not taken as the truth",
        todo: "Their events may be missing from this page, or listed as they were last seen (the count says how many). Check that the group or calendar still exists at that address (a renamed meetup group \
         changes it) and is public; tell the editors if it moved.",
        items: o
            .reports
            .iter()
            .filter(|r| !r.trusted())
            .map(|r| {
                let why = r.why_not_used().unwrap_or_default();
                format!(
                    "{} ({}): <span class=\"reason\">{}</span>{}{}",
                    link(Some(&r.url), &text(&r.label)),
                    r.status(),
                    text(&why),
                    r.redirected_to
                        .as_deref()
                        .map(|to| format!(" — redirected to {}", text(to)))
                        .unwrap_or_default(),
                    if r.carried_over > 0 {
                        format!(" — {}", super::health_table::carried(r.carried_over))
                    } else {
                        String::new()
                    }
                )
            })
            .collect(),
    }
}

fn later(later: &[Event], w: Window) -> List {
    let mut sorted: Vec<&Event> = later.iter().collect();
    sorted.sort_by_key(|e| (e.start_date, e.title.clone()));
    List {
        id: "outside-window",
        heading: "Later than this window",
        todo: "Nothing to do: an event is listed in the issues whose window holds its dates. Check that the date shown is right.",
        items: sorted
            .iter()
            .map(|e| {
                format!(
                    "{} {} by {}: <span class=\"reason\">after this window</span>{}",
                    text(&e.start_date.to_string()),
                    link(Some(&e.url), &format!("“{}”", text(&e.title))),
                    text(&e.organizer.name),
                    enters(&w, e.start_date)
                        .map(|(d, to)| format!(
                            ", enters the listing of the issue of {d} (window {d} - {to})"
                        ))
                        .unwrap_or_default()
                )
            })
            .collect(),
    }
}

fn filtered(o: &Outcome) -> List {
    List {
        id: "filtered",
        heading: "Filtered by keywords",
        todo: "This source is read for Rust events only (its keywords in sources.toml): mention Rust in the title or description, \
         or ask the editors to add your group as a source of its own.",
        items: o
            .filtered
            .iter()
            .map(|r| {
                format!(
                    "{}: <span class=\"reason\">filtered by the source's keywords</span>",
                    raw_item(&r.event, r.date)
                )
            })
            .collect(),
    }
}

fn merged(o: &Outcome) -> List {
    List {
        id: "merged",
        heading: "Merged into another entry",
        todo: "Listed once, under the other entry. If they are different events, give each its own event link (not the group's page).",
        items: o.merges.iter().map(merge_item).collect(),
    }
}

fn possible_duplicates(o: &Outcome) -> List {
    List {
        id: "possible-duplicate",
        heading: "Possible duplicates (both listed)",
        todo: "If these are one event, remove one calendar entry or link both to the same event page.",
        items: o
            .possible_duplicates
            .iter()
            .map(|d| {
                format!(
                    "{}<br>and {}: <span class=\"reason\">possible duplicate, both listed ({})</span>",
                    entry_ref(&d.a),
                    entry_ref(&d.b),
                    text(&d.reason)
                )
            })
            .collect(),
    }
}

fn unverified(o: &Outcome) -> List {
    List {
        id: "unverified",
        heading: "Listed with the calendar's data (event page not usable)",
        todo: "These are listed, but their event page could not confirm the date, time and place: check that the page is public and \
         that the calendar entry links this occurrence.",
        items: o
            .unverified
            .iter()
            .map(|u| {
                format!(
                    "{}: <span class=\"reason\">{}</span>",
                    raw_item(&u.event, u.date),
                    text(&u.reason)
                )
            })
            .collect(),
    }
}

fn corrected(o: &Outcome) -> List {
    List {
        id: "corrections",
        heading: "Calendar entries corrected by their event page",
        todo: "The event's own page wins over the calendar entry (shown above with the page's facts, or left out when the page \
         says cancelled): update the calendar entry so that both agree.",
        items: o
            .corrections
            .iter()
            .map(|c| {
                format!(
                    "“{}” ({}): <span class=\"reason\">{} was “{}” in the calendar, “{}” on the event's page</span>",
                    text(&c.title),
                    c.url.as_deref().map_or_else(|| "no link".to_string(), |u| link(Some(u), &text(u))),
                    text(c.field),
                    text(&c.calendar),
                    text(&c.page)
                )
            })
            .collect(),
    }
}

/// An entry a source gave, as the reports describe it (`"Title" on DATE (link, from SOURCE)`,
/// [`crate::pipeline::describe_on`]), `date` its first local day (the date the section prints),
/// its link a link when it passes [`crate::link::check`]; else the link as text, and why it
/// is not one.
fn raw_item(raw: &RawEvent, date: NaiveDate) -> String {
    let shown = match crate::run::link_of(raw).map(crate::link::check) {
        None => "no link".to_string(),
        Some(Ok(u)) => link(Some(&u), &text(&u)),
        Some(Err(refused)) => format!(
            "{} (not a usable link: {})",
            text(&refused.link),
            text(refused.why)
        ),
    };
    format!(
        "“{}” on {date} ({shown}, from {})",
        text(&raw.title),
        text(&raw.source)
    )
}

/// An entry of a merge or a possible duplicate: date, title (linked), organizer, then what
/// tells two entries of one event apart — its link, written out, and the sources that listed
/// it (`(https://…/events/1/, from Rust Community Calendar)`): the titles, dates and
/// organizers of a merge are often the same on both sides.
fn entry_ref(r: &EntryRef) -> String {
    let from = if r.sources.is_empty() {
        String::new()
    } else {
        format!(", from {}", text(&r.sources.join(", ")))
    };
    format!(
        "{} {} by {} <span class=\"via\">({}{from})</span>",
        text(&r.start_date.to_string()),
        link(Some(&r.url), &format!("“{}”", text(&r.title))),
        text(&r.organizer),
        text(&r.url)
    )
}

fn merge_item(m: &Merge) -> String {
    format!(
        "{}<br>into {}: <span class=\"reason\">{}</span>",
        entry_ref(&m.absorbed),
        entry_ref(&m.kept),
        text(&m.evidence.to_string())
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::When;

    #[test]
    fn a_raw_event_s_link_is_a_link_only_when_it_passes_the_check() {
        let day: NaiveDate = "2026-09-02".parse().unwrap();
        let mut raw = RawEvent::new("Rust <Ghent>", "Meetup & more", When::Date(day));
        raw.url = Some("https://www.meetup.com/rust-ghent/events/123/?a=1&b=2".into());
        assert_eq!(
            raw_item(&raw, day),
            "“Meetup &amp; more” on 2026-09-02 (<a href=\"https://www.meetup.com/rust-ghent/events/123/?a=1&amp;b=2\" \
             rel=\"nofollow noopener noreferrer\">https://www.meetup.com/rust-ghent/events/123/?a=1&amp;b=2</a>, from Rust &lt;Ghent&gt;)"
        );
        raw.url = Some("javascript:alert(1)".into());
        let item = raw_item(&raw, day);
        assert!(!item.contains("<a "), "{item}");
        assert!(
            item.contains("javascript:alert(1) (not a usable link: "),
            "{item}"
        );
        raw.url = None;
        assert!(raw_item(&raw, day).contains("(no link, from"));
    }
}
