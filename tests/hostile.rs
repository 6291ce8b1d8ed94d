//! Hostile content: strangers' pages and calendar entries must not change the section's
//! structure or put a link other than http(s) into it.
//!
//! Each case plants one payload in one field of a real-looking source (a meetup group page's
//! Apollo cache, a schema.org JSON-LD page, a Google Calendar entry), runs the real readers and
//! pipeline, renders the block, and renders that to HTML with a `CommonMark` renderer
//! (`pulldown-cmark`, with GitHub's extensions on). The HTML may hold only `p a strong em code ul
//! li h3` (`del` would come from `~~`), exactly two `<li>` per entry (the entry and its title
//! line), only `href`s that start with `http://` or `https://`, and the known section headers.

use crate::common;
use common::{MapFetcher, REGION_HEADERS};

use std::collections::HashMap;
use twir_events::config::Config;
use twir_events::model::Window;
use twir_events::newsletter::write as markdown;
use twir_events::pipeline;

/// Text payloads: markup, structure, invisible characters, length.
const TEXTS: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<iframe src=https://evil.example/></iframe>",
    "<!-- comment -->",
    "<![CDATA[x]]>",
    "<?php echo 1 ?>",
    "</li></ul><h1>x</h1>",
    "[x](javascript:alert(1))",
    "[x](https://evil.example/)",
    "![img](https://evil.example/x.png)",
    "[x][calendar]",
    "<https://evil.example/>",
    "<javascript:alert(1)>",
    "x\n* fake entry",
    "x\n### Header",
    "x\r\n\r\n# Title",
    "x\n\n    code block",
    "x\n---",
    "x\n> quote",
    "x\n1. list",
    "x\n| a | b |\n| - | - |",
    "**bold** __bold__",
    "*em* _em_",
    "~~struck~~",
    "`code` `unbalanced",
    "``a`b``",
    "trailing backslash \\",
    "\\[escaped\\]",
    "a | b | c",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#60;script&#62;",
    "\u{202E}gnp.exe",
    "zero\u{200B}width\u{FEFF}chars",
    "bell\u{0007}and\u{001B}[31mescape",
    "tab\tand\u{000B}vertical",
    "line\u{2028}separator",
    "x\u{0000}nul",
    "[link](<javascript:alert(1)>)",
    "<style>body{display:none}</style>",
    "joined\u{200D}letters\u{200C}and 🦀\u{200D} loose joiners",
    "hidden\u{E0069}\u{E0067}\u{E006E}tags 🏴\u{E0041}\u{E0042}\u{E007F}",
    "\u{FE0F}selectors\u{E0100}\u{2066}isolates\u{2069}",
];

/// Link payloads for the fields that are links.
const LINKS: &[&str] = &[
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    "&#106;avascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "//evil.example/x",
    "/relative",
    "https://www.meetup.com@evil.example/",
    "https://evil.example/x)](javascript:alert(1)",
    "https://evil.example/<script>",
    "https://evil.example/\"onmouseover=\"alert(1)",
    "https://evil.example/ x",
    " https://ok.example/events/1/",
    "\u{202E}https://evil.example/",
    "mailto:a@evil.example",
    "ftp://evil.example/",
    "https:/evil.example",
    "http://",
    "http://127.0.0.2:8080/admin/",
    "http://[::1]/",
    "http://169.254.169.254/latest/meta-data/",
    "http://localhost:8080/",
    "http://192.168.1.1/",
];

/// Whether a link payload points to this machine or its network.
fn is_private_payload(payload: &str) -> bool {
    ["127.0.0.", "[::1]", "169.254.", "localhost", "192.168."]
        .iter()
        .any(|p| payload.contains(p))
}

fn long() -> String {
    "A very long title ".repeat(200)
}

#[derive(Clone, Copy, Debug)]
enum Field {
    MeetupTitle,
    MeetupGroupName,
    MeetupVenueCity,
    MeetupEventUrl,
    JsonLdName,
    JsonLdOrganizer,
    JsonLdLocality,
    JsonLdUrl,
    IcalSummary,
    IcalLocation,
    IcalDescriptionLink,
}

const GROUP: &str = "https://www.meetup.com/rust-hostile/";
const PAGE: &str = "https://events.example.org/rust-day/";
const CAL: &str = "https://calendar.google.com/calendar/ical/hostile%40group.calendar.google.com/public/basic.ics";

fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn meetup_page(title: &str, group: &str, city: &str, url: &str) -> String {
    let state = format!(
        r#"{{"ROOT_QUERY":{{"__typename":"Query","groupByUrlname({{\"urlname\":\"rust-hostile\"}})":{{"__ref":"Group:1"}}}},
"Group:1":{{"__typename":"Group","id":"1","name":{group},"urlname":"rust-hostile","city":"Berlin","state":"","country":"de","timezone":"Europe/Berlin","link":"https://www.meetup.com/rust-hostile/",
"events({{\"filter\":{{\"status\":\"ACTIVE\"}},\"first\":20,\"sort\":\"ASC\"}})":{{"__typename":"GroupEventConnection","totalCount":1,"pageInfo":{{"__typename":"PageInfo","hasNextPage":false,"endCursor":"MQ=="}},"edges":[{{"__typename":"GroupEventEdge","node":{{"__ref":"Event:315000001"}}}}]}}}},
"Venue:9":{{"__typename":"Venue","id":"9","name":"Venue","address":"Str. 1","city":{city},"state":"","country":"de","postalCode":"10997"}},
"Event:315000001":{{"__typename":"Event","id":"315000001","title":{title},"eventUrl":{url},"description":"talks","dateTime":"2026-09-02T18:30:00+02:00","endTime":"2026-09-02T21:00:00+02:00","timezone":"Europe/Berlin","group":{{"__ref":"Group:1"}},"eventType":"PHYSICAL","isOnline":false,"venue":{{"__ref":"Venue:9"}},"status":"ACTIVE"}}}}"#,
        group = json(group),
        city = json(city),
        title = json(title),
        url = json(url),
    );
    let data = format!(
        r#"{{"props":{{"pageProps":{{"__APOLLO_STATE__":{state},"groupUrlname":"rust-hostile"}}}},"page":"/[groupUrlname]/events","query":{{}},"buildId":"x"}}"#
    );
    // As Next.js writes it: `<` escaped inside the script, so no payload ends it.
    let data = data.replace('<', "\\u003c");
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Events | Meetup</title></head><body><div id=\"__next\"></div><script id=\"__NEXT_DATA__\" type=\"application/json\">{data}</script></body></html>"
    )
}

fn jsonld_page(name: &str, organizer: &str, locality: &str, url: &str) -> String {
    let ld = format!(
        r#"{{"@context":"https://schema.org","@type":"Event","name":{name},"url":{url},"startDate":"2026-09-03T09:00:00+02:00","endDate":"2026-09-03T17:00:00+02:00","eventStatus":"https://schema.org/EventScheduled","eventAttendanceMode":"https://schema.org/OfflineEventAttendanceMode","location":{{"@type":"Place","name":"Hall","address":{{"@type":"PostalAddress","addressLocality":{locality},"addressCountry":"DE"}}}},"organizer":{{"@type":"Organization","name":{organizer},"url":"https://events.example.org/"}}}}"#,
        name = json(name),
        url = json(url),
        locality = json(locality),
        organizer = json(organizer),
    );
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Rust Day</title><script type=\"application/ld+json\">{}</script></head><body><h1>Rust Day</h1></body></html>",
        ld.replace("</", "<\\/")
    )
}

/// An iCal TEXT value: backslash, semicolon, comma and newline escaped (RFC 5545 §3.3.11).
fn ical_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace("\r\n", "\\n")
        .replace(['\n', '\r'], "\\n")
}

fn calendar(summary: &str, location: &str, link: &str) -> String {
    let description = format!(
        "Talks. RSVP: <a href=\"{}\">{}</a>",
        link.replace('"', "&quot;"),
        link
    );
    format!(
        "BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nVERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\nX-WR-CALNAME:Rust Community\r\nX-WR-TIMEZONE:UTC\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Europe/Berlin:20260904T190000\r\nDTEND;TZID=Europe/Berlin:20260904T210000\r\nDTSTAMP:20260819T090000Z\r\nUID:hostile1@google.com\r\nDESCRIPTION:{}\r\nLOCATION:{}\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nSUMMARY:{}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        ical_text(&description),
        ical_text(location),
        ical_text(summary)
    )
}

/// One source holding `payload` in `field`; the other fields are ordinary.
fn case(field: Field, payload: &str) -> (Config, MapFetcher) {
    use Field::*;
    let pick = |f: Field, normal: &str| -> String {
        if std::mem::discriminant(&f) == std::mem::discriminant(&field) {
            payload.to_string()
        } else {
            normal.to_string()
        }
    };
    let (toml, url, body) = match field {
        MeetupTitle | MeetupGroupName | MeetupVenueCity | MeetupEventUrl => (
            format!("[[source]]\nkind = \"meetup\"\nurl = \"{GROUP}\"\n"),
            format!("{GROUP}events/"),
            meetup_page(
                &pick(MeetupTitle, "Rust Hack Night"),
                &pick(MeetupGroupName, "Rust Hostile"),
                &pick(MeetupVenueCity, "Berlin"),
                &pick(
                    MeetupEventUrl,
                    "https://www.meetup.com/rust-hostile/events/315000001/",
                ),
            ),
        ),
        JsonLdName | JsonLdOrganizer | JsonLdLocality | JsonLdUrl => (
            format!("[[source]]\nkind = \"jsonld\"\nurl = \"{PAGE}\"\n"),
            PAGE.to_string(),
            jsonld_page(
                &pick(JsonLdName, "Rust Day"),
                &pick(JsonLdOrganizer, "Rust Day e.V."),
                &pick(JsonLdLocality, "Hamburg"),
                &pick(JsonLdUrl, PAGE),
            ),
        ),
        IcalSummary | IcalLocation | IcalDescriptionLink => (
            format!("[[source]]\nkind = \"ical\"\nurl = \"{CAL}\"\nname = \"Calendar\"\n"),
            CAL.to_string(),
            calendar(
                &pick(IcalSummary, "Rust Cologne: September talks"),
                &pick(IcalLocation, "Cologne, Germany"),
                &pick(
                    IcalDescriptionLink,
                    "https://rust-cologne.example.org/2026-09/",
                ),
            ),
        ),
    };
    (
        Config::parse(&toml, "hostile.toml").unwrap(),
        MapFetcher(HashMap::from([(url, body.into_bytes())])),
    )
}

const ALLOWED: &[&str] = &["p", "a", "strong", "em", "code", "ul", "li", "h3"];

/// What is wrong with the HTML of a block of `entries` entries, if anything.
fn check_html(html: &str, entries: usize) -> Result<(), String> {
    let parser = pulldown_cmark::Parser::new_ext(html, pulldown_cmark::Options::all());
    let mut li = 0;
    let mut in_h3 = false;
    let mut h3_text = String::new();
    for event in parser {
        use pulldown_cmark::{Event, Tag, TagEnd};
        match event {
            Event::Start(tag) => {
                let name = match &tag {
                    Tag::Paragraph => "p",
                    Tag::Link { dest_url, .. } => {
                        let d = dest_url.to_string();
                        if !(d.starts_with("http://") || d.starts_with("https://")) {
                            return Err(format!("a link to {d:?}"));
                        }
                        if d.chars().any(|c| c.is_whitespace() || c == '"' || c == '<') {
                            return Err(format!("a link with unencoded characters {d:?}"));
                        }
                        "a"
                    }
                    Tag::Strong => "strong",
                    Tag::Emphasis => "em",
                    Tag::List(None) => "ul",
                    Tag::Item => {
                        li += 1;
                        "li"
                    }
                    Tag::Heading { level, .. } if *level == pulldown_cmark::HeadingLevel::H3 => {
                        in_h3 = true;
                        h3_text.clear();
                        "h3"
                    }
                    other => return Err(format!("an element {other:?}")),
                };
                assert!(ALLOWED.contains(&name));
            }
            Event::End(TagEnd::Heading(_)) => {
                in_h3 = false;
                if !REGION_HEADERS.contains(&h3_text.as_str()) {
                    return Err(format!("a header {h3_text:?}"));
                }
            }
            Event::Text(t) if in_h3 => h3_text.push_str(&t),
            Event::Html(h) | Event::InlineHtml(h) => return Err(format!("raw HTML {h:?}")),
            Event::Code(_) | Event::Text(_) | Event::SoftBreak | Event::End(_) => {}
            Event::HardBreak => return Err("a hard line break".into()),
            other => return Err(format!("{other:?}")),
        }
    }
    // The footer's reference links are the only other links; two <li> per entry.
    if li != 2 * entries {
        return Err(format!("{li} <li> for {entries} entries"));
    }
    Ok(())
}

#[test]
fn hostile_content_cannot_change_the_section_or_inject_links() {
    use Field::*;
    let window = Window {
        from: "2026-08-26".parse().unwrap(),
        to: "2026-09-23".parse().unwrap(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let text_fields = [
        MeetupTitle,
        MeetupGroupName,
        MeetupVenueCity,
        JsonLdName,
        JsonLdOrganizer,
        JsonLdLocality,
        IcalSummary,
        IcalLocation,
    ];
    let link_fields = [MeetupEventUrl, JsonLdUrl, IcalDescriptionLink];
    let long = long();
    let mut cases: Vec<(Field, String)> = Vec::new();
    for f in text_fields {
        for t in TEXTS.iter().copied().chain([long.as_str()]) {
            cases.push((f, t.to_string()));
        }
    }
    for f in link_fields {
        for l in LINKS.iter().chain(TEXTS.iter().take(10)) {
            cases.push((f, l.to_string()));
        }
    }
    let (mut passed, mut failures) = (0, Vec::new());
    let mut printed_entries = 0;
    for (field, payload) in &cases {
        let (config, fetcher) = case(*field, payload);
        let outcome = runtime.block_on(pipeline::run(&config, &fetcher, &window));
        let block = markdown::render(&outcome.events, &window);
        // The footer (ours, with its `mailto:` link) is not checked.
        let block = block
            .split("If you are running a Rust event")
            .next()
            .unwrap_or_default()
            .to_string();
        let entries = outcome
            .events
            .iter()
            .map(|e| e.regions.len())
            .sum::<usize>();
        printed_entries += entries;
        let mut problems = Vec::new();
        if let Err(e) = check_html(&block, entries) {
            problems.push(e);
        }
        // A link payload never reaches the output; a text payload's entry is still there.
        let is_link_field = link_fields
            .iter()
            .any(|f| std::mem::discriminant(f) == std::mem::discriminant(field));
        if !is_link_field && entries == 0 {
            problems.push("the entry disappeared".into());
        }
        if is_link_field
            && (payload.contains("evil.example")
                || payload.contains("script")
                || is_private_payload(payload))
            && block.contains(payload.trim())
            && !payload.starts_with("https://evil.example/ x")
        {
            problems.push("the payload link is printed".into());
        }
        let longest = block.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        if longest > 1200 {
            problems.push(format!("a line of {longest} characters"));
        }
        if problems.is_empty() {
            passed += 1;
        } else {
            failures.push(format!(
                "{field:?} = {payload:?}: {}\n{block}",
                problems.join("; ")
            ));
        }
    }
    eprintln!(
        "hostile content: {passed} of {} cases passed ({printed_entries} entries printed)",
        cases.len()
    );
    assert!(cases.len() >= 300, "{} cases", cases.len());
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The checker itself catches what it is meant to catch.
#[test]
fn the_html_check_can_fail() {
    let ok = "### Europe\n\n* 2026-09-02 | Berlin, DE | [G](https://g.example/)\n    * [**T**](https://t.example/)\n";
    assert_eq!(check_html(ok, 1), Ok(()));
    for bad in [
        "### Europe\n\n* 2026-09-02 | Berlin, DE | [G](javascript:alert(1))\n    * [**T**](https://t.example/)\n",
        "### Europe\n\n* 2026-09-02 | <script>x</script> | [G](https://g.example/)\n    * [**T**](https://t.example/)\n",
        "### Europe\n\n* 2026-09-02 | Berlin | [G](https://g.example/)\n* fake\n    * [**T**](https://t.example/)\n",
        "### Header\n\n* 2026-09-02 | Berlin | [G](https://g.example/)\n    * [**T**](https://t.example/)\n",
        "### Europe\n\n* 2026-09-02 | ![i](https://i.example/x.png) | [G](https://g.example/)\n    * [**T**](https://t.example/)\n",
    ] {
        assert!(check_html(bad, 1).is_err(), "{bad}");
    }
}

/// Emoji sequences (a ZWJ between two emoji, a subdivision flag's tags, variation selectors)
/// reach every output whole, from each kind of source: a meetup page's title and group name,
/// a JSON-LD page's name and organizer, a calendar entry's summary. The characters around them
/// that could hide text do not.
#[test]
fn emoji_sequences_reach_every_output_whole() {
    use Field::*;
    const SEQUENCES: &[&str] = &[
        "🏳️\u{200D}🌈",
        "👩\u{200D}💻",
        "🧑\u{200D}🤝\u{200D}🧑",
        "🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}",
        "🎙️",
    ];
    let window = Window {
        from: "2026-08-26".parse().unwrap(),
        to: "2026-09-23".parse().unwrap(),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let generated_at = chrono::DateTime::parse_from_rfc3339("2026-08-26T09:00:00+00:00").unwrap();
    let mut checked = 0;
    for field in [
        MeetupTitle,
        MeetupGroupName,
        JsonLdName,
        JsonLdOrganizer,
        IcalSummary,
    ] {
        for seq in SEQUENCES {
            let text = format!("Rust {seq} on location\u{200B}\u{202E}");
            let (config, fetcher) = case(field, &text);
            let outcome = runtime.block_on(pipeline::run(&config, &fetcher, &window));
            let expected = format!("Rust {seq} on location");
            let mut outputs = vec![(
                "Markdown".to_string(),
                markdown::render(&outcome.events, &window),
            )];
            for (name, body) in twir_events::publish::files(&outcome, &window, generated_at, 8) {
                let body = if common::is_ics(&name) {
                    String::from_utf8(common::unfold(body.as_bytes())).unwrap()
                } else {
                    body
                };
                outputs.push((name, body));
            }
            for (name, body) in &outputs {
                if common::is_ics(name) && !body.contains("BEGIN:VEVENT") {
                    continue; // a section's feed without this event
                }
                assert!(
                    body.contains(&expected),
                    "{field:?}: {name} lacks {expected:?}:\n{body}"
                );
                assert!(
                    !body.contains('\u{200B}') && !body.contains('\u{202E}'),
                    "{field:?}: {name} kept a hidden character"
                );
                checked += 1;
            }
        }
    }
    // Markdown, events.ics, the entry's section feed, index.html and events.json, at least.
    assert!(
        checked >= 5 * SEQUENCES.len() * 5,
        "{checked} outputs checked"
    );
}
