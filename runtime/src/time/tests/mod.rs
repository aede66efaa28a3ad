//! Unit tests of `magpie::time` on a tiny single-future executor: it makes
//! the driver current, polls with a fresh coop budget, and on `Pending`
//! parks the driver (which fires timers, auto-advancing paused time).

use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::Ordering::SeqCst;
use crate::loom::sync::{Arc, Mutex};
use crate::time::error::Elapsed;
use crate::time::{
    Duration, Instant, MissedTickBehavior, advance, interval, interval_at, pause, resume, sleep,
    sleep_until, timeout, timeout_at,
};
use magpie_reactor::{Config, Driver, Handle};
use std::future::{Future, poll_fn};
use std::pin::{Pin, pin};

use std::task::{Context, Poll, Wake, Waker};

struct Unpark(Handle);

impl Wake for Unpark {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.unpark();
    }
}

struct Rt {
    driver: Driver,
    handle: Handle,
}

fn rt(start_paused: bool) -> Rt {
    let (driver, handle) = Driver::new(Config {
        enable_io: false,
        enable_time: true,
        start_paused,
        max_io_events_per_tick: 0,
    })
    .unwrap();
    Rt { driver, handle }
}

impl Rt {
    /// Runs `f` to completion; fails the test after 10 s of wall time.
    fn block_on<F: Future>(&mut self, f: F) -> F::Output {
        let _guard = crate::context::set_driver(self.handle.clone());
        let waker = Waker::from(std::sync::Arc::new(Unpark(self.handle.clone())));
        let mut cx = Context::from_waker(&waker);
        let mut f = pin!(f);
        let limit = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            if let Poll::Ready(v) = crate::coop::budget(|| f.as_mut().poll(&mut cx)) {
                return v;
            }
            assert!(std::time::Instant::now() < limit, "block_on: no progress");
            self.driver.park(&self.handle);
        }
    }

    fn now(&self) -> Instant {
        Instant::from_std(self.handle.clock().now())
    }
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let err = std::panic::catch_unwind(f).expect_err("expected a panic");
    err.downcast_ref::<String>()
        .cloned()
        .or_else(|| err.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_default()
}

#[test]
fn sleep_lasts_at_least_its_duration() {
    let mut rt = rt(false);
    let begin = std::time::Instant::now();
    rt.block_on(async { sleep(ms(20)).await });
    assert!(begin.elapsed() >= ms(20));
    let begin = std::time::Instant::now();
    rt.block_on(async { sleep_until(Instant::now() + ms(15)).await });
    assert!(begin.elapsed() >= ms(15));
}

#[test]
fn auto_advance_makes_an_hour_instant() {
    let mut rt = rt(true);
    let start = rt.now();
    let wall = std::time::Instant::now();
    rt.block_on(async {
        sleep(Duration::from_secs(3600)).await;
        assert_eq!(Instant::now(), start + Duration::from_secs(3600));
    });
    assert!(wall.elapsed() < Duration::from_secs(60));
}

#[test]
fn sleep_in_the_past_is_ready_and_elapsed() {
    let mut rt = rt(true);
    rt.block_on(async {
        let s = sleep_until(Instant::now());
        let mut s = pin!(s);
        assert!(!s.is_elapsed());
        s.as_mut().await;
        assert!(s.is_elapsed());
    });
}

#[test]
fn sleep_reset_earlier_and_later() {
    let mut rt = rt(true);
    let start = rt.now();
    rt.block_on(async {
        let s = sleep(ms(100));
        let mut s = pin!(s);
        assert_eq!(s.deadline(), start + ms(100));
        assert!(
            poll_fn(|cx| Poll::Ready(s.as_mut().poll(cx)))
                .await
                .is_pending()
        );
        s.as_mut().reset(start + ms(50));
        assert_eq!(s.deadline(), start + ms(50));
        s.as_mut().await;
        assert_eq!(Instant::now(), start + ms(50));

        s.as_mut().reset(Instant::now() + ms(10));
        assert!(!s.is_elapsed());
        assert!(
            poll_fn(|cx| Poll::Ready(s.as_mut().poll(cx)))
                .await
                .is_pending()
        );
        s.as_mut().reset(start + ms(200));
        s.as_mut().await;
        assert_eq!(Instant::now(), start + ms(200));
    });
}

#[test]
fn dropping_a_sleep_releases_its_waker_at_once() {
    struct Count;
    impl Wake for Count {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let mut rt = rt(true);
    rt.block_on(async {
        let count = std::sync::Arc::new(Count);
        let waker = Waker::from(count.clone());
        let mut s = Box::pin(sleep(ms(10)));
        assert!(
            s.as_mut()
                .poll(&mut Context::from_waker(&waker))
                .is_pending()
        );
        drop(waker);
        assert_eq!(std::sync::Arc::strong_count(&count), 2);
        drop(s);
        assert_eq!(std::sync::Arc::strong_count(&count), 1);
    });
}

#[test]
fn sleep_spends_the_coop_budget() {
    let mut rt = rt(true);
    rt.block_on(async {
        let now = Instant::now();
        let s = sleep_until(now);
        let mut s = pin!(s);
        let readies = poll_fn(|cx| {
            let mut readies = 0;
            while s.as_mut().poll(cx).is_ready() {
                readies += 1;
                s.as_mut().reset(now);
                assert!(readies <= 1000, "budget never ran out");
            }
            Poll::Ready(readies)
        })
        .await;
        assert_eq!(readies, usize::from(crate::coop::INITIAL));
    });
}

#[test]
fn advance_fires_timers_in_deadline_order() {
    struct Record {
        id: u64,
        order: Arc<Mutex<Vec<u64>>>,
        outer: Waker,
    }
    impl Wake for Record {
        fn wake(self: std::sync::Arc<Self>) {
            self.order.lock().push(self.id);
            self.outer.wake_by_ref();
        }
    }
    let mut rt = rt(true);
    let start = rt.now();
    let order = Arc::new(Mutex::new(Vec::new()));
    rt.block_on(async {
        let mut sleeps: Vec<_> = [30u64, 10, 20, 25, 5]
            .into_iter()
            .map(|d| (d, Box::pin(sleep(ms(d)))))
            .collect();
        poll_fn(|cx| {
            for (id, s) in &mut sleeps {
                let waker = Waker::from(std::sync::Arc::new(Record {
                    id: *id,
                    order: order.clone(),
                    outer: cx.waker().clone(),
                }));
                assert!(
                    s.as_mut()
                        .poll(&mut Context::from_waker(&waker))
                        .is_pending()
                );
            }
            Poll::Ready(())
        })
        .await;
        advance(ms(40)).await;
        assert_eq!(Instant::now(), start + ms(40));
        for (_, s) in &mut sleeps {
            s.as_mut().await;
        }
    });
    assert_eq!(*order.lock(), vec![5, 10, 20, 25, 30]);
}

#[test]
fn timeout_ok_and_elapsed() {
    let mut rt = rt(true);
    let start = rt.now();
    rt.block_on(async {
        assert_eq!(timeout(ms(10), async { 7 }).await, Ok(7));
        // The inner future is polled first, even with a zero timeout.
        assert_eq!(timeout(Duration::ZERO, std::future::ready(1)).await, Ok(1));
        let late = timeout(ms(10), sleep(ms(20))).await;
        assert_eq!(late, Err(Elapsed::new()));
        assert_eq!(Instant::now(), start + ms(10));
        let early = timeout_at(Instant::now() + ms(30), sleep(ms(20))).await;
        assert_eq!(early, Ok(()));
        assert_eq!(Instant::now(), start + ms(30));
    });
}

#[test]
fn timeout_err_drops_the_inner_future() {
    struct Flag(Arc<AtomicUsize>);
    impl Drop for Flag {
        fn drop(&mut self) {
            self.0.fetch_add(1, SeqCst);
        }
    }
    let drops = Arc::new(AtomicUsize::new(0));
    let mut rt = rt(true);
    rt.block_on(async {
        let flag = Flag(drops.clone());
        let inner = async move {
            let _flag = flag;
            std::future::pending::<()>().await
        };
        let mut t = Box::pin(timeout(ms(10), inner));
        assert!(
            poll_fn(|cx| Poll::Ready(t.as_mut().poll(cx)))
                .await
                .is_pending()
        );
        assert_eq!(drops.load(SeqCst), 0);
        assert!(t.as_mut().await.is_err());
        drop(t);
        assert_eq!(drops.load(SeqCst), 1);
        // And through `.await` directly: the Timeout is gone with the result.
        let flag = Flag(drops.clone());
        let inner = async move {
            let _flag = flag;
            std::future::pending::<()>().await
        };
        assert!(timeout(ms(10), inner).await.is_err());
        assert_eq!(drops.load(SeqCst), 2);
    });
}

#[test]
fn timeout_accessors() {
    struct Tagged(u32);
    impl Future for Tagged {
        type Output = u32;
        fn poll(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<u32> {
            Poll::Ready(self.0)
        }
    }
    let mut rt = rt(true);
    rt.block_on(async {
        let mut t = timeout(ms(10), Tagged(5));
        assert_eq!(t.get_ref().0, 5);
        t.get_mut().0 = 6;
        assert_eq!(t.into_inner().await, 6);
    });
}

#[test]
fn timeout_checks_the_timer_when_the_inner_future_exhausts_the_budget() {
    let mut rt = rt(false);
    let begin = std::time::Instant::now();
    let result = rt.block_on(async {
        // Spends every unit, then yields (woken again by poll_proceed).
        let greedy = poll_fn(|cx| {
            loop {
                match crate::coop::poll_proceed(cx) {
                    Poll::Ready(restore) => restore.made_progress(),
                    Poll::Pending => return Poll::<()>::Pending,
                }
            }
        });
        timeout(ms(20), greedy).await
    });
    assert!(result.is_err());
    assert!(begin.elapsed() >= ms(20));
}

#[test]
fn interval_ticks_at_period_and_first_tick_is_immediate() {
    let mut rt = rt(true);
    let start = rt.now();
    rt.block_on(async {
        let mut i = interval(ms(10));
        assert_eq!(i.period(), ms(10));
        assert_eq!(i.missed_tick_behavior(), MissedTickBehavior::Burst);
        assert_eq!(i.tick().await, start);
        assert_eq!(Instant::now(), start);
        for n in 1..=5 {
            assert_eq!(i.tick().await, start + ms(10 * n));
            assert_eq!(Instant::now(), start + ms(10 * n));
        }
        let mut at = interval_at(start + ms(100), ms(7));
        assert_eq!(at.tick().await, start + ms(100));
        assert_eq!(at.tick().await, start + ms(107));
    });
}

/// Ticks at 0, then falls 35 ms behind, and returns the next four ticks.
fn missed_ticks(behavior: MissedTickBehavior) -> Vec<u64> {
    let mut rt = rt(true);
    let start = rt.now();
    rt.block_on(async {
        let mut i = interval(ms(10));
        i.set_missed_tick_behavior(behavior);
        assert_eq!(i.tick().await, start);
        advance(ms(35)).await;
        let mut ticks = Vec::new();
        for _ in 0..4 {
            ticks.push((i.tick().await - start).as_millis() as u64);
        }
        ticks
    })
}

#[test]
fn missed_tick_burst() {
    assert_eq!(missed_ticks(MissedTickBehavior::Burst), [10, 20, 30, 40]);
}

#[test]
fn missed_tick_delay() {
    assert_eq!(missed_ticks(MissedTickBehavior::Delay), [10, 45, 55, 65]);
}

#[test]
fn missed_tick_skip() {
    assert_eq!(missed_ticks(MissedTickBehavior::Skip), [10, 40, 50, 60]);
}

#[test]
fn interval_resets() {
    let mut rt = rt(true);
    let start = rt.now();
    rt.block_on(async {
        let mut i = interval(ms(10));
        i.tick().await;
        i.reset();
        assert_eq!(i.tick().await, start + ms(10));
        i.reset_after(ms(3));
        assert_eq!(i.tick().await, start + ms(13));
        i.reset_at(start + ms(50));
        assert_eq!(i.tick().await, start + ms(50));
        i.reset_immediately();
        assert_eq!(i.tick().await, start + ms(50));
        assert_eq!(i.tick().await, start + ms(60));
    });
}

#[test]
fn interval_zero_period_panics() {
    let mut rt = rt(true);
    rt.block_on(async {
        let msg = panic_message(|| drop(interval(Duration::ZERO)));
        assert_eq!(msg, "`period` must be non-zero.");
        let msg = panic_message(|| drop(interval_at(Instant::now(), Duration::ZERO)));
        assert_eq!(msg, "`period` must be non-zero.");
    });
}

#[test]
fn pause_resume_advance() {
    let mut rt = rt(false);
    rt.block_on(async {
        pause();
        let frozen = Instant::now();
        std::thread::sleep(ms(2));
        assert_eq!(Instant::now(), frozen);
        advance(ms(5)).await;
        assert_eq!(Instant::now(), frozen + ms(5));
        assert_eq!(panic_message(pause), "time is already frozen");
        resume();
        assert_eq!(panic_message(resume), "time is not frozen");
        let msg = panic_message(|| {
            let f = pin!(advance(ms(1)));
            let _ = f.poll(&mut Context::from_waker(Waker::noop()));
        });
        assert_eq!(msg, "time is not frozen");
        assert!(Instant::now() >= frozen + ms(5));
    });
}

#[test]
fn instant_arithmetic() {
    let a = Instant::now();
    let b = a + ms(10);
    assert_eq!(b - a, ms(10));
    assert_eq!(a - b, Duration::ZERO);
    assert_eq!(b.duration_since(a), ms(10));
    assert_eq!(a.saturating_duration_since(b), Duration::ZERO);
    assert_eq!(a.checked_duration_since(b), None);
    assert_eq!(b.checked_sub(ms(10)), Some(a));
    assert_eq!(a.checked_add(ms(10)), Some(b));
    assert_eq!(b - ms(10), a);
    let mut c = a;
    c += ms(3);
    c -= ms(1);
    assert_eq!(c, a + ms(2));
    assert_eq!(Instant::from_std(a.into_std()), a);
    let std: std::time::Instant = b.into();
    assert_eq!(Instant::from(std), b);
    assert!(a.elapsed() < Duration::from_secs(3600));
}

#[test]
fn instant_now_follows_the_paused_clock() {
    let mut rt = rt(true);
    let start = rt.now();
    rt.block_on(async {
        assert_eq!(Instant::now(), start);
        std::thread::sleep(ms(2));
        assert_eq!(Instant::now(), start);
        advance(ms(1500)).await;
        assert_eq!(Instant::now(), start + ms(1500));
        assert_eq!(start.elapsed(), ms(1500));
    });
}

#[test]
fn timers_need_a_runtime_with_time() {
    let msg = panic_message(|| drop(sleep(ms(1))));
    assert!(
        msg.contains("must be called from within a magpie runtime"),
        "{msg}"
    );
    let msg = panic_message(|| drop(timeout(ms(1), async {})));
    assert!(
        msg.contains("must be called from within a magpie runtime"),
        "{msg}"
    );
    let msg = panic_message(pause);
    assert!(msg.contains("outside the magpie runtime"), "{msg}");

    let (_driver, handle) = Driver::new(Config::default()).unwrap();
    let _guard = crate::context::set_driver(handle);
    let msg = panic_message(|| drop(interval(ms(1))));
    assert!(msg.contains("the timer is disabled"), "{msg}");
    assert!(msg.contains("enable_time"), "{msg}");
}

#[test]
fn shutdown_makes_pending_sleeps_panic_with_the_timer_error() {
    let mut rt = rt(true);
    let _guard = crate::context::set_driver(rt.handle.clone());
    let mut s = Box::pin(sleep(ms(10)));
    assert!(
        s.as_mut()
            .poll(&mut Context::from_waker(Waker::noop()))
            .is_pending()
    );
    rt.driver.shutdown(&rt.handle);
    let msg = panic_message(std::panic::AssertUnwindSafe(|| {
        let _ = s.as_mut().poll(&mut Context::from_waker(Waker::noop()));
    }));
    assert!(
        msg.starts_with("timer error: the timer is shutdown"),
        "{msg}"
    );
}

#[test]
fn timer_types_are_send_and_sync() {
    fn send_sync<T: Send + Sync>() {}
    send_sync::<crate::time::Sleep>();
    send_sync::<crate::time::Timeout<std::future::Ready<()>>>();
    send_sync::<crate::time::Interval>();
    send_sync::<Instant>();
    send_sync::<Elapsed>();
    send_sync::<crate::time::error::Error>();
}
