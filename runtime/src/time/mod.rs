//! Utilities for tracking time (`tokio::time`'s API).
//!
//! * [`Sleep`] is a future that does no work and completes at a specific
//!   [`Instant`] in time ([`sleep`], [`sleep_until`]).
//! * [`Interval`] is a stream-like value yielding at a fixed period
//!   ([`interval`], [`interval_at`]).
//! * [`Timeout`] wraps a future and fails it with [`error::Elapsed`] if it
//!   does not complete in time ([`timeout`], [`timeout_at`]).
//!
//! Timers need a runtime with the timer enabled (`enable_time` or
//! `enable_all` on the runtime `Builder`); the resolution is one
//! millisecond, and a timer never completes before its deadline.
//!
//! For tests, time can be frozen with [`pause`]: [`Instant::now`] then only
//! moves when [`advance`] is called or when the runtime has nothing to do
//! and *auto-advances* to the next timer, so a test that sleeps for an hour
//! finishes at once.
//!
//! ```
//! use magpie::time::{sleep, Duration};
//!
//! #[magpie::main]
//! async fn main() {
//!     sleep(Duration::from_millis(100)).await;
//!     println!("100 ms have elapsed");
//! }
//! ```
//!
//! Implementation: the timers live in the reactor's hierarchical wheel
//! (`magpie_reactor::time`); each [`Sleep`] holds its wheel entry inline,
//! so a sleep costs no allocation beyond its own future.

mod clock;
pub mod error;
mod instant;
mod interval;
mod sleep;
mod timeout;

#[cfg(all(test, not(loom)))]
mod tests;

pub use clock::{advance, pause, resume};
pub use instant::Instant;
pub use interval::{Interval, MissedTickBehavior, interval, interval_at};
pub use sleep::{Sleep, sleep, sleep_until};
pub use std::time::Duration;
pub use timeout::{Timeout, timeout, timeout_at};

/// Builds a timer on the current runtime's driver, which must have the
/// timer enabled; `deadline` gets the driver's clock (for `now + duration`
/// deadlines), so that one thread-local access and one reference count
/// serve both the clock read and the timer.
#[track_caller]
#[inline]
pub(crate) fn new_timer(
    what: &str,
    deadline: impl FnOnce(&magpie_reactor::time::Clock) -> std::time::Instant,
) -> magpie_reactor::time::TimerEntry {
    let caller = std::panic::Location::caller();
    // Only the wheel handle and the deadline leave the thread-local access;
    // the entry is built in place afterwards (moving a whole entry out of
    // the closure measurably cost store-forwarding stalls).
    let (time, deadline) = crate::context::with_current_driver(|handle| {
        let Some(handle) = handle else {
            no_runtime(what, caller)
        };
        let Some(time) = handle.time() else {
            timer_disabled(caller)
        };
        (time.clone(), deadline(handle.clock()))
    });
    magpie_reactor::time::TimerEntry::on_wheel(time, deadline)
}

#[cold]
#[inline(never)]
fn no_runtime(what: &str, caller: &std::panic::Location<'_>) -> ! {
    panic!("{what} {} (at {caller})", crate::context::NO_RUNTIME)
}

#[cold]
#[inline(never)]
fn timer_disabled(caller: &std::panic::Location<'_>) -> ! {
    panic!(
        "A magpie runtime was found but the timer is disabled; \
         call `enable_time` or `enable_all` on the runtime Builder (at {caller})"
    )
}
