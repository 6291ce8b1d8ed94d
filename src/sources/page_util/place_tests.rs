use super::*;

#[test]
fn states_become_codes_and_gb_postcodes_go() {
    let p = make_place(Some("Austin"), Some("Texas"), Some("us")).unwrap();
    assert_eq!(p.to_string(), "Austin, TX, US");
    let p = make_place(Some("Vancouver"), Some("bc"), Some("ca")).unwrap();
    assert_eq!(p.to_string(), "Vancouver, BC, CA");
    let p = make_place(Some("Cardiff"), Some("CF11"), Some("gb")).unwrap();
    assert_eq!(p.state, None);
}
