//! Schedulers: the multi-thread work-stealing one and the current-thread
//! one. This module only dispatches between them.

pub(crate) mod current_thread;
pub(crate) mod inject;
pub(crate) mod multi_thread;

use crate::loom::sync::Arc;
use crate::task::{Id, JoinHandle};
use std::future::Future;

/// A handle to either scheduler; what `runtime::Handle` wraps.
#[derive(Clone)]
pub(crate) enum Handle {
    CurrentThread(Arc<current_thread::Handle>),
    MultiThread(Arc<multi_thread::Handle>),
}

/// Per-thread state of the scheduler running on this thread.
pub(crate) enum Context {
    CurrentThread(current_thread::Context),
    MultiThread(multi_thread::Context),
}

impl Handle {
    pub(crate) fn driver(&self) -> &magpie_reactor::Handle {
        match self {
            Handle::CurrentThread(h) => &h.driver,
            Handle::MultiThread(h) => &h.driver,
        }
    }

    pub(crate) fn blocking_spawner(&self) -> &crate::blocking::Spawner {
        match self {
            Handle::CurrentThread(h) => &h.blocking_spawner,
            Handle::MultiThread(h) => &h.blocking_spawner,
        }
    }

    pub(crate) fn spawn<F>(
        &self,
        future: F,
        id: Id,
        spawned_at: &'static std::panic::Location<'static>,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let _span = crate::trace::spawn(id, spawned_at);
        match self {
            Handle::CurrentThread(h) => current_thread::Handle::spawn(h, future, id, spawned_at),
            Handle::MultiThread(h) => multi_thread::Handle::spawn(h, future, id, spawned_at),
        }
    }

    /// Runs `f` on the blocking pool with this runtime current on the
    /// thread (so `Handle::current`, `spawn` and resources work there).
    #[track_caller]
    pub(crate) fn spawn_blocking<F, R>(&self, f: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let handle = self.clone();
        self.blocking_spawner().spawn_blocking(move || {
            let _current = crate::context::set_current(&handle);
            f()
        })
    }

    pub(crate) fn shutdown(&self) {
        match self {
            Handle::CurrentThread(h) => h.close(),
            Handle::MultiThread(h) => h.shutdown(),
        }
    }

    pub(crate) fn num_workers(&self) -> usize {
        match self {
            Handle::CurrentThread(_) => 1,
            Handle::MultiThread(h) => h.num_workers(),
        }
    }

    pub(crate) fn num_alive_tasks(&self) -> usize {
        match self {
            Handle::CurrentThread(h) => h.owned_len(),
            Handle::MultiThread(h) => h.owned_len(),
        }
    }

    pub(crate) fn global_queue_depth(&self) -> usize {
        match self {
            Handle::CurrentThread(h) => h.inject_len(),
            Handle::MultiThread(h) => h.inject_len(),
        }
    }

    pub(crate) fn metrics(&self) -> &crate::runtime::metrics::SchedulerMetrics {
        match self {
            Handle::CurrentThread(h) => h.metrics(),
            Handle::MultiThread(h) => h.metrics(),
        }
    }

    pub(crate) fn watchdog(&self) -> Option<&crate::runtime::watchdog::Watchdog> {
        match self {
            Handle::CurrentThread(h) => h.watchdog(),
            Handle::MultiThread(h) => h.watchdog(),
        }
    }

    pub(crate) fn spawned_tasks_count(&self) -> u64 {
        match self {
            Handle::CurrentThread(h) => h.spawned_tasks_count(),
            Handle::MultiThread(h) => h.spawned_tasks_count(),
        }
    }

    pub(crate) fn worker_local_queue_depth(&self, worker: usize) -> usize {
        match self {
            Handle::CurrentThread(h) => h.local_queue_depth(),
            Handle::MultiThread(h) => h.local_queue_depth(worker),
        }
    }
}
