//! Parking a worker: on the shared driver if it is free, else on a condvar.
//!
//! One driver (epoll + timers) per runtime; whichever parking worker takes
//! its try-lock first blocks in it, the others sleep on their condvars.
//!
//! ```text
//!                 park: try_lock(driver) ok            park: driver busy
//!      ┌──────────── CAS EMPTY→PARKED_DRIVER ───┐  ┌── CAS EMPTY→PARKED_CONDVAR ──┐
//!      │                                        ▼  ▼                              │
//!    EMPTY ◀── woken: swap EMPTY ──── PARKED_DRIVER / PARKED_CONDVAR              │
//!      │  ▲                                    │                                  │
//!      │  └── park sees NOTIFIED: swap EMPTY ──┼── unpark: swap NOTIFIED ─────────┘
//!      │                                       ▼   (PARKED_DRIVER: driver.unpark();
//!      └──── unpark: swap NOTIFIED ──────▶ NOTIFIED  PARKED_CONDVAR: lock + notify)
//! ```
//!
//! No lost wakeup: `unpark` always leaves NOTIFIED; a parker only blocks
//! after a CAS from EMPTY, so a NOTIFIED written before makes the CAS fail,
//! and one written after is seen by the unparker as PARKED_* and answered
//! with a driver poke (the driver's own unpark is sticky) or a notify under
//! the mutex (which the condvar parker holds while it checks the state).

use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::{Arc, Condvar, Mutex};
use magpie_reactor::{Driver, Handle as DriverHandle};
use std::time::Duration;

const EMPTY: usize = 0;
const PARKED_CONDVAR: usize = 1;
const PARKED_DRIVER: usize = 2;
const NOTIFIED: usize = 3;

pub(crate) struct Parker {
    inner: Arc<Inner>,
}

#[derive(Clone)]
pub(crate) struct Unparker {
    inner: Arc<Inner>,
}

struct Inner {
    state: AtomicUsize,
    mutex: Mutex<()>,
    condvar: Condvar,
    shared: Arc<Shared>,
}

/// The runtime's one driver, behind a try-lock.
pub(crate) struct Shared {
    driver: Mutex<Driver>,
}

impl Shared {
    pub(crate) fn new(driver: Driver) -> Arc<Shared> {
        Arc::new(Shared {
            driver: Mutex::new(driver),
        })
    }

    /// Shuts the driver down (waits for the current holder).
    pub(crate) fn shutdown(&self, handle: &DriverHandle) {
        self.driver.lock().shutdown(handle);
    }
}

impl Parker {
    pub(crate) fn new(shared: Arc<Shared>) -> Parker {
        Parker {
            inner: Arc::new(Inner {
                state: AtomicUsize::new(EMPTY),
                mutex: Mutex::new(()),
                condvar: Condvar::new(),
                shared,
            }),
        }
    }

    pub(crate) fn unparker(&self) -> Unparker {
        Unparker {
            inner: self.inner.clone(),
        }
    }

    /// Blocks until unparked.
    pub(crate) fn park(&mut self, handle: &DriverHandle) {
        self.inner.park(handle);
    }

    /// Turns the driver without blocking, if it is free (maintenance).
    pub(crate) fn poll_driver(&mut self, handle: &DriverHandle) {
        if let Some(mut driver) = self.inner.shared.driver.try_lock() {
            driver.park_timeout(handle, Duration::ZERO);
        }
    }
}

impl Unparker {
    pub(crate) fn unpark(&self, handle: &DriverHandle) {
        self.inner.unpark(handle);
    }
}

impl Inner {
    fn park(&self, handle: &DriverHandle) {
        // A few spins: a wakeup often arrives within a few hundred cycles of
        // deciding to park, and a futex round trip costs far more.
        for _ in 0..3 {
            if self
                .state
                .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
                .is_ok()
            {
                return;
            }
            crate::loom::hint::spin_loop();
        }
        if let Some(mut driver) = self.shared.driver.try_lock() {
            self.park_driver(&mut driver, handle);
        } else {
            self.park_condvar();
        }
    }

    fn park_driver(&self, driver: &mut Driver, handle: &DriverHandle) {
        match self
            .state
            .compare_exchange(EMPTY, PARKED_DRIVER, SeqCst, SeqCst)
        {
            Ok(_) => {}
            Err(NOTIFIED) => {
                self.state.swap(EMPTY, SeqCst);
                return;
            }
            Err(actual) => panic!("inconsistent park state: {actual}"),
        }
        driver.park(handle);
        match self.state.swap(EMPTY, SeqCst) {
            NOTIFIED | PARKED_DRIVER => {}
            actual => panic!("inconsistent park_driver state: {actual}"),
        }
    }

    fn park_condvar(&self) {
        let mut guard = self.mutex.lock();
        match self
            .state
            .compare_exchange(EMPTY, PARKED_CONDVAR, SeqCst, SeqCst)
        {
            Ok(_) => {}
            Err(NOTIFIED) => {
                self.state.swap(EMPTY, SeqCst);
                return;
            }
            Err(actual) => panic!("inconsistent park state: {actual}"),
        }
        loop {
            guard = self.condvar.wait(guard);
            if self
                .state
                .compare_exchange(NOTIFIED, EMPTY, SeqCst, SeqCst)
                .is_ok()
            {
                return;
            }
            // Spurious wakeup: wait again.
        }
    }

    fn unpark(&self, handle: &DriverHandle) {
        match self.state.swap(NOTIFIED, SeqCst) {
            EMPTY | NOTIFIED => {}
            PARKED_CONDVAR => {
                // `--cfg magpie_break` skips the lock so that the loom model
                // `loom_park_two_workers_unpark` can be seen to fail
                // (docs/loom.md); never set outside that check.
                if cfg!(not(magpie_break)) {
                    drop(self.mutex.lock());
                }
                self.condvar.notify_one();
            }
            PARKED_DRIVER => handle.unpark(),
            actual => panic!("inconsistent unpark state: {actual}"),
        }
    }
}
