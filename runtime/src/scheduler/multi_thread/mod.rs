//! The multi-thread, work-stealing scheduler.
//!
//! * `worker.rs`: the run loop, where a worker finds work, maintenance,
//!   and the shutdown protocol.
//! * `queue.rs`: the per-worker deque facade (crossbeam, or a loom model).
//! * `idle.rs`: searching/parked accounting (who to wake, when).
//! * `park.rs`: parking on the shared driver or a condvar.
//! * `handle.rs`: spawning and scheduling from anywhere.
//!
//! docs/architecture.md draws how a task moves between these.

mod handle;
mod idle;
mod park;
pub(crate) mod queue;
mod worker;

pub(crate) use handle::Handle;
pub(crate) use worker::{Context, create};

#[cfg(all(test, loom))]
mod tests;
