//! Per-worker run queue: `Local` for the owner, `Steal` for siblings.
//!
//! Outside loom a facade over `crossbeam_deque::{Worker, Stealer}` (FIFO:
//! the owner pops the oldest task, so a worker works through its queue in
//! order; recency lives in the separate LIFO slot). A thief takes about
//! half of a victim's queue in one `steal_batch_and_pop`.
//!
//! Under loom, crossbeam's atomics are invisible to the model, so the same
//! API is backed by a `Mutex<VecDeque>`: loom then checks *our* protocol
//! (notify, park, steal, shutdown) around the queue, and crossbeam's own
//! stress tests cover the deque internals.

#[cfg(not(loom))]
mod imp {
    use crossbeam_deque::{Steal as CbSteal, Stealer, Worker};

    pub(crate) struct Local<T> {
        inner: Worker<T>,
    }

    pub(crate) struct Steal<T> {
        inner: Stealer<T>,
    }

    pub(crate) fn local<T>() -> (Local<T>, Steal<T>) {
        let inner = Worker::new_fifo();
        let steal = inner.stealer();
        (Local { inner }, Steal { inner: steal })
    }

    impl<T> Local<T> {
        pub(crate) fn inner(&self) -> &Worker<T> {
            &self.inner
        }

        pub(crate) fn push_back(&self, task: T) {
            self.inner.push(task);
        }

        pub(crate) fn pop(&self) -> Option<T> {
            self.inner.pop()
        }

        pub(crate) fn len(&self) -> usize {
            self.inner.len()
        }

        pub(crate) fn has_tasks(&self) -> bool {
            !self.inner.is_empty()
        }
    }

    impl<T> Steal<T> {
        /// Steals about half of the victim's tasks into `dst`; returns one.
        pub(crate) fn steal_into(&self, dst: &Local<T>) -> Option<T> {
            loop {
                match self.inner.steal_batch_and_pop(&dst.inner) {
                    CbSteal::Success(t) => return Some(t),
                    CbSteal::Empty => return None,
                    CbSteal::Retry => crate::loom::hint::spin_loop(),
                }
            }
        }

        pub(crate) fn is_empty(&self) -> bool {
            self.inner.is_empty()
        }

        pub(crate) fn len(&self) -> usize {
            self.inner.len()
        }
    }
}

#[cfg(loom)]
mod imp {
    use crate::loom::sync::{Arc, Mutex};
    use std::collections::VecDeque;

    pub(crate) struct Local<T> {
        inner: Arc<Mutex<VecDeque<T>>>,
    }

    pub(crate) struct Steal<T> {
        inner: Arc<Mutex<VecDeque<T>>>,
    }

    pub(crate) fn local<T>() -> (Local<T>, Steal<T>) {
        let inner = Arc::new(Mutex::new(VecDeque::new()));
        (
            Local {
                inner: inner.clone(),
            },
            Steal { inner },
        )
    }

    impl<T> Local<T> {
        pub(crate) fn push_back(&self, task: T) {
            self.inner.lock().push_back(task);
        }

        pub(crate) fn pop(&self) -> Option<T> {
            self.inner.lock().pop_front()
        }

        pub(crate) fn len(&self) -> usize {
            self.inner.lock().len()
        }

        pub(crate) fn has_tasks(&self) -> bool {
            !self.inner.lock().is_empty()
        }
    }

    impl<T> Steal<T> {
        pub(crate) fn steal_into(&self, dst: &Local<T>) -> Option<T> {
            let mut batch = {
                let mut src = self.inner.lock();
                let n = src.len().div_ceil(2);
                src.drain(..n).collect::<VecDeque<T>>()
            };
            let first = batch.pop_front()?;
            let mut d = dst.inner.lock();
            d.extend(batch);
            Some(first)
        }

        pub(crate) fn is_empty(&self) -> bool {
            self.inner.lock().is_empty()
        }

        pub(crate) fn len(&self) -> usize {
            self.inner.lock().len()
        }
    }
}

pub(crate) use imp::{Local, Steal, local};
