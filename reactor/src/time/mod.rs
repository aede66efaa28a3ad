//! Timers: a hierarchical timing wheel driven by the thread that parks.
//!
//! * `wheel`: the Varghese–Lauck hierarchical wheel, 6 levels
//!   × 64 slots, 1 ms ticks, about 2.2 years per top-level lap (level table
//!   in its doc).
//! * `entry`: the intrusive node living inside the user's pinned timer
//!   future ([`TimerEntry`]) and its state word (diagram and rules there).
//!   Insert, cancel and fire are O(1) and allocate nothing.
//! * [`Handle`]: the wheel under one mutex, shared by every thread that
//!   creates, resets or drops timers; [`Driver`]: fires expired timers from
//!   the parking thread; [`Clock`]: real or paused time.
//!
//! Why one lock around the whole wheel: timers are registered, moved and
//! cancelled from every worker while one thread drives, and each of those
//! operations touches the neighbours' links and the level bitmaps. A single
//! mutex held for O(1) work keeps the protocol small enough to model-check
//! (tests/loom_entry.rs). Sharding it per worker (tokio's sharded locks)
//! was considered and not taken: profiles of the timer benchmarks
//! (docs/benchmarks.md, "Timers") show no time waiting for this lock; the
//! costs were reference counts, the clock read and the allocator. What the
//! owner can do without the lock, it does: a timer is registered only when
//! first polled pending, a re-poll with the waker it already holds and a
//! reset within the same tick skip the lock (entry.rs, rule 6), and
//! dropping a never-registered or fired timer touches only its state.
//!
//! The lock is never held while a waker runs: wakers are taken under the
//! lock and called after it is released, and an entry stays PENDING_FIRE
//! (which keeps its memory alive) until its waker returned.

mod clock;
mod driver;
mod entry;
mod handle;
pub(crate) mod wheel;

#[cfg(test)]
mod tests;

pub use clock::Clock;
pub use driver::Driver;
pub use entry::TimerEntry;
pub use handle::Handle;

use std::fmt;

/// Error returned by a timer whose driver shut down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Error {
    _private: (),
}

impl Error {
    pub(crate) fn shutdown() -> Error {
        Error { _private: () }
    }

    /// Always true: the only failure is a shut-down driver.
    pub fn is_shutdown(&self) -> bool {
        true
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the timer driver has shut down")
    }
}

impl std::error::Error for Error {}
