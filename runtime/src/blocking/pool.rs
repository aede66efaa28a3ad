//! See `mod.rs`.

use crate::loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use crate::loom::sync::{Arc, Condvar, Mutex};
use crate::loom::thread;
use crate::runtime::config::{Callback, ThreadNameFn};
use crate::task::{self, Id, JoinHandle, Notified, Schedule, Task};
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// How recent the last `spawn_blocking` must be for an idle scheduler
/// thread to spin for its completion (see `Spawner::expects_wake_soon`).
const RECENT: Duration = Duration::from_millis(1);

/// Owned by the runtime; shutting it down waits for the threads.
pub(crate) struct BlockingPool {
    spawner: Spawner,
}

/// Cheap to clone; spawns onto the pool.
#[derive(Clone)]
pub(crate) struct Spawner {
    inner: Arc<Inner>,
}

struct Inner {
    /// To hold a paused clock still while blocking work is pending.
    driver: magpie_reactor::Handle,
    shared: Mutex<Shared>,
    condvar: Condvar,
    /// Signalled when the last thread exits after shutdown.
    shutdown_cv: Condvar,
    thread_name: ThreadNameFn,
    stack_size: Option<usize>,
    after_start: Option<Callback>,
    before_stop: Option<Callback>,
    thread_cap: usize,
    keep_alive: Duration,
    /// `spawn_blocking` closures queued or running (not the scheduler
    /// workers that also run here).
    in_flight: AtomicUsize,
    /// When the last `spawn_blocking` came, in nanoseconds since `epoch`.
    /// With `in_flight`, it tells a worker about to park whether a wake
    /// from this pool is probably due soon (see `expects_wake_soon`).
    last_spawn: AtomicU64,
    epoch: Instant,
}

struct Shared {
    queue: VecDeque<(BlockingTask, Mandatory)>,
    num_th: usize,
    num_idle: usize,
    num_notify: usize,
    shutdown: bool,
    worker_threads: HashMap<usize, thread::JoinHandle<()>>,
    next_thread_id: usize,
    /// Threads that exited by idling out; joined on the next spawn.
    exited: Vec<thread::JoinHandle<()>>,
}

type BlockingTask = Notified<BlockingSchedule>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mandatory {
    /// Runs even if shutdown began first (scheduler workers).
    Mandatory,
    /// Cancelled if still queued at shutdown (`spawn_blocking`).
    NonMandatory,
}

/// Blocking tasks are not in any owned list and never yield.
pub(crate) struct BlockingSchedule;

impl Schedule for BlockingSchedule {
    fn release(&self, _task: &Task<Self>) -> Option<Task<Self>> {
        None
    }

    fn schedule(&self, _task: Notified<Self>) {
        // A blocking task's future completes on its first poll, and an abort
        // of a queued task only sets CANCELLED (it is already NOTIFIED), so
        // no path reschedules one; dropping the reference is all there is.
    }
}

/// Lives inside a `spawn_blocking` closure, so it is dropped when the
/// closure has run or was cancelled: until then it inhibits auto-advance of
/// a paused clock and counts the closure in [`Inner::in_flight`].
struct InFlight(Arc<Inner>);

impl InFlight {
    fn new(inner: &Arc<Inner>) -> InFlight {
        inner.driver.inhibit_auto_advance();
        inner.in_flight.fetch_add(1, Relaxed);
        let since = Instant::now().saturating_duration_since(inner.epoch);
        inner.last_spawn.store(since.as_nanos() as u64, Relaxed);
        InFlight(inner.clone())
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Relaxed);
        self.0.driver.allow_auto_advance();
    }
}

/// Runs the closure on the first poll.
struct BlockingFn<F>(Option<F>);

impl<F> Unpin for BlockingFn<F> {}

impl<R, F: FnOnce() -> R> Future for BlockingFn<F> {
    type Output = R;

    fn poll(mut self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<R> {
        let f = self
            .0
            .take()
            .expect("blocking task polled after completion");
        // Blocking code is not subject to the cooperative budget.
        Poll::Ready(crate::coop::with_unconstrained(f))
    }
}

pub(crate) struct PoolConfig {
    pub(crate) driver: magpie_reactor::Handle,
    pub(crate) thread_name: ThreadNameFn,
    pub(crate) stack_size: Option<usize>,
    pub(crate) after_start: Option<Callback>,
    pub(crate) before_stop: Option<Callback>,
    pub(crate) thread_cap: usize,
    pub(crate) keep_alive: Duration,
}

impl BlockingPool {
    pub(crate) fn new(config: PoolConfig) -> BlockingPool {
        BlockingPool {
            spawner: Spawner {
                inner: Arc::new(Inner {
                    driver: config.driver,
                    shared: Mutex::new(Shared {
                        queue: VecDeque::new(),
                        num_th: 0,
                        num_idle: 0,
                        num_notify: 0,
                        shutdown: false,
                        worker_threads: HashMap::new(),
                        next_thread_id: 0,
                        exited: Vec::new(),
                    }),
                    condvar: Condvar::new(),
                    shutdown_cv: Condvar::new(),
                    thread_name: config.thread_name,
                    stack_size: config.stack_size,
                    after_start: config.after_start,
                    before_stop: config.before_stop,
                    thread_cap: config.thread_cap,
                    in_flight: AtomicUsize::new(0),
                    last_spawn: AtomicU64::new(0),
                    epoch: Instant::now(),
                    keep_alive: config.keep_alive,
                }),
            },
        }
    }

    pub(crate) fn spawner(&self) -> &Spawner {
        &self.spawner
    }

    /// Stops the pool: queued `spawn_blocking` tasks are cancelled; waits up
    /// to `timeout` (forever if `None`) for running ones. Returns true if
    /// every thread exited in time.
    pub(crate) fn shutdown(&self, timeout: Option<Duration>) -> bool {
        let inner = &self.spawner.inner;
        let mut shared = inner.shared.lock();
        if shared.shutdown {
            // Already shut down (e.g. `shutdown_timeout` then drop).
            return shared.num_th == 0;
        }
        shared.shutdown = true;
        inner.condvar.notify_all();
        if timeout != Some(Duration::ZERO)
            && crate::context::is_entered()
            && !std::thread::panicking()
        {
            drop(shared);
            panic!(
                "Cannot drop a runtime in a context where blocking is not allowed. This happens \
                 when a runtime is dropped from within an asynchronous context."
            );
        }
        let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
        while shared.num_th > 0 {
            match deadline {
                None => shared = inner.shutdown_cv.wait(shared),
                Some(deadline) => {
                    let now = Instant::now();
                    if now >= deadline {
                        return false;
                    }
                    shared = inner.shutdown_cv.wait_timeout(shared, deadline - now).0;
                }
            }
        }
        // Joined in spawn order: a HashMap's drain order is random per map,
        // and loom needs every execution of a model to be deterministic.
        let mut threads: Vec<_> = shared.worker_threads.drain().collect();
        threads.sort_unstable_by_key(|(id, _)| *id);
        let mut threads: Vec<_> = threads.into_iter().map(|(_, h)| h).collect();
        threads.append(&mut shared.exited);
        drop(shared);
        for t in threads {
            let _ = t.join();
        }
        true
    }
}

impl Drop for BlockingPool {
    fn drop(&mut self) {
        self.shutdown(None);
    }
}

impl Spawner {
    /// `spawn_blocking`: runs `f` on a pool thread.
    #[track_caller]
    pub(crate) fn spawn_blocking<F, R>(&self, f: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        // A paused clock must not jump ahead while blocking work is queued
        // or running (its result may be what the runtime is waiting for).
        let guard = InFlight::new(&self.inner);
        let spawned_at = std::panic::Location::caller();
        let (join, res) = self.spawn_inner(
            move || {
                let _guard = guard;
                f()
            },
            Mandatory::NonMandatory,
            spawned_at,
        );
        if let Err(e) = res {
            panic!("OS can't spawn worker thread: {e}");
        }
        join
    }

    /// For scheduler workers: runs even if shutdown has begun.
    #[track_caller]
    pub(crate) fn spawn_mandatory<F>(&self, f: F) -> io::Result<()>
    where
        F: FnOnce() + Send + 'static,
    {
        let (join, res) = self.spawn_inner(f, Mandatory::Mandatory, std::panic::Location::caller());
        drop(join);
        res
    }

    fn spawn_inner<F, R>(
        &self,
        f: F,
        mandatory: Mandatory,
        spawned_at: &'static std::panic::Location<'static>,
    ) -> (JoinHandle<R>, io::Result<()>)
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        let (task, notified, join) = task::new_task(
            BlockingFn(Some(f)),
            BlockingSchedule,
            Id::next(),
            spawned_at,
        );
        // Not in an owned list: the queue entry is the only scheduler-side
        // reference.
        drop(task);
        (join, self.push(notified, mandatory))
    }

    fn push(&self, task: BlockingTask, mandatory: Mandatory) -> io::Result<()> {
        let inner = &self.inner;
        let mut shared = inner.shared.lock();
        if shared.shutdown {
            drop(shared);
            if mandatory == Mandatory::Mandatory {
                // Still run it: the caller needs it (a worker that cleans up).
                return self.spawn_thread_for(task);
            }
            task.cancel();
            return Ok(());
        }
        for t in shared.exited.drain(..) {
            let _ = t.join();
        }
        shared.queue.push_back((task, mandatory));
        if shared.num_idle == 0 {
            if shared.num_th < inner.thread_cap {
                let id = shared.next_thread_id;
                shared.next_thread_id += 1;
                match self.spawn_thread(id) {
                    Ok(handle) => {
                        shared.num_th += 1;
                        shared.worker_threads.insert(id, handle);
                    }
                    Err(e) => {
                        if shared.num_th == 0 {
                            // Nobody will run it.
                            if let Some((task, _)) = shared.queue.pop_back() {
                                drop(shared);
                                task.cancel();
                            }
                            return Err(e);
                        }
                    }
                }
            }
            // At the cap: it waits in the queue for a busy thread.
        } else {
            shared.num_idle -= 1;
            shared.num_notify += 1;
            inner.condvar.notify_one();
        }
        Ok(())
    }

    /// After shutdown, a mandatory task gets a thread of its own.
    fn spawn_thread_for(&self, task: BlockingTask) -> io::Result<()> {
        let mut builder = thread::Builder::new().name((self.inner.thread_name)());
        if let Some(size) = self.inner.stack_size {
            builder = builder.stack_size(size);
        }
        builder.spawn(move || task.run()).map(drop)
    }

    fn spawn_thread(&self, id: usize) -> io::Result<thread::JoinHandle<()>> {
        let mut builder = thread::Builder::new().name((self.inner.thread_name)());
        if let Some(size) = self.inner.stack_size {
            builder = builder.stack_size(size);
        }
        let inner = self.inner.clone();
        builder.spawn(move || {
            // A panicking hook must not kill the thread: it would leave a
            // scheduler worker never started (tasks stranded, `block_on`
            // hanging) and the thread count never going back to zero
            // (shutdown waiting forever). The panic is reported by the panic
            // hook as usual and the thread carries on.
            if let Some(f) = &inner.after_start {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f()));
            }
            inner.run(id);
            if let Some(f) = &inner.before_stop {
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| f()));
            }
        })
    }

    pub(crate) fn num_threads(&self) -> usize {
        self.inner.shared.lock().num_th
    }

    pub(crate) fn num_idle_threads(&self) -> usize {
        self.inner.shared.lock().num_idle
    }

    /// Whether a wake from this pool is probably due soon: some
    /// `spawn_blocking` closure is queued or running and the last one was
    /// spawned less than [`RECENT`] ago. (A closure that has run for long,
    /// such as a blocking read loop, is no reason to expect a wake.) A
    /// hint (relaxed loads), never needed for correctness; reads the clock
    /// only while closures are in flight.
    pub(crate) fn expects_wake_soon(&self) -> bool {
        let inner = &self.inner;
        if inner.in_flight.load(Relaxed) == 0 {
            return false;
        }
        let since = Instant::now().saturating_duration_since(inner.epoch);
        let last = Duration::from_nanos(inner.last_spawn.load(Relaxed));
        since.saturating_sub(last) < RECENT
    }

    pub(crate) fn queue_depth(&self) -> usize {
        self.inner.shared.lock().queue.len()
    }
}

impl Inner {
    fn run(&self, id: usize) {
        let mut shared = self.shared.lock();
        'main: loop {
            while let Some((task, _)) = shared.queue.pop_front() {
                drop(shared);
                task.run();
                shared = self.shared.lock();
            }
            shared.num_idle += 1;
            while !shared.shutdown {
                let (guard, timed_out) = self.condvar.wait_timeout(shared, self.keep_alive);
                shared = guard;
                if shared.num_notify != 0 {
                    shared.num_notify -= 1;
                    continue 'main;
                }
                if timed_out && !shared.shutdown {
                    // Idle for keep_alive: exit.
                    shared.num_idle -= 1;
                    if let Some(h) = shared.worker_threads.remove(&id) {
                        shared.exited.push(h);
                    }
                    break 'main;
                }
            }
            // Shutdown: run mandatory tasks, cancel the rest.
            while let Some((task, mandatory)) = shared.queue.pop_front() {
                drop(shared);
                match mandatory {
                    Mandatory::Mandatory => task.run(),
                    Mandatory::NonMandatory => task.cancel(),
                }
                shared = self.shared.lock();
            }
            shared.num_idle = shared.num_idle.saturating_sub(1);
            break;
        }
        shared.num_th -= 1;
        if shared.shutdown && shared.num_th == 0 {
            self.shutdown_cv.notify_all();
        }
    }
}
