//! The blocking pool: `spawn_blocking`, its limits, and how it meets shutdown.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use magpie::runtime::{Builder, Handle, Runtime};
use magpie::task;

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

fn threaded() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

fn both() -> [Runtime; 2] {
    [current_thread(), threaded()]
}

/// Waits (bounded) until `cond` holds.
fn eventually(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[test]
fn runs_on_another_thread_and_returns_its_value() {
    for rt in both() {
        let here = std::thread::current().id();
        let (value, there) = rt.block_on(async {
            task::spawn_blocking(|| ("blocking", std::thread::current().id()))
                .await
                .unwrap()
        });
        assert_eq!(value, "blocking");
        assert_ne!(there, here);
    }
}

#[test]
fn spawn_blocking_from_the_runtime_and_a_handle_outside() {
    for rt in both() {
        let a = rt.spawn_blocking(|| 1);
        let b = rt.handle().spawn_blocking(|| 2);
        let sum = rt.block_on(async { a.await.unwrap() + b.await.unwrap() });
        assert_eq!(sum, 3);
    }
}

#[test]
fn a_blocking_task_does_not_stall_async_tasks() {
    for rt in both() {
        let (tx, rx) = mpsc::channel::<()>();
        let out = rt.block_on(async move {
            let blocking = task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(5)));
            // Async work proceeds while the blocking task waits.
            let n = magpie::spawn(async { 5 }).await.unwrap();
            tx.send(()).unwrap();
            assert!(blocking.await.unwrap().is_ok());
            n
        });
        assert_eq!(out, 5);
    }
}

#[test]
fn panic_becomes_join_error() {
    for rt in both() {
        let err = rt.block_on(async {
            task::spawn_blocking(|| -> u32 { panic!("blocking boom") })
                .await
                .unwrap_err()
        });
        assert!(err.is_panic());
        assert_eq!(
            err.into_panic().downcast_ref::<&str>(),
            Some(&"blocking boom")
        );
        // The pool and the runtime still work.
        let ok = rt.block_on(async { task::spawn_blocking(|| 8).await.unwrap() });
        assert_eq!(ok, 8);
    }
}

#[test]
fn max_blocking_threads_is_respected() {
    const LIMIT: usize = 2;
    const TASKS: usize = 8;
    let rt = Builder::new_current_thread()
        .max_blocking_threads(LIMIT)
        .build()
        .unwrap();
    let running = Arc::new(AtomicUsize::new(0));
    let peak = Arc::new(AtomicUsize::new(0));
    let threads = Arc::new(std::sync::Mutex::new(std::collections::HashSet::new()));
    rt.block_on(async {
        let handles: Vec<_> = (0..TASKS)
            .map(|_| {
                let running = running.clone();
                let peak = peak.clone();
                let threads = threads.clone();
                task::spawn_blocking(move || {
                    let now = running.fetch_add(1, SeqCst) + 1;
                    peak.fetch_max(now, SeqCst);
                    threads.lock().unwrap().insert(std::thread::current().id());
                    std::thread::sleep(Duration::from_millis(20));
                    running.fetch_sub(1, SeqCst);
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let peak = peak.load(SeqCst);
    assert!((1..=LIMIT).contains(&peak), "peak concurrency {peak}");
    assert!(threads.lock().unwrap().len() <= LIMIT);
}

#[test]
fn the_pool_grows_up_to_its_limit() {
    const WANTED: usize = 4;
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(WANTED)
        .build()
        .unwrap();
    let running = Arc::new(AtomicUsize::new(0));
    rt.block_on(async {
        let handles: Vec<_> = (0..WANTED)
            .map(|_| {
                let running = running.clone();
                task::spawn_blocking(move || {
                    running.fetch_add(1, SeqCst);
                    // Each waits for all of them to be running at once.
                    eventually("all blocking tasks at once", || {
                        running.load(SeqCst) == WANTED
                    });
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
}

#[test]
fn abort_does_not_stop_a_running_blocking_task() {
    for rt in both() {
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let (started_tx, started_rx) = mpsc::channel::<()>();
        let handle = rt.spawn_blocking(move || {
            started_tx.send(()).unwrap();
            release_rx.recv_timeout(Duration::from_secs(5)).unwrap();
            "finished anyway"
        });
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        handle.abort();
        release_tx.send(()).unwrap();
        assert_eq!(rt.block_on(handle).unwrap(), "finished anyway");
    }
}

#[test]
fn nested_spawn_blocking_from_a_blocking_thread() {
    for rt in both() {
        let out = rt.block_on(async {
            task::spawn_blocking(|| {
                // The runtime is current on blocking threads, and blocking on
                // a handle is allowed there.
                let inner = task::spawn_blocking(|| 20);
                let spawned = magpie::spawn(async { 1 });
                let handle = Handle::current();
                handle.block_on(inner).unwrap() + handle.block_on(spawned).unwrap()
            })
            .await
            .unwrap()
        });
        assert_eq!(out, 21);
    }
}

#[test]
fn dropping_the_runtime_waits_for_running_blocking_tasks() {
    for rt in both() {
        let finished = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::channel::<()>();
        {
            let finished = finished.clone();
            rt.spawn_blocking(move || {
                started_tx.send(()).unwrap();
                std::thread::sleep(Duration::from_millis(50));
                finished.store(true, SeqCst);
            });
        }
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        drop(rt);
        assert!(
            finished.load(SeqCst),
            "drop returned before the blocking task ended"
        );
    }
}

#[test]
fn shutdown_timeout_returns_while_a_blocking_task_still_runs() {
    for rt in both() {
        let finished = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::channel::<()>();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        {
            let finished = finished.clone();
            rt.spawn_blocking(move || {
                started_tx.send(()).unwrap();
                // Until released, or 5 s at most.
                let _ = release_rx.recv_timeout(Duration::from_secs(5));
                finished.store(true, SeqCst);
            });
        }
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        let start = Instant::now();
        rt.shutdown_timeout(Duration::from_millis(50));
        assert!(
            start.elapsed() >= Duration::from_millis(50),
            "did not wait out its timeout"
        );
        assert!(
            !finished.load(SeqCst),
            "shutdown_timeout waited for the blocking task"
        );
        release_tx.send(()).unwrap();
        eventually("the released blocking task", || finished.load(SeqCst));
    }
}

#[test]
fn shutdown_timeout_returns_early_when_everything_is_done() {
    for rt in both() {
        rt.block_on(async { task::spawn_blocking(|| ()).await.unwrap() });
        let start = Instant::now();
        rt.shutdown_timeout(Duration::from_secs(30));
        // Far below the timeout: nothing was left to wait for.
        assert!(start.elapsed() < Duration::from_secs(20));
    }
}

#[test]
fn shutdown_background_returns_at_once() {
    for rt in both() {
        let finished = Arc::new(AtomicBool::new(false));
        let (started_tx, started_rx) = mpsc::channel::<()>();
        let (release_tx, release_rx) = mpsc::channel::<()>();
        {
            let finished = finished.clone();
            rt.spawn_blocking(move || {
                started_tx.send(()).unwrap();
                let _ = release_rx.recv_timeout(Duration::from_secs(5));
                finished.store(true, SeqCst);
            });
        }
        started_rx.recv_timeout(Duration::from_secs(5)).unwrap();
        rt.shutdown_background();
        assert!(
            !finished.load(SeqCst),
            "shutdown_background waited for the blocking task"
        );
        release_tx.send(()).unwrap();
        eventually("the released blocking task", || finished.load(SeqCst));
    }
}

#[test]
fn spawn_blocking_after_shutdown_is_cancelled() {
    for rt in both() {
        let handle = rt.handle().clone();
        rt.shutdown_background();
        let ran = Arc::new(AtomicBool::new(false));
        let join = {
            let ran = ran.clone();
            handle.spawn_blocking(move || ran.store(true, SeqCst))
        };
        let other = current_thread();
        let err = other.block_on(join).unwrap_err();
        assert!(err.is_cancelled());
        assert!(!ran.load(SeqCst));
    }
}
