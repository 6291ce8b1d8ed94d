//! The page's "Health of the sources": one row per source, with its status and notes.

use super::{link, text};
use crate::pipeline::SourceReport;
use std::fmt::Write as _;

/// The table of every source's report.
pub(super) fn write_sources(h: &mut String, reports: &[SourceReport]) {
    h.push_str(
        "<section id=\"sources\" class=\"panel\">\n<h2>Health of the sources</h2>\n<div class=\"scroll\"><table>\n\
         <thead><tr><th>Source</th><th>Kind</th><th>Status</th><th>Events</th><th>Latest event</th><th>Notes</th></tr></thead>\n<tbody>\n",
    );
    for r in reports {
        let status = r.status();
        let class = format!("status-{status}");
        let mut notes: Vec<String> = Vec::new();
        if let Some(e) = &r.error {
            notes.push(text(e).into_owned());
        }
        if let Some(s) = &r.suspect {
            notes.push(text(s).into_owned());
        }
        if let Some(f) = &r.fallback {
            notes.push(format!("fallback: {}", text(f)));
        }
        if let Some(to) = &r.redirected_to {
            notes.push(format!("redirected to {}", text(to)));
        }
        if !r.warnings.is_empty() {
            notes.push(format!(
                "{} warning{} (skipped or repaired entries)",
                r.warnings.len(),
                if r.warnings.len() == 1 { "" } else { "s" }
            ));
        }
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td class=\"{class}\">{status}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>",
            link(Some(&r.url), &text(&r.label)),
            text(r.kind.as_str()),
            r.events,
            r.latest_event.map(|d| d.to_string()).unwrap_or_default(),
            notes.join("; ")
        );
    }
    h.push_str("</tbody></table></div>\n</section>\n");
}
