//! The fair, batch-acquiring semaphore under `Semaphore`, `Mutex`, `RwLock`
//! and the bounded `mpsc` channel.
//!
//! # Protocol
//!
//! One atomic word holds the available permits (not assigned to anyone)
//! and two flags; a mutex guards the FIFO queue of waiters:
//!
//! ```text
//!   state = permits << 2 | WAITERS (1) | CLOSED (2)
//!
//!   WAITERS  set   <=> the queue is non-empty; changed only under the lock
//!   CLOSED   set once, under the lock; never cleared
//!   invariant: WAITERS set => permits == 0
//! ```
//!
//! A request for `n` permits:
//!
//! ```text
//!            CAS permits -= n  (permits >= n, !CLOSED; no lock)      Ready(Ok)
//!   Idle ------------------------------------------------------> Done
//!     |                                                          ^  ^
//!     | otherwise, under the lock: if still short, CAS the word   |  |
//!     | to permits = 0 | WAITERS (taking them partially) and       |  |
//!     v queue for the rest                                        |  |
//!   Waiting(key) --- release fills `remaining` to 0: free the  ---+  |
//!     |              slot, signal GRANTED                            |
//!     |          --- close: free the slot, take back what it was     |
//!     |              partially assigned, signal CLOSED (Err) --------+
//!     |
//!     +-- dropped: if still PENDING (checked under the lock), free the
//!         slot and give back what it was assigned (to the next waiters,
//!         in order); if GRANTED, release the permits it never used
//! ```
//!
//! # The waiter's signal
//!
//! A queued `Acquire` learns its verdict from an atomic in the future
//! itself (`signal`: PENDING, GRANTED or CLOSED), which its slab node
//! points to ([`Signal`], whose docs give the protocol). The notifier
//! stores the verdict under the lock, in the same critical section in
//! which it frees the node, as its last access to the future; so a woken
//! waiter completes with one atomic load and no lock, and a dropped one
//! takes the lock only while still PENDING (then frees its node and gives
//! back what it was partially assigned) or to give back a grant it never
//! observed.
//!
//! Releasing `n` permits: while WAITERS is clear, one CAS adds them to the
//! word (no lock). Once WAITERS is set, the releaser takes the lock and
//! hands the permits to the head waiter first (partially, if it needs more
//! than there are); when the queue becomes empty it clears WAITERS and adds
//! what is left over to the word, in one CAS, still under the lock.
//!
//! Why nothing is lost or overtaken: a waiter only queues under the lock
//! and in the same critical section swaps the word to `0 | WAITERS` with a
//! CAS, which fails (and the waiter re-reads) if a lock-free release or
//! acquire changed it in between. From then on, lock-free releases see
//! WAITERS and go through the lock, and lock-free acquires see 0 permits,
//! so while anyone is queued the permit count only moves under the lock.
//! A large request at the head therefore blocks smaller requests behind
//! it, exactly as tokio's semaphore does, and a new request can never
//! overtake a queued one.
//!
//! Memory ordering: successful acquires load with `Acquire` and releases
//! store with `Release` (the word, or the lock for queued waiters), so
//! whatever a `Mutex` guard holder wrote before releasing is visible to the
//! next holder.
//!
//! Cancellation: a waiter dropped while queued, or after being granted but
//! before observing it, returns every permit assigned to it through the
//! same hand-out path, so nothing is lost and the next waiter gets them.

use super::wait_list::{Key, PENDING, Signal, WaitList, WakeList, verdict};
use crate::loom::sync::Mutex;
use crate::loom::sync::atomic::{
    AtomicUsize,
    Ordering::{AcqRel, Acquire as Acq, Relaxed},
};
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

pub(crate) struct Semaphore {
    /// `permits << SHIFT | WAITERS | CLOSED`, see the module docs.
    state: AtomicUsize,
    waiters: Mutex<WaitList<Waiter>>,
}

const WAITERS: usize = 1;
const CLOSED: usize = 2;
const SHIFT: usize = 2;

#[derive(Debug)]
struct Waiter {
    /// Permits still missing.
    remaining: usize,
    /// Permits asked for.
    needed: usize,
    /// The `signal` of the pinned `Acquire` that queued this node.
    signal: Signal,
}

/// `Acquire::signal` verdicts (besides `PENDING`).
const GRANTED: usize = 1;
const SIGNAL_CLOSED: usize = 2;

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
            state: AtomicUsize::new(permits << SHIFT),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    pub(crate) fn new(permits: usize) -> Semaphore {
        assert!(
            permits <= Self::MAX_PERMITS,
            "a semaphore may not have more than MAX_PERMITS permits ({})",
            Self::MAX_PERMITS
        );
        Semaphore {
            state: AtomicUsize::new(permits << SHIFT),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    pub(crate) fn available_permits(&self) -> usize {
        self.state.load(Acq) >> SHIFT
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.state.load(Acq) & CLOSED != 0
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
        let mut cur = self.state.load(Relaxed);
        while cur & WAITERS == 0 {
            let next = add_to_word(cur, n);
            match self.state.compare_exchange_weak(cur, next, AcqRel, Relaxed) {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
        let mut wakers = WakeList::new();
        {
            let mut waiters = self.waiters.lock();
            self.add_permits_locked(&mut waiters, n, &mut wakers);
        }
        wakers.wake_all();
    }

    /// Hands `n` permits to the queued waiters front to back, then, if the
    /// queue is (or became) empty, clears WAITERS and adds the rest to the
    /// word. Called with the lock held (`waiters` is its guard's content).
    fn add_permits_locked(&self, waiters: &mut WaitList<Waiter>, n: usize, wakers: &mut WakeList) {
        let mut rem = n;
        while rem > 0 {
            let Some(key) = waiters.front() else {
                break;
            };
            let waiter = &mut waiters.get_mut(key).data;
            let take = rem.min(waiter.remaining);
            waiter.remaining -= take;
            rem -= take;
            if waiter.remaining > 0 {
                break;
            }
            let (waiter, waker) = waiters.take(key);
            waiter.signal.set(GRANTED);
            wakers.push(waker);
        }
        if !waiters.is_empty() {
            // Everything went to the queue (WAITERS stays set).
            debug_assert_eq!(rem, 0);
            return;
        }
        let mut cur = self.state.load(Relaxed);
        loop {
            // Only lock-free releases (if WAITERS was already clear) and
            // zero-permit acquires race with us here.
            let next = add_to_word(cur & !WAITERS, rem);
            if next == cur {
                return;
            }
            match self.state.compare_exchange_weak(cur, next, AcqRel, Relaxed) {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
    }

    /// Removes up to `n` available permits; returns how many were removed.
    pub(crate) fn forget_permits(&self, n: usize) -> usize {
        let mut cur = self.state.load(Relaxed);
        loop {
            let forgotten = (cur >> SHIFT).min(n);
            if forgotten == 0 {
                return 0;
            }
            let next = cur - (forgotten << SHIFT);
            match self.state.compare_exchange_weak(cur, next, AcqRel, Relaxed) {
                Ok(_) => return forgotten,
                Err(actual) => cur = actual,
            }
        }
    }

    /// Closes the semaphore: every queued and future acquire fails.
    pub(crate) fn close(&self) {
        let mut wakers = WakeList::new();
        {
            let mut waiters = self.waiters.lock();
            self.state.fetch_or(CLOSED, AcqRel);
            // Waiters give back what they were partially assigned now
            // rather than when next polled, so that `available_permits`
            // (the mpsc receiver's "all permits back" check) is exact.
            let mut returned = 0;
            while let Some(key) = waiters.front() {
                let (waiter, waker) = waiters.take(key);
                returned += waiter.needed - waiter.remaining;
                waiter.signal.set(SIGNAL_CLOSED);
                wakers.push(waker);
            }
            self.add_permits_locked(&mut waiters, returned, &mut wakers);
        }
        wakers.wake_all();
    }

    /// One CAS attempt loop on the word: takes `n` permits if that many are
    /// available. `Err(cur)` with the word seen if not (or closed).
    fn try_take(&self, n: usize) -> Result<(), usize> {
        let mut cur = self.state.load(Acq);
        loop {
            if cur & CLOSED != 0 || cur >> SHIFT < n {
                return Err(cur);
            }
            let next = cur - (n << SHIFT);
            match self.state.compare_exchange_weak(cur, next, AcqRel, Acq) {
                Ok(_) => return Ok(()),
                Err(actual) => cur = actual,
            }
        }
    }

    pub(crate) fn try_acquire(&self, n: usize) -> Result<(), TryAcquireError> {
        match self.try_take(n) {
            Ok(()) => Ok(()),
            Err(cur) if cur & CLOSED != 0 => Err(TryAcquireError::Closed),
            Err(_) => Err(TryAcquireError::NoPermits),
        }
    }

    /// Waits for `n` permits, in FIFO order with every other waiter.
    pub(crate) fn acquire(&self, n: usize) -> Acquire<'_> {
        Acquire {
            sem: self,
            needed: n,
            state: AcquireState::Idle,
            signal: AtomicUsize::new(PENDING),
            _pinned: PhantomPinned,
        }
    }
}

/// `cur` with `n` more permits.
///
/// # Panics
///
/// If the total would exceed `MAX_PERMITS`.
fn add_to_word(cur: usize, n: usize) -> usize {
    let permits = cur >> SHIFT;
    assert!(
        n <= Semaphore::MAX_PERMITS - permits,
        "number of added permits ({n}) would overflow MAX_PERMITS ({})",
        Semaphore::MAX_PERMITS
    );
    cur + (n << SHIFT)
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cur = self.state.load(Acq);
        f.debug_struct("Semaphore")
            .field("permits", &(cur >> SHIFT))
            .field("closed", &(cur & CLOSED != 0))
            .field("waiters", &(cur & WAITERS != 0))
            .finish()
    }
}

/// Future of [`Semaphore::acquire`].
#[must_use = "futures do nothing unless polled"]
pub(crate) struct Acquire<'a> {
    sem: &'a Semaphore,
    needed: usize,
    state: AcquireState,
    /// The verdict for a queued acquire, stored by the notifier under the
    /// lock (module docs); the slab node points here, hence `!Unpin`.
    signal: AtomicUsize,
    _pinned: PhantomPinned,
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
        // SAFETY: nothing is moved out of the pinned future; `signal` stays
        // where the slab node points.
        let this = unsafe { self.get_unchecked_mut() };
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
        match self.state {
            AcquireState::Idle => {
                // Fast path: enough permits, nobody queued (or the
                // word would hold 0 permits), no lock.
                let cur = match self.sem.try_take(self.needed) {
                    Ok(()) => {
                        self.state = AcquireState::Done;
                        return Poll::Ready(Ok(()));
                    }
                    Err(cur) => cur,
                };
                if cur & CLOSED != 0 {
                    self.state = AcquireState::Done;
                    return Poll::Ready(Err(Closed));
                }
                let mut waiters = self.sem.waiters.lock();
                let mut cur = self.sem.state.load(Acq);
                let remaining = loop {
                    if cur & CLOSED != 0 {
                        self.state = AcquireState::Done;
                        return Poll::Ready(Err(Closed));
                    }
                    let permits = cur >> SHIFT;
                    let (next, remaining) = if permits >= self.needed {
                        // Released since the fast path looked.
                        (cur - (self.needed << SHIFT), 0)
                    } else {
                        // Take everything available (nobody is queued, or
                        // it would be 0), queue for the rest.
                        debug_assert!(permits == 0 || waiters.is_empty());
                        ((cur & CLOSED) | WAITERS, self.needed - permits)
                    };
                    // `--cfg magpie_break` overwrites the word instead, so
                    // that the loom model `release_races_with_queueing`
                    // can show a lock-free release being lost (docs/loom.md).
                    if cfg!(magpie_break) {
                        self.sem.state.store(next, Relaxed);
                        break remaining;
                    }
                    match self.sem.state.compare_exchange(cur, next, AcqRel, Acq) {
                        Ok(_) => break remaining,
                        Err(actual) => cur = actual,
                    }
                };
                if remaining == 0 {
                    self.state = AcquireState::Done;
                    return Poll::Ready(Ok(()));
                }
                let waiter = Waiter {
                    remaining,
                    needed: self.needed,
                    signal: Signal::new(&self.signal),
                };
                let key = waiters.push_back(waiter, Some(cx.waker().clone()));
                self.state = AcquireState::Waiting(key);
                Poll::Pending
            }
            AcquireState::Waiting(key) => {
                if let Some(verdict) = self.verdict() {
                    return Poll::Ready(verdict);
                }
                let mut waiters = self.sem.waiters.lock();
                // Under the lock the signal cannot change: still PENDING
                // means the node is still ours to update.
                if let Some(verdict) = self.verdict() {
                    return Poll::Ready(verdict);
                }
                waiters.get_mut(key).set_waker(cx.waker());
                Poll::Pending
            }
            AcquireState::Done => panic!("`Acquire` polled after completion"),
        }
    }
}

impl Acquire<'_> {
    /// The outcome of a queued acquire if the notifier gave it (then the
    /// node is gone and the state becomes Done).
    fn verdict(&mut self) -> Option<Result<(), Closed>> {
        let verdict = match verdict(&self.signal) {
            PENDING => return None,
            GRANTED => Ok(()),
            // `close` already took back its partial permits.
            _ => Err(Closed),
        };
        self.state = AcquireState::Done;
        Some(verdict)
    }
}

impl Drop for Acquire<'_> {
    fn drop(&mut self) {
        let AcquireState::Waiting(key) = self.state else {
            return;
        };
        let mut wakers = WakeList::new();
        let signal = verdict(&self.signal);
        if signal == PENDING {
            let mut waiters = self.sem.waiters.lock();
            // Re-read under the lock: a notifier may have just decided.
            match verdict(&self.signal) {
                PENDING => {
                    // Our node is still in the slab (and points at us):
                    // free it before we go.
                    let waiter = waiters.remove(key);
                    let assigned = self.needed - waiter.remaining;
                    // Also clears WAITERS if this was the last queued
                    // waiter.
                    self.sem
                        .add_permits_locked(&mut waiters, assigned, &mut wakers);
                }
                GRANTED => self
                    .sem
                    .add_permits_locked(&mut waiters, self.needed, &mut wakers),
                _ => {}
            }
        } else if signal == GRANTED {
            // Granted but never observed: give the permits back.
            self.sem.release(self.needed);
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
