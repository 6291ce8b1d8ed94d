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

/// The source at `url`, failed with `error`.
fn failed_at(url: &str, error: FetchError) -> SourceReport {
    let mut r = SourceReport::new(SourceKind::Meetup, url, url);
    r.state = SourceStatus::Failed(Failure::Fetch(error));
    r
}

/// A meetup group's source that failed with `error`.
fn failed(i: usize, error: FetchError) -> SourceReport {
    failed_at(&format!("https://www.meetup.com/rust-{i}/"), error)
}

/// A source that was read.
fn ok() -> SourceReport {
    SourceReport::new(
        SourceKind::Ical,
        "https://calendar.example/feed.ics",
        "feed",
    )
}

/// Source `i`'s URL, on one of three hosts.
fn spread(i: usize) -> String {
    let host = ["www.meetup.com", "lu.ma", "calendar.example"][i % 3];
    format!("https://{host}/rust-{i}/")
}

/// `n` sources on three hosts whose every DNS lookup failed.
fn offline(n: usize) -> Vec<SourceReport> {
    (0..n)
        .map(|i| failed_at(&spread(i), dns(&spread(i))))
        .collect()
}

fn outcome(reports: Vec<SourceReport>) -> Outcome {
    Outcome {
        reports,
        ..Outcome::default()
    }
}

fn report_lines(outcome: &Outcome, verbosity: Verbosity) -> Vec<String> {
    source_lines(outcome, &shared_failures(outcome), verbosity)
}

fn failed_lines(lines: &[String]) -> usize {
    lines.iter().filter(|l| l.starts_with("FAILED")).count()
}

const THREE_HOSTS: &str = "hosts calendar.example, lu.ma, www.meetup.com";

#[test]
fn one_dns_cause_for_every_source_is_said_once() {
    let o = outcome(offline(41));
    for verbosity in [Verbosity::Quiet, Verbosity::Normal] {
        assert_eq!(
            report_lines(&o, verbosity),
            [format!(
                "no network: 41 sources could not be reached (DNS lookup failed; {THREE_HOSTS}); --verbose lists them"
            )],
            "{verbosity:?}"
        );
    }
    // Verbose: the line, then every source's own.
    let lines = report_lines(&o, Verbosity::Verbose);
    assert_eq!(lines.len(), 42, "{lines:#?}");
    assert!(lines[0].starts_with("no network: 41 sources could not be reached"));
    assert!(!lines[0].contains("--verbose"), "{}", lines[0]);
    assert_eq!(failed_lines(&lines), 41);
    assert!(
        lines[1].contains("rust-0/: error sending request"),
        "{}",
        lines[1]
    );
}

#[test]
fn failures_a_server_answered_are_listed_one_by_one() {
    // Three sources answered 404 or 500, or a login page: the network works, so the DNS
    // failures are a group of their own (not "no network") and each answered failure keeps
    // its line.
    let mut reports = offline(38);
    reports.push(failed(38, status("https://www.meetup.com/rust-38/", 404)));
    reports.push(failed(39, status("https://www.meetup.com/rust-39/", 500)));
    let mut login = failed(40, status("https://x.example/", 200));
    login.state = SourceStatus::Failed(Failure::Read("a login page".into()));
    reports.push(login);
    let o = outcome(reports);
    let lines = report_lines(&o, Verbosity::Normal);
    assert_eq!(lines.len(), 4, "{lines:#?}");
    assert_eq!(
        lines[0],
        format!(
            "DNS lookup failed: 38 sources could not be reached ({THREE_HOSTS}); --verbose lists them"
        )
    );
    assert!(
        lines[1].ends_with("rust-38/: HTTP status 404"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].ends_with("rust-39/: HTTP status 500"),
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
    reports.push(failed(2, status("https://www.meetup.com/rust-2/", 404)));
    reports.push(ok());
    let lines = report_lines(&outcome(reports), Verbosity::Normal);
    assert_eq!(failed_lines(&lines), 3, "{lines:#?}");
    assert_eq!(lines.len(), 3, "{lines:#?}");
}

#[test]
fn many_failures_on_one_or_two_hosts_are_those_hosts_and_listed() {
    // Eight groups hang on meetup.com, one on another server, while the calendar answered:
    // which groups a hanging host cost is worth a line each.
    let mut reports: Vec<SourceReport> = (0..8)
        .map(|i| failed(i, timeout(&format!("https://www.meetup.com/rust-{i}/"))))
        .collect();
    let other = "https://rust.example:8443/";
    reports.push(failed_at(other, timeout(other)));
    reports.push(ok());
    let lines = report_lines(&outcome(reports), Verbosity::Normal);
    assert_eq!(failed_lines(&lines), 9, "{lines:#?}");
    assert_eq!(lines.len(), 9, "{lines:#?}");
}

#[test]
fn when_nothing_answered_every_cause_is_in_the_one_line() {
    // Offline, a few lookups outlast the connect timeout: still no network.
    let mut reports = offline(39);
    reports.push(failed(39, timeout("https://www.meetup.com/rust-39/")));
    // A luma calendar whose page could not be reached, so no calendar id for its feed.
    let page = "https://luma.com/rust-x";
    let mut luma = failed_at(page, dns(page));
    luma.state = SourceStatus::Failed(Failure::PageNotFetched(dns(page)));
    reports.push(luma);
    assert_eq!(
        report_lines(&outcome(reports), Verbosity::Quiet),
        [
            "no network: 41 sources could not be reached (DNS lookup failed for 40, no answer in time for 1; hosts calendar.example, lu.ma, luma.com and 1 more); --verbose lists them"
        ]
    );
}

#[test]
fn event_pages_not_checked_for_the_same_cause_are_counted_in_the_line() {
    let mut reports = offline(3);
    reports.push(ok());
    let mut o = outcome(reports);
    let page_hosts = ["lu.ma", "meetup.com", "luma.com"];
    o.unverified = (0..5)
        .map(|i| Unverified {
            code: crate::run::PageProblem::NoAnswer,
            unreachable: Some(Unreachable::Dns),
            ..Unverified::of_test(
                &format!("Meetup {i}"),
                &format!("2026-10-0{}", i + 1),
                &format!("{}; kept the calendar's data", dns("https://lu.ma/x")),
                Some(&format!("{}/event-{i}", page_hosts[i % 3])),
            )
        })
        .chain([Unverified::of_test(
            "Other",
            "2026-10-09",
            "HTTP status 404; kept the calendar's data",
            Some("meetup.com/rust-x/events/1"),
        )])
        .collect();
    let shared = shared_failures(&o);
    assert_eq!(
        source_lines(&o, &shared, Verbosity::Normal),
        [
            "DNS lookup failed: 3 sources could not be reached and 5 event pages not checked (hosts calendar.example, lu.ma, luma.com and 2 more); --verbose lists them"
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
    o.reports = vec![ok()];
    assert!(report_lines(&o, Verbosity::Quiet).is_empty());
    assert_eq!(
        report_lines(&o, Verbosity::Normal),
        [
            "DNS lookup failed: 5 event pages not checked (hosts lu.ma, luma.com, meetup.com); --verbose lists them"
        ]
    );
}

fn snapshot(not_recorded: Vec<FetchError>, responses: usize) -> SnapshotSummary {
    SnapshotSummary {
        dir: "snap".into(),
        responses,
        statuses: 0,
        bytes: 0,
        not_recorded,
    }
}

#[test]
fn urls_not_recorded_for_one_cause_are_said_once() {
    let offline: Vec<FetchError> = (0..41).map(|i| dns(&spread(i))).collect();
    let s = snapshot(offline, 0);
    for verbosity in [Verbosity::Quiet, Verbosity::Normal] {
        assert_eq!(
            not_recorded_lines(&s, verbosity),
            [format!(
                "not recorded: no network: 41 URLs could not be reached (DNS lookup failed; {THREE_HOSTS}); --verbose lists them"
            )]
        );
    }
    assert_eq!(not_recorded_lines(&s, Verbosity::Verbose).len(), 42);

    // Some answers were recorded: the timeouts on three hosts are a group of their own, the
    // lone DNS failure is listed.
    let mut mixed: Vec<FetchError> = (0..4)
        .map(|i| timeout(&format!("https://slow-{}.example/{i}", i % 3)))
        .collect();
    mixed.push(dns("https://gone.example/feed.ics"));
    assert_eq!(
        not_recorded_lines(&snapshot(mixed, 12), Verbosity::Normal),
        [
            "not recorded: no answer in time: 4 URLs could not be reached (hosts slow-0.example, slow-1.example, slow-2.example); --verbose lists them",
            "not recorded: https://gone.example/feed.ics: error sending request: client error (Connect): dns error: failed to lookup address information: Name or service not known",
        ]
    );
    // The timeouts of one host: that host's, listed.
    let one_host: Vec<FetchError> = (0..4)
        .map(|i| timeout(&format!("https://slow.example/{i}")))
        .collect();
    assert_eq!(
        not_recorded_lines(&snapshot(one_host, 12), Verbosity::Normal).len(),
        4
    );
}

#[test]
fn a_failed_source_s_line_says_how_many_of_its_events_were_kept() {
    let mut r = failed(1, status("https://www.meetup.com/rust-1/", 503));
    r.carried_over = 2;
    let lines = source_lines_of(&r, Verbosity::Normal);
    assert_eq!(
        lines[1],
        "       2 events from the previous file kept, as last seen (stale)"
    );
    // Quiet: the failure only.
    assert_eq!(source_lines_of(&r, Verbosity::Quiet).len(), 1);
}

#[test]
fn every_count_takes_its_number() {
    let one = MergeCounts {
        same_link: 1,
        other: 1,
        mirrors: 1,
    };
    assert_eq!(
        one.to_string(),
        "merged: 1 entry listed twice with the same event link, 1 other duplicate, 1 mirrored session"
    );
    let mut r = ok();
    r.events = 1;
    r.warnings = vec!["a repaired entry".into()];
    assert_eq!(
        source_lines_of(&r, Verbosity::Verbose),
        [
            "ok     ical   feed: 1 event, 1 warning",
            "       warning: a repaired entry"
        ]
    );
}
