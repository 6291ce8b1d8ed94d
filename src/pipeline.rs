//! The pipeline wired together: fetch every source, parse, normalize, deduplicate.
