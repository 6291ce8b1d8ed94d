use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn from_thursday_on_the_window_of_json_and_publish_starts_today() {
    // Thursday 2023-02-02: the newsletter's window starts next Wednesday, json's and
    // publish's today, and both end on the next issue's last day.
    let thursday = d("2023-02-02");
    let issue = window(thursday, None, None, 4, WindowStart::NextIssue).unwrap();
    assert_eq!((issue.from, issue.to), (d("2023-02-08"), d("2023-03-08")));
    let feeds = window(thursday, None, None, 4, WindowStart::Today).unwrap();
    assert_eq!((feeds.from, feeds.to), (thursday, d("2023-03-08")));
    // An event in progress: a conference from Wednesday to Friday is in it, Wednesday's
    // meetup is not.
    assert!(feeds.overlaps(d("2023-02-01"), d("2023-02-03")));
    assert!(!feeds.overlaps(d("2023-02-01"), d("2023-02-01")));
    // On a Wednesday both are the issue's.
    let wednesday = d("2023-02-01");
    assert_eq!(
        window(wednesday, None, None, 4, WindowStart::Today).unwrap(),
        window(wednesday, None, None, 4, WindowStart::NextIssue).unwrap()
    );
    // Every day of the week, the window from today ends no earlier than the day before's.
    let mut last = feeds.to;
    for n in 1..=7 {
        let w = window(
            thursday + Duration::days(n),
            None,
            None,
            4,
            WindowStart::Today,
        )
        .unwrap();
        assert_eq!(w.from, thursday + Duration::days(n));
        assert!(w.to >= last, "{w:?}");
        last = w.to;
    }
    // Explicit --from and --to win.
    let w = window(thursday, Some(d("2023-02-10")), None, 1, WindowStart::Today).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-10"), d("2023-02-17")));
    let w = window(thursday, None, Some(d("2023-02-05")), 4, WindowStart::Today).unwrap();
    assert_eq!((w.from, w.to), (thursday, d("2023-02-05")));
}

#[test]
fn window_defaults_match_the_seeds() {
    // Issue 480 was written on Wednesday 2023-02-01: "between 2023-02-01 - 2023-03-01".
    let w = window(d("2023-02-01"), None, None, 4, WindowStart::NextIssue).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-01"), d("2023-03-01")));
    // From a Saturday, the next Wednesday.
    let w = window(d("2023-01-28"), None, None, 4, WindowStart::NextIssue).unwrap();
    assert_eq!(w.from, d("2023-02-01"));
    let w = window(d("2023-02-02"), None, None, 2, WindowStart::NextIssue).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-08"), d("2023-02-22")));
    assert!(
        window(
            d("2023-02-02"),
            Some(d("2023-03-01")),
            Some(d("2023-02-01")),
            4,
            WindowStart::Today
        )
        .is_err()
    );
}
