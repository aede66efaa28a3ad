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

pub(crate) use pool::{BlockingPool, Spawner};

use crate::runtime::config::{Callback, ThreadNameFn};
use std::time::Duration;

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
