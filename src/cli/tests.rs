use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn window_defaults_match_the_seeds() {
    // Issue 480 was written on Wednesday 2023-02-01: "between 2023-02-01 - 2023-03-01".
    let w = window(d("2023-02-01"), None, None, 4).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-01"), d("2023-03-01")));
    // From a Saturday, the next Wednesday.
    let w = window(d("2023-01-28"), None, None, 4).unwrap();
    assert_eq!(w.from, d("2023-02-01"));
    let w = window(d("2023-02-02"), None, None, 2).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-08"), d("2023-02-22")));
    assert!(
        window(
            d("2023-02-02"),
            Some(d("2023-03-01")),
            Some(d("2023-02-01")),
            4
        )
        .is_err()
    );
}
