//! The fair, batch-acquiring semaphore under `Semaphore`, `Mutex`, `RwLock`
//! and the bounded `mpsc` channel.
//!
//! # Protocol
//!
//! One mutex guards `permits` (available, not assigned), `closed` and the
//! FIFO queue of waiters. A waiter asks for `n` permits:
//!
//! ```text
//!            permits >= n                       Ready(Ok)
//!   Idle ------------------------------------------------------> Done
//!     |                                                          ^  ^
//!     | otherwise: take all `permits` (partial), queue for the    |  |
//!     v            rest                                           |  |
//!   Waiting(key) --- add_permits fills `remaining` to 0: unlink --+  |
//!     |          --- close: unlink, take back what it was partially
//!     |              assigned, mark closed (Err) --------------------+
//!     |
//!     +-- dropped: free the slot, give back what it was assigned
//!         (to the next waiters, in order)
//! ```
//!
//! Invariant: while any waiter is queued, `permits == 0`. Released permits
//! go to the head waiter first (partially, if it needs more than there are),
//! and only what is left over after the queue becomes empty is added to
//! `permits`. So a large request at the head blocks smaller requests behind
//! it, exactly as tokio's semaphore does, and a new request can never
//! overtake a queued one.
//!
//! Cancellation: a waiter dropped while queued, or after being granted but
//! before observing it, returns every permit assigned to it through
//! `release`, so nothing is lost and the next waiter gets them.

use super::wait_list::{Key, WaitList, WakeList};
use crate::loom::sync::Mutex;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

pub(crate) struct Semaphore {
    state: Mutex<State>,
}

struct State {
    permits: usize,
    closed: bool,
    waiters: WaitList<Waiter>,
}

#[derive(Debug)]
struct Waiter {
    /// Permits still missing; 0 once granted.
    remaining: usize,
    /// Permits asked for.
    needed: usize,
    /// Unlinked by `close` rather than by a grant.
    closed: bool,
}

/// Why an acquire failed (semaphore closed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Closed;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TryAcquireError {
    Closed,
    NoPermits,
}

impl Semaphore {
    /// Largest number of permits, as tokio's (`usize::MAX >> 3`).
    pub(crate) const MAX_PERMITS: usize = usize::MAX >> 3;

    #[cfg(not(loom))]
    pub(crate) const fn const_new(permits: usize) -> Semaphore {
        assert!(permits <= Self::MAX_PERMITS);
        Semaphore {
            state: Mutex::new(State {
                permits,
                closed: false,
                waiters: WaitList::new(),
            }),
        }
    }

    pub(crate) fn new(permits: usize) -> Semaphore {
        assert!(
            permits <= Self::MAX_PERMITS,
            "a semaphore may not have more than MAX_PERMITS permits ({})",
            Self::MAX_PERMITS
        );
        Semaphore {
            state: Mutex::new(State {
                permits,
                closed: false,
                waiters: WaitList::new(),
            }),
        }
    }

    pub(crate) fn available_permits(&self) -> usize {
        self.state.lock().permits
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state.lock().closed
    }

    /// Adds `n` permits, serving queued waiters first.
    ///
    /// # Panics
    ///
    /// If the total would exceed `MAX_PERMITS`.
    pub(crate) fn release(&self, n: usize) {
        if n == 0 {
            return;
        }
        let mut wakers = WakeList::new();
        {
            let mut st = self.state.lock();
            st.add_permits(n, &mut wakers);
        }
        wakers.wake_all();
    }

    /// Removes up to `n` available permits; returns how many were removed.
    pub(crate) fn forget_permits(&self, n: usize) -> usize {
        let mut st = self.state.lock();
        let forgotten = st.permits.min(n);
        st.permits -= forgotten;
        forgotten
    }

    /// Closes the semaphore: every queued and future acquire fails.
    pub(crate) fn close(&self) {
        let mut wakers = WakeList::new();
        {
            let mut st = self.state.lock();
            st.closed = true;
            // Waiters give back what they were partially assigned now
            // rather than when next polled, so that `available_permits`
            // (the mpsc receiver's "all permits back" check) is exact.
            let mut returned = 0;
            st.waiters.drain(|w, waker| {
                returned += w.needed - w.remaining;
                w.remaining = w.needed;
                w.closed = true;
                wakers.push(waker);
            });
            st.permits += returned;
        }
        wakers.wake_all();
    }

    pub(crate) fn try_acquire(&self, n: usize) -> Result<(), TryAcquireError> {
        let mut st = self.state.lock();
        if st.closed {
            return Err(TryAcquireError::Closed);
        }
        if st.permits >= n {
            st.permits -= n;
            Ok(())
        } else {
            Err(TryAcquireError::NoPermits)
        }
    }

    /// Waits for `n` permits, in FIFO order with every other waiter.
    pub(crate) fn acquire(&self, n: usize) -> Acquire<'_> {
        Acquire {
            sem: self,
            needed: n,
            state: AcquireState::Idle,
        }
    }
}

impl State {
    fn add_permits(&mut self, n: usize, wakers: &mut WakeList) {
        let mut rem = n;
        while rem > 0 {
            let Some(key) = self.waiters.front() else {
                break;
            };
            let waiter = &mut self.waiters.get_mut(key).data;
            let take = rem.min(waiter.remaining);
            waiter.remaining -= take;
            rem -= take;
            if waiter.remaining > 0 {
                break;
            }
            wakers.push(self.waiters.unlink(key));
        }
        if rem > 0 {
            assert!(
                rem <= Semaphore::MAX_PERMITS - self.permits,
                "number of added permits ({rem}) would overflow MAX_PERMITS ({})",
                Semaphore::MAX_PERMITS
            );
            self.permits += rem;
        }
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.lock();
        f.debug_struct("Semaphore")
            .field("permits", &st.permits)
            .field("closed", &st.closed)
            .field("waiters", &st.waiters.len())
            .finish()
    }
}

/// Future of [`Semaphore::acquire`].
#[must_use = "futures do nothing unless polled"]
pub(crate) struct Acquire<'a> {
    sem: &'a Semaphore,
    needed: usize,
    state: AcquireState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AcquireState {
    Idle,
    Waiting(Key),
    Done,
}

impl Future for Acquire<'_> {
    type Output = Result<(), Closed>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let coop = ready!(crate::coop::poll_proceed(cx));
        let result = this.poll_inner(cx);
        if result.is_ready() {
            coop.made_progress();
        }
        result
    }
}

impl Acquire<'_> {
    fn poll_inner(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Closed>> {
        let mut st = self.sem.state.lock();
        match self.state {
            AcquireState::Idle => {
                if st.closed {
                    self.state = AcquireState::Done;
                    return Poll::Ready(Err(Closed));
                }
                if st.permits >= self.needed {
                    st.permits -= self.needed;
                    self.state = AcquireState::Done;
                    return Poll::Ready(Ok(()));
                }
                // Not enough: everything available is ours now (the queue
                // was empty, see the invariant), wait for the rest.
                debug_assert!(st.permits == 0 || st.waiters.is_empty());
                let remaining = self.needed - st.permits;
                st.permits = 0;
                let waiter = Waiter {
                    remaining,
                    needed: self.needed,
                    closed: false,
                };
                let key = st.waiters.push_back(waiter, Some(cx.waker().clone()));
                self.state = AcquireState::Waiting(key);
                Poll::Pending
            }
            AcquireState::Waiting(key) => {
                let node = st.waiters.get_mut(key);
                if node.is_linked() {
                    node.set_waker(cx.waker());
                    return Poll::Pending;
                }
                let waiter = st.waiters.remove(key);
                self.state = AcquireState::Done;
                if waiter.closed {
                    // `close` already took back its partial permits.
                    Poll::Ready(Err(Closed))
                } else {
                    debug_assert_eq!(waiter.remaining, 0);
                    Poll::Ready(Ok(()))
                }
            }
            AcquireState::Done => panic!("`Acquire` polled after completion"),
        }
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        let AcquireState::Waiting(key) = self.state else {
            return;
        };
        let mut wakers = WakeList::new();
        {
            let mut st = self.sem.state.lock();
            let waiter = st.waiters.remove(key);
            let assigned = self.needed - waiter.remaining;
            st.add_permits(assigned, &mut wakers);
        }
        wakers.wake_all();
    }
}

impl fmt::Debug for Acquire<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Acquire")
            .field("needed", &self.needed)
            .field("state", &self.state)
            .finish()
    }
}
