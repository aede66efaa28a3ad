//! Condvar parker: the bottom of the driver stack when I/O is disabled
//! (and always under loom, which cannot model a blocking `epoll_wait`).
//!
//! State machine of `Inner::state` (all transitions by CAS/swap):
//!
//! ```text
//!            park() finds NOTIFIED: swap to EMPTY, return at once
//!   EMPTY ─────────────── park() ──────────────▶ PARKED ──(condvar wait)──┐
//!     ▲                                            │                      │
//!     │                                  unpark(): swap NOTIFIED,         │
//!     │                                  lock + notify_one                │
//!     │                                            ▼                      │
//!     └──────── parked thread wakes, swaps EMPTY ── NOTIFIED ◀────────────┘
//!   unpark() on EMPTY: swap to NOTIFIED (the next park returns at once)
//! ```
//!
//! No lost wakeup: `unpark` always leaves NOTIFIED behind, and it takes the
//! mutex before `notify_one`, so a parker that read PARKED under the mutex is
//! either not yet waiting (it will re-check the state under the lock) or
//! already waiting (and gets the notification).

use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::Ordering::SeqCst;
use crate::loom::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

const EMPTY: usize = 0;
const PARKED: usize = 1;
const NOTIFIED: usize = 2;

#[derive(Debug)]
struct Inner {
    state: AtomicUsize,
    mutex: Mutex<()>,
    condvar: Condvar,
}

/// The parking side; one thread at a time.
#[derive(Debug)]
pub(crate) struct ParkThread {
    inner: Arc<Inner>,
}

/// The waking side; any thread.
#[derive(Debug, Clone)]
pub(crate) struct UnparkThread {
    inner: Arc<Inner>,
}

impl ParkThread {
    pub(crate) fn new() -> (ParkThread, UnparkThread) {
        let inner = Arc::new(Inner {
            state: AtomicUsize::new(EMPTY),
            mutex: Mutex::new(()),
            condvar: Condvar::new(),
        });
        (
            ParkThread {
                inner: inner.clone(),
            },
            UnparkThread { inner },
        )
    }

    /// Blocks until `unpark` (or `timeout`, if given; a zero timeout only
    /// consumes a pending notification).
    pub(crate) fn park(&mut self, timeout: Option<Duration>) {
        let inner = &*self.inner;
        // Fast path: a notification is already waiting.
        if inner
            .state
            .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
            .is_ok()
        {
            return;
        }
        if timeout == Some(Duration::ZERO) {
            return;
        }
        let mut guard = inner.mutex.lock();
        match inner.state.compare_exchange(EMPTY, PARKED, SeqCst, SeqCst) {
            Ok(_) => {}
            Err(NOTIFIED) => {
                // Notified between the fast path and the lock.
                inner.state.swap(EMPTY, SeqCst);
                return;
            }
            Err(actual) => panic!("inconsistent park state: {actual}"),
        }
        loop {
            let timed_out = match timeout {
                None => {
                    guard = inner.condvar.wait(guard);
                    false
                }
                Some(dur) => {
                    let (g, timed_out) = inner.condvar.wait_timeout(guard, dur);
                    guard = g;
                    timed_out
                }
            };
            if inner
                .state
                .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
                .is_ok()
            {
                return;
            }
            if timed_out || timeout.is_some() {
                // Timed out (or a spurious wake of a timed park): give up the
                // PARKED state; a racing unpark leaves NOTIFIED for next time.
                let _ = inner.state.compare_exchange(PARKED, EMPTY, SeqCst, SeqCst);
                return;
            }
            // Spurious wakeup of an untimed park: wait again.
        }
    }
}

impl UnparkThread {
    pub(crate) fn unpark(&self) {
        let inner = &*self.inner;
        match inner.state.swap(NOTIFIED, SeqCst) {
            EMPTY | NOTIFIED => {}
            PARKED => {
                // Taking the lock orders us after the parker's check of the
                // state, so the notification cannot fall in the gap before
                // its wait.
                drop(inner.mutex.lock());
                inner.condvar.notify_one();
            }
            actual => panic!("inconsistent park state: {actual}"),
        }
    }
}
