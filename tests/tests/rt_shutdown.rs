//! Shutting a runtime down: by drop, `shutdown_timeout` and
//! `shutdown_background`, on both flavors.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use magpie::runtime::{Builder, Runtime};
use magpie::task;

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

fn threaded(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .unwrap()
}

fn all_flavors() -> [Runtime; 3] {
    [current_thread(), threaded(1), threaded(4)]
}

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

async fn pending_with_guard(guard: DropCounter) {
    let _guard = guard;
    std::future::pending::<()>().await;
}

fn eventually(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn drop_drops_pending_tasks_that_never_ran() {
    for rt in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        let ran = Arc::new(AtomicUsize::new(0));
        for _ in 0..1_000 {
            let guard = DropCounter(drops.clone());
            let ran = ran.clone();
            rt.spawn(async move {
                let _guard = guard;
                ran.fetch_add(1, SeqCst);
                std::future::pending::<()>().await;
            });
        }
        drop(rt);
        assert_eq!(drops.load(SeqCst), 1_000);
        assert!(ran.load(SeqCst) <= 1_000);
    }
}

#[test]
fn drop_from_another_thread() {
    for rt in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        for _ in 0..100 {
            rt.spawn(pending_with_guard(DropCounter(drops.clone())));
        }
        std::thread::spawn(move || drop(rt)).join().unwrap();
        assert_eq!(drops.load(SeqCst), 100);
    }
}

#[test]
fn shutdown_timeout_drops_pending_tasks() {
    for rt in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        for _ in 0..1_000 {
            rt.spawn(pending_with_guard(DropCounter(drops.clone())));
        }
        rt.block_on(task::yield_now());
        rt.shutdown_timeout(Duration::from_secs(5));
        assert_eq!(drops.load(SeqCst), 1_000);
    }
}

#[test]
fn shutdown_background_drops_pending_tasks_eventually() {
    for rt in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        for _ in 0..1_000 {
            rt.spawn(pending_with_guard(DropCounter(drops.clone())));
        }
        rt.shutdown_background();
        eventually("every pending task dropped", || drops.load(SeqCst) == 1_000);
    }
}

#[test]
fn shutdown_timeout_returns_while_a_worker_is_blocked() {
    for workers in [1, 4] {
        let rt = threaded(workers);
        let (started_tx, started_rx) = mpsc::channel::<()>();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let finished = Arc::new(AtomicBool::new(false));
        {
            let finished = finished.clone();
            rt.spawn(async move {
                started_tx.send(()).unwrap();
                // Blocks the worker thread (badly behaved task).
                let _ = release_rx.recv_timeout(Duration::from_secs(5));
                finished.store(true, SeqCst);
            });
        }
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        rt.shutdown_timeout(Duration::from_millis(50));
        assert!(
            !finished.load(SeqCst),
            "shutdown_timeout waited for a blocked worker"
        );
        release_tx.send(()).unwrap();
        eventually("the blocked task to end", || finished.load(SeqCst));
    }
}

#[test]
fn shutdown_background_returns_while_a_worker_is_blocked() {
    let rt = threaded(2);
    let (started_tx, started_rx) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let finished = Arc::new(AtomicBool::new(false));
    {
        let finished = finished.clone();
        rt.spawn(async move {
            started_tx.send(()).unwrap();
            let _ = release_rx.recv_timeout(Duration::from_secs(5));
            finished.store(true, SeqCst);
        });
    }
    started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
    rt.shutdown_background();
    assert!(!finished.load(SeqCst));
    release_tx.send(()).unwrap();
    eventually("the blocked task to end", || finished.load(SeqCst));
}

#[test]
fn a_drop_that_spawns_during_shutdown_does_not_hang() {
    /// On drop, spawns a task that must never run.
    struct SpawnOnDrop {
        inner_ran: Arc<AtomicBool>,
        inner_spawned: Arc<AtomicUsize>,
        inner_dropped: Arc<AtomicUsize>,
    }
    impl Drop for SpawnOnDrop {
        fn drop(&mut self) {
            let ran = self.inner_ran.clone();
            let guard = DropCounter(self.inner_dropped.clone());
            // The runtime is shutting down; the new task is dropped unrun.
            if let Ok(handle) = magpie::runtime::Handle::try_current() {
                self.inner_spawned.fetch_add(1, SeqCst);
                drop(handle.spawn(async move {
                    let _guard = guard;
                    ran.store(true, SeqCst);
                }));
            }
        }
    }
    for rt in all_flavors() {
        let inner_ran = Arc::new(AtomicBool::new(false));
        let inner_spawned = Arc::new(AtomicUsize::new(0));
        let inner_dropped = Arc::new(AtomicUsize::new(0));
        for _ in 0..10 {
            let on_drop = SpawnOnDrop {
                inner_ran: inner_ran.clone(),
                inner_spawned: inner_spawned.clone(),
                inner_dropped: inner_dropped.clone(),
            };
            rt.spawn(async move {
                let _on_drop = on_drop;
                std::future::pending::<()>().await;
            });
        }
        rt.block_on(task::yield_now());
        drop(rt);
        assert!(
            !inner_ran.load(SeqCst),
            "a task spawned during shutdown ran"
        );
        // As in tokio, the runtime is current while task futures are
        // dropped at shutdown, so every drop could spawn...
        assert_eq!(inner_spawned.load(SeqCst), 10);
        // ...and every task so spawned has been dropped unrun.
        assert_eq!(inner_dropped.load(SeqCst), 10);
    }
}

#[test]
fn spawn_on_the_handle_of_a_dropped_runtime_is_cancelled() {
    for rt in all_flavors() {
        let handle = rt.handle().clone();
        drop(rt);
        let drops = Arc::new(AtomicUsize::new(0));
        let ran = Arc::new(AtomicBool::new(false));
        let join = {
            let guard = DropCounter(drops.clone());
            let ran = ran.clone();
            handle.spawn(async move {
                let _guard = guard;
                ran.store(true, SeqCst);
            })
        };
        let err = current_thread().block_on(join).unwrap_err();
        assert!(err.is_cancelled());
        assert!(!ran.load(SeqCst));
        assert_eq!(drops.load(SeqCst), 1);
    }
}

#[test]
fn tasks_awaiting_each_other_at_shutdown() {
    for rt in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        let inner = rt.spawn(pending_with_guard(DropCounter(drops.clone())));
        let guard = DropCounter(drops.clone());
        rt.spawn(async move {
            let _guard = guard;
            let _ = inner.await;
        });
        rt.block_on(task::yield_now());
        drop(rt);
        assert_eq!(drops.load(SeqCst), 2);
    }
}

#[test]
fn worker_threads_exit_after_drop() {
    let stopped = Arc::new(AtomicUsize::new(0));
    let rt = {
        let stopped = stopped.clone();
        Builder::new_multi_thread()
            .worker_threads(3)
            .on_thread_stop(move || {
                stopped.fetch_add(1, SeqCst);
            })
            .build()
            .unwrap()
    };
    rt.block_on(async { magpie::spawn(async {}).await.unwrap() });
    drop(rt);
    // Every worker has stopped by the time drop returns.
    assert!(
        stopped.load(SeqCst) >= 3,
        "stopped {}",
        stopped.load(SeqCst)
    );
}

#[test]
fn many_runtimes_in_a_row() {
    for i in 0..50 {
        let rt = if i % 2 == 0 {
            current_thread()
        } else {
            threaded(2)
        };
        let out = rt.block_on(async move { magpie::spawn(async move { i }).await.unwrap() });
        assert_eq!(out, i);
    }
}
