//! Recording every response a run fetches, and writing a snapshot directory.
