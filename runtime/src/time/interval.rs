//! `Interval`: ticks at a fixed period.

use crate::time::{Duration, Instant, Sleep};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// Creates new [`Interval`] that yields with interval of `period`. The
/// first tick completes immediately. The default [`MissedTickBehavior`] is
/// [`Burst`](MissedTickBehavior::Burst), but this can be configured by
/// calling [`set_missed_tick_behavior`](Interval::set_missed_tick_behavior).
///
/// An interval will tick indefinitely. At any time, the [`Interval`] value
/// can be dropped. This cancels the interval.
///
/// This function is equivalent to
/// [`interval_at(Instant::now(), period)`](interval_at).
///
/// # Panics
///
/// This function panics if `period` is zero, or if it is called outside a
/// magpie runtime with the timer enabled.
///
/// # Examples
///
/// ```
/// use magpie::time::{self, Duration};
///
/// #[magpie::main]
/// async fn main() {
///     let mut interval = time::interval(Duration::from_millis(10));
///
///     interval.tick().await; // ticks immediately
///     interval.tick().await; // ticks after 10ms
///     interval.tick().await; // ticks after 10ms
///
///     // approximately 20ms have elapsed.
/// }
/// ```
#[track_caller]
pub fn interval(period: Duration) -> Interval {
    assert!(period > Duration::new(0, 0), "`period` must be non-zero.");
    internal_interval_at(Instant::now(), period, "`magpie::time::interval`")
}

/// Creates new [`Interval`] that yields with interval of `period` with the
/// first tick completing at `start`. The default [`MissedTickBehavior`] is
/// [`Burst`](MissedTickBehavior::Burst), but this can be configured by
/// calling [`set_missed_tick_behavior`](Interval::set_missed_tick_behavior).
///
/// An interval will tick indefinitely. At any time, the [`Interval`] value
/// can be dropped. This cancels the interval.
///
/// # Panics
///
/// This function panics if `period` is zero, or if it is called outside a
/// magpie runtime with the timer enabled.
///
/// # Examples
///
/// ```
/// use magpie::time::{interval_at, Duration, Instant};
///
/// #[magpie::main]
/// async fn main() {
///     let start = Instant::now() + Duration::from_millis(50);
///     let mut interval = interval_at(start, Duration::from_millis(10));
///
///     interval.tick().await; // ticks after 50ms
///     interval.tick().await; // ticks after 10ms
///     interval.tick().await; // ticks after 10ms
///
///     // approximately 70ms have elapsed.
/// }
/// ```
#[track_caller]
pub fn interval_at(start: Instant, period: Duration) -> Interval {
    assert!(period > Duration::new(0, 0), "`period` must be non-zero.");
    internal_interval_at(start, period, "`magpie::time::interval_at`")
}

#[track_caller]
fn internal_interval_at(start: Instant, period: Duration, what: &str) -> Interval {
    Interval {
        delay: Box::pin(Sleep::new_timeout(start, what)),
        period,
        missed_tick_behavior: MissedTickBehavior::default(),
    }
}

/// Defines the behavior of an [`Interval`] when it misses a tick.
///
/// Sometimes, an [`Interval`]'s tick is missed. For example, consider the
/// following:
///
/// ```
/// use magpie::time::{self, Duration};
/// # async fn task_that_takes_one_to_three_millis() {}
///
/// #[magpie::main]
/// async fn main() {
///     // ticks every 2 milliseconds
///     let mut interval = time::interval(Duration::from_millis(2));
///     for _ in 0..5 {
///         interval.tick().await;
///         // if this takes more than 2 milliseconds, a tick will be delayed
///         task_that_takes_one_to_three_millis().await;
///     }
/// }
/// ```
///
/// Generally, a tick is missed if too much time is spent without calling
/// [`Interval::tick()`]. By default, when a tick is missed, [`Interval`]
/// fires ticks as quickly as it can until it is "caught up" in time to
/// where it should be. `MissedTickBehavior` can be used to specify a
/// different behavior for [`Interval`] to exhibit. Each variant represents
/// a different strategy.
///
/// Because the timer has millisecond granularity, a tick counts as missed
/// only once the current time is more than 5 ms past its deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MissedTickBehavior {
    /// Ticks as fast as possible until caught up.
    ///
    /// When this strategy is used, [`Interval`] schedules ticks "normally"
    /// (the same as it would have if the ticks hadn't been delayed), which
    /// results in it firing ticks as fast as possible until it is caught up
    /// in time to where it should be. Unlike [`Delay`] and [`Skip`], the
    /// ticks yielded when `Burst` is used (the [`Instant`]s that
    /// [`tick`](Interval::tick) yields) aren't different than they would
    /// have been if a tick had not been missed.
    ///
    /// ```text
    /// Expected ticks: |     1     |     2     |     3     |     4     |     5     |     6     |
    /// Actual ticks:   | work -----|          delay          | work | work | work -| work -----|
    /// ```
    ///
    /// This is the default behavior when [`Interval`] is created with
    /// [`interval`] and [`interval_at`].
    ///
    /// [`Delay`]: MissedTickBehavior::Delay
    /// [`Skip`]: MissedTickBehavior::Skip
    #[default]
    Burst,

    /// Tick at multiples of `period` from when [`tick`] was called, rather
    /// than from `start`.
    ///
    /// When this strategy is used and [`Interval`] has missed a tick,
    /// instead of scheduling ticks to fire at multiples of `period` from
    /// `start` (the time when the first tick was fired), it schedules all
    /// future ticks to happen at a regular `period` from the point when
    /// [`tick`] was called.
    ///
    /// ```text
    /// Expected ticks: |     1     |     2     |     3     |     4     |     5     |     6     |
    /// Actual ticks:   | work -----|          delay          | work -----| work -----| work -----|
    /// ```
    ///
    /// [`tick`]: Interval::tick
    Delay,

    /// Skips missed ticks and tick on the next multiple of `period` from
    /// `start`.
    ///
    /// When this strategy is used, [`Interval`] schedules the next tick to
    /// fire at the next-closest tick that is a multiple of `period` away
    /// from `start` (the point where [`Interval`] first ticked).
    ///
    /// ```text
    /// Expected ticks: |     1     |     2     |     3     |     4     |     5     |     6     |
    /// Actual ticks:   | work -----|          delay          | work ---| work -----| work -----|
    /// ```
    ///
    /// Note that as a result, the ticks are no longer guaranteed to happen
    /// at a multiple of `period` from `start`, if for example the timer
    /// fired late.
    Skip,
}

impl MissedTickBehavior {
    /// When the next tick is due after the one due at `timeout` completed
    /// late, at `now`.
    fn next_timeout(&self, timeout: Instant, now: Instant, period: Duration) -> Instant {
        match self {
            Self::Burst => timeout + period,
            Self::Delay => now + period,
            Self::Skip => {
                let behind = (now - timeout).as_nanos() % period.as_nanos();
                // Cannot fail unless `period` and the lateness both exceed
                // 584 years.
                let behind = u64::try_from(behind)
                    .expect("too much time has elapsed since the interval was supposed to tick");
                now + period - Duration::from_nanos(behind)
            }
        }
    }
}

/// Interval returned by [`interval`] and [`interval_at`].
///
/// This type allows you to wait on a sequence of instants with a certain
/// duration between each instant. Unlike calling [`sleep`] in a loop, this
/// lets you count the time spent between the calls to [`sleep`] as well.
///
/// An `Interval` can be turned into a `Stream` with a wrapper of your own
/// around [`poll_tick`](Interval::poll_tick).
///
/// [`sleep`]: crate::time::sleep()
///
/// # Examples
///
/// ```
/// use magpie::time::{interval, Duration};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let mut ticker = interval(Duration::from_millis(5));
/// for _ in 0..3 {
///     ticker.tick().await; // the first tick is immediate
/// }
/// # }
/// ```
#[derive(Debug)]
pub struct Interval {
    /// Future that completes the next time the `Interval` should yield a
    /// value. Boxed so that `Interval` is `Unpin`.
    delay: Pin<Box<Sleep>>,

    /// The duration between values yielded by `Interval`.
    period: Duration,

    /// The strategy `Interval` should use when a tick is missed.
    missed_tick_behavior: MissedTickBehavior,
}

impl Interval {
    /// Completes when the next instant in the interval has been reached.
    ///
    /// # Cancel safety
    ///
    /// This method is cancellation safe. If `tick` is used as the branch in
    /// a `select!` and another branch completes first, then no tick has
    /// been consumed.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time;
    /// use std::time::Duration;
    ///
    /// #[magpie::main]
    /// async fn main() {
    ///     let mut interval = time::interval(Duration::from_millis(10));
    ///
    ///     interval.tick().await;
    ///     // approximately 0ms have elapsed. The first tick completes immediately.
    ///     interval.tick().await;
    ///     interval.tick().await;
    ///
    ///     // approximately 20ms have elapsed.
    /// }
    /// ```
    pub async fn tick(&mut self) -> Instant {
        poll_fn(|cx| self.poll_tick(cx)).await
    }

    /// Polls for the next instant in the interval to be reached.
    ///
    /// This method can return the following values:
    ///
    ///  * `Poll::Pending` if the next instant has not yet been reached.
    ///  * `Poll::Ready(instant)` if the next instant has been reached.
    ///
    /// When this method returns `Poll::Pending`, the current task is
    /// scheduled to receive a wakeup when the instant has elapsed. Note
    /// that on multiple calls to `poll_tick`, only the [`Waker`] from the
    /// [`Context`] passed to the most recent call is scheduled to receive a
    /// wakeup.
    ///
    /// [`Waker`]: std::task::Waker
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    /// use magpie::time::{interval, Duration};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut ticker = interval(Duration::from_millis(5));
    /// poll_fn(|cx| ticker.poll_tick(cx)).await;
    /// # }
    /// ```
    pub fn poll_tick(&mut self, cx: &mut Context<'_>) -> Poll<Instant> {
        // Wait for the delay to be done.
        ready!(self.delay.as_mut().poll(cx));

        // The time when we were scheduled to tick.
        let timeout = self.delay.deadline();
        let now = Instant::now();

        // On time (within the timer's slack): the next tick is one period
        // after this one. Behind: as `missed_tick_behavior` says.
        let next = if now > timeout + Duration::from_millis(5) {
            self.missed_tick_behavior
                .next_timeout(timeout, now, self.period)
        } else {
            timeout + self.period
        };

        // The delay just fired, so this only records the new deadline; the
        // timer registers again on the next poll.
        self.delay.as_mut().reset(next);

        Poll::Ready(timeout)
    }

    /// Resets the interval to complete one period after the current time.
    ///
    /// This method ignores [`MissedTickBehavior`] strategy.
    ///
    /// This is equivalent to calling `reset_at(Instant::now() + period)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{self, Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let mut ticker = time::interval(Duration::from_millis(100));
    /// ticker.tick().await;
    /// time::sleep(Duration::from_millis(50)).await;
    /// ticker.reset(); // the next tick is a whole period from now
    /// let before = Instant::now();
    /// ticker.tick().await;
    /// assert_eq!(before.elapsed(), Duration::from_millis(100));
    /// # }
    /// ```
    pub fn reset(&mut self) {
        self.delay.as_mut().reset(Instant::now() + self.period);
    }

    /// Resets the interval immediately.
    ///
    /// This method ignores [`MissedTickBehavior`] strategy.
    ///
    /// This is equivalent to calling `reset_at(Instant::now())`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{self, Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let mut ticker = time::interval(Duration::from_millis(100));
    /// ticker.tick().await;
    /// ticker.reset_immediately();
    /// let before = Instant::now();
    /// ticker.tick().await; // completes at once
    /// assert_eq!(before.elapsed(), Duration::ZERO);
    /// # }
    /// ```
    pub fn reset_immediately(&mut self) {
        self.delay.as_mut().reset(Instant::now());
    }

    /// Resets the interval after the specified [`std::time::Duration`].
    ///
    /// This method ignores [`MissedTickBehavior`] strategy.
    ///
    /// This is equivalent to calling `reset_at(Instant::now() + after)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{self, Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let mut ticker = time::interval(Duration::from_millis(100));
    /// ticker.tick().await;
    /// ticker.reset_after(Duration::from_millis(20));
    /// let before = Instant::now();
    /// ticker.tick().await;
    /// assert_eq!(before.elapsed(), Duration::from_millis(20));
    /// # }
    /// ```
    pub fn reset_after(&mut self, after: Duration) {
        self.delay.as_mut().reset(Instant::now() + after);
    }

    /// Resets the interval to a [`crate::time::Instant`] deadline.
    ///
    /// Sets the next tick to expire at the given instant. If the instant is
    /// in the past, then the [`MissedTickBehavior`] strategy will be used
    /// to catch up. If the instant is in the future, then the next tick
    /// will complete at the given instant, even if that means that it will
    /// sleep for longer than the duration of this [`Interval`]. If the
    /// [`Interval`] had any missed ticks before calling this method, then
    /// those are discarded.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{self, Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread", start_paused = true)]
    /// # async fn main() {
    /// let mut ticker = time::interval(Duration::from_millis(100));
    /// ticker.tick().await;
    /// let at = Instant::now() + Duration::from_millis(30);
    /// ticker.reset_at(at);
    /// assert_eq!(ticker.tick().await, at);
    /// # }
    /// ```
    pub fn reset_at(&mut self, deadline: Instant) {
        self.delay.as_mut().reset(deadline);
    }

    /// Returns the [`MissedTickBehavior`] strategy currently being used.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{interval, Duration, MissedTickBehavior};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let ticker = interval(Duration::from_millis(10));
    /// assert_eq!(ticker.missed_tick_behavior(), MissedTickBehavior::Burst);
    /// # }
    /// ```
    pub fn missed_tick_behavior(&self) -> MissedTickBehavior {
        self.missed_tick_behavior
    }

    /// Sets the [`MissedTickBehavior`] strategy that should be used.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{interval, Duration, MissedTickBehavior};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut ticker = interval(Duration::from_millis(10));
    /// ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
    /// assert_eq!(ticker.missed_tick_behavior(), MissedTickBehavior::Skip);
    /// # }
    /// ```
    pub fn set_missed_tick_behavior(&mut self, behavior: MissedTickBehavior) {
        self.missed_tick_behavior = behavior;
    }

    /// Returns the period of the interval.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{interval, Duration};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let ticker = interval(Duration::from_millis(10));
    /// assert_eq!(ticker.period(), Duration::from_millis(10));
    /// # }
    /// ```
    pub fn period(&self) -> Duration {
        self.period
    }
}
