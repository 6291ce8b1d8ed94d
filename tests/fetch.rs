//! The fetch layer against real HTTP servers on 127.0.0.1: `LiveFetcher` (statuses, retries,
//! timeouts, redirects, gzip, User-Agent, concurrency bounds), `Recorder` writing a snapshot and
//! `ReplayFetcher` reading it back, and the snapshot's error messages.
//!
//! Servers are `wiremock` mocks serving the fixtures in `tests/fixtures/fetch/`, plus a tiny
//! hand-written server for the concurrency tests (wiremock's responders cannot observe how many
//! requests are in flight).

use crate::common::{self, root};

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::DateTime;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use twir_events::fetch::live::{LiveFetcher, LiveOptions};
use twir_events::fetch::record::Recorder;
use twir_events::fetch::replay::{ReplayFetcher, SnapshotError};
use twir_events::fetch::{Fetch, FetchError, Unreachable};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ICS_TYPE: &str = "text/calendar; charset=UTF-8";
const HTML_TYPE: &str = "text/html; charset=utf-8";

fn fixture(name: &str) -> Vec<u8> {
    let p = root().join("tests/fixtures/fetch").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn ics() -> Vec<u8> {
    fixture("rust-community.ics")
}

fn html() -> Vec<u8> {
    fixture("meetup-event.html")
}

/// Generous defaults for tests that are not about timing.
fn opts() -> LiveOptions {
    LiveOptions {
        timeout: Duration::from_secs(20),
        ..LiveOptions::default()
    }
}

fn fetcher(opts: LiveOptions) -> LiveFetcher {
    LiveFetcher::new(opts).expect("client builds")
}

async fn serve(server: &MockServer, at: &str, template: ResponseTemplate) {
    Mock::given(method("GET"))
        .and(path(at))
        .respond_with(template)
        .mount(server)
        .await;
}

/// An answer that comes after 10 s: later than any timeout in these tests.
fn late() -> ResponseTemplate {
    ok(b"late".to_vec(), "text/plain").set_delay(Duration::from_secs(10))
}

/// A server whose `at` answers only after 10 s.
async fn hanging_server(at: &str) -> MockServer {
    let server = MockServer::start().await;
    serve(&server, at, late()).await;
    server
}

fn ok(body: Vec<u8>, content_type: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(body, content_type)
}

// ---------------------------------------------------------------- live

#[tokio::test]
async fn ok_response_carries_body_status_content_type_and_asked_url() {
    let server = MockServer::start().await;
    serve(&server, "/calendar/basic.ics", ok(ics(), ICS_TYPE)).await;
    serve(
        &server,
        "/rust-berlin/events/298457951/",
        ok(html(), HTML_TYPE),
    )
    .await;
    let f = fetcher(opts());

    let url = format!("{}/calendar/basic.ics", server.uri());
    let r = f.fetch(&url).await.unwrap();
    assert_eq!(r.url, url);
    assert_eq!(r.status, 200);
    assert_eq!(r.content_type.as_deref(), Some(ICS_TYPE));
    assert_eq!(r.body, ics(), "body is byte-identical (CRLF, raw UTF-8)");

    let url = format!("{}/rust-berlin/events/298457951/", server.uri());
    let r = f.fetch(&url).await.unwrap();
    assert_eq!(r.content_type.as_deref(), Some(HTML_TYPE));
    assert!(r.text().contains("\"@type\":\"Event\""));
    assert_eq!(r.body, html());
}

#[tokio::test]
async fn user_agent_is_sent() {
    let server = MockServer::start().await;
    let ua = format!(
        "twir-events/{} (+https://github.com/rust-lang/this-week-in-rust)",
        env!("CARGO_PKG_VERSION")
    );
    // Only a request with exactly this User-Agent gets a 200; wiremock answers 404 otherwise.
    Mock::given(method("GET"))
        .and(path("/ua"))
        .and(header("user-agent", ua.as_str()))
        .respond_with(ok(b"hi".to_vec(), "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    let r = fetcher(opts()).fetch(&format!("{}/ua", server.uri())).await;
    assert_eq!(r.unwrap().body, b"hi");
    server.verify().await;
}

#[tokio::test]
async fn not_found_is_a_status_error_and_never_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/gone"))
        .respond_with(ResponseTemplate::new(404))
        .expect(1)
        .mount(&server)
        .await;
    let f = fetcher(LiveOptions {
        retries: 3,
        ..opts()
    });
    let url = format!("{}/gone", server.uri());
    let err = f.fetch(&url).await.unwrap_err();
    assert_eq!(err, FetchError::Status { url, status: 404 });
    server.verify().await;
}

#[tokio::test]
async fn server_error_is_retried_then_succeeds() {
    let server = MockServer::start().await;
    Mock::given(path("/flaky"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/flaky"))
        .respond_with(ok(ics(), ICS_TYPE))
        .expect(1)
        .mount(&server)
        .await;
    let r = fetcher(opts())
        .fetch(&format!("{}/flaky", server.uri()))
        .await
        .unwrap();
    assert_eq!(r.body, ics());
    server.verify().await;
}

#[tokio::test]
async fn server_error_gives_up_after_the_configured_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/down"))
        .respond_with(ResponseTemplate::new(503))
        .expect(2)
        .mount(&server)
        .await;
    let url = format!("{}/down", server.uri());
    let err = fetcher(opts()).fetch(&url).await.unwrap_err();
    assert_eq!(err, FetchError::Status { url, status: 503 });
    server.verify().await;
}

#[tokio::test]
async fn too_many_requests_honours_a_small_retry_after_and_not_a_long_one() {
    let server = MockServer::start().await;
    Mock::given(path("/slow-down"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/slow-down"))
        .respond_with(ok(b"ok".to_vec(), "text/plain"))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(path("/go-away"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "3600"))
        .expect(1)
        .mount(&server)
        .await;
    let f = fetcher(LiveOptions {
        retries: 2,
        ..opts()
    });

    let start = Instant::now();
    let r = f.fetch(&format!("{}/slow-down", server.uri())).await;
    assert_eq!(r.unwrap().body, b"ok");
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "waited {:?}, Retry-After said 1 s",
        start.elapsed()
    );

    let url = format!("{}/go-away", server.uri());
    let err = f.fetch(&url).await.unwrap_err();
    assert_eq!(err, FetchError::Status { url, status: 429 });
    server.verify().await;
}

#[tokio::test]
async fn slow_response_times_out_and_the_timeout_is_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/slow"))
        .respond_with(late())
        .expect(2)
        .mount(&server)
        .await;
    let f = fetcher(LiveOptions {
        timeout: Duration::from_millis(300),
        retries: 1,
        ..LiveOptions::default()
    });
    let url = format!("{}/slow", server.uri());
    let err = f.fetch(&url).await.unwrap_err();
    assert!(
        matches!(&err, FetchError::Timeout { url: u, .. } if *u == url),
        "{err:?}"
    );
    server.verify().await;
}

#[tokio::test]
async fn several_timeouts_on_one_host_are_retried_once_at_most() {
    // Two requests hang together on one host: exactly one (the first to time out) is retried.
    let server = hanging_server("/hang").await;
    let f = fetcher(LiveOptions {
        timeout: Duration::from_millis(300),
        per_host: 2,
        retries: 3,
        ..LiveOptions::default()
    });
    let (a, b) = (
        format!("{}/hang?a", server.uri()),
        format!("{}/hang?b", server.uri()),
    );
    let (ra, rb) = tokio::join!(f.fetch(&a), f.fetch(&b));
    assert!(matches!(ra, Err(FetchError::Timeout { .. })), "{ra:?}");
    assert!(matches!(rb, Err(FetchError::Timeout { .. })), "{rb:?}");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_timeout_is_not_retried_while_other_requests_wait_for_the_host() {
    let server = hanging_server("/hang").await;
    let f = fetcher(LiveOptions {
        timeout: Duration::from_millis(300),
        per_host: 1,
        retries: 3,
        ..LiveOptions::default()
    });
    let (a, b) = (
        format!("{}/hang?a", server.uri()),
        format!("{}/hang?b", server.uri()),
    );
    let started = Instant::now();
    let (ra, rb) = tokio::join!(f.fetch(&a), f.fetch(&b));
    assert!(ra.is_err() && rb.is_err());
    // The first waits for nobody else's retry; the second follows a host that already hung.
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_run_deadline_cuts_requests_in_flight_and_fails_queued_ones_at_once() {
    let server = hanging_server("/slow").await;
    let f = fetcher(LiveOptions {
        timeout: Duration::from_secs(5),
        run_deadline: Duration::from_millis(600),
        per_host: 1,
        ..LiveOptions::default()
    });
    let urls: Vec<String> = (0..3)
        .map(|i| format!("{}/slow?{i}", server.uri()))
        .collect();
    let started = Instant::now();
    let results = futures::future::join_all(urls.iter().map(|u| f.fetch(u))).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    for (url, r) in urls.iter().zip(&results) {
        let err = r.as_ref().unwrap_err();
        assert!(
            matches!(err, FetchError::Deadline { url: u, .. } if u == url),
            "{err:?}"
        );
        assert!(err.to_string().contains("run deadline reached"), "{err}");
    }
    // Only the first was ever sent: the others were still queued for the host.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_body_announced_larger_than_the_cap_is_refused_unread() {
    let server = MockServer::start().await;
    serve(
        &server,
        "/big",
        ok(vec![b'x'; 3 * 1024 * 1024], "text/html"),
    )
    .await;
    let f = fetcher(LiveOptions {
        max_body: 1024 * 1024,
        ..opts()
    });
    let url = format!("{}/big", server.uri());
    let err = f.fetch(&url).await.unwrap_err();
    assert_eq!(
        err,
        FetchError::TooLarge {
            url: url.clone(),
            limit_mb: 1
        }
    );
    assert_eq!(
        err.to_string(),
        format!("{url}: response larger than 1 MB (raise --max-body-mb)")
    );
    // Not retried: it would be as large again.
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn the_cap_counts_decompressed_bytes_while_streaming() {
    // 20 MiB of zeros gzip to about 20 KB: the Content-Length is small, the body is not.
    let server = MockServer::start().await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&vec![0u8; 20 * 1024 * 1024]).unwrap();
    let bomb = gz.finish().unwrap();
    assert!(bomb.len() < 1024 * 1024);
    Mock::given(path("/bomb"))
        .respond_with(ok(bomb, "text/html").insert_header("content-encoding", "gzip"))
        .mount(&server)
        .await;
    let f = fetcher(LiveOptions {
        max_body: 1024 * 1024,
        ..opts()
    });
    let err = f
        .fetch(&format!("{}/bomb", server.uri()))
        .await
        .unwrap_err();
    assert!(
        matches!(err, FetchError::TooLarge { limit_mb: 1, .. }),
        "{err:?}"
    );
    // Just under the cap is fine.
    serve(&server, "/fits", ok(vec![b'y'; 1024 * 1024], "text/html")).await;
    let r = f.fetch(&format!("{}/fits", server.uri())).await.unwrap();
    assert_eq!(r.body.len(), 1024 * 1024);
}

#[tokio::test]
async fn a_body_cut_short_names_what_arrived() {
    // A hand-written server: announces 1000 bytes, sends 10, closes.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut s, _) = listener.accept().await.unwrap();
            let mut buf = [0u8; 2048];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n0123456789")
                .await;
            let _ = s.shutdown().await;
        }
    });
    let err = fetcher(LiveOptions {
        retries: 0,
        ..opts()
    })
    .fetch(&format!("http://{addr}/x"))
    .await
    .unwrap_err();
    assert!(err.to_string().contains("cut off after"), "{err}");
}

#[tokio::test]
async fn redirects_are_followed_and_the_asked_url_is_kept() {
    let server = MockServer::start().await;
    Mock::given(path("/Rust-Berlin/events/"))
        .respond_with(ResponseTemplate::new(301).insert_header("location", "/rust-berlin/events/"))
        .mount(&server)
        .await;
    serve(&server, "/rust-berlin/events/", ok(html(), HTML_TYPE)).await;
    let url = format!("{}/Rust-Berlin/events/", server.uri());
    let r = fetcher(opts()).fetch(&url).await.unwrap();
    assert_eq!(r.url, url);
    assert_eq!(r.status, 200);
    assert_eq!(r.body, html());
}

/// With the sources file's host trusted (as the command line sets it), that host is fetched and
/// may redirect within itself; a redirect from it to another loopback port or address, or a
/// request to one, is refused before anything is sent there, and not retried.
#[tokio::test]
async fn private_addresses_are_not_fetched_even_through_a_redirect() {
    let sources_host = MockServer::start().await;
    let elsewhere = MockServer::start().await;
    serve(&elsewhere, "/admin/", ok(html(), HTML_TYPE)).await;
    serve(&sources_host, "/rust-x/events/", ok(html(), HTML_TYPE)).await;
    let elsewhere_port = elsewhere.address().port();
    let to = [
        format!("http://127.0.0.1:{elsewhere_port}/admin/"),
        format!("http://127.0.0.2:{}/admin/", sources_host.address().port()),
        format!("http://[::1]:{elsewhere_port}/admin/"),
        "/rust-x/events/".to_string(),
    ];
    for (i, location) in to.iter().enumerate() {
        Mock::given(path(format!("/rust-x/events/{i}00000/")))
            .respond_with(ResponseTemplate::new(302).insert_header("location", location.as_str()))
            .mount(&sources_host)
            .await;
    }
    let f = fetcher(LiveOptions {
        trusted: Some(twir_events::link::Trusted::of([format!(
            "{}/rust-x/events/",
            sources_host.uri()
        )
        .as_str()])),
        ..opts()
    });
    for (i, location) in to.iter().take(3).enumerate() {
        let url = format!("{}/rust-x/events/{i}00000/", sources_host.uri());
        let err = f.fetch(&url).await.unwrap_err();
        let FetchError::Network {
            url: u,
            message,
            unreachable,
        } = &err
        else {
            panic!("expected a network error, got {err:?}");
        };
        assert_eq!(*u, url);
        // This URL's own refusal, not the network's.
        assert_eq!(*unreachable, None, "{message}");
        assert!(message.contains("not fetched"), "{location}: {message}");
        assert!(message.contains("redirect to"), "{location}: {message}");
    }
    // A redirect within the sources file's host is followed.
    let url = format!("{}/rust-x/events/300000/", sources_host.uri());
    assert_eq!(f.fetch(&url).await.unwrap().body, html());
    // Asked directly, another port of the same address is refused before any request.
    let err = f.fetch(&to[0]).await.unwrap_err();
    assert!(err.to_string().contains("not fetched"), "{err}");
    let err = f
        .fetch(&format!(
            "http://localhost:{}/rust-x/events/",
            sources_host.address().port()
        ))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("not fetched"), "{err}");
    assert_eq!(elsewhere.received_requests().await.unwrap().len(), 0);
    // Each refused redirect asked the sources file's host once (no retry), plus the followed one.
    assert_eq!(sources_host.received_requests().await.unwrap().len(), 3 + 2);
}

#[tokio::test]
async fn a_redirect_loop_is_a_network_error() {
    let server = MockServer::start().await;
    Mock::given(path("/loop"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/loop"))
        .mount(&server)
        .await;
    let url = format!("{}/loop", server.uri());
    let err = fetcher(opts()).fetch(&url).await.unwrap_err();
    match err {
        FetchError::Network {
            url: u,
            message,
            unreachable,
        } => {
            assert_eq!(u, url);
            assert!(message.contains("redirect"), "{message}");
            assert_eq!(unreachable, None, "a server answered");
        }
        other => panic!("expected a network error, got {other:?}"),
    }
    // 1 request + 10 redirects followed, then it stops.
    assert_eq!(server.received_requests().await.unwrap().len(), 11);
}

#[tokio::test]
async fn gzip_bodies_are_decoded() {
    let server = MockServer::start().await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&ics()).unwrap();
    let compressed = gz.finish().unwrap();
    Mock::given(path("/gz.ics"))
        .and(header("accept-encoding", "gzip"))
        .respond_with(ok(compressed, ICS_TYPE).insert_header("content-encoding", "gzip"))
        .mount(&server)
        .await;
    let r = fetcher(opts())
        .fetch(&format!("{}/gz.ics", server.uri()))
        .await
        .unwrap();
    assert_eq!(r.body, ics());
}

#[tokio::test]
async fn connection_refused_is_a_network_error_with_the_cause() {
    let url = format!("http://127.0.0.1:{}/x", common::refused_port());
    let err = fetcher(LiveOptions {
        retries: 0,
        ..opts()
    })
    .fetch(&url)
    .await
    .unwrap_err();
    match err {
        FetchError::Network {
            url: u,
            message,
            unreachable,
        } => {
            assert_eq!(u, url);
            assert_eq!(unreachable, Some(Unreachable::Refused), "{message}");
            assert!(
                message.to_lowercase().contains("connect"),
                "the cause chain is flattened into the message: {message}"
            );
            assert!(
                !message.contains(&url),
                "the URL is not repeated: {message}"
            );
        }
        other => panic!("expected a network error, got {other:?}"),
    }
}

#[tokio::test]
async fn a_name_that_does_not_resolve_is_a_dns_failure() {
    // `.invalid` never resolves (RFC 2606), with or without a network.
    let url = "http://no-such-host.invalid/feed.ics";
    for trusted in [None, Some(twir_events::link::Trusted::of([url]))] {
        let err = fetcher(LiveOptions {
            retries: 0,
            trusted,
            ..opts()
        })
        .fetch(url)
        .await
        .unwrap_err();
        assert_eq!(err.unreachable(), Some(Unreachable::Dns), "{err:?}");
        assert_eq!(err.url(), url);
    }
}

#[tokio::test]
async fn a_server_that_does_not_speak_tls_is_a_tls_failure() {
    let server = MockServer::start().await;
    let url = server.uri().replace("http://", "https://") + "/feed.ics";
    let err = fetcher(LiveOptions {
        retries: 0,
        ..opts()
    })
    .fetch(&url)
    .await
    .unwrap_err();
    assert_eq!(err.unreachable(), Some(Unreachable::Tls), "{err:?}");
}

#[tokio::test]
async fn a_non_http_url_is_refused_without_a_request() {
    let err = fetcher(opts())
        .fetch("file:///etc/passwd")
        .await
        .unwrap_err();
    assert!(matches!(err, FetchError::Network { .. }), "{err:?}");
}

/// In-flight counters shared by the handlers of one or more [`counting_server`]s.
#[derive(Default)]
struct Counter {
    now: AtomicUsize,
    max: AtomicUsize,
}

impl Counter {
    fn enter(&self) {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.max.fetch_max(now, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

/// A minimal HTTP/1.1 server that counts requests in flight. Each handler holds its response
/// until `wait_for.now` reaches `target` (or 3 s pass), then a little longer so that a request
/// beyond the limit would show up; the counts drop *before* the response is written, so a
/// client that honours its limit can never push a count past it.
async fn counting_server(
    counters: Vec<Arc<Counter>>,
    wait_for: Arc<Counter>,
    target: usize,
) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let counters = counters.clone();
            let wait_for = wait_for.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 1024];
                while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut chunk).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => buf.extend_from_slice(&chunk[..n]),
                    }
                }
                for c in &counters {
                    c.enter();
                }
                let start = Instant::now();
                while wait_for.now.load(Ordering::SeqCst) < target
                    && start.elapsed() < Duration::from_secs(3)
                {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
                for c in &counters {
                    c.leave();
                }
                let _ = sock
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok")
                    .await;
                let _ = sock.shutdown().await;
            });
        }
    });
    addr
}

#[tokio::test]
async fn per_host_limit_bounds_requests_to_one_host() {
    let host = Arc::new(Counter::default());
    let addr = counting_server(vec![host.clone()], host.clone(), 2).await;
    let f = fetcher(LiveOptions {
        concurrency: 8,
        per_host: 2,
        ..opts()
    });
    let urls: Vec<String> = (0..8)
        .map(|i| format!("http://{addr}/group-{i}/events/"))
        .collect();
    let results = futures::future::join_all(urls.iter().map(|u| f.fetch(u))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(host.max.load(Ordering::SeqCst), 2, "per-host limit 2");
}

#[tokio::test]
async fn global_limit_bounds_requests_over_all_hosts() {
    let all = Arc::new(Counter::default());
    let a = Arc::new(Counter::default());
    let b = Arc::new(Counter::default());
    let addr_a = counting_server(vec![all.clone(), a.clone()], all.clone(), 3).await;
    let addr_b = counting_server(vec![all.clone(), b.clone()], all.clone(), 3).await;
    let f = fetcher(LiveOptions {
        concurrency: 3,
        per_host: 3,
        ..opts()
    });
    let urls: Vec<String> = (0..6)
        .flat_map(|i| {
            [
                format!("http://{addr_a}/{i}"),
                format!("http://{addr_b}/{i}"),
            ]
        })
        .collect();
    let results = futures::future::join_all(urls.iter().map(|u| f.fetch(u))).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    assert_eq!(all.max.load(Ordering::SeqCst), 3, "global limit 3");
    assert!(a.max.load(Ordering::SeqCst) <= 3 && b.max.load(Ordering::SeqCst) <= 3);
}

// Recording a snapshot and replaying it.
#[path = "fetch/record.rs"]
mod record;
