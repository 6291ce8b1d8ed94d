//! Which pairs of entries are compared: blocks of entries that share something a rule could
//! call evidence, bounded by [`MAX_BLOCK`].

use super::decide::Facts;
use crate::model::{Attendance, Event};
use chrono::NaiveDate;

/// Which pairs of entries are compared.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Pairs {
    /// Only pairs that share something [`super::decide::decide`] could call evidence (see [`candidates`]).
    Blocked,
    /// Every pair (quadratic; for tests).
    Every,
}

impl Pairs {
    /// The pairs the duplicate pass compares, and the notes on blocks too large to pair.
    pub(super) fn for_duplicates(
        self,
        events: &[Event],
        fs: &[Facts],
    ) -> (Vec<(usize, usize)>, Vec<String>) {
        match self {
            Pairs::Blocked => candidates(events, fs),
            Pairs::Every => (every_pair(events.len()), Vec::new()),
        }
    }

    /// The pairs the mirror pass compares.
    pub(super) fn for_mirrors(
        self,
        events: &[Event],
        fs: &[Facts],
        notes: &mut Vec<String>,
    ) -> Vec<(usize, usize)> {
        match self {
            Pairs::Blocked => mirror_candidates(events, fs, notes),
            Pairs::Every => every_pair(events.len()),
        }
    }
}

/// Every pair `(i, j)`, `i < j`, of `n` entries, ascending.
fn every_pair(n: usize) -> Vec<(usize, usize)> {
    (0..n)
        .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
        .collect()
}

/// The most entries one blocking key may gather (entries sharing a word on one day, or one
/// event link). Beyond it the key is too common to be evidence — only a hostile or broken feed
/// has 200 entries on one day sharing a word — and it is not used to pair them (a note says so):
/// without this bound, 2,000 entries at one instant cost 2 million comparisons.
pub const MAX_BLOCK: usize = 200;

/// The pairs `(i, j)`, `i < j`, ascending, that [`super::decide::decide`] can find anything but
/// [`super::decide::Decision::Different`] for — and, for keys shared by more than [`MAX_BLOCK`] entries, not
/// those (named in the returned notes).
///
/// `decide` says more than "different" only when the two entries share an event link (any
/// days apart), or start on the same day and share a title word (every rule needs a title
/// similarity above 0), the same group (same title, no words), or the same site (a multi-day
/// conference homepage). So entries are blocked by event link, and by day × title word,
/// day × group and day × site; only entries in one block are compared. Time and memory grow
/// with the entries and the block sizes, not with the square of the entries.
pub(super) fn candidates(events: &[Event], fs: &[Facts]) -> (Vec<(usize, usize)>, Vec<String>) {
    use std::collections::HashMap;
    let mut blocks: HashMap<(Option<NaiveDate>, String), Vec<usize>> = HashMap::new();
    for (i, (e, f)) in events.iter().zip(fs).enumerate() {
        let mut add = |date: Option<NaiveDate>, key: String| {
            let block = blocks.entry((date, key)).or_default();
            if block.last() != Some(&i) {
                block.push(i);
            }
        };
        for k in &f.keys {
            add(None, format!("link {k}"));
        }
        let day = Some(e.start_date);
        let kind = if f.title_words.generic_only {
            "generic word"
        } else {
            "word"
        };
        for w in &f.title_words.words {
            add(day, format!("{kind} {w:?}"));
        }
        add(day, format!("group {}", f.group));
        if let Some(site) = &f.site {
            add(day, format!("site {site}"));
        }
    }
    let mut pairs = Vec::new();
    let mut notes = Vec::new();
    let mut blocks: Vec<_> = blocks.into_iter().collect();
    blocks.sort();
    for ((date, key), mut members) in blocks {
        if members.len() > MAX_BLOCK {
            let day = date.map(|d| format!(" on {d}")).unwrap_or_default();
            notes.push(format!(
                "{} entries{day} share the {key}: too many to compare every pair (at most {MAX_BLOCK}); only look-alikes were compared, duplicates among them may remain",
                members.len()
            ));
        }
        block_pairs(&mut members, fs, &mut pairs);
    }
    pairs.sort_unstable();
    pairs.dedup();
    (pairs, notes)
}

/// The pairs of one block: every pair, or for a block over [`MAX_BLOCK`], sorted neighbours.
fn block_pairs(members: &mut [usize], fs: &[Facts], pairs: &mut Vec<(usize, usize)>) {
    if members.len() > MAX_BLOCK {
        neighbours(members, fs, pairs);
        return;
    }
    for (x, &i) in members.iter().enumerate() {
        for &j in &members[x + 1..] {
            pairs.push((i, j));
        }
    }
}

/// An oversized block, compared in linear time: members sorted by title and link, each
/// paired with the next, so that copies of one entry (a feed repeating an event) still merge.
fn neighbours(members: &mut [usize], fs: &[Facts], pairs: &mut Vec<(usize, usize)>) {
    members.sort_by(|&a, &b| {
        (&fs[a].title_text, &fs[a].url, a).cmp(&(&fs[b].title_text, &fs[b].url, b))
    });
    for w in members.windows(2) {
        pairs.push((w[0].min(w[1]), w[0].max(w[1])));
    }
}

/// The pairs the mirror pass compares: virtual entries on one day with one normalized title
/// ([`super::mirrors::are_mirrors`] needs both), blocks bounded by [`MAX_BLOCK`] as in [`candidates`].
fn mirror_candidates(
    events: &[Event],
    fs: &[Facts],
    notes: &mut Vec<String>,
) -> Vec<(usize, usize)> {
    use std::collections::BTreeMap;
    let mut blocks: BTreeMap<(NaiveDate, &str), Vec<usize>> = BTreeMap::new();
    for (i, (e, f)) in events.iter().zip(fs).enumerate() {
        if e.attendance == Attendance::Virtual && !f.title_text.is_empty() {
            blocks
                .entry((e.start_date, &f.title_text))
                .or_default()
                .push(i);
        }
    }
    let mut pairs = Vec::new();
    for ((date, title), mut members) in blocks {
        if members.len() > MAX_BLOCK {
            notes.push(format!(
                "{} online entries on {date} are titled {}: too many to compare every pair as mirrors (at most {MAX_BLOCK}); only neighbours were",
                members.len(),
                crate::text::quoted(title)
            ));
        }
        block_pairs(&mut members, fs, &mut pairs);
    }
    pairs.sort_unstable();
    pairs
}
