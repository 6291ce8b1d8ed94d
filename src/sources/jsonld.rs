//! placeholder until the page parsers land
use super::{Parsed, SourceError};
pub fn parse_page(html: &str, origin: &str, label: &str) -> Result<Parsed, SourceError> {
    let _ = (html, label);
    Err(SourceError {
        origin: origin.into(),
        message: "todo".into(),
    })
}
