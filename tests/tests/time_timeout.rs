//! `magpie::time::timeout`, against tokio's public API shape.

use magpie::time::error::Elapsed;
use magpie::time::{Duration, Instant, sleep, timeout, timeout_at};
use std::future::{Future, pending, ready};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::task::{Context, Poll};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[magpie::test]
async fn completes_in_time() {
    assert_eq!(timeout(ms(100), async { 3 }).await, Ok(3));
    assert_eq!(timeout(ms(100), sleep(ms(5))).await, Ok(()));
}

#[magpie::test]
async fn ready_inner_future_wins_even_with_zero_timeout() {
    assert_eq!(timeout(Duration::ZERO, ready(1)).await, Ok(1));
    assert_eq!(timeout_at(Instant::now() - ms(5), ready(2)).await, Ok(2));
}

#[magpie::test]
async fn elapses_after_at_least_the_duration() {
    let begin = std::time::Instant::now();
    let res = timeout(ms(20), pending::<()>()).await;
    assert!(res.is_err());
    assert!(begin.elapsed() >= ms(20));
    let err: Elapsed = res.unwrap_err();
    assert_eq!(err.to_string(), "deadline has elapsed");
    let io: std::io::Error = err.into();
    assert_eq!(io.kind(), std::io::ErrorKind::TimedOut);
}

/// The deadline counts from the call to `timeout`, not from the first
/// poll: a timeout first polled after its duration has passed elapses on
/// that poll (if the inner future is pending), as tokio's does.
#[magpie::test]
async fn duration_counts_from_creation_not_first_poll() {
    let begin = std::time::Instant::now();
    let t = timeout(ms(100), pending::<()>());
    std::thread::sleep(ms(200));
    assert!(t.await.is_err());
    // Counted from the first poll it would elapse at 300 ms.
    let took = begin.elapsed();
    assert!(took < ms(280), "elapsed after {took:?}");

    // Polled in time, it still elapses no earlier than `duration` after
    // creation, and not long after.
    let begin = std::time::Instant::now();
    let mut t = std::pin::pin!(timeout(ms(150), pending::<()>()));
    std::thread::sleep(ms(100));
    std::future::poll_fn(|cx| {
        assert!(t.as_mut().poll(cx).is_pending());
        Poll::Ready(())
    })
    .await;
    assert!(t.await.is_err());
    let took = begin.elapsed();
    assert!(took >= ms(150), "elapsed early, after {took:?}");
    // Counted from the first poll it would elapse at 250 ms.
    assert!(took < ms(220), "elapsed after {took:?}");
}

#[magpie::test(start_paused = true)]
async fn timeout_at_under_paused_time() {
    let start = Instant::now();
    assert!(timeout_at(start + ms(30), sleep(ms(50))).await.is_err());
    assert_eq!(Instant::now(), start + ms(30));
    assert!(timeout_at(start + ms(100), sleep(ms(50))).await.is_ok());
    assert_eq!(Instant::now(), start + ms(80));
}

struct DropCount(Arc<AtomicUsize>);

impl Drop for DropCount {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

#[magpie::test(start_paused = true)]
async fn elapsed_timeout_drops_the_inner_future() {
    let drops = Arc::new(AtomicUsize::new(0));
    let guard = DropCount(drops.clone());
    let res = timeout(ms(10), async move {
        let _guard = guard;
        pending::<()>().await
    })
    .await;
    assert!(res.is_err());
    assert_eq!(drops.load(SeqCst), 1);
}

#[magpie::test]
async fn accessors() {
    let mut t = timeout(ms(10), ready(5));
    let inner: &std::future::Ready<i32> = t.get_ref();
    assert_eq!(format!("{inner:?}"), "Ready(Some(5))");
    let inner: &mut std::future::Ready<i32> = t.get_mut();
    assert_eq!(format!("{inner:?}"), "Ready(Some(5))");
    assert_eq!(t.into_inner().await, 5);
}

/// A future that spends its whole coop budget on every poll and never
/// completes; a naive timeout would never see its timer.
struct Greedy;

impl Future for Greedy {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Each consume_budget poll spends one unit, and returns Pending
        // (after waking the task) once the budget is gone.
        loop {
            let mut f = std::pin::pin!(magpie::task::consume_budget());
            if f.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
    }
}

#[magpie::test]
async fn timer_fires_even_if_the_inner_future_exhausts_the_budget() {
    let begin = std::time::Instant::now();
    assert!(timeout(ms(20), Greedy).await.is_err());
    assert!(begin.elapsed() >= ms(20));
}

#[magpie::test]
async fn timeout_accepts_into_future() {
    struct Later;
    impl std::future::IntoFuture for Later {
        type Output = u8;
        type IntoFuture = std::future::Ready<u8>;
        fn into_future(self) -> Self::IntoFuture {
            ready(9)
        }
    }
    assert_eq!(timeout(ms(5), Later).await, Ok(9));
}
