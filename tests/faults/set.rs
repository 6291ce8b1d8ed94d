//! The source set of the fault test: the snapshot's sources behind loopback ports, a third
//! of them misbehaving ([`Plan`]), the sources file and the baseline of healthy answers.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;
use tokio::net::TcpListener;

use super::common::refused_port;
use super::common::{is_ics, replace, unfold};
use super::server::{Reply, Routes, answer};
use super::{SNAPSHOT, root};

/// One misbehaving source: what it does, and what the report must say.
pub(crate) struct Fault {
    /// The meetup group (slug in the snapshot) that misbehaves, or a new source's label.
    pub(crate) label: &'static str,
    /// A piece of the error (or, for a source that still works, the warning) it must get.
    pub(crate) expect: &'static str,
    /// How the source must come out.
    pub(crate) fate: Fate,
}

/// How a source of the faulty set must come out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Fate {
    /// A failed source (`FAILED`, exit 2).
    Fails,
    /// An answer that is not the truth (`SUSPECT`, exit 2): an empty calendar, a page without
    /// event data.
    Suspect,
    /// It works (with a warning, or no events).
    Works,
}

/// Everything a run needs: the servers' routes are running, the sources file and the
/// baseline snapshot (the healthy answers only) are written.
pub(crate) struct Set {
    pub(crate) _dir: tempfile::TempDir,
    pub(crate) sources: PathBuf,
    pub(crate) baseline: PathBuf,
    pub(crate) faults: Vec<Fault>,
}

/// Deterministic garbage (no randomness in tests).
pub(crate) fn garbage(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_be_bytes()[4]
        })
        .collect()
}

/// The 8 groups that hang on the meetup host (new sources).
pub(crate) const HANGING: [&str; 8] = [
    "Hanging Group 1",
    "Hanging Group 2",
    "Hanging Group 3",
    "Hanging Group 4",
    "Hanging Group 5",
    "Hanging Group 6",
    "Hanging Group 7",
    "Hanging Group 8",
];

/// The loopback ports of the set: one per host role, and one where nothing listens.
#[derive(Clone, Copy)]
pub(crate) struct Ports {
    meetup: u16,
    calendar: u16,
    pages: u16,
    hang: u16,
    trickle: u16,
    big: u16,
    refused: u16,
}

impl Ports {
    fn all_served(self) -> [u16; 6] {
        [
            self.meetup,
            self.calendar,
            self.pages,
            self.hang,
            self.trickle,
            self.big,
        ]
    }

    /// A meetup group's events page on the meetup port.
    fn group(self, slug: &str) -> String {
        format!("{}/{slug}/events/", base(self.meetup))
    }
}

pub(crate) fn base(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// The snapshot's hosts rewritten to the loopback ports, plain and percent-encoded.
pub(crate) struct Rewrite {
    hosts: [(&'static str, String); 4],
}

impl Rewrite {
    fn new(ports: Ports) -> Self {
        Rewrite {
            hosts: [
                ("https://www.meetup.com", base(ports.meetup)),
                ("https://calendar.google.com", base(ports.calendar)),
                ("https://www.rustnationuk.com", base(ports.pages)),
                ("https://mobilizon.fr", base(ports.pages)),
            ],
        }
    }

    fn bytes(&self, bytes: &[u8]) -> Vec<u8> {
        let mut out = bytes.to_vec();
        for (from, to) in &self.hosts {
            out = replace(&out, from, to);
            let enc = |s: &str| s.replace(':', "%3A").replace('/', "%2F");
            out = replace(&out, &enc(from), &enc(to));
        }
        out
    }

    fn text(&self, text: &str) -> String {
        String::from_utf8(self.bytes(text.as_bytes())).unwrap()
    }
}

/// A URL's path and query: the server's route key.
pub(crate) fn path_of(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_owned(),
    }
}

/// Answers by local URL: content type and body.
pub(crate) type Answers = HashMap<String, (String, Arc<Vec<u8>>)>;
/// One of the answers a healthy run gets: its URL, content type and body.
pub(crate) type Healthy<'a> = (&'a String, &'a (String, Arc<Vec<u8>>));

/// Every recorded answer of the snapshot, rewritten, by local URL.
pub(crate) fn recorded_answers(snap: &Path, manifest: &Value, rewrite: &Rewrite) -> Answers {
    let mut answers = Answers::new();
    for r in manifest["responses"].as_array().unwrap() {
        let (url, ct) = (r["url"].as_str().unwrap(), r["content_type"].as_str());
        let Some(file) = r["file"].as_str() else {
            continue;
        };
        let mut body = std::fs::read(snap.join(file)).unwrap();
        if is_ics(url) {
            body = unfold(&body);
        }
        answers.insert(
            rewrite.text(url),
            (
                ct.unwrap_or("text/html").to_owned(),
                Arc::new(rewrite.bytes(&body)),
            ),
        );
    }
    answers
}

/// Which source misbehaves how, and on which host.
#[derive(Default)]
pub(crate) struct Plan {
    /// The servers' routes, by port (the meetup port's are in `on_meetup` until [`Plan::route_the_rest`]).
    routes: HashMap<u16, HashMap<String, Reply>>,
    on_meetup: HashMap<String, Reply>,
    /// URLs rewritten in sources.toml: (from, to).
    moved: Vec<(String, String)>,
    faults: Vec<Fault>,
    /// New sources, prepended to the sources file.
    extra: String,
}

impl Plan {
    fn fault(&mut self, label: &'static str, expect: &'static str, fate: Fate) {
        self.faults.push(Fault {
            label,
            expect,
            fate,
        });
    }

    /// Moves a meetup group to its own port (in sources.toml).
    fn move_group(&mut self, slug: &str, from: u16, to: u16) {
        self.moved.push((
            format!("{}/{slug}/", base(from)),
            format!("{}/{slug}/", base(to)),
        ));
    }

    /// Groups on their own hosts: refused, hanging, trickling, unbounded.
    fn on_their_own_hosts(&mut self, answers: &Answers, p: Ports) {
        self.move_group("rust-london-user-group", p.meetup, p.refused);
        self.fault("Rust London User Group", "refused", Fate::Fails);
        self.move_group("rust-nyc", p.meetup, p.hang);
        self.routes
            .entry(p.hang)
            .or_default()
            .insert("/rust-nyc/events/".into(), Reply::Hang);
        self.fault(
            "Rust NYC",
            "timed out after 10 s without an answer",
            Fate::Fails,
        );
        self.move_group("rust-sydney", p.meetup, p.trickle);
        self.routes.entry(p.trickle).or_default().insert(
            "/rust-sydney/events/".into(),
            Reply::Trickle {
                body: answers[&p.group("rust-sydney")].1.clone(),
                every: Duration::from_millis(500),
            },
        );
        self.fault("Rust Sydney", "arrived too slowly", Fate::Fails);
        self.move_group("rust-tlv", p.meetup, p.big);
        self.routes.entry(p.big).or_default().insert(
            "/rust-tlv/events/".into(),
            Reply::Unbounded {
                body: Arc::new(garbage(50 * 1024 * 1024)),
            },
        );
        self.fault(
            "Rust TLV",
            "response larger than 8 MB (raise --max-body-mb)",
            Fate::Fails,
        );
    }

    /// Groups on the meetup host: statuses, a cut-off body, a redirect loop, a page without
    /// data, invalid UTF-8.
    fn on_the_meetup_host(&mut self, answers: &mut Answers, p: Ports) {
        let status = |code, headers| Reply::Status { code, headers };
        let on_meetup = &mut self.on_meetup;
        on_meetup.insert("/rust-trondheim/events/".into(), status(500, vec![]));
        on_meetup.insert(
            "/rust-zurich/events/".into(),
            status(429, vec![("retry-after", "1".into())]),
        );
        on_meetup.insert("/rustdc/events/".into(), status(404, vec![]));
        on_meetup.insert(
            "/utah-rust/events/".into(),
            Reply::CutOff {
                body: answers[&p.group("utah-rust")].1.clone(),
            },
        );
        on_meetup.insert(
            "/vancouver-rust/events/".into(),
            status(302, vec![("location", "/vancouver-rust/events/".into())]),
        );
        self.fault("Rust Trondheim", "HTTP status 500", Fate::Fails);
        self.fault("Rust Zurich", "HTTP status 429", Fate::Fails);
        self.fault("Rust DC", "HTTP status 404", Fate::Fails);
        self.fault("Utah Rust", "cut off", Fate::Fails);
        self.fault("Vancouver Rust", "redirect", Fate::Fails);
        let no_data = b"<!DOCTYPE html><html><head><title>Rust-Saar | Meetup</title></head>\
            <body><h1>Rust-Saar</h1><p>Please enable JavaScript.</p></body></html>"
            .to_vec();
        answers.insert(
            p.group("rust-saar"),
            ("text/html; charset=utf-8".into(), Arc::new(no_data)),
        );
        self.fault("Rust-Saar", "no meetup event data found", Fate::Suspect);
        // Still a good page, with bytes that are not UTF-8: a lone 0xFF, a truncated 2-byte
        // sequence, an encoded surrogate (3 bytes, each its own invalid sequence, as
        // `String::from_utf8_lossy` counts them): 5 replacements.
        let kansai = answers.get_mut(&p.group("kansai-rust")).unwrap();
        let mut bad = kansai.1.to_vec();
        bad.extend_from_slice(b"<!-- a\xFFb\xC3c\xED\xA0\x80 -->\n");
        kansai.1 = Arc::new(bad);
        self.fault(
            "Kansai Rust",
            "5 invalid UTF-8 sequences replaced",
            Fate::Works,
        );
    }

    /// New sources: an empty calendar and 8 hanging groups on the meetup host.
    fn new_sources(&mut self, answers: &mut Answers, p: Ports) {
        let empty_ics = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\r\nX-WR-CALNAME:Empty\r\nEND:VCALENDAR\r\n";
        answers.insert(
            format!("{}/empty/basic.ics", base(p.calendar)),
            (
                "text/calendar; charset=UTF-8".into(),
                Arc::new(empty_ics.to_vec()),
            ),
        );
        self.fault(
            "Empty Calendar",
            "a valid but empty VCALENDAR",
            Fate::Suspect,
        );
        write!(
            self.extra,
            "[[source]]\nkind = \"ical\"\nurl = \"{}/empty/basic.ics\"\nname = \"Empty Calendar\"\n\n",
            base(p.calendar)
        )
        .unwrap();
        for (i, name) in HANGING.iter().enumerate() {
            self.on_meetup
                .insert(format!("/rust-hanging-{i}/events/"), Reply::Hang);
            write!(
                self.extra,
                "[[source]]\nkind = \"meetup\"\nurl = \"{}/rust-hanging-{i}/\"\nname = \"{name}\"\n\n",
                base(p.meetup)
            )
            .unwrap();
            self.fault(name, "timed out after 10 s without an answer", Fate::Fails);
        }
    }

    /// Every other answer where it belongs; returns the answers the live set gives as a
    /// recorded 200 (the baseline's).
    fn route_the_rest<'a>(&mut self, answers: &'a Answers, p: Ports) -> Vec<Healthy<'a>> {
        for (url, (ct, body)) in answers {
            let port = url::Url::parse(url).unwrap().port().unwrap();
            let reply = Reply::Ok {
                content_type: ct.clone(),
                body: body.clone(),
            };
            if port == p.meetup {
                self.on_meetup.entry(path_of(url)).or_insert(reply);
            } else {
                self.routes
                    .entry(port)
                    .or_default()
                    .insert(path_of(url), reply);
            }
        }
        self.routes
            .insert(p.meetup, std::mem::take(&mut self.on_meetup));
        answers
            .iter()
            .filter(|(url, _)| {
                let port = url::Url::parse(url).unwrap().port().unwrap();
                matches!(
                    self.routes[&port].get(&path_of(url)),
                    Some(Reply::Ok { .. })
                )
            })
            .collect()
    }
}

/// Serves each port's routes on it.
pub(crate) async fn serve(routes: &HashMap<u16, HashMap<String, Reply>>, ports: Ports) {
    for port in ports.all_served() {
        let r = routes.get(&port).cloned().unwrap_or_default();
        let listener = TcpListener::bind(("127.0.0.1", port)).await.unwrap();
        let routes: Routes = Arc::new(r);
        tokio::spawn(async move {
            loop {
                if let Ok((stream, _)) = listener.accept().await {
                    tokio::spawn(answer(stream, routes.clone()));
                }
            }
        });
    }
}

/// The sources file: the new sources first (the worst order: the hanging groups take the
/// meetup host's 4 slots before anything else), then the snapshot's sources, rewritten.
pub(crate) fn write_sources(dir: &Path, snap: &Path, rewrite: &Rewrite, plan: &Plan) -> PathBuf {
    let mut text = std::fs::read_to_string(snap.join("sources.toml")).unwrap();
    text = rewrite.text(&text);
    for (from, to) in &plan.moved {
        assert!(text.contains(from.as_str()), "{from}");
        text = text.replace(from.as_str(), to);
    }
    let sources = dir.join("sources.toml");
    std::fs::write(&sources, format!("{}{text}", plan.extra)).unwrap();
    sources
}

/// The baseline: a snapshot of exactly the answers a healthy run of the same set gets.
pub(crate) fn write_baseline(dir: &Path, healthy: Vec<Healthy<'_>>) -> PathBuf {
    let baseline = dir.join("baseline");
    std::fs::create_dir_all(baseline.join("responses")).unwrap();
    let mut entries = Vec::new();
    for (i, (url, (ct, body))) in healthy.into_iter().enumerate() {
        let file = format!("responses/{i}");
        std::fs::write(baseline.join(&file), body.as_slice()).unwrap();
        entries
            .push(serde_json::json!({"url": url, "status": 200, "content_type": ct, "file": file}));
    }
    std::fs::write(
        baseline.join("manifest.json"),
        serde_json::to_string_pretty(&serde_json::json!({
            "recorded_at": "2023-02-01T09:00:00+00:00",
            "responses": entries,
        }))
        .unwrap(),
    )
    .unwrap();
    baseline
}

pub(crate) async fn source_set() -> Set {
    let snap = root().join(SNAPSHOT);
    let manifest: Value =
        serde_json::from_str(&std::fs::read_to_string(snap.join("manifest.json")).unwrap())
            .unwrap();

    // Ports first: every URL is rewritten to them.
    let listeners: Vec<std::net::TcpListener> = (0..6)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    let ports: Vec<u16> = listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect();
    let [meetup, calendar, pages, hang, trickle, big] = ports[..] else {
        unreachable!()
    };
    let ports = Ports {
        meetup,
        calendar,
        pages,
        hang,
        trickle,
        big,
        refused: refused_port(),
    };
    let rewrite = Rewrite::new(ports);
    let mut answers = recorded_answers(&snap, &manifest, &rewrite);

    let mut plan = Plan::default();
    plan.on_their_own_hosts(&answers, ports);
    plan.on_the_meetup_host(&mut answers, ports);
    plan.new_sources(&mut answers, ports);
    let healthy = plan.route_the_rest(&answers, ports);
    drop(listeners);
    serve(&plan.routes, ports).await;

    let dir = tempfile::tempdir().unwrap();
    let sources = write_sources(dir.path(), &snap, &rewrite, &plan);
    let baseline = write_baseline(dir.path(), healthy);
    Set {
        _dir: dir,
        sources,
        baseline,
        faults: plan.faults,
    }
}
