//! Spawning and scheduling on the multi-thread scheduler from anywhere.

use super::worker::{Core, Shared};
use crate::loom::sync::Arc;
use crate::scheduler::{self, Context as SchedContext};
use crate::task::{self, Id, JoinHandle, Notified, Schedule, Task};
use std::future::Future;

/// Shared by the runtime handle, every task (as its scheduler), and the
/// workers.
pub(crate) struct Handle {
    pub(super) shared: Shared,
    pub(crate) driver: magpie_reactor::Handle,
    pub(crate) blocking_spawner: crate::blocking::Spawner,
}

impl Handle {
    pub(crate) fn spawn<F>(
        me: &Arc<Handle>,
        future: F,
        id: Id,
        spawned_at: &'static std::panic::Location<'static>,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (task, notified, join) = task::new_task(future, me.clone(), id, spawned_at);
        if let Some(notified) = me.shared.owned.bind(task, notified) {
            me.schedule_task(notified, false);
        }
        join
    }

    /// Queues a task: into this worker's LIFO slot / deque when called on
    /// one of our workers (a wake from a task we are running), else into the
    /// injector, waking a worker if none is searching.
    pub(super) fn schedule_task(&self, task: Notified<Arc<Handle>>, is_yield: bool) {
        crate::context::with_scheduler(|cx| {
            if let Some(SchedContext::MultiThread(cx)) = cx
                && std::ptr::eq(&*cx.worker.handle as *const Handle, self as *const Handle)
            {
                let mut core = cx.core.borrow_mut();
                if let Some(core) = core.as_mut() {
                    self.schedule_local(core, task, is_yield);
                    return;
                }
            }
            self.push_remote_task(task);
        });
    }

    fn schedule_local(&self, core: &mut Core, task: Notified<Arc<Handle>>, is_yield: bool) {
        core.metrics.incr_local_schedule();
        let should_notify = if is_yield || !core.lifo_enabled {
            core.run_queue.push_back(task);
            true
        } else {
            // The newest task runs next (it likely shares cache-hot data
            // with the one that woke it); the previous occupant queues up.
            let prev = core.lifo_slot.replace(task);
            match prev {
                Some(prev) => {
                    core.run_queue.push_back(prev);
                    true
                }
                None => false,
            }
        };
        // While the worker is parked (driver dispatch), it notifies others
        // itself when it wakes with more than one task.
        if should_notify && core.park.is_some() {
            self.notify_parked();
        }
    }

    pub(super) fn push_remote_task(&self, task: Notified<Arc<Handle>>) {
        self.shared.metrics.incr_remote_schedule();
        if self.shared.inject.push(task) {
            self.notify_parked();
        }
    }

    /// Wakes one parked worker, if nobody is searching.
    pub(super) fn notify_parked(&self) {
        if let Some(index) = self.shared.idle.worker_to_notify() {
            self.shared.remotes[index].unpark.unpark(&self.driver);
        }
    }

    /// Whether the injector or any worker's deque holds a task (a snapshot).
    pub(super) fn work_visible(&self) -> bool {
        !self.shared.inject.is_empty() || self.shared.remotes.iter().any(|r| !r.steal.is_empty())
    }

    /// A parking worker's re-check of every queue (after it announced that
    /// it parks; the SeqCst fence pairs with the one a pusher's
    /// `notify_should_wakeup` read-modify-write implies).
    pub(super) fn notify_if_work_pending(&self) {
        crate::loom::sync::atomic::fence(crate::loom::sync::atomic::Ordering::SeqCst);
        if self.work_visible() {
            self.notify_parked();
        }
    }

    /// Begins shutdown: close the injector and wake every worker.
    pub(crate) fn shutdown(&self) {
        if self.shared.inject.close() {
            for remote in self.shared.remotes.iter() {
                remote.unpark.unpark(&self.driver);
            }
        }
    }

    pub(super) fn is_shutdown(&self) -> bool {
        self.shared.inject.is_closed()
    }

    pub(crate) fn num_workers(&self) -> usize {
        self.shared.remotes.len()
    }

    pub(crate) fn owned_len(&self) -> usize {
        self.shared.owned.len()
    }

    pub(crate) fn inject_len(&self) -> usize {
        self.shared.inject.len()
    }

    pub(crate) fn metrics(&self) -> &crate::runtime::metrics::SchedulerMetrics {
        &self.shared.metrics
    }

    pub(crate) fn spawned_tasks_count(&self) -> u64 {
        self.shared.owned.spawned()
    }

    pub(crate) fn local_queue_depth(&self, worker: usize) -> usize {
        self.shared.remotes[worker].steal.len()
    }

    pub(crate) fn watchdog(&self) -> Option<&crate::runtime::watchdog::Watchdog> {
        self.shared.config.watchdog.as_deref()
    }

    pub(crate) fn panic_signal(&self) -> Option<Arc<crate::runtime::config::PanicSignal>> {
        self.shared.panic_signal()
    }

    pub(crate) fn as_scheduler_handle(me: &Arc<Handle>) -> scheduler::Handle {
        scheduler::Handle::MultiThread(me.clone())
    }

    pub(crate) fn name(&self) -> Option<&str> {
        self.shared.name()
    }
}

impl Schedule for Arc<Handle> {
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.shared.owned.remove(task)
    }

    fn schedule(&self, task: Notified<Self>) {
        self.schedule_task(task, false);
    }

    fn yield_now(&self, task: Notified<Self>) {
        self.schedule_task(task, true);
    }

    fn unhandled_panic(&self, id: Id, spawned_at: &'static std::panic::Location<'static>) {
        if let Some(signal) = self.shared.panic_signal() {
            signal.record(id, spawned_at);
            self.shutdown();
        }
    }
}
