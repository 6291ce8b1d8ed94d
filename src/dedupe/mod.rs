//! Deduplication: one entry per real-world event.
