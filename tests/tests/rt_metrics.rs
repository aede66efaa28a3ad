//! `RuntimeMetrics`: counters move as tokio documents them.

use magpie::runtime::{Builder, RuntimeMetrics};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Waits (bounded) until `f` holds: per-worker counters are published when
/// the worker parks.
fn eventually(m: &RuntimeMetrics, what: &str, f: impl Fn(&RuntimeMetrics) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !f(m) {
        assert!(Instant::now() < deadline, "never true: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn sum(m: &RuntimeMetrics, f: impl Fn(&RuntimeMetrics, usize) -> u64) -> u64 {
    (0..m.num_workers()).map(|w| f(m, w)).sum()
}

#[test]
fn multi_thread_counters() {
    const CHILDREN: usize = 64;
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    let m = rt.metrics();
    let done = Arc::new(AtomicUsize::new(0));
    let d = done.clone();
    rt.block_on(rt.spawn(async move {
        for _ in 0..CHILDREN {
            let d = d.clone();
            magpie::spawn(async move {
                d.fetch_add(1, Ordering::SeqCst);
            });
        }
        // Block this worker: children can only run if the other worker
        // steals them from our deque.
        // At least 5 ms, so that this worker has busy time to report.
        let start = Instant::now();
        let deadline = start + Duration::from_secs(5);
        while (d.load(Ordering::SeqCst) == 0 || start.elapsed() < Duration::from_millis(5))
            && Instant::now() < deadline
        {
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(
            d.load(Ordering::SeqCst) > 0,
            "nobody stole from a blocked worker"
        );
    }))
    .unwrap();
    eventually(&m, "all children ran", |_| {
        done.load(Ordering::SeqCst) == CHILDREN
    });

    assert_eq!(m.spawned_tasks_count(), 1 + CHILDREN as u64);
    assert!(
        m.remote_schedule_count() >= 1,
        "the parent came from outside"
    );
    let ops = sum(&m, RuntimeMetrics::worker_steal_operations);
    assert!(ops >= 1);
    assert!(sum(&m, RuntimeMetrics::worker_steal_count) >= ops);
    eventually(&m, "every poll published", |m| {
        sum(m, RuntimeMetrics::worker_poll_count) > CHILDREN as u64
    });
    eventually(&m, "local schedules published", |m| {
        sum(m, RuntimeMetrics::worker_local_schedule_count) >= CHILDREN as u64
    });
    eventually(&m, "both workers idle", |m| m.num_alive_tasks() == 0);
    for w in 0..2 {
        assert!(m.worker_unpark_count(w) <= m.worker_park_count(w));
        assert!(m.worker_noop_count(w) <= m.worker_park_count(w));
        assert_eq!(m.worker_overflow_count(w), 0);
        assert_eq!(m.worker_local_queue_depth(w), 0);
    }
    // The parent blocked a worker for a while: that is busy time.
    eventually(&m, "busy time recorded", |m| {
        (0..2)
            .map(|w| m.worker_total_busy_duration(w))
            .sum::<Duration>()
            >= Duration::from_millis(1)
    });
}

#[test]
fn current_thread_counters() {
    let rt = Builder::new_current_thread().enable_time().build().unwrap();
    let m = rt.metrics();
    rt.block_on(async {
        let a = magpie::spawn(async {
            for _ in 0..3 {
                magpie::task::yield_now().await;
            }
        });
        a.await.unwrap();
        magpie::time::sleep(Duration::from_millis(5)).await;
    });
    assert_eq!(m.num_workers(), 1);
    assert_eq!(m.spawned_tasks_count(), 1);
    assert_eq!(m.worker_poll_count(0), 4, "first poll + 3 yields");
    // The spawn and the 3 yields were scheduled on the runtime's thread.
    assert_eq!(m.worker_local_schedule_count(0), 4);
    assert_eq!(m.remote_schedule_count(), 0);
    assert!(m.worker_park_count(0) >= 1, "the sleep parks the thread");
    assert_eq!(m.worker_steal_operations(0), 0);
    assert_eq!(m.worker_lifo_count(0), 0);
}

#[test]
#[should_panic(expected = "worker index 2 out of range")]
fn worker_index_out_of_range_panics() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.metrics().worker_poll_count(2);
}
