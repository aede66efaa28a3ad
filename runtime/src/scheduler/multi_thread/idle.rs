//! Which workers sleep, and how many search for work.
//!
//! # The problem
//!
//! A task pushed where an idle worker cannot see it must wake one, or it
//! waits until some worker happens by (a lost wakeup). Waking a worker for
//! every push, though, makes every spawn a futex call and has all workers
//! contend on one queue.
//!
//! # The rule (after Go's scheduler, `runtime/proc.go`)
//!
//! * A *searching* worker is one that has no local work and is looking in
//!   the injector and its siblings' queues. At most half of the workers
//!   search at once (more only contend on the same victims).
//! * A push wakes a sleeper only if **nobody is searching** (a searcher will
//!   find the task) and not every worker is awake.
//! * A woken worker starts out searching. A searcher that finds work stops
//!   searching, and if it was the **last** searcher it wakes another sleeper:
//!   where there was one task there may be more.
//! * **Every worker that parks re-checks every queue** after it has
//!   announced it is parking, and wakes a worker if it finds anything.
//!
//! Go and tokio re-check only in the *last searcher*. That leaves a window
//! (found by the loom model `loom_mt_push_to_parking_worker` at preemption
//! bound 2): a worker refused as a searcher parks without having looked,
//! while a push that saw every worker awake woke nobody. Every parking
//! worker re-checking costs one scan of the queues' lengths per park, which
//! is cheap next to the futex that follows.
//!
//! # The barrier pairing
//!
//! ```text
//!   pusher:   push task ── SeqCst RMW on `state` (notify_should_wakeup) ──▶ read num_searching / num_unparked
//!   parker:   num_unparked -= 1 (SeqCst RMW, under the sleepers lock) ── fence(SeqCst) ──▶ re-check queues
//! ```
//!
//! Both sides make their write and then read the other's location, each
//! with a SeqCst operation in between, so either the pusher sees the parker
//! counted as parked (and wakes it or another sleeper), or the parker's
//! re-check sees the task.
//!
//! `state` packs `num_searching` (low 16 bits) and `num_unparked` (the rest).

use crate::loom::sync::Mutex;
use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering, Ordering::SeqCst};

const UNPARK_SHIFT: usize = 16;
const SEARCH_MASK: usize = (1 << UNPARK_SHIFT) - 1;

pub(super) struct Idle {
    state: AtomicUsize,
    num_workers: usize,
    /// Indices of parked workers.
    sleepers: Mutex<Vec<usize>>,
    /// A searcher is spinning before it parks (at most one at a time, so
    /// that idle workers never crowd out busy ones on a small machine).
    spinning: AtomicBool,
}

fn num_searching(state: usize) -> usize {
    state & SEARCH_MASK
}

fn num_unparked(state: usize) -> usize {
    state >> UNPARK_SHIFT
}

impl Idle {
    pub(super) fn new(num_workers: usize) -> Idle {
        assert!(num_workers < SEARCH_MASK, "too many workers");
        Idle {
            state: AtomicUsize::new(num_workers << UNPARK_SHIFT),
            num_workers,
            sleepers: Mutex::new(Vec::with_capacity(num_workers)),
            spinning: AtomicBool::new(false),
        }
    }

    /// After a push: the worker to wake, if one should be woken. The chosen
    /// worker is counted as unparked and searching.
    pub(super) fn worker_to_notify(&self) -> Option<usize> {
        if !self.notify_should_wakeup() {
            return None;
        }
        let mut sleepers = self.sleepers.lock();
        if !self.notify_should_wakeup() {
            return None;
        }
        let worker = sleepers.pop()?;
        self.state.fetch_add(1 | (1 << UNPARK_SHIFT), SeqCst);
        Some(worker)
    }

    fn notify_should_wakeup(&self) -> bool {
        // An RMW, not a load: it takes part in the SeqCst order with the
        // searchers' decrements (see the module docs).
        let state = self.state.fetch_add(0, SeqCst);
        num_searching(state) == 0 && num_unparked(state) < self.num_workers
    }

    /// A worker parks (it must then re-check all queues).
    pub(super) fn transition_worker_to_parked(&self, worker: usize, is_searching: bool) {
        let mut sleepers = self.sleepers.lock();
        let dec = (1 << UNPARK_SHIFT) | usize::from(is_searching);
        self.state.fetch_sub(dec, SeqCst);
        sleepers.push(worker);
    }

    /// Try to become a searcher; refused when half the workers search.
    pub(super) fn transition_worker_to_searching(&self) -> bool {
        let state = self.state.load(SeqCst);
        if 2 * num_searching(state) >= self.num_workers {
            return false;
        }
        self.state.fetch_add(1, SeqCst);
        true
    }

    /// A searcher found work. True if it was the last searcher (then it
    /// must wake another worker).
    pub(super) fn transition_worker_from_searching(&self) -> bool {
        let prev = self.state.fetch_sub(1, SeqCst);
        num_searching(prev) == 1
    }

    /// A parked worker woke up by itself (its driver delivered work): take
    /// it off the sleeper list. True if it was there (then it was not
    /// notified and is not counted as searching).
    pub(super) fn unpark_worker_by_id(&self, worker: usize) -> bool {
        let mut sleepers = self.sleepers.lock();
        if let Some(i) = sleepers.iter().position(|&w| w == worker) {
            sleepers.swap_remove(i);
            self.state.fetch_add(1 << UNPARK_SHIFT, SeqCst);
            true
        } else {
            false
        }
    }

    /// Claims the right to spin before parking; false if taken.
    pub(super) fn try_start_spin(&self) -> bool {
        !self.spinning.load(Ordering::Relaxed) && !self.spinning.swap(true, Ordering::Acquire)
    }

    pub(super) fn end_spin(&self) {
        self.spinning.store(false, Ordering::Release);
    }

    pub(super) fn is_parked(&self, worker: usize) -> bool {
        self.sleepers.lock().contains(&worker)
    }
}
