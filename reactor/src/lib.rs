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
//!
//! Applications use it through the `magpie` crate; driving it by hand
//! looks like this (a timer, polled with a no-op waker, and the driver
//! parked until it fires):
//!
//! ```
//! use std::pin::pin;
//! use std::task::{Context, Waker};
//! use std::time::{Duration, Instant};
//!
//! use magpie_reactor::time::TimerEntry;
//! use magpie_reactor::{Config, Driver};
//!
//! let config = Config { enable_io: true, enable_time: true, ..Config::default() };
//! let (mut driver, handle) = Driver::new(config).unwrap();
//!
//! let deadline = Instant::now() + Duration::from_millis(10);
//! let mut timer = pin!(TimerEntry::new(&handle, deadline));
//! let mut cx = Context::from_waker(Waker::noop());
//! while timer.as_mut().poll_elapsed(&mut cx).is_pending() {
//!     driver.park(&handle); // epoll_wait until the nearest deadline
//! }
//! assert!(Instant::now() >= deadline);
//! ```
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs)]

mod loom;

mod driver;
pub mod io;
mod park;
pub mod time;

#[cfg(all(test, loom))]
mod tests;

pub use driver::{Config, Driver, Handle};
