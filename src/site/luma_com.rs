//! luma links: events at `https://luma.com/<slug>` (also `lu.ma/<slug>`), calendars at
//! `luma.com/<name>` or `luma.com/calendar/cal-…`, people at `luma.com/user/…`, a calendar's
//! public feed at `api.lu.ma/ics/get?entity=calendar&id=cal-…`.

/// The site's host, as [`crate::link::parts`] folds it (`lu.ma` is the same site).
pub const HOST: &str = "luma.com";

/// The host a luma host folds to: `lu.ma` → `luma.com`; `None` for other hosts.
pub fn fold_host(host: &str) -> Option<&'static str> {
    matches!(host, "lu.ma" | "luma.com").then_some(HOST)
}

/// A page on luma's site (`luma.com`, `lu.ma`, with or without `www.`) with a path.
pub fn is_page_url(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| {
        let host = u.host_str().unwrap_or("").trim_start_matches("www.");
        fold_host(host).is_some() && u.path().trim_matches('/').len() > 1
    })
}

/// Whether a (lower-case, `www.`-less) host serves luma's API, where the calendar feeds live.
pub fn is_api_host(host: &str) -> bool {
    matches!(
        host,
        "api.lu.ma" | "api.luma.com" | "api2.luma.com" | "api2.lu.ma"
    )
}

/// luma event slugs are short random strings (`1bm27cah`); calendars have readable names
/// (`rust-girona`) or live under `/calendar/`, `/user/`. An 8-character lowercase
/// alphanumeric slug is taken for an event page; the pipeline still checks that the page it
/// gets back describes one event.
pub fn is_event_slug(slug: &str) -> bool {
    slug.len() == 8
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// The calendar or person folded path `segments` name: `calendar/<id>`, `user/<id>`, else the
/// first segment (a calendar's name, or an event's slug).
pub fn group(segments: &[String]) -> Option<String> {
    let first = segments.first()?;
    if matches!(first.as_str(), "calendar" | "user") {
        let second = segments.get(1)?;
        Some(format!("{HOST}/{first}/{}", second.to_lowercase()))
    } else {
        Some(format!("{HOST}/{}", first.to_lowercase()))
    }
}

/// Longest `cal-…` id accepted (real ones are `cal-` + 15 characters).
const MAX_ID: usize = 40;

/// The calendar id in a page or URL: the one after `luma://calendar/` when there is one, else
/// the first `cal-` followed by 10 to 40 letters and digits (and not preceded by a letter, a
/// digit or `-`, so `local-…` or `xcal-…` do not count). A linear scan.
pub fn calendar_id(text: &str) -> Option<String> {
    if let Some(i) = text.find("luma://calendar/")
        && let Some(id) = id_at(text, i + "luma://calendar/".len())
    {
        return Some(id);
    }
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(rel) = text[from..].find("cal-") {
        let i = from + rel;
        let preceded = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'-');
        if !preceded && let Some(id) = id_at(text, i) {
            return Some(id);
        }
        from = i + 4;
    }
    None
}

/// The id starting at byte `i` of `text`, if a well-formed one starts there.
fn id_at(text: &str, i: usize) -> Option<String> {
    let rest = text.get(i..)?;
    let body = rest.strip_prefix("cal-")?;
    let len = body
        .bytes()
        .take(MAX_ID + 1)
        .take_while(u8::is_ascii_alphanumeric)
        .count();
    (10..=MAX_ID - 4)
        .contains(&len)
        .then(|| format!("cal-{}", &body[..len]))
}

/// Whether `id` is a well-formed calendar id (`cal-` and 10 to 36 letters and digits).
pub fn is_calendar_id(id: &str) -> bool {
    id_at(id, 0).is_some_and(|found| found == id)
}

/// The endpoint of calendars' public ICS feeds.
pub const FEED_ENDPOINT: &str = "https://api.lu.ma/ics/get";

/// The public ICS feed of a calendar.
pub fn feed_url(id: &str) -> String {
    format!("{FEED_ENDPOINT}?entity=calendar&id={id}")
}

/// Whether a group key names a calendar by its id (`luma.com/calendar/cal-…`), as `add`
/// keys groups.
pub fn is_calendar_key(key: &str) -> bool {
    key.strip_prefix(HOST)
        .is_some_and(|rest| rest.starts_with("/calendar/"))
}

/// The calendar page a calendar's feed (`api.lu.ma/ics/get?…&id=cal-…`) belongs to.
pub fn feed_calendar_page(u: &url::Url, host: &str) -> Option<String> {
    if !(is_api_host(host) && u.path_segments()?.find(|s| !s.is_empty()) == Some("ics")) {
        return None;
    }
    let id = u
        .query_pairs()
        .find(|(k, _)| k == "id")
        .map(|(_, v)| v.into_owned())
        .filter(|id| is_calendar_id(id))?;
    Some(format!("https://{HOST}/calendar/{id}"))
}
