//! Blocked-worker detection: `Builder::on_slow_poll`.
//!
//! When configured, every task poll is timed (two `Instant::now`), and a
//! poll that took longer than the threshold is reported by the worker after
//! it returns. A poll that *does not return* (a task calling
//! `std::thread::sleep` or a blocking lock) can only be seen from outside:
//! each worker publishes "which task, spawned where, polled since when" in
//! its [`PollSlot`], and one watchdog thread per runtime looks at every
//! slot each `threshold / 2` and reports a poll still running past the
//! threshold, once per poll. Not configured: no slot is written, no thread
//! runs, and each poll costs one predictable branch (`Option::is_some`).
//!
//! # The slot protocol (a seqlock with a "polling" phase)
//!
//! One writer per slot (the worker that owns the index; `block_in_place`
//! hands the index to a new thread only after the old one called
//! [`handed_off`], which ends its record first, so the hand-over is
//! ordered by the thread spawn). `seq` counts in steps of 4:
//!
//! ```text
//!             begin: store 4k+1 (Relaxed), fence(Release),
//!                    store id / location / started (Relaxed),
//!                    store 4k+2 (Release)
//!   ┌──────────┐  ─────────────────────────▶  ┌─────────────┐
//!   │ IDLE 4k  │          ┌───────────┐      │ POLLING 4k+2 │
//!   └──────────┘  ◀──     │WRITING 4k+1│      └─────────────┘
//!        ▲        (internal to begin)                │
//!        └──────────── end: store 4k+4 (Release) ◀───┘
//! ```
//!
//! The watchdog reads `s1 = seq` (Acquire); only if `s1 % 4 == 2` it reads
//! the fields (Relaxed), then `fence(Acquire)` and `s2 = seq` (Relaxed).
//! The snapshot is used only if `s1 == s2`:
//!
//! * Acquire on `s1` = 4k+2 makes the fields written before that Release
//!   store visible: the reader sees poll k's values or later ones.
//! * If a field read saw a value of a later poll j > k, that store follows
//!   the writer's `fence(Release)` after `store 4j+1`; the reader's
//!   `fence(Acquire)` then synchronises with it, so `s2 >= 4j+1 != s1`:
//!   the torn snapshot is discarded.
//!
//! A snapshot that passes is exactly poll k's (id, location, start). The
//! watchdog remembers the last `seq` it reported per slot, so a stuck poll
//! is reported once. The loom model `loom_watchdog_slot_snapshot`
//! (the `tests` module at the bottom) checks that a reader never
//! accepts a mix of two polls' fields; built with `--cfg magpie_break`,
//! the reader skips the `s2` re-check and the model fails.
//!
//! # Shutdown
//!
//! `Runtime` drop / shutdown calls [`Watchdog::stop`]: sets the flag under
//! the mutex, notifies the condvar, joins the thread (unless called on the
//! watchdog thread itself, from a callback).

use crate::loom::sync::atomic::{AtomicPtr, AtomicU64, Ordering, fence};
use crate::loom::sync::{Arc, Condvar, Mutex};
use crate::loom::thread;
use crate::task::{Id, Notified};
use std::cell::Cell;
use std::fmt;
use std::num::NonZeroU64;
use std::panic::{AssertUnwindSafe, Location, catch_unwind};
use std::time::{Duration, Instant};

/// The user's callback. A plain shared closure (not part of any protocol;
/// loom's `Arc` cannot hold a `dyn Fn`), like the other builder callbacks.
pub(crate) type SlowPollFn = std::sync::Arc<dyn Fn(&SlowPoll) + Send + Sync>;

/// A task poll that took, or is taking, longer than the threshold given to
/// [`Builder::on_slow_poll`](crate::runtime::Builder::on_slow_poll).
///
/// A poll still running is reported once by the runtime's watchdog thread
/// (`is_running() == true`, duration so far); when it returns, the worker
/// reports it again with its whole duration (`is_running() == false`).
///
/// ```
/// use std::time::Duration;
///
/// let rt = magpie::runtime::Builder::new_current_thread()
///     .on_slow_poll(Duration::from_millis(10), |poll| {
///         eprintln!(
///             "task {} spawned at {} blocked worker {} for {:?} (still running: {})",
///             poll.id(),
///             poll.spawned_at(),
///             poll.worker_index(),
///             poll.duration(),
///             poll.is_running(),
///         );
///     })
///     .build()
///     .unwrap();
/// rt.block_on(async {
///     magpie::spawn(async { std::thread::sleep(Duration::from_millis(30)) })
///         .await
///         .unwrap();
/// });
/// ```
#[derive(Clone, Debug)]
pub struct SlowPoll {
    id: Id,
    spawned_at: &'static Location<'static>,
    duration: Duration,
    worker: usize,
    running: bool,
}

impl SlowPoll {
    /// The id of the task being polled.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use std::time::Duration;
    /// let seen = Arc::new(Mutex::new(Vec::new()));
    /// let s = seen.clone();
    /// let rt = magpie::runtime::Builder::new_current_thread()
    ///     .on_slow_poll(Duration::from_millis(5), move |p| s.lock().unwrap().push(p.id()))
    ///     .build()
    ///     .unwrap();
    /// let task = rt.spawn(async { std::thread::sleep(Duration::from_millis(20)) });
    /// let id = task.id();
    /// rt.block_on(task).unwrap();
    /// assert!(seen.lock().unwrap().contains(&id));
    /// ```
    pub fn id(&self) -> Id {
        self.id
    }

    /// Where the task was spawned (the caller of `spawn`, `Handle::spawn`,
    /// `JoinSet::spawn`, ...).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use std::time::Duration;
    /// let lines = Arc::new(Mutex::new(Vec::new()));
    /// let l = lines.clone();
    /// let rt = magpie::runtime::Builder::new_current_thread()
    ///     .on_slow_poll(Duration::from_millis(5), move |p| {
    ///         l.lock().unwrap().push(p.spawned_at().line())
    ///     })
    ///     .build()
    ///     .unwrap();
    /// let line = line!() + 1;
    /// let task = rt.spawn(async { std::thread::sleep(Duration::from_millis(20)) });
    /// rt.block_on(task).unwrap();
    /// assert!(lines.lock().unwrap().contains(&line));
    /// ```
    pub fn spawned_at(&self) -> &'static Location<'static> {
        self.spawned_at
    }

    /// How long the poll has run (so far, if [`is_running`](Self::is_running)).
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use std::time::Duration;
    /// let longest = Arc::new(Mutex::new(Duration::ZERO));
    /// let l = longest.clone();
    /// let rt = magpie::runtime::Builder::new_current_thread()
    ///     .on_slow_poll(Duration::from_millis(5), move |p| {
    ///         let mut l = l.lock().unwrap();
    ///         *l = (*l).max(p.duration());
    ///     })
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(rt.spawn(async { std::thread::sleep(Duration::from_millis(20)) })).unwrap();
    /// assert!(*longest.lock().unwrap() >= Duration::from_millis(20));
    /// ```
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// The index of the worker running the poll (0 on the current-thread
    /// flavor), as in [`RuntimeMetrics`](crate::runtime::RuntimeMetrics)'
    /// per-worker methods.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use std::time::Duration;
    /// let workers = Arc::new(Mutex::new(Vec::new()));
    /// let w = workers.clone();
    /// let rt = magpie::runtime::Builder::new_multi_thread()
    ///     .worker_threads(2)
    ///     .on_slow_poll(Duration::from_millis(5), move |p| w.lock().unwrap().push(p.worker_index()))
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(rt.spawn(async { std::thread::sleep(Duration::from_millis(20)) })).unwrap();
    /// assert!(workers.lock().unwrap().iter().all(|&w| w < 2));
    /// ```
    pub fn worker_index(&self) -> usize {
        self.worker
    }

    /// True when reported by the watchdog while the poll is still running
    /// (the worker is blocked right now); false when reported by the
    /// worker after the poll returned.
    ///
    /// ```
    /// # use std::sync::{Arc, Mutex};
    /// # use std::time::Duration;
    /// let reports = Arc::new(Mutex::new(Vec::new()));
    /// let r = reports.clone();
    /// let rt = magpie::runtime::Builder::new_current_thread()
    ///     .on_slow_poll(Duration::from_millis(20), move |p| r.lock().unwrap().push(p.is_running()))
    ///     .build()
    ///     .unwrap();
    /// rt.block_on(rt.spawn(async { std::thread::sleep(Duration::from_millis(200)) })).unwrap();
    /// let reports = reports.lock().unwrap();
    /// assert_eq!(reports.last(), Some(&false)); // after the poll
    /// ```
    pub fn is_running(&self) -> bool {
        self.running
    }
}

/// A ready-made [`on_slow_poll`](crate::runtime::Builder::on_slow_poll)
/// callback that logs through `tracing::warn!` (target `magpie::task`),
/// with the task id, spawn location, worker and duration as fields.
/// Needs the `tracing` feature.
///
/// ```
/// # use std::time::Duration;
/// let rt = magpie::runtime::Builder::new_multi_thread()
///     .on_slow_poll(Duration::from_millis(100), magpie::runtime::log_slow_poll)
///     .build()
///     .unwrap();
/// # drop(rt);
/// ```
#[cfg(feature = "tracing")]
pub fn log_slow_poll(poll: &SlowPoll) {
    tracing::warn!(
        target: "magpie::task",
        duration_us = poll.duration.as_micros() as u64,
        task.id = poll.id.0.get(),
        spawned_at = %poll.spawned_at,
        worker = poll.worker,
        running = poll.running,
        "slow poll: a task blocked its worker thread"
    );
}

/// What one worker publishes about its current poll (see the module docs).
#[repr(align(128))]
pub(crate) struct PollSlot {
    seq: AtomicU64,
    id: AtomicU64,
    location: AtomicPtr<Location<'static>>,
    /// Nanoseconds since `Shared::epoch`.
    started_ns: AtomicU64,
}

/// A consistent view of one poll, as read by the watchdog.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Snapshot {
    pub(crate) seq: u64,
    pub(crate) id: u64,
    pub(crate) location: *const Location<'static>,
    pub(crate) started_ns: u64,
}

impl PollSlot {
    pub(crate) fn new() -> PollSlot {
        PollSlot {
            seq: AtomicU64::new(0),
            id: AtomicU64::new(0),
            location: AtomicPtr::new(std::ptr::null_mut()),
            started_ns: AtomicU64::new(0),
        }
    }

    /// IDLE → POLLING. Only the slot's owner calls this.
    pub(crate) fn begin(&self, id: u64, location: &'static Location<'static>, started_ns: u64) {
        let seq = self.seq.load(Ordering::Relaxed);
        debug_assert_eq!(seq % 4, 0, "poll slot not idle");
        self.seq.store(seq + 1, Ordering::Relaxed);
        fence(Ordering::Release);
        self.id.store(id, Ordering::Relaxed);
        self.location.store(
            location as *const Location<'static> as *mut Location<'static>,
            Ordering::Relaxed,
        );
        self.started_ns.store(started_ns, Ordering::Relaxed);
        self.seq.store(seq + 2, Ordering::Release);
    }

    /// POLLING → IDLE (no-op when idle). Only the slot's owner calls this.
    pub(crate) fn end(&self) {
        let seq = self.seq.load(Ordering::Relaxed);
        if seq % 4 == 2 {
            self.seq.store(seq + 2, Ordering::Release);
        }
    }

    /// The poll running now, if any, read consistently; `None` when idle or
    /// when the slot changed while being read.
    pub(crate) fn read(&self) -> Option<Snapshot> {
        let s1 = self.seq.load(Ordering::Acquire);
        if s1 % 4 != 2 {
            return None;
        }
        let snap = Snapshot {
            seq: s1,
            id: self.id.load(Ordering::Relaxed),
            location: self.location.load(Ordering::Relaxed),
            started_ns: self.started_ns.load(Ordering::Relaxed),
        };
        fence(Ordering::Acquire);
        let s2 = self.seq.load(Ordering::Relaxed);
        if cfg!(magpie_break) || s1 == s2 {
            Some(snap)
        } else {
            None
        }
    }
}

struct Shared {
    slots: Box<[PollSlot]>,
    threshold: Duration,
    callback: SlowPollFn,
    /// Time origin of `PollSlot::started_ns`.
    epoch: Instant,
    stop: Mutex<bool>,
    wake: Condvar,
}

impl Shared {
    fn now_ns(&self) -> u64 {
        self.epoch.elapsed().as_nanos() as u64
    }

    fn report(&self, poll: &SlowPoll) {
        // A panicking callback must not take a worker (or the watchdog)
        // down; the panic hook has already printed it.
        let _ = catch_unwind(AssertUnwindSafe(|| (self.callback)(poll)));
    }
}

/// One per runtime with `on_slow_poll` configured; shared through the
/// scheduler's `Config`.
pub(crate) struct Watchdog {
    shared: Arc<Shared>,
    thread: Mutex<Option<thread::JoinHandle<()>>>,
}

impl fmt::Debug for Watchdog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Watchdog")
            .field("threshold", &self.shared.threshold)
            .finish_non_exhaustive()
    }
}

#[cfg(not(loom))]
std::thread_local! {
    /// Set by `handed_off` on a thread that gave its worker away while in a
    /// poll: that poll's end must not touch the slot (it has a new owner).
    static HANDED_OFF: Cell<bool> = const { Cell::new(false) };
}

#[cfg(loom)]
loom::thread_local! {
    static HANDED_OFF: Cell<bool> = Cell::new(false);
}

impl Watchdog {
    /// Creates the slots and starts the watchdog thread.
    pub(crate) fn start(
        workers: usize,
        threshold: Duration,
        callback: SlowPollFn,
    ) -> std::io::Result<Arc<Watchdog>> {
        let shared = Arc::new(Shared {
            slots: (0..workers).map(|_| PollSlot::new()).collect(),
            threshold,
            callback,
            epoch: Instant::now(),
            stop: Mutex::new(false),
            wake: Condvar::new(),
        });
        let s = shared.clone();
        let handle = thread::Builder::new()
            .name("magpie-watchdog".into())
            .spawn(move || watch(&s))?;
        Ok(Arc::new(Watchdog {
            shared,
            thread: Mutex::new(Some(handle)),
        }))
    }

    /// Polls `task` on worker `worker`, publishing the poll in its slot and
    /// reporting it afterwards if it was slow.
    pub(crate) fn run<S: crate::task::Schedule>(&self, worker: usize, task: Notified<S>) {
        let shared = &*self.shared;
        let header = task.header();
        let (id, spawned_at) = (header.id(), header.spawned_at());
        let slot = &shared.slots[worker];
        let start = Instant::now();
        slot.begin(id.0.get(), spawned_at, shared.now_ns());
        crate::trace::poll(task);
        if HANDED_OFF.with(|h| h.replace(false)) {
            // `block_in_place` gave the worker away during this poll; the
            // slot is the new thread's now, and this thread was not a
            // worker for the rest of the poll.
            return;
        }
        slot.end();
        let duration = start.elapsed();
        if duration >= shared.threshold {
            shared.report(&SlowPoll {
                id,
                spawned_at,
                duration,
                worker,
                running: false,
            });
        }
    }

    /// Signals the thread to exit and waits for it (unless called from
    /// the watchdog thread itself). Idempotent.
    pub(crate) fn stop(&self) {
        *self.shared.stop.lock() = true;
        self.shared.wake.notify_all();
        let handle = self.thread.lock().take();
        if let Some(handle) = handle
            && handle.thread().id() != thread::current().id()
        {
            let _ = handle.join();
        }
    }
}

impl Drop for Watchdog {
    fn drop(&mut self) {
        *self.shared.stop.lock() = true;
        self.shared.wake.notify_all();
    }
}

/// The watchdog thread: every `threshold / 2`, report polls running past
/// the threshold, once each.
fn watch(shared: &Shared) {
    let period = (shared.threshold / 2).max(Duration::from_millis(1));
    let mut reported = vec![u64::MAX; shared.slots.len()];
    loop {
        {
            let stop = shared.stop.lock();
            if *stop {
                return;
            }
            let (stop, _) = shared.wake.wait_timeout(stop, period);
            if *stop {
                return;
            }
        }
        let now = shared.now_ns();
        for (worker, slot) in shared.slots.iter().enumerate() {
            let Some(snap) = slot.read() else { continue };
            let elapsed = Duration::from_nanos(now.saturating_sub(snap.started_ns));
            if elapsed < shared.threshold || reported[worker] == snap.seq {
                continue;
            }
            reported[worker] = snap.seq;
            let (Some(id), Some(location)) = (NonZeroU64::new(snap.id), {
                // SAFETY: a snapshot that passed the seq check holds a
                // pointer stored from a `&'static Location` by `begin`.
                unsafe { snap.location.as_ref() }
            }) else {
                continue;
            };
            shared.report(&SlowPoll {
                id: Id(id),
                spawned_at: location,
                duration: elapsed,
                worker,
                running: true,
            });
        }
    }
}

/// Polls `task` on worker `worker`: timed when `watchdog` is configured,
/// inside a tracing span with the `tracing` feature. The one call both
/// schedulers make per task poll (they count it in their `MetricsBatch`).
#[inline(always)]
pub(crate) fn poll<S: crate::task::Schedule>(
    task: Notified<S>,
    worker: usize,
    watchdog: Option<&Watchdog>,
) {
    match watchdog {
        None => crate::trace::poll(task),
        Some(w) => w.run(worker, task),
    }
}

/// `block_in_place` on worker `worker` is about to give the worker to a
/// new thread while this thread stays in its poll: end the slot's record
/// here (before the new thread exists) and make this poll's end skip it.
pub(crate) fn handed_off(watchdog: Option<&Watchdog>, worker: usize) {
    if let Some(w) = watchdog {
        w.shared.slots[worker].end();
        HANDED_OFF.with(|h| h.set(true));
    }
}

#[cfg(all(test, loom))]
mod tests {
    use super::PollSlot;
    use crate::loom::sync::Arc;
    use std::panic::Location;

    /// Two locations standing for two different polls.
    fn loc(which: u64) -> &'static Location<'static> {
        static A: std::sync::OnceLock<&'static Location<'static>> = std::sync::OnceLock::new();
        static B: std::sync::OnceLock<&'static Location<'static>> = std::sync::OnceLock::new();
        if which == 1 {
            A.get_or_init(|| Location::caller())
        } else {
            B.get_or_init(|| Location::caller())
        }
    }

    /// A worker runs poll 1 (id 1, location A, start 10) then poll 2 (id 2,
    /// location B, start 20) while the watchdog reads the slot twice. Every
    /// accepted snapshot must be one poll's fields, never a mix, and its
    /// seq must name that poll.
    #[test]
    fn loom_watchdog_slot_snapshot() {
        let (la, lb) = (loc(1), loc(2));
        loom::model(move || {
            let slot = Arc::new(PollSlot::new());
            let s = slot.clone();
            let worker = loom::thread::spawn(move || {
                s.begin(1, la, 10);
                s.end();
                s.begin(2, lb, 20);
                s.end();
            });
            for _ in 0..2 {
                // A scheduling point: without it loom runs both reads
                // before the worker's first store and never backtracks
                // (a load followed by another thread's store is not a
                // dependency it explores).
                loom::thread::yield_now();
                if let Some(snap) = slot.read() {
                    let expect = match snap.seq {
                        2 => (1, la as *const _, 10),
                        6 => (2, lb as *const _, 20),
                        other => panic!("accepted a snapshot at seq {other}"),
                    };
                    assert_eq!(
                        (snap.id, snap.location, snap.started_ns),
                        expect,
                        "torn snapshot"
                    );
                }
            }
            worker.join().unwrap();
            assert!(
                slot.read().is_none(),
                "slot must be idle after the last end"
            );
        });
    }
}
