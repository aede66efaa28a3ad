//! Settings the schedulers read at run time.

use crate::loom::sync::{Arc, Mutex};
use crate::task::Id;
use std::panic::Location;

// User callbacks are plain shared closures, not part of any protocol, and
// loom's `Arc` cannot hold a `dyn Fn`: they use std's `Arc` in every build.
pub(crate) type Callback = std::sync::Arc<dyn Fn() + Send + Sync>;
pub(crate) type ThreadNameFn = std::sync::Arc<dyn Fn() -> String + Send + Sync>;

pub(crate) struct Config {
    /// Ticks between looks at the injector ahead of the local queue.
    pub(crate) global_queue_interval: u32,
    /// Ticks between non-blocking turns of the driver.
    pub(crate) event_interval: u32,
    pub(crate) disable_lifo_slot: bool,
    pub(crate) before_park: Option<Callback>,
    pub(crate) after_unpark: Option<Callback>,
    /// Set for `UnhandledPanic::ShutdownRuntime`.
    pub(crate) unhandled_panic: Option<Arc<PanicSignal>>,
    /// Set when `on_slow_poll` is configured.
    pub(crate) watchdog: Option<Arc<super::watchdog::Watchdog>>,
    /// The runtime's name (`Builder::name`).
    pub(crate) name: Option<String>,
}

/// Records the first task that panicked, for `ShutdownRuntime`.
#[derive(Default)]
pub(crate) struct PanicSignal {
    panicked: Mutex<Option<(Id, &'static Location<'static>)>>,
    /// `block_on` callers to wake when a task panics.
    waiters: Mutex<Vec<std::task::Waker>>,
}

impl PanicSignal {
    pub(crate) fn record(&self, id: Id, spawned_at: &'static Location<'static>) {
        let mut p = self.panicked.lock();
        if p.is_none() {
            *p = Some((id, spawned_at));
        }
        drop(p);
        for w in self.waiters.lock().drain(..) {
            w.wake();
        }
    }

    pub(crate) fn register(&self, waker: &std::task::Waker) {
        let mut waiters = self.waiters.lock();
        if !waiters.iter().any(|w| w.will_wake(waker)) {
            waiters.push(waker.clone());
        }
    }

    pub(crate) fn panicked(&self) -> Option<(Id, &'static Location<'static>)> {
        *self.panicked.lock()
    }

    /// Panics (in `block_on`) if a task panicked, naming it and where it
    /// was spawned.
    #[track_caller]
    pub(crate) fn raise_if_panicked(&self) {
        if let Some((id, at)) = self.panicked() {
            panic!(
                "task {id} (spawned at {at}) panicked and the runtime is configured to shut \
                 down on unhandled panic"
            );
        }
    }
}
