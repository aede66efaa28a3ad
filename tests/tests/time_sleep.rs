//! `magpie::time::sleep` and friends, against tokio's public API shape.

use magpie::time::{self, Duration, Instant, Sleep, sleep, sleep_until};
use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::task::{Context, Poll};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[magpie::test]
async fn sleep_waits_at_least_its_duration() {
    let begin = std::time::Instant::now();
    sleep(ms(30)).await;
    assert!(begin.elapsed() >= ms(30));
}

#[magpie::test]
async fn sleep_until_waits_for_the_deadline() {
    let deadline = Instant::now() + ms(25);
    sleep_until(deadline).await;
    assert!(Instant::now() >= deadline);
}

#[magpie::test]
async fn zero_and_past_sleeps_complete() {
    sleep(Duration::ZERO).await;
    sleep_until(Instant::now() - ms(10)).await;
}

#[magpie::test]
async fn deadline_and_is_elapsed() {
    let deadline = Instant::now() + ms(10);
    let s = sleep_until(deadline);
    let mut s = std::pin::pin!(s);
    assert_eq!(s.deadline(), deadline);
    assert!(!s.is_elapsed());
    s.as_mut().await;
    assert!(s.is_elapsed());
}

#[magpie::test(start_paused = true)]
async fn reset_earlier_and_later() {
    let start = Instant::now();
    let s = sleep(ms(100));
    let mut s = std::pin::pin!(s);
    assert!(poll_once(s.as_mut()).await.is_pending());
    s.as_mut().reset(start + ms(40));
    s.as_mut().await;
    assert_eq!(Instant::now(), start + ms(40));

    s.as_mut().reset(Instant::now() + ms(10));
    assert!(!s.is_elapsed());
    assert!(poll_once(s.as_mut()).await.is_pending());
    s.as_mut().reset(start + ms(300));
    s.as_mut().await;
    assert_eq!(Instant::now(), start + ms(300));
}

#[magpie::test(start_paused = true)]
async fn an_hour_long_sleep_returns_at_once_when_paused() {
    let start = Instant::now();
    let wall = std::time::Instant::now();
    sleep(Duration::from_secs(3600)).await;
    assert_eq!(Instant::now(), start + Duration::from_secs(3600));
    assert!(wall.elapsed() < Duration::from_secs(60));
}

#[magpie::test(start_paused = true)]
async fn spawned_sleeps_complete_in_deadline_order() {
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let mut handles = Vec::new();
    for d in [50u64, 10, 40, 20, 30] {
        let order = order.clone();
        handles.push(magpie::spawn(async move {
            sleep(ms(d)).await;
            order.lock().unwrap().push(d);
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), vec![10, 20, 30, 40, 50]);
}

#[magpie::test]
async fn dropping_a_sleep_releases_its_waker() {
    struct Noop;
    impl std::task::Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let count = std::sync::Arc::new(Noop);
    let waker = std::task::Waker::from(count.clone());
    let mut s = Box::pin(sleep(Duration::from_secs(3600)));
    assert!(
        s.as_mut()
            .poll(&mut Context::from_waker(&waker))
            .is_pending()
    );
    drop(waker);
    assert_eq!(std::sync::Arc::strong_count(&count), 2);
    drop(s);
    assert_eq!(std::sync::Arc::strong_count(&count), 1);
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn sleeps_work_across_workers() {
    let mut handles = Vec::new();
    for i in 0..100u64 {
        handles.push(magpie::spawn(async move {
            let begin = Instant::now();
            sleep(ms(i % 20)).await;
            assert!(begin.elapsed() >= ms(i % 20));
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
}

/// Polls every sleep in `sleeps` until all completed, dropping each as it
/// completes.
async fn join_sleeps(mut sleeps: Vec<Pin<Box<Sleep>>>) {
    poll_fn(|cx| {
        let mut i = 0;
        while i < sleeps.len() {
            if sleeps[i].as_mut().poll(cx).is_ready() {
                drop(sleeps.swap_remove(i));
            } else {
                i += 1;
            }
        }
        if sleeps.is_empty() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    })
    .await
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_million_concurrent_sleeps_complete() {
    const TASKS: u64 = 1_000;
    const PER_TASK: u64 = 1_000;
    let begin = Instant::now();
    // Every sleep is created before any can fire: all 10^6 are pending at
    // once, with deadlines spread over 10 ms.
    let base = begin + Duration::from_millis(500);
    let mut handles = Vec::new();
    for t in 0..TASKS {
        handles.push(magpie::spawn(async move {
            let sleeps = (0..PER_TASK)
                .map(|j| Box::pin(sleep_until(base + ms((t + j) % 10))))
                .collect();
            join_sleeps(sleeps).await;
            Instant::now()
        }));
    }
    for h in handles {
        let done = h.await.unwrap();
        assert!(done >= base);
    }
}

#[test]
#[should_panic(expected = "runtime")]
fn sleep_outside_a_runtime_panics() {
    drop(sleep(ms(1)));
}

#[test]
#[should_panic(expected = "enable_time")]
fn sleep_on_a_runtime_without_time_panics() {
    let rt = magpie::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        sleep(ms(1)).await;
    });
}

#[test]
fn block_on_a_sleep_created_inside_works() {
    let rt = magpie::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async { time::sleep(ms(5)).await });
}

/// Polls `f` once, returning what it returned.
async fn poll_once<F: Future + Unpin>(mut f: F) -> Poll<F::Output> {
    poll_fn(|cx: &mut Context<'_>| Poll::Ready(Pin::new(&mut f).poll(cx))).await
}
