//! Replaying a snapshot directory (`manifest.json` plus response files).
