//! Live HTTP fetching with reqwest (rustls), timeouts, a descriptive User-Agent and bounded
//! concurrency.
