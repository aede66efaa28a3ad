//! Many concurrent timers: one million sleeping tasks (100 000 in debug
//! builds, which are ~10x slower) all pending at once, then all completed,
//! with the memory per sleeping task (task + its timer entry) printed.
//!
//! Paused time: once every task is registered, the clock auto-advances to
//! each deadline in turn, so the test takes as long as the spawning, not as
//! long as the sleeps.

use magpie::time::{Duration, sleep};
use magpie_tests::rss_bytes;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

const TASKS: usize = if cfg!(debug_assertions) {
    100_000
} else {
    1_000_000
};

#[magpie::test(start_paused = true)]
async fn a_million_concurrent_sleeps_complete() {
    let registered = Arc::new(AtomicUsize::new(0));
    let before = rss_bytes();
    let handles: Vec<_> = (0..TASKS)
        .map(|i| {
            let registered = registered.clone();
            // Deadlines spread over a minute, so every wheel level is used.
            let d = Duration::from_millis(1 + (i as u64 * 7919) % 60_000);
            magpie::spawn(async move {
                let s = sleep(d);
                let mut s = std::pin::pin!(s);
                // Poll once (registers the timer), then count.
                std::future::poll_fn(|cx| {
                    let _ = s.as_mut().poll(cx);
                    std::task::Poll::Ready(())
                })
                .await;
                registered.fetch_add(1, SeqCst);
                s.await;
                d
            })
        })
        .collect();
    while registered.load(SeqCst) < TASKS {
        magpie::task::yield_now().await;
    }
    let peak = rss_bytes();
    let per_timer = (peak.saturating_sub(before)) as f64 / TASKS as f64;
    println!(
        "{TASKS} sleeping tasks pending at once: {per_timer:.0} bytes each \
         (task, timer entry and JoinHandle slot; RSS delta)"
    );
    let start = magpie::time::Instant::now();
    let mut longest = Duration::ZERO;
    for h in handles {
        longest = longest.max(h.await.expect("sleeper failed"));
    }
    // Every sleep completed, and the paused clock (still while the tasks
    // were spawned) had to reach the longest deadline for that.
    assert!(
        start.elapsed() >= longest,
        "{:?} < {longest:?}",
        start.elapsed()
    );
    assert!(per_timer < 2048.0, "{per_timer} bytes per sleeping task");
}
