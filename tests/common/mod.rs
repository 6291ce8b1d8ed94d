//! Helpers shared by integration tests (`mod common;`): an in-memory fetcher and a small
//! deterministic random generator.
#![allow(dead_code)] // each test file uses part of it

use std::collections::HashMap;
use twir_events::fetch::{Fetch, FetchError, FetchFuture, Response};

/// Answers from a map of URL → body (200), everything else 404.
pub struct MapFetcher(pub HashMap<String, Vec<u8>>);

impl Fetch for MapFetcher {
    fn fetch<'a>(&'a self, url: &'a str) -> FetchFuture<'a> {
        Box::pin(async move {
            match self.0.get(url) {
                Some(body) => Ok(Response {
                    url: url.to_string(),
                    status: 200,
                    content_type: None,
                    body: body.clone(),
                    redirected_to: None,
                }),
                None => Err(FetchError::Status {
                    url: url.to_string(),
                    status: 404,
                }),
            }
        })
    }
}

/// xorshift64*: the same sequence on every machine, so mutation passes are reproducible.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}
