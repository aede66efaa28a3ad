//! A tiny executor for the sync unit tests: `block_on`, `join_all`, and a
//! hand-polled `Spawned` future with a waker that counts its wakes.

use crate::loom::sync::{Condvar, Mutex};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

#[derive(Default)]
struct ThreadWaker {
    woken: Mutex<bool>,
    cv: Condvar,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        *self.woken.lock() = true;
        self.cv.notify_one();
    }
}

impl ThreadWaker {
    fn wait(&self) {
        let mut woken = self.woken.lock();
        while !*woken {
            woken = self.cv.wait(woken);
        }
        *woken = false;
    }
}

/// Runs `fut` to completion on this thread, parking between polls.
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    let tw = Arc::new(ThreadWaker::default());
    let waker = Waker::from(tw.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = std::pin::pin!(fut);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        tw.wait();
    }
}

/// Runs all futures concurrently on this thread; outputs in input order.
pub(crate) fn join_all<T>(futs: Vec<Pin<Box<dyn Future<Output = T> + '_>>>) -> Vec<T> {
    let mut futs: Vec<_> = futs.into_iter().map(Some).collect();
    let mut outs: Vec<Option<T>> = futs.iter().map(|_| None).collect();
    block_on(std::future::poll_fn(|cx| {
        for (slot, out) in futs.iter_mut().zip(outs.iter_mut()) {
            if let Some(f) = slot {
                if let Poll::Ready(v) = f.as_mut().poll(cx) {
                    *out = Some(v);
                    *slot = None;
                }
            }
        }
        if futs.iter().all(Option::is_none) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }));
    outs.into_iter().map(Option::unwrap).collect()
}

/// Boxes a future for [`join_all`].
pub(crate) fn boxed<'a, T>(
    f: impl Future<Output = T> + 'a,
) -> Pin<Box<dyn Future<Output = T> + 'a>> {
    Box::pin(f)
}

/// A future polled by hand, with a waker that records whether it was woken.
pub(crate) struct Spawned<F> {
    fut: Pin<Box<F>>,
    waker: Arc<ThreadWaker>,
}

pub(crate) fn spawn<F: Future>(fut: F) -> Spawned<F> {
    Spawned {
        fut: Box::pin(fut),
        waker: Arc::new(ThreadWaker::default()),
    }
}

impl<F: Future> Spawned<F> {
    /// Polls once; clears the woken flag first.
    pub(crate) fn poll(&mut self) -> Poll<F::Output> {
        *self.waker.woken.lock() = false;
        let waker = Waker::from(self.waker.clone());
        let mut cx = Context::from_waker(&waker);
        self.fut.as_mut().poll(&mut cx)
    }

    /// Whether the waker was woken since the last poll.
    pub(crate) fn is_woken(&self) -> bool {
        *self.waker.woken.lock()
    }

    /// Pinned access, e.g. for `Notified::enable`.
    pub(crate) fn pinned(&mut self) -> Pin<&mut F> {
        self.fut.as_mut()
    }

    /// Polls and expects `Ready`.
    #[track_caller]
    pub(crate) fn ready(&mut self) -> F::Output {
        match self.poll() {
            Poll::Ready(v) => v,
            Poll::Pending => panic!("expected Ready, got Pending"),
        }
    }

    /// Polls and expects `Pending`.
    #[track_caller]
    pub(crate) fn pending(&mut self) {
        assert!(self.poll().is_pending(), "expected Pending, got Ready");
    }
}

/// Runs `f` on a fresh budget (as a task poll would).
pub(crate) fn with_budget<R>(f: impl FnOnce() -> R) -> R {
    crate::coop::budget(f)
}
