//! Cooperative budget.
//!
//! A task that always finds its resources ready (a channel with messages
//! waiting, a socket with bytes buffered) would never return `Pending`, and
//! so never give its worker back to the scheduler: its peers, timers and I/O
//! would starve. Each poll of a task therefore runs with a budget of
//! [`INITIAL`] units. Every resource future that *completes* spends one unit
//! (`poll_proceed` + `made_progress`); when the budget is gone the resource
//! wakes the task and returns `Pending` even though it is ready, and the task
//! goes to the back of the queue.
//!
//! Outside a task (e.g. `block_on`'s own future before the scheduler sets a
//! budget) the budget is unconstrained.
//!
//! Usage in a resource future:
//!
//! ```text
//! let coop = ready!(crate::coop::poll_proceed(cx));
//! match self.try_take() {
//!     Some(v) => { coop.made_progress(); Poll::Ready(v) }
//!     None => { /* register waker */ Poll::Pending } // unit is refunded on drop
//! }
//! ```

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Units per task poll. tokio uses 128; chosen so that a poll of a busy
/// connection stays well under a millisecond.
pub(crate) const INITIAL: u8 = 128;

/// `None` means unconstrained.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Budget(Option<u8>);

impl Budget {
    pub(crate) const fn initial() -> Budget {
        Budget(Some(INITIAL))
    }

    pub(crate) const fn unconstrained() -> Budget {
        Budget(None)
    }

    fn has_remaining(self) -> bool {
        self.0.is_none_or(|n| n > 0)
    }
}

#[cfg(not(loom))]
std::thread_local! {
    static BUDGET: Cell<Budget> = const { Cell::new(Budget(None)) };
}

#[cfg(loom)]
loom::thread_local! {
    static BUDGET: Cell<Budget> = Cell::new(Budget(None));
}

/// Runs `f` with a fresh budget, restoring the previous one afterwards
/// (also on unwind).
#[inline]
pub(crate) fn budget<R>(f: impl FnOnce() -> R) -> R {
    with_budget(Budget::initial(), f)
}

/// Runs `f` with no budget limit.
#[inline]
pub(crate) fn with_unconstrained<R>(f: impl FnOnce() -> R) -> R {
    with_budget(Budget::unconstrained(), f)
}

#[inline]
fn with_budget<R>(budget: Budget, f: impl FnOnce() -> R) -> R {
    struct Reset(Budget);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0;
            let _ = BUDGET.try_with(|b| b.set(prev));
        }
    }
    let prev = BUDGET.try_with(|b| b.replace(budget)).unwrap_or(budget);
    let _reset = Reset(prev);
    f()
}

/// Whether the current task may still make progress without yielding.
#[inline]
pub(crate) fn has_budget_remaining() -> bool {
    BUDGET.try_with(|b| b.get().has_remaining()).unwrap_or(true)
}

/// Spends one unit, or (budget gone) wakes the task and returns `Pending`.
///
/// The unit is refunded when the returned guard is dropped, unless
/// [`RestoreOnPending::made_progress`] was called: an operation that ends up
/// `Pending` for a real reason costs nothing.
#[inline]
pub(crate) fn poll_proceed(cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    BUDGET
        .try_with(|cell| {
            let mut budget = cell.get();
            match budget.0 {
                None => Poll::Ready(RestoreOnPending(Cell::new(Budget::unconstrained()))),
                Some(0) => {
                    crate::runtime::metrics::budget_forced_yield();
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
                Some(ref mut n) => {
                    *n -= 1;
                    cell.set(budget);
                    Poll::Ready(RestoreOnPending(Cell::new(Budget(Some(1)))))
                }
            }
        })
        .unwrap_or_else(|_| Poll::Ready(RestoreOnPending(Cell::new(Budget::unconstrained()))))
}

/// Guard from [`poll_proceed`]; refunds its unit unless progress was made.
#[derive(Debug)]
pub(crate) struct RestoreOnPending(Cell<Budget>);

impl RestoreOnPending {
    /// Keeps the unit spent: the operation completed.
    #[inline]
    pub(crate) fn made_progress(&self) {
        self.0.set(Budget::unconstrained());
    }
}

impl Drop for RestoreOnPending {
    #[inline]
    fn drop(&mut self) {
        if let Budget(Some(refund)) = self.0.get() {
            let _ = BUDGET.try_with(|cell| {
                if let Budget(Some(n)) = cell.get() {
                    cell.set(Budget(Some(n.saturating_add(refund))));
                }
            });
        }
    }
}

/// Spends one unit of the current task's budget, yielding if it is gone.
///
/// Same as `tokio::task::consume_budget`: put it in a loop that never awaits
/// anything that could return `Pending`, so the loop still lets others run.
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// // A long computation that lets other tasks run now and then.
/// let mut sum = 0u64;
/// for i in 0..10_000u64 {
///     sum += i;
///     magpie::task::consume_budget().await;
/// }
/// assert_eq!(sum, 49_995_000);
/// # }
/// ```
pub async fn consume_budget() {
    let mut done = false;
    std::future::poll_fn(|cx| {
        if done {
            return Poll::Ready(());
        }
        let restore = std::task::ready!(poll_proceed(cx));
        restore.made_progress();
        done = true;
        Poll::Ready(())
    })
    .await
}

/// Runs a future with the cooperative budget turned off
/// (`tokio::task::unconstrained`).
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::unbounded_channel();
/// for i in 0..1000 {
///     tx.send(i).unwrap();
/// }
/// drop(tx);
/// // Receives all 1000 values without being forced to yield.
/// let n = magpie::task::unconstrained(async {
///     let mut n = 0;
///     while rx.recv().await.is_some() {
///         n += 1;
///     }
///     n
/// })
/// .await;
/// assert_eq!(n, 1000);
/// # }
/// ```
pub fn unconstrained<F: Future>(inner: F) -> Unconstrained<F> {
    Unconstrained { inner }
}

/// Future returned by [`unconstrained`].
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let fut: magpie::task::Unconstrained<_> = magpie::task::unconstrained(async { 1 });
/// assert_eq!(fut.await, 1);
/// # }
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless polled"]
pub struct Unconstrained<F> {
    inner: F,
}

impl<F: Future> Future for Unconstrained<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        // SAFETY: `inner` is structurally pinned: it is never moved out of
        // `self` and `Unconstrained` has no `Drop` impl that could move it.
        let inner = unsafe { self.map_unchecked_mut(|s| &mut s.inner) };
        with_unconstrained(|| inner.poll(cx))
    }
}
