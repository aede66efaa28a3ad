//! Workers: the run loop of the multi-thread scheduler.
//!
//! # Where a worker looks for work (`Core::next_task`, `Core::steal_work`)
//!
//! 1. Every `global_queue_interval` ticks, the injector first (fairness:
//!    remote spawns and wakes must not wait behind a busy local queue).
//! 2. The LIFO slot: the task most recently spawned or woken by the task
//!    that just ran. At most [`MAX_LIFO_POLLS_PER_TICK`] in a row, so two
//!    tasks waking each other cannot starve the queue.
//! 3. The local deque (FIFO).
//! 4. The injector, taking a batch into the local deque.
//! 5. Steal half of a sibling's deque, starting at a random sibling (if
//!    fewer than half the workers are already searching).
//! 6. Park (see `park.rs`; the idle protocol in `idle.rs` decides who is
//!    woken when work appears).
//!
//! Every `event_interval` ticks a busy worker also turns the driver without
//! blocking, so I/O and timers are not starved by CPU-bound tasks.
//!
//! # Shutdown
//!
//! 1. `Handle::shutdown` closes the injector and unparks every worker.
//! 2. Each worker notices (maintenance or wake), leaves its loop, and calls
//!    `OwnedTasks::close_and_shutdown_all` (idempotent; every worker helps,
//!    so a worker stuck in a task's poll does not block the others).
//! 3. Each worker hands its `Core` to `Shared::shutdown_cores`.
//! 4. The last one drops every queued `Notified` (LIFO slots, deques, the
//!    injector) and shuts the driver down, which wakes every pending I/O
//!    resource and timer with an error.

use super::Handle;
use super::idle::Idle;
use super::park::{self, Parker, Unparker};
use super::queue::{self, Local, Steal};
use crate::loom::sync::{Arc, Mutex};
use crate::runtime::config::Config;
use crate::scheduler::Context as SchedContext;
use crate::scheduler::inject::Inject;
use crate::task::Notified;
use crate::task::list::OwnedTasks;
use std::cell::RefCell;

type Task = Notified<Arc<Handle>>;

/// At most this many LIFO-slot tasks run back to back before the slot's
/// occupant goes to the back of the deque (tokio found 3 enough to keep the
/// message-passing win without starving the queue).
const MAX_LIFO_POLLS_PER_TICK: usize = 3;

pub(crate) struct Shared {
    pub(super) remotes: Box<[Remote]>,
    pub(super) inject: Inject<Task>,
    pub(super) idle: Idle,
    pub(super) owned: OwnedTasks<Arc<Handle>>,
    /// Boxed because cores move between threads and contexts as boxes.
    #[allow(clippy::vec_box)]
    shutdown_cores: Mutex<Vec<Box<Core>>>,
    driver: Arc<park::Shared>,
    pub(super) config: Config,
    pub(super) metrics: crate::runtime::metrics::SchedulerMetrics,
}

pub(super) struct Remote {
    pub(super) steal: Steal<Task>,
    pub(super) unpark: Unparker,
}

/// What a worker owns; lives in the thread's context while it runs tasks
/// so that wakes from those tasks reach the LIFO slot / deque directly.
pub(crate) struct Core {
    /// Ticks until the next driver turn / injector-first look (countdowns
    /// rather than `tick % interval`: no division per task).
    event_countdown: u32,
    global_countdown: u32,
    pub(super) lifo_slot: Option<Task>,
    pub(super) lifo_enabled: bool,
    pub(super) run_queue: Local<Task>,
    is_searching: bool,
    is_shutdown: bool,
    /// `None` while the worker is parked (its parker is in use).
    pub(super) park: Option<Parker>,
    rand: FastRand,
    pub(super) metrics: crate::runtime::metrics::MetricsBatch,
}

/// Per-thread context of a worker.
pub(crate) struct Context {
    pub(super) worker: Arc<Worker>,
    pub(super) core: RefCell<Option<Box<Core>>>,
    /// `config.watchdog`, one load away from each poll.
    watchdog: Option<Arc<crate::runtime::watchdog::Watchdog>>,
}

pub(super) struct Worker {
    pub(super) handle: Arc<Handle>,
    pub(super) index: usize,
    /// The core before the thread starts.
    core: Mutex<Option<Box<Core>>>,
}

impl Worker {
    #[inline(always)]
    fn metrics(&self) -> &crate::runtime::metrics::WorkerMetrics {
        &self.handle.shared.metrics.workers[self.index]
    }
}

/// Workers not yet started.
pub(crate) struct Launch(Vec<Arc<Worker>>);

pub(crate) fn create(
    size: usize,
    driver: magpie_reactor::Driver,
    driver_handle: magpie_reactor::Handle,
    blocking_spawner: crate::blocking::Spawner,
    config: Config,
) -> (Arc<Handle>, Launch) {
    let driver = park::Shared::new(driver);
    let mut cores = Vec::with_capacity(size);
    let mut remotes = Vec::with_capacity(size);
    for i in 0..size {
        let park = Parker::new(driver.clone());
        let unpark = park.unparker();
        let (run_queue, steal) = queue::local();
        cores.push(Box::new(Core {
            event_countdown: config.event_interval,
            global_countdown: config.global_queue_interval,
            lifo_slot: None,
            lifo_enabled: !config.disable_lifo_slot,
            run_queue,
            is_searching: false,
            is_shutdown: false,
            park: Some(park),
            rand: FastRand::new(0x9E37_79B9_7F4A_7C15 ^ (i as u64 + 1)),
            metrics: Default::default(),
        }));
        remotes.push(Remote { steal, unpark });
    }
    let handle = Arc::new(Handle {
        shared: Shared {
            remotes: remotes.into_boxed_slice(),
            inject: Inject::new(),
            idle: Idle::new(size),
            owned: OwnedTasks::new(size),
            shutdown_cores: Mutex::new(Vec::with_capacity(size)),
            driver,
            config,
            metrics: crate::runtime::metrics::SchedulerMetrics::new(size),
        },
        driver: driver_handle,
        blocking_spawner,
    });
    let workers = cores
        .into_iter()
        .enumerate()
        .map(|(index, core)| {
            Arc::new(Worker {
                handle: handle.clone(),
                index,
                core: Mutex::new(Some(core)),
            })
        })
        .collect();
    (handle, Launch(workers))
}

impl Launch {
    /// Starts one thread per worker on the blocking pool (as mandatory
    /// tasks: they run even if shutdown begins before they start).
    pub(crate) fn launch(self) -> std::io::Result<()> {
        for worker in self.0 {
            let spawner = worker.handle.blocking_spawner.clone();
            spawner.spawn_mandatory(move || run(worker))?;
        }
        Ok(())
    }
}

fn run(worker: Arc<Worker>) {
    let Some(core) = worker.core.lock().take() else {
        return;
    };
    let handle = Handle::as_scheduler_handle(&worker.handle);
    let _enter = crate::context::enter_runtime(&handle);
    let watchdog = worker.handle.shared.config.watchdog.clone();
    let cx = SchedContext::MultiThread(Context {
        worker,
        core: RefCell::new(None),
        watchdog,
    });
    crate::context::set_scheduler(&cx, || {
        let SchedContext::MultiThread(cx) = &cx else {
            unreachable!()
        };
        cx.run(core);
    });
}

impl Context {
    fn run(&self, mut core: Box<Core>) {
        while !core.is_shutdown {
            core = self.maintenance(core);
            if core.is_shutdown {
                break;
            }
            let task = match core.next_task(&self.worker) {
                Some(task) => task,
                None => match core.steal_work(&self.worker) {
                    Some(task) => task,
                    None => {
                        core = self.park(core);
                        continue;
                    }
                },
            };
            match self.run_task(task, core) {
                Some(c) => core = c,
                // `block_in_place` handed our core to another thread; this
                // thread is done being a worker.
                None => return,
            }
        }
        core.pre_shutdown(&self.worker);
        self.worker
            .handle
            .shared
            .shutdown_core(&self.worker.handle, core);
    }

    /// Runs `task`, then follow-ons from the LIFO slot, under one
    /// cooperative budget.
    fn run_task(&self, task: Task, mut core: Box<Core>) -> Option<Box<Core>> {
        core.transition_from_searching(&self.worker);
        core.metrics.incr_poll();
        *self.core.borrow_mut() = Some(core);
        crate::coop::budget(|| {
            self.poll(task);
            let mut lifo_polls = 0;
            loop {
                let mut core = self.core.borrow_mut().take()?;
                let Some(task) = core.lifo_slot.take() else {
                    return Some(core);
                };
                if lifo_polls >= MAX_LIFO_POLLS_PER_TICK || !crate::coop::has_budget_remaining() {
                    core.run_queue.push_back(task);
                    if core.run_queue.len() > 1 {
                        self.worker.handle.notify_parked();
                    }
                    return Some(core);
                }
                lifo_polls += 1;
                core.metrics.incr_lifo();
                core.metrics.incr_poll();
                *self.core.borrow_mut() = Some(core);
                self.poll(task);
            }
        })
    }

    /// Polls one task (counted; timed and traced when configured).
    #[inline(always)]
    fn poll(&self, task: Task) {
        crate::runtime::watchdog::poll(task, self.worker.index, self.watchdog.as_deref());
    }

    /// `block_in_place`: gives this worker's core to a new thread, which
    /// carries on running the queue while this thread blocks.
    pub(crate) fn hand_off_core(&self) {
        let Some(mut core) = self.core.borrow_mut().take() else {
            return; // already handed off (nested block_in_place)
        };
        // The task calling us is running; it is not in the queue. Whatever
        // it woke into the LIFO slot must not be stranded here.
        if let Some(task) = core.lifo_slot.take() {
            core.run_queue.push_back(task);
        }
        core.transition_from_searching(&self.worker);
        let watchdog = self.worker.handle.shared.config.watchdog.as_deref();
        crate::runtime::watchdog::handed_off(watchdog, self.worker.index);
        *self.worker.core.lock() = Some(core);
        let worker = self.worker.clone();
        let spawner = worker.handle.blocking_spawner.clone();
        if let Err(e) = spawner.spawn_mandatory(move || run(worker)) {
            panic!("OS can't spawn a thread for block_in_place: {e}");
        }
    }

    fn maintenance(&self, mut core: Box<Core>) -> Box<Core> {
        core.event_countdown -= 1;
        if core.event_countdown == 0 {
            core.event_countdown = self.worker.handle.shared.config.event_interval;
            let mut park = core.park.take().expect("park missing");
            *self.core.borrow_mut() = Some(core);
            park.poll_driver(&self.worker.handle.driver);
            core = self.core.borrow_mut().take().expect("worker core missing");
            core.park = Some(park);
            // The driver may have woken several tasks into our queue.
            if core.should_notify_others() {
                self.worker.handle.notify_parked();
            }
            core.maintenance(&self.worker);
            self.worker.metrics().submit(&core.metrics);
        }
        core
    }

    fn park(&self, mut core: Box<Core>) -> Box<Core> {
        let found;
        (core, found) = self.spin_for_work(core);
        if found {
            return core;
        }
        if let Some(f) = &self.worker.handle.shared.config.before_park {
            f();
        }
        if core.transition_to_parked(&self.worker) {
            while !core.is_shutdown {
                let shared = &self.worker.handle.shared;
                self.worker
                    .metrics()
                    .about_to_park(&shared.metrics, &core.metrics);
                crate::trace::park(self.worker.index);
                core = self.park_once(core);
                self.worker
                    .metrics()
                    .unparked(&self.worker.handle.shared.metrics);
                crate::trace::unpark(self.worker.index);
                core.maintenance(&self.worker);
                if core.transition_from_parked(&self.worker) {
                    break;
                }
            }
        }
        if let Some(f) = &self.worker.handle.shared.config.after_unpark {
            f();
        }
        core
    }

    /// While a `spawn_blocking` closure is queued or running, a searcher
    /// that found nothing keeps watching the queues (and turns the driver
    /// if it is free) for up to [`SPIN`](crate::blocking::SPIN) before it parks: the closure's
    /// completion wakes a task soon, and picking that up from a queue read
    /// saves a futex wake plus this thread's wake-up latency (pushes skip
    /// the wake while a worker searches). One worker at a time spins, and
    /// it yields its CPU to any runnable thread between looks. With no
    /// blocking work in flight nobody spins: under a network load the
    /// spinner only competed for CPU (see docs/architecture.md). True if
    /// work showed.
    fn spin_for_work(&self, mut core: Box<Core>) -> (Box<Core>, bool) {
        let handle = &self.worker.handle;
        if cfg!(loom)
            || !core.is_searching
            || !handle.blocking_spawner.expects_wake_soon()
            || !handle.shared.idle.try_start_spin()
        {
            return (core, false);
        }
        let deadline = std::time::Instant::now() + crate::blocking::SPIN;
        let found = 'spin: loop {
            for _ in 0..16 {
                if handle.work_visible() {
                    break 'spin true;
                }
                crate::loom::hint::spin_loop();
            }
            let mut park = core.park.take().expect("park missing");
            *self.core.borrow_mut() = Some(core);
            park.poll_driver(&handle.driver);
            core = self.core.borrow_mut().take().expect("worker core missing");
            core.park = Some(park);
            core.maintenance(&self.worker);
            if core.has_tasks() || core.is_shutdown {
                break true;
            }
            if std::time::Instant::now() >= deadline {
                break false;
            }
            crate::loom::thread::yield_now();
        };
        handle.shared.idle.end_spin();
        (core, found)
    }

    fn park_once(&self, mut core: Box<Core>) -> Box<Core> {
        let mut park = core.park.take().expect("park missing");
        // The core stays reachable while we sleep: tasks woken by the
        // driver on this thread go straight into our queue.
        *self.core.borrow_mut() = Some(core);
        park.park(&self.worker.handle.driver);
        let mut core = self.core.borrow_mut().take().expect("worker core missing");
        core.park = Some(park);
        if core.should_notify_others() {
            self.worker.handle.notify_parked();
        }
        core
    }
}

impl Core {
    fn next_task(&mut self, worker: &Worker) -> Option<Task> {
        let shared = &worker.handle.shared;
        self.global_countdown -= 1;
        if self.global_countdown == 0 {
            self.global_countdown = shared.config.global_queue_interval;
            // Fairness: look at the injector first now and then.
            if let Some(task) = shared.inject.pop() {
                return Some(task);
            }
            return self.next_local_task();
        }
        if let Some(task) = self.next_local_task() {
            return Some(task);
        }
        if shared.inject.is_empty() {
            return None;
        }
        shared.inject.steal_batch_and_pop(&self.run_queue)
    }

    fn next_local_task(&mut self) -> Option<Task> {
        if let Some(task) = self.lifo_slot.take() {
            self.metrics.incr_lifo();
            return Some(task);
        }
        self.run_queue.pop()
    }

    fn steal_work(&mut self, worker: &Worker) -> Option<Task> {
        if !self.transition_to_searching(worker) {
            return None;
        }
        let remotes = &worker.handle.shared.remotes;
        let n = remotes.len();
        let start = self.rand.next_n(n);
        for i in 0..n {
            let victim = (start + i) % n;
            if victim == worker.index {
                continue;
            }
            if let Some(task) = remotes[victim].steal.steal_into(&self.run_queue) {
                // Our queue was empty (we only steal then), so what is in
                // it now came with this steal.
                let tasks = self.run_queue.len() + 1;
                worker.metrics().incr_steal(tasks);
                crate::trace::steal(worker.index, victim, tasks);
                return Some(task);
            }
        }
        // The injector once more: it may have filled while we looked.
        worker
            .handle
            .shared
            .inject
            .steal_batch_and_pop(&self.run_queue)
    }

    fn transition_to_searching(&mut self, worker: &Worker) -> bool {
        if !self.is_searching {
            self.is_searching = worker.handle.shared.idle.transition_worker_to_searching();
        }
        self.is_searching
    }

    fn transition_from_searching(&mut self, worker: &Worker) {
        if !self.is_searching {
            return;
        }
        self.is_searching = false;
        if worker.handle.shared.idle.transition_worker_from_searching() {
            // We were the last searcher and found work: pushes made while
            // we searched woke nobody. Wake a sleeper only if a queue
            // still holds something (the re-check pairs with the pushers'
            // SeqCst RMW, as a parking worker's does): a searcher that
            // took the only task must not cost a futex round trip to a
            // sibling that will find nothing.
            worker.handle.notify_if_work_pending();
        }
    }

    fn has_tasks(&self) -> bool {
        self.lifo_slot.is_some() || self.run_queue.has_tasks()
    }

    fn should_notify_others(&self) -> bool {
        if self.is_searching {
            return false;
        }
        usize::from(self.lifo_slot.is_some()) + self.run_queue.len() > 1
    }

    /// False if there is local work after all (do not park).
    fn transition_to_parked(&mut self, worker: &Worker) -> bool {
        if self.has_tasks() || self.is_shutdown {
            return false;
        }
        worker
            .handle
            .shared
            .idle
            .transition_worker_to_parked(worker.index, self.is_searching);
        self.is_searching = false;
        // Every parking worker re-checks the queues, not only the last
        // searcher: a worker refused as a searcher (half already search)
        // parks without having looked, and a push that saw every worker
        // awake woke nobody. Found by `loom_mt_push_to_parking_worker` at
        // preemption bound 2; costs a scan of the stealers per park.
        worker.handle.notify_if_work_pending();
        true
    }

    /// True when the worker should leave the park loop.
    fn transition_from_parked(&mut self, worker: &Worker) -> bool {
        if self.has_tasks() {
            // Woken by our own driver with work: take ourselves off the
            // sleeper list. Not searching (nobody notified us for stealing).
            self.is_searching = !worker.handle.shared.idle.unpark_worker_by_id(worker.index);
            return true;
        }
        if worker.handle.shared.idle.is_parked(worker.index) {
            return false;
        }
        // Notified: we were counted as searching.
        self.is_searching = true;
        true
    }

    fn maintenance(&mut self, worker: &Worker) {
        if !self.is_shutdown {
            self.is_shutdown = worker.handle.is_shutdown();
        }
    }

    fn pre_shutdown(&mut self, worker: &Worker) {
        worker.metrics().submit(&self.metrics);
        worker.handle.shared.owned.close_and_shutdown_all();
    }

    /// Drops every task reference the core still holds.
    fn shutdown(&mut self) {
        drop(self.lifo_slot.take());
        while let Some(task) = self.run_queue.pop() {
            drop(task);
        }
    }
}

impl Shared {
    fn shutdown_core(&self, handle: &Handle, core: Box<Core>) {
        let mut cores = self.shutdown_cores.lock();
        cores.push(core);
        if cores.len() != self.remotes.len() {
            return;
        }
        // The last worker out: every other worker has left its loop.
        for mut core in cores.drain(..) {
            core.shutdown();
        }
        drop(cores);
        self.inject.drain();
        self.driver.shutdown(&handle.driver);
    }

    pub(super) fn panic_signal(&self) -> Option<Arc<crate::runtime::config::PanicSignal>> {
        self.config.unhandled_panic.clone()
    }

    pub(super) fn name(&self) -> Option<&str> {
        self.config.name.as_deref()
    }
}

/// xorshift64*: cheap per-worker randomness for the steal start.
struct FastRand(u64);

impl FastRand {
    fn new(seed: u64) -> FastRand {
        FastRand(seed | 1)
    }

    fn next_n(&mut self, n: usize) -> usize {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        ((x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 32) as usize) % n.max(1)
    }
}
