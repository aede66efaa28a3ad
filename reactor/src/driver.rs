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
    io: IoStack,
}

/// The bottom of the stack: the mio driver when I/O is enabled, else the
/// condvar parker.
#[derive(Debug)]
enum IoStack {
    Enabled(crate::io::Driver),
    Disabled(ParkThread),
}

/// The waking side of [`IoStack`].
#[derive(Debug, Clone)]
enum IoUnpark {
    Enabled(crate::io::Handle),
    Disabled(UnparkThread),
}

impl IoStack {
    fn new(enable_io: bool) -> io::Result<(IoStack, IoUnpark)> {
        if enable_io {
            let (driver, handle) = crate::io::Driver::new()?;
            Ok((IoStack::Enabled(driver), IoUnpark::Enabled(handle)))
        } else {
            let (park, unpark) = ParkThread::new();
            Ok((IoStack::Disabled(park), IoUnpark::Disabled(unpark)))
        }
    }

    /// Blocks for at most `timeout` (`None`: until unparked or an event).
    fn park(&mut self, handle: &Handle, timeout: Option<Duration>) {
        match (self, &handle.unpark) {
            (IoStack::Enabled(driver), IoUnpark::Enabled(io)) => driver.turn(io, timeout),
            (IoStack::Disabled(park), _) => park.park(timeout),
            (IoStack::Enabled(_), IoUnpark::Disabled(_)) => {
                panic!("driver handle does not belong to this driver")
            }
        }
    }

    fn shutdown(&mut self, handle: &Handle) {
        if let (IoStack::Enabled(driver), IoUnpark::Enabled(io)) = (self, &handle.unpark) {
            driver.shutdown(io);
        }
    }
}

/// Cheap to clone, `Send + Sync`: reaches the driver from any thread.
#[derive(Debug, Clone)]
pub struct Handle {
    unpark: IoUnpark,
}

impl Driver {
    /// Builds the stack `config` asks for.
    pub fn new(config: Config) -> io::Result<(Driver, Handle)> {
        let (io, unpark) = IoStack::new(config.enable_io)?;
        Ok((Driver { io }, Handle { unpark }))
    }

    /// Blocks until [`Handle::unpark`] is called, an I/O event arrives or a
    /// timer expires; dispatches what arrived (wakes the wakers).
    pub fn park(&mut self, handle: &Handle) {
        self.io.park(handle, None);
    }

    /// Like [`park`](Self::park) but returns after `duration` at the
    /// latest. A zero duration polls without blocking.
    pub fn park_timeout(&mut self, handle: &Handle, duration: Duration) {
        self.io.park(handle, Some(duration));
    }

    /// Shuts the stack down: every registered I/O resource and pending
    /// timer is woken and from now on reports that the driver is gone.
    pub fn shutdown(&mut self, handle: &Handle) {
        self.io.shutdown(handle);
    }
}

impl Handle {
    /// Makes a blocked (or the next) [`Driver::park`] return.
    pub fn unpark(&self) {
        match &self.unpark {
            IoUnpark::Enabled(io) => io.unpark(),
            IoUnpark::Disabled(park) => park.unpark(),
        }
    }

    /// The I/O driver's handle, if the stack has I/O enabled.
    pub fn io(&self) -> Option<&crate::io::Handle> {
        match &self.unpark {
            IoUnpark::Enabled(io) => Some(io),
            IoUnpark::Disabled(_) => None,
        }
    }
}
