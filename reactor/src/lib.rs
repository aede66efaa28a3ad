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
#![deny(unsafe_op_in_unsafe_fn)]

mod loom;

mod driver;
mod park;

#[cfg(all(test, loom))]
mod tests;

pub use driver::{Config, Driver, Handle};
