//! Behaviour specific to the multi-thread (work-stealing) runtime.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics and mutexes directly.
#![allow(clippy::disallowed_types)]

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::ThreadId;
use std::time::Duration;

use magpie::runtime::{Builder, Runtime};
use magpie::task;

fn threaded(workers: usize) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(workers)
        .enable_all()
        .build()
        .expect("build multi_thread runtime")
}

#[test]
fn tasks_run_on_more_than_one_thread() {
    let rt = threaded(4);
    let threads = Arc::new(Mutex::new(HashSet::<ThreadId>::new()));
    rt.block_on(async {
        let mut handles = Vec::new();
        for _ in 0..16 {
            let threads = threads.clone();
            handles.push(magpie::spawn(async move {
                threads.lock().unwrap().insert(std::thread::current().id());
                // Hold this worker so the others must take the rest.
                std::thread::sleep(Duration::from_millis(20));
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let threads = threads.lock().unwrap();
    assert!(
        threads.len() >= 2,
        "all tasks ran on {} thread(s)",
        threads.len()
    );
    assert!(
        !threads.contains(&std::thread::current().id()),
        "a task ran on the block_on thread"
    );
}

#[test]
fn tasks_run_on_worker_threads_not_the_block_on_thread() {
    let rt = threaded(1);
    let here = std::thread::current().id();
    let there = rt.block_on(async { magpie::spawn(async { std::thread::current().id() }).await });
    assert_ne!(there.unwrap(), here);
}

#[test]
fn tasks_behind_a_blocked_worker_are_stolen() {
    const QUEUED: usize = 8;
    let rt = threaded(4);
    let (done_tx, done_rx) = mpsc::channel::<usize>();
    let blocker = rt.spawn(async move {
        // These land in this worker's local queue.
        for i in 0..QUEUED {
            let done_tx = done_tx.clone();
            magpie::spawn(async move {
                done_tx.send(i).unwrap();
            });
        }
        // One more, so that a task kept in a slot that cannot be stolen (the
        // LIFO slot) is not one of the counted ones.
        magpie::spawn(async {});
        // Block this worker's thread until the others have run all of them.
        let mut seen = HashSet::new();
        while seen.len() < QUEUED {
            match done_rx.recv_timeout(Duration::from_secs(5)) {
                Ok(i) => {
                    seen.insert(i);
                }
                Err(_) => break,
            }
        }
        seen.len()
    });
    let finished_while_blocked = rt.block_on(blocker).unwrap();
    assert_eq!(
        finished_while_blocked, QUEUED,
        "queued tasks were not stolen"
    );
}

#[test]
fn block_in_place_returns_the_closure_value() {
    let rt = threaded(2);
    let out = rt.block_on(async {
        magpie::spawn(async {
            task::block_in_place(|| {
                std::thread::sleep(Duration::from_millis(5));
                40 + 2
            })
        })
        .await
        .unwrap()
    });
    assert_eq!(out, 42);
}

#[test]
fn block_in_place_lets_other_tasks_run_on_a_single_worker() {
    let rt = threaded(1);
    let (tx, rx) = mpsc::channel::<&'static str>();
    let got = rt.block_on(async move {
        let waiter = magpie::spawn(async move {
            // The only worker blocks here; the sender below can only run if
            // block_in_place hands the worker's queue to another thread.
            task::block_in_place(move || rx.recv_timeout(Duration::from_secs(5)).ok())
        });
        task::yield_now().await;
        let sender = magpie::spawn(async move { tx.send("through").unwrap() });
        sender.await.unwrap();
        waiter.await.unwrap()
    });
    assert_eq!(got, Some("through"));
}

#[test]
fn block_in_place_from_block_on_of_a_multi_thread_runtime() {
    let rt = threaded(1);
    let out = rt.block_on(async { task::block_in_place(|| "fine") });
    assert_eq!(out, "fine");
}

#[test]
fn thread_name_is_applied_to_workers_and_blocking_threads() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("magpie-test-worker")
        .enable_all()
        .build()
        .unwrap();
    let (worker, blocking) = rt.block_on(async {
        let worker = magpie::spawn(async { std::thread::current().name().map(str::to_owned) });
        let blocking = task::spawn_blocking(|| std::thread::current().name().map(str::to_owned));
        (worker.await.unwrap(), blocking.await.unwrap())
    });
    assert_eq!(worker.as_deref(), Some("magpie-test-worker"));
    assert_eq!(blocking.as_deref(), Some("magpie-test-worker"));
}

#[test]
fn thread_name_fn_is_applied() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name_fn(|| "named-by-fn".to_owned())
        .build()
        .unwrap();
    let name = rt.block_on(async {
        magpie::spawn(async { std::thread::current().name().map(str::to_owned) })
            .await
            .unwrap()
    });
    assert_eq!(name.as_deref(), Some("named-by-fn"));
}

#[test]
fn on_thread_start_and_stop_are_called() {
    let started = Arc::new(AtomicUsize::new(0));
    let stopped = Arc::new(AtomicUsize::new(0));
    let rt = {
        let started = started.clone();
        let stopped = stopped.clone();
        Builder::new_multi_thread()
            .worker_threads(2)
            .on_thread_start(move || {
                started.fetch_add(1, SeqCst);
            })
            .on_thread_stop(move || {
                stopped.fetch_add(1, SeqCst);
            })
            .enable_all()
            .build()
            .unwrap()
    };
    rt.block_on(async {
        for _ in 0..4 {
            magpie::spawn(async {}).await.unwrap();
        }
        task::spawn_blocking(|| ()).await.unwrap();
    });
    // Both workers, plus the blocking thread.
    assert!(
        started.load(SeqCst) >= 3,
        "started {}",
        started.load(SeqCst)
    );
    drop(rt);
    assert_eq!(stopped.load(SeqCst), started.load(SeqCst));
}

#[test]
fn on_thread_start_runs_on_the_new_thread() {
    let names = Arc::new(Mutex::new(Vec::<Option<String>>::new()));
    let rt = {
        let names = names.clone();
        Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("started-thread")
            .on_thread_start(move || {
                names
                    .lock()
                    .unwrap()
                    .push(std::thread::current().name().map(str::to_owned));
            })
            .build()
            .unwrap()
    };
    rt.block_on(async { magpie::spawn(async {}).await.unwrap() });
    drop(rt);
    let names = names.lock().unwrap();
    assert!(names.len() >= 2);
    assert!(
        names.iter().all(|n| n.as_deref() == Some("started-thread")),
        "{names:?}"
    );
}

#[test]
fn thread_stack_size_is_accepted() {
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .thread_stack_size(4 * 1024 * 1024)
        .build()
        .unwrap();
    // A frame bigger than the usual 2 MiB default but within 4 MiB.
    let out = rt.block_on(async {
        magpie::spawn(async {
            let big = [7u8; 3 * 1024 * 1024];
            std::hint::black_box(&big)[12345]
        })
        .await
        .unwrap()
    });
    assert_eq!(out, 7);
}

#[test]
fn num_workers_matches_the_builder() {
    for workers in [1, 2, 3, 8] {
        let rt = threaded(workers);
        assert_eq!(rt.metrics().num_workers(), workers);
        assert_eq!(rt.handle().metrics().num_workers(), workers);
    }
}

#[test]
fn default_worker_count_is_the_cpu_count() {
    let rt = Builder::new_multi_thread().build().unwrap();
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(rt.metrics().num_workers(), cpus);
}

#[test]
fn runtime_new_is_multi_thread() {
    let rt = Runtime::new().unwrap();
    assert_eq!(
        rt.handle().runtime_flavor(),
        magpie::runtime::RuntimeFlavor::MultiThread
    );
}

#[test]
fn many_remote_spawns_from_several_threads() {
    const THREADS: usize = 4;
    const PER_THREAD: usize = 2_000;
    let rt = threaded(2);
    let done = Arc::new(AtomicUsize::new(0));
    let mut spawners = Vec::new();
    for _ in 0..THREADS {
        let handle = rt.handle().clone();
        let done = done.clone();
        spawners.push(std::thread::spawn(move || {
            let joins: Vec<_> = (0..PER_THREAD)
                .map(|_| {
                    let done = done.clone();
                    handle.spawn(async move {
                        done.fetch_add(1, SeqCst);
                    })
                })
                .collect();
            handle.block_on(async {
                for join in joins {
                    join.await.unwrap();
                }
            });
        }));
    }
    for spawner in spawners {
        spawner.join().unwrap();
    }
    assert_eq!(done.load(SeqCst), THREADS * PER_THREAD);
}

#[test]
fn ping_pong_between_tasks_across_workers() {
    let rt = threaded(4);
    let rounds = rt.block_on(async {
        let (to_b, mut from_a) = magpie::sync::mpsc::channel::<u32>(1);
        let (to_a, mut from_b) = magpie::sync::mpsc::channel::<u32>(1);
        let b = magpie::spawn(async move {
            while let Some(n) = from_a.recv().await {
                if to_a.send(n + 1).await.is_err() {
                    break;
                }
            }
        });
        let mut n = 0;
        for _ in 0..1_000 {
            to_b.send(n).await.unwrap();
            n = from_b.recv().await.unwrap();
        }
        drop(to_b);
        b.await.unwrap();
        n
    });
    assert_eq!(rounds, 1_000);
}

#[test]
fn a_task_is_never_polled_concurrently_with_itself() {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::atomic::AtomicBool;
    use std::task::{Context, Poll};

    /// Wakes itself from another thread while it is being polled, and
    /// checks that no second poll overlaps the first.
    struct Reentrant {
        in_poll: Arc<AtomicBool>,
        polls: usize,
    }
    impl Future for Reentrant {
        type Output = usize;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
            assert!(!self.in_poll.swap(true, SeqCst), "polled concurrently");
            self.polls += 1;
            let waker = cx.waker().clone();
            let waking = std::thread::spawn(move || waker.wake());
            std::thread::sleep(Duration::from_millis(1));
            waking.join().unwrap();
            self.in_poll.store(false, SeqCst);
            if self.polls == 20 {
                Poll::Ready(self.polls)
            } else {
                Poll::Pending
            }
        }
    }
    let rt = threaded(4);
    let polls = rt.block_on(async {
        magpie::spawn(Reentrant {
            in_poll: Arc::new(AtomicBool::new(false)),
            polls: 0,
        })
        .await
        .unwrap()
    });
    assert_eq!(polls, 20);
}
