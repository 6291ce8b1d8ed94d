//! Fault injection: the real binary, with its default settings, against a loopback server that
//! serves the sources of `snapshots/2023-02-01/` (the calendar feed, 38 meetup group pages and
//! their event pages, two JSON-LD pages) on several hosts (one port each), where a third of the
//! sources misbehave: connection refused, a hang, a slow trickle, 500, 429 with `Retry-After`,
//! 404, a body cut off before its `Content-Length`, 50 MB of garbage, invalid UTF-8, a redirect
//! loop, an HTML page without event data, an empty calendar, plus 8 groups that hang on the
//! meetup host (4 requests at a time per host).
//!
//! The test asserts that every healthy source's events are there (the same events as a replay
//! of exactly the healthy answers), that every failure is named with its kind on stderr and in
//! the JSON, that the run ends within [`WALL_BOUND`] and that its peak memory stays under
//! [`RSS_BOUND_MB`] (measured with `wait4`'s `ru_maxrss`, the child's own peak resident set).
//!
//! The server is hand-written on `tokio::net::TcpListener` rather than wiremock: a mock server
//! cannot hang, trickle, cut a body short or stream 50 MB without a length, and each answer
//! here is written in one write with `TCP_NODELAY`, so timings are the client's, not Nagle's.
//!
//! `cargo test --test faults -- --ignored --nocapture measure` runs the same set against the
//! binary named by `TWIR_EVENTS_BIN` (e.g. an older build) and prints its time and memory.
#![cfg(target_os = "linux")]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod common;
use common::{binary, is_ics, replace, unfold};

/// The bound the issue sets for this source set with default settings.
const WALL_BOUND: Duration = Duration::from_secs(35);
/// Peak resident memory allowed for one run. What it takes (measured, debug build): about
/// 40 MB; a 50 MB body read whole cost 442 MB before the size cap.
const RSS_BOUND_MB: u64 = 250;
/// The snapshot the source set is built from, and its date.
const SNAPSHOT: &str = "snapshots/2023-02-01";
const TODAY: &str = "2023-02-01";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ---------------------------------------------------------------------------------------------
// The loopback server.

/// How one path answers.
#[derive(Clone)]
enum Reply {
    /// 200 with the body, in one write.
    Ok {
        content_type: String,
        body: Arc<Vec<u8>>,
    },
    /// A status with headers and an empty body.
    Status {
        code: u16,
        headers: Vec<(&'static str, String)>,
    },
    /// Accepts the connection, reads the request, never answers.
    Hang,
    /// Announces the body's length, then sends it one byte every `every`.
    Trickle { body: Arc<Vec<u8>>, every: Duration },
    /// Announces more than it sends, sends half, closes.
    CutOff { body: Arc<Vec<u8>> },
    /// No `Content-Length`: the body runs until the connection closes.
    Unbounded { body: Arc<Vec<u8>> },
}

type Routes = Arc<HashMap<String, Reply>>;

/// A port where nothing listens (bound, then released).
fn refused_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

fn head(code: u16, reason: &str, headers: &[(&str, String)]) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {code} {reason}\r\nconnection: close\r\n");
    for (k, v) in headers {
        write!(h, "{k}: {v}\r\n").unwrap();
    }
    h.push_str("\r\n");
    h.into_bytes()
}

async fn answer(mut stream: TcpStream, routes: Routes) {
    stream.set_nodelay(true).unwrap();
    // The request head (a GET has no body).
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        match tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => request.extend_from_slice(&buf[..n]),
            _ => return,
        }
    }
    let line = String::from_utf8_lossy(&request);
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let reply = routes.get(&target).cloned().unwrap_or(Reply::Status {
        code: 404,
        headers: vec![],
    });
    match reply {
        Reply::Ok { content_type, body } => {
            let mut out = head(
                200,
                "OK",
                &[
                    ("content-type", content_type),
                    ("content-length", body.len().to_string()),
                ],
            );
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
        }
        Reply::Status { code, mut headers } => {
            headers.push(("content-length", "0".into()));
            let _ = stream.write_all(&head(code, "Status", &headers)).await;
        }
        Reply::Hang => {
            // Until the client gives up (or a minute and a half: never within the bound).
            let _ = tokio::time::timeout(Duration::from_secs(90), stream.read(&mut buf)).await;
        }
        Reply::Trickle { body, every } => {
            let out = head(
                200,
                "OK",
                &[
                    ("content-type", "text/html; charset=utf-8".into()),
                    ("content-length", body.len().to_string()),
                ],
            );
            if stream.write_all(&out).await.is_err() {
                return;
            }
            for b in body.iter() {
                tokio::time::sleep(every).await;
                if stream.write_all(&[*b]).await.is_err() {
                    return;
                }
            }
        }
        Reply::CutOff { body } => {
            let mut out = head(
                200,
                "OK",
                &[
                    ("content-type", "text/html; charset=utf-8".into()),
                    ("content-length", (body.len() * 2).to_string()),
                ],
            );
            out.extend_from_slice(&body[..body.len() / 2]);
            let _ = stream.write_all(&out).await;
            let _ = stream.shutdown().await;
        }
        Reply::Unbounded { body } => {
            let out = head(200, "OK", &[("content-type", "text/html".into())]);
            if stream.write_all(&out).await.is_ok() {
                let _ = stream.write_all(&body).await;
            }
            let _ = stream.shutdown().await;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The source set.

/// One misbehaving source: what it does, and what the report must say.
struct Fault {
    /// The meetup group (slug in the snapshot) that misbehaves, or a new source's label.
    label: &'static str,
    /// A piece of the error (or, for a source that still works, the warning) it must get.
    expect: &'static str,
    /// How the source must come out.
    fate: Fate,
}

/// How a source of the faulty set must come out.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Fate {
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
struct Set {
    _dir: tempfile::TempDir,
    sources: PathBuf,
    baseline: PathBuf,
    faults: Vec<Fault>,
}

/// Deterministic garbage (no randomness in tests).
fn garbage(len: usize) -> Vec<u8> {
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
const HANGING: [&str; 8] = [
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
struct Ports {
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

fn base(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

/// The snapshot's hosts rewritten to the loopback ports, plain and percent-encoded.
struct Rewrite {
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
fn path_of(url: &str) -> String {
    let u = url::Url::parse(url).unwrap();
    match u.query() {
        Some(q) => format!("{}?{q}", u.path()),
        None => u.path().to_owned(),
    }
}

/// Answers by local URL: content type and body.
type Answers = HashMap<String, (String, Arc<Vec<u8>>)>;
/// One of the answers a healthy run gets: its URL, content type and body.
type Healthy<'a> = (&'a String, &'a (String, Arc<Vec<u8>>));

/// Every recorded answer of the snapshot, rewritten, by local URL.
fn recorded_answers(snap: &Path, manifest: &Value, rewrite: &Rewrite) -> Answers {
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
struct Plan {
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
async fn serve(routes: &HashMap<u16, HashMap<String, Reply>>, ports: Ports) {
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
fn write_sources(dir: &Path, snap: &Path, rewrite: &Rewrite, plan: &Plan) -> PathBuf {
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
fn write_baseline(dir: &Path, healthy: Vec<Healthy<'_>>) -> PathBuf {
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

async fn source_set() -> Set {
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

// ---------------------------------------------------------------------------------------------
// Running the binary.

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    wall: Duration,
    /// The child's own peak resident set, in MiB (`wait4`'s `ru_maxrss`).
    peak_mb: u64,
}

/// Runs the binary with `args`; any https request goes to a refused proxy, so that nothing in
/// the set can reach the internet.
fn run(bin: &Path, args: &[&str]) -> Run {
    let proxy = format!("http://127.0.0.1:{}", refused_port());
    let started = Instant::now();
    let mut child = Command::new(bin)
        .args(args)
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .env("HTTPS_PROXY", &proxy)
        .env("https_proxy", &proxy)
        .env("NO_PROXY", "127.0.0.1")
        .env("no_proxy", "127.0.0.1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut out, &mut s).unwrap();
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        std::io::Read::read_to_end(&mut err, &mut s).unwrap();
        s
    });
    let (status, usage) = wait4(child);
    let wall = started.elapsed();
    let code = libc::WIFEXITED(status).then(|| libc::WEXITSTATUS(status));
    Run {
        code,
        stdout: String::from_utf8_lossy(&out.join().unwrap()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap()).into_owned(),
        wall,
        // ru_maxrss is in KiB on Linux.
        peak_mb: u64::try_from(usage.ru_maxrss).unwrap_or(0).div_ceil(1024),
    }
}

/// Reaps the child with `wait4`, which gives its own rusage (std's `wait` does not, nor does
/// rustix's `waitpid`): its exit status and resource usage.
#[expect(
    unsafe_code,
    reason = "wait4 is the only way to a child's own peak memory; neither std nor rustix wrap it"
)]
fn wait4(child: std::process::Child) -> (libc::c_int, libc::rusage) {
    let pid = libc::pid_t::try_from(child.id()).expect("a process id fits pid_t");
    let mut status: libc::c_int = 0;
    // SAFETY: plain syscall on our own child's pid, with valid out-pointers; `rusage` is plain
    // integers, for which all zeroes is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let reaped = unsafe { libc::wait4(pid, &raw mut status, 0, &raw mut usage) };
    assert_eq!(reaped, pid, "wait4 failed");
    std::mem::forget(child); // already reaped
    (status, usage)
}

async fn run_async(bin: PathBuf, args: Vec<String>) -> Run {
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&bin, &args)
    })
    .await
    .unwrap()
}

fn args(cmd: &str, sources: &Path, replay: Option<&Path>) -> Vec<String> {
    let mut a = vec![
        cmd.to_owned(),
        "--sources".into(),
        sources.display().to_string(),
        "--today".into(),
        TODAY.into(),
    ];
    if let Some(dir) = replay {
        a.push("--replay".into());
        a.push(dir.display().to_string());
    }
    a
}

fn json(run: &Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", run.stderr))
}

// ---------------------------------------------------------------------------------------------
// The tests.

/// A run of the faulty set: exit 2 (sources failed), within the time and memory bounds, no
/// panic.
fn assert_failed_in_bounds(r: &Run) {
    assert_eq!(r.code, Some(2), "sources failed: exit 2\n{}", r.stderr);
    assert!(
        r.wall < WALL_BOUND,
        "took {:?} (bound {WALL_BOUND:?})\n{}",
        r.wall,
        r.stderr
    );
    assert!(
        r.peak_mb < RSS_BOUND_MB,
        "peak RSS {} MiB (bound {RSS_BOUND_MB})",
        r.peak_mb
    );
    assert!(
        !r.stderr.contains("panicked"),
        "no panic noise:\n{}",
        r.stderr
    );
}

/// One misbehaving source came out as it must: its status `s` in the JSON, and its line on
/// the stderr of both `runs`.
fn assert_fault(f: &Fault, s: &Value, runs: [&Run; 2]) {
    match f.fate {
        Fate::Fails => {
            let error = s["error"].as_str().unwrap_or_else(|| {
                panic!("{} should fail: {s}", f.label);
            });
            assert_eq!(s["ok"], false);
            assert_eq!(s["status"], "failed");
            assert!(
                error.to_lowercase().contains(&f.expect.to_lowercase()),
                "{}: {error:?} should say {:?}",
                f.label,
                f.expect
            );
            for r in runs {
                let line = r
                    .stderr
                    .lines()
                    .find(|l| l.starts_with("FAILED") && l.contains(&format!(" {}: ", f.label)))
                    .unwrap_or_else(|| panic!("no FAILED line for {}:\n{}", f.label, r.stderr));
                assert!(line.contains(error), "{line}");
            }
        }
        Fate::Suspect => {
            assert_eq!(s["ok"], false, "{s}");
            assert_eq!(s["status"], "suspect", "{s}");
            let why = s["suspect"].as_str().unwrap_or_default();
            assert!(
                why.contains(f.expect),
                "{}: {why:?} should say {:?}",
                f.label,
                f.expect
            );
            for r in runs {
                assert!(
                    r.stderr
                        .lines()
                        .any(|l| l.starts_with("SUSPECT")
                            && l.contains(&format!(" {}: ", f.label))),
                    "no SUSPECT line for {}:\n{}",
                    f.label,
                    r.stderr
                );
            }
        }
        Fate::Works => {
            assert_eq!(s["ok"], true, "{s}");
            let said = format!("{} events; {}", s["events"], s["warnings"]);
            assert!(said.contains(f.expect), "{}: {said}", f.label);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_third_of_the_sources_fail_and_the_run_is_still_right_fast_and_small() {
    let set = source_set().await;
    let bin = binary();

    // The faulty set, json and render at once (each bounded on its own).
    let (live_json, live_md) = tokio::join!(
        run_async(bin.clone(), args("json", &set.sources, None)),
        run_async(bin.clone(), args("render", &set.sources, None)),
    );
    // The same sources, replaying only the healthy answers.
    let base_json = run_async(bin.clone(), args("json", &set.sources, Some(&set.baseline))).await;
    let base_md = run_async(bin, args("render", &set.sources, Some(&set.baseline))).await;
    eprintln!(
        "faulty set: json {:.1} s, {} MiB peak; render {:.1} s, {} MiB peak",
        live_json.wall.as_secs_f64(),
        live_json.peak_mb,
        live_md.wall.as_secs_f64(),
        live_md.peak_mb
    );
    eprintln!("{}", live_json.stderr);

    for r in [&live_json, &live_md] {
        assert_failed_in_bounds(r);
    }

    // Every healthy source's events: exactly what the healthy answers alone give.
    let (live, base) = (json(&live_json), json(&base_json));
    assert!(
        base["events"].as_array().unwrap().len() >= 30,
        "the baseline is a real section: {}",
        base_json.stderr
    );
    assert_eq!(
        live["events"], base["events"],
        "the faulty run has every healthy source's events, and only them"
    );
    assert_eq!(
        live_md.stdout, base_md.stdout,
        "the rendered block is the healthy one"
    );
    assert!(
        live_md
            .stdout
            .starts_with("Rusty Events between 2023-02-01")
    );

    // Every source's status in the JSON, every failure named with its kind, once per source
    // on stderr too.
    let sources = live["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 50);
    let by_label = |label: &str| {
        sources
            .iter()
            .find(|s| s["label"] == label)
            .unwrap_or_else(|| panic!("no source {label}"))
    };
    let mut failing = 0;
    let mut suspect = 0;
    for f in &set.faults {
        let s = by_label(f.label);
        match f.fate {
            Fate::Fails => failing += 1,
            Fate::Suspect => suspect += 1,
            Fate::Works => {}
        }
        assert_fault(f, s, [&live_json, &live_md]);
    }
    assert_eq!((failing, suspect), (17, 2));
    assert_eq!(
        sources.iter().filter(|s| s["ok"] == false).count(),
        failing + suspect,
        "no healthy source failed: {}",
        live_json.stderr
    );
    // The page without event data says what it is.
    let saar = by_label("Rust-Saar")["suspect"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(
        !saar.is_empty() && !saar.contains("internal error"),
        "{saar}"
    );
}

/// Prints time and memory for the faulty set and for the 50 MB body alone, for the binary
/// named by `TWIR_EVENTS_BIN` (default: this build). For the before/after figures.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement, not a test: run with --ignored --nocapture"]
async fn measure() {
    let set = source_set().await;
    let bin = binary();
    let r = run_async(bin.clone(), args("json", &set.sources, None)).await;
    println!(
        "{}: faulty set (json): exit {:?}, {:.1} s, peak RSS {} MiB",
        bin.display(),
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mb
    );
    // Only the 50 MB source.
    let text = std::fs::read_to_string(&set.sources).unwrap();
    let tlv = text
        .split("[[source]]")
        .find(|s| s.contains("/rust-tlv/"))
        .unwrap();
    let only = set.sources.with_file_name("big.toml");
    std::fs::write(&only, format!("[[source]]{tlv}")).unwrap();
    let r = run_async(bin.clone(), args("json", &only, None)).await;
    println!(
        "{}: 50 MB body alone: exit {:?}, {:.1} s, peak RSS {} MiB",
        bin.display(),
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mb
    );
    let r = run_async(bin.clone(), args("json", &set.sources, Some(&set.baseline))).await;
    println!(
        "{}: healthy answers replayed: exit {:?}, {:.1} s, peak RSS {} MiB",
        bin.display(),
        r.code,
        r.wall.as_secs_f64(),
        r.peak_mb
    );
}
