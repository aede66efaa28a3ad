//! The runtime's clock: real time, or paused time that only moves when told.
//!
//! `now()` is `base + (real time since unfrozen)` while running and `base`
//! while paused; [`Clock::advance`] moves `base`. Never pausing keeps
//! `base == unfrozen`, so `now()` equals `Instant::now()` and the fast path
//! below skips the mutex. Pausing is for tests: a paused clock also lets
//! the driver *auto-advance* to the next timer when the runtime is idle
//! (see `time::Driver::park`), unless something holds an
//! [inhibit](Clock::inhibit_auto_advance) (the blocking pool does while a
//! blocking task runs, as its work is invisible to the timer wheel).

use crate::loom::sync::atomic::AtomicBool;
use crate::loom::sync::atomic::Ordering::{Acquire, Release};
use crate::loom::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A source of time that can be paused, resumed and advanced by hand.
///
/// Cheap to clone; clones share the same time.
#[derive(Debug, Clone)]
pub struct Clock {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    /// Set once on the first pause; until then `now()` is `Instant::now()`
    /// without touching the mutex. Release on set pairs with the Acquire in
    /// `now()`.
    ever_paused: AtomicBool,
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    /// The clock's time at the moment it was last unfrozen (or, while
    /// paused, its current time).
    base: Instant,
    /// Real time at which the clock was last resumed; `None` while paused.
    unfrozen: Option<Instant>,
    /// Outstanding [`Clock::inhibit_auto_advance`] calls.
    inhibit: usize,
}

impl Clock {
    /// A clock that reads real time, paused at once if `start_paused`.
    pub fn new(start_paused: bool) -> Clock {
        let now = Instant::now();
        let clock = Clock {
            inner: Arc::new(Inner {
                ever_paused: AtomicBool::new(false),
                state: Mutex::new(State {
                    base: now,
                    unfrozen: Some(now),
                    inhibit: 0,
                }),
            }),
        };
        if start_paused {
            clock.pause().expect("a new clock runs");
        }
        clock
    }

    /// The clock's current time.
    #[inline]
    pub fn now(&self) -> Instant {
        if !self.inner.ever_paused.load(Acquire) {
            return Instant::now();
        }
        let state = self.inner.state.lock();
        match state.unfrozen {
            Some(unfrozen) => state.base + unfrozen.elapsed(),
            None => state.base,
        }
    }

    /// Freezes the clock at its current time.
    ///
    /// Fails with `"time is already frozen"` if it is paused.
    pub fn pause(&self) -> Result<(), &'static str> {
        let mut state = self.inner.state.lock();
        let Some(unfrozen) = state.unfrozen else {
            return Err("time is already frozen");
        };
        self.inner.ever_paused.store(true, Release);
        state.base += unfrozen.elapsed();
        state.unfrozen = None;
        Ok(())
    }

    /// Lets the clock run again from where it was frozen.
    ///
    /// Fails with `"time is not frozen"` if it is running.
    pub fn resume(&self) -> Result<(), &'static str> {
        let mut state = self.inner.state.lock();
        if state.unfrozen.is_some() {
            return Err("time is not frozen");
        }
        state.unfrozen = Some(Instant::now());
        Ok(())
    }

    /// Moves a paused clock forward by `duration`.
    ///
    /// Fails with `"time is not frozen"` if it is running.
    pub fn advance(&self, duration: Duration) -> Result<(), &'static str> {
        let mut state = self.inner.state.lock();
        if state.unfrozen.is_some() {
            return Err("time is not frozen");
        }
        state.base += duration;
        Ok(())
    }

    /// Whether the clock is paused.
    pub fn is_paused(&self) -> bool {
        self.inner.ever_paused.load(Acquire) && self.inner.state.lock().unfrozen.is_none()
    }

    /// Stops the driver from auto-advancing a paused clock until the
    /// matching [`allow_auto_advance`](Self::allow_auto_advance).
    pub fn inhibit_auto_advance(&self) {
        self.inner.state.lock().inhibit += 1;
    }

    /// Ends one [`inhibit_auto_advance`](Self::inhibit_auto_advance).
    pub fn allow_auto_advance(&self) {
        let mut state = self.inner.state.lock();
        assert!(state.inhibit > 0, "allow_auto_advance without inhibit");
        state.inhibit -= 1;
    }

    /// Paused and not inhibited: an idle driver may jump to the next timer.
    pub fn can_auto_advance(&self) -> bool {
        let state = self.inner.state.lock();
        state.unfrozen.is_none() && state.inhibit == 0
    }
}
