//! Utilities for improved cooperative scheduling.
//!
//! Each poll of a task runs with a budget of operations; every resource
//! operation that completes (a channel receive, a socket read, a timer)
//! spends one unit, and once the budget is gone those resources return
//! `Pending` (after waking the task) so that the worker thread can run other
//! tasks, timers and I/O. This module lets user code take part in the same
//! scheme: [`consume_budget`] spends a unit, [`has_budget_remaining`] checks
//! it, [`poll_proceed`] is the building block for a hand-written resource,
//! [`cooperative`] wraps a future so that it spends budget, and
//! [`unconstrained`] turns the budget off for a future.
//!
//! # Examples
//!
//! ```
//! use magpie::task::coop;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let mut sum = 0u64;
//! for i in 0..1_000u64 {
//!     // Lets other tasks run now and then although nothing here awaits.
//!     coop::consume_budget().await;
//!     sum += i;
//! }
//! assert_eq!(sum, 499_500);
//! # }
//! ```

pub use crate::coop::{Unconstrained, consume_budget, unconstrained};

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// Returns `true` if there is still budget left on the task.
///
/// Outside a task, or inside [`unconstrained`], the budget is unlimited and
/// this returns `true`.
///
/// # Examples
///
/// ```
/// use magpie::task::coop::{consume_budget, has_budget_remaining};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let task = magpie::spawn(async {
///     // Spend budget until the runtime would make us yield.
///     let mut spent = 0;
///     while has_budget_remaining() {
///         consume_budget().await;
///         spent += 1;
///     }
///     spent
/// });
/// assert!(task.await.unwrap() > 0);
/// # }
/// ```
#[inline]
pub fn has_budget_remaining() -> bool {
    crate::coop::has_budget_remaining()
}

/// Decrements the task budget and returns [`Poll::Pending`] if the budget is
/// depleted. This indicates that the task should yield to the scheduler.
/// Otherwise, returns [`RestoreOnPending`] which can be used to commit the
/// budget consumption.
///
/// The returned [`RestoreOnPending`] will revert the budget to its former
/// value when dropped unless [`RestoreOnPending::made_progress`] is called.
/// It is the caller's responsibility to do so when it _was_ able to make
/// progress after the call to [`poll_proceed`]. Restoring the budget
/// automatically ensures the task can try to make progress in some other way.
///
/// Note that [`RestoreOnPending`] restores the budget **as it was before
/// [`poll_proceed`]**. Therefore, if the budget is _further_ adjusted
/// between when [`poll_proceed`] returns and [`RestoreOnPending`] is dropped,
/// those adjustments are erased unless the caller indicates that progress
/// was made.
///
/// # Examples
///
/// ```
/// use magpie::task::coop;
/// use std::future::Future;
/// use std::pin::Pin;
/// use std::task::{ready, Context, Poll};
///
/// /// A resource that is always ready, yet lets other tasks run.
/// struct Always;
///
/// impl Future for Always {
///     type Output = ();
///     fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
///         let coop = ready!(coop::poll_proceed(cx));
///         coop.made_progress();
///         Poll::Ready(())
///     }
/// }
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// Always.await;
/// # }
/// ```
#[inline]
pub fn poll_proceed(cx: &mut Context<'_>) -> Poll<RestoreOnPending> {
    crate::coop::poll_proceed(cx).map(RestoreOnPending)
}

/// Value returned by [`poll_proceed`] (from `magpie::task::coop`).
///
/// Dropping it gives the unit it took back to the task's budget, unless
/// [`made_progress`](RestoreOnPending::made_progress) was called.
///
/// # Examples
///
/// ```
/// use magpie::task::coop::{self, RestoreOnPending};
/// use std::task::Poll;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// std::future::poll_fn(|cx| {
///     let restore: RestoreOnPending = match coop::poll_proceed(cx) {
///         Poll::Ready(restore) => restore,
///         Poll::Pending => return Poll::Pending,
///     };
///     // The operation completed: keep the unit spent.
///     restore.made_progress();
///     Poll::Ready(())
/// })
/// .await;
/// # }
/// ```
pub struct RestoreOnPending(crate::coop::RestoreOnPending);

impl RestoreOnPending {
    /// Signals that the task that obtained this `RestoreOnPending` was able
    /// to make progress. This prevents the task budget from being restored
    /// to the value it had prior to obtaining this instance when it is
    /// dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::task::coop;
    /// use std::task::{ready, Poll};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut ready_after = 2;
    /// std::future::poll_fn(|cx| {
    ///     let restore = ready!(coop::poll_proceed(cx));
    ///     if ready_after == 0 {
    ///         // Progress: the unit taken by `poll_proceed` stays spent.
    ///         restore.made_progress();
    ///         return Poll::Ready(());
    ///     }
    ///     ready_after -= 1;
    ///     cx.waker().wake_by_ref();
    ///     // No progress: dropping `restore` gives the unit back.
    ///     Poll::Pending
    /// })
    /// .await;
    /// # }
    /// ```
    #[inline]
    pub fn made_progress(&self) {
        self.0.made_progress();
    }
}

impl fmt::Debug for RestoreOnPending {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RestoreOnPending").finish_non_exhaustive()
    }
}

/// Creates a wrapper future that makes the inner future cooperate with the
/// runtime's budget.
///
/// Each poll of the wrapper first spends one unit of the task's budget
/// (returning `Pending`, after waking the task, when the budget is gone) and
/// then polls the inner future; the unit is given back if the inner future
/// returns `Pending`.
///
/// # Examples
///
/// ```
/// use magpie::task::coop::cooperative;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let v = cooperative(async { 5 }).await;
/// assert_eq!(v, 5);
/// # }
/// ```
pub fn cooperative<F: Future>(fut: F) -> Coop<F> {
    Coop { fut }
}

/// Future wrapper that spends the task's budget (see [`cooperative`]).
///
/// # Examples
///
/// ```
/// use magpie::task::coop::{cooperative, Coop};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let fut: Coop<_> = cooperative(async { "done" });
/// assert_eq!(fut.await, "done");
/// # }
/// ```
#[must_use = "futures do nothing unless polled"]
pub struct Coop<F> {
    fut: F,
}

impl<F: fmt::Debug> fmt::Debug for Coop<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Coop").field("fut", &self.fut).finish()
    }
}

impl<F: Future> Future for Coop<F> {
    type Output = F::Output;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let coop = ready!(poll_proceed(cx));
        // SAFETY: `fut` is structurally pinned: it is never moved out of
        // `self`, and `Coop` has no `Drop` impl that could move it.
        let fut = unsafe { self.map_unchecked_mut(|s| &mut s.fut) };
        match fut.poll(cx) {
            Poll::Ready(out) => {
                coop.made_progress();
                Poll::Ready(out)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}
