//! What the fetcher may reach when it screens private addresses (`LiveOptions::trusted`):
//! the rule is the link gate's ([`crate::link::is_private`], [`crate::link::is_private_ip`]),
//! applied at the three places a request can end up on this machine or its network: the URL
//! asked for (an IP literal, `localhost`), every redirect (reqwest's custom policy) and every
//! name's DNS answer (a resolver that keeps only public addresses). The sources file's own
//! hosts and ports ([`Trusted`]) stay reachable. And why a request reached no server
//! ([`unreachable`]: no DNS, refused, TLS), from the types in its error chain.

use super::super::Unreachable;
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

/// The system's resolver (`getaddrinfo` on the blocking pool, as reqwest's own): with
/// `trusted`, keeping only public addresses for names the sources file does not name. Used
/// with or without screening, so that a failed lookup is always a [`LookupFailed`] in the
/// request's error chain.
#[derive(Debug)]
pub(super) struct Resolver {
    /// `None`: every address is kept (tests of the fetcher's other bounds on loopback).
    pub(super) trusted: Option<Arc<Trusted>>,
}

impl Resolve for Resolver {
    fn resolve(&self, name: Name) -> Resolving {
        let trusted = self.trusted.clone();
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let lookup = host.clone();
            let addrs: Vec<SocketAddr> =
                tokio::task::spawn_blocking(move || (lookup.as_str(), 0).to_socket_addrs())
                    .await?
                    .map_err(LookupFailed)?
                    .collect();
            let kept = match &trusted {
                Some(trusted) => screen(&host, addrs, trusted)?,
                None => addrs,
            };
            Ok(Box::new(kept.into_iter()) as Addrs)
        })
    }
}

/// A host name the system's resolver could not resolve (no network, no DNS server, no such
/// name): the type tells it in reqwest's error chain, where the standard library's error has
/// only an uncategorized kind and a platform's message. Says what the lookup error says.
#[derive(Debug)]
pub(super) struct LookupFailed(std::io::Error);

impl std::fmt::Display for LookupFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for LookupFailed {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
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
    chain(e).any(|s| s.downcast_ref::<Refused>().is_some())
}

/// Why a request reached no server, from the types in its error chain: a failed lookup
/// ([`LookupFailed`], our resolver's), a refused connection or a failed TLS handshake (the
/// `std::io::Error` kinds the connector reports them with). `None` for the rest, and for a
/// private address refused here (this URL's own, not the network's). Timeouts are told by
/// `reqwest::Error::is_timeout` where the request is classified.
pub(super) fn unreachable(e: &reqwest::Error) -> Option<Unreachable> {
    if !e.is_connect() || was_refused(e) {
        return None;
    }
    chain(e).find_map(|s| {
        if s.downcast_ref::<LookupFailed>().is_some() {
            return Some(Unreachable::Dns);
        }
        match s.downcast_ref::<std::io::Error>()?.kind() {
            std::io::ErrorKind::ConnectionRefused => Some(Unreachable::Refused),
            // While connecting, only the TLS layer reports invalid data: tokio-rustls wraps
            // every handshake error (an untrusted certificate, a server that does not speak
            // TLS) in this kind; TCP and DNS never use it.
            std::io::ErrorKind::InvalidData => Some(Unreachable::Tls),
            _ => None,
        }
    })
}

/// An error and its sources, outermost first. An `std::io::Error` wrapping another error is
/// followed into it (`get_ref`): its own `source` skips the wrapped error and goes to that
/// error's source, and the connector wraps the TLS layer's errors in two `io::Error`s.
fn chain<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    std::iter::successors(Some(e), |s| match s.downcast_ref::<std::io::Error>() {
        Some(io) => io
            .get_ref()
            .map(|inner| inner as &(dyn std::error::Error + 'static)),
        None => s.source(),
    })
}
