//! Tiny hand-written synchronisation primitives for the workloads.
//!
//! Neither runtime's own `sync` module is used, so that both runtimes are
//! measured with exactly the same wake machinery: a `std::sync::Mutex`
//! around a flag or value plus an optional [`Waker`].
//!
//! This is the one module of the crate that names `std::sync` types
//! directly: benchmarks run on real threads only, never under loom, and
//! going through either runtime's shim would favour one side.
#![allow(
    clippy::disallowed_types,
    reason = "benchmarks never run under loom; both runtimes must see the same std primitives"
)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};

use std::sync::atomic::{AtomicUsize, Ordering};

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panicking workload poisons the lock; the benchmark is lost anyway,
    // keep going so the panic message is the one reported.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A shared event counter (relaxed atomic increments).
#[derive(Debug, Default)]
pub struct Counter(AtomicUsize);

impl Counter {
    /// A counter at zero.
    pub fn new() -> Counter {
        Counter::default()
    }

    /// Adds one.
    pub fn incr(&self) {
        self.0.fetch_add(1, Ordering::Relaxed);
    }

    /// The current count.
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// A single-waiter notification with a stored permit, like
/// `tokio::sync::Notify::notify_one` used by exactly one waiting task.
///
/// [`notify`](Signal::notify) stores a permit (at most one) and wakes the
/// waiter; [`wait`](Signal::wait) consumes the permit, or registers the
/// task's waker and returns `Pending`.
#[derive(Debug, Default)]
pub struct Signal {
    inner: Mutex<SignalState>,
}

#[derive(Debug, Default)]
struct SignalState {
    permit: bool,
    waker: Option<Waker>,
}

impl Signal {
    /// Creates a signal without a permit.
    pub fn new() -> Signal {
        Signal::default()
    }

    /// Stores a permit and wakes the waiting task, if any.
    pub fn notify(&self) {
        let waker = {
            let mut state = lock(&self.inner);
            state.permit = true;
            state.waker.take()
        };
        // Wake outside the lock: the woken task may run on another worker
        // at once and would otherwise contend on it.
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// Waits until a permit is available and consumes it.
    pub fn wait(&self) -> Wait<'_> {
        Wait { signal: self }
    }
}

/// Future returned by [`Signal::wait`].
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Wait<'a> {
    signal: &'a Signal,
}

impl Future for Wait<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.signal.inner);
        if state.permit {
            state.permit = false;
            state.waker = None;
            return Poll::Ready(());
        }
        match &mut state.waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            slot => *slot = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

/// Creates a one-shot channel: one value from a [`Sender`] to a [`Receiver`].
pub fn oneshot<T>() -> (Sender<T>, Receiver<T>) {
    let inner = Arc::new(Mutex::new(OneshotState {
        value: None,
        waker: None,
        sender_gone: false,
    }));
    (
        Sender {
            inner: Some(inner.clone()),
        },
        Receiver { inner },
    )
}

struct OneshotState<T> {
    value: Option<T>,
    waker: Option<Waker>,
    sender_gone: bool,
}

/// Sending half of [`oneshot`].
pub struct Sender<T> {
    inner: Option<Arc<Mutex<OneshotState<T>>>>,
}

/// Receiving half of [`oneshot`]; a future resolving to `Some(value)`, or
/// `None` if the sender was dropped without sending.
pub struct Receiver<T> {
    inner: Arc<Mutex<OneshotState<T>>>,
}

impl<T> std::fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}

impl<T> Sender<T> {
    /// Sends `value` and wakes the receiver.
    pub fn send(mut self, value: T) {
        let inner = self.inner.take().expect("sender used twice");
        let waker = {
            let mut state = lock(&inner);
            state.value = Some(value);
            state.sender_gone = true;
            state.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if let Some(inner) = self.inner.take() {
            let waker = {
                let mut state = lock(&inner);
                state.sender_gone = true;
                state.waker.take()
            };
            if let Some(waker) = waker {
                waker.wake();
            }
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut state = lock(&self.inner);
        if let Some(v) = state.value.take() {
            return Poll::Ready(Some(v));
        }
        if state.sender_gone {
            return Poll::Ready(None);
        }
        state.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Wake;

    struct CountWake(AtomicUsize);

    impl Wake for CountWake {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn poll_once<F: Future + Unpin>(f: &mut F, w: &Arc<CountWake>) -> Poll<F::Output> {
        let waker = Waker::from(w.clone());
        Pin::new(f).poll(&mut Context::from_waker(&waker))
    }

    #[test]
    fn signal_permit_and_wake() {
        let w = Arc::new(CountWake(AtomicUsize::new(0)));
        let s = Signal::new();
        let mut fut = s.wait();
        assert!(poll_once(&mut fut, &w).is_pending());
        s.notify();
        assert_eq!(w.0.load(Ordering::SeqCst), 1);
        assert!(poll_once(&mut fut, &w).is_ready());
        // The permit was consumed.
        let mut fut = s.wait();
        assert!(poll_once(&mut fut, &w).is_pending());
        // A permit stored before waiting is used at once.
        s.notify();
        s.notify();
        let mut fut = s.wait();
        assert!(poll_once(&mut fut, &w).is_ready());
        let mut fut = s.wait();
        assert!(poll_once(&mut fut, &w).is_pending());
    }

    #[test]
    fn oneshot_value_and_drop() {
        let w = Arc::new(CountWake(AtomicUsize::new(0)));
        let (tx, mut rx) = oneshot::<u32>();
        assert!(poll_once(&mut rx, &w).is_pending());
        tx.send(7);
        assert_eq!(w.0.load(Ordering::SeqCst), 1);
        assert_eq!(poll_once(&mut rx, &w), Poll::Ready(Some(7)));

        let (tx, mut rx) = oneshot::<u32>();
        assert!(poll_once(&mut rx, &w).is_pending());
        drop(tx);
        assert_eq!(w.0.load(Ordering::SeqCst), 2);
        assert_eq!(poll_once(&mut rx, &w), Poll::Ready(None));
    }
}
