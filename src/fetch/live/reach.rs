//! What the fetcher may reach when it screens private addresses (`LiveOptions::trusted`):
//! the rule is the link gate's ([`crate::link::is_private`], [`crate::link::is_private_ip`]),
//! applied at the three places a request can end up on this machine or its network: the URL
//! asked for (an IP literal, `localhost`), every redirect (reqwest's custom policy) and every
//! name's DNS answer (a resolver that keeps only public addresses). The sources file's own
//! hosts and ports ([`Trusted`]) stay reachable.

use crate::link::{self, Trusted};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{SocketAddr, ToSocketAddrs};
use std::sync::Arc;

/// A request refused because it would reach a private address; in reqwest's error chain,
/// told apart by its type (never retried).
#[derive(Debug)]
pub(super) struct Refused(pub(super) String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// Why `url` may not be fetched, if it may not: a private IP literal or `localhost` whose host
/// and port the sources file does not name.
pub(super) fn refusal(url: &url::Url, trusted: &Trusted) -> Option<String> {
    (link::is_private(url) && !trusted.allows(url)).then(|| {
        format!(
            "not fetched: {} is a private, loopback or link-local address the sources file does not name",
            url.host_str().unwrap_or_default()
        )
    })
}

/// Follows at most `max` redirects, none to a private address but the trusted ones.
pub(super) fn redirect_policy(trusted: Arc<Trusted>, max: usize) -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max {
            return attempt.error(format!("too many redirects (more than {max})"));
        }
        match refusal(attempt.url(), &trusted) {
            Some(why) => {
                let why = format!("redirect to {} {why}", attempt.url());
                attempt.error(Refused(why))
            }
            None => attempt.follow(),
        }
    })
}

/// The system's resolver (`getaddrinfo` on the blocking pool, as reqwest's own), keeping only
/// public addresses for names the sources file does not name.
#[derive(Debug)]
pub(super) struct PublicResolver {
    pub(super) trusted: Arc<Trusted>,
}

impl Resolve for PublicResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let trusted = Arc::clone(&self.trusted);
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup = host.clone();
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs())
                    .await??
                    .collect();
            let kept = screen(&host, addrs, &trusted)?;
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// The addresses of `host` a request may connect to: all of them for a trusted name, else the
/// public ones; a name with only private addresses is refused.
pub(super) fn screen(
    host: &str,
    addrs: Vec<SocketAddr>,
    trusted: &Trusted,
) -> Result<Vec<SocketAddr>, Refused> {
    if trusted.allows_host(host) {
        return Ok(addrs);
    }
    let first = addrs.first().copied();
    let public: Vec<SocketAddr> = addrs
        .into_iter()
        .filter(|a| !link::is_private_ip(a.ip()))
        .collect();
    match first {
        Some(private) if public.is_empty() => Err(Refused(format!(
            "not fetched: {host} resolves to {}, a private, loopback or link-local address",
            private.ip()
        ))),
        _ => Ok(public),
    }
}

/// Whether a request failed because [`Refused`] (anywhere in the error's chain).
pub(super) fn was_refused(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut source = Some(e);
    while let Some(s) = source {
        if s.downcast_ref::<Refused>().is_some() {
            return true;
        }
        source = s.source();
    }
    false
}
