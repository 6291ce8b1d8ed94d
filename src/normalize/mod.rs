//! Normalization: from what a source said ([`RawEvent`]) to what the newsletter prints
//! ([`Event`]): local dates, place, attendance, region and organizer.

pub mod links;
pub mod location;
pub mod region;
pub mod timezone;
