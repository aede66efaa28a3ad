//! `RuntimeMetrics`: counters about a running runtime.
//!
//! # Where the numbers come from
//!
//! * Per worker, a [`WorkerMetrics`] block padded to its own cache lines
//!   (128 bytes: two lines, as adjacent-line prefetch pairs them). Only the
//!   owning worker writes it, with a Relaxed load + Relaxed store (no
//!   read-modify-write, so no `lock` prefix and no contention); anyone may
//!   read it with Relaxed loads. A reader sees each counter at some recent
//!   value; counters are never torn (64-bit atomics).
//! * Per runtime, [`SchedulerMetrics`] holds the worker blocks and the
//!   counters bumped from any thread (`remote_schedule_count`,
//!   `budget_forced_yield_count`): `fetch_add`, on paths that already
//!   touch a shared cache line (the injector) or are rare (forced yields).
//! * `spawned_tasks_count` is kept by the owned-task list under the shard
//!   lock that every spawn takes anyway.
//! * Busy time is accumulated at park and unpark only (two `Instant::now`
//!   per park, which costs a futex anyway), never per poll.
//!
//! The counters are always on; `docs/architecture.md` has the measured
//! cost.

use super::Handle;
use crate::loom::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::time::{Duration, Instant};

/// The hot counters of one worker, kept in its core (plain integers, no
/// atomics: only the worker touches its core) and published into its
/// [`WorkerMetrics`] at each maintenance tick and each park, so a poll or a
/// local schedule costs one `add` to memory the worker already has in cache.
#[derive(Debug, Default)]
pub(crate) struct MetricsBatch {
    polls: u64,
    lifo: u64,
    local_schedule: u64,
}

impl MetricsBatch {
    /// One task poll (or cancellation).
    #[inline(always)]
    pub(crate) fn incr_poll(&mut self) {
        self.polls += 1;
    }

    /// A task ran from the LIFO slot.
    #[inline(always)]
    pub(crate) fn incr_lifo(&mut self) {
        self.lifo += 1;
    }

    /// A task was scheduled from this worker into its own queue or slot.
    #[inline(always)]
    pub(crate) fn incr_local_schedule(&mut self) {
        self.local_schedule += 1;
    }
}

/// Counters written by one worker only (see the module docs).
#[derive(Debug)]
#[repr(align(128))]
pub(crate) struct WorkerMetrics {
    park_count: AtomicU64,
    unpark_count: AtomicU64,
    noop_count: AtomicU64,
    steal_count: AtomicU64,
    steal_operations: AtomicU64,
    poll_count: AtomicU64,
    local_schedule_count: AtomicU64,
    overflow_count: AtomicU64,
    lifo_count: AtomicU64,
    /// Total busy time in nanoseconds, up to the last park.
    busy_ns: AtomicU64,
    /// When the worker last became busy, in nanoseconds since
    /// `SchedulerMetrics::started`.
    busy_since_ns: AtomicU64,
    /// `poll_count` when the worker last unparked (for `noop_count`).
    polls_at_unpark: AtomicU64,
    /// Local queue length, for schedulers whose queue is not readable
    /// from other threads (current-thread: set at each driver turn).
    queue_depth: AtomicUsize,
}

/// Adds `n` to a counter only the calling thread writes.
#[inline(always)]
fn bump(counter: &AtomicU64, n: u64) {
    counter.store(counter.load(Relaxed).wrapping_add(n), Relaxed);
}

impl WorkerMetrics {
    fn new() -> WorkerMetrics {
        WorkerMetrics {
            park_count: AtomicU64::new(0),
            unpark_count: AtomicU64::new(0),
            noop_count: AtomicU64::new(0),
            steal_count: AtomicU64::new(0),
            steal_operations: AtomicU64::new(0),
            poll_count: AtomicU64::new(0),
            local_schedule_count: AtomicU64::new(0),
            overflow_count: AtomicU64::new(0),
            lifo_count: AtomicU64::new(0),
            busy_ns: AtomicU64::new(0),
            busy_since_ns: AtomicU64::new(0),
            polls_at_unpark: AtomicU64::new(0),
            queue_depth: AtomicUsize::new(0),
        }
    }

    /// Publishes the totals counted in the worker's core (Relaxed stores:
    /// the batch holds totals, not deltas).
    #[inline]
    pub(crate) fn submit(&self, batch: &MetricsBatch) {
        self.poll_count.store(batch.polls, Relaxed);
        self.lifo_count.store(batch.lifo, Relaxed);
        self.local_schedule_count
            .store(batch.local_schedule, Relaxed);
    }

    /// One successful steal of `tasks` tasks from a sibling.
    #[inline]
    pub(crate) fn incr_steal(&self, tasks: usize) {
        bump(&self.steal_operations, 1);
        bump(&self.steal_count, tasks as u64);
    }

    /// Publishes the local queue length (current-thread).
    #[inline]
    pub(crate) fn set_queue_depth(&self, n: usize) {
        self.queue_depth.store(n, Relaxed);
    }

    pub(crate) fn queue_depth(&self) -> usize {
        self.queue_depth.load(Relaxed)
    }

    /// The worker is about to park: publishes its batch, closes its busy
    /// period.
    pub(crate) fn about_to_park(&self, m: &SchedulerMetrics, batch: &MetricsBatch) {
        self.submit(batch);
        let now = m.now_ns();
        let since = self.busy_since_ns.load(Relaxed);
        bump(&self.busy_ns, now.saturating_sub(since));
        bump(&self.park_count, 1);
        if self.poll_count.load(Relaxed) == self.polls_at_unpark.load(Relaxed) {
            bump(&self.noop_count, 1);
        }
    }

    /// The worker woke up: opens a busy period.
    pub(crate) fn unparked(&self, m: &SchedulerMetrics) {
        self.busy_since_ns.store(m.now_ns(), Relaxed);
        bump(&self.unpark_count, 1);
        self.polls_at_unpark
            .store(self.poll_count.load(Relaxed), Relaxed);
    }
}

/// A runtime's counters: one block per worker (1 for current-thread) and
/// the shared ones.
#[derive(Debug)]
pub(crate) struct SchedulerMetrics {
    pub(crate) workers: Box<[WorkerMetrics]>,
    remote_schedule_count: AtomicU64,
    budget_forced_yield_count: AtomicU64,
    started: Instant,
}

impl SchedulerMetrics {
    pub(crate) fn new(workers: usize) -> SchedulerMetrics {
        SchedulerMetrics {
            workers: (0..workers).map(|_| WorkerMetrics::new()).collect(),
            remote_schedule_count: AtomicU64::new(0),
            budget_forced_yield_count: AtomicU64::new(0),
            started: Instant::now(),
        }
    }

    fn now_ns(&self) -> u64 {
        self.started.elapsed().as_nanos() as u64
    }

    /// A task was pushed to the global queue from outside the runtime's
    /// workers (or from a worker of another runtime).
    #[inline]
    pub(crate) fn incr_remote_schedule(&self) {
        self.remote_schedule_count.fetch_add(1, Relaxed);
    }
}

/// Counts a forced yield (a task's coop budget ran out) on the current
/// runtime, if any. Called from `coop::poll_proceed`; rare (at most once
/// per poll), so the thread-local lookup does not matter.
pub(crate) fn budget_forced_yield() {
    let _ = crate::context::with_current(|h| {
        h.metrics().budget_forced_yield_count.fetch_add(1, Relaxed);
    });
}

/// A view of a runtime's counters (`tokio::runtime::RuntimeMetrics`).
///
/// Counters only grow (they start at zero when the runtime is built);
/// gauges (`num_alive_tasks`, queue depths) are snapshots. Per-worker
/// methods take a worker index in `0..num_workers()`; the current-thread
/// flavor has one worker, index 0 (the thread in `block_on`).
///
/// A worker counts polls, LIFO-slot hits and local schedules in its own
/// core and publishes them every `event_interval` ticks and whenever it
/// parks, so on a busy worker these three lag by up to that many polls
/// (tokio batches them the same way). The others are published at once.
///
/// ```
/// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
/// rt.block_on(async {
///     magpie::spawn(async {}).await.unwrap();
/// });
/// let m = rt.metrics();
/// assert_eq!(m.num_workers(), 1);
/// assert_eq!(m.spawned_tasks_count(), 1);
/// assert_eq!(m.worker_poll_count(0), 1);
/// ```
#[derive(Clone, Debug)]
pub struct RuntimeMetrics {
    handle: Handle,
}

impl RuntimeMetrics {
    pub(crate) fn new(handle: Handle) -> RuntimeMetrics {
        RuntimeMetrics { handle }
    }

    fn m(&self) -> &SchedulerMetrics {
        self.handle.inner.metrics()
    }

    /// # Panics
    ///
    /// Panics if `worker` is not below `num_workers()`.
    #[track_caller]
    fn w(&self, worker: usize) -> &WorkerMetrics {
        let workers = &self.m().workers;
        assert!(
            worker < workers.len(),
            "worker index {worker} out of range (the runtime has {} workers)",
            workers.len()
        );
        &workers[worker]
    }

    /// Number of worker threads (1 for the current-thread flavor).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// assert_eq!(rt.metrics().num_workers(), 1);
    /// ```
    pub fn num_workers(&self) -> usize {
        self.handle.inner.num_workers()
    }

    /// Number of tasks alive (spawned and not yet completed).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// let (tx, rx) = magpie::sync::oneshot::channel::<()>();
    /// let task = rt.spawn(async move { rx.await.ok(); });
    /// assert_eq!(rt.metrics().num_alive_tasks(), 1);
    /// tx.send(()).unwrap();
    /// rt.block_on(task).unwrap();
    /// assert_eq!(rt.metrics().num_alive_tasks(), 0);
    /// ```
    pub fn num_alive_tasks(&self) -> usize {
        self.handle.inner.num_alive_tasks()
    }

    /// Tasks waiting in the global (injection) queue.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// let _task = rt.spawn(async {}); // queued until the runtime runs
    /// assert_eq!(rt.metrics().global_queue_depth(), 1);
    /// ```
    pub fn global_queue_depth(&self) -> usize {
        self.handle.inner.global_queue_depth()
    }

    /// Threads of the blocking pool (workers of the multi-thread flavor
    /// included, since they run there).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// rt.block_on(async { magpie::task::spawn_blocking(|| {}).await.unwrap() });
    /// assert!(rt.metrics().num_blocking_threads() >= 1);
    /// ```
    pub fn num_blocking_threads(&self) -> usize {
        self.handle.inner.blocking_spawner().num_threads()
    }

    /// Idle threads of the blocking pool.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// let m = rt.metrics();
    /// assert!(m.num_idle_blocking_threads() <= m.num_blocking_threads());
    /// ```
    pub fn num_idle_blocking_threads(&self) -> usize {
        self.handle.inner.blocking_spawner().num_idle_threads()
    }

    /// Blocking tasks waiting for a thread.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// assert_eq!(rt.metrics().blocking_queue_depth(), 0);
    /// ```
    pub fn blocking_queue_depth(&self) -> usize {
        self.handle.inner.blocking_spawner().queue_depth()
    }

    /// Tasks spawned on this runtime since it was built (`spawn`,
    /// `Handle::spawn`, `JoinSet::spawn`, scoped spawns; not
    /// `spawn_blocking`, as in tokio).
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.block_on(async {
    ///     for _ in 0..3 {
    ///         magpie::spawn(async {}).await.unwrap();
    ///     }
    /// });
    /// assert_eq!(rt.metrics().spawned_tasks_count(), 3);
    /// ```
    pub fn spawned_tasks_count(&self) -> u64 {
        self.handle.inner.spawned_tasks_count()
    }

    /// Tasks scheduled from outside the runtime's workers (into the global
    /// queue): spawns and wakes from other threads, `Runtime::spawn` from
    /// the main thread.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    /// rt.block_on(rt.spawn(async {})).unwrap(); // spawned from the main thread
    /// assert!(rt.metrics().remote_schedule_count() >= 1);
    /// ```
    pub fn remote_schedule_count(&self) -> u64 {
        self.m().remote_schedule_count.load(Relaxed)
    }

    /// Times a task was made to yield because its cooperative budget ran
    /// out (a resource was ready but returned `Pending` to let others run).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// rt.block_on(async {
    ///     magpie::spawn(async {
    ///         for _ in 0..1000 {
    ///             magpie::task::consume_budget().await;
    ///         }
    ///     })
    ///     .await
    ///     .unwrap();
    /// });
    /// assert!(rt.metrics().budget_forced_yield_count() >= 1);
    /// ```
    pub fn budget_forced_yield_count(&self) -> u64 {
        self.m().budget_forced_yield_count.load(Relaxed)
    }

    /// Times worker `worker` parked (went to sleep for lack of work).
    ///
    /// # Panics
    ///
    /// Panics if `worker >= num_workers()` (as do all `worker_*` methods).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    /// rt.block_on(rt.spawn(async {})).unwrap();
    /// // The worker has had nothing to do for a while: it parked.
    /// while rt.metrics().worker_park_count(0) == 0 {
    ///     std::thread::yield_now();
    /// }
    /// ```
    #[track_caller]
    pub fn worker_park_count(&self, worker: usize) -> u64 {
        self.w(worker).park_count.load(Relaxed)
    }

    /// Times worker `worker` woke up from a park.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    /// let m = rt.metrics();
    /// assert!(m.worker_unpark_count(0) <= m.worker_park_count(0));
    /// ```
    #[track_caller]
    pub fn worker_unpark_count(&self, worker: usize) -> u64 {
        self.w(worker).unpark_count.load(Relaxed)
    }

    /// Times worker `worker` woke up and parked again without polling a
    /// task.
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let m = rt.metrics();
    /// assert!(m.worker_noop_count(0) <= m.worker_park_count(0));
    /// ```
    #[track_caller]
    pub fn worker_noop_count(&self, worker: usize) -> u64 {
        self.w(worker).noop_count.load(Relaxed)
    }

    /// Tasks worker `worker` stole from siblings (0 on current-thread).
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let m = rt.metrics();
    /// assert!(m.worker_steal_count(0) >= m.worker_steal_operations(0));
    /// ```
    #[track_caller]
    pub fn worker_steal_count(&self, worker: usize) -> u64 {
        self.w(worker).steal_count.load(Relaxed)
    }

    /// Successful steal operations by worker `worker` (each takes one or
    /// more tasks: about half of the victim's queue).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// assert_eq!(rt.metrics().worker_steal_operations(0), 0);
    /// ```
    #[track_caller]
    pub fn worker_steal_operations(&self, worker: usize) -> u64 {
        self.w(worker).steal_operations.load(Relaxed)
    }

    /// Task polls by worker `worker`.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// rt.block_on(async { magpie::spawn(async {}).await.unwrap() });
    /// assert_eq!(rt.metrics().worker_poll_count(0), 1);
    /// ```
    #[track_caller]
    pub fn worker_poll_count(&self, worker: usize) -> u64 {
        self.w(worker).poll_count.load(Relaxed)
    }

    /// Time worker `worker` spent busy (not parked), up to its last park.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    /// rt.block_on(async {
    ///     magpie::spawn(async { std::thread::sleep(std::time::Duration::from_millis(5)) })
    ///         .await
    ///         .unwrap();
    /// });
    /// // Busy time is added when the worker parks.
    /// while rt.metrics().worker_total_busy_duration(0) < std::time::Duration::from_millis(5) {
    ///     std::thread::yield_now();
    /// }
    /// ```
    #[track_caller]
    pub fn worker_total_busy_duration(&self, worker: usize) -> Duration {
        Duration::from_nanos(self.w(worker).busy_ns.load(Relaxed))
    }

    /// Tasks worker `worker` scheduled into its own queue (spawns and wakes
    /// from the tasks it runs).
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// rt.block_on(async { magpie::spawn(async {}).await.unwrap() });
    /// // `block_on` runs on the worker's thread: the spawn is local.
    /// assert_eq!(rt.metrics().worker_local_schedule_count(0), 1);
    /// ```
    #[track_caller]
    pub fn worker_local_schedule_count(&self, worker: usize) -> u64 {
        self.w(worker).local_schedule_count.load(Relaxed)
    }

    /// Times worker `worker`'s local queue overflowed into the global
    /// queue. magpie's local queues grow instead of overflowing, so this
    /// stays 0; it is here so code written against tokio compiles.
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// assert_eq!(rt.metrics().worker_overflow_count(0), 0);
    /// ```
    #[track_caller]
    pub fn worker_overflow_count(&self, worker: usize) -> u64 {
        self.w(worker).overflow_count.load(Relaxed)
    }

    /// Tasks in worker `worker`'s local queue now (its LIFO slot not
    /// counted, as in tokio).
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// assert_eq!(rt.metrics().worker_local_queue_depth(0), 0);
    /// ```
    #[track_caller]
    pub fn worker_local_queue_depth(&self, worker: usize) -> usize {
        let _ = self.w(worker);
        self.handle.inner.worker_local_queue_depth(worker)
    }

    /// Tasks worker `worker` ran from its LIFO slot (the task most
    /// recently woken by the task before it). magpie only; 0 on the
    /// current-thread flavor and with `disable_lifo_slot`.
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_multi_thread().worker_threads(1).build().unwrap();
    /// rt.block_on(rt.spawn(async {
    ///     // Spawned from a worker: the child goes to the LIFO slot.
    ///     magpie::spawn(async {}).await.unwrap();
    /// }))
    /// .unwrap();
    /// // Published when the worker next parks.
    /// let m = rt.metrics();
    /// let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    /// while m.worker_lifo_count(0) == 0 && std::time::Instant::now() < deadline {
    ///     std::thread::yield_now();
    /// }
    /// assert!(m.worker_lifo_count(0) >= 1);
    /// ```
    #[track_caller]
    pub fn worker_lifo_count(&self, worker: usize) -> u64 {
        self.w(worker).lifo_count.load(Relaxed)
    }
}
