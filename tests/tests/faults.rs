//! Faults inside user code and at the edges of a runtime's life: panicking
//! `Drop`s, wakers outliving their runtime, panics after a cross-thread
//! wake, blocking work that never ends, panicking thread hooks, and a
//! runtime dropped where blocking is not allowed. In every case the
//! runtime (or the process) survives with a clear outcome and nothing hangs.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::any::Any;
use std::future::{Future, poll_fn};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use magpie::runtime::{Builder, Runtime};

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
    [current_thread(), threaded(1), threaded(2)]
}

fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("<not a string>")
}

/// Runs `f` on its own thread and fails the test if it has not returned
/// within `limit` (generous: it only catches hangs).
fn no_hang<R: Send + 'static>(limit: Duration, f: impl FnOnce() -> R + Send + 'static) -> R {
    let (tx, rx) = mpsc::channel();
    let th = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(v) => {
            th.join().unwrap();
            v
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("hung for more than {limit:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => match th.join() {
            Err(p) => std::panic::resume_unwind(p),
            Ok(()) => unreachable!(),
        },
    }
}

/// Waits (bounded) until `cond` holds: for effects that happen on other
/// threads after the call that caused them returned.
fn settle(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !cond() {
        assert!(Instant::now() < deadline, "never settled: {what}");
        std::thread::sleep(Duration::from_millis(1));
    }
}

#[derive(Clone, Default)]
struct Counter(Arc<AtomicUsize>);

impl Counter {
    fn get(&self) -> usize {
        self.0.load(SeqCst)
    }
    fn guard(&self) -> DropCounter {
        DropCounter(self.0.clone())
    }
}

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// A future that panics when dropped; pending forever unless `ready`.
struct PanicOnDrop {
    ready: bool,
    dropped: Counter,
}

impl Future for PanicOnDrop {
    type Output = u32;

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<u32> {
        if self.ready {
            Poll::Ready(7)
        } else {
            Poll::Pending
        }
    }
}

impl Drop for PanicOnDrop {
    fn drop(&mut self) {
        // Counted before panicking: the drop did run. (A field with a Drop
        // of its own would still be dropped while unwinding.)
        self.dropped.0.fetch_add(1, SeqCst);
        panic!("boom in drop");
    }
}

/// The runtime still runs tasks.
fn assert_usable(rt: &Runtime) {
    assert_eq!(
        rt.block_on(async { magpie::spawn(async { 41 + 1 }).await.unwrap() }),
        42
    );
}

#[test]
fn future_whose_drop_panics_on_cancel() {
    for rt in all_flavors() {
        let drops = Counter::default();
        let err = rt.block_on(async {
            let h = magpie::spawn(PanicOnDrop {
                ready: false,
                dropped: drops.clone(),
            });
            magpie::task::yield_now().await;
            h.abort();
            h.await.unwrap_err()
        });
        // The Drop's panic is the task's outcome (as in tokio).
        assert!(err.is_panic(), "{err:?}");
        assert_eq!(message(&*err.into_panic()), "boom in drop");
        assert_eq!(drops.get(), 1);
        assert_usable(&rt);
    }
}

#[test]
fn future_whose_drop_panics_on_completion() {
    for rt in all_flavors() {
        let drops = Counter::default();
        let err = rt.block_on(async {
            magpie::spawn(PanicOnDrop {
                ready: true,
                dropped: drops.clone(),
            })
            .await
            .unwrap_err()
        });
        assert!(err.is_panic(), "{err:?}");
        assert_eq!(message(&*err.into_panic()), "boom in drop");
        assert_eq!(drops.get(), 1);
        assert_usable(&rt);
    }
}

#[test]
fn future_whose_drop_panics_at_runtime_shutdown() {
    for rt in all_flavors() {
        let drops = Counter::default();
        let h = rt.spawn(PanicOnDrop {
            ready: false,
            dropped: drops.clone(),
        });
        rt.block_on(magpie::task::yield_now());
        // Shutdown cancels the task; its Drop panics; drop(rt) returns.
        no_hang(Duration::from_secs(30), move || drop(rt));
        assert_eq!(drops.get(), 1);
        assert!(h.is_finished());
    }
}

/// A task that parks its waker in `slot` and stays pending forever.
fn park_waker(slot: Arc<Mutex<Option<Waker>>>, owned: DropCounter) -> impl Future<Output = ()> {
    poll_fn(move |cx| {
        let _keep = &owned;
        *slot.lock().unwrap() = Some(cx.waker().clone());
        Poll::<()>::Pending
    })
}

#[test]
fn waker_used_after_the_runtime_is_gone() {
    for (flavor, by_ref) in [
        ("current_thread", false),
        ("current_thread", true),
        ("multi_thread", false),
        ("multi_thread", true),
    ] {
        // `scheduler_freed` is owned by the runtime's scheduler handle,
        // which every task holds until its allocation is freed: it counts
        // one drop only once the last task reference (our waker) is gone.
        let scheduler_freed = Counter::default();
        let future_dropped = Counter::default();
        let rt = {
            let guard = scheduler_freed.guard();
            let mut b = match flavor {
                "current_thread" => Builder::new_current_thread(),
                _ => {
                    let mut b = Builder::new_multi_thread();
                    b.worker_threads(2);
                    b
                }
            };
            b.enable_all()
                .on_thread_park(move || {
                    let _keep = &guard;
                })
                .build()
                .unwrap()
        };
        let slot = Arc::new(Mutex::new(None));
        rt.block_on(async {
            let h = magpie::spawn(park_waker(slot.clone(), future_dropped.guard()));
            while slot.lock().unwrap().is_none() {
                magpie::task::yield_now().await;
            }
            drop(h);
        });
        let waker = slot.lock().unwrap().take().unwrap();
        drop(rt);
        // Shutdown cancelled the task: its future is gone, but our waker
        // keeps the task allocation (and with it the scheduler) alive.
        assert_eq!(future_dropped.get(), 1, "{flavor}");
        assert_eq!(scheduler_freed.get(), 0, "{flavor}");
        if by_ref {
            waker.wake_by_ref();
            waker.wake_by_ref();
            let clone = waker.clone();
            drop(waker);
            drop(clone);
        } else {
            let clone = waker.clone();
            waker.wake();
            clone.wake();
        }
        assert_eq!(future_dropped.get(), 1, "{flavor}");
        assert_eq!(scheduler_freed.get(), 1, "{flavor}: task allocation leaked");
    }
}

/// Pending on the first poll (a plain thread wakes it), panics on the
/// second.
struct PanicAfterRemoteWake {
    woken: bool,
    _owned: DropCounter,
}

impl Future for PanicAfterRemoteWake {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.woken {
            panic!("panic after remote wake");
        }
        self.woken = true;
        let waker = cx.waker().clone();
        std::thread::spawn(move || waker.wake());
        Poll::Pending
    }
}

#[test]
fn panic_on_poll_after_a_wake_from_another_thread() {
    for rt in all_flavors() {
        let drops = Counter::default();
        let results = rt.block_on(async {
            let hs: Vec<_> = (0..8)
                .map(|_| {
                    magpie::spawn(PanicAfterRemoteWake {
                        woken: false,
                        _owned: drops.guard(),
                    })
                })
                .collect();
            let mut out = Vec::new();
            for h in hs {
                out.push(h.await);
            }
            out
        });
        for r in results {
            let err = r.unwrap_err();
            assert!(err.is_panic());
            assert_eq!(message(&*err.into_panic()), "panic after remote wake");
        }
        assert_eq!(drops.get(), 8);
        assert_usable(&rt);
    }
}

#[test]
fn blocking_task_that_never_returns_does_not_hold_up_shutdown_timeout() {
    for rt in all_flavors() {
        let (release_tx, release_rx) = mpsc::channel::<()>();
        let started = Arc::new(AtomicBool::new(false));
        let finished = Arc::new(AtomicBool::new(false));
        {
            let (started, finished) = (started.clone(), finished.clone());
            drop(rt.spawn_blocking(move || {
                started.store(true, SeqCst);
                let _ = release_rx.recv();
                finished.store(true, SeqCst);
            }));
        }
        settle("blocking task started", || started.load(SeqCst));
        let elapsed = no_hang(Duration::from_secs(30), move || {
            let t = Instant::now();
            rt.shutdown_timeout(Duration::from_millis(100));
            t.elapsed()
        });
        assert!(elapsed >= Duration::from_millis(100), "{elapsed:?}");
        assert!(!finished.load(SeqCst));
        // Released, the orphaned thread finishes on its own.
        release_tx.send(()).unwrap();
        settle("blocking task finished", || finished.load(SeqCst));
    }
}

#[test]
fn panicking_on_thread_start_hook_neither_hangs_nor_kills_the_runtime() {
    // magpie's choice (see `Builder::on_thread_start`): the panic is
    // reported by the panic hook and the thread carries on. tokio instead
    // lets the thread die, which strands a worker.
    for flavor in ["current_thread", "multi_thread"] {
        let calls = Counter::default();
        let out = no_hang(Duration::from_secs(30), {
            let calls = calls.clone();
            move || {
                let mut b = match flavor {
                    "current_thread" => Builder::new_current_thread(),
                    _ => {
                        let mut b = Builder::new_multi_thread();
                        b.worker_threads(2);
                        b
                    }
                };
                let rt = b
                    .enable_all()
                    .on_thread_start(move || {
                        calls.0.fetch_add(1, SeqCst);
                        panic!("hook panicked");
                    })
                    .build()
                    .expect("build() still succeeds");
                let out = rt.block_on(async {
                    let tasks: Vec<_> = (0..16u32)
                        .map(|i| magpie::spawn(async move { i }))
                        .collect();
                    let mut sum = 0;
                    for t in tasks {
                        sum += t.await.unwrap();
                    }
                    sum + magpie::task::spawn_blocking(|| 1000).await.unwrap()
                });
                drop(rt);
                out
            }
        });
        assert_eq!(out, 120 + 1000, "{flavor}");
        // One call per thread started: the workers (multi-thread) and at
        // least one blocking thread.
        let expected_min = if flavor == "current_thread" { 1 } else { 3 };
        assert!(calls.get() >= expected_min, "{flavor}: {}", calls.get());
    }
}

const DROP_IN_ASYNC: &str = "Cannot drop a runtime in a context where blocking is not allowed";

#[test]
fn dropping_a_runtime_in_async_context_panics_with_tokios_message() {
    for outer in all_flavors() {
        for inner in [current_thread(), threaded(1)] {
            let result =
                outer.block_on(async move { catch_unwind(AssertUnwindSafe(move || drop(inner))) });
            let payload = result.expect_err("a runtime was dropped inside async code");
            assert!(
                message(&*payload).contains(DROP_IN_ASYNC),
                "{}",
                message(&*payload)
            );
            // Also from a spawned task.
            let inner = current_thread();
            let err = outer
                .block_on(async move { magpie::spawn(async move { drop(inner) }).await })
                .unwrap_err();
            assert!(err.is_panic());
            assert!(message(&*err.into_panic()).contains(DROP_IN_ASYNC));
            assert_usable(&outer);
        }
    }
}

#[test]
fn dropping_a_runtime_from_a_blocking_thread_is_allowed() {
    for outer in all_flavors() {
        let inner = threaded(1);
        outer.block_on(async move {
            magpie::task::spawn_blocking(move || drop(inner))
                .await
                .unwrap();
        });
    }
}

/// Records its address when first polled and checks it in Drop: a pinned
/// future must be dropped where it was polled (the `Pin` drop guarantee
/// that intrusive timer entries and wait-list nodes rely on).
struct AddressChecked {
    polled_at: Option<usize>,
    moved: Arc<AtomicUsize>,
    ready: bool,
    _pin: std::marker::PhantomPinned,
}

impl Future for AddressChecked {
    type Output = ();

    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: only a plain field is written; nothing is moved out.
        let this = unsafe { self.get_unchecked_mut() };
        let here = this as *const AddressChecked as usize;
        this.polled_at = Some(here);
        if this.ready {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Drop for AddressChecked {
    fn drop(&mut self) {
        let here = self as *const AddressChecked as usize;
        if self.polled_at.is_some_and(|at| at != here) {
            self.moved.fetch_add(1, SeqCst);
        }
    }
}

#[test]
fn a_polled_future_is_dropped_in_place() {
    for rt in all_flavors() {
        let moved = Arc::new(AtomicUsize::new(0));
        let new = |ready| AddressChecked {
            polled_at: None,
            moved: moved.clone(),
            ready,
            _pin: std::marker::PhantomPinned,
        };
        rt.block_on(async {
            // Completed, aborted, and left for the shutdown.
            magpie::spawn(new(true)).await.unwrap();
            let h = magpie::spawn(new(false));
            magpie::task::yield_now().await;
            h.abort();
            assert!(h.await.unwrap_err().is_cancelled());
            drop(magpie::spawn(new(false)));
            magpie::task::yield_now().await;
        });
        drop(rt);
        assert_eq!(
            moved.load(SeqCst),
            0,
            "a pinned future was moved before its drop"
        );
    }
}

#[test]
fn cancelling_tasks_parked_on_timers_and_notify_leaves_them_consistent() {
    // Aborted waiters unlink themselves from the timer wheel and from the
    // Notify's wait list; the remaining ones still work afterwards.
    for rt in all_flavors() {
        let notify = Arc::new(magpie::sync::Notify::new());
        let woken = rt.block_on(async {
            let mut keep = Vec::new();
            let mut cancel = Vec::new();
            for i in 0..32 {
                let notify = notify.clone();
                let h = magpie::spawn(async move {
                    let sleep = magpie::time::sleep(Duration::from_secs(3600 + i));
                    let notified = notify.notified();
                    // Both registered (the sleep in the wheel, the waiter
                    // in the list) before the task parks.
                    let mut sleep = std::pin::pin!(sleep);
                    let mut notified = std::pin::pin!(notified);
                    poll_fn(|cx| {
                        if sleep.as_mut().poll(cx).is_ready() {
                            return Poll::Ready(false);
                        }
                        notified.as_mut().poll(cx).map(|()| true)
                    })
                    .await
                });
                if i % 2 == 0 {
                    cancel.push(h);
                } else {
                    keep.push(h);
                }
            }
            for _ in 0..8 {
                magpie::task::yield_now().await;
            }
            for h in &cancel {
                h.abort();
            }
            for h in cancel {
                assert!(h.await.unwrap_err().is_cancelled());
            }
            // Short timers still fire after the wheel lost entries.
            magpie::time::sleep(Duration::from_millis(5)).await;
            notify.notify_waiters();
            let mut woken = 0;
            for h in keep {
                woken += usize::from(h.await.unwrap());
            }
            woken
        });
        assert_eq!(woken, 16);
        // Tasks parked on long timers at shutdown are cancelled cleanly.
        rt.block_on(async {
            for i in 0..16 {
                magpie::spawn(magpie::time::sleep(Duration::from_secs(3600 + i)));
            }
            magpie::task::yield_now().await;
        });
        no_hang(Duration::from_secs(30), move || drop(rt));
    }
}
