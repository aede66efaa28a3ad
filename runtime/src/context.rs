//! Per-thread runtime context: which runtime (if any) this thread is in.
//!
//! Resource types (sockets, timers, signals) find their reactor through
//! [`current_driver`]; the scheduler sets it when a thread enters a runtime
//! (worker threads, `block_on`, `Handle::enter`).

use std::cell::RefCell;

#[cfg(not(loom))]
crate::loom::thread_local! {
    static DRIVER: RefCell<Option<magpie_reactor::Handle>> = const { RefCell::new(None) };
}

// loom's thread_local! takes no `const { }` initializer.
#[cfg(loom)]
crate::loom::thread_local! {
    static DRIVER: RefCell<Option<magpie_reactor::Handle>> = RefCell::new(None);
}

/// The driver handle of the runtime this thread is in, if any.
pub(crate) fn current_driver() -> Option<magpie_reactor::Handle> {
    DRIVER.try_with(|d| d.borrow().clone()).ok().flatten()
}

/// Like [`current_driver`], but panics with a message that says what to do.
#[track_caller]
pub(crate) fn expect_driver(what: &str) -> magpie_reactor::Handle {
    match current_driver() {
        Some(handle) => handle,
        None => panic!(
            "{what} must be called from within a magpie runtime; \
             use #[magpie::main] or Runtime::block_on"
        ),
    }
}

/// Makes `handle` the current driver until the guard is dropped.
pub(crate) fn set_driver(handle: magpie_reactor::Handle) -> DriverGuard {
    let prev = DRIVER.with(|d| d.borrow_mut().replace(handle));
    DriverGuard { prev }
}

/// Restores the previous driver on drop.
#[derive(Debug)]
pub(crate) struct DriverGuard {
    prev: Option<magpie_reactor::Handle>,
}

impl Drop for DriverGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = DRIVER.try_with(|d| *d.borrow_mut() = prev);
    }
}
