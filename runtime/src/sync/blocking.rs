//! Runs a sync primitive's future to completion on the calling thread, for
//! the `blocking_*` methods.
//!
//! The thread sleeps on a condvar between polls; the waker sets a flag and
//! signals it, so a wake that lands before the thread sleeps is not lost.

use crate::loom::sync::{Condvar, Mutex};
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

struct Parker {
    notified: Mutex<bool>,
    condvar: Condvar,
}

impl Wake for Parker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        *self.notified.lock() = true;
        self.condvar.notify_one();
    }
}

/// Polls `fut` until it completes, sleeping while it is pending.
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    let parker = Arc::new(Parker {
        notified: Mutex::new(false),
        condvar: Condvar::new(),
    });
    let waker = Waker::from(parker.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(out) = crate::coop::with_unconstrained(|| fut.as_mut().poll(&mut cx)) {
            return out;
        }
        let mut notified = parker.notified.lock();
        while !*notified {
            notified = parker.condvar.wait(notified);
        }
        *notified = false;
    }
}
