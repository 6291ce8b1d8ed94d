//! The progress bar on stderr, drawn from the pipeline's [`Progress`](crate::pipeline::Progress).

use super::Verbosity;
use crate::pipeline;

/// The progress bar on stderr: sources read of all, then the event pages checked, with the
/// sources taking long named. Drawn only when stderr is a terminal and not `--quiet`; hidden
/// otherwise (a cron job's log gets only the report).
pub struct ProgressBar {
    inner: Option<std::sync::Arc<BarInner>>,
}

struct BarInner {
    bar: indicatif::ProgressBar,
    /// Sources being read, since when.
    in_flight: std::sync::Mutex<Vec<(String, std::time::Instant)>>,
    stop: std::sync::atomic::AtomicBool,
}

/// A source in flight longer than this is named on the bar.
const SLOW: std::time::Duration = std::time::Duration::from_secs(3);

impl ProgressBar {
    pub fn start(sources: usize, verbosity: Verbosity) -> ProgressBar {
        use std::io::IsTerminal as _;
        if verbosity == Verbosity::Quiet || !std::io::stderr().is_terminal() {
            return ProgressBar { inner: None };
        }
        let bar = indicatif::ProgressBar::new(sources as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {prefix} {pos}/{len} {wide_msg}")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_prefix("sources");
        let inner = std::sync::Arc::new(BarInner {
            bar,
            in_flight: std::sync::Mutex::default(),
            stop: std::sync::atomic::AtomicBool::default(),
        });
        let ticker = inner.clone();
        // Names the slow sources twice a second; ends with the bar.
        std::thread::spawn(move || {
            while !ticker.stop.load(std::sync::atomic::Ordering::Relaxed) {
                ticker.refresh();
                ticker.bar.tick();
                std::thread::sleep(std::time::Duration::from_millis(500));
            }
        });
        ProgressBar { inner: Some(inner) }
    }

    pub fn finish(&self) {
        if let Some(inner) = &self.inner {
            inner.stop.store(true, std::sync::atomic::Ordering::Relaxed);
            inner.bar.finish_and_clear();
        }
    }
}

impl BarInner {
    fn refresh(&self) {
        let Ok(in_flight) = self.in_flight.lock() else {
            return;
        };
        let slow: Vec<&str> = in_flight
            .iter()
            .filter(|(_, since)| since.elapsed() >= SLOW)
            .map(|(label, _)| label.as_str())
            .collect();
        if slow.is_empty() {
            self.bar.set_message("");
        } else {
            let shown: Vec<&str> = slow.iter().take(3).copied().collect();
            let more = slow.len().saturating_sub(shown.len());
            self.bar.set_message(format!(
                "waiting for {}{}",
                shown.join(", "),
                if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
}

impl Drop for ProgressBar {
    fn drop(&mut self) {
        self.finish();
    }
}

impl pipeline::Progress for ProgressBar {
    fn source_started(&self, label: &str) {
        if let Some(inner) = &self.inner
            && let Ok(mut f) = inner.in_flight.lock()
        {
            f.push((
                crate::text::clean_field(label, 40),
                std::time::Instant::now(),
            ));
        }
    }

    fn source_done(&self, label: &str, _ok: bool) {
        if let Some(inner) = &self.inner {
            let label = crate::text::clean_field(label, 40);
            if let Ok(mut f) = inner.in_flight.lock()
                && let Some(i) = f.iter().position(|(l, _)| *l == label)
            {
                f.remove(i);
            }
            inner.bar.inc(1);
            inner.refresh();
        }
    }

    fn pages_started(&self, count: usize) {
        if let Some(inner) = &self.inner {
            inner.bar.set_prefix("event pages");
            inner.bar.set_position(0);
            inner.bar.set_length(count as u64);
        }
    }

    fn page_done(&self) {
        if let Some(inner) = &self.inner {
            inner.bar.inc(1);
        }
    }
}
