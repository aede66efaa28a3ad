//! `pause`, `resume`, `advance` and `Instant`, against tokio's public API
//! shape.

use magpie::time::{self, Duration, Instant, sleep};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[magpie::test(start_paused = true)]
async fn paused_instant_only_moves_with_advance() {
    let start = Instant::now();
    std::thread::sleep(ms(5));
    assert_eq!(Instant::now(), start);
    time::advance(ms(250)).await;
    assert_eq!(Instant::now(), start + ms(250));
    assert_eq!(start.elapsed(), ms(250));
}

#[magpie::test]
async fn pause_then_resume() {
    time::pause();
    let frozen = Instant::now();
    std::thread::sleep(ms(5));
    assert_eq!(Instant::now(), frozen);
    time::advance(ms(20)).await;
    assert_eq!(Instant::now(), frozen + ms(20));
    time::resume();
    std::thread::sleep(ms(5));
    assert!(Instant::now() >= frozen + ms(25));
}

#[magpie::test(start_paused = true)]
async fn advance_completes_sleeps_it_passes() {
    let start = Instant::now();
    let a = magpie::spawn(async move {
        sleep(ms(10)).await;
        Instant::now()
    });
    let b = magpie::spawn(async move {
        sleep(ms(30)).await;
        Instant::now()
    });
    // Let both register.
    magpie::task::yield_now().await;
    time::advance(ms(20)).await;
    let a = a.await.unwrap();
    assert!(
        a >= start + ms(10) && a <= start + ms(20),
        "{:?}",
        a - start
    );
    let b = b.await.unwrap();
    assert_eq!(b, start + ms(30));
}

#[magpie::test(start_paused = true)]
async fn blocking_work_inhibits_auto_advance() {
    let start = Instant::now();
    let blocking = magpie::task::spawn_blocking(|| {
        std::thread::sleep(ms(50));
        Instant::now()
    });
    // While the blocking task runs the runtime is idle, but must not jump
    // the clock over work it cannot see.
    let sleeper = magpie::spawn(async move {
        sleep(Duration::from_secs(3600)).await;
        Instant::now()
    });
    assert_eq!(blocking.await.unwrap(), start);
    assert_eq!(sleeper.await.unwrap(), start + Duration::from_secs(3600));
}

#[magpie::test(start_paused = true)]
#[should_panic(expected = "time is already frozen")]
async fn pausing_twice_panics() {
    time::pause();
}

#[magpie::test]
#[should_panic(expected = "time is not frozen")]
async fn resume_without_pause_panics() {
    time::resume();
}

#[magpie::test]
#[should_panic(expected = "time is not frozen")]
async fn advance_without_pause_panics() {
    time::advance(ms(1)).await;
}

#[test]
#[should_panic(expected = "time cannot be frozen from outside the")]
fn pause_outside_a_runtime_panics() {
    time::pause();
}

#[test]
fn instant_arithmetic_outside_a_runtime() {
    let a = Instant::now();
    let b = a + ms(10);
    assert_eq!(b - a, ms(10));
    assert_eq!(a - b, Duration::ZERO);
    assert_eq!(b.duration_since(a), ms(10));
    assert_eq!(a.saturating_duration_since(b), Duration::ZERO);
    assert_eq!(a.checked_duration_since(b), None);
    assert_eq!(b.checked_sub(ms(10)), Some(a));
    assert_eq!(a.checked_add(ms(10)), Some(b));
    let mut c = a;
    c += ms(3);
    c -= ms(1);
    assert_eq!(c, a + ms(2));
    assert_eq!(Instant::from_std(a.into_std()), a);
    let std: std::time::Instant = b.into();
    assert_eq!(Instant::from(std), b);
    assert!(a.elapsed() < Duration::from_secs(3600));
}
