//! Time zones: a TZID (or X-LIC-LOCATION, X-WR-TIMEZONE) → a chrono-tz zone. IANA names in
//! any case; otherwise the VTIMEZONE's `X-LIC-LOCATION` (Outlook's "W. Europe Standard
//! Time"), or the zone name at the end of a path (`/mozilla.org/20050126_1/Europe/Berlin`).
//! What cannot be resolved is noted once and read as floating time.
//!
//! The names are chrono-tz's (`Tz::from_str_insensitive`); the aliases and paths are read
//! here: neither crate follows a VTIMEZONE's `X-LIC-LOCATION` or a path TZID.

use super::values::{name_is, prop};
use chrono_tz::Tz;
use icalendar::parser::read_components;
use std::collections::HashMap;

/// The longest IANA zone name is 32 bytes ("America/Argentina/ComodRivadavia").
const MAX_TZ_NAME: usize = 64;

/// A chrono-tz zone for a name, in any (ASCII) case: the crate's case-insensitive lookup
/// (a hash lookup, its feature `case-insensitive`).
pub(super) fn lookup_tz(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
    if name.len() > MAX_TZ_NAME {
        return None;
    }
    Tz::from_str_insensitive(name).ok()
}

/// TZID → zone, remembering what could not be resolved.
#[derive(Default)]
pub(super) struct TzResolver {
    aliases: HashMap<String, Tz>,
    /// Every TZID looked up so far (a feed names the same few thousands of times).
    cache: HashMap<String, Option<Tz>>,
    /// The unresolved TZIDs, in order of first use.
    unknown: Vec<String>,
}

impl TzResolver {
    /// A resolver that knows the calendar's VTIMEZONEs: TZID → zone, through the
    /// VTIMEZONE's X-LIC-LOCATION when the TZID itself is not an IANA name.
    pub(super) fn from_timezones(blocks: &[&str]) -> TzResolver {
        let mut tzids = TzResolver::default();
        for block in blocks {
            let Ok(components) = read_components(block) else {
                continue;
            };
            for c in components
                .iter()
                .filter(|c| name_is(c.name.as_str(), "VTIMEZONE"))
            {
                let tzid = prop(c, "TZID").map(|p| p.val.as_str().trim().to_string());
                let location = prop(c, "X-LIC-LOCATION").and_then(|p| lookup_tz(p.val.as_str()));
                if let (Some(tzid), Some(tz)) = (tzid, location) {
                    tzids.aliases.insert(tzid, tz);
                }
            }
        }
        tzids
    }

    /// The calendar's own zone (`X-WR-TIMEZONE`, Google's), from its properties: the zone its
    /// floating and all-day values are read in by normalization.
    pub(super) fn calendar_zone(&self, properties: &[(&str, &str)]) -> Option<Tz> {
        properties
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("X-WR-TIMEZONE"))
            .and_then(|(_, v)| self.resolve(v.trim()))
    }

    /// One warning per TZID that could not be resolved, in order of first use.
    pub(super) fn warn_unknown(&self, warnings: &mut Vec<String>) {
        for tzid in &self.unknown {
            warnings.push(format!(
                "unknown time zone TZID={tzid}: its times were read as floating (no zone)"
            ));
        }
    }

    fn resolve(&self, tzid: &str) -> Option<Tz> {
        let tzid = tzid.trim().trim_matches('"');
        lookup_tz(tzid)
            .or_else(|| self.aliases.get(tzid).copied())
            // "/mozilla.org/20050126_1/Europe/Berlin", "/freeassociation.sourceforge.net/Tzfile/…":
            // the zone name is what follows one of the last three slashes (IANA names have at
            // most two), so a TZID made of slashes costs no more than three lookups.
            .or_else(|| {
                tzid.rmatch_indices('/')
                    .take(3)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .find_map(|(i, _)| lookup_tz(&tzid[i + 1..]))
            })
    }

    pub(super) fn resolve_or_note(&mut self, tzid: &str) -> Option<Tz> {
        if let Some(tz) = self.cache.get(tzid) {
            return *tz;
        }
        let tz = self.resolve(tzid);
        self.cache.insert(tzid.to_string(), tz);
        if tz.is_none() {
            self.unknown.push(tzid.to_string());
        }
        tz
    }
}
