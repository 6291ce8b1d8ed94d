//! The report for a terminal.

use super::{Health, Reach, Silent, SourceRef, Uncovered};
use chrono::NaiveDate;
use std::fmt::Write as _;

/// The report for a terminal: the counts on top, then one section per kind of problem (empty
/// ones left out).
pub fn to_table(h: &Health) -> String {
    let mut out = String::new();
    header(&mut out, h);
    if !h.needs_attention {
        let _ = writeln!(out, "\nnothing needs attention");
        // The uncovered ones counted above, each with its [[organizer]] entry: named, so the
        // count is not left unexplained.
        if !h.uncovered.is_empty() {
            let n = h.uncovered.len();
            let one = n == 1;
            let _ = writeln!(
                out,
                "\nnot covered by a source, and nothing to add: {} named by {} [[organizer]] {}, whose {} no events to read",
                crate::text::count(n, "organizer", "organizers"),
                if one { "its" } else { "their" },
                if one { "entry" } else { "entries" },
                if one { "link has" } else { "links have" },
            );
            for u in &h.uncovered {
                uncovered_row(&mut out, h, u);
            }
        }
        return out;
    }
    if !h.uncovered.is_empty() {
        let _ = writeln!(
            out,
            "\nUNCOVERED: organizers no source covers ({})",
            h.uncovered.len()
        );
        for u in &h.uncovered {
            uncovered_row(&mut out, h, u);
        }
    }
    source_sections(&mut out, h);
    out
}

/// What was read and when, then the count of each kind of problem.
fn header(out: &mut String, h: &Health) {
    let _ = writeln!(
        out,
        "health of {} on {}, {}{}",
        crate::text::count(h.sources, "source", "sources"),
        h.today,
        sections_read(h),
        if h.fetched {
            ""
        } else {
            " (no fetch: sources taken as listed)"
        }
    );
    let counts = [
        ("uncovered", h.uncovered.len()),
        ("failed", h.failed.len()),
        ("suspect", h.suspect.len()),
        ("gone", h.gone.len()),
        ("redirected", h.redirected.len()),
        ("silent", h.silent.len()),
        ("fallback", h.fallback.len()),
        ("duplicates", h.duplicates.len()),
    ];
    let _ = writeln!(
        out,
        "{}",
        counts
            .iter()
            .map(|(k, n)| format!("{k} {n}"))
            .collect::<Vec<_>>()
            .join(" · ")
    );
}

/// Which published sections the report compares with: the directory, how many, the range of
/// issue dates, and the recent ones; or that there were none, so nothing is said about them.
fn sections_read(h: &Health) -> String {
    let s = &h.sections;
    let Some(dir) = &s.dir else {
        return "no published sections read (none found: pass --corpus DIR), so nothing is said about what was published".to_string();
    };
    if !s.any() {
        return format!(
            "no published sections in {dir} dated on or before {}, so nothing is said about what was published",
            h.today
        );
    }
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let range = |a: Option<NaiveDate>, b: Option<NaiveDate>| match (a, b) {
        (Some(a), Some(b)) if a != b => format!(" ({a} – {b})"),
        (Some(a), _) => format!(" ({a})"),
        _ => String::new(),
    };
    format!(
        "{} published section{} read from {dir}{}, the last {} as recent{}",
        s.all,
        plural(s.all),
        range(s.all_first, s.last),
        s.count,
        range(s.first, s.last)
    )
}

/// A silent source's row: when it last listed and was last published, or that the published
/// sections were not read (then nothing is claimed about them).
fn silent_row(h: &Health, s: &Silent) -> String {
    let listed = match s.last_listed {
        Some(d) => format!("last listed {d}"),
        None => "no event listed this run".to_string(),
    };
    let published = match (h.sections.any(), s.last_published) {
        (false, _) => "published sections not read".to_string(),
        (true, Some(d)) => format!("last published {d}"),
        (true, None) => format!(
            "not published in the {} section{} read{}",
            h.sections.all,
            if h.sections.all == 1 { "" } else { "s" },
            match (h.sections.all_first, h.sections.last) {
                (Some(a), Some(b)) => format!(" ({a} – {b})"),
                _ => String::new(),
            }
        ),
    };
    format!("{}: {listed}; {published}", label(&s.source))
}

/// A source as the table names it: its line, kind, name and URL.
fn label(s: &SourceRef) -> String {
    match &s.name {
        Some(n) => format!(
            "line {:<4} {:<6} {} <{}>",
            s.line,
            s.kind.as_str(),
            n,
            s.url
        ),
        None => format!("line {:<4} {:<6} {}", s.line, s.kind.as_str(), s.url),
    }
}

/// One uncovered organizer: where it was seen, then the lines to add (or why there are none).
fn uncovered_row(out: &mut String, h: &Health, u: &Uncovered) {
    let mut seen = Vec::new();
    if u.on_calendar > 0 {
        seen.push(format!(
            "{} event{} on the calendar",
            u.on_calendar,
            if u.on_calendar == 1 { "" } else { "s" }
        ));
    }
    if u.sections > 0 {
        seen.push(format!(
            "in {} of {}",
            u.sections,
            crate::text::count(h.sections.count, "section", "sections")
        ));
    }
    if let Some(d) = u.last_seen {
        seen.push(format!("last {d}"));
    }
    let reach = match u.reach {
        Reach::PublishedOnly if !h.fetched => "published",
        r => r.describe(),
    };
    let also = u.also.iter().fold(String::new(), |mut s, l| {
        let _ = write!(s, ", also <{l}>");
        s
    });
    let _ = writeln!(
        out,
        "  {} <{}>{also}{} — {}; {}{}",
        u.name,
        u.link,
        u.home
            .as_deref()
            .map(|h| format!(" ({h})"))
            .unwrap_or_default(),
        reach,
        seen.join(", "),
        if u.organizer_entry {
            "; only an [[organizer]] entry"
        } else {
            ""
        }
    );
    if !u.actionable() {
        let _ = writeln!(
            out,
            "      (nothing to add: no events to read at this link)"
        );
        return;
    }
    for line in u.suggestion.lines() {
        let _ = writeln!(out, "      {line}");
    }
}

/// A section of the table, `title (count)` and its rows; nothing when it has none.
fn section(out: &mut String, title: &str, rows: Vec<String>) {
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title} ({})", rows.len());
    for r in rows {
        let _ = writeln!(out, "  {r}");
    }
}

/// The sections about the sources: gone, redirected, failed, suspect, silent, fallback,
/// duplicates.
fn source_sections(out: &mut String, h: &Health) {
    section(
        out,
        "GONE: the group or calendar answered 404/410",
        h.gone
            .iter()
            .map(|g| format!("{}: {}", label(&g.source), g.status))
            .collect(),
    );
    section(
        out,
        "REDIRECTED: renamed or moved (change the url)",
        h.redirected
            .iter()
            .map(|r| format!("{}\n      → {}\n      {}", label(&r.source), r.to, r.fix))
            .collect(),
    );
    section(
        out,
        "FAILED",
        h.failed
            .iter()
            .map(|f| format!("{}: {}", label(&f.source), f.error))
            .collect(),
    );
    section(
        out,
        "SUSPECT: answered, but not taken as the truth",
        h.suspect
            .iter()
            .map(|s| format!("{}: {}", label(&s.source), s.reason))
            .collect(),
    );
    let silent_title = if h.sections.any() {
        format!(
            "SILENT: nothing listed or published for {} weeks",
            h.silent_weeks
        )
    } else {
        format!(
            "SILENT: nothing listed for {} weeks (this run only: no published sections read)",
            h.silent_weeks
        )
    };
    section(
        out,
        &silent_title,
        h.silent.iter().map(|s| silent_row(h, s)).collect(),
    );
    section(
        out,
        "FALLBACK: read through a second way in",
        h.fallback
            .iter()
            .map(|f| format!("{}: {}", label(&f.source), f.why))
            .collect(),
    );
    section(
        out,
        "DUPLICATES: the same group listed twice",
        h.duplicates
            .iter()
            .map(|d| {
                let mut s = format!("{} ({})", d.group, d.why);
                for r in &d.sources {
                    let _ = write!(s, "\n      {}", label(r));
                }
                s
            })
            .collect(),
    );
}
