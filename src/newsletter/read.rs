//! Reading a published "Upcoming Events" section (or a draft's) back (the format of the newsletter from
//! 2022 on and of the seeds), so past issues can be fed to `dedupe` and compared.
//!
//! ```text
//! ### Virtual
//! * 2023-02-01 | Virtual (Redmond, WA, US; New York, NY, US) | [Org A](…) and [Org B](…)
//!     * [**Title**](url-a) | [**New York Mirror**](url-b)
//! ```
//!
//! Tolerated editor variations: `-` bullets, a leading space before `*`, no space around `|`,
//! `, ` / ` & ` / `-DD` between dates, single-digit days, trailing spaces, `Virtual( X)`,
//! `### Online` and `### Oceania:` headers, organizers joined by ` and `, ` + ` or ` | `,
//! an organizer link with a space before its parenthesis (`[Oxidize] (https://…)`),
//! extra asterisks in link texts (`[***São Paulo Mirror**]`). Hand-written: the format is
//! line-based and not CommonMark-regular (a Markdown parser would lose the `|` fields).

use super::{FIELD_SEPARATOR, HEADING_MARK, HYBRID, VIRTUAL, region_of_heading, unescape};
use crate::model::{Attendance, Event, Mirror, Organizer, Place, Region};
use crate::place::{parse_newsletter_location, parse_newsletter_place};
use chrono::NaiveDate;
use serde::Serialize;

/// A Markdown link `[text](url)`; the text without the bold markers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Link {
    pub text: String,
    pub url: String,
}

/// One published entry.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CorpusEntry {
    /// 1-based line number of the entry's first line in the parsed text.
    pub line: usize,
    /// The section it is listed in (`None` before any known header).
    pub region: Option<Region>,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The location field as written (`Virtual (Dallas, TX, US)`, `Berlin, DE`).
    pub location: String,
    pub attendance: Attendance,
    /// The places in the location field, in order (several for mirrored sessions).
    pub places: Vec<Place>,
    /// Organizers of the first line, in order (`url` is `None` for a plain name).
    pub organizers: Vec<Link>,
    /// The title link of the second line.
    pub title: Option<Link>,
    /// Further links of the second line (`[**New York Mirror**](…)`).
    pub mirrors: Vec<Link>,
}

/// Every `[text](url)` in `s`, with nested brackets and parentheses balanced and
/// backslash escapes honoured.
fn links(s: &str) -> Vec<Link> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] != '[' {
            i += 1;
            continue;
        }
        let Some(close) = closing(&chars, i, ('[', ']'), true) else {
            break;
        };
        if chars.get(close + 1) != Some(&'(') {
            i += 1;
            continue;
        }
        let Some(end) = closing(&chars, close + 1, ('(', ')'), false) else {
            break;
        };
        let text: String = chars[i + 1..close].iter().collect();
        let url: String = chars[close + 2..end].iter().collect();
        out.push(Link {
            text: clean_text(&text),
            url: url.trim().to_string(),
        });
        i = end + 1;
    }
    out
}

/// The index of the bracket that closes the one at `open` (which is `pair.0`), nested pairs
/// balanced; with `escapes`, a backslash hides the character after it.
fn closing(chars: &[char], open: usize, pair: (char, char), escapes: bool) -> Option<usize> {
    let mut depth = 0usize;
    let mut j = open;
    while j < chars.len() {
        match chars[j] {
            '\\' if escapes => j += 1,
            c if c == pair.0 => depth += 1,
            c if c == pair.1 => {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
            _ => {}
        }
        j += 1;
    }
    None
}

/// Link text without bold markers and Markdown escapes.
fn clean_text(t: &str) -> String {
    unescape(t.trim().trim_matches('*').trim())
}

/// The byte offsets of the `|` that separate `s`'s fields (outside brackets and parentheses,
/// not escaped), as the reader splits them: `update` keeps the editors' text of a field.
pub fn field_bounds(s: &str) -> Vec<usize> {
    let (mut sq, mut par) = (0i32, 0i32);
    let mut escaped = false;
    let mut out = Vec::new();
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' => sq += 1,
            ']' => sq -= 1,
            '(' => par += 1,
            ')' => par -= 1,
            '|' if sq <= 0 && par <= 0 => out.push(i),
            _ => {}
        }
    }
    out
}

/// Splits on `|` outside brackets and parentheses ([`field_bounds`]), each field trimmed.
fn fields(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut start = 0;
    for cut in field_bounds(s) {
        out.push(s[start..cut].trim().to_string());
        start = cut + 1;
    }
    out.push(s[start..].trim().to_string());
    out
}

/// `2026-09-08`, `2026-09-08 - 2026-09-11`, `2023-02-16, 2023-02-17`, `2022-05-19 & 05-20`,
/// `2024-01-27-28`, `2023-10-9`.
fn parse_dates(s: &str) -> Option<(NaiveDate, NaiveDate)> {
    let nums: Vec<u32> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|p| !p.is_empty())
        .map(|p| p.parse().ok())
        .collect::<Option<_>>()?;
    if nums.len() < 3 || nums[0] < 1000 {
        return None;
    }
    // A year past `i32::MAX` is no date (it used to wrap to a negative year).
    let year = i32::try_from(nums[0]).ok()?;
    let start = NaiveDate::from_ymd_opt(year, nums[1], nums[2])?;
    let end = match &nums[3..] {
        [] => start,
        [d] => NaiveDate::from_ymd_opt(year, nums[1], *d)?,
        [m, d] => NaiveDate::from_ymd_opt(year, *m, *d)?,
        [y, m, d, ..] => NaiveDate::from_ymd_opt(i32::try_from(*y).ok()?, *m, *d)?,
    };
    Some((start, end.max(start)))
}

/// A newsletter place: `City, ST, CC`, `City, CC`, `City, UK`. Uses the normalizer's reader
/// and falls back on splitting the commas when it knows nothing.
fn place_of(text: &str) -> Option<Place> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Some(p) = parse_newsletter_place(text) {
        return Some(p);
    }
    let parts: Vec<&str> = text
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let country = |c: &str| {
        let c = c.trim();
        if c.eq_ignore_ascii_case("uk") {
            Some("GB".to_string())
        } else if c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()) {
            Some(c.to_ascii_uppercase())
        } else {
            None
        }
    };
    let place = match parts.as_slice() {
        [] => return None,
        [one] => match country(one) {
            Some(c) => Place::new(None, None, Some(&c)),
            None => Place::new(Some(one), None, None),
        },
        [city, cc] => Place::new(Some(city), None, country(cc).as_deref()),
        [city, state, cc, ..] => Place::new(Some(city), Some(state), country(cc).as_deref()),
    };
    Some(place)
}

/// Attendance and places of a location field: the normalizer's reader, with a plain comma
/// split for parts it does not know.
fn parse_location(field: &str) -> (Attendance, Vec<Place>) {
    let read = parse_newsletter_location(field);
    if !read.places.is_empty() || read.unparsed.is_empty() {
        return (read.attendance, read.places);
    }
    let (attendance, places) = parse_location_fallback(field);
    (attendance, places)
}

/// Attendance and places by splitting on `(`, `;` and `,`.
fn parse_location_fallback(field: &str) -> (Attendance, Vec<Place>) {
    let f = field.trim();
    let lower = f.to_lowercase();
    let (attendance, rest) =
        if lower.starts_with(&VIRTUAL.to_lowercase()) || lower.starts_with("online") {
            (
                Attendance::Virtual,
                &f[lower.find(['(']).unwrap_or(f.len())..],
            )
        } else if lower.starts_with(&HYBRID.to_lowercase()) {
            (
                Attendance::Hybrid,
                &f[lower.find(['(']).unwrap_or(f.len())..],
            )
        } else {
            (Attendance::InPerson, f)
        };
    let inner = rest.trim().trim_start_matches('(').trim_end_matches(')');
    let places = inner.split(';').filter_map(place_of).collect();
    (attendance, places)
}

/// A bullet line: `* x`, ` * x`, `- x`; returns its indentation and content.
pub(super) fn bullet(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let indent = line.len() - trimmed.len();
    let rest = trimmed
        .strip_prefix("* ")
        .or_else(|| trimmed.strip_prefix("- "))?;
    Some((indent, rest.trim_end()))
}

/// The "Upcoming Events" section of a whole newsletter post (from its `## Upcoming Events`
/// heading to the next `#`/`##` heading), or the whole text when it has no such heading (a
/// section published alone).
pub fn events_section(text: &str) -> &str {
    let is_title = |line: &str| {
        let t = line.trim_start();
        t.starts_with('#')
            && !t.starts_with(HEADING_MARK)
            && t.trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case(super::SECTION_TITLE)
    };
    let mut offset = 0;
    let mut start = None;
    for line in text.split_inclusive('\n') {
        let t = line.trim_start();
        match start {
            None if is_title(line) => start = Some(offset),
            Some(from) if (t.starts_with("# ") || t.starts_with("## ")) && offset > from => {
                return &text[from..offset];
            }
            _ => {}
        }
        offset += line.len();
    }
    start.map_or(text, |from| &text[from..])
}

/// Reads a published events section. Lines that are not entries (the intro, the footer,
/// the old 2021 one-line format) are skipped.
pub fn parse_section(markdown: &str) -> Vec<CorpusEntry> {
    let mut out: Vec<CorpusEntry> = Vec::new();
    let mut region = None;
    for (n, line) in markdown.lines().enumerate() {
        if let Some(h) = line.trim_start().strip_prefix(HEADING_MARK) {
            region = region_of_heading(h);
            continue;
        }
        let Some((indent, content)) = bullet(line) else {
            continue;
        };
        if indent < 2 && content.starts_with(|c: char| c.is_ascii_digit()) {
            out.extend(entry_line(n + 1, region, content));
        } else if indent >= 2 || content.starts_with("[**") {
            let Some(entry) = out.last_mut().filter(|e| e.title.is_none()) else {
                continue;
            };
            if let Some((title, mirrors)) = title_links(content) {
                entry.title = Some(title);
                entry.mirrors = mirrors;
            }
        }
    }
    out
}

/// A title line's content (after its bullet): the title link and the mirrors' links, or the
/// title written without a link; `None` when it has neither (an editor's other sub-bullet).
pub(super) fn title_links(content: &str) -> Option<(Link, Vec<Link>)> {
    let mut ls = links(content).into_iter();
    match ls.next() {
        Some(title) => Some((title, ls.collect())),
        None => unlinked_title(content).map(|t| (t, Vec::new())),
    }
}

/// Whether a bullet's content (after the bullet, not indented) is an entry's first line
/// written so that `update` can edit it: a date field that reads as dates and holds no words
/// (`2025-09-02 * 2025-09-05`, a typo, is one), and at least one more field. What
/// [`parse_section`] reads more leniently (`* 2026-09-13 Bergen meetup (link to follow)`, a
/// date and words) is a line `update` keeps as written.
pub(super) fn is_entry_content(content: &str) -> bool {
    let fs = fields(content);
    let Some(date) = fs.first() else {
        return false;
    };
    fs.len() >= 2 && !date.chars().any(char::is_alphabetic) && parse_dates(date).is_some()
}

/// An entry's fields in plain text, as [`super::write::write_fields`] prints them back: the
/// location field without its Markdown escapes.
pub fn entry_fields(entry: &CorpusEntry) -> super::EntryFields {
    super::EntryFields {
        start_date: entry.start_date,
        end_date: entry.end_date,
        location: unescape(&entry.location),
        organizers: entry.organizers.clone(),
        title: entry.title.clone(),
        mirrors: entry.mirrors.clone(),
    }
}

/// A title line without a link, `**Title**`: what the writer prints when the event's link is
/// not one to print (`write::bold_link`), read back as the title with no link.
fn unlinked_title(content: &str) -> Option<Link> {
    let first = content.split(FIELD_SEPARATOR).next()?.trim();
    let text = first.strip_prefix("**")?.strip_suffix("**")?;
    (!text.trim().is_empty()).then(|| Link {
        text: clean_text(text),
        url: String::new(),
    })
}

/// An entry's first line (`content` after the bullet): date, location and organizer fields;
/// `None` when the date field is not one.
fn entry_line(line: usize, region: Option<Region>, content: &str) -> Option<CorpusEntry> {
    let fs = fields(content);
    let (start_date, end_date) = parse_dates(&fs[0])?;
    let location = fs.get(1).cloned().unwrap_or_default();
    let (attendance, places) = parse_location(&location);
    let mut organizers = Vec::new();
    for f in fs.iter().skip(2) {
        let mut ls = links(f);
        if ls.is_empty() {
            // `[Oxidize Conference] (https://oxidizeconf.com/)`: a link with a space, which
            // Markdown prints as text, meant as the organizer's link.
            ls = links(&f.replacen("] (", "](", 1))
                .into_iter()
                .filter(|l| crate::link::check(&l.url).is_ok())
                .collect();
        }
        if ls.is_empty() {
            if !f.is_empty() {
                organizers.push(Link {
                    text: clean_text(f),
                    url: String::new(),
                });
            }
        } else {
            organizers.extend(ls);
        }
    }
    Some(CorpusEntry {
        line,
        region,
        start_date,
        end_date,
        location,
        attendance,
        places,
        organizers,
        title: None,
        mirrors: Vec::new(),
    })
}

/// The organizer for a mirror link: the listed organizer on the same meetup group or site,
/// else the one at the same position.
fn mirror_organizer(entry: &CorpusEntry, index: usize, url: &str) -> Organizer {
    use crate::dedupe::identity::group_key;
    let group = group_key(url);
    let by_group = entry
        .organizers
        .iter()
        .skip(1)
        .find(|o| group.is_some() && group_key(&o.url) == group);
    let org = by_group
        .or_else(|| entry.organizers.get(index + 1))
        .or(entry.organizers.first());
    let pos = org
        .and_then(|o| entry.organizers.iter().position(|x| x == o))
        .unwrap_or(index + 1);
    Organizer {
        name: org.map(|o| o.text.clone()).unwrap_or_default(),
        url: org.map(|o| o.url.clone()).filter(|u| !u.is_empty()),
        home: entry.places.get(pos).cloned(),
    }
}

/// The entry as an [`Event`]: listed only in its own section, `sources` = `corpus line N`,
/// mirrors with their organizers, no time of day.
pub fn to_event(entry: &CorpusEntry) -> Event {
    let first = entry.organizers.first();
    let first_place = entry.places.first().cloned();
    let organizer = Organizer {
        name: first.map(|o| o.text.clone()).unwrap_or_default(),
        url: first.map(|o| o.url.clone()).filter(|u| !u.is_empty()),
        home: match entry.attendance {
            Attendance::Virtual => first_place.clone(),
            _ => None,
        },
    };
    let (title, url) = match &entry.title {
        Some(t) => (t.text.clone(), t.url.clone()),
        None => (
            organizer.name.clone(),
            organizer.url.clone().unwrap_or_default(),
        ),
    };
    let mirrors = entry
        .mirrors
        .iter()
        .enumerate()
        .map(|(i, l)| Mirror {
            organizer: mirror_organizer(entry, i, &l.url),
            url: l.url.clone(),
            label: l.text.clone(),
        })
        .collect();
    Event {
        title,
        url,
        start_date: entry.start_date,
        end_date: entry.end_date,
        start: None,
        // The Markdown has no end time.
        end: None,
        attendance: entry.attendance,
        place: match entry.attendance {
            Attendance::Virtual => None,
            _ => first_place,
        },
        organizer,
        regions: entry.region.into_iter().collect(),
        mirrors,
        sources: vec![format!("corpus line {}", entry.line)],
        from_page: false,
        in_calendar: false,
        carried: false,
        last_seen: None,
        uid: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_s_events_section_is_cut_out() {
        let post = "# This Week in Rust 602\n\n## Updates\n* 2025-06-04 | Virtual | [X](https://x.example/)\n\n## Upcoming Events\n\n### Virtual\n* 2025-06-05 | Virtual | [Y](https://y.example/)\n    * [**T**](https://y.example/t)\n\n## Jobs\n* 2025-06-06 | Virtual | [Z](https://z.example/)\n";
        let section = events_section(post);
        assert!(section.starts_with("## Upcoming Events"), "{section}");
        let entries = parse_section(section);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].organizers[0].text, "Y");
        assert_eq!(events_section("### Virtual\n"), "### Virtual\n");
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_title_written_without_its_link_reads_back_as_the_title() {
        let e = Event {
            url: "javascript:alert(1)".into(),
            ..to_event(
                &parse_section(
                    "### Europe\n\n* 2026-09-08 | Berlin, DE | [Rust Berlin](https://www.meetup.com/rust-berlin/)\n    * [**Hack and Learn**](https://www.meetup.com/rust-berlin/events/1/)\n",
                )[0],
            )
        };
        let window = crate::model::Window {
            from: d("2026-09-01"),
            to: d("2026-09-30"),
        };
        let written = super::super::write::render(&[e], &window);
        assert!(written.contains("    * **Hack and Learn**\n"), "{written}");
        let read = parse_section(&written);
        assert_eq!(read.len(), 1);
        let title = read[0].title.as_ref().expect("the bold text is the title");
        assert_eq!(title.text, "Hack and Learn");
        assert_eq!(title.url, "");
        assert_eq!(read[0].organizers[0].text, "Rust Berlin");
        assert_eq!(
            super::super::write::render(&[to_event(&read[0])], &window),
            written
        );
        // Bold text that is not the title line's first field is not a title.
        assert!(unlinked_title("[**A**](https://a.example/) | **B**").is_none());
        assert!(unlinked_title("** **").is_none());
    }

    #[test]
    fn a_year_past_i32_max_is_no_date() {
        assert_eq!(parse_dates("4294967295-01-01"), None);
        assert_eq!(parse_dates("2147483648-01-01"), None);
        assert_eq!(parse_dates("2026-09-08 - 4294967295-09-09"), None);
        assert_eq!(
            parse_dates("2026-09-08 - 2026-09-09"),
            Some((d("2026-09-08"), d("2026-09-09")))
        );
    }

    #[test]
    fn reads_entries_and_variations() {
        let md = "Rusty Events between 2023-02-01 - 2023-03-01 🦀\n\n### Virtual\n\n\
* 2023-02-01 | Virtual (Redmond, WA, US; New York, NY, US) | [Microsoft Reactor Redmond](https://www.meetup.com/microsoft-reactor-redmond/) and [Microsoft Reactor New York](https://www.meetup.com/microsoft-reactor-new-york/)\n\
    * [**Primeros pasos con Rust: QA**](https://www.meetup.com/microsoft-reactor-redmond/events/290224566/) | [***New York Mirror**](https://www.meetup.com/microsoft-reactor-new-york/events/290224570/)\n\
 * 2024-12-07 | Virtual( Kampala, UG) | [Rust Circle Kampala](https://www.eventbrite.com/o/x-1/)   \n\
    * [**Rust Circle \\[Meetup\\]**](https://www.eventbrite.com/e/y-2)\n\
### Oceania:\n\
* 2023-02-16, 2023-02-17| London, UK | [Rust Nation UK](https://www.rustnationuk.com/)\n\
    * [**Rust Nation UK**](https://www.rustnationuk.com/)\n\
- 2024-01-27-28 | Hybrid (Calgary, AB, CA) | Rust Calgary\n\
  - [**Jam**](https://example.org/jam)\n";
        let es = parse_section(md);
        assert_eq!(es.len(), 4);
        assert_eq!(es[0].line, 5);
        assert_eq!(es[0].region, Some(Region::Virtual));
        assert_eq!(es[0].places.len(), 2);
        assert_eq!(es[0].places[1].city.as_deref(), Some("New York"));
        assert_eq!(es[0].organizers.len(), 2);
        assert_eq!(es[0].mirrors[0].text, "New York Mirror");
        assert_eq!(es[1].attendance, Attendance::Virtual);
        assert_eq!(es[1].places[0].country.as_deref(), Some("UG"));
        assert_eq!(es[1].title.as_ref().unwrap().text, "Rust Circle [Meetup]");
        assert_eq!(es[2].region, Some(Region::Oceania));
        assert_eq!(
            (es[2].start_date, es[2].end_date),
            (d("2023-02-16"), d("2023-02-17"))
        );
        assert_eq!(es[2].places[0].country.as_deref(), Some("GB"));
        assert_eq!(es[3].end_date, d("2024-01-28"));
        assert_eq!(es[3].attendance, Attendance::Hybrid);
        assert_eq!(es[3].organizers[0].text, "Rust Calgary");

        let e = to_event(&es[0]);
        assert_eq!(
            e.organizer.home.as_ref().unwrap().city.as_deref(),
            Some("Redmond")
        );
        assert_eq!(e.mirrors[0].organizer.name, "Microsoft Reactor New York");
        assert_eq!(
            e.mirrors[0]
                .organizer
                .home
                .as_ref()
                .unwrap()
                .city
                .as_deref(),
            Some("New York")
        );
        let e = to_event(&es[3]);
        assert_eq!(e.place.as_ref().unwrap().state.as_deref(), Some("AB"));
        assert_eq!(e.regions, vec![Region::Oceania]);
    }

    #[test]
    fn date_forms() {
        assert_eq!(
            parse_dates("2023-10-9"),
            Some((d("2023-10-09"), d("2023-10-09")))
        );
        assert_eq!(
            parse_dates("2022-05-19 & 05-20"),
            Some((d("2022-05-19"), d("2022-05-20")))
        );
        assert_eq!(
            parse_dates("2026-09-08 - 2026-09-11"),
            Some((d("2026-09-08"), d("2026-09-11")))
        );
        assert_eq!(parse_dates("January 5, 2022"), None);
    }
}
