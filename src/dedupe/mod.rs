//! Deduplication: one entry per real-world event.
//!
//! Two events are the same when they link to the same page (compared with
//! [`match_key`](crate::normalize::match_key): scheme, `www.`, case, locale prefixes and
//! trailing slashes do not matter) and start on the same local day. The first one seen is
//! kept; the others' sources are added to it.

use crate::model::Event;
use crate::normalize::match_key;
use std::collections::HashMap;

/// Merges duplicates; returns the events and a note per merge.
pub fn dedupe(events: Vec<Event>) -> (Vec<Event>, Vec<String>) {
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut seen: HashMap<(String, chrono::NaiveDate), usize> = HashMap::new();
    let mut notes = Vec::new();
    for e in events {
        let key = (match_key(&e.url), e.start_date);
        match seen.get(&key) {
            Some(&i) => {
                let kept = &mut out[i];
                for s in e.sources {
                    if !kept.sources.contains(&s) {
                        kept.sources.push(s);
                    }
                }
                notes.push(format!(
                    "merged a duplicate of {:?} on {} ({})",
                    kept.title, kept.start_date, kept.url
                ));
            }
            None => {
                seen.insert(key, out.len());
                out.push(e);
            }
        }
    }
    (out, notes)
}
