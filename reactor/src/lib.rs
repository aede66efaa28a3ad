//! magpie-reactor: the I/O driver and timer wheel under the magpie runtime.
//!
//! This crate knows `std::task::Waker`s, never tasks: readiness and expired
//! timers wake wakers, and a woken task finds its own way back into a
//! worker's queue. It could back another executor.
//!
//! Who calls what: the runtime owns one [`Driver`]; a worker with nothing to
//! do calls [`Driver::park`] (exactly one thread at a time), which blocks in
//! `epoll_wait` until the nearest timer, an I/O event, or
//! [`Handle::unpark`]. Resources and timers are created through a
//! [`Handle`].
//!
//! Timers: [`time`] holds a hierarchical timing wheel with intrusive
//! entries ([`time::TimerEntry`], embedded in the user's `Sleep`) and the
//! pausable [`time::Clock`]; the driver's time layer parks the layer below
//! until the nearest deadline and fires what expired.
#![deny(unsafe_op_in_unsafe_fn)]

mod loom;

mod driver;
pub mod io;
mod park;
pub mod time;

#[cfg(all(test, loom))]
mod tests;

pub use driver::{Config, Driver, Handle};
