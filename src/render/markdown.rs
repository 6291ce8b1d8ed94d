//! The newsletter's "Upcoming Events" Markdown block.
