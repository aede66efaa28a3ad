//! Tests of the sync primitives: unit tests on a tiny test executor, and
//! loom models (`--cfg loom`).

#[cfg(not(loom))]
mod support;

#[cfg(not(loom))]
mod coop;
#[cfg(not(loom))]
mod notify;
#[cfg(not(loom))]
mod oneshot;
#[cfg(not(loom))]
mod semaphore;

#[cfg(not(loom))]
mod alloc;
#[cfg(not(loom))]
mod barrier;
#[cfg(not(loom))]
mod broadcast;
#[cfg(loom)]
mod loom_broadcast;
#[cfg(loom)]
mod loom_mpsc;
#[cfg(loom)]
mod loom_notify;
#[cfg(loom)]
mod loom_oneshot;
#[cfg(loom)]
mod loom_semaphore;
#[cfg(not(loom))]
mod mpsc;
#[cfg(not(loom))]
mod mutex;
#[cfg(not(loom))]
mod robustness;
#[cfg(not(loom))]
mod rwlock;
#[cfg(not(loom))]
mod watch;
