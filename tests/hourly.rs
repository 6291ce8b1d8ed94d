//! The hourly job across failures: `json --out FILE` run hour after hour (a fixed `--today`)
//! against a loopback server serving `snapshots/2023-02-01/`, while a different few sources
//! fail each hour (500, 404, 429, a body cut short, a body that is not UTF-8, a sign-in page,
//! the community calendar answering empty or failing). What the first, all-sources-up run
//! verified must not be undone by an outage: after every hour the file lists every event of
//! that run, once, on the same dates, with the same event links (no duplicate beside the
//! calendar's less precise copy, no date the calendar got wrong back, no event link degraded
//! to its group's root); each source that failed is named so, and its events are kept,
//! marked stale; the last hour, every source up again, gives the first hour's events back.
//!
//! The server answers as the real hosts, so the identity rules of meetup links apply as in
//! production: the binary reaches it as its HTTP proxy, the sources' `https://` links of the
//! served hosts rewritten to `http://`. Any other https request goes to a refused proxy.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common;
use crate::server;
use common::{binary, is_ics, refused_port, replace, root, unfold};
use server::{Reply, Routes, answer};

const SNAPSHOT: &str = "snapshots/2023-02-01";
const TODAY: &str = "2023-02-01";
/// The served hosts: their links are rewritten to `http://`.
const HOSTS: [&str; 4] = [
    "www.meetup.com",
    "calendar.google.com",
    "www.rustnationuk.com",
    "mobilizon.fr",
];
const CALENDAR: &str = "Rust Community Calendar";
/// Not a source: the event page a calendar entry links (the event is cancelled there).
const MUNICH_PAGE: &str = "Rust Munich's event page";
/// A bound on one run (each takes well under a second, and about a second of retries).
const RUN_BOUND: Duration = Duration::from_secs(30);

fn to_http(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    for h in HOSTS {
        out = replace(&out, &format!("https://{h}"), &format!("http://{h}"));
        out = replace(
            &out,
            &format!("https%3A%2F%2F{h}"),
            &format!("http%3A%2F%2F{h}"),
        );
    }
    out
}

/// The snapshot's answers, by (rewritten) URL: content type and body.
type Answers = HashMap<String, (String, Arc<Vec<u8>>)>;

fn answers() -> Answers {
    let snap = root().join(SNAPSHOT);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(snap.join("manifest.json")).unwrap())
            .unwrap();
    let mut out = Answers::new();
    for r in manifest["responses"].as_array().unwrap() {
        let (url, file) = (r["url"].as_str().unwrap(), r["file"].as_str().unwrap());
        let mut body = std::fs::read(snap.join(file)).unwrap();
        if is_ics(url) {
            body = unfold(&body);
        }
        let url = String::from_utf8(to_http(url.as_bytes())).unwrap();
        let ct = r["content_type"].as_str().unwrap_or("text/html").to_owned();
        out.insert(url, (ct, Arc::new(to_http(&body))));
    }
    out
}

/// How a source misbehaves for an hour.
#[derive(Clone, Copy, Debug)]
enum Fault {
    Status(u16),
    CutOff,
    /// The page sent as UTF-16 (a server's mis-encoding): not UTF-8.
    NotUtf8,
    /// A sign-in page answered with status 200, no event data.
    SignIn,
    /// A valid calendar without a single event.
    EmptyCalendar,
}

impl Fault {
    fn reply(self, ct: &str, body: &Arc<Vec<u8>>) -> Reply {
        let ok = |content_type: &str, body: Vec<u8>| Reply::Ok {
            content_type: content_type.into(),
            body: Arc::new(body),
        };
        match self {
            Fault::Status(429) => Reply::Status {
                code: 429,
                headers: vec![("retry-after", "1".into())],
            },
            Fault::Status(code) => Reply::Status {
                code,
                headers: vec![],
            },
            Fault::CutOff => Reply::CutOff { body: body.clone() },
            Fault::NotUtf8 => {
                let text = String::from_utf8_lossy(body);
                let mut utf16 = vec![0xFF, 0xFE];
                utf16.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
                ok(ct, utf16)
            }
            Fault::SignIn => ok(
                "text/html; charset=utf-8",
                b"<!DOCTYPE html><html><head><title>Login to Meetup | Meetup</title></head>\
                  <body><form action=\"/login/\"><h1>Log in</h1><input name=\"email\">\
                  </form></body></html>"
                    .to_vec(),
            ),
            Fault::EmptyCalendar => ok(
                ct,
                b"BEGIN:VCALENDAR\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\n\
                  VERSION:2.0\r\nCALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n\
                  X-WR-CALNAME:Rust Community\r\nX-WR-TIMEZONE:UTC\r\nEND:VCALENDAR\r\n"
                    .to_vec(),
            ),
        }
    }

    /// The status the file must give the source.
    fn status(self) -> &'static str {
        match self {
            Fault::Status(_) | Fault::CutOff => "failed",
            Fault::NotUtf8 | Fault::SignIn | Fault::EmptyCalendar => "suspect",
        }
    }
}

/// Which sources fail how in each hour: (source label, the part of the URLs it serves, the
/// fault). A meetup group's fault hits its group page and its event pages alike (the group
/// is down, so the calendar's entries linking its events cannot be checked either).
fn hours() -> Vec<Vec<(&'static str, &'static str, Fault)>> {
    const CAL: &str = "calendar.google.com/";
    const OTS: &str = "/opentechschool-berlin/";
    const TLV: &str = "/rust-tlv/";
    vec![
        vec![],
        vec![
            ("OpenTechSchool Berlin", OTS, Fault::Status(500)),
            ("Rust TLV", TLV, Fault::Status(404)),
        ],
        vec![
            (CALENDAR, CAL, Fault::EmptyCalendar),
            (
                "Rust Meetup Hamburg",
                "/rust-meetup-hamburg/",
                Fault::Status(429),
            ),
            (
                "Microsoft Reactor New York",
                "/microsoft-reactor-new-york/",
                Fault::SignIn,
            ),
        ],
        vec![
            ("OpenTechSchool Berlin", OTS, Fault::CutOff),
            ("Rust TLV", TLV, Fault::NotUtf8),
            ("Rust Zurich", "/rust-zurich/", Fault::Status(500)),
            // No source: the calendar's entry links this page, which said "cancelled".
            (
                MUNICH_PAGE,
                "/rust-munich/events/291120384/",
                Fault::Status(500),
            ),
        ],
        vec![
            (CALENDAR, CAL, Fault::Status(500)),
            ("Rust TLV", TLV, Fault::SignIn),
            (
                "Microsoft Reactor Redmond",
                "/microsoft-reactor-redmond/",
                Fault::Status(404),
            ),
        ],
        vec![
            ("OpenTechSchool Berlin", OTS, Fault::NotUtf8),
            ("Rust NYC", "/rust-nyc/", Fault::CutOff),
            (
                "Rust Nation UK",
                "www.rustnationuk.com/",
                Fault::Status(500),
            ),
        ],
        vec![
            (CALENDAR, CAL, Fault::CutOff),
            ("OpenTechSchool Berlin", OTS, Fault::SignIn),
            ("Rust TLV", TLV, Fault::Status(429)),
        ],
        vec![],
    ]
}

/// The routes of an hour: every answer, the failing sources' replaced by their fault's.
fn routes(answers: &Answers, faults: &[(&str, &str, Fault)]) -> Routes {
    let mut routes = HashMap::new();
    for (url, (ct, body)) in answers {
        let lower = url.to_lowercase();
        let reply = match faults.iter().find(|(_, part, _)| lower.contains(part)) {
            Some((_, _, fault)) => fault.reply(ct, body),
            None => Reply::Ok {
                content_type: ct.clone(),
                body: body.clone(),
            },
        };
        routes.insert(url.clone(), reply);
    }
    Arc::new(routes)
}

/// The proxy every served host is reached through: each connection answered with the hour's
/// routes (by the request's absolute URL).
fn start_proxy(current: Arc<Mutex<Routes>>) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener).unwrap();
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    let routes = current.lock().unwrap().clone();
                    tokio::spawn(answer(stream, routes));
                }
            }
        });
    });
    port
}

/// One hour's `json --out`: its exit code and stderr.
fn run_hour(sources: &Path, out: &Path, proxy: u16) -> (Option<i32>, String) {
    let http = format!("http://127.0.0.1:{proxy}");
    let refused = format!("http://127.0.0.1:{}", refused_port());
    let started = Instant::now();
    let o = Command::new(binary())
        .args(["json", "--out"])
        .arg(out)
        .arg("--sources")
        .arg(sources)
        .args(["--today", TODAY, "--no-cache", "--deadline", "25", "-q"])
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("HTTP_PROXY", &http)
        .env("http_proxy", &http)
        .env("HTTPS_PROXY", &refused)
        .env("https_proxy", &refused)
        .output()
        .unwrap();
    assert!(started.elapsed() < RUN_BOUND, "{:?}", started.elapsed());
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// An event link as the test compares it: a meetup event by its id, else the link without
/// scheme, case and trailing slash.
fn link_key(url: &str) -> String {
    let u = url.to_lowercase();
    let u = u.split_once("://").map_or(u.as_str(), |(_, rest)| rest);
    let u = u.trim_end_matches('/');
    match u.split_once("/events/") {
        Some((host_group, id)) if host_group.starts_with("www.meetup.com/") => {
            format!("meetup event {}", id.split('/').next().unwrap_or(id))
        }
        _ => u.to_string(),
    }
}

/// Whether a link is a meetup group's root (no event of its own).
fn is_group_root(url: &str) -> bool {
    let k = link_key(url);
    k.starts_with("www.meetup.com/") && k.matches('/').count() == 1
}

/// An entry's title and date as the test compares them ("Group: Title" as "Title").
fn title_key(e: &Value) -> (String, String) {
    let title = e["title"].as_str().unwrap().to_lowercase();
    let organizer = e["organizer"]["name"].as_str().unwrap().to_lowercase();
    let title = title
        .strip_prefix(&format!("{organizer}: "))
        .unwrap_or(&title)
        .to_string();
    (e["start_date"].as_str().unwrap().to_string(), title)
}

fn events(doc: &Value) -> &Vec<Value> {
    doc["events"].as_array().unwrap()
}

/// Every link an entry lists (its own and its mirrors').
fn links(e: &Value) -> Vec<String> {
    let mut out = vec![link_key(e["url"].as_str().unwrap())];
    for m in e["mirrors"].as_array().unwrap() {
        out.push(link_key(m["url"].as_str().unwrap()));
    }
    out
}

/// The hour's file against the first hour's: no duplicate, no date or link changed, no event
/// lost, the failed sources named and their events kept.
fn check_hour(
    hour: usize,
    doc: &Value,
    good: &Value,
    previous: &Value,
    faults: &[(&str, &str, Fault)],
) {
    let here = |what: String| format!("hour {hour}: {what}");
    let list = events(doc);
    // No two entries for one event: by event link (mirrors included; a group's root names no
    // event), by title and date.
    let mut by_link: HashMap<String, &str> = HashMap::new();
    let mut by_title: HashMap<(String, String), &str> = HashMap::new();
    for e in list {
        let url = e["url"].as_str().unwrap();
        for l in links(e).into_iter().filter(|l| !is_group_root(l)) {
            if let Some(other) = by_link.insert(l.clone(), url) {
                panic!(
                    "{}",
                    here(format!("two entries for {l}: {other} and {url}"))
                );
            }
        }
        if let Some(other) = by_title.insert(title_key(e), url) {
            panic!(
                "{}",
                here(format!(
                    "two entries for {:?}: {other} and {url}",
                    title_key(e)
                ))
            );
        }
    }
    // Every event of the good run, on its date, with its link.
    for g in events(good) {
        let key = link_key(g["url"].as_str().unwrap());
        let found = list
            .iter()
            .find(|e| link_key(e["url"].as_str().unwrap()) == key);
        let Some(e) = found else {
            let same_day: Vec<&str> = list
                .iter()
                .filter(|e| title_key(e) == title_key(g))
                .map(|e| e["url"].as_str().unwrap())
                .collect();
            panic!(
                "{}",
                here(format!(
                    "{:?} ({}) lost or its link changed: now {same_day:?}",
                    g["title"], g["url"]
                ))
            );
        };
        assert_eq!(
            e["start_date"],
            g["start_date"],
            "{}",
            here(format!("{:?} changed its date", g["url"]))
        );
        assert_eq!(
            links(e),
            links(g),
            "{}",
            here(format!("{:?}: its mirrors changed", g["url"]))
        );
    }
    for e in list {
        let url = e["url"].as_str().unwrap();
        let degraded = is_group_root(url)
            && events(good).iter().any(|g| {
                title_key(g) == title_key(e) && !is_group_root(g["url"].as_str().unwrap())
            });
        assert!(
            !degraded,
            "{}",
            here(format!("{url} degraded to a group root"))
        );
    }
    assert_eq!(list.len(), events(good).len(), "{}", here("entries".into()));
    check_last_seen(&here, list, previous);
    // The status of each source, and the failed sources' events kept.
    for s in doc["sources"].as_array().unwrap() {
        let label = s["label"].as_str().unwrap();
        let fault = faults.iter().find(|(l, _, _)| *l == label);
        let expected = fault.map_or("ok", |(_, _, f)| f.status());
        assert_eq!(s["status"], expected, "{}", here(format!("{label}: {s}")));
        let naming = |d: &Value| {
            events(d)
                .iter()
                .filter(|e| e["sources"].as_array().unwrap().iter().any(|x| x == label))
                .count()
        };
        // Its events in the previous hour's file, all kept (this run's copies of them, where
        // another source has them, merged).
        let carried = if fault.is_some() { naming(previous) } else { 0 };
        assert_eq!(s["carried_over"], carried, "{}", here(label.to_string()));
        if fault.is_some() {
            assert!(
                naming(good) > 0,
                "{}",
                here(format!("{label} had no events"))
            );
        }
    }
}

/// When each carried entry was last seen: the last file that had it from a source that
/// answered (the previous one, or the time it already carried); this run's entries say
/// nothing.
fn check_last_seen(here: &dyn Fn(String) -> String, list: &[Value], previous: &Value) {
    for e in list {
        let url = e["url"].as_str().unwrap();
        if e["stale"] == false {
            assert!(e.get("last_seen").is_none(), "{}", here(format!("{e}")));
            continue;
        }
        let before = events(previous)
            .iter()
            .find(|p| link_key(p["url"].as_str().unwrap()) == link_key(url))
            .unwrap_or_else(|| panic!("{}", here(format!("{url} carried from nowhere"))));
        let expected = if before["stale"] == true {
            &before["last_seen"]
        } else {
            &previous["generated_at"]
        };
        assert!(expected.is_string(), "{}", here(format!("{before}")));
        assert_eq!(&e["last_seen"], expected, "{}", here(url.to_string()));
    }
}

/// The job's setting: the served answers, the sources file, the output file and the proxy
/// serving the current hour's routes.
struct Job {
    answers: Answers,
    dir: tempfile::TempDir,
    current: Arc<Mutex<Routes>>,
    proxy: u16,
}

impl Job {
    fn new() -> Job {
        let answers = answers();
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("sources.toml"),
            to_http(&std::fs::read(root().join(SNAPSHOT).join("sources.toml")).unwrap()),
        )
        .unwrap();
        let current = Arc::new(Mutex::new(routes(&answers, &[])));
        let proxy = start_proxy(current.clone());
        Job {
            answers,
            dir,
            current,
            proxy,
        }
    }

    /// One hour with these faults: the exit code is checked, each failing source named on
    /// stderr; the file is returned.
    fn hour(&self, hour: usize, answers: &Answers, faults: &[(&str, &str, Fault)]) -> Value {
        *self.current.lock().unwrap() = routes(answers, faults);
        let out = self.dir.path().join("events.json");
        let (code, stderr) = run_hour(&self.dir.path().join("sources.toml"), &out, self.proxy);
        let expected = if faults.is_empty() { 0 } else { 2 };
        assert_eq!(code, Some(expected), "hour {hour}: {stderr}");
        for (label, _, _) in faults.iter().filter(|(l, _, _)| *l != MUNICH_PAGE) {
            assert!(
                stderr.contains(label),
                "hour {hour}: {label} not named: {stderr}"
            );
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
        // What the event page called off stays off while the page cannot be read (the
        // calendar, when it answers, lists the event as if it took place).
        if !faults.iter().any(|(l, _, _)| *l == CALENDAR) {
            let munich = doc["left_out"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| {
                    l["event"]
                        .as_str()
                        .unwrap()
                        .contains("Rust Munich Meetup #12")
                })
                .unwrap_or_else(|| panic!("hour {hour}: {:#}", doc["left_out"]));
            assert!(
                munich["called_off"]["page"]
                    .as_str()
                    .unwrap()
                    .contains("/rust-munich/events/291120384"),
                "hour {hour}: {munich}"
            );
        }
        doc
    }
}

/// The entry whose link is `part`'s, if any (at most one).
fn entry<'a>(doc: &'a Value, part: &str) -> Option<&'a Value> {
    let found: Vec<&Value> = events(doc)
        .iter()
        .filter(|e| e["url"].as_str().unwrap().contains(part))
        .collect();
    assert!(found.len() <= 1, "{found:#?}");
    found.first().copied()
}

const TLV_EVENT: &str = "/rust-tlv/events/291182881/";
const HACK_AND_LEARN_14: &str = "/opentechschool-berlin/events/zdrzpsyfcdbsb/";
const HACK_AND_LEARN_28: &str = "/opentechschool-berlin/events/290852327/";

#[test]
fn hourly_refreshes_with_rotating_failures_undo_nothing_verified() {
    let job = Job::new();
    let mut good: Option<Value> = None;
    let mut previous: Option<Value> = None;
    for (hour, faults) in hours().iter().enumerate() {
        let doc = job.hour(hour, &job.answers, faults);
        let Some(good) = &good else {
            // The reference: every source up. The calendar's entries for Rust TLV and Rust
            // Hack and Learn are corrected and completed by their pages.
            let tlv = entry(&doc, TLV_EVENT).unwrap();
            assert_eq!(tlv["start_date"], "2023-02-20");
            assert_eq!(tlv["verified"], true);
            assert!(entry(&doc, HACK_AND_LEARN_14).is_some());
            assert!(events(&doc).iter().all(|e| e["stale"] == false));
            check_hour(hour, &doc, &doc, &doc, faults);
            previous = Some(doc.clone());
            good = Some(doc);
            continue;
        };
        check_hour(hour, &doc, good, previous.as_ref().unwrap(), faults);
        if faults.is_empty() {
            // Every source answered again: exactly the first hour's events.
            assert_eq!(doc["events"], good["events"], "hour {hour}");
        }
        previous = Some(doc);
    }
}

/// A source that answers again has the last word over what was carried over: a date its
/// pages moved, an event it cancelled (while the calendar, which still lists both, is down).
#[test]
fn a_source_answering_again_overrides_what_was_carried_over() {
    let job = Job::new();
    let first = job.hour(0, &job.answers, &[]);
    let down = [
        (
            "OpenTechSchool Berlin",
            "/opentechschool-berlin/",
            Fault::Status(500),
        ),
        ("Rust TLV", "/rust-tlv/", Fault::Status(500)),
    ];
    let carried = job.hour(1, &job.answers, &down);
    for part in [TLV_EVENT, HACK_AND_LEARN_14, HACK_AND_LEARN_28] {
        let (was, is) = (entry(&first, part).unwrap(), entry(&carried, part).unwrap());
        assert_eq!(was["start_date"], is["start_date"], "{part}");
        assert_eq!(is["stale"], true, "{part}");
    }
    // The next hour: both groups answer again, Rust TLV's event moved to 02-22 and the
    // 02-28 Hack and Learn cancelled; the calendar fails.
    let mut answers = job.answers.clone();
    for (url, (_, body)) in &mut answers {
        if url.contains("/rust-tlv/events/") {
            *body = Arc::new(replace(body, "2023-02-20T", "2023-02-22T"));
        } else if url.ends_with("/opentechschool-berlin/events/") {
            let cancelled = replace(
                body,
                "\"id\":\"290852327\",",
                "\"id\":\"290852327\",\"status\":\"CANCELLED\",",
            );
            assert_ne!(&cancelled, body.as_ref());
            *body = Arc::new(cancelled);
        }
    }
    let calendar_down = [(CALENDAR, "calendar.google.com/", Fault::Status(500))];
    let now = job.hour(2, &answers, &calendar_down);
    let tlv = entry(&now, TLV_EVENT).unwrap();
    assert_eq!(tlv["start_date"], "2023-02-22");
    assert_eq!(tlv["stale"], false);
    assert_eq!(tlv["verified"], true);
    assert!(entry(&now, HACK_AND_LEARN_28).is_none(), "{now:#}");
    assert!(
        !events(&now)
            .iter()
            .any(|e| e["title"] == "Rust Hack and Learn" && e["start_date"] == "2023-02-28"),
        "{now:#}"
    );
    // The rest is all there: the pages read again, the calendar's other events carried over.
    let hack_14 = entry(&now, HACK_AND_LEARN_14).unwrap();
    assert_eq!(hack_14["stale"], false);
    assert_eq!(events(&now).len(), events(&first).len() - 1);
}
