//! `magpie::time::interval`, against tokio's public API shape.

use magpie::time::{self, Duration, Instant, MissedTickBehavior, interval, interval_at};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[magpie::test(start_paused = true)]
async fn first_tick_is_immediate_then_every_period() {
    let start = Instant::now();
    let mut i = interval(ms(10));
    assert_eq!(i.period(), ms(10));
    assert_eq!(i.missed_tick_behavior(), MissedTickBehavior::Burst);
    assert_eq!(i.tick().await, start);
    for n in 1..=10 {
        assert_eq!(i.tick().await, start + ms(10 * n));
        assert_eq!(Instant::now(), start + ms(10 * n));
    }
}

#[magpie::test(start_paused = true)]
async fn spacing_holds_while_other_tasks_sleep() {
    let start = Instant::now();
    let noise = magpie::spawn(async {
        for _ in 0..30 {
            time::sleep(ms(3)).await;
        }
    });
    let mut i = interval_at(start + ms(5), ms(7));
    let mut ticks = Vec::new();
    for _ in 0..8 {
        ticks.push(i.tick().await);
    }
    for (n, t) in ticks.iter().enumerate() {
        assert_eq!(*t, start + ms(5 + 7 * n as u64));
    }
    noise.await.unwrap();
}

#[magpie::test]
async fn real_time_ticks_are_at_least_a_period_apart() {
    let mut i = interval(ms(10));
    i.tick().await;
    let begin = std::time::Instant::now();
    i.tick().await;
    i.tick().await;
    assert!(begin.elapsed() >= ms(15));
}

/// Ticks at 0, falls 35 ms behind, and returns the next four ticks (ms).
async fn missed(behavior: MissedTickBehavior) -> Vec<u64> {
    let start = Instant::now();
    let mut i = interval(ms(10));
    i.set_missed_tick_behavior(behavior);
    assert_eq!(i.missed_tick_behavior(), behavior);
    assert_eq!(i.tick().await, start);
    time::advance(ms(35)).await;
    let mut ticks = Vec::new();
    for _ in 0..4 {
        ticks.push((i.tick().await - start).as_millis() as u64);
    }
    ticks
}

#[magpie::test(start_paused = true)]
async fn missed_ticks_burst() {
    assert_eq!(missed(MissedTickBehavior::Burst).await, [10, 20, 30, 40]);
}

#[magpie::test(start_paused = true)]
async fn missed_ticks_delay() {
    assert_eq!(missed(MissedTickBehavior::Delay).await, [10, 45, 55, 65]);
}

#[magpie::test(start_paused = true)]
async fn missed_ticks_skip() {
    assert_eq!(missed(MissedTickBehavior::Skip).await, [10, 40, 50, 60]);
}

#[magpie::test(start_paused = true)]
async fn resets() {
    let start = Instant::now();
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
}

#[magpie::test(start_paused = true)]
async fn poll_tick_is_usable_by_hand() {
    let start = Instant::now();
    let mut i = interval(ms(10));
    let first = std::future::poll_fn(|cx| i.poll_tick(cx)).await;
    assert_eq!(first, start);
    let second = std::future::poll_fn(|cx| i.poll_tick(cx)).await;
    assert_eq!(second, start + ms(10));
}

#[magpie::test]
#[should_panic(expected = "`period` must be non-zero.")]
async fn zero_period_panics() {
    let _ = interval(Duration::ZERO);
}

#[magpie::test]
#[should_panic(expected = "`period` must be non-zero.")]
async fn zero_period_interval_at_panics() {
    let _ = interval_at(Instant::now(), Duration::ZERO);
}
