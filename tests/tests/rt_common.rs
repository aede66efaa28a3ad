//! Behaviour every runtime flavor must share.
//!
//! `rt_test!` expands its body once per flavor: current_thread, and
//! multi_thread with 1 and with 4 workers. Each copy gets `rt()` (a fresh
//! runtime) and `workers()` (0 for current_thread, where tasks run only while
//! the runtime is inside `block_on`).
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

macro_rules! rt_test {
    ($($body:tt)*) => {
        mod current_thread {
            $($body)*

            /// Worker threads of `rt()`; 0 for current_thread.
            fn workers() -> usize {
                0
            }

            fn rt() -> magpie::runtime::Runtime {
                magpie::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("build current_thread runtime")
            }
        }

        mod threaded_one {
            $($body)*

            /// Worker threads of `rt()`; 0 for current_thread.
            fn workers() -> usize {
                1
            }

            fn rt() -> magpie::runtime::Runtime {
                magpie::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()
                    .expect("build multi_thread runtime")
            }
        }

        mod threaded_four {
            $($body)*

            /// Worker threads of `rt()`; 0 for current_thread.
            fn workers() -> usize {
                4
            }

            fn rt() -> magpie::runtime::Runtime {
                magpie::runtime::Builder::new_multi_thread()
                    .worker_threads(4)
                    .enable_all()
                    .build()
                    .expect("build multi_thread runtime")
            }
        }
    };
}

rt_test! {
    use std::future::Future;
    use std::pin::Pin;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
    use std::task::{Context, Poll};
    use std::time::{Duration, Instant};

    use magpie::runtime::Handle;
    use magpie::sync::oneshot;
    use magpie::task::{self, JoinError};

    /// Adds one to its counter when dropped.
    struct DropCounter(Arc<AtomicUsize>);

    impl Drop for DropCounter {
        fn drop(&mut self) {
            self.0.fetch_add(1, SeqCst);
        }
    }

    /// Pending forever; counts its drop.
    async fn pending_with_guard(guard: DropCounter) {
        let _guard = guard;
        std::future::pending::<()>().await;
    }

    /// Yields until `cond` holds; fails after 5 s.
    async fn yield_until(what: &str, mut cond: impl FnMut() -> bool) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while !cond() {
            assert!(Instant::now() < deadline, "timed out waiting for {what}");
            task::yield_now().await;
        }
    }

    /// Pins every worker of a multi-thread runtime in a blocking wait, so that
    /// nothing else can be polled until the returned release is dropped.
    struct Occupied {
        release: Vec<std::sync::mpsc::Sender<()>>,
        handles: Vec<task::JoinHandle<()>>,
    }

    fn occupy_workers(rt: &magpie::runtime::Runtime) -> Occupied {
        let started = Arc::new(AtomicUsize::new(0));
        let mut release = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..workers() {
            let (tx, rx) = std::sync::mpsc::channel::<()>();
            let started = started.clone();
            release.push(tx);
            handles.push(rt.spawn(async move {
                started.fetch_add(1, SeqCst);
                // Blocks this worker's thread until released (or 10 s).
                let _ = rx.recv_timeout(Duration::from_secs(10));
            }));
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while started.load(SeqCst) < workers() {
            assert!(Instant::now() < deadline, "workers never all started");
            std::thread::sleep(Duration::from_millis(1));
        }
        Occupied { release, handles }
    }

    impl Occupied {
        fn release(self, rt: &magpie::runtime::Runtime) {
            drop(self.release);
            for handle in self.handles {
                rt.block_on(handle).expect("blocker task");
            }
        }
    }

    #[test]
    fn block_on_returns_the_output() {
        let rt = rt();
        assert_eq!(rt.block_on(async { 1 + 1 }), 2);
        // Twice on the same runtime.
        assert_eq!(rt.block_on(async { "again" }), "again");
    }

    #[test]
    fn block_on_drives_a_future_woken_from_another_thread() {
        let rt = rt();
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(10));
            tx.send(7).unwrap();
        });
        assert_eq!(rt.block_on(rx).unwrap(), 7);
        thread.join().unwrap();
    }

    #[test]
    fn spawn_and_join_one() {
        let rt = rt();
        let out = rt.block_on(async { magpie::spawn(async { "hello" }).await });
        assert_eq!(out.unwrap(), "hello");
    }

    #[test]
    fn runtime_spawn_outside_block_on() {
        let rt = rt();
        let handle = rt.spawn(async { 5 });
        assert_eq!(rt.block_on(handle).unwrap(), 5);
    }

    #[test]
    fn hundred_thousand_tasks_complete() {
        const N: usize = if cfg!(miri) { 1_000 } else { 100_000 };
        let rt = rt();
        let (sum, count) = rt.block_on(async {
            let handles: Vec<_> = (0..N).map(|i| magpie::spawn(async move { i })).collect();
            let mut sum = 0usize;
            let mut count = 0usize;
            for handle in handles {
                sum += handle.await.unwrap();
                count += 1;
            }
            (sum, count)
        });
        assert_eq!(count, N);
        // Every task ran, exactly once, with its own output.
        assert_eq!(sum, N * (N - 1) / 2);
    }

    #[test]
    fn spawn_from_a_task_chain() {
        // Each task spawns the next; the last one reports back.
        fn link(n: usize, tx: oneshot::Sender<usize>) {
            if n == 0 {
                tx.send(0).unwrap();
            } else {
                magpie::spawn(async move { link(n - 1, tx) });
            }
        }
        let rt = rt();
        let out = rt.block_on(async {
            let (tx, rx) = oneshot::channel();
            magpie::spawn(async move { link(1_000, tx) });
            rx.await
        });
        assert_eq!(out.unwrap(), 0);
    }

    #[test]
    fn dropping_a_join_handle_detaches() {
        let rt = rt();
        let out = rt.block_on(async {
            let (tx, rx) = oneshot::channel();
            let handle = magpie::spawn(async move {
                task::yield_now().await;
                tx.send("ran").unwrap();
            });
            drop(handle);
            rx.await
        });
        assert_eq!(out.unwrap(), "ran");
    }

    #[test]
    fn is_finished_follows_completion() {
        let rt = rt();
        rt.block_on(async {
            let (tx, rx) = oneshot::channel::<u32>();
            let handle = magpie::spawn(async move { rx.await.unwrap() * 2 });
            assert!(!handle.is_finished());
            task::yield_now().await;
            assert!(!handle.is_finished());
            tx.send(21).unwrap();
            yield_until("the task to finish", || handle.is_finished()).await;
            assert_eq!(handle.await.unwrap(), 42);
        });
    }

    #[test]
    fn abort_drops_the_future() {
        let rt = rt();
        let drops = Arc::new(AtomicUsize::new(0));
        let err = rt.block_on(async {
            let (started_tx, started_rx) = oneshot::channel();
            let guard = DropCounter(drops.clone());
            let handle = magpie::spawn(async move {
                let _guard = guard;
                started_tx.send(()).unwrap();
                std::future::pending::<()>().await;
            });
            started_rx.await.unwrap();
            assert_eq!(drops.load(SeqCst), 0);
            handle.abort();
            handle.await.unwrap_err()
        });
        assert!(err.is_cancelled());
        assert!(!err.is_panic());
        assert_eq!(drops.load(SeqCst), 1);
    }

    #[test]
    fn abort_before_first_poll_never_runs() {
        let rt = rt();
        let ran = Arc::new(AtomicBool::new(false));
        let drops = Arc::new(AtomicUsize::new(0));
        let occupied = occupy_workers(&rt);
        let handle = {
            let ran = ran.clone();
            let guard = DropCounter(drops.clone());
            rt.spawn(async move {
                let _guard = guard;
                ran.store(true, SeqCst);
            })
        };
        handle.abort();
        occupied.release(&rt);
        let err = rt.block_on(handle).unwrap_err();
        assert!(err.is_cancelled());
        assert!(!ran.load(SeqCst), "an aborted task was polled");
        assert_eq!(drops.load(SeqCst), 1, "the aborted future was not dropped");
    }

    #[test]
    fn abort_a_finished_task_is_a_no_op() {
        let rt = rt();
        let out = rt.block_on(async {
            let handle = magpie::spawn(async { 3 });
            yield_until("the task to finish", || handle.is_finished()).await;
            handle.abort();
            handle.await
        });
        assert_eq!(out.unwrap(), 3);
    }

    #[test]
    fn abort_handle_cancels_and_reports_finished() {
        let rt = rt();
        let drops = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let handle = magpie::spawn(pending_with_guard(DropCounter(drops.clone())));
            let abort = handle.abort_handle();
            assert!(!abort.is_finished());
            assert_eq!(abort.id(), handle.id());
            abort.abort();
            let err = handle.await.unwrap_err();
            assert!(err.is_cancelled());
            assert!(abort.is_finished());
            // Aborting again after completion is harmless.
            abort.abort();
        });
        assert_eq!(drops.load(SeqCst), 1);
    }

    #[test]
    fn abort_handle_outlives_the_join_handle() {
        let rt = rt();
        let drops = Arc::new(AtomicUsize::new(0));
        rt.block_on(async {
            let handle = magpie::spawn(pending_with_guard(DropCounter(drops.clone())));
            let abort = handle.abort_handle();
            drop(handle);
            abort.abort();
            yield_until("the aborted future to be dropped", || drops.load(SeqCst) == 1).await;
            // The future is dropped before the task is marked complete.
            yield_until("the aborted task to finish", || abort.is_finished()).await;
        });
    }

    #[test]
    fn panic_becomes_join_error_and_the_runtime_lives_on() {
        let rt = rt();
        let err = rt.block_on(async { magpie::spawn(async { panic!("boom") }).await.unwrap_err() });
        assert!(err.is_panic());
        assert!(!err.is_cancelled());
        let payload = err.into_panic();
        assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));

        // Same runtime, new work.
        assert_eq!(rt.block_on(async { magpie::spawn(async { 1 }).await.unwrap() }), 1);
        assert_eq!(rt.block_on(rt.spawn(async { 2 })).unwrap(), 2);
    }

    #[test]
    fn panic_with_a_formatted_message_keeps_its_payload() {
        let rt = rt();
        let err = rt.block_on(async {
            let n = 42;
            magpie::spawn(async move { panic!("boom {n}") }).await.unwrap_err()
        });
        assert!(err.is_panic());
        let payload = err.try_into_panic().expect("a panic");
        assert_eq!(payload.downcast_ref::<String>().map(String::as_str), Some("boom 42"));
    }

    #[test]
    fn join_error_display_and_debug() {
        let rt = rt();
        let (panicked, cancelled) = rt.block_on(async {
            let panicked = magpie::spawn(async { panic!("boom") }).await.unwrap_err();
            let handle = magpie::spawn(std::future::pending::<()>());
            handle.abort();
            let cancelled = handle.await.unwrap_err();
            (panicked, cancelled)
        });
        assert_eq!(
            panicked.to_string(),
            format!("task {} panicked with message \"boom\"", panicked.id())
        );
        assert_eq!(cancelled.to_string(), format!("task {} was cancelled", cancelled.id()));
        let debug = format!("{panicked:?}");
        assert!(debug.starts_with("JoinError::Panic("), "{debug}");
        assert!(debug.contains("\"boom\""), "{debug}");
        let debug = format!("{cancelled:?}");
        assert!(debug.starts_with("JoinError::Cancelled("), "{debug}");

        // JoinError converts into io::Error (tokio's From impl).
        let io: std::io::Error = cancelled.into();
        assert_eq!(io.kind(), std::io::ErrorKind::Other);
        assert!(io.to_string().contains("was cancelled"), "{io}");
        fn is_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
        is_error(&panicked);
    }

    #[test]
    fn join_error_for_a_non_string_payload() {
        let rt = rt();
        let err = rt.block_on(async {
            magpie::spawn(async { std::panic::panic_any(17_u8) }).await.unwrap_err()
        });
        assert_eq!(err.to_string(), format!("task {} panicked", err.id()));
        let payload: Box<dyn std::any::Any + Send> = err.into_panic();
        assert_eq!(payload.downcast_ref::<u8>(), Some(&17));
    }

    #[test]
    fn task_ids_are_distinct_and_visible_inside() {
        let rt = rt();
        rt.block_on(async {
            let a = magpie::spawn(async { task::id() });
            let b = magpie::spawn(async { task::try_id() });
            let (a_id, b_id) = (a.id(), b.id());
            assert_ne!(a_id, b_id);
            assert_eq!(a.await.unwrap(), a_id);
            assert_eq!(b.await.unwrap(), Some(b_id));
        });
        // Outside a task there is none.
        assert_eq!(task::try_id(), None);
    }

    #[test]
    fn dropping_the_runtime_drops_ten_thousand_pending_tasks() {
        const N: usize = if cfg!(miri) { 100 } else { 10_000 };
        let rt = rt();
        let drops = Arc::new(AtomicUsize::new(0));
        for _ in 0..N {
            rt.spawn(pending_with_guard(DropCounter(drops.clone())));
        }
        // Let some of them start on every flavor.
        rt.block_on(task::yield_now());
        drop(rt);
        assert_eq!(drops.load(SeqCst), N);
    }

    #[test]
    fn dropping_the_runtime_drops_an_unpolled_task_output_and_future() {
        let rt = rt();
        let drops = Arc::new(AtomicUsize::new(0));
        // A finished task whose output nobody collected.
        let guard = DropCounter(drops.clone());
        let finished = rt.spawn(async move { guard });
        rt.block_on(yield_until("the task to finish", || finished.is_finished()));
        assert_eq!(drops.load(SeqCst), 0, "output dropped before its JoinHandle");
        drop(rt);
        assert_eq!(drops.load(SeqCst), 0, "output dropped while its JoinHandle lives");
        drop(finished);
        assert_eq!(drops.load(SeqCst), 1);
    }

    #[test]
    fn join_handle_of_a_task_lost_at_shutdown_is_cancelled() {
        let rt = rt();
        let handle = rt.spawn(std::future::pending::<()>());
        drop(rt);
        let other = magpie::runtime::Builder::new_current_thread().build().unwrap();
        let err = other.block_on(handle).unwrap_err();
        assert!(err.is_cancelled());
    }

    #[test]
    fn handle_spawn_and_block_on_from_a_plain_thread() {
        let rt = rt();
        let handle = rt.handle().clone();
        let (tx, rx) = oneshot::channel();
        let thread = std::thread::spawn(move || {
            let join = handle.spawn(async { std::thread::current().id() });
            let ran_on = handle.block_on(join).unwrap();
            // block_on on a handle from this thread can also run async code
            // that only needs wakers.
            let seven = handle.block_on(async { 7 });
            tx.send((ran_on, seven)).unwrap();
        });
        // The runtime is driven here (current_thread needs it).
        let (ran_on, seven) = rt.block_on(rx).unwrap();
        thread.join().unwrap();
        assert_eq!(seven, 7);
        if workers() == 0 {
            assert_eq!(ran_on, std::thread::current().id());
        } else {
            assert_ne!(ran_on, std::thread::current().id());
        }
    }

    #[test]
    fn handle_current_inside_and_outside() {
        assert!(Handle::try_current().is_err());
        let rt = rt();
        let inside_task = rt.block_on(async {
            let handle = Handle::current();
            let out = handle.spawn(async { 9 }).await.unwrap();
            assert_eq!(out, 9);
            assert!(Handle::try_current().is_ok());
            // Also inside a spawned task.
            magpie::spawn(async { Handle::try_current().is_ok() }).await.unwrap()
        });
        assert!(inside_task);
        assert!(Handle::try_current().is_err());
    }

    #[test]
    fn runtime_enter_makes_the_handle_current() {
        let rt = rt();
        {
            let guard = rt.enter();
            assert!(Handle::try_current().is_ok());
            // spawn works with only the guard held.
            let handle = magpie::spawn(async { 4 });
            drop(guard);
            assert_eq!(rt.block_on(handle).unwrap(), 4);
        }
        assert!(Handle::try_current().is_err());
    }

    #[test]
    fn spawned_task_does_not_run_before_the_spawner_yields() {
        if workers() != 0 {
            // A worker may pick the task up at once: nothing to assert.
            return;
        }
        let rt = rt();
        let ran = Arc::new(AtomicBool::new(false));
        rt.block_on(async {
            let task_ran = ran.clone();
            let handle = magpie::spawn(async move { task_ran.store(true, SeqCst) });
            // Busy, but never yielding.
            for _ in 0..1_000 {
                std::hint::spin_loop();
            }
            std::thread::sleep(Duration::from_millis(5));
            assert!(!ran.load(SeqCst), "ran before the spawner yielded");
            handle.await.unwrap();
            assert!(ran.load(SeqCst));
        });
    }

    #[test]
    fn yield_now_lets_other_tasks_run() {
        let rt = rt();
        let flag = Arc::new(AtomicBool::new(false));
        rt.block_on(async {
            let waiter_flag = flag.clone();
            // Spins with yield_now until another task sets the flag; on
            // current_thread and one worker this only ends if yielding
            // really gives the others a turn.
            let waiter = magpie::spawn(async move {
                yield_until("the setter to run", || waiter_flag.load(SeqCst)).await;
            });
            let setter_flag = flag.clone();
            let setter = magpie::spawn(async move { setter_flag.store(true, SeqCst) });
            setter.await.unwrap();
            waiter.await.unwrap();
        });
        assert!(flag.load(SeqCst));
    }

    #[test]
    fn yield_now_in_block_on_lets_spawned_tasks_run() {
        let rt = rt();
        rt.block_on(async {
            let flag = Arc::new(AtomicBool::new(false));
            let task_flag = flag.clone();
            let _detached = magpie::spawn(async move { task_flag.store(true, SeqCst) });
            yield_until("the spawned task to run", || flag.load(SeqCst)).await;
        });
    }

    #[test]
    fn a_task_woken_while_running_is_polled_again() {
        /// Wakes itself on the first poll, then completes.
        struct SelfWake(bool);
        impl Future for SelfWake {
            type Output = &'static str;
            fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
                if self.0 {
                    Poll::Ready("done")
                } else {
                    self.0 = true;
                    cx.waker().wake_by_ref();
                    Poll::Pending
                }
            }
        }
        let rt = rt();
        assert_eq!(rt.block_on(async { magpie::spawn(SelfWake(false)).await.unwrap() }), "done");
        assert_eq!(rt.block_on(SelfWake(false)), "done");
    }

    #[test]
    fn spawn_blocking_runs_and_returns() {
        let rt = rt();
        let (out, thread) = rt.block_on(async {
            task::spawn_blocking(|| (6 * 7, std::thread::current().id())).await.unwrap()
        });
        assert_eq!(out, 42);
        assert_ne!(thread, std::thread::current().id());
    }

    #[test]
    fn num_workers_metric() {
        let rt = rt();
        assert_eq!(rt.metrics().num_workers(), workers().max(1));
        assert_eq!(rt.handle().metrics().num_workers(), workers().max(1));
    }

    #[test]
    fn runtime_flavor_is_reported() {
        let rt = rt();
        let expected = if workers() == 0 {
            magpie::runtime::RuntimeFlavor::CurrentThread
        } else {
            magpie::runtime::RuntimeFlavor::MultiThread
        };
        assert_eq!(rt.handle().runtime_flavor(), expected);
        assert_eq!(rt.block_on(async { Handle::current().runtime_flavor() }), expected);
    }

    #[test]
    fn join_handle_is_send_and_error_is_send_sync() {
        fn send<T: Send>(_: &T) {}
        fn send_sync<T: Send + Sync>() {}
        let rt = rt();
        let handle = rt.spawn(async {});
        send(&handle);
        send_sync::<JoinError>();
        send_sync::<task::AbortHandle>();
        rt.block_on(handle).unwrap();
    }

    #[test]
    fn coop_budget_makes_a_task_on_ready_join_handles_yield() {
        let rt = rt();
        let forced_pending = rt.block_on(async {
            magpie::spawn(async {
                let mut handles: Vec<_> = (0..1_000).map(|_| magpie::spawn(async {})).collect();
                yield_until("every task to finish", || handles.iter().all(|h| h.is_finished()))
                    .await;
                // Every handle is ready, but one poll may only complete so
                // many of them before the budget runs out.
                std::future::poll_fn(|cx| {
                    for handle in handles.iter_mut() {
                        if Pin::new(handle).poll(cx).is_pending() {
                            return Poll::Ready(true);
                        }
                    }
                    Poll::Ready(false)
                })
                .await
            })
            .await
            .unwrap()
        });
        assert!(forced_pending, "1000 ready JoinHandles completed in a single poll");
    }

    #[test]
    fn wakes_during_shutdown_are_harmless() {
        let rt = rt();
        let drops = Arc::new(AtomicUsize::new(0));
        for _ in 0..100 {
            let (tx, rx) = oneshot::channel::<()>();
            let waiter_guard = DropCounter(drops.clone());
            rt.spawn(async move {
                let _guard = waiter_guard;
                let _ = rx.await;
                std::future::pending::<()>().await;
            });
            let holder_guard = DropCounter(drops.clone());
            rt.spawn(async move {
                let _guard = holder_guard;
                // Dropping `tx` at shutdown wakes the waiter.
                let _tx = tx;
                std::future::pending::<()>().await;
            });
        }
        rt.block_on(task::yield_now());
        drop(rt);
        assert_eq!(drops.load(SeqCst), 200);
    }

    #[test]
    fn join_handle_can_be_awaited_on_another_runtime() {
        let rt = rt();
        let other = magpie::runtime::Builder::new_current_thread().build().unwrap();
        let (tx, rx) = oneshot::channel::<u32>();
        let handle = rt.spawn(async move { rx.await.unwrap() + 1 });
        // Another runtime, on another thread, waits for the task.
        let waiter = std::thread::spawn(move || other.block_on(handle));
        tx.send(1).unwrap();
        // Drive `rt` meanwhile (on current_thread the task runs only then).
        rt.block_on(yield_until("the other runtime's wait", || waiter.is_finished()));
        assert_eq!(waiter.join().unwrap().unwrap(), 2);
    }

    #[test]
    fn runtime_and_handle_are_send_and_sync() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<magpie::runtime::Runtime>();
        send_sync::<Handle>();
        let rt = rt();
        let handle = rt.handle().clone();
        // The runtime can move to another thread and be used there.
        let out = std::thread::spawn(move || rt.block_on(async { 3 })).join().unwrap();
        assert_eq!(out, 3);
        drop(handle);
    }

    #[test]
    fn tasks_spawned_from_a_dropped_handles_thread_still_run() {
        // A spawn made from a thread that then exits must not be lost.
        let rt = rt();
        let handle = rt.handle().clone();
        let join = std::thread::spawn(move || handle.spawn(async { 11 })).join().unwrap();
        assert_eq!(rt.block_on(join).unwrap(), 11);
    }
}
