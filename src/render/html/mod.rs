//! The events page for organizers and readers (`publish`): `index.html`, one self-contained
//! file.
//!
//! - The section as it will be printed (by region, the newsletter's order and fields), each
//!   entry with where its facts came from (its sources, whether its event page was read) and
//!   what the event page corrected.
//! - A separate list of what is *not* listed and why (left out, outside the window and when it
//!   enters, filtered by keywords, merged into another entry, possible duplicates, unverified
//!   calendar entries, failed or suspect sources), each with what the organizer can do.
//! - The health of the sources, and when the page was generated.
//!
//! On a phone: a "not listed" list longer than `OPEN_UP_TO` (5) is a collapsed `<details>` with
//! its count, the sources read as expected are collapsed too; the search box searches the
//! section and the "not listed" part (text and links) and opens the lists holding a match.
//!
//! Safety: every text from a source is HTML-escaped (`html-escape`), every link passes
//! [`crate::link::check`] and is attribute-escaped; the page loads nothing (inline style, one
//! inline script for the search box, no images or fonts) and says so in a strict
//! Content-Security-Policy that allows only the hashes of our own style and script, so even a
//! markup mistake could not run or load anything. Without JavaScript everything is shown; the
//! search box appears only when the script runs.
//!
//! Here: this file the page in steps (head, header, the section, footer) and its CSP;
//! `not_listed.rs` what is not listed and why, one list per reason; `health_table.rs` the
//! sources' health, those worth a look shown, the others and their warnings collapsed.

mod health_table;
mod not_listed;

pub use not_listed::enters;

use crate::dedupe::identity::canonical;
use crate::model::{Event, Region, Window};
use crate::newsletter::INTRO;
use crate::newsletter::write::by_region;
use crate::pipeline::Outcome;
use crate::render::ics::{section_file, section_slug};
use crate::verify::Correction;
use base64::Engine as _;
use chrono::NaiveDate;
use health_table::write_sources;
use html_escape::encode_double_quoted_attribute as attr;
use not_listed::write_not_listed;
use std::borrow::Cow;
use std::fmt::Write as _;

/// The most entries shown in one "not listed" list (a broken feed can know thousands of
/// events outside the window); the rest are counted.
pub const MAX_LISTED: usize = 300;

/// A list with more items than this is collapsed (its heading and count shown, opened with a
/// tap, or by a search that matches one of its items): 55 merged entries, or a row for each of
/// 40 sources, would make the page several screens taller on a phone.
const OPEN_UP_TO: usize = 5;

const STYLE: &str = r#"
:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#5f6368;--line:#d9d9de;--accent:#a72145;--soft:#f6f6f8;--warn:#8a4b00}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ea;--bg:#141416;--muted:#a5a5ad;--line:#34343a;--accent:#ff8fa8;--soft:#1d1d21;--warn:#f0b35a}}
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
header,main,footer,.panel{max-width:60rem;margin:0 auto;padding:0 1rem}
h1{font-size:1.5rem;line-height:1.25;margin:1.25rem 0 .5rem}
h2{font-size:1.25rem;margin:1.75rem 0 .5rem;padding-bottom:.25rem;border-bottom:2px solid var(--accent)}
h3{font-size:1.05rem;margin:1.25rem 0 .25rem}
a{color:var(--accent);overflow-wrap:anywhere}
.meta,.todo,.count,.why,.sources-line{color:var(--muted);font-size:.9rem}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.25rem .75rem}
ul.events,ul.not-listed{list-style:none;padding:0;margin:0}
li.event{padding:.6rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
li.event .line{display:flex;flex-wrap:wrap;gap:0 .5rem}
.dates{font-variant-numeric:tabular-nums;font-weight:600}
.title{margin-top:.15rem}
details{margin-top:.25rem;font-size:.9rem}
summary{cursor:pointer;color:var(--muted)}
details.reasons{font-size:1rem}
details.reasons>summary{color:inherit}
details.reasons>summary h3{display:inline}
details.warnings{margin:0}
details ul{margin:.25rem 0;padding-left:1.25rem}
.corrected,.stale{color:var(--warn)}
ul.not-listed li{padding:.4rem 0;border-bottom:1px solid var(--line);overflow-wrap:anywhere}
.reason{font-weight:600}
.todo{background:var(--soft);border-left:3px solid var(--accent);padding:.4rem .6rem;margin:.25rem 0 .5rem}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;padding:.35rem .5rem;border-bottom:1px solid var(--line);white-space:nowrap}
td:first-child,td:last-child{white-space:normal;overflow-wrap:anywhere;min-width:8rem}
td.num{text-align:right;font-variant-numeric:tabular-nums}
.status-ok{color:inherit}.status-failed,.status-suspect{color:var(--warn);font-weight:600}
#search-box{margin:.75rem 0}
#search{font:inherit;width:100%;max-width:24rem;padding:.4rem .6rem;border:1px solid var(--line);border-radius:.4rem;background:var(--bg);color:var(--fg)}
footer{margin:2rem auto;color:var(--muted);font-size:.85rem}
details.reasons{margin:.4rem 0}
@media (max-width:600px){body{font-size:15px}h1{font-size:1.3rem}li.event .line{gap:0 .35rem}
#sources thead{display:none}#sources tr{display:block;padding:.4rem 0;border-bottom:1px solid var(--line)}
#sources td{display:inline;border:0;padding:0 .4rem 0 0;white-space:normal;min-width:0}
#sources td:first-child,#sources td.notes{display:block}#sources td.notes:empty{display:none}
#sources td.num::after{content:" " attr(data-unit)}#sources td.latest:not(:empty)::before{content:"latest "}}
"#;

/// The search box: shows it, then hides the entries of the section and of "Not listed, and
/// why" (and the emptied sections and lists) that do not contain every word typed, in their
/// text or their links, and opens the collapsed lists that hold a match; an empty box puts
/// everything back as it was. `?q=words` in the page's address fills it in (a search to share).
const SCRIPT: &str = r"
(function () {
  var box = document.getElementById('search-box');
  var input = document.getElementById('search');
  var count = document.getElementById('search-count');
  if (!box || !input) { return; }
  box.hidden = false;
  var items = Array.prototype.map.call(
    document.querySelectorAll('li.event, #not-listed li[data-reason]'),
    function (li) {
      var text = li.textContent;
      li.querySelectorAll('a[href]').forEach(function (a) { text += ' ' + a.getAttribute('href'); });
      return { li: li, text: text.toLowerCase(), listed: li.classList.contains('event') };
    });
  var lists = document.querySelectorAll('#not-listed details.reasons');
  lists.forEach(function (d) { d.setAttribute('data-open', d.open ? '1' : ''); });
  var more = document.querySelectorAll('#not-listed li.more');
  function search() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var listed = 0, away = 0;
    items.forEach(function (it) {
      var ok = words.every(function (w) { return it.text.indexOf(w) >= 0; });
      it.li.hidden = !ok;
      if (ok && it.listed) { listed += 1; } else if (ok) { away += 1; }
    });
    document.querySelectorAll('section.region').forEach(function (s) {
      s.hidden = !s.querySelector('li.event:not([hidden])');
    });
    lists.forEach(function (d) {
      var hit = !!d.querySelector('li[data-reason]:not([hidden])');
      d.hidden = words.length > 0 && !hit;
      d.open = words.length > 0 ? hit : d.getAttribute('data-open') === '1';
    });
    more.forEach(function (li) { li.hidden = words.length > 0; });
    count.textContent = words.length ? listed + ' listed, ' + away + ' not listed' : '';
  }
  input.addEventListener('input', search);
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) { input.value = q; search(); }
})();
";

/// Text for an HTML text node: escaped, and without control characters (but line breaks and
/// tabs), which HTML cannot carry (a NUL is dropped or replaced by parsers; `normalize`
/// already removed them from sources' text, this guards everything else).
fn text(s: &str) -> Cow<'_, str> {
    match crate::text::printable(s) {
        Cow::Borrowed(s) => html_escape::encode_text(s),
        Cow::Owned(kept) => Cow::Owned(html_escape::encode_text(&kept).into_owned()),
    }
}

/// `'sha256-…'` of an inline block, for the Content-Security-Policy.
fn csp_hash(content: &str) -> String {
    let digest = ring::digest::digest(&ring::digest::SHA256, content.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest.as_ref())
    )
}

/// The page's Content-Security-Policy: nothing may load or run but our style and script.
pub fn content_security_policy() -> String {
    format!(
        "default-src 'none'; style-src {}; script-src {}; img-src 'none'; base-uri 'none'; form-action 'none'",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    )
}

/// `<a href="…">text</a>` for a link that passes [`crate::link::check`]; the text alone
/// otherwise. `inner` is already HTML.
fn link(url: Option<&str>, inner: &str) -> String {
    match url.and_then(crate::link::safe) {
        Some(u) => format!(
            "<a href=\"{}\" rel=\"nofollow noopener noreferrer\">{inner}</a>",
            attr(&u)
        ),
        None => inner.to_string(),
    }
}

/// What the page needs besides the outcome.
pub struct Page<'a> {
    pub outcome: &'a Outcome,
    pub window: &'a Window,
    /// When the run was made (RFC 3339).
    pub generated_at: &'a str,
    /// The last day the feeds cover (the window's end plus the horizon).
    pub feeds_to: NaiveDate,
    /// Events of the horizon (after the window, in the feeds).
    pub horizon: usize,
    /// The events the sources know after the window, deduplicated
    /// ([`crate::publish::later_events`]).
    pub later: &'a [Event],
}

/// The whole `index.html`: the head, the header (title, feeds, navigation, search), the
/// section as printed, what is not listed and why, the sources' health, the footer.
pub fn page(p: &Page) -> String {
    let o = p.outcome;
    let w = p.window;
    let mut h = String::with_capacity(64 * 1024);
    let title = format!("{INTRO} {} - {}", w.from, w.to);
    write_head(&mut h, &title);
    let regions = by_region(&o.events);
    write_header(&mut h, p, &title, &regions);
    write_sections(&mut h, &regions, &o.corrections);
    write_not_listed(&mut h, p);
    write_sources(&mut h, &o.reports);
    write_footer(&mut h, p.generated_at);
    h
}

/// From the doctype to `<body>`: the policy, the title and the style.
fn write_head(h: &mut String, title: &str) {
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"generator\" content=\"twir-events\">\n\
         <title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        attr(&content_security_policy()),
        text(title)
    );
}

/// The header: title, when, the feeds, navigation, search.
fn write_header(
    h: &mut String,
    p: &Page,
    title: &str,
    regions: &[(Region, Vec<(&Event, String)>)],
) {
    let o = p.outcome;
    let entries: usize = regions.iter().map(|(_, e)| e.len()).sum();
    let _ = write!(
        h,
        "<header>\n<h1>{} 🦀</h1>\n<p class=\"meta\">Generated <time datetime=\"{}\">{}</time> by twir-events: \
         {}{}, {} in {}, from {} ({} failed or suspect).</p>\n",
        text(title),
        attr(p.generated_at),
        text(p.generated_at),
        crate::text::count(o.events.len(), "event", "events"),
        match o.events.iter().filter(|e| e.carried).count() {
            0 => String::new(),
            n => format!(" ({n} not confirmed this time, listed as last seen)"),
        },
        crate::text::count(entries, "entry", "entries"),
        crate::text::count(regions.len(), "section", "sections"),
        crate::text::count(o.reports.len(), "source", "sources"),
        o.reports.iter().filter(|r| !r.trusted()).count(),
    );
    let _ = write!(
        h,
        "<p class=\"meta\">Subscribe (iCalendar, events up to {}{}): <a href=\"events.ics\">all events</a>",
        p.feeds_to,
        if p.horizon > 0 {
            format!(", {} of them after this window", p.horizon)
        } else {
            String::new()
        }
    );
    for r in Region::ALL {
        let _ = write!(
            h,
            " · <a href=\"{}\">{}</a>",
            attr(&section_file(r)),
            text(r.title())
        );
    }
    h.push_str(" · data: <a href=\"events.json\">events.json</a></p>\n<nav><ul>");
    for (r, entries) in regions {
        let _ = write!(
            h,
            "<li><a href=\"#{}\">{} ({})</a></li>",
            attr(&section_slug(*r)),
            text(r.title()),
            entries.len()
        );
    }
    h.push_str(
        "<li><a href=\"#not-listed\">Not listed, and why</a></li><li><a href=\"#sources\">Sources</a></li></ul></nav>\n\
         <p id=\"search-box\" hidden><label for=\"search\">Search the events, listed or not</label><br>\
         <input type=\"search\" id=\"search\" autocomplete=\"off\" placeholder=\"city, group, title…\"> \
         <span id=\"search-count\" class=\"count\" aria-live=\"polite\"></span></p>\n</header>\n<main>\n",
    );
}

/// The section as printed: one list per region, in the newsletter's order.
fn write_sections(
    h: &mut String,
    regions: &[(Region, Vec<(&Event, String)>)],
    corrections: &[Correction],
) {
    if regions.is_empty() {
        h.push_str("<p>No events in this window.</p>\n");
    }
    for (r, entries) in regions {
        let _ = write!(
            h,
            "<section class=\"region\" id=\"{}\">\n<h2>{} <span class=\"count\">({})</span></h2>\n<ul class=\"events\">\n",
            attr(&section_slug(*r)),
            text(r.title()),
            entries.len()
        );
        for (e, location) in entries {
            write_event(h, e, location, corrections);
        }
        h.push_str("</ul>\n</section>\n");
    }
    h.push_str("</main>\n");
}

/// The footer, the script, and the end of the page.
fn write_footer(h: &mut String, generated_at: &str) {
    let _ = write!(
        h,
        "<footer class=\"panel\"><p>Generated <time datetime=\"{}\">{}</time> by twir-events from the Rust Community Calendar and the organizers' own pages. \
         To add an event, put it on the <a href=\"{calendar}\" rel=\"nofollow noopener noreferrer\">calendar</a> with a link to the event's own page.</p></footer>\n\
         <script>{SCRIPT}</script>\n</body>\n</html>\n",
        attr(generated_at),
        text(generated_at),
        calendar = crate::site::COMMUNITY_CALENDAR_PAGE,
    );
}

/// One entry: the printed line (dates | place | organizers), the title line (title and
/// mirrors), then where it comes from.
fn write_event(h: &mut String, e: &Event, location: &str, corrections: &[Correction]) {
    let dates = crate::newsletter::date_field(e.start_date, e.end_date);
    let mut organizers = vec![link(e.organizer.url.as_deref(), &text(&e.organizer.name))];
    for m in &e.mirrors {
        let l = link(m.organizer.url.as_deref(), &text(&m.organizer.name));
        if !organizers.contains(&l) {
            organizers.push(l);
        }
    }
    let _ = write!(
        h,
        "<li class=\"event\">\n<div class=\"line\"><span class=\"dates\">{}</span><span class=\"sep\">|</span><span class=\"where\">{}</span><span class=\"sep\">|</span><span class=\"who\">{}</span></div>\n",
        text(&dates),
        text(location),
        organizers.join(" and ")
    );
    let _ = write!(
        h,
        "<div class=\"title\">{}",
        link(
            Some(&e.url),
            &format!("<strong>{}</strong>", text(&e.title))
        )
    );
    for m in &e.mirrors {
        let _ = write!(
            h,
            " | {}",
            link(
                Some(&m.url),
                &format!("<strong>{}</strong>", text(&m.label))
            )
        );
    }
    if let Some(when) = crate::render::last_seen(e) {
        let _ = write!(
            h,
            " <span class=\"stale\">(not confirmed this time: last seen {})</span>",
            text(&when)
        );
    }
    h.push_str("</div>\n<details><summary>Where this comes from</summary><ul>");
    if let Some(start) = e.start {
        let _ = write!(
            h,
            "<li>Starts {} (UTC{})</li>",
            text(&start.format("%Y-%m-%d %H:%M").to_string()),
            text(&start.format("%:z").to_string())
        );
    }
    match crate::render::carried_note(e) {
        Some(note) => {
            let _ = write!(h, "<li class=\"stale\">{}.</li>", text(&note));
        }
        None => {
            let _ = write!(
                h,
                "<li>{}</li>",
                if e.from_page {
                    "Date, time and place checked on the event's own page."
                } else {
                    "From a calendar entry only: its event page was not read (not a meetup or luma event page, or it could not be used)."
                }
            );
        }
    }
    if !e.sources.is_empty() {
        let sources: Vec<String> = e.sources.iter().map(|s| text(s).into_owned()).collect();
        let _ = write!(h, "<li>Reported by: {}</li>", sources.join(", "));
    }
    let key = canonical(&e.url);
    for c in corrections
        .iter()
        .filter(|c| c.url.as_deref().is_some_and(|u| canonical(u) == key))
    {
        let _ = write!(
            h,
            "<li class=\"corrected\">Corrected by its page: {} was “{}” in the calendar, “{}” on the page.</li>",
            text(c.field),
            text(&c.calendar),
            text(&c.page)
        );
    }
    h.push_str("</ul></details>\n</li>\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enters_with_the_first_window_holding_the_date() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let w = Window {
            from: d("2023-02-01"),
            to: d("2023-03-01"),
        };
        let issue = |from: &str, to: &str| Some((d(from), d(to)));
        assert_eq!(enters(&w, d("2023-03-01")), None);
        assert_eq!(
            enters(&w, d("2023-03-02")),
            issue("2023-02-08", "2023-03-08")
        );
        assert_eq!(
            enters(&w, d("2023-03-08")),
            issue("2023-02-08", "2023-03-08")
        );
        assert_eq!(
            enters(&w, d("2023-03-09")),
            issue("2023-02-15", "2023-03-15")
        );
        // `publish` on Thursday: the window from today ends on the next issue's last day;
        // later issues still start on Wednesdays.
        let thursday = Window {
            from: d("2023-02-02"),
            to: d("2023-03-08"),
        };
        assert_eq!(enters(&thursday, d("2023-03-08")), None);
        assert_eq!(
            enters(&thursday, d("2023-03-10")),
            issue("2023-02-15", "2023-03-15")
        );
    }

    #[test]
    fn the_policy_names_our_blocks_only() {
        let csp = content_security_policy();
        assert!(csp.starts_with("default-src 'none'; style-src 'sha256-"));
        assert!(!csp.contains("unsafe"));
    }
}
