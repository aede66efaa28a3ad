//! Scoped tasks: `Handle::scope` lets tasks borrow the caller's stack.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::mpsc;
use std::time::Duration;

use magpie::runtime::{Builder, Runtime};

fn threaded() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn children_write_disjoint_halves_of_a_borrowed_vec() {
    let rt = threaded();
    let mut data: Vec<u64> = (0..1000).collect();
    let sum = rt.handle().scope(|s| {
        let (left, right) = data.split_at_mut(500);
        let a = s.spawn(async move {
            for x in left.iter_mut() {
                *x *= 2;
                magpie::task::yield_now().await;
            }
            left.len()
        });
        let b = s.spawn(async move {
            for x in right.iter_mut() {
                *x += 1;
            }
            right.len()
        });
        a.join().unwrap() + b.join().unwrap()
    });
    assert_eq!(sum, 1000);
    for (i, x) in data.iter().enumerate() {
        let i = i as u64;
        assert_eq!(*x, if i < 500 { i * 2 } else { i + 1 }, "index {i}");
    }
}

#[test]
fn scope_waits_for_unjoined_children() {
    let rt = threaded();
    let done = AtomicUsize::new(0);
    rt.handle().scope(|s| {
        for _ in 0..8 {
            s.spawn(async {
                magpie::time::sleep(Duration::from_millis(20)).await;
                done.fetch_add(1, SeqCst);
            });
        }
    });
    assert_eq!(done.load(SeqCst), 8);
}

#[test]
fn children_run_on_more_than_one_worker() {
    let rt = threaded();
    let threads = Mutex::new(HashSet::new());
    // Each child holds its worker until both have started, so they must run
    // at the same time on two threads (a single worker would deadlock; the
    // bound turns that into a failure).
    let started = AtomicUsize::new(0);
    let timed_out = AtomicBool::new(false);
    rt.handle().scope(|s| {
        for _ in 0..2 {
            s.spawn(async {
                threads.lock().unwrap().insert(std::thread::current().id());
                started.fetch_add(1, SeqCst);
                let deadline = std::time::Instant::now() + Duration::from_secs(5);
                while started.load(SeqCst) < 2 {
                    if std::time::Instant::now() > deadline {
                        timed_out.store(true, SeqCst);
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(1));
                }
            });
        }
    });
    assert!(!timed_out.load(SeqCst), "children never ran in parallel");
    let threads = threads.into_inner().unwrap();
    assert_eq!(threads.len(), 2, "threads: {threads:?}");
    assert!(!threads.contains(&std::thread::current().id()));
}

#[test]
fn child_panic_is_reraised_after_siblings_finish() {
    let rt = threaded();
    let sibling_done = AtomicBool::new(false);
    let err = catch_unwind(AssertUnwindSafe(|| {
        rt.handle().scope(|s| {
            s.spawn(async { panic!("child boom") });
            s.spawn(async {
                magpie::time::sleep(Duration::from_millis(50)).await;
                sibling_done.store(true, SeqCst);
            });
        })
    }))
    .unwrap_err();
    assert_eq!(err.downcast_ref::<&str>(), Some(&"child boom"));
    assert!(
        sibling_done.load(SeqCst),
        "scope returned before the sibling"
    );
}

#[test]
fn joined_panic_is_returned_not_reraised() {
    let rt = threaded();
    let out = rt.handle().scope(|s| {
        let h = s.spawn(async { panic!("joined boom") });
        let err = h.join().unwrap_err();
        assert!(err.is_panic());
        *err.into_panic().downcast::<&str>().unwrap()
    });
    assert_eq!(out, "joined boom");
}

#[test]
fn panic_in_f_waits_for_children_then_resumes() {
    let rt = threaded();
    let child_done = AtomicBool::new(false);
    let err = catch_unwind(AssertUnwindSafe(|| {
        rt.handle().scope(|s| {
            s.spawn(async {
                magpie::time::sleep(Duration::from_millis(50)).await;
                child_done.store(true, SeqCst);
            });
            panic!("f boom");
        })
    }))
    .unwrap_err();
    assert_eq!(err.downcast_ref::<&str>(), Some(&"f boom"));
    assert!(child_done.load(SeqCst));
}

#[test]
fn children_can_spawn_and_await_siblings() {
    let rt = threaded();
    let values = [1u32, 2, 3, 4];
    let total = rt.handle().scope(|s| {
        s.spawn(async {
            let parts: Vec<_> = values
                .iter()
                .map(|v| s.spawn(async move { v * 10 }))
                .collect();
            let mut sum = 0;
            for part in parts {
                sum += part.await.unwrap();
            }
            sum
        })
        .join()
        .unwrap()
    });
    assert_eq!(total, 100);
}

#[test]
fn scope_on_a_worker_thread_panics() {
    let rt = threaded();
    let handle = rt.handle().clone();
    let err = rt
        .block_on(async move { magpie::spawn(async move { handle.scope(|_| ()) }).await })
        .unwrap_err();
    let payload = err.into_panic();
    let msg = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap();
    assert!(
        msg.contains("Cannot block inside a runtime: Handle::scope"),
        "{msg}"
    );
}

#[test]
fn scope_inside_block_on_panics() {
    let rt = threaded();
    let handle = rt.handle().clone();
    let err = catch_unwind(AssertUnwindSafe(|| {
        rt.block_on(async { handle.scope(|_| ()) });
    }))
    .unwrap_err();
    let msg = err.downcast_ref::<String>().unwrap();
    assert!(msg.contains("would stall the worker"), "{msg}");
}

#[test]
fn scope_from_spawn_blocking_works() {
    let rt = threaded();
    let n = rt.block_on(async {
        magpie::task::spawn_blocking(|| {
            let data = [5u32; 10];
            magpie::runtime::Handle::current()
                .scope(|s| s.spawn(async { data.iter().sum::<u32>() }).join().unwrap())
        })
        .await
        .unwrap()
    });
    assert_eq!(n, 50);
}

#[test]
fn current_thread_scope_runs_while_another_thread_drives() {
    let rt = Builder::new_current_thread().enable_all().build().unwrap();
    let handle = rt.handle().clone();
    let (stop_tx, stop_rx) = magpie::sync::oneshot::channel::<()>();
    let (out_tx, out_rx) = mpsc::channel();
    let scoper = std::thread::spawn(move || {
        let mut local = vec![0u8; 4];
        handle.scope(|s| {
            for (i, x) in local.iter_mut().enumerate() {
                s.spawn(async move { *x = i as u8 + 1 });
            }
        });
        out_tx.send(local).unwrap();
        stop_tx.send(()).unwrap();
    });
    rt.block_on(async { stop_rx.await.unwrap() });
    scoper.join().unwrap();
    assert_eq!(out_rx.recv().unwrap(), [1, 2, 3, 4]);
}

/// Counts drops, slowly, so that a scope returning before a child's
/// future is fully dropped would be seen.
struct SlowDrop<'a>(&'a AtomicUsize);

impl Drop for SlowDrop<'_> {
    fn drop(&mut self) {
        std::thread::sleep(Duration::from_millis(50));
        self.0.fetch_add(1, SeqCst);
    }
}

#[test]
fn shutdown_cancels_children_and_join_reports_it() {
    let rt = threaded();
    let handle = rt.handle().clone();
    let (started_tx, started_rx) = mpsc::channel();
    let dropped = AtomicUsize::new(0);
    std::thread::scope(|ts| {
        ts.spawn(|| {
            handle.scope(|s| {
                let h = s.spawn(async {
                    let _guard = SlowDrop(&dropped);
                    started_tx.send(()).unwrap();
                    std::future::pending::<()>().await;
                });
                let err = h.join().unwrap_err();
                assert!(err.is_cancelled());
                // The joiner hears of the end only after the future is gone.
                assert_eq!(dropped.load(SeqCst), 1);
            });
        });
        started_rx.recv().unwrap();
        drop(rt);
    });
}

#[test]
fn scope_returns_only_after_cancelled_children_are_dropped() {
    let rt = threaded();
    let handle = rt.handle().clone();
    let (started_tx, started_rx) = mpsc::channel();
    let dropped = AtomicUsize::new(0);
    std::thread::scope(|ts| {
        ts.spawn(|| {
            handle.scope(|s| {
                for _ in 0..2 {
                    let started_tx = started_tx.clone();
                    let dropped = &dropped;
                    s.spawn(async move {
                        let _guard = SlowDrop(dropped);
                        started_tx.send(()).unwrap();
                        std::future::pending::<()>().await;
                    });
                }
            });
            // Not joined: only the scope's own wait covers the drops.
            assert_eq!(dropped.load(SeqCst), 2);
        });
        started_rx.recv().unwrap();
        started_rx.recv().unwrap();
        drop(rt);
    });
}

#[test]
fn spawn_after_shutdown_reports_cancelled() {
    let rt = threaded();
    let handle = rt.handle().clone();
    drop(rt);
    let ran = AtomicBool::new(false);
    handle.scope(|s| {
        let err = s
            .spawn(async { ran.store(true, SeqCst) })
            .join()
            .unwrap_err();
        assert!(err.is_cancelled());
    });
    assert!(!ran.load(SeqCst));
}
