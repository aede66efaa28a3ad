//! The I/O driver: owns `mio::Poll` and its `Events` buffer.
//!
//! Who may poll: exactly one thread at a time — holding `&mut Driver` is
//! that right (the runtime keeps the driver stack behind a try-lock).
//! [`Driver::turn`] does one `epoll_wait` (edge-triggered registrations) and
//! dispatches the events it got: readiness is published in each
//! registration's word under the registration-set lock, the wakers are
//! collected into a reused buffer and woken after the lock is released.
//!
//! Lock order: registration set, then a registration's waiter slots.
//!
//! Any thread wakes a blocked `turn` through [`Handle::unpark`], which pokes
//! the `mio::Waker` registered under the reserved token [`WAKE_TOKEN`].

use crate::io::ready::Ready;
use crate::io::registration_set::RegistrationSet;
use crate::loom::sync::{Arc, Mutex};
use std::io;
use std::task::Waker;
use std::time::Duration;

/// Token of the wake-up `mio::Waker`; never handed to a registration.
const WAKE_TOKEN: mio::Token = mio::Token(usize::MAX);

/// Events fetched per `epoll_wait` unless configured (tokio's default).
pub(crate) const DEFAULT_EVENTS_CAPACITY: usize = 1024;

/// The polling side of the reactor.
#[derive(Debug)]
pub struct Driver {
    poll: mio::Poll,
    events: mio::Events,
    /// Wakers collected during a dispatch; kept to reuse its allocation.
    wake: Vec<Waker>,
    handle: Handle,
}

/// Reaches the I/O driver from any thread: registers resources, unparks.
#[derive(Debug, Clone)]
pub struct Handle {
    pub(crate) shared: Arc<Shared>,
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) registry: mio::Registry,
    waker: mio::Waker,
    pub(crate) set: Mutex<RegistrationSet>,
}

impl Driver {
    /// Creates the `mio::Poll`, its wake-up waker and an empty set;
    /// `events_capacity` events are fetched per `epoll_wait`.
    pub fn new(events_capacity: usize) -> io::Result<(Driver, Handle)> {
        let poll = mio::Poll::new()?;
        let waker = mio::Waker::new(poll.registry(), WAKE_TOKEN)?;
        let registry = poll.registry().try_clone()?;
        let handle = Handle {
            shared: Arc::new(Shared {
                registry,
                waker,
                set: Mutex::new(RegistrationSet::default()),
            }),
        };
        let driver = Driver {
            poll,
            events: mio::Events::with_capacity(events_capacity.max(1)),
            wake: Vec::new(),
            handle: handle.clone(),
        };
        Ok((driver, handle))
    }

    /// One `epoll_wait` (at most `timeout`, `None` = until something
    /// happens, zero = just look), then dispatch and wake.
    ///
    /// `handle` must belong to this driver.
    pub fn turn(&mut self, handle: &Handle, timeout: Option<Duration>) {
        debug_assert!(Arc::ptr_eq(&handle.shared, &self.handle.shared));
        match self.poll.poll(&mut self.events, timeout) {
            Ok(()) => {}
            // A signal: return early, like a spurious unpark.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return,
            Err(e) => panic!("unexpected error when polling the I/O driver: {e}"),
        }
        {
            let set = handle.shared.set.lock();
            for event in self.events.iter() {
                if event.token() == WAKE_TOKEN {
                    continue;
                }
                if let Some(io) = set.get(event.token()) {
                    io.set_readiness(Ready::from_mio(event), &mut self.wake);
                }
            }
        }
        for waker in self.wake.drain(..) {
            waker.wake();
        }
    }

    /// Deregisters everything (the set forgets every registration) and
    /// wakes every waiter; from now on registrations report an error.
    pub fn shutdown(&mut self, handle: &Handle) {
        handle.shutdown_with(&mut self.wake);
        for waker in self.wake.drain(..) {
            waker.wake();
        }
    }
}

impl Drop for Driver {
    /// A dropped driver is shut down: a resource that outlives its runtime
    /// gets an error instead of waiting forever.
    fn drop(&mut self) {
        let handle = self.handle.clone();
        self.shutdown(&handle);
    }
}

impl Handle {
    /// Makes a blocked (or the next) [`Driver::turn`] return.
    pub fn unpark(&self) {
        if let Err(e) = self.shared.waker.wake() {
            panic!("failed to wake the I/O driver: {e}");
        }
    }

    /// Whether [`Driver::shutdown`] ran.
    pub fn is_shutdown(&self) -> bool {
        self.shared.set.lock().is_shutdown()
    }

    fn shutdown_with(&self, wake: &mut Vec<Waker>) {
        self.shared.set.lock().shutdown(wake);
    }
}

/// The error a registration reports once its driver is gone.
pub(crate) fn gone() -> io::Error {
    io::Error::other("the I/O driver is gone: its runtime was shut down")
}
