//! The blocking pool: threads for `spawn_blocking` (and, as mandatory
//! tasks, the multi-thread scheduler's workers).
//!
//! One queue under a mutex, one condvar. A spawn pushes the task and wakes
//! an idle thread, or starts a new one while fewer than the cap exist.
//! Idle threads exit after `keep_alive`. Shutdown sets a flag, wakes every
//! thread, cancels queued non-mandatory tasks, and waits (up to a timeout)
//! for running ones.

mod pool;

#[cfg(all(test, loom))]
mod tests;

#[cfg(all(test, not(loom)))]
mod spin_hint_tests;

pub(crate) use pool::{BlockingPool, Spawner};

use crate::runtime::config::{Callback, ThreadNameFn};
use std::time::Duration;

/// How long an idle scheduler thread watches for work before parking while
/// a recent `spawn_blocking` closure is in flight (its completion is a wake
/// from another thread, due soon). A futex wake plus the woken thread
/// getting a CPU costs 10-50 us on this kind of 2-vCPU machine; in
/// alternating runs of `spawn_blocking` round trips 50 us gave 0.15-0.26x
/// tokio's time (multi-thread) and 0.34-0.50x (current-thread), 20 us
/// 0.12-0.94x and 0.44-1.02x.
pub(crate) const SPIN: Duration = Duration::from_micros(50);

/// Settings for a new pool.
pub(crate) fn pool_config(
    driver: magpie_reactor::Handle,
    thread_name: ThreadNameFn,
    stack_size: Option<usize>,
    after_start: Option<Callback>,
    before_stop: Option<Callback>,
    thread_cap: usize,
    keep_alive: Duration,
) -> pool::PoolConfig {
    pool::PoolConfig {
        driver,
        thread_name,
        stack_size,
        after_start,
        before_stop,
        thread_cap,
        keep_alive,
    }
}
