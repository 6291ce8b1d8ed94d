//! The panic guard and the blocking pool every parse runs in.

use crate::config::SourceKind;
use std::cell::{Cell, RefCell};
use std::sync::Arc;
use tokio::sync::Semaphore;

/// What a panic while parsing one source turns into: its message and where it happened.
/// The panic hook is process-wide, so [`guarded`] installs (once) a hook that, on a thread
/// running a guarded parse, records the location instead of printing the usual "thread
/// panicked at" lines (the report carries the message and the location once, in order, where
/// an editor reads it); every other panic goes to the previous hook as before.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(Cell::get) {
                let at = info
                    .location()
                    .map(|l| format!("{}:{}", l.file(), l.line()));
                PANIC_AT.with(|p| *p.borrow_mut() = at);
            } else {
                previous(info);
            }
        }));
    });
}

thread_local! {
    /// Whether this thread is running a [`guarded`] parse.
    static GUARDED: Cell<bool> = const { Cell::new(false) };
    /// Where the last guarded panic on this thread happened.
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Runs `parse`, turning a panic into `Err("internal error in the {reader}: {message} (at
/// file:line), please report")`. A last line of defence: readers are meant never to panic.
pub fn guarded<T>(reader: &str, parse: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    install_panic_hook();
    GUARDED.with(|g| g.set(true));
    PANIC_AT.with(|p| p.borrow_mut().take());
    // The closure's captures are dropped with the unwinding; nothing half-updated survives it.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(parse));
    GUARDED.with(|g| g.set(false));
    result.unwrap_or_else(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        let at = PANIC_AT
            .with(|p| p.borrow_mut().take())
            .map(|at| format!(" (at {at})"))
            .unwrap_or_default();
        Err(format!(
            "internal error in the {reader}: {message}{at}, please report"
        ))
    })
}

/// Runs a [`guarded`] parse on tokio's blocking pool, once a permit of `limit` (one per core)
/// is free: parsing never blocks the async workers that drive the other requests' timers.
pub(super) async fn parse_off_runtime<T: Send + 'static>(
    limit: &Arc<Semaphore>,
    reader: &'static str,
    parse: impl FnOnce() -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    let permit = limit.clone().acquire_owned().await;
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        guarded(reader, parse)
    });
    task.await.unwrap_or_else(|e| {
        Err(format!(
            "internal error in the {reader}: {e}, please report"
        ))
    })
}

/// The name of the reader of a kind of source, for internal-error messages.
pub(super) fn reader_name(kind: SourceKind) -> &'static str {
    kind.spec().reader_name()
}

/// How many parses run at once: one per core.
pub(super) fn parse_slots() -> Arc<Semaphore> {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
    Arc::new(Semaphore::new(cores.max(1)))
}
