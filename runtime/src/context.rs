//! Per-thread runtime context: which runtime (if any) this thread is in,
//! whether it is driving one (no nested `block_on`), and the running
//! scheduler's per-thread state (for the fast local spawn path).

use crate::runtime::TryCurrentError;
use crate::scheduler;
use std::cell::{Cell, RefCell};

#[cfg(not(loom))]
std::thread_local! {
    static CURRENT: RefCell<Option<scheduler::Handle>> = const { RefCell::new(None) };
    static DRIVER: RefCell<Option<magpie_reactor::Handle>> = const { RefCell::new(None) };
    static RUNTIME: Cell<bool> = const { Cell::new(false) };
    static SCHEDULER: Cell<*const scheduler::Context> = const { Cell::new(std::ptr::null()) };
}

#[cfg(loom)]
loom::thread_local! {
    static CURRENT: RefCell<Option<scheduler::Handle>> = RefCell::new(None);
    static DRIVER: RefCell<Option<magpie_reactor::Handle>> = RefCell::new(None);
    static RUNTIME: Cell<bool> = Cell::new(false);
    static SCHEDULER: Cell<*const scheduler::Context> = Cell::new(std::ptr::null());
}

pub(crate) const NO_RUNTIME: &str = "must be called from within a magpie runtime; \
use #[magpie::main] or Runtime::block_on";

/// The driver handle of the runtime this thread is in, if any.
pub(crate) fn current_driver() -> Option<magpie_reactor::Handle> {
    DRIVER.try_with(|d| d.borrow().clone()).ok().flatten()
}

/// Runs `f` on the driver handle of the runtime this thread is in (if
/// any) without cloning it: the timer hot paths read the clock and build a
/// timer from it, and three reference counts per call were measurable.
#[inline]
pub(crate) fn with_current_driver<R>(f: impl FnOnce(Option<&magpie_reactor::Handle>) -> R) -> R {
    let mut f = Some(f);
    let done = DRIVER.try_with(|d| (f.take().expect("runs once"))(d.borrow().as_ref()));
    match done {
        Ok(r) => r,
        // The thread-local is being destroyed: no runtime any more.
        Err(_) => (f.take().expect("try_with did not run it"))(None),
    }
}

/// Like [`current_driver`], but panics with a message that says what to do.
#[track_caller]
pub(crate) fn expect_driver(what: &str) -> magpie_reactor::Handle {
    match current_driver() {
        Some(handle) => handle,
        None => panic!("{what} {NO_RUNTIME}"),
    }
}

/// Makes `handle` the current driver until the guard is dropped.
#[cfg(test)]
pub(crate) fn set_driver(handle: magpie_reactor::Handle) -> DriverGuard {
    let prev = DRIVER.with(|d| d.borrow_mut().replace(handle));
    DriverGuard { prev }
}

/// Restores the previous driver on drop.
#[cfg(test)]
#[derive(Debug)]
pub(crate) struct DriverGuard {
    prev: Option<magpie_reactor::Handle>,
}

#[cfg(test)]
impl Drop for DriverGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let _ = DRIVER.try_with(|d| *d.borrow_mut() = prev);
    }
}

/// Runs `f` with the current runtime's handle.
pub(crate) fn with_current<R>(
    f: impl FnOnce(&scheduler::Handle) -> R,
) -> Result<R, TryCurrentError> {
    match CURRENT.try_with(|c| c.borrow().as_ref().map(f)) {
        Ok(Some(r)) => Ok(r),
        Ok(None) => Err(TryCurrentError::no_context()),
        Err(_) => Err(TryCurrentError::thread_local_destroyed()),
    }
}

/// Makes `handle` current (for `Handle::current`, `spawn`, resources) until
/// the guard drops. Nests: the previous one is restored.
pub(crate) fn set_current(handle: &scheduler::Handle) -> SetCurrentGuard {
    let prev = CURRENT.with(|c| c.borrow_mut().replace(handle.clone()));
    let prev_driver = DRIVER.with(|d| d.borrow_mut().replace(handle.driver().clone()));
    SetCurrentGuard {
        prev,
        prev_driver,
        _not_send: std::marker::PhantomData,
    }
}

/// Restores the previous current handle on drop.
pub(crate) struct SetCurrentGuard {
    prev: Option<scheduler::Handle>,
    prev_driver: Option<magpie_reactor::Handle>,
    _not_send: std::marker::PhantomData<*const ()>,
}

impl Drop for SetCurrentGuard {
    fn drop(&mut self) {
        let prev = self.prev.take();
        let prev_driver = self.prev_driver.take();
        let _ = CURRENT.try_with(|c| *c.borrow_mut() = prev);
        let _ = DRIVER.try_with(|d| *d.borrow_mut() = prev_driver);
    }
}

/// Marks this thread as driving a runtime (a worker, or inside `block_on`)
/// and makes `handle` current. Panics if it already drives one: blocking a
/// thread that runs tasks would stall them all.
#[track_caller]
pub(crate) fn enter_runtime(handle: &scheduler::Handle) -> EnterRuntimeGuard {
    if RUNTIME.with(|r| r.replace(true)) {
        panic!(
            "Cannot start a runtime from within a runtime. This happens because a function \
             (like `block_on`) attempted to block the current thread while the thread is \
             being used to drive asynchronous tasks."
        );
    }
    EnterRuntimeGuard {
        _current: set_current(handle),
    }
}

/// Whether this thread is driving a runtime.
pub(crate) fn is_entered() -> bool {
    RUNTIME.try_with(|r| r.get()).unwrap_or(false)
}

/// Leaves the runtime-driving state on drop.
pub(crate) struct EnterRuntimeGuard {
    _current: SetCurrentGuard,
}

impl Drop for EnterRuntimeGuard {
    fn drop(&mut self) {
        let _ = RUNTIME.try_with(|r| r.set(false));
    }
}

/// Temporarily leaves the runtime-driving state (for `block_in_place`).
pub(crate) fn exit_runtime<R>(f: impl FnOnce() -> R) -> R {
    struct Reset(bool);
    impl Drop for Reset {
        fn drop(&mut self) {
            let _ = RUNTIME.try_with(|r| r.set(self.0));
        }
    }
    let was = RUNTIME.with(|r| r.replace(false));
    let _reset = Reset(was);
    f()
}

/// Runs `f` with `cx` as this thread's scheduler context.
pub(crate) fn set_scheduler<R>(cx: &scheduler::Context, f: impl FnOnce() -> R) -> R {
    struct Reset(*const scheduler::Context);
    impl Drop for Reset {
        fn drop(&mut self) {
            let _ = SCHEDULER.try_with(|s| s.set(self.0));
        }
    }
    let prev = SCHEDULER.with(|s| s.replace(cx as *const _));
    let _reset = Reset(prev);
    f()
}

/// Runs `f` with this thread's scheduler context, if a scheduler runs here.
pub(crate) fn with_scheduler<R>(f: impl FnOnce(Option<&scheduler::Context>) -> R) -> R {
    let ptr = SCHEDULER.try_with(|s| s.get()).unwrap_or(std::ptr::null());
    // SAFETY: the pointer is set only by `set_scheduler` for the duration of
    // its closure, during which the context it points to is alive and only
    // shared-borrowed; it is reset on exit (also on unwind).
    f(unsafe { ptr.as_ref() })
}
