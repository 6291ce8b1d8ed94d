//! The live benchmark of issue 10: release binaries of twir-events, side by side, against a
//! loopback server that answers every request after a fixed latency, for a snapshot made by
//! `tools/bench/gen_sources.py` (its URLs are `http://`, so the server is the binaries' HTTP
//! proxy: `http_proxy=http://127.0.0.1:PORT`, and the per-host limit sees the real hosts).
//!
//! ```sh
//! python3 tools/bench/gen_sources.py 150 /tmp/s150
//! cargo build --release --example bench_live
//! target/release/examples/bench_live /tmp/s150 --latency-ms 200 --runs 3 BEFORE_BIN AFTER_BIN
//! ```
//!
//! Each response is written in ONE write on a socket with `TCP_NODELAY`: otherwise Nagle's
//! algorithm holds the body back until the headers' segment is acknowledged (delayed ACK, about
//! 40 ms per keep-alive response) and the tool looks slower than it is. Runs are interleaved
//! (run 1 of every binary, then run 2, …) so that a busy machine weighs on each alike; the best
//! run counts. For each binary: wall time (spawn to exit), when the last response was written,
//! the floor and the one-after-another time. The floor is what perfect concurrency under the
//! per-host limit allows: `max(ceil(n_h / per_host) × latency)` over hosts, and for the event
//! pages (known only once the calendar is read) `latency + ceil(pages / per_host) × latency`.
//! One after another is `requests × latency`. Every binary's stdout must be identical.
//!
//! The server is hand-written on std's `TcpListener` (a thread per connection, at most a few
//! keep-alive connections per host): what matters here is control over writes and timing,
//! which a framework would hide.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Answer {
    content_type: String,
    body: Vec<u8>,
}

#[derive(Default)]
struct Stats {
    requests: HashMap<String, usize>,
    /// Requests to event pages ([`is_event_page`]), counted apart: they wait for the calendar.
    pages: usize,
    in_flight: HashMap<String, usize>,
    max_in_flight: usize,
    last_response: Option<Instant>,
}

struct Server {
    answers: HashMap<String, Answer>,
    latency: Duration,
    stats: Mutex<Stats>,
}

fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split('/').next().unwrap_or_default().to_string()
}

/// A meetup event page (`…/events/<id>/`) or a luma one (`luma.com/<slug>`).
fn is_event_page(url: &str) -> bool {
    if host_of(url) == "luma.com" {
        return true;
    }
    let parts: Vec<&str> = url.trim_end_matches('/').rsplit('/').take(2).collect();
    parts.len() == 2 && parts[1] == "events" && parts[0].chars().all(|c| c.is_ascii_digit())
}

fn serve(server: &Server, stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone().expect("clone a socket"));
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        // The headers, up to the blank line (GET requests: no body).
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" || line == "\n" {
                break;
            }
        }
        let url = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_string();
        let host = host_of(&url);
        {
            let mut s = server.stats.lock().unwrap();
            *s.requests.entry(host.clone()).or_default() += 1;
            if is_event_page(&url) {
                s.pages += 1;
            }
            let n = s.in_flight.entry(host.clone()).or_default();
            *n += 1;
            let n = *n;
            s.max_in_flight = s.max_in_flight.max(n);
        }
        std::thread::sleep(server.latency);
        let mut out = Vec::new();
        match server.answers.get(&url) {
            Some(a) => {
                write!(
                    out,
                    "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\n\r\n",
                    a.content_type,
                    a.body.len()
                )
                .unwrap();
                out.extend_from_slice(&a.body);
            }
            None => out.extend_from_slice(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"),
        }
        {
            let mut s = server.stats.lock().unwrap();
            if let Some(n) = s.in_flight.get_mut(&host) {
                *n -= 1;
            }
            s.last_response = Some(Instant::now());
        }
        if stream.write_all(&out).is_err() {
            return;
        }
    }
}

/// The command line: the snapshot, the latency, the per-host limit, the runs, the day and
/// the binaries to compare.
struct Args {
    snapshot: String,
    latency_ms: u64,
    per_host: usize,
    runs: usize,
    today: String,
    bins: Vec<String>,
}

fn parse_args() -> Args {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut snapshot = None;
    let mut latency_ms = 200u64;
    let mut per_host = 4usize;
    let mut runs = 3usize;
    let mut today = "2026-01-07".to_string();
    let mut bins = Vec::new();
    let mut it = args.into_iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--latency-ms" => latency_ms = it.next().and_then(|v| v.parse().ok()).unwrap(),
            "--per-host" => per_host = it.next().and_then(|v| v.parse().ok()).unwrap(),
            "--runs" => runs = it.next().and_then(|v| v.parse().ok()).unwrap(),
            "--today" => today = it.next().unwrap(),
            _ if snapshot.is_none() => snapshot = Some(a),
            _ => bins.push(a),
        }
    }
    let (Some(snapshot), false) = (snapshot, bins.is_empty()) else {
        eprintln!(
            "usage: bench_live SNAPSHOT [--latency-ms MS] [--per-host N] [--runs N] [--today DAY] BIN..."
        );
        std::process::exit(1);
    };
    Args {
        snapshot,
        latency_ms,
        per_host,
        runs,
        today,
        bins,
    }
}

/// The snapshot's recorded answers, by URL.
fn load_answers(dir: &std::path::Path) -> HashMap<String, Answer> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut answers = HashMap::new();
    for r in manifest["responses"].as_array().unwrap() {
        let url = r["url"].as_str().unwrap().to_string();
        let body = std::fs::read(dir.join(r["file"].as_str().unwrap())).unwrap();
        let content_type = r["content_type"]
            .as_str()
            .unwrap_or("text/html")
            .to_string();
        answers.insert(url, Answer { content_type, body });
    }
    answers
}

/// Serves `server`'s answers on a loopback port (one thread per connection); returns the port.
fn start(server: &Arc<Server>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = server.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let server = server.clone();
            std::thread::spawn(move || serve(&server, stream));
        }
    });
    port
}

/// One binary's best run (and every run's wall time).
struct Best {
    wall: f64,
    last: f64,
    requests: HashMap<String, usize>,
    pages: usize,
    max_in_flight: usize,
    walls: Vec<f64>,
}

/// Runs every binary `args.runs` times, interleaved; each binary's best run.
fn run_all(
    args: &Args,
    server: &Server,
    proxy: &str,
    sources: &std::path::Path,
) -> Vec<Option<Best>> {
    let (bins, per_host, today) = (&args.bins, args.per_host, &args.today);
    let mut best: Vec<Option<Best>> = bins.iter().map(|_| None).collect();
    let mut output: Option<Vec<u8>> = None;
    for _ in 0..args.runs {
        for (b, bin) in bins.iter().enumerate() {
            let knows_per_host = Command::new(bin)
                .arg("--help")
                .output()
                .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("--per-host"));
            *server.stats.lock().unwrap() = Stats::default();
            let mut cmd = Command::new(bin);
            cmd.args(["render", "--today", today, "--sources"])
                .arg(sources)
                .env("http_proxy", proxy)
                .env("HTTP_PROXY", proxy)
                .env_remove("no_proxy")
                .env_remove("NO_PROXY")
                .stdout(Stdio::piped())
                .stderr(Stdio::null());
            if knows_per_host {
                cmd.args(["--per-host", &per_host.to_string()]);
            } else if per_host != 4 {
                eprintln!("{bin} has no --per-host (its limit is 4): skipped");
                continue;
            }
            let start = Instant::now();
            let out = cmd.output().expect("run the binary");
            let wall = start.elapsed().as_secs_f64();
            let s = std::mem::take(&mut *server.stats.lock().unwrap());
            let last = s
                .last_response
                .map_or(0.0, |t| t.duration_since(start).as_secs_f64());
            match &output {
                None => output = Some(out.stdout.clone()),
                Some(o) if *o != out.stdout => {
                    eprintln!("{bin}: OUTPUT DIFFERS from the first run's");
                }
                Some(_) => {}
            }
            let entry = &mut best[b];
            let walls = entry.as_ref().map(|e| e.walls.clone()).unwrap_or_default();
            if entry.as_ref().is_none_or(|e| wall < e.wall) {
                *entry = Some(Best {
                    wall,
                    last,
                    requests: s.requests,
                    pages: s.pages,
                    max_in_flight: s.max_in_flight,
                    walls,
                });
            }
            entry.as_mut().unwrap().walls.push(wall);
        }
    }
    best
}

/// The Markdown table of the best runs.
fn print_table(args: &Args, sources: &std::path::Path, best: &[Option<Best>]) {
    let (latency_ms, per_host, runs) = (args.latency_ms, args.per_host, args.runs);
    let lat = Duration::from_millis(latency_ms).as_secs_f64();
    println!(
        "{} sources, {} ms per response, {} per host, best of {} interleaved runs",
        std::fs::read_to_string(sources)
            .unwrap()
            .matches("[[source]]")
            .count(),
        latency_ms,
        per_host,
        runs
    );
    println!(
        "| binary | requests (event pages) | wall (all runs) | last response | floor | wall / floor | one after another | speed-up |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- |");
    for (bin, b) in args.bins.iter().zip(best) {
        let Some(b) = b else { continue };
        let total: usize = b.requests.values().sum();
        let rounds = |n: usize| n.div_ceil(per_host) as f64 * lat;
        let floor = b
            .requests
            .values()
            .map(|&n| rounds(n))
            .fold(0.0, f64::max)
            .max(lat + rounds(b.pages));
        let serial = total as f64 * lat;
        let walls: Vec<String> = b.walls.iter().map(|w| format!("{w:.2}")).collect();
        println!(
            "| {bin} | {total} ({}) | {:.2} s ({}) | {:.2} s | {floor:.2} s | {:.3} × | {serial:.1} s | {:.1} × |",
            b.pages,
            b.wall,
            walls.join(", "),
            b.last,
            b.wall / floor,
            serial / b.wall,
        );
        if b.max_in_flight > per_host {
            println!("  (!) {} requests in flight to one host", b.max_in_flight);
        }
    }
}

fn main() {
    let args = parse_args();
    let dir = std::path::Path::new(&args.snapshot);
    let server = Arc::new(Server {
        answers: load_answers(dir),
        latency: Duration::from_millis(args.latency_ms),
        stats: Mutex::new(Stats::default()),
    });
    let proxy = format!("http://127.0.0.1:{}", start(&server));
    let sources = dir.join("sources.toml");
    let best = run_all(&args, &server, &proxy, &sources);
    print_table(&args, &sources, &best);
}
