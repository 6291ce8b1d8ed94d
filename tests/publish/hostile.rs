//! Hostile content in every field of the page and of the feeds. Part of `tests/publish.rs`.

use super::*;

/// The payload strings of `tests/hostile.rs` (`TEXTS` and `LINKS`), read from its source so
/// that both tests use one list: each line of those arrays is one Rust string literal.
fn payloads(list: &str) -> Vec<String> {
    let source = read(&root().join("tests/hostile.rs"));
    let start = source
        .find(&format!("const {list}: &[&str] = &["))
        .unwrap_or_else(|| panic!("no {list} in tests/hostile.rs"));
    let body = &source[start..];
    let body = &body[..body.find("\n];").unwrap()];
    body.lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| l.starts_with('"'))
        .map(|l| unescape_rust(l.trim_end_matches(',')))
        .collect()
}

/// A Rust string literal's value (the escapes `tests/hostile.rs` uses).
fn unescape_rust(lit: &str) -> String {
    let inner = &lit[1..lit.len() - 1];
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String = chars.by_ref().skip(1).take_while(|c| *c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A failed, gone, redirected, suspect source read through a fallback, and a suspect feed,
/// with `text` and `link` in every field.
fn hostile_reports(
    text: &str,
    link: &str,
    date: NaiveDate,
) -> Vec<twir_events::pipeline::SourceReport> {
    use twir_events::config::SourceKind;
    use twir_events::pipeline::SourceReport;
    use twir_events::run::{Failure, SourceStatus, SuspectReason};
    vec![
        SourceReport {
            kind: SourceKind::Meetup,
            url: link.to_string(),
            label: text.to_string(),
            events: 1,
            state: SourceStatus::Failed(Failure::FeedAndPage {
                feed: Box::new(Failure::Read(text.to_string())),
                page: Box::new(Failure::Read(text.to_string())),
            }),
            warnings: vec![text.to_string()],
            redirected_to: Some(link.to_string()),
            also_at: vec![],
            latest_event: Some(date),
            fallback: Some(text.to_string()),
            carried_over: 1,
        },
        SourceReport {
            kind: SourceKind::Ical,
            url: link.to_string(),
            label: text.to_string(),
            events: 1,
            state: SourceStatus::Suspect(SuspectReason::PageWithoutEventData(text.to_string())),
            warnings: vec![],
            redirected_to: None,
            also_at: vec![],
            latest_event: None,
            fallback: None,
            carried_over: 0,
        },
    ]
}

/// An outcome with `text` in every text field and `link` in every link field.
fn hostile_outcome(text: &str, link: &str) -> twir_events::pipeline::Outcome {
    use twir_events::dedupe::{EntryRef, Evidence, Merge, PossibleDuplicate};
    use twir_events::model::{Attendance, Event, Mirror, Organizer, Place, RawEvent, When};
    use twir_events::pipeline::{Filtered, LeftOut, Outcome, PageProblem, Unverified};
    use twir_events::verify::Correction;
    let date = day("2026-09-02");
    let organizer = Organizer {
        name: text.to_string(),
        url: Some(link.to_string()),
        home: Some(Place::new(Some(text), Some(text), Some("US"))),
    };
    let event = Event {
        title: text.to_string(),
        url: link.to_string(),
        start_date: date,
        end_date: date,
        start: Some("2026-09-02T19:00:00+02:00".parse().unwrap()),
        end: Some("2026-09-02T21:00:00+02:00".parse().unwrap()),
        attendance: Attendance::Hybrid,
        place: Some(Place::new(Some(text), None, Some("DE"))),
        organizer: organizer.clone(),
        regions: vec![Region::Virtual, Region::Europe],
        mirrors: vec![Mirror {
            organizer: organizer.clone(),
            url: link.to_string(),
            label: text.to_string(),
        }],
        sources: vec![text.to_string()],
        from_page: false,
        in_calendar: true,
        // Carried over: its last-seen time (the previous file's text) is said too.
        carried: true,
        last_seen: Some(text.to_string()),
        uid: Some(text.to_string()),
    };
    let mut later = event.clone();
    later.start_date = day("2026-10-20");
    later.end_date = later.start_date;
    let mut raw = RawEvent::new(text, text, When::Date(date));
    raw.url = Some(link.to_string());
    raw.links = vec![link.to_string()];
    let entry = EntryRef {
        title: text.to_string(),
        url: link.to_string(),
        start_date: date,
        organizer: text.to_string(),
        regions: vec![Region::Europe],
        sources: vec![text.to_string()],
    };
    Outcome {
        undeduplicated: vec![event.clone()],
        events: vec![event],
        reports: hostile_reports(text, link, date),
        dropped: vec![LeftOut {
            event: raw.clone(),
            date,
            reason: text.to_string(),
            called_off_on_page: None,
        }],
        notes: vec![text.to_string()],
        merges: vec![Merge {
            kept: entry.clone(),
            absorbed: entry.clone(),
            evidence: Evidence::SameListing {
                url: link.to_string(),
                title_similarity: 1.0,
            },
        }],
        possible_duplicates: vec![PossibleDuplicate {
            a: entry.clone(),
            b: entry,
            reason: text.to_string(),
            code: "different-places",
            title_similarity: 0.5,
            organizer_similarity: 0.5,
        }],
        outside_window: vec![later],
        filtered: vec![Filtered {
            event: raw.clone(),
            date,
        }],
        corrections: vec![Correction {
            event: format!("{text:?} ({link})"),
            title: text.to_string(),
            url: Some(link.to_string()),
            field: "start",
            calendar: text.to_string(),
            page: text.to_string(),
        }],
        unverified: vec![Unverified {
            event: raw,
            date,
            code: PageProblem::Unreadable,
            reason: text.to_string(),
            page: Some(text.to_string()),
            unreachable: None,
        }],
    }
}

/// What is wrong with a page, if anything: a script, style or element that is not ours, an
/// event handler, a link that is not ours or a checked http(s) link from `allowed`.
fn page_problems(html: &str, allowed: &[String], ours: &(String, String)) -> Vec<String> {
    const ELEMENTS: &[&str] = &[
        "html", "head", "meta", "title", "style", "body", "header", "h1", "p", "time", "a", "nav",
        "ul", "li", "label", "br", "input", "span", "main", "section", "h2", "h3", "div",
        "details", "summary", "strong", "table", "thead", "tbody", "tr", "th", "td", "footer",
        "script",
    ];
    let doc = scraper::Html::parse_document(html);
    let mut problems = Vec::new();
    let scripts = select(&doc, "script");
    if scripts.len() != 1 || scripts[0].inner_html() != ours.0 {
        problems.push(format!("{} scripts, or not ours", scripts.len()));
    }
    let styles = select(&doc, "style");
    if styles.len() != 1 || styles[0].inner_html() != ours.1 {
        problems.push(format!("{} styles, or not ours", styles.len()));
    }
    if select(&doc, "meta").len() != 5 || select(&doc, "input").len() != 1 {
        problems.push("a meta or input element that is not ours".into());
    }
    for el in select(&doc, "*") {
        let v = el.value();
        if !ELEMENTS.contains(&v.name()) {
            problems.push(format!("an element <{}>", v.name()));
        }
        for (name, value) in v.attrs() {
            if name.starts_with("on") || matches!(name, "src" | "style" | "srcdoc" | "formaction") {
                problems.push(format!("an attribute {name}={value:?}"));
            }
            if name == "href" {
                #[expect(
                    clippy::case_sensitive_file_extension_comparisons,
                    reason = "the page's own feed links are written in lower case; another case is not ours"
                )]
                let ours = value.starts_with('#')
                    || value == "events.json"
                    || (value.ends_with(".ics") && !value.contains(['/', ':']))
                    || value.starts_with("https://www.google.com/calendar/embed?src=");
                if !ours && !allowed.iter().any(|a| a == value) {
                    problems.push(format!("a link {value:?}"));
                }
            }
        }
    }
    problems
}

#[test]
fn hostile_content_puts_no_script_handler_or_foreign_link_in_the_page() {
    use twir_events::render::html::{Page, page};
    let window = twir_events::model::Window {
        from: day("2026-08-26"),
        to: day("2026-09-23"),
    };
    let render = |o: &twir_events::pipeline::Outcome| {
        page(&Page {
            outcome: o,
            window: &window,
            generated_at: "2026-08-26T09:00:00+00:00",
            feeds_to: day("2026-10-21"),
            horizon: 0,
            later: &o.outside_window,
        })
    };
    // Our own script and style, from a harmless page.
    let clean = render(&hostile_outcome(
        "Rust Hack Night",
        "https://ok.example/events/1/",
    ));
    let doc = scraper::Html::parse_document(&clean);
    let ours = (
        select(&doc, "script")[0].inner_html(),
        select(&doc, "style")[0].inner_html(),
    );
    let normal_link = "https://ok.example/events/1/".to_string();
    let texts = payloads("TEXTS");
    let links = payloads("LINKS");
    assert!(
        texts.len() >= 40 && links.len() >= 20,
        "{} {}",
        texts.len(),
        links.len()
    );
    let long = "A very long title ".repeat(200);
    let mut failures = Vec::new();
    let mut cases = 0;
    for t in texts.iter().chain([&long]) {
        cases += 1;
        let html = render(&hostile_outcome(t, &normal_link));
        let mut problems = page_problems(&html, std::slice::from_ref(&normal_link), &ours);
        // The text is shown as text, whole but for control characters (line breaks and tabs
        // kept).
        let shown: String = t
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        let doc = scraper::Html::parse_document(&html);
        let title: String = select(&doc, "li.event .title strong")[0].text().collect();
        if title != shown {
            problems.push(format!("the title shows as {title:?}"));
        }
        if !problems.is_empty() {
            failures.push(format!("text {t:?}: {}", problems.join("; ")));
        }
    }
    for l in links.iter().chain(texts.iter().take(10)) {
        cases += 1;
        let html = render(&hostile_outcome("Rust Hack Night", l));
        // Only a link that passes the tool's check may be printed, as that check returns it.
        let allowed: Vec<String> = twir_events::link::safe(l).into_iter().collect();
        let problems = page_problems(&html, &allowed, &ours);
        if !problems.is_empty() {
            failures.push(format!("link {l:?}: {}", problems.join("; ")));
        }
    }
    eprintln!("hostile page: {cases} cases, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // The checker catches what it is meant to catch.
    let bad = clean.replace(
        "<main>",
        "<main><img src=x onerror=alert(1)><a href=\"javascript:x\">x</a>",
    );
    assert_eq!(
        page_problems(&bad, std::slice::from_ref(&normal_link), &ours).len(),
        4
    );
    let bad = clean.replace("</main>", "<script>alert(1)</script></main>");
    assert!(!page_problems(&bad, &[normal_link], &ours).is_empty());
}

#[test]
fn hostile_content_stays_inside_its_ics_values() {
    use twir_events::render::ics::calendar;
    let generated = "2026-08-26T09:00:00Z".parse().unwrap();
    let normal_link = "https://ok.example/events/1/";
    let long = "A very long title ".repeat(200);
    let mut failures = Vec::new();
    let texts = payloads("TEXTS");
    let links = payloads("LINKS");
    let mut cases: Vec<(String, String)> = texts
        .iter()
        .chain([&long])
        .map(|t| (t.clone(), normal_link.to_string()))
        .collect();
    cases.extend(
        links
            .iter()
            .chain(texts.iter().take(10))
            .map(|l| ("Rust Hack Night".to_string(), l.clone())),
    );
    for (t, l) in &cases {
        let outcome = hostile_outcome(t, l);
        let events: Vec<&twir_events::model::Event> = outcome.events.iter().collect();
        let uids = twir_events::render::ics::Uids::of(events.iter().copied());
        let text = calendar(&events, &uids, "Rust events", "test", generated);
        let mut problems = Vec::new();
        if text.contains('\r') && text.split("\r\n").any(|line| line.contains('\r')) {
            problems.push("a bare CR".to_string());
        }
        let read = read_feed(&text);
        if read.len() != 1 {
            problems.push(format!("{} events", read.len()));
        }
        // The value is the text, whole but for control characters (CRLF read back as LF).
        let expected: String = t
            .replace("\r\n", "\n")
            .chars()
            .filter(|c| !c.is_control() || matches!(c, '\n' | '\t'))
            .collect();
        if let Some(r) = read.first() {
            if r.summary != expected {
                problems.push(format!("SUMMARY read back as {:?}", r.summary));
            }
            let allowed = twir_events::link::safe(l)
                .and_then(|u| url::Url::parse(&u).ok())
                .map(String::from)
                .unwrap_or_default();
            if r.url != allowed {
                problems.push(format!("URL {:?}", r.url));
            }
            if r.categories != ["Virtual", "Europe"] {
                problems.push(format!("CATEGORIES {:?}", r.categories));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{t:?} / {l:?}: {}", problems.join("; ")));
        }
    }
    eprintln!(
        "hostile ics: {} cases, {} failures",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
