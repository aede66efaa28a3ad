//! `yield_now`.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

/// Yields execution back to the scheduler (`tokio::task::yield_now`).
///
/// The task is woken at once and queued *behind* the other ready tasks
/// (never into the LIFO slot), so they get to run first.
///
/// ```
/// # magpie::runtime::Runtime::new().unwrap().block_on(async {
/// magpie::task::yield_now().await;
/// # });
/// ```
pub async fn yield_now() {
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

    YieldNow { yielded: false }.await
}
