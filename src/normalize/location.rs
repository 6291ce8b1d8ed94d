//! Free-text locations ("Mozilla Berlin, Schlesische Str. 27, 10997 Berlin, Germany",
//! "Online", a URL) to a [`Place`] and an attendance hint.

use crate::model::Place;

/// What a free-text location says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedLocation {
    /// The physical place, if the text names one.
    pub place: Option<Place>,
    /// The text says the event is online ("Online", "Virtual", a video-call URL, …).
    pub online: bool,
}

/// Reads a free-text location.
pub fn parse_location(text: &str) -> ParsedLocation {
    let _ = text;
    ParsedLocation::default()
}

/// Reads a place written the newsletter's way: `City, ST, CC`, `City, CC`, `City, UK`.
pub fn parse_newsletter_place(text: &str) -> Option<Place> {
    let _ = text;
    None
}
