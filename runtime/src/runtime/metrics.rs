//! `RuntimeMetrics`: counters about a running runtime.

use super::Handle;

/// A view of a runtime's counters (`tokio::runtime::RuntimeMetrics`).
#[derive(Clone, Debug)]
pub struct RuntimeMetrics {
    handle: Handle,
}

impl RuntimeMetrics {
    pub(crate) fn new(handle: Handle) -> RuntimeMetrics {
        RuntimeMetrics { handle }
    }

    /// Number of worker threads (1 for the current-thread flavor).
    pub fn num_workers(&self) -> usize {
        self.handle.inner.num_workers()
    }

    /// Number of tasks alive (spawned and not yet completed).
    pub fn num_alive_tasks(&self) -> usize {
        self.handle.inner.num_alive_tasks()
    }

    /// Tasks waiting in the global (injection) queue.
    pub fn global_queue_depth(&self) -> usize {
        self.handle.inner.global_queue_depth()
    }

    /// Threads of the blocking pool (workers of the multi-thread flavor
    /// included, since they run there).
    pub fn num_blocking_threads(&self) -> usize {
        self.handle.inner.blocking_spawner().num_threads()
    }

    /// Idle threads of the blocking pool.
    pub fn num_idle_blocking_threads(&self) -> usize {
        self.handle.inner.blocking_spawner().num_idle_threads()
    }

    /// Blocking tasks waiting for a thread.
    pub fn blocking_queue_depth(&self) -> usize {
        self.handle.inner.blocking_spawner().queue_depth()
    }
}
