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

/// The current runtime's driver, which must have the timer enabled.
#[track_caller]
pub(crate) fn timer_driver(what: &str) -> magpie_reactor::Handle {
    let handle = crate::context::expect_driver(what);
    if handle.time().is_none() {
        panic!(
            "A magpie runtime was found but the timer is disabled; \
             call `enable_time` or `enable_all` on the runtime Builder"
        );
    }
    handle
}
