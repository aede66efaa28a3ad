//! The shared half of the time driver: the wheel under its lock, the tick
//! origin and the clock. Owners of timers (any thread) register, move and
//! cancel entries here; the driver fires them (time/driver.rs).

use crate::driver::IoUnpark;
use crate::loom::sync::atomic::AtomicBool;
use crate::loom::sync::atomic::Ordering::SeqCst;
use crate::loom::sync::{Arc, Mutex, MutexGuard};
use crate::time::entry::{State, TimerShared};
use crate::time::wheel::Wheel;
use crate::time::{Clock, Error};
use std::ptr::NonNull;
use std::task::{Poll, Waker};
use std::time::{Duration, Instant};

/// Reaches the timer wheel from any thread. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    clock: Clock,
    /// Wakes the layer below the timer when a new deadline is earlier
    /// than the one the driver parked for.
    unpark: IoUnpark,
    /// Tick 0.
    start: Instant,
    locked: Mutex<Locked>,
    /// Set by `crate::Handle::unpark`: something other than the timer
    /// woke the driver, so it must not auto-advance a paused clock.
    did_wake: AtomicBool,
}

#[derive(Debug)]
pub(crate) struct Locked {
    pub(crate) wheel: Wheel,
    /// The tick the parked (or parking) driver will wake at; `None` if it
    /// saw no timer. A new entry due earlier must unpark it.
    pub(crate) next_wake: Option<u64>,
    pub(crate) is_shutdown: bool,
}

impl Handle {
    pub(crate) fn new(clock: Clock, unpark: IoUnpark) -> Handle {
        let start = clock.now();
        Handle {
            inner: Arc::new(Inner {
                clock,
                unpark,
                start,
                locked: Mutex::new(Locked {
                    wheel: Wheel::new(),
                    next_wake: None,
                    is_shutdown: false,
                }),
                did_wake: AtomicBool::new(false),
            }),
        }
    }

    /// The clock this wheel reads.
    pub fn clock(&self) -> &Clock {
        &self.inner.clock
    }

    /// Whether the driver has shut down (timers fail with [`Error`]).
    pub fn is_shutdown(&self) -> bool {
        self.lock().is_shutdown
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, Locked> {
        self.inner.locked.lock()
    }

    pub(crate) fn set_did_wake(&self) {
        self.inner.did_wake.store(true, SeqCst);
    }

    pub(crate) fn take_did_wake(&self) -> bool {
        self.inner.did_wake.swap(false, SeqCst)
    }

    /// The tick of `deadline`, rounded up so that a timer never fires
    /// before its deadline.
    #[inline]
    pub(crate) fn deadline_to_tick(&self, deadline: Instant) -> u64 {
        let since = deadline.saturating_duration_since(self.inner.start);
        let ms = since.as_millis() + u128::from(since.subsec_nanos() % 1_000_000 != 0);
        u64::try_from(ms).unwrap_or(u64::MAX)
    }

    /// The tick the clock is at (rounded down).
    pub(crate) fn now_tick(&self) -> u64 {
        let since = self
            .inner
            .clock
            .now()
            .saturating_duration_since(self.inner.start);
        u64::try_from(since.as_millis()).unwrap_or(u64::MAX)
    }

    /// The time left until tick `tick` (zero if past).
    pub(crate) fn until_tick(&self, tick: u64) -> Duration {
        let at = self.inner.start.checked_add(Duration::from_millis(tick));
        at.map_or(Duration::MAX, |at| {
            at.saturating_duration_since(self.inner.clock.now())
        })
    }

    /// Links an UNREGISTERED entry due at tick `when`, or completes it at once
    /// if that is already past or the driver shut down.
    ///
    /// # Safety
    ///
    /// The caller owns `entry`, which is UNREGISTERED, pinned, and whose
    /// owner cancels it (`TimerEntry::drop`) before its memory is reused.
    pub(crate) unsafe fn register(
        &self,
        entry: &TimerShared,
        when: u64,
        waker: &Waker,
    ) -> Poll<Result<(), Error>> {
        let mut lock = self.lock();
        if lock.is_shutdown {
            // SAFETY: lock held, we own the unlinked entry.
            let none = unsafe { entry.fire_now(Err(Error::shutdown())) };
            debug_assert!(none.is_none());
            return Poll::Ready(Err(Error::shutdown()));
        }
        // SAFETY: lock held; the entry is ours and unlinked.
        unsafe {
            entry.set_when(when);
            if lock.wheel.insert(NonNull::from(entry)).is_err() {
                let none = entry.fire_now(Ok(()));
                debug_assert!(none.is_none());
                return Poll::Ready(Ok(()));
            }
            let old = entry.set_waker(waker);
            debug_assert!(old.is_none());
            entry.mark_registered();
        }
        let unpark = Self::note_deadline(&mut lock, when);
        drop(lock);
        if unpark {
            self.inner.unpark.unpark();
        }
        Poll::Pending
    }

    /// Records that an entry is due at `when`; true if the driver must be
    /// woken to notice it.
    fn note_deadline(lock: &mut Locked, when: u64) -> bool {
        if lock.next_wake.is_some_and(|next| next <= when) {
            return false;
        }
        lock.next_wake = Some(when);
        true
    }

    /// Replaces a REGISTERED entry's waker; Ready if it fired meanwhile.
    ///
    /// # Safety
    ///
    /// The caller owns `entry` (same contract as [`register`](Self::register)).
    pub(crate) unsafe fn update_waker(
        &self,
        entry: &TimerShared,
        waker: &Waker,
    ) -> Poll<Result<(), Error>> {
        let lock = self.lock();
        match entry.state() {
            State::Registered => {
                // SAFETY: lock held.
                let old = unsafe { entry.set_waker(waker) };
                drop(lock);
                drop(old);
                Poll::Pending
            }
            State::PendingFire(result) | State::Fired(result) => Poll::Ready(result),
            other => unreachable!("update_waker in state {other:?}"),
        }
    }

    /// Moves a REGISTERED entry to tick `when`, keeping its waker (woken at
    /// once if the deadline is already past). Returns false, doing nothing,
    /// if the driver fired it first.
    ///
    /// # Safety
    ///
    /// The caller owns `entry` (same contract as [`register`](Self::register)).
    pub(crate) unsafe fn reregister(&self, entry: &TimerShared, when: u64) -> bool {
        let mut lock = self.lock();
        if entry.state() != State::Registered {
            return false;
        }
        let node = NonNull::from(entry);
        // SAFETY: lock held; REGISTERED means linked in this wheel (rule 3).
        unsafe {
            lock.wheel.remove(node);
            entry.set_when(when);
            if lock.wheel.insert(node).is_err() {
                let waker = entry.fire_now(Ok(()));
                drop(lock);
                if let Some(waker) = waker {
                    waker.wake();
                }
                return true;
            }
        }
        let unpark = Self::note_deadline(&mut lock, when);
        drop(lock);
        if unpark {
            self.inner.unpark.unpark();
        }
        true
    }

    /// Unlinks a REGISTERED entry for good. Returns false, doing nothing, if
    /// the driver took it first (the caller then waits for FIRED).
    ///
    /// # Safety
    ///
    /// The caller owns `entry` and is dropping it.
    pub(crate) unsafe fn cancel(&self, entry: &TimerShared) -> bool {
        let mut lock = self.lock();
        if entry.state() != State::Registered {
            return false;
        }
        // SAFETY: lock held; REGISTERED means linked here (rule 3).
        let waker = unsafe {
            lock.wheel.remove(NonNull::from(entry));
            entry.mark_cancelled()
        };
        drop(lock);
        drop(waker);
        true
    }
}
