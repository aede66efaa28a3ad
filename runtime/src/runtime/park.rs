//! Blocking a plain thread on a future (`Handle::block_on` on the
//! multi-thread runtime, `blocking_recv` and friends).

use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::loom::thread;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

/// Wakes a parked thread; `park` returns once per wake (sticky flag).
pub(crate) struct ThreadWaker {
    thread: thread::Thread,
    notified: AtomicBool,
}

impl ThreadWaker {
    pub(crate) fn current() -> std::sync::Arc<ThreadWaker> {
        std::sync::Arc::new(ThreadWaker {
            thread: thread::current(),
            notified: AtomicBool::new(false),
        })
    }

    /// Blocks until woken (spurious returns of `thread::park` are absorbed).
    pub(crate) fn park(&self) {
        while !self.notified.swap(false, Ordering::Acquire) {
            thread::park();
        }
    }
}

impl Wake for ThreadWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        // A swap, not a store: same effect, but loom 0.7 lets a plain store
        // that races the parker's `swap(false)` slip between that RMW's read
        // and write (tokio-rs/loom#254), a lost wakeup that real hardware
        // cannot produce. With RMWs only the model is exact.
        let _ = self.notified.swap(true, Ordering::Release);
        self.thread.unpark();
    }
}

/// Runs `future` to completion on this thread, parking between polls.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    let thread = ThreadWaker::current();
    let waker = Waker::from(thread.clone());
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(out) = crate::coop::budget(|| future.as_mut().poll(&mut cx)) {
            return out;
        }
        thread.park();
    }
}
