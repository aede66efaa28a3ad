//! Models of races on one task's state word. See `mod.rs` for the checks
//! every model makes; each model's doc says what it adds.

use crate::loom::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use crate::loom::sync::{Arc, Mutex};
use crate::loom::thread;
use crate::task::{self, Id, JoinError, JoinHandle, Notified, Schedule, Task};
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};

/// The test scheduler: a run queue and an owned list.
#[derive(Clone)]
struct Sched(Arc<SchedInner>);

struct SchedInner {
    queue: Mutex<Vec<Notified<Sched>>>,
    owned: Mutex<Vec<Task<Sched>>>,
}

impl Sched {
    fn new() -> Sched {
        Sched(Arc::new(SchedInner {
            queue: Mutex::new(Vec::new()),
            owned: Mutex::new(Vec::new()),
        }))
    }

    fn pop(&self) -> Option<Notified<Sched>> {
        self.0.queue.lock().pop()
    }

    /// Runs queued tasks until the queue is empty.
    fn drain(&self) {
        while let Some(n) = self.pop() {
            n.run();
        }
    }

    fn queued(&self) -> usize {
        self.0.queue.lock().len()
    }

    /// Spawns `future`; the first `Notified` is queued, and with `owned`
    /// the owned-list reference is kept (as a runtime does), else dropped
    /// (as the blocking pool does).
    fn spawn<F>(&self, future: F, owned: bool) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (task, notified, join) = task::new_task(
            future,
            self.clone(),
            Id::next(),
            std::panic::Location::caller(),
        );
        if owned {
            self.0.owned.lock().push(task);
        } else {
            drop(task);
        }
        self.schedule(notified);
        join
    }
}

impl Schedule for Sched {
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        let mut owned = self.0.owned.lock();
        let i = owned.iter().position(|t| t.raw.ptr() == task.raw.ptr())?;
        Some(owned.swap_remove(i))
    }

    fn schedule(&self, task: Notified<Self>) {
        let mut queue = self.0.queue.lock();
        assert!(
            !queue.iter().any(|n| n.0.raw.ptr() == task.0.raw.ptr()),
            "task queued twice"
        );
        queue.push(task);
    }
}

/// Counts drops; also holds a loom `Arc` so that leaking it (a task never
/// freed) is reported by loom.
struct Track {
    drops: Arc<AtomicUsize>,
}

impl Drop for Track {
    fn drop(&mut self) {
        self.drops.fetch_add(1, SeqCst);
    }
}

/// Returns `Pending` on its first poll (storing a waker clone in `slot`),
/// then `Ready(output)`.
struct PendingOnce {
    polled: bool,
    slot: Arc<Mutex<Option<Waker>>>,
    output: Option<Track>,
    _track: Track,
}

impl Future for PendingOnce {
    type Output = Track;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Track> {
        if !self.polled {
            self.polled = true;
            *self.slot.lock() = Some(cx.waker().clone());
            return Poll::Pending;
        }
        Poll::Ready(self.output.take().expect("polled after completion"))
    }
}

/// Drop counters of one task's future and output.
struct Counters {
    future: Arc<AtomicUsize>,
    output: Arc<AtomicUsize>,
    slot: Arc<Mutex<Option<Waker>>>,
}

impl Counters {
    fn new() -> Counters {
        Counters {
            future: Arc::new(AtomicUsize::new(0)),
            output: Arc::new(AtomicUsize::new(0)),
            slot: Arc::new(Mutex::new(None)),
        }
    }

    fn future(&self) -> PendingOnce {
        PendingOnce {
            polled: false,
            slot: self.slot.clone(),
            output: Some(Track {
                drops: self.output.clone(),
            }),
            _track: Track {
                drops: self.future.clone(),
            },
        }
    }

    fn take_waker(&self) -> Waker {
        self.slot.lock().take().expect("no waker stored")
    }

    /// The future is gone, exactly once; the output was dropped exactly
    /// once if the task completed (it is inside the future until then, so
    /// a cancelled task drops it with the future).
    fn assert_dropped_once(&self) {
        assert_eq!(self.future.load(SeqCst), 1, "future drops");
        assert_eq!(self.output.load(SeqCst), 1, "output drops");
    }
}

/// A join waker that records that it was woken. It holds a loom `Arc`, so
/// a leaked join waker is reported by loom.
struct Flag(Arc<AtomicBool>);

impl Wake for Flag {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.store(true, SeqCst);
    }
}

fn flag_waker() -> (Waker, Arc<AtomicBool>) {
    let flag = Arc::new(AtomicBool::new(false));
    (Waker::from(std::sync::Arc::new(Flag(flag.clone()))), flag)
}

fn poll_join<T>(join: &mut JoinHandle<T>, waker: &Waker) -> Poll<Result<T, JoinError>> {
    Pin::new(join).poll(&mut Context::from_waker(waker))
}

/// Polls the JoinHandle of a completed (or cancelled) task.
fn join_now<T>(mut join: JoinHandle<T>) -> Result<T, JoinError> {
    match poll_join(&mut join, Waker::noop()) {
        Poll::Ready(out) => out,
        Poll::Pending => panic!("task not finished after every queued run"),
    }
}

/// Spawns a `PendingOnce` task and runs its first poll, which parks it
/// (idle, its waker in the slot). The queue is empty afterwards.
fn spawn_idle(sched: &Sched, c: &Counters, owned: bool) -> JoinHandle<Track> {
    let join = sched.spawn(c.future(), owned);
    sched.pop().expect("first Notified").run();
    assert_eq!(sched.queued(), 0);
    join
}

/// Wake vs complete: a waker fires (by value, consuming its reference)
/// while another thread runs the task's final poll. The wake must either
/// be absorbed (task notified already / running / complete) or queue the
/// task once; the completion must publish the output; and whichever side
/// drops the last reference frees the task exactly once. The JoinHandle is
/// dropped on a third party (main) while both run, so the last reference
/// can be any of them.
#[test]
fn loom_task_wake_vs_complete() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let join = spawn_idle(&sched, &c, true);
        let waker = c.take_waker();
        // Queue it for its final poll; keep a second waker for the race.
        waker.wake_by_ref();

        let s = sched.clone();
        let runner = thread::spawn(move || s.drain());
        let waking = thread::spawn(move || waker.wake());

        let out = join_or_pending(join);
        runner.join().unwrap();
        waking.join().unwrap();
        sched.drain();
        if let Some(out) = out {
            drop(out.expect("task completed, not cancelled"));
        }
        assert_eq!(sched.queued(), 0);
        c.assert_dropped_once();
    });
}

/// Polls once on the current thread; the handle is dropped if pending.
fn join_or_pending<T>(mut join: JoinHandle<T>) -> Option<Result<T, JoinError>> {
    match poll_join(&mut join, Waker::noop()) {
        Poll::Ready(out) => Some(out),
        Poll::Pending => None,
    }
}

/// Wake vs abort: an idle task is woken by one thread (which then runs the
/// queue) and aborted by another. Both may want to queue it; exactly one
/// `Notified` may exist at a time (`Sched::schedule` asserts it). The task
/// ends either completed (its poll ran before the abort landed) or
/// cancelled, and its JoinHandle reports which.
#[test]
fn loom_task_wake_vs_abort() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let join = spawn_idle(&sched, &c, true);
        let waker = c.take_waker();
        let abort = join.abort_handle();

        let s = sched.clone();
        let waking = thread::spawn(move || {
            waker.wake();
            s.drain();
        });
        let aborting = thread::spawn(move || abort.abort());

        waking.join().unwrap();
        aborting.join().unwrap();
        sched.drain();
        match join_now(join) {
            Ok(out) => drop(out),
            Err(e) => assert!(e.is_cancelled(), "{e:?}"),
        }
        c.assert_dropped_once();
    });
}

/// Abort vs complete: a queued task runs to completion on one thread while
/// another aborts it. An abort that lands while the task runs must not
/// cancel an already stored output (COMPLETE wins, the abort is a no-op),
/// and one that lands before the poll cancels it instead of polling.
#[test]
fn loom_task_abort_vs_complete() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let join = spawn_idle(&sched, &c, true);
        c.take_waker().wake();
        let abort = join.abort_handle();

        let s = sched.clone();
        let runner = thread::spawn(move || s.drain());
        let aborting = thread::spawn(move || {
            abort.abort();
            drop(abort);
        });

        runner.join().unwrap();
        aborting.join().unwrap();
        sched.drain();
        match join_now(join) {
            Ok(out) => drop(out),
            Err(e) => assert!(e.is_cancelled(), "{e:?}"),
        }
        c.assert_dropped_once();
    });
}

/// JoinHandle drop vs complete: the JoinHandle has registered a join waker
/// and is dropped while the task completes. Rules 3 and 4 of `task/mod.rs`:
/// the output is dropped exactly once, by the completer (interest already
/// gone) or by the JoinHandle (complete already); the join waker is
/// dropped exactly once by whoever owns the slot (a leak is reported by
/// loom through the `Arc` in the waker), and never read after it is freed.
#[test]
fn loom_task_join_handle_drop_vs_complete() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let mut join = spawn_idle(&sched, &c, true);
        let (jw, _woken) = flag_waker();
        assert!(poll_join(&mut join, &jw).is_pending());
        drop(jw);
        c.take_waker().wake();

        let s = sched.clone();
        let runner = thread::spawn(move || s.drain());
        let dropper = thread::spawn(move || drop(join));

        runner.join().unwrap();
        dropper.join().unwrap();
        sched.drain();
        c.assert_dropped_once();
    });
}

/// Join-waker registration vs completion (no lost join wakeup): the task
/// completes on one thread while another polls its JoinHandle, first with
/// one waker and then, if still pending, with a different one (which
/// swaps the registered waker, rule 2). If the last poll returned
/// `Pending`, the waker it registered must have been woken, and the output
/// must be readable.
#[test]
fn loom_task_join_waker_vs_complete() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let join = spawn_idle(&sched, &c, true);
        c.take_waker().wake();

        let s = sched.clone();
        let runner = thread::spawn(move || s.drain());
        let joiner = thread::spawn(move || {
            let mut join = join;
            let (w1, _f1) = flag_waker();
            if let Poll::Ready(out) = poll_join(&mut join, &w1) {
                drop(out.unwrap());
                return None;
            }
            let (w2, f2) = flag_waker();
            match poll_join(&mut join, &w2) {
                Poll::Ready(out) => {
                    drop(out.unwrap());
                    None
                }
                Poll::Pending => Some((join, f2)),
            }
        });

        runner.join().unwrap();
        if let Some((join, woken)) = joiner.join().unwrap() {
            assert!(woken.load(SeqCst), "lost join wakeup");
            drop(join_now(join).unwrap());
        }
        assert_eq!(sched.queued(), 0);
        c.assert_dropped_once();
    });
}

/// Waker clone/drop racing the last reference: the task is not in an owned
/// list (as a blocking task), so once it is idle the only references are
/// its waker and its JoinHandle. One thread wakes by reference, clones the
/// waker and drops both; another drops the JoinHandle; a `Notified` made by
/// the wake is run by main afterwards. Whoever drops the last reference
/// must free the task exactly once; nobody may touch it after (loom's
/// checks on the cells and the counters would fire).
#[test]
fn loom_task_waker_drop_vs_last_ref() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let join = spawn_idle(&sched, &c, false);
        let waker = c.take_waker();

        let waking = thread::spawn(move || {
            waker.wake_by_ref();
            let clone = waker.clone();
            drop(waker);
            drop(clone);
        });
        let dropper = thread::spawn(move || drop(join));

        waking.join().unwrap();
        dropper.join().unwrap();
        // The wake queued the task: its final poll completes it and, the
        // JoinHandle being gone, drops the output and frees the task.
        assert_eq!(sched.queued(), 1);
        sched.drain();
        assert_eq!(sched.queued(), 0);
        c.assert_dropped_once();
    });
}

/// Completes once `flag` is set; every poll first (re)stores its waker in
/// `slot`, then checks the flag (the usual resource pattern).
struct WaitFlag {
    flag: Arc<AtomicBool>,
    slot: Arc<Mutex<Option<Waker>>>,
    output: Option<Track>,
    _track: Track,
}

impl Future for WaitFlag {
    type Output = Track;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Track> {
        *self.slot.lock() = Some(cx.waker().clone());
        if self.flag.load(SeqCst) {
            return Poll::Ready(self.output.take().expect("polled after completion"));
        }
        Poll::Pending
    }
}

/// A wake during a poll is not lost: one thread polls the task (which
/// registers its waker, then finds its condition false) while another sets
/// the condition and calls `wake_by_ref`. If the wake lands while the task
/// is RUNNING it must set NOTIFIED so that the poller re-queues the task
/// (`transition_to_idle` → `OkNotified`); after both threads and the
/// queue are done the task must have completed.
#[test]
fn loom_task_wake_by_ref_while_running() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let flag = Arc::new(AtomicBool::new(false));
        let join = sched.spawn(
            WaitFlag {
                flag: flag.clone(),
                slot: c.slot.clone(),
                output: Some(Track {
                    drops: c.output.clone(),
                }),
                _track: Track {
                    drops: c.future.clone(),
                },
            },
            true,
        );

        let s = sched.clone();
        let runner = thread::spawn(move || s.drain());
        let slot = c.slot.clone();
        let waking = thread::spawn(move || {
            flag.store(true, SeqCst);
            let waker = slot.lock().clone();
            if let Some(waker) = waker {
                waker.wake_by_ref();
            }
        });

        runner.join().unwrap();
        waking.join().unwrap();
        sched.drain();
        drop(join_now(join).expect("task completed"));
        // The last registered waker is still in the slot; drop it so the
        // task is freed.
        drop(c.slot.lock().take());
        c.assert_dropped_once();
    });
}

/// Shutdown racing with a wake: the runtime's shutdown path
/// (`OwnedTasks::close_and_shutdown_all` → `Task::shutdown`, which claims an
/// idle task by setting RUNNING and cancels it, then the scheduler drops
/// every queued `Notified` unrun) races a waker firing on another thread.
/// The wake may queue the task before the shutdown claims it (the queued
/// entry is then dropped by the shutdown, its reference released), find
/// it claimed (RUNNING: NOTIFIED is set, nobody re-queues a cancelled
/// task), or find it complete. The future is dropped exactly once, the
/// JoinHandle reports cancellation, and the task is freed.
#[test]
fn loom_task_shutdown_vs_wake() {
    loom::model(|| {
        let sched = Sched::new();
        let c = Counters::new();
        let join = spawn_idle(&sched, &c, true);
        let waker = c.take_waker();

        let waking = thread::spawn(move || waker.wake());
        let s = sched.clone();
        let shutdown = thread::spawn(move || {
            let owned: Vec<_> = s.0.owned.lock().drain(..).collect();
            for task in owned {
                task.shutdown();
            }
            // The scheduler's final drain drops queued entries unrun.
            while let Some(n) = s.pop() {
                drop(n);
            }
        });

        waking.join().unwrap();
        shutdown.join().unwrap();
        // A wake that queued the task after the drain left one entry;
        // dropping it (as a closed injector does) releases it.
        while let Some(n) = sched.pop() {
            drop(n);
        }
        match join_now(join) {
            Err(e) => assert!(e.is_cancelled(), "{e:?}"),
            Ok(_) => panic!("a shut-down task completed"),
        }
        c.assert_dropped_once();
    });
}
