use super::attempt::{backoff, retry_after, retry_after_at};
use super::*;
use reqwest::header::{HeaderMap, RETRY_AFTER};

#[test]
fn default_options_match_the_documented_values() {
    let o = LiveOptions::default();
    assert_eq!(o.timeout, Duration::from_secs(20));
    assert_eq!(o.connect_timeout, Duration::from_secs(5));
    assert_eq!(o.idle_timeout, Duration::from_secs(10));
    assert_eq!(o.run_deadline, Duration::from_secs(120));
    assert_eq!(o.max_body, 8 * MB);
    assert_eq!((o.concurrency, o.per_host, o.retries), (8, 4, 1));
    assert!(o.user_agent.starts_with("twir-events/"));
    assert!(
        o.user_agent
            .ends_with("(+https://github.com/rust-lang/this-week-in-rust)")
    );
    assert!(o.user_agent.contains(env!("CARGO_PKG_VERSION")));
}

#[test]
fn host_key_includes_the_port_and_ignores_case() {
    assert_eq!(
        host_key("https://www.Meetup.com/rust-berlin/events/").unwrap(),
        "www.meetup.com:443"
    );
    assert_eq!(
        host_key("http://127.0.0.1:8080/x").unwrap(),
        "127.0.0.1:8080"
    );
    assert!(matches!(
        host_key("not a url"),
        Err(FetchError::Network { .. })
    ));
    let err = host_key("ftp://example.com/x").unwrap_err();
    assert!(err.to_string().contains("only http and https"), "{err}");
}

#[test]
fn retry_after_reads_seconds_only() {
    let mut h = HeaderMap::new();
    assert_eq!(retry_after(&h), None);
    h.insert(RETRY_AFTER, " 3 ".parse().unwrap());
    assert_eq!(retry_after(&h), Some(Duration::from_secs(3)));
    h.insert(
        RETRY_AFTER,
        "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
    );
    assert_eq!(retry_after(&h), None);
}

#[test]
fn retry_after_reads_an_http_date_still_to_come() {
    let now = httpdate::parse_http_date("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
    let mut h = HeaderMap::new();
    h.insert(
        RETRY_AFTER,
        "Wed, 21 Oct 2015 07:28:07 GMT".parse().unwrap(),
    );
    assert_eq!(retry_after_at(&h, now), Some(Duration::from_secs(7)));
    // Past, or now: absent (the default backoff).
    for past in [
        "Wed, 21 Oct 2015 07:27:00 GMT",
        "Wed, 21 Oct 2015 07:28:00 GMT",
    ] {
        h.insert(RETRY_AFTER, past.parse().unwrap());
        assert_eq!(retry_after_at(&h, now), None, "{past}");
    }
    for junk in ["soon", "-3", "1.5", "Wed, 21 Oct 2015"] {
        h.insert(RETRY_AFTER, junk.parse().unwrap());
        assert_eq!(retry_after_at(&h, now), None, "{junk}");
    }
}

#[test]
fn whole_seconds_round_up() {
    use super::attempt::whole_seconds;
    assert_eq!(whole_seconds(Duration::ZERO), 0);
    assert_eq!(whole_seconds(Duration::from_millis(500)), 1);
    assert_eq!(whole_seconds(Duration::from_secs(20)), 20);
    assert_eq!(whole_seconds(Duration::from_millis(20_001)), 21);
}

#[test]
fn backoff_doubles_and_is_capped() {
    assert_eq!(backoff(0), Duration::from_millis(500));
    assert_eq!(backoff(1), Duration::from_secs(1));
    assert_eq!(backoff(2), Duration::from_secs(2));
    assert_eq!(backoff(10), Duration::from_secs(8));
}

#[derive(Debug)]
struct Chain(&'static str, Option<Box<Chain>>);
impl std::fmt::Display for Chain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}
impl std::error::Error for Chain {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.1.as_deref().map(|c| c as _)
    }
}

#[test]
fn error_chain_flattens_and_skips_repeats() {
    let e = Chain(
        "error sending request",
        Some(Box::new(Chain(
            "tcp connect error: Connection refused",
            Some(Box::new(Chain("Connection refused", None))),
        ))),
    );
    assert_eq!(
        error_chain(&e),
        "error sending request: tcp connect error: Connection refused"
    );
}

#[test]
fn dns_answers_keep_only_public_addresses_but_for_trusted_names() {
    use std::net::SocketAddr;
    let addr = |s: &str| s.parse::<SocketAddr>().unwrap();
    let none = crate::link::Trusted::default();
    let mixed = vec![addr("10.0.0.7:0"), addr("93.184.216.34:0")];
    assert_eq!(
        reach::screen("events.example.org", mixed, &none).unwrap(),
        vec![addr("93.184.216.34:0")]
    );
    let private = vec![addr("127.0.0.1:0"), addr("[::1]:0")];
    let e = reach::screen("rebind.example.org", private.clone(), &none).unwrap_err();
    assert!(e.to_string().contains("resolves to 127.0.0.1"), "{e}");
    let trusted = crate::link::Trusted::of(["http://rebind.example.org:8080/feed.ics"]);
    assert_eq!(
        reach::screen("rebind.example.org", private.clone(), &trusted).unwrap(),
        private
    );
}

#[tokio::test]
async fn the_resolver_refuses_a_name_of_this_machine() {
    use reqwest::dns::Resolve;
    let resolver = reach::Resolver {
        trusted: Some(Arc::new(crate::link::Trusted::default())),
    };
    let Err(e) = resolver.resolve("localhost".parse().unwrap()).await else {
        panic!("localhost resolved to a public address");
    };
    assert!(reach::was_refused(e.as_ref()), "{e}");
    let resolver = reach::Resolver {
        trusted: Some(Arc::new(crate::link::Trusted::of([
            "http://localhost:8080/",
        ]))),
    };
    let addrs: Vec<_> = resolver
        .resolve("localhost".parse().unwrap())
        .await
        .unwrap()
        .collect();
    assert!(addrs.iter().all(|a| a.ip().is_loopback()) && !addrs.is_empty());
}
