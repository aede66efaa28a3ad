//! The driver stack: time → I/O → thread park.
//!
//! A runtime owns exactly one [`Driver`]. Exactly one thread at a time may
//! call [`Driver::park`] (holding `&mut Driver` is that right; the runtime
//! keeps it behind a try-lock so that whichever worker parks first drives
//! I/O and timers while the others sleep on their own condvars). Any thread
//! may call [`Handle::unpark`] to make a blocked `park` return.

use crate::park::{ParkThread, UnparkThread};
use crate::time;
use crate::time::Clock;
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
    /// Events handled per turn of the I/O driver (0: the default, 1024).
    pub max_io_events_per_tick: usize,
}

/// The parking side of the driver stack; see the module docs.
#[derive(Debug)]
pub struct Driver {
    /// The timer layer, if enabled; parks the layer below.
    time: Option<time::Driver>,
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
pub(crate) enum IoUnpark {
    Enabled(crate::io::Handle),
    Disabled(UnparkThread),
}

impl IoStack {
    fn new(enable_io: bool, max_events: usize) -> io::Result<(IoStack, IoUnpark)> {
        if enable_io {
            let capacity = match max_events {
                0 => crate::io::driver::DEFAULT_EVENTS_CAPACITY,
                n => n,
            };
            let (driver, handle) = crate::io::Driver::new(capacity)?;
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

impl IoUnpark {
    /// Wakes the layer below the timer (see [`Handle::unpark_below_time`]).
    pub(crate) fn unpark(&self) {
        match self {
            IoUnpark::Enabled(io) => io.unpark(),
            IoUnpark::Disabled(park) => park.unpark(),
        }
    }
}

/// Cheap to clone, `Send + Sync`: reaches the driver from any thread.
#[derive(Debug, Clone)]
pub struct Handle {
    unpark: IoUnpark,
    time: Option<time::Handle>,
    clock: Clock,
}

impl Driver {
    /// Builds the stack `config` asks for.
    pub fn new(config: Config) -> io::Result<(Driver, Handle)> {
        let clock = Clock::new(config.start_paused);
        let (io, unpark) = IoStack::new(config.enable_io, config.max_io_events_per_tick)?;
        let (time, time_handle) = if config.enable_time {
            (
                Some(time::Driver::new()),
                Some(time::Handle::new(clock.clone(), unpark.clone())),
            )
        } else {
            (None, None)
        };
        Ok((
            Driver { time, io },
            Handle {
                unpark,
                time: time_handle,
                clock,
            },
        ))
    }

    /// Blocks until [`Handle::unpark`] is called, an I/O event arrives or a
    /// timer expires; dispatches what arrived (wakes the wakers).
    ///
    /// With the timer enabled and the clock paused, an idle park does not
    /// block: it jumps the clock to the next deadline (see
    /// [`time::Driver::park`]), unless auto-advance is inhibited.
    pub fn park(&mut self, handle: &Handle) {
        self.park_internal(handle, None);
    }

    /// Like [`park`](Self::park) but returns after `duration` at the
    /// latest. A zero duration polls without blocking.
    pub fn park_timeout(&mut self, handle: &Handle, duration: Duration) {
        self.park_internal(handle, Some(duration));
    }

    fn park_internal(&mut self, handle: &Handle, limit: Option<Duration>) {
        match (&mut self.time, &handle.time) {
            (Some(time), Some(time_handle)) => {
                let io = &mut self.io;
                time.park(time_handle, limit, |timeout| io.park(handle, timeout));
            }
            _ => self.io.park(handle, limit),
        }
    }

    /// Shuts the stack down: every registered I/O resource and pending
    /// timer is woken and from now on reports that the driver is gone.
    pub fn shutdown(&mut self, handle: &Handle) {
        if let (Some(time), Some(time_handle)) = (&mut self.time, &handle.time) {
            time.shutdown(time_handle);
        }
        self.io.shutdown(handle);
    }
}

impl Handle {
    /// Makes a blocked (or the next) [`Driver::park`] return.
    pub fn unpark(&self) {
        if let Some(time) = &self.time {
            // Before the unpark below: the parked driver must see it when it
            // returns, so that it does not auto-advance over real work.
            time.set_did_wake();
        }
        self.unpark_below_time();
    }

    /// The I/O driver's handle, if the stack has I/O enabled.
    pub fn io(&self) -> Option<&crate::io::Handle> {
        match &self.unpark {
            IoUnpark::Enabled(io) => Some(io),
            IoUnpark::Disabled(_) => None,
        }
    }

    /// Wakes the layer below the timer without marking the driver woken:
    /// a new timer wants the parked driver to recompute its timeout, which
    /// must not count as work that blocks auto-advance.
    pub(crate) fn unpark_below_time(&self) {
        self.unpark.unpark();
    }

    /// The timer wheel, if the driver was built with `enable_time`.
    pub fn time(&self) -> Option<&time::Handle> {
        self.time.as_ref()
    }

    /// The runtime's clock (exists even without the timer, so that
    /// `Instant::now()` and `pause()` work).
    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    /// Stops an idle driver from auto-advancing a paused clock until the
    /// matching [`allow_auto_advance`](Self::allow_auto_advance) (held by the
    /// blocking pool while a blocking task runs).
    pub fn inhibit_auto_advance(&self) {
        self.clock.inhibit_auto_advance();
    }

    /// Ends one [`inhibit_auto_advance`](Self::inhibit_auto_advance).
    pub fn allow_auto_advance(&self) {
        self.clock.allow_auto_advance();
    }
}
