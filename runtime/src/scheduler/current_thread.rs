//! The current-thread scheduler: every task runs on the thread that calls
//! `block_on`.
//!
//! One local queue (a `VecDeque` owned by the `Core`, touched only by the
//! thread holding the core) and the shared injector for wakes from other
//! threads. The `Core` (queue + driver) is held by whichever thread is in
//! `block_on`; a second thread calling `block_on` at the same time polls
//! its own future and waits for the core to come free.
//!
//! Run loop (`CoreGuard::block_on`): poll the main future when woken; then
//! up to `event_interval` tasks, taking the injector first every
//! `global_queue_interval` ticks; then turn the driver without blocking.
//! With nothing to run, park in the driver (I/O, timers, or an unpark).

use super::inject::Inject;
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::loom::sync::{Arc, Mutex};
use crate::runtime::config::Config;
use crate::scheduler::{self, Context as SchedContext};
use crate::task::list::OwnedTasks;
use crate::task::{self, Id, JoinHandle, Notified, Schedule, Task};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context as TaskContext, Poll, Wake, Waker};

type TaskRef = Notified<Arc<Handle>>;

/// The scheduler, owned by the `Runtime`.
pub(crate) struct CurrentThread {
    core: Mutex<Option<Box<Core>>>,
    /// Threads waiting for the core to come free.
    waiters: Mutex<Vec<Waker>>,
}

pub(crate) struct Handle {
    shared: Shared,
    pub(crate) driver: magpie_reactor::Handle,
    pub(crate) blocking_spawner: crate::blocking::Spawner,
}

struct Shared {
    inject: Inject<TaskRef>,
    owned: OwnedTasks<Arc<Handle>>,
    /// The `block_on` future was woken.
    woken: AtomicBool,
    config: Config,
    metrics: crate::runtime::metrics::SchedulerMetrics,
}

struct Core {
    tasks: VecDeque<TaskRef>,
    /// Ticks until the injector is looked at first (a countdown, not
    /// `tick % global_queue_interval`: no division per task).
    global_countdown: u32,
    driver: Option<magpie_reactor::Driver>,
    metrics: crate::runtime::metrics::MetricsBatch,
}

/// Per-thread context while a thread drives this scheduler.
pub(crate) struct Context {
    handle: Arc<Handle>,
    core: RefCell<Option<Box<Core>>>,
}

impl CurrentThread {
    pub(crate) fn new(
        driver: magpie_reactor::Driver,
        driver_handle: magpie_reactor::Handle,
        blocking_spawner: crate::blocking::Spawner,
        config: Config,
    ) -> (CurrentThread, Arc<Handle>) {
        let config_global_interval = config.global_queue_interval;
        let handle = Arc::new(Handle {
            shared: Shared {
                inject: Inject::new(),
                owned: OwnedTasks::new(1),
                woken: AtomicBool::new(false),
                config,
                metrics: crate::runtime::metrics::SchedulerMetrics::new(1),
            },
            driver: driver_handle,
            blocking_spawner,
        });
        let core = Box::new(Core {
            tasks: VecDeque::with_capacity(64),
            global_countdown: config_global_interval,
            driver: Some(driver),
            metrics: Default::default(),
        });
        (
            CurrentThread {
                core: Mutex::new(Some(core)),
                waiters: Mutex::new(Vec::new()),
            },
            handle,
        )
    }

    #[track_caller]
    pub(crate) fn block_on<F: Future>(&self, handle: &Arc<Handle>, future: F) -> F::Output {
        let sched = scheduler::Handle::CurrentThread(handle.clone());
        let _enter = crate::context::enter_runtime(&sched);
        let mut future = pin!(future);
        loop {
            let core = self.core.lock().take();
            if let Some(core) = core {
                // The guard puts the core back and wakes waiting threads,
                // also when the main future panics.
                let guard = CoreGuard {
                    sched: self,
                    cx: SchedContext::CurrentThread(Context {
                        handle: handle.clone(),
                        core: RefCell::new(None),
                    }),
                };
                let out = crate::context::set_scheduler(&guard.cx, || {
                    let SchedContext::CurrentThread(cx) = &guard.cx else {
                        unreachable!()
                    };
                    cx.run(core, future.as_mut())
                });
                drop(guard);
                match out {
                    Some(out) => return out,
                    None => {
                        if let Some(signal) = &handle.shared.config.unhandled_panic {
                            signal.raise_if_panicked();
                        }
                        unreachable!("the run loop stops early only after a task panic")
                    }
                }
            }
            // Another thread drives the scheduler: poll our future here and
            // wait for it to finish or for the core to come free.
            let thread = crate::runtime::park::ThreadWaker::current();
            let waker = Waker::from(thread.clone());
            let mut cx = TaskContext::from_waker(&waker);
            if let Poll::Ready(out) = crate::coop::budget(|| future.as_mut().poll(&mut cx)) {
                return out;
            }
            {
                let mut waiters = self.waiters.lock();
                if self.core.lock().is_some() {
                    continue;
                }
                waiters.push(waker.clone());
            }
            thread.park();
        }
    }

    /// Shuts down: cancels every task (their futures are dropped here),
    /// drops the queues, shuts the driver down.
    pub(crate) fn shutdown(&self, handle: &Arc<Handle>) {
        handle.close();
        let Some(mut core) = self.core.lock().take() else {
            // Another thread holds the core (it is in `block_on`); it sees
            // the closed runtime and cleans up when it returns the core.
            return;
        };
        let sched = scheduler::Handle::CurrentThread(handle.clone());
        let _current = crate::context::set_current(&sched);
        let cx = SchedContext::CurrentThread(Context {
            handle: handle.clone(),
            core: RefCell::new(None),
        });
        core = crate::context::set_scheduler(&cx, || {
            let SchedContext::CurrentThread(cx) = &cx else {
                unreachable!()
            };
            cx.enter(core, || handle.shared.owned.close_and_shutdown_all())
                .0
        });
        while let Some(task) = core.tasks.pop_front() {
            drop(task);
        }
        handle.shared.inject.drain();
        if let Some(mut driver) = core.driver.take() {
            driver.shutdown(&handle.driver);
        }
    }
}

/// Returns the core to the scheduler when a `block_on` ends (or unwinds).
struct CoreGuard<'a> {
    sched: &'a CurrentThread,
    cx: SchedContext,
}

impl Drop for CoreGuard<'_> {
    fn drop(&mut self) {
        let SchedContext::CurrentThread(cx) = &self.cx else {
            unreachable!()
        };
        if let Some(core) = cx.core.borrow_mut().take() {
            *self.sched.core.lock() = Some(core);
        }
        for w in self.sched.waiters.lock().drain(..) {
            w.wake();
        }
    }
}

struct BlockOnWaker(Arc<Handle>);

impl Wake for BlockOnWaker {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.0.shared.woken.store(true, Ordering::Release);
        self.0.driver.unpark();
    }
}

impl Context {
    /// Drives tasks and `future`; leaves the core in `self.core` when it
    /// returns (or unwinds out of a poll).
    fn run<F: Future>(&self, core: Box<Core>, future: std::pin::Pin<&mut F>) -> Option<F::Output> {
        let (core, out) = self.run_inner(core, future);
        *self.core.borrow_mut() = Some(core);
        out
    }

    fn run_inner<F: Future>(
        &self,
        mut core: Box<Core>,
        mut future: std::pin::Pin<&mut F>,
    ) -> (Box<Core>, Option<F::Output>) {
        let handle = &self.handle;
        let waker = Waker::from(std::sync::Arc::new(BlockOnWaker(handle.clone())));
        let mut task_cx = TaskContext::from_waker(&waker);
        let config = &handle.shared.config;
        handle.shared.woken.store(true, Ordering::Release);
        'outer: loop {
            if handle.shared.woken.swap(false, Ordering::AcqRel) {
                let (c, res) = self.enter(core, || {
                    crate::coop::budget(|| future.as_mut().poll(&mut task_cx))
                });
                core = c;
                if let Poll::Ready(out) = res {
                    return (core, Some(out));
                }
            }
            for _ in 0..config.event_interval {
                if config
                    .unhandled_panic
                    .as_ref()
                    .is_some_and(|p| p.panicked().is_some())
                {
                    return (core, None);
                }
                let Some(task) = core.next_task(handle) else {
                    // Nothing queued. If the main future was woken, still
                    // turn the driver (without blocking) before polling it
                    // again: a future that keeps waking itself must not
                    // starve I/O and timers.
                    let woken = handle.shared.woken.load(Ordering::Acquire);
                    core = self.park(core, woken);
                    continue 'outer;
                };
                core.metrics.incr_poll();
                let watchdog = config.watchdog.as_deref();
                core = self
                    .enter(core, || {
                        crate::coop::budget(|| crate::runtime::watchdog::poll(task, 0, watchdog))
                    })
                    .0;
            }
            core = self.park(core, true);
        }
    }

    /// Turns the driver: blocking if `!yield_only` and nothing is queued.
    fn park(&self, mut core: Box<Core>, yield_only: bool) -> Box<Core> {
        let handle = &self.handle;
        let mut driver = core.driver.take().expect("driver missing");
        let block =
            !yield_only && core.tasks.is_empty() && !handle.shared.woken.load(Ordering::Acquire);
        if block && self.spin_for_work() {
            core.driver = Some(driver);
            return core;
        }
        let metrics = &handle.shared.metrics;
        metrics.workers[0].set_queue_depth(core.tasks.len());
        metrics.workers[0].submit(&core.metrics);
        if block {
            if let Some(f) = &handle.shared.config.before_park {
                f();
            }
            metrics.workers[0].about_to_park(metrics, &core.metrics);
            crate::trace::park(0);
        }
        core = self
            .enter(core, || {
                if block {
                    driver.park(&handle.driver);
                } else {
                    driver.park_timeout(&handle.driver, std::time::Duration::ZERO);
                }
            })
            .0;
        if block {
            metrics.workers[0].unparked(metrics);
            crate::trace::unpark(0);
            if let Some(f) = &handle.shared.config.after_unpark {
                f();
            }
        }
        core.driver = Some(driver);
        core
    }

    /// While a recent `spawn_blocking` closure is queued or running
    /// ([`expects_wake_soon`](crate::blocking::Spawner::expects_wake_soon)),
    /// watches the
    /// injector and the main future's wake flag for up to
    /// [`SPIN`](crate::blocking::SPIN) before parking: the closure's
    /// completion comes from another thread soon, and seeing it here saves
    /// this thread's wake-up latency. Yields the CPU between looks (the
    /// blocking thread may need it). True if work showed.
    fn spin_for_work(&self) -> bool {
        let handle = &self.handle;
        if cfg!(loom) || !handle.blocking_spawner.expects_wake_soon() {
            return false;
        }
        let work =
            || !handle.shared.inject.is_empty() || handle.shared.woken.load(Ordering::Acquire);
        let deadline = std::time::Instant::now() + crate::blocking::SPIN;
        loop {
            for _ in 0..16 {
                if work() {
                    return true;
                }
                crate::loom::hint::spin_loop();
            }
            if std::time::Instant::now() >= deadline {
                return false;
            }
            crate::loom::thread::yield_now();
        }
    }

    /// Runs `f` with the core reachable from this thread's context (so that
    /// tasks woken by `f` go into the local queue).
    fn enter<R>(&self, core: Box<Core>, f: impl FnOnce() -> R) -> (Box<Core>, R) {
        *self.core.borrow_mut() = Some(core);
        let ret = f();
        let core = self.core.borrow_mut().take().expect("core missing");
        (core, ret)
    }
}

impl Core {
    fn next_task(&mut self, handle: &Handle) -> Option<TaskRef> {
        self.global_countdown -= 1;
        if self.global_countdown == 0 {
            self.global_countdown = handle.shared.config.global_queue_interval;
            handle
                .shared
                .inject
                .pop()
                .or_else(|| self.tasks.pop_front())
        } else {
            self.tasks
                .pop_front()
                .or_else(|| handle.shared.inject.pop())
        }
    }
}

impl Handle {
    pub(crate) fn spawn<F>(
        me: &Arc<Handle>,
        future: F,
        id: Id,
        spawned_at: &'static std::panic::Location<'static>,
    ) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (task, notified, join) = task::new_task(future, me.clone(), id, spawned_at);
        if let Some(notified) = me.shared.owned.bind(task, notified) {
            Handle::schedule_task(me, notified);
        }
        join
    }

    // An associated fn, not `self: &Arc<Self>`: loom's `Arc` is not a
    // method receiver.
    fn schedule_task(me: &Arc<Self>, task: TaskRef) {
        crate::context::with_scheduler(|cx| {
            if let Some(SchedContext::CurrentThread(cx)) = cx
                && Arc::ptr_eq(me, &cx.handle)
            {
                let mut core = cx.core.borrow_mut();
                if let Some(core) = core.as_mut() {
                    core.metrics.incr_local_schedule();
                    core.tasks.push_back(task);
                }
                // No core: the scheduler is shutting down; dropping the
                // reference is all there is to do.
                return;
            }
            me.shared.metrics.incr_remote_schedule();
            if me.shared.inject.push(task) {
                me.driver.unpark();
            }
        });
    }

    /// Closes the runtime to new tasks.
    pub(crate) fn close(&self) {
        self.shared.inject.close();
        self.driver.unpark();
    }

    pub(crate) fn owned_len(&self) -> usize {
        self.shared.owned.len()
    }

    pub(crate) fn inject_len(&self) -> usize {
        self.shared.inject.len()
    }

    pub(crate) fn metrics(&self) -> &crate::runtime::metrics::SchedulerMetrics {
        &self.shared.metrics
    }

    pub(crate) fn spawned_tasks_count(&self) -> u64 {
        self.shared.owned.spawned()
    }

    pub(crate) fn local_queue_depth(&self) -> usize {
        self.shared.metrics.workers[0].queue_depth()
    }

    pub(crate) fn watchdog(&self) -> Option<&crate::runtime::watchdog::Watchdog> {
        self.shared.config.watchdog.as_deref()
    }

    pub(crate) fn name(&self) -> Option<&str> {
        self.shared.config.name.as_deref()
    }
}

impl Schedule for Arc<Handle> {
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>> {
        self.shared.owned.remove(task)
    }

    fn schedule(&self, task: Notified<Self>) {
        Handle::schedule_task(self, task);
    }

    fn unhandled_panic(&self, id: Id, spawned_at: &'static std::panic::Location<'static>) {
        if let Some(policy) = &self.shared.config.unhandled_panic {
            policy.record(id, spawned_at);
            // Shut down now, as the multi-thread flavor does: no new tasks,
            // and every other task is cancelled (the one panicking is
            // RUNNING, so it is only marked and finishes its own way).
            self.close();
            self.shared.owned.close_and_shutdown_all();
        }
    }
}
