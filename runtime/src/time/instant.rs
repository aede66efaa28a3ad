//! `Instant`: std's instant, read from the runtime's (pausable) clock.

use std::fmt;
use std::ops;
use std::time::Duration;

/// A measurement of a monotonically nondecreasing clock.
/// Opaque and useful only with `Duration`.
///
/// Instants are always guaranteed to be no less than any previously
/// measured instant when created, and are often useful for tasks such as
/// measuring benchmarks or timing how long an operation takes.
///
/// Unlike `std::time::Instant`, [`Instant::now`] reads the current
/// runtime's clock, so it stands still while time is
/// [paused](crate::time::pause) and jumps when time is
/// [advanced](crate::time::advance).
///
/// # Examples
///
/// ```
/// use magpie::time::{sleep, Duration, Instant};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let start = Instant::now();
/// sleep(Duration::from_millis(5)).await;
/// assert!(start.elapsed() >= Duration::from_millis(5));
/// # }
/// ```
#[derive(Clone, Copy, Eq, PartialEq, PartialOrd, Ord, Hash)]
pub struct Instant {
    std: std::time::Instant,
}

impl Instant {
    /// Returns an instant corresponding to "now".
    ///
    /// Inside a runtime this is the runtime's clock (paused time included);
    /// elsewhere it is `std::time::Instant::now()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::Instant;
    ///
    /// let now = Instant::now();
    /// ```
    pub fn now() -> Instant {
        let std = crate::context::with_current_driver(|handle| match handle {
            Some(handle) => handle.clock().now(),
            None => std::time::Instant::now(),
        });
        Instant { std }
    }

    /// Creates a new instant from a `std::time::Instant`.
    ///
    /// # Examples
    ///
    /// ```
    /// let std_now = std::time::Instant::now();
    /// let now = magpie::time::Instant::from_std(std_now);
    /// assert_eq!(now.into_std(), std_now);
    /// ```
    pub fn from_std(std: std::time::Instant) -> Instant {
        Instant { std }
    }

    /// About 30 years after `now`, for "never" deadlines.
    pub(crate) fn far_future_from(now: std::time::Instant) -> Instant {
        Instant::from_std(now + Duration::from_secs(86400 * 365 * 30))
    }

    /// Converts the value into a `std::time::Instant`.
    ///
    /// # Examples
    ///
    /// ```
    /// let now = magpie::time::Instant::from_std(std::time::Instant::now());
    /// let std_now: std::time::Instant = now.into_std();
    /// assert_eq!(magpie::time::Instant::from_std(std_now), now);
    /// ```
    pub fn into_std(self) -> std::time::Instant {
        self.std
    }

    /// Returns the amount of time elapsed from another instant to this one,
    /// or zero duration if that instant is later than this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{Duration, Instant};
    ///
    /// let earlier = Instant::now();
    /// let later = earlier + Duration::from_secs(2);
    /// assert_eq!(later.duration_since(earlier), Duration::from_secs(2));
    /// ```
    pub fn duration_since(&self, earlier: Instant) -> Duration {
        self.std.saturating_duration_since(earlier.std)
    }

    /// Returns the amount of time elapsed from another instant to this one,
    /// or `None` if that instant is later than this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{Duration, Instant};
    ///
    /// let earlier = Instant::now();
    /// let later = earlier + Duration::from_secs(2);
    /// assert_eq!(later.checked_duration_since(earlier), Some(Duration::from_secs(2)));
    /// assert_eq!(earlier.checked_duration_since(later), None);
    /// ```
    pub fn checked_duration_since(&self, earlier: Instant) -> Option<Duration> {
        self.std.checked_duration_since(earlier.std)
    }

    /// Returns the amount of time elapsed from another instant to this one,
    /// or zero duration if that instant is later than this one.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{Duration, Instant};
    ///
    /// let earlier = Instant::now();
    /// let later = earlier + Duration::from_secs(2);
    /// assert_eq!(earlier.saturating_duration_since(later), Duration::ZERO);
    /// ```
    pub fn saturating_duration_since(&self, earlier: Instant) -> Duration {
        self.std.saturating_duration_since(earlier.std)
    }

    /// Returns the amount of time elapsed since this instant was created,
    /// or zero duration if this instant is in the future.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{sleep, Duration, Instant};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let start = Instant::now();
    /// sleep(Duration::from_millis(2)).await;
    /// assert!(start.elapsed() >= Duration::from_millis(2));
    /// # }
    /// ```
    pub fn elapsed(&self) -> Duration {
        Instant::now().saturating_duration_since(*self)
    }

    /// Returns `Some(t)` where `t` is the time `self + duration` if `t` can
    /// be represented as `Instant`, `None` otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{Duration, Instant};
    ///
    /// let now = Instant::now();
    /// assert!(now.checked_add(Duration::from_secs(1)).unwrap() > now);
    /// assert!(now.checked_add(Duration::MAX).is_none());
    /// ```
    pub fn checked_add(&self, duration: Duration) -> Option<Instant> {
        self.std.checked_add(duration).map(Instant::from_std)
    }

    /// Returns `Some(t)` where `t` is the time `self - duration` if `t` can
    /// be represented as `Instant`, `None` otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::time::{Duration, Instant};
    ///
    /// let now = Instant::now();
    /// assert!(now.checked_sub(Duration::from_millis(1)).unwrap() < now);
    /// assert!(now.checked_sub(Duration::MAX).is_none());
    /// ```
    pub fn checked_sub(&self, duration: Duration) -> Option<Instant> {
        self.std.checked_sub(duration).map(Instant::from_std)
    }
}

impl From<std::time::Instant> for Instant {
    fn from(time: std::time::Instant) -> Instant {
        Instant::from_std(time)
    }
}

impl From<Instant> for std::time::Instant {
    fn from(time: Instant) -> std::time::Instant {
        time.into_std()
    }
}

impl ops::Add<Duration> for Instant {
    type Output = Instant;

    fn add(self, other: Duration) -> Instant {
        Instant::from_std(self.std + other)
    }
}

impl ops::AddAssign<Duration> for Instant {
    fn add_assign(&mut self, rhs: Duration) {
        *self = *self + rhs;
    }
}

impl ops::Sub for Instant {
    type Output = Duration;

    fn sub(self, rhs: Instant) -> Duration {
        self.std.saturating_duration_since(rhs.std)
    }
}

impl ops::Sub<Duration> for Instant {
    type Output = Instant;

    fn sub(self, rhs: Duration) -> Instant {
        Instant::from_std(std::time::Instant::sub(self.std, rhs))
    }
}

impl ops::SubAssign<Duration> for Instant {
    fn sub_assign(&mut self, rhs: Duration) {
        *self = *self - rhs;
    }
}

impl fmt::Debug for Instant {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.std.fmt(fmt)
    }
}
