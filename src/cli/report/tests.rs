use super::*;
use crate::config::SourceKind;
use crate::fetch::{FetchError, Unreachable};
use crate::run::{Failure, SourceStatus, Unverified};

/// What reqwest's chain says for a name that does not resolve, typed as the fetcher types it.
fn dns(url: &str) -> FetchError {
    FetchError::Network {
        url: url.into(),
        message: "error sending request: client error (Connect): dns error: failed to lookup address information: Name or service not known".into(),
        unreachable: Some(Unreachable::Dns),
    }
}

fn status(url: &str, status: u16) -> FetchError {
    FetchError::Status {
        url: url.into(),
        status,
    }
}

fn timeout(url: &str) -> FetchError {
    FetchError::Timeout {
        url: url.into(),
        seconds: 5,
    }
}

/// A meetup group's source that failed with `error`.
fn failed(i: usize, error: FetchError) -> SourceReport {
    let url = format!("https://www.meetup.com/rust-{i}/");
    let mut r = SourceReport::new(SourceKind::from_name("meetup").unwrap(), &url, &url);
    r.state = SourceStatus::Failed(Failure::Fetch(error));
    r
}

fn outcome(reports: Vec<SourceReport>) -> Outcome {
    Outcome {
        reports,
        ..Outcome::default()
    }
}

/// `n` meetup sources whose every DNS lookup failed.
fn offline(n: usize) -> Vec<SourceReport> {
    (0..n)
        .map(|i| failed(i, dns(&format!("https://www.meetup.com/rust-{i}/events/"))))
        .collect()
}

fn report_lines(outcome: &Outcome, verbosity: Verbosity) -> Vec<String> {
    source_lines(outcome, &shared_failures(outcome), verbosity)
}

fn failed_lines(lines: &[String]) -> usize {
    lines.iter().filter(|l| l.starts_with("FAILED")).count()
}

#[test]
fn one_dns_cause_for_every_source_is_said_once() {
    let o = outcome(offline(41));
    for verbosity in [Verbosity::Quiet, Verbosity::Normal] {
        let lines = report_lines(&o, verbosity);
        assert_eq!(
            lines,
            [
                "no network: 41 sources could not be reached (DNS lookup failed; host www.meetup.com); --verbose lists them"
            ],
            "{verbosity:?}"
        );
    }
    // Verbose: the line, then every source's own.
    let lines = report_lines(&o, Verbosity::Verbose);
    assert_eq!(lines.len(), 42, "{lines:#?}");
    assert!(lines[0].starts_with("no network: 41 sources could not be reached"));
    assert!(!lines[0].contains("--verbose"), "{}", lines[0]);
    assert_eq!(failed_lines(&lines), 41);
    assert!(lines[1].contains("rust-0/events/: error sending request"));
}

#[test]
fn failures_a_server_answered_are_listed_one_by_one() {
    // Three sources answered 404 or 500: the network works, so the DNS failures are a group
    // of their own (not "no network") and each answered failure keeps its line.
    let mut reports = offline(38);
    reports.push(failed(
        38,
        status("https://www.meetup.com/rust-38/events/", 404),
    ));
    reports.push(failed(
        39,
        status("https://www.meetup.com/rust-39/events/", 500),
    ));
    let mut login = failed(40, status("https://x.example/", 200));
    login.state = SourceStatus::Failed(Failure::Read("a login page".into()));
    reports.push(login);
    let o = outcome(reports);
    let lines = report_lines(&o, Verbosity::Normal);
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(
        lines[0],
        "DNS lookup failed: 38 sources could not be reached (host www.meetup.com); --verbose lists them"
    );
    assert!(
        lines[1].ends_with("rust-38/events/: HTTP status 404"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with("rust-39/events/: HTTP status 500"),
        "{}",
        lines[2]
    );
    assert!(lines[3].ends_with("a login page"), "{}", lines[3]);
    assert_eq!(report_lines(&o, Verbosity::Quiet), lines);
    assert_eq!(failed_lines(&report_lines(&o, Verbosity::Verbose)), 41);
}

#[test]
fn fewer_than_three_failures_of_one_cause_are_listed_as_any_other() {
    let mut reports = offline(2);
    reports.push(failed(
        2,
        status("https://www.meetup.com/rust-2/events/", 404),
    ));
    reports.push(SourceReport::new(
        SourceKind::from_name("ical").unwrap(),
        "https://calendar.example/feed.ics",
        "feed",
    ));
    let lines = report_lines(&outcome(reports), Verbosity::Normal);
    assert_eq!(failed_lines(&lines), 3, "{lines:#?}");
    assert_eq!(lines.len(), 3, "{lines:#?}");
}

#[test]
fn when_nothing_answered_every_cause_is_in_the_one_line() {
    // Offline, a few lookups outlast the connect timeout: still no network.
    let mut reports = offline(39);
    reports.push(failed(
        39,
        timeout("https://www.meetup.com/rust-39/events/"),
    ));
    let mut luma = failed(40, dns("https://luma.com/rust-x"));
    // A luma calendar: its page unreachable, so no calendar id for its feed.
    luma.url = "https://luma.com/rust-x".into();
    luma.state = SourceStatus::Failed(Failure::FeedAndPage {
        feed: Box::new(Failure::NoCalendarId {
            url: luma.url.clone(),
        }),
        page: Box::new(Failure::Fetch(dns("https://luma.com/rust-x"))),
    });
    reports.push(luma);
    let lines = report_lines(&outcome(reports), Verbosity::Quiet);
    assert_eq!(
        lines,
        [
            "no network: 41 sources could not be reached (DNS lookup failed for 40, no answer in time for 1; hosts luma.com, www.meetup.com); --verbose lists them"
        ]
    );
}

#[test]
fn event_pages_not_checked_for_the_same_cause_are_counted_in_the_line() {
    let mut reports = offline(3);
    reports.push(SourceReport::new(
        SourceKind::from_name("ical").unwrap(),
        "https://calendar.example/feed.ics",
        "feed",
    ));
    let mut o = outcome(reports);
    o.unverified = (0..5)
        .map(|i| Unverified {
            entry: format!("\"Meetup {i}\" on 2026-10-0{i}"),
            reason: format!("{}; kept the calendar's data", dns("https://lu.ma/x")),
            page: Some(format!("lu.ma/event-{i}")),
            unreachable: Some(Unreachable::Dns),
        })
        .chain([Unverified {
            entry: "\"Other\" on 2026-10-09".into(),
            reason: "HTTP status 404; kept the calendar's data".into(),
            page: Some("meetup.com/rust-x/events/1".into()),
            unreachable: None,
        }])
        .collect();
    let shared = shared_failures(&o);
    let lines = source_lines(&o, &shared, Verbosity::Normal);
    assert_eq!(
        lines,
        [
            "DNS lookup failed: 3 sources could not be reached and 5 event pages not checked (hosts lu.ma, www.meetup.com); --verbose lists them"
        ]
    );
    let unverified = unverified_lines(&o, &shared, false);
    assert_eq!(unverified.len(), 2, "{unverified:#?}");
    assert!(unverified[0].contains("\"Other\""), "{}", unverified[0]);
    assert!(
        unverified[1].starts_with("unverified: 5 entries whose event page could not be reached"),
        "{}",
        unverified[1]
    );
    assert_eq!(unverified_lines(&o, &shared, true).len(), 6);

    // Pages alone: a review matter, not an error; quiet says nothing of them.
    let mut o = o.clone();
    o.reports.truncate(1);
    o.reports[0].state = SourceStatus::Ok;
    assert!(report_lines(&o, Verbosity::Quiet).is_empty());
    assert_eq!(
        report_lines(&o, Verbosity::Normal),
        ["DNS lookup failed: 5 event pages not checked (host lu.ma); --verbose lists them"]
    );
}

fn snapshot(not_recorded: Vec<FetchError>, responses: usize) -> SnapshotSummary {
    SnapshotSummary {
        dir: "snap".into(),
        responses,
        bytes: 0,
        statuses: 0,
        not_recorded,
    }
}

#[test]
fn urls_not_recorded_for_one_cause_are_said_once() {
    let offline: Vec<FetchError> = (0..41)
        .map(|i| dns(&format!("https://www.meetup.com/rust-{i}/events/")))
        .collect();
    let s = snapshot(offline.clone(), 0);
    for verbosity in [Verbosity::Quiet, Verbosity::Normal] {
        assert_eq!(
            not_recorded_lines(&s, verbosity),
            [
                "not recorded: no network: 41 URLs could not be reached (DNS lookup failed; host www.meetup.com); --verbose lists them"
            ]
        );
    }
    assert_eq!(not_recorded_lines(&s, Verbosity::Verbose).len(), 42);

    // Some answers were recorded: the timeouts of one host are a group of their own, the
    // lone DNS failure is listed.
    let mut mixed: Vec<FetchError> = (0..4)
        .map(|i| timeout(&format!("https://slow.example/{i}")))
        .collect();
    mixed.push(dns("https://gone.example/feed.ics"));
    let lines = not_recorded_lines(&snapshot(mixed, 12), Verbosity::Normal);
    assert_eq!(
        lines,
        [
            "not recorded: no answer in time: 4 URLs could not be reached (host slow.example); --verbose lists them",
            "not recorded: https://gone.example/feed.ics: error sending request: client error (Connect): dns error: failed to lookup address information: Name or service not known",
        ]
    );
}
