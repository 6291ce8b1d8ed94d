//! Failures that share a cause, said once. When no server answered many requests of a run for
//! the same reason (no network, a firewall, an intercepting proxy: [`Unreachable`]), the
//! report says it in one line instead of one line per source, event page or URL, and lists
//! each only when verbose. Failures a server answered (a 404, a 500, a login page) or that are
//! one URL's own (a private address, a reader's refusal) are never grouped: each needs its own
//! look.

use crate::fetch::Unreachable;
use std::collections::{BTreeMap, BTreeSet};

/// A cause is said once from this many failures (sources and pages together) on this many
/// hosts on: then it is the network's or the machine's (no DNS, a firewall, a proxy), not one
/// host's. Fewer, or many on one or two hosts (a hanging meetup.com), are listed one by one,
/// as any other failure: which sources a host's trouble cost is worth a line each.
pub(super) const MIN_SHARED: usize = 3;

/// How many hosts a line names before counting the rest.
const HOSTS_NAMED: usize = 3;

/// One failure, as grouping sees it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Failed<'a> {
    /// Why no server answered, when that is why.
    pub(super) cause: Option<Unreachable>,
    /// The URL it was for (or a page's match key, `host/path`).
    pub(super) url: &'a str,
    /// An event page (not checked), else a source or a URL (not reached).
    pub(super) page: bool,
}

/// The failures of one run said once: one group per shared cause, or, when nothing answered
/// at all, one group of every failure whatever its cause.
#[derive(Debug, Default)]
pub(super) struct Shared {
    /// Nothing answered: the one group is the whole run's ("no network").
    pub(super) nothing_answered: bool,
    pub(super) groups: Vec<Group>,
}

/// Failures said in one line.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Group {
    /// How many failures had each cause.
    pub(super) causes: BTreeMap<Unreachable, usize>,
    /// The hosts they were for.
    pub(super) hosts: BTreeSet<String>,
    /// Sources (or URLs) not reached.
    pub(super) sources: usize,
    /// Event pages not checked.
    pub(super) pages: usize,
}

impl Shared {
    /// Groups `failures`: with `nothing_answered` (every request of the run failed without an
    /// answer), all of them in one group; else one group per cause; a group is kept when it
    /// has at least [`MIN_SHARED`] failures on as many hosts.
    pub(super) fn of<'a>(
        failures: impl IntoIterator<Item = Failed<'a>>,
        nothing_answered: bool,
    ) -> Shared {
        let failures: Vec<Failed> = failures.into_iter().collect();
        let mut by_cause: BTreeMap<Unreachable, Group> = BTreeMap::new();
        for f in &failures {
            if let Some(cause) = f.cause {
                by_cause.entry(cause).or_default().add(cause, f);
            }
        }
        let unreachable = failures.iter().filter(|f| f.cause.is_some()).count();
        if nothing_answered && unreachable == failures.len() {
            let mut all = Group::default();
            for (cause, f) in failures.iter().filter_map(|f| Some((f.cause?, f))) {
                all.add(cause, f);
            }
            if all.shared() {
                return Shared {
                    nothing_answered: true,
                    groups: vec![all],
                };
            }
        }
        Shared {
            nothing_answered: false,
            groups: by_cause.into_values().filter(Group::shared).collect(),
        }
    }

    /// Whether a failure of this cause is said in a group's line (and listed only when
    /// verbose).
    pub(super) fn covers(&self, cause: Option<Unreachable>) -> bool {
        cause.is_some_and(|c| self.groups.iter().any(|g| g.causes.contains_key(&c)))
    }

    /// Each group's line: `HEAD: WHAT (DETAIL)`, where WHAT is made by `what` from the group
    /// (`41 sources could not be reached`), HEAD is `no network` when nothing answered, else
    /// the cause, and DETAIL the causes (when several) and the hosts. Unless `verbose`, the
    /// line ends saying `--verbose` lists them.
    pub(super) fn lines(&self, what: impl Fn(&Group) -> String, verbose: bool) -> Vec<String> {
        self.groups
            .iter()
            .map(|g| {
                let (head, detail) = if self.nothing_answered {
                    (
                        "no network".to_string(),
                        format!("{}; {}", g.causes(), g.hosts()),
                    )
                } else {
                    (g.causes(), g.hosts())
                };
                let more = if verbose {
                    ""
                } else {
                    "; --verbose lists them"
                };
                format!("{head}: {} ({detail}){more}", what(g))
            })
            .collect()
    }
}

impl Group {
    fn add(&mut self, cause: Unreachable, f: &Failed) {
        *self.causes.entry(cause).or_default() += 1;
        self.hosts.insert(host(f.url));
        if f.page {
            self.pages += 1;
        } else {
            self.sources += 1;
        }
    }

    /// Enough failures on enough hosts to be said once ([`MIN_SHARED`]).
    fn shared(&self) -> bool {
        self.sources + self.pages >= MIN_SHARED && self.hosts.len() >= MIN_SHARED
    }

    /// `DNS lookup failed`, or with several causes `DNS lookup failed for 39, no answer in
    /// time for 2`.
    fn causes(&self) -> String {
        if self.causes.len() == 1 {
            return self.causes.keys().map(ToString::to_string).collect();
        }
        let each: Vec<String> = self
            .causes
            .iter()
            .map(|(cause, n)| format!("{cause} for {n}"))
            .collect();
        each.join(", ")
    }

    /// `host www.meetup.com`, `hosts a, b, c and 5 more`.
    fn hosts(&self) -> String {
        let named: Vec<&str> = self
            .hosts
            .iter()
            .take(HOSTS_NAMED)
            .map(String::as_str)
            .collect();
        let rest = self.hosts.len() - named.len();
        match (self.hosts.len(), rest) {
            (1, _) => format!("host {}", named[0]),
            (_, 0) => format!("hosts {}", named.join(", ")),
            _ => format!("hosts {} and {rest} more", named.join(", ")),
        }
    }
}

/// The host of a URL, or of a page's match key (`meetup.com/rust-x/events/1`, no scheme),
/// with its port when the URL names one: `host:port` is one server, as the fetcher's
/// per-host limit counts them.
fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .filter(url::Url::has_host)
        .or_else(|| url::Url::parse(&format!("http://{url}")).ok())
        .and_then(|u| {
            let host = u.host_str()?;
            Some(match u.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            })
        })
        .unwrap_or_else(|| url.to_owned())
}

pub(super) use crate::text::count;
