//! The driver stack: time → I/O → thread park.
//!
//! A runtime owns exactly one [`Driver`]. Exactly one thread at a time may
//! call [`Driver::park`] (holding `&mut Driver` is that right; the runtime
//! keeps it behind a try-lock so that whichever worker parks first drives
//! I/O and timers while the others sleep on their own condvars). Any thread
//! may call [`Handle::unpark`] to make a blocked `park` return.

use crate::park::{ParkThread, UnparkThread};
use std::io;
use std::time::Duration;

/// What the driver stack should contain.
#[derive(Debug, Clone, Copy, Default)]
pub struct Config {
    /// Create the mio-based I/O driver.
    pub enable_io: bool,
    /// Create the timer wheel.
    pub enable_time: bool,
    /// Start with the clock paused (tests).
    pub start_paused: bool,
}

/// The parking side of the driver stack; see the module docs.
#[derive(Debug)]
pub struct Driver {
    park: ParkThread,
}

/// Cheap to clone, `Send + Sync`: reaches the driver from any thread.
#[derive(Debug, Clone)]
pub struct Handle {
    unpark: UnparkThread,
}

impl Driver {
    /// Builds the stack `config` asks for.
    pub fn new(config: Config) -> io::Result<(Driver, Handle)> {
        let _ = config;
        let (park, unpark) = ParkThread::new();
        Ok((Driver { park }, Handle { unpark }))
    }

    /// Blocks until [`Handle::unpark`] is called, an I/O event arrives or a
    /// timer expires; dispatches what arrived (wakes the wakers).
    pub fn park(&mut self, handle: &Handle) {
        let _ = handle;
        self.park.park(None);
    }

    /// Like [`park`](Self::park) but returns after `duration` at the
    /// latest. A zero duration polls without blocking.
    pub fn park_timeout(&mut self, handle: &Handle, duration: Duration) {
        let _ = handle;
        self.park.park(Some(duration));
    }

    /// Shuts the stack down: every registered I/O resource and pending
    /// timer is woken and from now on reports that the driver is gone.
    pub fn shutdown(&mut self, handle: &Handle) {
        let _ = handle;
    }
}

impl Handle {
    /// Makes a blocked (or the next) [`Driver::park`] return.
    pub fn unpark(&self) {
        self.unpark.unpark();
    }
}
