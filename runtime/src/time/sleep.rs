//! `Sleep`: a future that completes at a deadline.

use crate::time::{Duration, Instant, error::Error};
use magpie_reactor::time::TimerEntry;
use std::future::Future;
use std::pin::Pin;
use std::task::{self, Poll, ready};

/// Waits until `deadline` is reached.
///
/// No work is performed while awaiting on the sleep future to complete.
/// `Sleep` operates at millisecond granularity and should not be used for
/// tasks that require high-resolution timers.
///
/// To run something regularly on a schedule, see [`interval`].
///
/// # Cancellation
///
/// Canceling a sleep instance is done by dropping the returned future. No
/// additional cleanup work is required.
///
/// # Examples
///
/// Wait 100ms and print "100 ms have elapsed".
///
/// ```
/// use magpie::time::{sleep_until, Instant, Duration};
///
/// #[magpie::main]
/// async fn main() {
///     sleep_until(Instant::now() + Duration::from_millis(100)).await;
///     println!("100 ms have elapsed");
/// }
/// ```
///
/// # Panics
///
/// This function panics if there is no current timer set: it must be
/// called from within a magpie runtime that has the timer enabled.
///
/// [`interval`]: crate::time::interval()
#[track_caller]
pub fn sleep_until(deadline: Instant) -> Sleep {
    Sleep::new_timeout(deadline, "`magpie::time::sleep_until`")
}

/// Waits until `duration` has elapsed.
///
/// Equivalent to `sleep_until(Instant::now() + duration)`. An asynchronous
/// analog to `std::thread::sleep`.
///
/// No work is performed while awaiting on the sleep future to complete.
/// `Sleep` operates at millisecond granularity and should not be used for
/// tasks that require high-resolution timers. The implementation is
/// platform specific, and some platforms (specifically Windows) will
/// provide timers with a larger resolution than 1 ms.
///
/// To run something regularly on a schedule, see [`interval`].
///
/// The maximum duration for a sleep is 68719476734 milliseconds
/// (approximately 2.2 years); longer sleeps wait through several laps of
/// the timer wheel and behave the same.
///
/// # Cancellation
///
/// Canceling a sleep instance is done by dropping the returned future. No
/// additional cleanup work is required.
///
/// # Examples
///
/// Wait 100ms and print "100 ms have elapsed".
///
/// ```
/// use magpie::time::{sleep, Duration};
///
/// #[magpie::main]
/// async fn main() {
///     sleep(Duration::from_millis(100)).await;
///     println!("100 ms have elapsed");
/// }
/// ```
///
/// # Panics
///
/// This function panics if there is no current timer set: it must be
/// called from within a magpie runtime that has the timer enabled.
///
/// [`interval`]: crate::time::interval()
#[track_caller]
pub fn sleep(duration: Duration) -> Sleep {
    Sleep::new_after(duration, "`magpie::time::sleep`")
}

/// Future returned by [`sleep`](sleep) and [`sleep_until`](sleep_until).
///
/// This type does not implement the `Unpin` trait, which means that if you
/// use it with a `select!` macro or by calling `poll`, you have to pin it
/// first.
/// If you use it with `.await`, this does not matter.
///
/// # Examples
///
/// Wait 100ms and print "100 ms have elapsed".
///
/// ```
/// use magpie::time::{sleep, Duration};
///
/// #[magpie::main]
/// async fn main() {
///     sleep(Duration::from_millis(100)).await;
///     println!("100 ms have elapsed");
/// }
/// ```
///
/// Polling by hand: pinning the `Sleep` with `std::pin::pin!` pins it to
/// the stack, and `reset` moves its deadline.
///
/// ```
/// use magpie::time::{self, Duration, Instant};
///
/// #[magpie::main]
/// async fn main() {
///     let sleep = time::sleep(Duration::from_millis(10));
///     let mut sleep = std::pin::pin!(sleep);
///     // ... poll `sleep.as_mut()` in a loop, and move the deadline with
///     sleep.as_mut().reset(Instant::now() + Duration::from_millis(50));
/// }
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Sleep {
    /// The wheel entry, held inline (structurally pinned; `!Unpin`).
    entry: TimerEntry,
}

impl Sleep {
    #[track_caller]
    pub(crate) fn new_timeout(deadline: Instant, what: &str) -> Sleep {
        Sleep {
            entry: crate::time::new_timer(what, |_| deadline.into_std()),
        }
    }

    /// A sleep until the runtime clock's `now + duration` (about 30 years
    /// from now if that overflows).
    #[track_caller]
    #[inline]
    pub(crate) fn new_after(duration: Duration, what: &str) -> Sleep {
        Sleep {
            entry: crate::time::new_timer(what, |clock| {
                let now = clock.now();
                now.checked_add(duration)
                    .unwrap_or_else(|| Instant::far_future_from(now).into_std())
            }),
        }
    }

    /// A timer `duration` after a ceiling of the current time
    /// ([`Clock::now_ceil`](magpie_reactor::time::Clock::now_ceil): a few
    /// ms late at most, and cheaper to read), to be pulled in by
    /// [`refine_deadline`](Self::refine_deadline) before it is first
    /// polled. For `timeout`, whose future is often ready at once: then
    /// the precise clock is never read.
    #[track_caller]
    #[inline]
    pub(crate) fn new_after_ceil(duration: Duration, what: &str) -> Sleep {
        Sleep {
            entry: crate::time::new_timer(what, |clock| {
                let now = clock.now_ceil();
                now.checked_add(duration)
                    .unwrap_or_else(|| Instant::far_future_from(now).into_std())
            }),
        }
    }

    /// See [`new_after_ceil`](Self::new_after_ceil): makes the deadline
    /// `now + duration` by the precise clock if that is earlier, unless
    /// the timer was polled before.
    pub(crate) fn refine_deadline(self: Pin<&mut Self>, duration: Duration) {
        self.entry().refine_deadline(duration);
    }

    /// Returns the instant at which the future will complete.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{sleep_until, Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let when = Instant::now() + Duration::from_millis(5);
    /// let sleep = sleep_until(when);
    /// assert_eq!(sleep.deadline(), when);
    /// # }
    /// ```
    pub fn deadline(&self) -> Instant {
        Instant::from_std(self.entry.deadline())
    }

    /// Returns `true` if `Sleep` has elapsed.
    ///
    /// A `Sleep` instance is elapsed when the requested duration has
    /// elapsed (and the runtime's timer noticed it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{sleep, Duration};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut s = std::pin::pin!(sleep(Duration::from_millis(1)));
    /// assert!(!s.is_elapsed());
    /// s.as_mut().await;
    /// assert!(s.is_elapsed());
    /// # }
    /// ```
    pub fn is_elapsed(&self) -> bool {
        self.entry.is_elapsed()
    }

    /// Resets the `Sleep` instance to a new deadline.
    ///
    /// Calling this function allows changing the instant at which the
    /// `Sleep` future completes without having to create new associated
    /// state.
    ///
    /// This function can be called both before and after the future has
    /// completed.
    ///
    /// To call this method, you will usually combine the call with
    /// `Pin::as_mut`, which lets you call the method without consuming the
    /// `Sleep` itself.
    ///
    /// # Example
    ///
    /// ```
    /// use magpie::time::{Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sleep = magpie::time::sleep(Duration::from_millis(10));
    /// let mut sleep = std::pin::pin!(sleep);
    ///
    /// sleep.as_mut().reset(Instant::now() + Duration::from_millis(20));
    /// # }
    /// ```
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        self.entry().reset(deadline.into_std());
    }

    fn entry(self: Pin<&mut Self>) -> Pin<&mut TimerEntry> {
        // SAFETY: `entry` is structurally pinned: `Sleep` never moves it out
        // and has no `Drop` impl of its own.
        unsafe { self.map_unchecked_mut(|s| &mut s.entry) }
    }

    fn poll_elapsed(self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<Result<(), Error>> {
        // Keep track of task budget.
        let coop = ready!(crate::coop::poll_proceed(cx));
        self.entry().poll_elapsed(cx).map(move |r| {
            coop.made_progress();
            r.map_err(Error::from)
        })
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut task::Context<'_>) -> Poll<()> {
        // `Error::shutdown` is the only error: the runtime is going away, a
        // logic error for whoever still awaits a timer on it.
        match ready!(self.poll_elapsed(cx)) {
            Ok(()) => Poll::Ready(()),
            Err(e) => panic!("timer error: {e}"),
        }
    }
}
