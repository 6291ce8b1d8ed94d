//! Links: extracting them from Google Calendar's HTML descriptions and cleaning them.

/// The description as plain text (placeholder until the link module lands).
pub fn html_to_text(html: &str) -> String {
    html.to_string()
}
