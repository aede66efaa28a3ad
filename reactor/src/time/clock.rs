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
//!
//! [`Clock::now_ceil`] is a cheaper upper bound on `now()` for deadlines
//! that a later, precise read can still pull in (`time::timeout`): on
//! Linux it reads `CLOCK_MONOTONIC_COARSE` (the time of the last scheduler
//! tick, about 8 ns from the vDSO against 30 ns for the precise clock) and
//! adds twice the tick length plus 1 ms, so it is never earlier than the
//! precise time.

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

    /// An instant no earlier than [`now`](Self::now) and at most a few
    /// milliseconds later (two scheduler ticks plus 1 ms), cheaper to read.
    /// For a deadline that is refined with a precise read if it is ever
    /// needed, such as a timeout whose future is usually ready at once.
    /// Exactly `now()` while the clock is paused (or ever was), and where
    /// the coarse clock is missing.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie_reactor::time::Clock;
    ///
    /// let clock = Clock::new(false);
    /// let before = clock.now();
    /// let ceil = clock.now_ceil();
    /// assert!(ceil >= before);
    /// assert!(ceil <= clock.now() + std::time::Duration::from_millis(50));
    /// ```
    #[inline]
    pub fn now_ceil(&self) -> Instant {
        if !self.inner.ever_paused.load(Acquire)
            && let Some(ceil) = coarse::now_ceil()
        {
            return ceil;
        }
        self.now()
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

/// The coarse clock as a ceiling on the precise one (see the module docs).
///
/// The anchor reads the coarse clock (`c0`) and then `Instant::now()`
/// (`i0`); `i0 >= c0`, as the precise clock is never behind the coarse one
/// on the same timeline. A later coarse reading `c` lags the real time by
/// at most one tick, so `now <= c + tick <= i0 + (c - c0) + tick`: the
/// ceiling is `i0 + margin + (c - c0)` with `margin` above one tick, and
/// `c >= c0` always (the coarse clock is monotonic).
#[cfg(all(target_os = "linux", not(loom)))]
mod coarse {
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    struct Anchor {
        /// The coarse reading `c0`.
        coarse: libc::timespec,
        /// `i0 + margin`; the margin is two ticks plus 1 ms.
        base: Instant,
    }

    static ANCHOR: OnceLock<Option<Anchor>> = OnceLock::new();

    fn read(clock: libc::clockid_t) -> Option<libc::timespec> {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the call.
        (unsafe { libc::clock_gettime(clock, &mut ts) } == 0).then_some(ts)
    }

    fn anchor() -> Option<Anchor> {
        let mut res = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `res` is a valid, writable timespec for the call.
        if unsafe { libc::clock_getres(libc::CLOCK_MONOTONIC_COARSE, &mut res) } != 0 {
            return None;
        }
        // A kernel ticking slower than 100 Hz would make the ceiling too
        // loose to be worth it.
        if res.tv_sec != 0 || res.tv_nsec <= 0 || res.tv_nsec > 10_000_000 {
            return None;
        }
        let tick = Duration::from_nanos(res.tv_nsec as u64);
        let coarse = read(libc::CLOCK_MONOTONIC_COARSE)?;
        let base = Instant::now().checked_add(2 * tick + Duration::from_millis(1))?;
        Some(Anchor { coarse, base })
    }

    #[inline]
    pub(super) fn now_ceil() -> Option<Instant> {
        let anchor = ANCHOR.get_or_init(anchor).as_ref()?;
        let now = read(libc::CLOCK_MONOTONIC_COARSE)?;
        let mut secs = now.tv_sec - anchor.coarse.tv_sec;
        let mut nanos = now.tv_nsec - anchor.coarse.tv_nsec;
        if nanos < 0 {
            secs -= 1;
            nanos += 1_000_000_000;
        }
        let since = Duration::new(u64::try_from(secs).ok()?, nanos as u32);
        anchor.base.checked_add(since)
    }
}

#[cfg(not(all(target_os = "linux", not(loom))))]
mod coarse {
    #[inline]
    pub(super) fn now_ceil() -> Option<std::time::Instant> {
        None
    }
}
