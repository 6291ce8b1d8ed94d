//! The page's "Health of the sources": one row per source, with its status and notes.

use super::{OPEN_UP_TO, link, text};
use crate::pipeline::SourceReport;
use std::fmt::Write as _;

/// Every source's report: those that need a look (failed, suspect, read through a fallback,
/// redirected) in a table shown, the others collapsed under a line that counts them and their
/// warnings (a row each for 40 sources makes a phone's page several screens longer).
pub(super) fn write_sources(h: &mut String, reports: &[SourceReport]) {
    let (look, fine): (Vec<&SourceReport>, Vec<&SourceReport>) = reports
        .iter()
        .partition(|r| !r.trusted() || r.fallback.is_some() || r.redirected_to.is_some());
    let _ = write!(
        h,
        "<section id=\"sources\" class=\"panel\">\n<h2>Health of the sources <span class=\"count\">({})</span></h2>\n",
        reports.len()
    );
    if !look.is_empty() {
        let _ = writeln!(
            h,
            "<h3>Worth a look <span class=\"count\">({})</span></h3>",
            look.len()
        );
        table(h, &look);
    }
    if !fine.is_empty() {
        let warned = fine.iter().filter(|r| !r.warnings.is_empty()).count();
        let _ = writeln!(
            h,
            "<details class=\"fine\"{}><summary>{} source{} read as expected{}</summary>",
            if look.is_empty() && fine.len() <= OPEN_UP_TO {
                " open"
            } else {
                ""
            },
            fine.len(),
            if fine.len() == 1 { "" } else { "s" },
            if warned > 0 {
                format!(", {warned} of them with warnings")
            } else {
                String::new()
            }
        );
        if warned > 0 {
            h.push_str(
                "<p class=\"why\">A warning is an entry the source's reader skipped or repaired (tap the count to see which \
                 and why): the source itself was read, and its other events are listed.</p>\n",
            );
        }
        table(h, &fine);
        h.push_str("</details>\n");
    }
    h.push_str("</section>\n");
}

/// One table of sources, a row each.
fn table(h: &mut String, reports: &[&SourceReport]) {
    h.push_str(
        "<div class=\"scroll\"><table>\n\
         <thead><tr><th>Source</th><th>Kind</th><th>Status</th><th>Events</th><th>Latest event</th><th>Notes</th></tr></thead>\n<tbody>\n",
    );
    for r in reports {
        let status = r.status();
        let class = format!("status-{status}");
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{status}</td><td class=\"num\" data-unit=\"{}\">{}</td><td class=\"latest\">{}</td><td class=\"notes\">{}</td></tr>",
            link(Some(&r.url), &text(&r.label)),
            text(r.kind.as_str()),
            if r.events == 1 { "event" } else { "events" },
            r.events,
            r.latest_event.map(|d| d.to_string()).unwrap_or_default(),
            notes(r).join("; ")
        );
    }
    h.push_str("</tbody></table></div>\n");
}

/// What the report says of a source besides its counts: the events carried over from the
/// previous run for it, its error, why it is suspect, its fallback, its redirect, its
/// warnings.
fn notes(r: &SourceReport) -> Vec<String> {
    let mut notes: Vec<String> = Vec::new();
    if r.carried_over > 0 {
        notes.push(carried(r.carried_over));
    }
    if let Some(e) = r.failure() {
        notes.push(text(&e.to_string()).into_owned());
    }
    if let Some(s) = r.suspect() {
        notes.push(text(&s.to_string()).into_owned());
    }
    if let Some(f) = &r.fallback {
        notes.push(format!("fallback: {}", text(f)));
    }
    if let Some(to) = &r.redirected_to {
        notes.push(format!("redirected to {}", text(to)));
    }
    if !r.warnings.is_empty() {
        notes.push(warnings(&r.warnings));
    }
    notes
}

/// `2 events carried over from the previous run`: the events of a failed or suspect source
/// still listed, as last seen (its row's count is of this run's events).
pub(super) fn carried(n: usize) -> String {
    format!(
        "{n} event{} carried over from the previous run (listed as last seen)",
        if n == 1 { "" } else { "s" }
    )
}

/// The most warnings shown for one source; the rest are counted.
const MAX_WARNINGS: usize = 20;

/// A source's warnings: the count, and what each one is, collapsed.
fn warnings(warnings: &[String]) -> String {
    let n = warnings.len();
    let mut s = format!(
        "<details class=\"warnings\"><summary>{n} warning{}</summary><ul>",
        if n == 1 { "" } else { "s" }
    );
    for w in warnings.iter().take(MAX_WARNINGS) {
        let _ = write!(s, "<li>{}</li>", text(w));
    }
    if n > MAX_WARNINGS {
        let _ = write!(s, "<li>… and {} more</li>", n - MAX_WARNINGS);
    }
    s.push_str("</ul></details>");
    s
}
