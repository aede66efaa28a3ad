//! `Builder::unhandled_panic`: with `ShutdownRuntime` (tokio has it, as
//! an unstable option, for current_thread only; magpie offers it for both
//! flavors) a panicking spawned task shuts the runtime down and makes
//! `block_on` panic naming the task; with `Ignore` (the default) the panic
//! only reaches the task's `JoinHandle`.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::any::Any;
use std::future::{Future, pending};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use magpie::runtime::{Builder, Runtime, UnhandledPanic};
use magpie::task::{Id, JoinError, JoinHandle};

const FLAVORS: [&str; 2] = ["current_thread", "multi_thread"];

fn runtime(flavor: &str, policy: UnhandledPanic) -> Runtime {
    let mut b = match flavor {
        "current_thread" => Builder::new_current_thread(),
        _ => {
            let mut b = Builder::new_multi_thread();
            b.worker_threads(2);
            b
        }
    };
    b.enable_all().unhandled_panic(policy).build().unwrap()
}

fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("<not a string>")
}

fn panic_message<R>(f: impl FnOnce() -> R) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => message(&*payload).to_owned(),
    }
}

/// Waits (bounded) for an effect on another thread.
fn settle(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(Instant::now() < deadline, "never settled: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

/// Polls a finished `JoinHandle` once, outside any runtime.
fn result_now<T>(h: JoinHandle<T>) -> Result<T, JoinError> {
    let mut h = pin!(h);
    match h.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(r) => r,
        Poll::Pending => panic!("the task has not finished"),
    }
}

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Everything a scenario leaves behind for the checks.
#[derive(Default)]
struct Seen {
    panicking_id: Option<Id>,
    bystanders: Vec<JoinHandle<()>>,
}

/// Spawns `n` tasks that wait forever (owning a drop counter), then one
/// that panics, and waits for the runtime to shut down (or, if it never
/// does, returns after a long while: `block_on` then does not panic and the
/// test fails rather than hangs).
async fn scenario(seen: Arc<Mutex<Seen>>, dropped: Arc<AtomicUsize>, n: usize) {
    for _ in 0..n {
        let guard = DropCounter(dropped.clone());
        let h = magpie::spawn(async move {
            let _guard = guard;
            pending::<()>().await
        });
        seen.lock().unwrap().bystanders.push(h);
    }
    // Let the bystanders start (they are pending, not merely queued).
    for _ in 0..4 {
        magpie::task::yield_now().await;
    }
    let h = magpie::spawn(async { panic!("task boom") });
    seen.lock().unwrap().panicking_id = Some(h.id());
    drop(h);
    hang_guard().await
}

/// Stands in for "wait forever" in a `block_on` that must be interrupted
/// by a task's panic: a long sleep, so a broken policy fails the test
/// instead of hanging it.
async fn hang_guard() {
    magpie::time::sleep(Duration::from_secs(30)).await
}

#[test]
fn shutdown_runtime_makes_block_on_panic_naming_the_task() {
    for flavor in FLAVORS {
        let rt = runtime(flavor, UnhandledPanic::ShutdownRuntime);
        let seen = Arc::new(Mutex::new(Seen::default()));
        let dropped = Arc::new(AtomicUsize::new(0));
        let msg = panic_message(|| rt.block_on(scenario(seen.clone(), dropped.clone(), 10)));
        let id = seen
            .lock()
            .unwrap()
            .panicking_id
            .expect("panicking task spawned");
        // Names the task and where it was spawned (this file).
        assert!(
            msg.contains(&format!("task {id} (spawned at {}:", file!())),
            "{flavor}: {msg}"
        );
        assert!(msg.contains("panicked"), "{flavor}: {msg}");
        assert!(msg.contains("unhandled panic"), "{flavor}: {msg}");

        // Every other task is cancelled, before the runtime is dropped.
        settle("bystanders cancelled", || dropped.load(SeqCst) == 10);
        let bystanders = std::mem::take(&mut seen.lock().unwrap().bystanders);
        for h in bystanders {
            settle("bystander finished", || h.is_finished());
            assert!(result_now(h).unwrap_err().is_cancelled(), "{flavor}");
        }

        // The runtime is shut down: new tasks are cancelled at once and
        // block_on keeps reporting the panic.
        let late = rt.spawn(async { 5 });
        settle("late task finished", || late.is_finished());
        assert!(result_now(late).unwrap_err().is_cancelled(), "{flavor}");
        let again = panic_message(|| rt.block_on(pending::<()>()));
        assert!(
            again.contains(&format!("task {id} (spawned at {}:", file!())),
            "{flavor}: {again}"
        );
        drop(rt);
    }
}

#[test]
fn shutdown_runtime_wakes_a_block_on_that_waits_on_something_else() {
    // The main future waits on a timer far away: the panic must interrupt it.
    for flavor in FLAVORS {
        let rt = runtime(flavor, UnhandledPanic::ShutdownRuntime);
        let msg = panic_message(|| {
            rt.block_on(async {
                magpie::spawn(async {
                    magpie::time::sleep(Duration::from_millis(5)).await;
                    panic!("late boom");
                });
                hang_guard().await;
            })
        });
        assert!(msg.contains("panicked"), "{flavor}: {msg}");
    }
}

#[test]
fn shutdown_runtime_also_counts_a_panicking_drop() {
    /// Ready at once; its Drop, which the task runs after storing the
    /// output (not inside a poll), panics.
    struct ReadyThenPanicOnDrop;
    impl Future for ReadyThenPanicOnDrop {
        type Output = ();
        fn poll(self: std::pin::Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
            Poll::Ready(())
        }
    }
    impl Drop for ReadyThenPanicOnDrop {
        fn drop(&mut self) {
            panic!("drop boom");
        }
    }
    for flavor in FLAVORS {
        let rt = runtime(flavor, UnhandledPanic::ShutdownRuntime);
        let seen = Arc::new(Mutex::new(None));
        let msg = panic_message(|| {
            rt.block_on(async {
                let h = magpie::spawn(ReadyThenPanicOnDrop);
                *seen.lock().unwrap() = Some(h.id());
                hang_guard().await
            })
        });
        let id = seen.lock().unwrap().expect("spawned");
        // Names the task and where it was spawned (this file).
        assert!(
            msg.contains(&format!("task {id} (spawned at {}:", file!())),
            "{flavor}: {msg}"
        );
        assert!(msg.contains("panicked"), "{flavor}: {msg}");
    }
}

#[test]
fn shutdown_runtime_ignores_blocking_tasks_and_handled_errors() {
    for flavor in FLAVORS {
        let rt = runtime(flavor, UnhandledPanic::ShutdownRuntime);
        let out = rt.block_on(async {
            // A panicking spawn_blocking closure is not a task panic.
            let err = magpie::task::spawn_blocking(|| panic!("blocking boom"))
                .await
                .unwrap_err();
            assert!(err.is_panic());
            // Neither is an aborted task.
            let h = magpie::spawn(pending::<()>());
            h.abort();
            assert!(h.await.unwrap_err().is_cancelled());
            magpie::spawn(async { 9 }).await.unwrap()
        });
        assert_eq!(out, 9, "{flavor}");
    }
}

#[test]
fn ignore_is_the_default_and_leaves_the_panic_to_the_join_handle() {
    for flavor in FLAVORS {
        for explicit in [false, true] {
            let rt = if explicit {
                runtime(flavor, UnhandledPanic::Ignore)
            } else {
                let mut b = match flavor {
                    "current_thread" => Builder::new_current_thread(),
                    _ => Builder::new_multi_thread(),
                };
                b.enable_all().build().unwrap()
            };
            let dropped = Arc::new(AtomicUsize::new(0));
            let (msg, survivor) = rt.block_on(async {
                let guard = DropCounter(dropped.clone());
                let survivor = magpie::spawn(async move {
                    let _guard = guard;
                    for _ in 0..20 {
                        magpie::task::yield_now().await;
                    }
                    17
                });
                let err = magpie::spawn(async { panic!("task boom") })
                    .await
                    .unwrap_err();
                assert!(err.is_panic());
                (
                    message(&*err.into_panic()).to_owned(),
                    survivor.await.unwrap(),
                )
            });
            assert_eq!(msg, "task boom");
            assert_eq!(survivor, 17);
            assert_eq!(dropped.load(SeqCst), 1);
            // Still fully usable.
            assert_eq!(
                rt.block_on(async { magpie::spawn(async { 3 }).await.unwrap() }),
                3
            );
        }
    }
}
