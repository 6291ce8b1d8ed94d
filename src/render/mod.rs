//! Output formats, one file each. Only this module knows the newsletter's Markdown.

pub mod corpus;
pub mod html;
pub mod ics;
pub mod json;
pub mod markdown;
