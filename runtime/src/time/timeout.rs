//! `Timeout`: a future with a deadline.

use crate::time::error::Elapsed;
use crate::time::{Duration, Instant, Sleep};
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::task::{self, Poll};

/// Requires a `Future` to complete before the specified duration has
/// elapsed.
///
/// If the future completes before the duration has elapsed, then the
/// completed value is returned. Otherwise, an error is returned and the
/// future is canceled.
///
/// Note that the timeout is checked before polling the future, so if the
/// future does not yield during execution then it is possible for the
/// future to complete and exceed the timeout _without_ returning an error.
///
/// This function returns a future whose return type is [`Result`]`<T,`[`Elapsed`]`>`,
/// where `T` is the return type of the provided future.
///
/// If the provided future completes immediately, then the future returned
/// from this function is guaranteed to complete immediately with an
/// [`Ok`] variant no matter the provided duration.
///
/// # Cancellation
///
/// Cancelling a timeout is done by dropping the future. No additional
/// cleanup or other work is required.
///
/// The original future may be obtained by calling [`Timeout::into_inner`].
/// This consumes the `Timeout`.
///
/// # Examples
///
/// ```
/// use magpie::time::{timeout, Duration};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let never = std::future::pending::<()>();
/// if let Err(_) = timeout(Duration::from_millis(10), never).await {
///     println!("did not receive value within 10 ms");
/// }
/// # }
/// ```
///
/// # Panics
///
/// This function panics if there is no current timer set: it must be
/// called from within a magpie runtime that has the timer enabled.
#[track_caller]
pub fn timeout<F>(duration: Duration, future: F) -> Timeout<F::IntoFuture>
where
    F: IntoFuture,
{
    // The deadline starts from a cheap ceiling of the clock and is made
    // exact just before the timer is first registered; a future that is
    // ready on its first poll never pays for a precise clock read.
    let delay = Sleep::new_after_ceil(duration, "`magpie::time::timeout`");
    Timeout {
        value: future.into_future(),
        delay,
        refine: Some(duration),
    }
}

/// Requires a `Future` to complete before the specified instant in time.
///
/// If the future completes before the instant is reached, then the
/// completed value is returned. Otherwise, an error is returned.
///
/// This function returns a future whose return type is [`Result`]`<T,`[`Elapsed`]`>`,
/// where `T` is the return type of the provided future.
///
/// If the provided future completes immediately, then the future returned
/// from this function is guaranteed to complete immediately with an
/// [`Ok`] variant no matter the provided deadline.
///
/// # Cancellation
///
/// Cancelling a timeout is done by dropping the future. No additional
/// cleanup or other work is required.
///
/// # Panics
///
/// This function panics if there is no current timer set: it must be
/// called from within a magpie runtime that has the timer enabled.
///
/// # Examples
///
/// ```
/// use magpie::time::{timeout_at, Duration, Instant};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let deadline = Instant::now() + Duration::from_millis(10);
/// let res = timeout_at(deadline, std::future::pending::<()>()).await;
/// assert!(res.is_err());
/// assert_eq!(timeout_at(deadline, async { 1 }).await, Ok(1));
/// # }
/// ```
#[track_caller]
pub fn timeout_at<F>(deadline: Instant, future: F) -> Timeout<F::IntoFuture>
where
    F: IntoFuture,
{
    let delay = Sleep::new_timeout(deadline, "`magpie::time::timeout_at`");
    Timeout::new_with_delay(future.into_future(), delay)
}

/// Future returned by [`timeout`](timeout) and [`timeout_at`](timeout_at).
///
/// # Examples
///
/// ```
/// use magpie::time::{timeout, Duration, Timeout};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let fut: Timeout<_> = timeout(Duration::from_secs(1), async { "ready" });
/// assert_eq!(fut.await, Ok("ready"));
/// # }
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
#[derive(Debug)]
pub struct Timeout<T> {
    value: T,
    delay: Sleep,
    /// Set while `delay`'s deadline is a ceiling (see `timeout`): the
    /// duration to re-measure from the precise clock before the first
    /// poll of `delay`.
    refine: Option<Duration>,
}

impl<T> Timeout<T> {
    pub(crate) fn new_with_delay(value: T, delay: Sleep) -> Timeout<T> {
        Timeout {
            value,
            delay,
            refine: None,
        }
    }

    /// Gets a reference to the underlying value in this timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{timeout, Duration};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let t = timeout(Duration::from_secs(1), std::future::ready(3));
    /// let _inner: &std::future::Ready<i32> = t.get_ref();
    /// # }
    /// ```
    pub fn get_ref(&self) -> &T {
        &self.value
    }

    /// Gets a mutable reference to the underlying value in this timeout.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{timeout, Duration};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut t = timeout(Duration::from_secs(1), std::future::ready(3));
    /// let _inner: &mut std::future::Ready<i32> = t.get_mut();
    /// # }
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        &mut self.value
    }

    /// Consumes this timeout, returning the underlying value.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{timeout, Duration};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let t = timeout(Duration::from_secs(1), std::future::ready(3));
    /// assert_eq!(t.into_inner().await, 3); // no deadline any more
    /// # }
    /// ```
    pub fn into_inner(self) -> T {
        self.value
    }

    fn project(self: Pin<&mut Self>) -> (Pin<&mut T>, Pin<&mut Sleep>, &mut Option<Duration>) {
        // SAFETY: `value` and `delay` are structurally pinned: `Timeout`
        // has no `Drop` impl, is `Unpin` only if both are, and hands out
        // unpinned access (`get_mut`, `into_inner`) only through `&mut
        // Self`/`Self`, which a pinned `Timeout` cannot give. `refine` is
        // plain data, never pinned.
        unsafe {
            let this = self.get_unchecked_mut();
            (
                Pin::new_unchecked(&mut this.value),
                Pin::new_unchecked(&mut this.delay),
                &mut this.refine,
            )
        }
    }
}

impl<T> Future for Timeout<T>
where
    T: Future,
{
    type Output = Result<T::Output, Elapsed>;

    fn poll(self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<Self::Output> {
        let (value, mut delay, refine) = self.project();
        let had_budget_before = crate::coop::has_budget_remaining();

        // First, try polling the future.
        if let Poll::Ready(v) = value.poll(cx) {
            return Poll::Ready(Ok(v));
        }

        if let Some(duration) = refine.take() {
            delay.as_mut().refine_deadline(duration);
        }

        let has_budget_now = crate::coop::has_budget_remaining();
        let mut poll_delay = || match delay.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(Elapsed::new())),
            Poll::Pending => Poll::Pending,
        };

        if had_budget_before && !has_budget_now {
            // The inner future spent the last of the budget: check the
            // timer anyway, or a future that always exhausts the budget
            // could never time out.
            crate::coop::with_unconstrained(poll_delay)
        } else {
            poll_delay()
        }
    }
}
