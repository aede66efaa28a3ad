//! `JoinSet`: a set of tasks joined in completion order, aborted on drop.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::{Duration, Instant};

use magpie::runtime::{Builder, Runtime};
use magpie::sync::oneshot;
use magpie::task::{self, JoinSet};

fn runtimes() -> [Runtime; 2] {
    [
        Builder::new_current_thread().enable_all().build().unwrap(),
        Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap(),
    ]
}

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Yields until `cond` holds; fails after 5 s.
async fn yield_until(what: &str, mut cond: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        task::yield_now().await;
    }
}

async fn pending_with_guard(guard: DropCounter) {
    let _guard = guard;
    std::future::pending::<()>().await;
}

#[test]
fn join_next_returns_every_output_then_none() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            assert!(set.is_empty());
            for i in 0..100u32 {
                set.spawn(async move { i });
            }
            assert_eq!(set.len(), 100);
            let mut seen = HashSet::new();
            while let Some(result) = set.join_next().await {
                assert!(seen.insert(result.unwrap()));
            }
            assert_eq!(seen, (0..100).collect());
            assert!(set.is_empty());
            assert_eq!(set.len(), 0);
            assert!(set.join_next().await.is_none());
        });
    }
}

#[test]
fn join_next_yields_in_completion_order() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            let (first_tx, first_rx) = oneshot::channel::<()>();
            let (second_tx, second_rx) = oneshot::channel::<()>();
            set.spawn(async move {
                first_rx.await.unwrap();
                "first"
            });
            set.spawn(async move {
                second_rx.await.unwrap();
                "second"
            });
            second_tx.send(()).unwrap();
            assert_eq!(set.join_next().await.unwrap().unwrap(), "second");
            first_tx.send(()).unwrap();
            assert_eq!(set.join_next().await.unwrap().unwrap(), "first");
        });
    }
}

#[test]
fn try_join_next_does_not_wait() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            assert!(set.try_join_next().is_none());
            let (tx, rx) = oneshot::channel::<u8>();
            set.spawn(async move { rx.await.unwrap() });
            // Still running.
            task::yield_now().await;
            assert!(set.try_join_next().is_none());
            assert_eq!(set.len(), 1);
            tx.send(4).unwrap();
            let mut out = None;
            yield_until("the task to complete", || {
                out = set.try_join_next();
                out.is_some()
            })
            .await;
            assert_eq!(out.unwrap().unwrap(), 4);
            assert!(set.is_empty());
        });
    }
}

#[test]
fn abort_all_cancels_every_task() {
    for rt in runtimes() {
        let drops = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let mut set = JoinSet::new();
            for _ in 0..10 {
                set.spawn(pending_with_guard(DropCounter(drops.clone())));
            }
            task::yield_now().await;
            set.abort_all();
            // abort_all does not remove them: they are joined as cancelled.
            assert_eq!(set.len(), 10);
            let mut cancelled = 0;
            while let Some(result) = set.join_next().await {
                assert!(result.unwrap_err().is_cancelled());
                cancelled += 1;
            }
            assert_eq!(cancelled, 10);
        });
        assert_eq!(drops.load(SeqCst), 10);
    }
}

#[test]
fn shutdown_aborts_and_waits() {
    for rt in runtimes() {
        let drops = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let mut set = JoinSet::new();
            for _ in 0..10 {
                set.spawn(pending_with_guard(DropCounter(drops.clone())));
            }
            set.spawn(async {});
            task::yield_now().await;
            set.shutdown().await;
            assert!(set.is_empty());
            // Every future has been dropped by the time shutdown returns.
            assert_eq!(drops.load(SeqCst), 10);
        });
    }
}

#[test]
fn dropping_the_set_aborts_every_task() {
    for rt in runtimes() {
        let drops = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let mut set = JoinSet::new();
            for _ in 0..10 {
                set.spawn(pending_with_guard(DropCounter(drops.clone())));
            }
            task::yield_now().await;
            drop(set);
            yield_until("the dropped set's tasks to be dropped", || {
                drops.load(SeqCst) == 10
            })
            .await;
        });
        assert_eq!(drops.load(SeqCst), 10);
    }
}

#[test]
fn spawn_returns_an_abort_handle_for_one_task() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            let abort = set.spawn(std::future::pending::<u32>());
            set.spawn(async { 7 });
            abort.abort();
            let mut outputs = Vec::new();
            let mut cancelled = 0;
            while let Some(result) = set.join_next().await {
                match result {
                    Ok(v) => outputs.push(v),
                    Err(e) if e.is_cancelled() => cancelled += 1,
                    Err(e) => panic!("unexpected {e}"),
                }
            }
            assert_eq!(outputs, [7]);
            assert_eq!(cancelled, 1);
        });
    }
}

#[test]
fn join_next_with_id_matches_the_spawned_ids() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            let a = set.spawn(async { "a" }).id();
            let b = set.spawn(async { "b" }).id();
            let mut got = Vec::new();
            while let Some(result) = set.join_next_with_id().await {
                let (id, out) = result.unwrap();
                got.push((id, out));
            }
            got.sort_by_key(|(_, out)| *out);
            assert_eq!(got, [(a, "a"), (b, "b")]);
        });
    }
}

#[test]
fn panics_in_the_set_are_join_errors() {
    for rt in runtimes() {
        rt.block_on(async {
            let mut set = JoinSet::new();
            set.spawn(async { panic!("in the set") });
            set.spawn(async {});
            let mut panics = 0;
            let mut oks = 0;
            while let Some(result) = set.join_next().await {
                match result {
                    Ok(()) => oks += 1,
                    Err(e) => {
                        assert!(e.is_panic());
                        panics += 1;
                    }
                }
            }
            assert_eq!((panics, oks), (1, 1));
        });
    }
}

#[test]
fn join_all_collects_every_output() {
    for rt in runtimes() {
        let mut outputs = rt.block_on(async {
            let mut set = JoinSet::new();
            for i in 0..20u32 {
                set.spawn(async move { i * i });
            }
            set.join_all().await
        });
        outputs.sort_unstable();
        assert_eq!(outputs, (0..20u32).map(|i| i * i).collect::<Vec<_>>());
    }
}

#[test]
fn detach_all_lets_tasks_run_on() {
    for rt in runtimes() {
        let out = rt.block_on(async {
            let mut set = JoinSet::new();
            let (tx, rx) = oneshot::channel();
            set.spawn(async move {
                task::yield_now().await;
                tx.send("detached").unwrap();
            });
            set.detach_all();
            assert!(set.is_empty());
            drop(set);
            rx.await.unwrap()
        });
        assert_eq!(out, "detached");
    }
}

#[test]
fn spawn_on_a_handle_and_spawn_blocking() {
    for rt in runtimes() {
        let handle = rt.handle().clone();
        let mut outputs = rt.block_on(async move {
            let mut set = JoinSet::new();
            set.spawn_on(async { 1 }, &handle);
            set.spawn_blocking(|| 2);
            set.spawn_blocking_on(|| 3, &handle);
            set.join_all().await
        });
        outputs.sort_unstable();
        assert_eq!(outputs, [1, 2, 3]);
    }
}

#[test]
fn collect_and_extend() {
    for rt in runtimes() {
        let sum: u32 = rt.block_on(async {
            let mut set: JoinSet<u32> = (1..=3u32).map(|i| async move { i }).collect();
            set.extend((4..=5u32).map(|i| async move { i }));
            assert_eq!(set.len(), 5);
            set.join_all().await.into_iter().sum()
        });
        assert_eq!(sum, 15);
    }
}

#[test]
fn spawn_outside_a_runtime_panics() {
    let result = std::panic::catch_unwind(|| {
        let mut set = JoinSet::new();
        set.spawn(async {});
    });
    assert!(result.is_err());
}
