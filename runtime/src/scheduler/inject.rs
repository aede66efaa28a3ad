//! The global injection queue: tasks scheduled from outside a worker.
//!
//! A facade over `crossbeam_deque::Injector` plus a closed flag; under loom
//! a `Mutex<VecDeque>` with the same contract, since loom cannot see inside
//! crossbeam (whose own tests cover the deque internals).
//!
//! Closing protocol (no task reference may leak at shutdown):
//!
//! ```text
//!   pusher:  push(t); fence(SeqCst); if closed { drain() }
//!   closer:  closed = true; fence(SeqCst); drain()
//! ```
//!
//! With both fences, at least one side sees the other's write: either the
//! closer's drain finds `t`, or the pusher sees `closed` and drains it.

use crate::loom::sync::atomic::{AtomicBool, Ordering, fence};

#[cfg(not(loom))]
use crossbeam_deque::{Injector, Steal};

#[cfg(not(loom))]
use super::multi_thread::queue::Local;

pub(crate) struct Inject<T> {
    #[cfg(not(loom))]
    queue: Injector<T>,
    #[cfg(loom)]
    queue: crate::loom::sync::Mutex<std::collections::VecDeque<T>>,
    closed: AtomicBool,
}

impl<T> Inject<T> {
    pub(crate) fn new() -> Inject<T> {
        Inject {
            #[cfg(not(loom))]
            queue: Injector::new(),
            #[cfg(loom)]
            queue: crate::loom::sync::Mutex::new(std::collections::VecDeque::new()),
            closed: AtomicBool::new(false),
        }
    }

    /// Queues `task`; if the queue is closed the task is dropped (and with
    /// it its reference). Returns false if closed.
    pub(crate) fn push(&self, task: T) -> bool {
        if self.closed.load(Ordering::Acquire) {
            drop(task);
            return false;
        }
        self.push_raw(task);
        fence(Ordering::SeqCst);
        if self.closed.load(Ordering::Relaxed) {
            self.drain();
            return false;
        }
        true
    }

    #[cfg(not(loom))]
    fn push_raw(&self, task: T) {
        self.queue.push(task);
    }

    #[cfg(loom)]
    fn push_raw(&self, task: T) {
        self.queue.lock().push_back(task);
    }

    #[cfg(not(loom))]
    pub(crate) fn pop(&self) -> Option<T> {
        loop {
            match self.queue.steal() {
                Steal::Success(t) => return Some(t),
                Steal::Empty => return None,
                Steal::Retry => crate::loom::hint::spin_loop(),
            }
        }
    }

    #[cfg(loom)]
    pub(crate) fn pop(&self) -> Option<T> {
        self.queue.lock().pop_front()
    }

    #[cfg(not(loom))]
    pub(crate) fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    #[cfg(loom)]
    pub(crate) fn is_empty(&self) -> bool {
        self.queue.lock().is_empty()
    }

    #[cfg(not(loom))]
    pub(crate) fn len(&self) -> usize {
        self.queue.len()
    }

    #[cfg(loom)]
    pub(crate) fn len(&self) -> usize {
        self.queue.lock().len()
    }

    /// Closes the queue; true if this call closed it.
    pub(crate) fn close(&self) -> bool {
        let first = !self.closed.swap(true, Ordering::AcqRel);
        fence(Ordering::SeqCst);
        first
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Drops every queued task.
    pub(crate) fn drain(&self) {
        while let Some(task) = self.pop() {
            drop(task);
        }
    }
}

#[cfg(not(loom))]
impl<T> Inject<T> {
    /// Moves a batch into `dst` and returns one task to run now.
    pub(crate) fn steal_batch_and_pop(&self, dst: &Local<T>) -> Option<T> {
        loop {
            match self.queue.steal_batch_and_pop(dst.inner()) {
                Steal::Success(t) => return Some(t),
                Steal::Empty => return None,
                Steal::Retry => crate::loom::hint::spin_loop(),
            }
        }
    }
}

#[cfg(loom)]
impl<T> Inject<T> {
    /// Under loom: take one, and up to one more into `dst` (a batch).
    pub(crate) fn steal_batch_and_pop(
        &self,
        dst: &super::multi_thread::queue::Local<T>,
    ) -> Option<T> {
        let mut q = self.queue.lock();
        let first = q.pop_front()?;
        if let Some(next) = q.pop_front() {
            dst.push_back(next);
        }
        Some(first)
    }
}
