//! The other output formats, one file each: the JSON file, the iCalendar feeds and the web
//! page. The newsletter's Markdown is [`crate::newsletter`]'s.

pub mod html;
pub mod ics;
pub mod json;
