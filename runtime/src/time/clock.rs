//! `pause`, `resume`, `advance`: control over the runtime's clock (tests).

use crate::time::Duration;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

#[track_caller]
fn with_clock(f: impl FnOnce(&magpie_reactor::time::Clock) -> Result<(), &'static str>) {
    let Some(handle) = crate::context::current_driver() else {
        panic!("time cannot be frozen from outside the magpie runtime");
    };
    if let Err(msg) = f(handle.clock()) {
        panic!("{msg}");
    }
}

/// Pauses time.
///
/// The current value of `Instant::now()` is saved and all subsequent calls
/// to `Instant::now()` will return the saved value. The saved value can be
/// changed by [`advance`] or by the time auto-advancing once the runtime has
/// no work to do. This only affects the `Instant` type in magpie, and the
/// `Instant` in std continues to work as normal.
///
/// Pausing time requires the `current_thread` runtime, the default runtime
/// of `#[magpie::test]`. The runtime can start with time paused using the
/// `Builder::start_paused` method or `#[magpie::test(start_paused = true)]`.
///
/// # Panics
///
/// Panics if time is already frozen or if called from outside of a magpie
/// runtime.
///
/// # Auto-advance
///
/// If time is paused and the runtime has no work to do, the clock is
/// auto-advanced to the next pending timer. This means that [`Sleep`] or
/// other timer-backed primitives can cause the runtime to advance the
/// current time when awaited.
///
/// [`Sleep`]: crate::time::Sleep
///
/// # Examples
///
/// ```
/// use magpie::time::{self, Duration, Instant};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// time::pause();
/// let start = Instant::now();
/// time::sleep(Duration::from_secs(60)).await; // auto-advances: returns at once
/// assert!(start.elapsed() >= Duration::from_secs(60));
/// # }
/// ```
#[track_caller]
pub fn pause() {
    if crate::context::with_current(|h| matches!(h, crate::scheduler::Handle::MultiThread(_)))
        .unwrap_or(false)
    {
        panic!(
            "`time::pause()` requires the `current_thread` magpie runtime. \
             This is the default Runtime used by `#[magpie::test]`."
        );
    }
    with_clock(|clock| clock.pause());
}

/// Resumes time.
///
/// Clears the saved `Instant::now()` value. Subsequent calls to
/// `Instant::now()` will return the value returned by the system call.
///
/// # Panics
///
/// Panics if time is not frozen or if called from outside of a magpie
/// runtime.
///
/// # Examples
///
/// ```
/// use magpie::time;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// time::pause();
/// // ... test code that relies on frozen time ...
/// time::resume();
/// # }
/// ```
#[track_caller]
pub fn resume() {
    with_clock(|clock| clock.resume());
}

/// Advances time.
///
/// Increments the saved `Instant::now()` value by `duration`. Subsequent
/// calls to `Instant::now()` will return the result of the increment.
///
/// The clock jumps in one step: every `sleep` with a deadline before the new
/// time completes "at the same time", and the runtime may poll them in any
/// order. This function yields once (so that the runtime can fire those
/// timers) but does not wait for the sleeps it advanced past to complete.
///
/// # Panics
///
/// Panics if time is not frozen or if called from outside of a magpie
/// runtime.
///
/// # Auto-advance
///
/// If the time is paused and there is no work to do, the runtime advances
/// time to the next timer. See [`pause`](pause#auto-advance).
///
/// # Examples
///
/// ```
/// use magpie::time::{self, Duration, Instant};
///
/// # #[magpie::main(flavor = "current_thread", start_paused = true)]
/// # async fn main() {
/// let start = Instant::now();
/// time::advance(Duration::from_secs(5)).await;
/// assert_eq!(start.elapsed(), Duration::from_secs(5));
/// # }
/// ```
pub async fn advance(duration: Duration) {
    with_clock(|clock| clock.advance(duration));
    YieldNow { yielded: false }.await;
}

/// Returns `Pending` once (after waking itself), then `Ready`.
struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
