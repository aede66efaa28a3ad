//! Stress: races between spawn, abort, wake and poll, from tasks and from
//! plain threads, on both flavors; LIFO-slot fairness under a wake storm;
//! runtimes created and dropped in a loop with tasks in flight.
//!
//! Every test is bounded (a few seconds in a debug build on two busy
//! cores). Counts are lower in debug builds (`cfg(debug_assertions)`), see
//! [`scaled`]; a hang shows up as a test that never ends, so every wait on
//! another thread is bounded too.
// Integration tests observe the runtime from outside: loom does not reach
// them, so they use std's atomics directly.
#![allow(clippy::disallowed_types)]

use std::future::{Future, poll_fn};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use magpie::runtime::{Builder, Runtime};
use magpie::sync::Notify;

/// `release` in an optimised build, `debug` otherwise.
fn scaled(release: usize, debug: usize) -> usize {
    if cfg!(debug_assertions) {
        debug
    } else {
        release
    }
}

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

fn all_flavors() -> [(&'static str, Runtime); 3] {
    [
        ("current_thread", current_thread()),
        ("multi_thread(1)", threaded(1)),
        ("multi_thread(2)", threaded(2)),
    ]
}

/// A small deterministic generator (xorshift), seeded per thread.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

struct DropCounter(Arc<AtomicUsize>);

impl Drop for DropCounter {
    fn drop(&mut self) {
        self.0.fetch_add(1, SeqCst);
    }
}

/// Yields a few times (so that an abort can land before, during or after
/// the task's polls), then returns `i`.
async fn short_task(i: usize, guard: DropCounter, yields: usize) -> usize {
    let _guard = guard;
    for _ in 0..yields {
        magpie::task::yield_now().await;
    }
    i
}

// --- spawn / abort races ---------------------------------------------------

/// Spawned tasks aborted at once from another task, from a plain thread,
/// or not at all: each JoinHandle yields its value or a cancellation (never
/// a panic), and each future is dropped exactly once.
#[test]
fn spawn_abort_races() {
    let n = scaled(10_000, 4_000);
    for (flavor, rt) in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        let (abort_tx, abort_rx) = mpsc::channel::<magpie::task::AbortHandle>();
        let aborter = std::thread::spawn(move || {
            for h in abort_rx {
                h.abort();
            }
        });
        let (ok, cancelled) = rt.block_on({
            let drops = drops.clone();
            async move {
                let (task_tx, mut task_rx) = magpie::sync::mpsc::unbounded_channel();
                // An aborting task.
                let task_aborter = magpie::spawn(async move {
                    let mut n = 0;
                    while let Some(h) = task_rx.recv().await {
                        magpie::task::AbortHandle::abort(&h);
                        n += 1;
                    }
                    n
                });
                let mut handles = Vec::with_capacity(n);
                for i in 0..n {
                    let h = magpie::spawn(short_task(i, DropCounter(drops.clone()), i % 4));
                    match i % 3 {
                        0 => abort_tx.send(h.abort_handle()).unwrap(),
                        1 => task_tx.send(h.abort_handle()).unwrap(),
                        _ => {}
                    }
                    if i % 2 == 0 {
                        h.abort(); // A second abort, racing the first.
                    }
                    handles.push(h);
                }
                drop(task_tx);
                drop(abort_tx);
                let (mut ok, mut cancelled) = (0, 0);
                for (i, h) in handles.into_iter().enumerate() {
                    match h.await {
                        Ok(v) => {
                            assert_eq!(v, i);
                            ok += 1;
                        }
                        Err(e) => {
                            assert!(e.is_cancelled(), "{e:?}");
                            cancelled += 1;
                        }
                    }
                }
                assert_eq!(task_aborter.await.unwrap(), n / 3 + usize::from(n % 3 > 1));
                (ok, cancelled)
            }
        });
        aborter.join().unwrap();
        assert_eq!(ok + cancelled, n, "{flavor}");
        // Only every other task and every third is never aborted.
        assert!(ok >= n / 6, "{flavor}: {ok} ok");
        assert_eq!(drops.load(SeqCst), n, "{flavor}");
    }
}

/// Spawn on one plain thread, abort on another at the same moment,
/// through `Handle`s: every handle resolves, every future is dropped once.
#[test]
fn spawn_from_one_thread_abort_from_another() {
    let n = scaled(10_000, 4_000);
    for (flavor, rt) in all_flavors() {
        let drops = Arc::new(AtomicUsize::new(0));
        let handle = rt.handle().clone();
        let (tx, rx) = mpsc::channel::<magpie::task::AbortHandle>();
        let spawner = std::thread::spawn({
            let drops = drops.clone();
            move || {
                (0..n)
                    .map(|i| {
                        let h = handle.spawn(short_task(i, DropCounter(drops.clone()), i % 3));
                        tx.send(h.abort_handle()).unwrap();
                        h
                    })
                    .collect::<Vec<_>>()
            }
        });
        let aborter = std::thread::spawn(move || {
            for (k, h) in rx.into_iter().enumerate() {
                if k.is_multiple_of(2) {
                    h.abort();
                }
            }
        });
        // The current-thread flavor only runs tasks inside block_on; a
        // multi-thread one runs them already.
        let handles = spawner.join().unwrap();
        aborter.join().unwrap();
        let (ok, cancelled) = rt.block_on(async {
            let (mut ok, mut cancelled) = (0, 0);
            for (i, h) in handles.into_iter().enumerate() {
                match h.await {
                    Ok(v) => {
                        assert_eq!(v, i);
                        ok += 1;
                    }
                    Err(e) => {
                        assert!(e.is_cancelled(), "{e:?}");
                        assert_eq!(i % 2, 0, "task {i} was never aborted");
                        cancelled += 1;
                    }
                }
            }
            (ok, cancelled)
        });
        assert_eq!(ok + cancelled, n, "{flavor}");
        assert!(ok >= n / 2, "{flavor}");
        assert_eq!(drops.load(SeqCst), n, "{flavor}");
    }
}

/// Tasks still pending when the runtime is dropped, with aborts racing the
/// shutdown: every future is dropped exactly once, by one or the other.
#[test]
fn abort_racing_runtime_shutdown() {
    let rounds = scaled(400, 200);
    for round in 0..rounds {
        let rt = if round % 2 == 0 {
            current_thread()
        } else {
            threaded(2)
        };
        let drops = Arc::new(AtomicUsize::new(0));
        let aborts: Vec<_> = (0..16)
            .map(|_| {
                let guard = DropCounter(drops.clone());
                rt.spawn(async move {
                    let _guard = guard;
                    std::future::pending::<()>().await
                })
                .abort_handle()
            })
            .collect();
        let aborter = std::thread::spawn(move || {
            for h in aborts {
                h.abort();
            }
        });
        drop(rt);
        aborter.join().unwrap();
        assert_eq!(drops.load(SeqCst), 16, "round {round}");
    }
}

// --- wake storms -------------------------------------------------------------

/// A hand-rolled wake-up slot: a count of events and the waker to call.
#[derive(Default)]
struct Slot {
    events: AtomicUsize,
    waker: Mutex<Option<Waker>>,
    /// Wakes sent (calls to `wake`, whether or not a waker was there).
    wakes: AtomicUsize,
}

impl Slot {
    fn signal(&self) {
        self.events.fetch_add(1, SeqCst);
        self.wakes.fetch_add(1, SeqCst);
        if let Some(w) = self.waker.lock().unwrap().take() {
            w.wake();
        }
    }

    /// Waits until `target` events have arrived; returns how many times
    /// the task was polled.
    async fn wait_for(&self, target: usize) -> usize {
        let mut polls = 0;
        poll_fn(|cx| {
            polls += 1;
            if self.events.load(SeqCst) >= target {
                return Poll::Ready(());
            }
            *self.waker.lock().unwrap() = Some(cx.waker().clone());
            // Re-check after publishing the waker: an event sent in
            // between found no waker to call.
            if self.events.load(SeqCst) >= target {
                Poll::Ready(())
            } else {
                Poll::Pending
            }
        })
        .await;
        polls
    }
}

/// Plain threads send events to random sleeping tasks: every task sees all
/// its events, and is never polled more often than it was woken (plus its
/// first poll): no lost wakes, no phantom re-polls.
#[test]
fn random_wake_storm_from_plain_threads() {
    let tasks = 64;
    let per_task = scaled(500, 200);
    for (flavor, rt) in all_flavors() {
        let slots: Arc<Vec<Slot>> = Arc::new((0..tasks).map(|_| Slot::default()).collect());
        let handles: Vec<_> = (0..tasks)
            .map(|i| {
                let slots = slots.clone();
                rt.spawn(async move { slots[i].wait_for(per_task).await })
            })
            .collect();
        // Each thread owns an equal share of every slot's events, sent in
        // random order.
        let threads = 4;
        let senders: Vec<_> = (0..threads)
            .map(|t| {
                let slots = slots.clone();
                std::thread::spawn(move || {
                    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (t as u64 + 1));
                    // Thread 0 also sends the remainder.
                    let share = per_task / threads + if t == 0 { per_task % threads } else { 0 };
                    let mut left = vec![share; tasks];
                    let mut live: Vec<usize> = (0..tasks).filter(|&i| left[i] > 0).collect();
                    while !live.is_empty() {
                        let k = rng.below(live.len());
                        let i = live[k];
                        slots[i].signal();
                        left[i] -= 1;
                        if left[i] == 0 {
                            live.swap_remove(k);
                        }
                        if rng.below(64) == 0 {
                            std::thread::yield_now();
                        }
                    }
                })
            })
            .collect();
        let polls = rt.block_on(async {
            let mut polls = Vec::new();
            for h in handles {
                polls.push(h.await.unwrap());
            }
            polls
        });
        for s in senders {
            s.join().unwrap();
        }
        for (i, p) in polls.into_iter().enumerate() {
            let events = slots[i].events.load(SeqCst);
            let wakes = slots[i].wakes.load(SeqCst);
            assert!(events >= per_task, "{flavor}: task {i}: {events} events");
            assert!(
                p >= 1 && p <= wakes + 1,
                "{flavor}: task {i}: {p} polls for {wakes} wakes"
            );
        }
    }
}

/// The same storm through `magpie::sync::Notify`: `notify_one` stores a
/// permit when nobody waits, so no event is lost.
#[test]
fn notify_storm_from_plain_threads() {
    let tasks = 32;
    let per_task = scaled(600, 200);
    for (flavor, rt) in all_flavors() {
        let notifies: Arc<Vec<(Notify, AtomicUsize)>> = Arc::new(
            (0..tasks)
                .map(|_| (Notify::new(), AtomicUsize::new(0)))
                .collect(),
        );
        let done = Arc::new(AtomicUsize::new(0));
        let handles: Vec<_> = (0..tasks)
            .map(|i| {
                let (notifies, done) = (notifies.clone(), done.clone());
                rt.spawn(async move {
                    let (notify, events) = &notifies[i];
                    let mut wakeups = 0;
                    while events.load(SeqCst) < per_task {
                        notify.notified().await;
                        wakeups += 1;
                    }
                    done.fetch_add(1, SeqCst);
                    wakeups
                })
            })
            .collect();
        let senders: Vec<_> = (0..2)
            .map(|t| {
                let notifies = notifies.clone();
                std::thread::spawn(move || {
                    let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ (t as u64 + 7));
                    let mut order: Vec<usize> = (0..tasks)
                        .flat_map(|i| std::iter::repeat_n(i, per_task / 2 + (per_task % 2) * t))
                        .collect();
                    // Fisher-Yates.
                    for k in (1..order.len()).rev() {
                        order.swap(k, rng.below(k + 1));
                    }
                    for i in order {
                        let (notify, events) = &notifies[i];
                        events.fetch_add(1, SeqCst);
                        notify.notify_one();
                    }
                })
            })
            .collect();
        let wakeups = rt.block_on(async {
            let mut out = Vec::new();
            for h in handles {
                out.push(h.await.unwrap());
            }
            out
        });
        for s in senders {
            s.join().unwrap();
        }
        assert_eq!(done.load(SeqCst), tasks, "{flavor}");
        for (i, w) in wakeups.into_iter().enumerate() {
            // Permits coalesce (and every event may have arrived before
            // the task first ran), so a task may need fewer wake-ups than
            // events, but never more than one per event.
            assert!(w <= per_task, "{flavor}: task {i}: {w} wake-ups");
        }
    }
}

// --- woken while being polled ----------------------------------------------------

/// A long-lived helper thread that wakes wakers on request and confirms.
struct Waker2 {
    tx: mpsc::Sender<(Waker, mpsc::SyncSender<()>)>,
}

impl Waker2 {
    fn start() -> (Waker2, std::thread::JoinHandle<usize>) {
        let (tx, rx) = mpsc::channel::<(Waker, mpsc::SyncSender<()>)>();
        let th = std::thread::spawn(move || {
            let mut n = 0;
            for (w, done) in rx {
                w.wake();
                n += 1;
                let _ = done.send(());
            }
            n
        });
        (Waker2 { tx }, th)
    }
}

/// Returns Pending `rounds` times; before each, has another thread wake
/// it and waits for that wake to have happened, all inside its own poll.
struct SelfWakeDuringPoll {
    rounds: usize,
    helper: mpsc::Sender<(Waker, mpsc::SyncSender<()>)>,
    polls: usize,
}

impl Future for SelfWakeDuringPoll {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        self.polls += 1;
        if self.rounds == 0 {
            return Poll::Ready(self.polls);
        }
        self.rounds -= 1;
        let (done_tx, done_rx) = mpsc::sync_channel(1);
        self.helper.send((cx.waker().clone(), done_tx)).unwrap();
        // The wake lands while this poll is still running.
        done_rx
            .recv_timeout(Duration::from_secs(30))
            .expect("helper thread answers");
        Poll::Pending
    }
}

/// A future woken from another thread during its own poll must be polled
/// again (the wake is not lost because the task was RUNNING), exactly
/// once per wake.
#[test]
fn woken_from_another_thread_while_being_polled() {
    let tasks = 16;
    let rounds = scaled(500, 200);
    for (flavor, rt) in all_flavors() {
        let (helper, helper_thread) = Waker2::start();
        let polls = rt.block_on(async {
            let hs: Vec<_> = (0..tasks)
                .map(|_| {
                    magpie::spawn(SelfWakeDuringPoll {
                        rounds,
                        helper: helper.tx.clone(),
                        polls: 0,
                    })
                })
                .collect();
            let mut polls = Vec::new();
            for h in hs {
                polls.push(h.await.unwrap());
            }
            polls
        });
        drop(helper);
        assert_eq!(helper_thread.join().unwrap(), tasks * rounds, "{flavor}");
        for p in polls {
            assert_eq!(
                p,
                rounds + 1,
                "{flavor}: a wake during poll was lost or doubled"
            );
        }
    }
}

/// The same with the wake not waited for: it races the end of the poll
/// (lands before, during or after the transition to idle).
#[test]
fn woken_from_another_thread_racing_the_end_of_the_poll() {
    let tasks = 16;
    let rounds = scaled(1000, 400);
    for (flavor, rt) in all_flavors() {
        let (tx, rx) = mpsc::channel::<Waker>();
        let waker_thread = std::thread::spawn(move || {
            let mut n = 0usize;
            for w in rx {
                if n.is_multiple_of(7) {
                    std::thread::yield_now();
                }
                w.wake();
                n += 1;
            }
            n
        });
        let total = rt.block_on(async {
            let hs: Vec<_> = (0..tasks)
                .map(|_| {
                    let tx = tx.clone();
                    magpie::spawn(async move {
                        let mut left = rounds;
                        let mut polls = 0;
                        poll_fn(|cx| {
                            polls += 1;
                            if left == 0 {
                                return Poll::Ready(());
                            }
                            left -= 1;
                            tx.send(cx.waker().clone()).unwrap();
                            Poll::Pending
                        })
                        .await;
                        polls
                    })
                })
                .collect();
            let mut total = 0;
            for h in hs {
                let polls = h.await.unwrap();
                assert_eq!(polls, rounds + 1);
                total += polls;
            }
            total
        });
        drop(tx);
        assert_eq!(waker_thread.join().unwrap(), tasks * rounds, "{flavor}");
        assert_eq!(total, tasks * (rounds + 1), "{flavor}");
    }
}

// --- LIFO slot fairness ------------------------------------------------------

/// Pairs of tasks ping-pong through `Notify` (each wake goes to the waking
/// worker's LIFO slot) while a separate task only yields: it must reach
/// its target before the ping-pong ends, i.e. the LIFO slot does not
/// starve the run queue.
fn ping_pong_with_bystander(rt: &Runtime, pairs: usize, rounds: usize, target: usize) {
    rt.block_on(async {
        let progress = Arc::new(AtomicUsize::new(0));
        let ping_pong_done = Arc::new(AtomicBool::new(false));
        let bystander = magpie::spawn({
            let (progress, done) = (progress.clone(), ping_pong_done.clone());
            async move {
                while progress.load(SeqCst) < target {
                    assert!(
                        !done.load(SeqCst),
                        "starved: only {} of {target} yields before the ping-pong ended",
                        progress.load(SeqCst)
                    );
                    progress.fetch_add(1, SeqCst);
                    magpie::task::yield_now().await;
                }
            }
        });
        let mut players = Vec::with_capacity(pairs * 2);
        for _ in 0..pairs {
            let a = Arc::new(Notify::new());
            let b = Arc::new(Notify::new());
            players.push(magpie::spawn({
                let (a, b) = (a.clone(), b.clone());
                async move {
                    for _ in 0..rounds {
                        b.notify_one();
                        a.notified().await;
                    }
                }
            }));
            players.push(magpie::spawn(async move {
                for _ in 0..rounds {
                    b.notified().await;
                    a.notify_one();
                }
            }));
        }
        for p in players {
            p.await.unwrap();
        }
        ping_pong_done.store(true, SeqCst);
        bystander.await.unwrap();
        assert!(progress.load(SeqCst) >= target);
    });
}

/// One pair, many rounds. Measured on one worker (debug build, 10,000
/// rounds): with the cap of three back-to-back LIFO polls the bystander
/// yields ~8,700 times before the ping-pong ends; with the cap removed,
/// ~3,000. The target, half the rounds, sits between the two, so this test
/// fails if the cap goes. (The order of polls on one worker does not
/// depend on timing; with two workers stealing only helps.)
#[test]
fn lifo_ping_pong_does_not_starve_a_yielding_task() {
    let rounds = scaled(50_000, 10_000);
    for (flavor, rt) in all_flavors() {
        eprintln!("{flavor}");
        ping_pong_with_bystander(&rt, 1, rounds, rounds / 2);
    }
}

/// 10,000 tasks (5,000 pairs) ping-ponging at once while the bystander
/// must still make progress: a liveness check under a crowded run queue.
/// On current_thread each sweep through the queue moves every pair about
/// one round on and polls the bystander once (~28 yields in 10 rounds,
/// measured); the multi-thread flavors give it far more. The target is
/// 5. (This one does not pin the LIFO cap; the single-pair test does.)
#[test]
fn ten_thousand_tasks_ping_pong_while_another_makes_progress() {
    for (flavor, rt) in all_flavors() {
        eprintln!("{flavor}");
        ping_pong_with_bystander(&rt, 5_000, 10, 5);
    }
}

// --- runtime churn -------------------------------------------------------------

fn thread_count() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))
        .expect("Threads: line")
        .trim()
        .parse()
        .unwrap()
}

fn fd_count() -> usize {
    std::fs::read_dir("/proc/self/fd").unwrap().count()
}

/// Waits (bounded, polling rather than sleeping once and hoping) for a
/// count to come back to at most `start`: a thread that has been told to
/// stop may still be listed for a moment.
fn settle_to(what: &str, start: usize, count: impl Fn() -> usize) {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let now = count();
        if now <= start {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{what}: {now} now, {start} at the start"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// One short life of a runtime with work in flight when it is dropped.
fn churn_once(multi: bool, i: usize) {
    let rt = if multi { threaded(2) } else { current_thread() };
    let (tx, rx) = magpie::sync::oneshot::channel::<()>();
    rt.block_on(async move {
        // Parked on a channel, a timer, a yield loop, a blocking call.
        magpie::spawn(async move {
            let _ = rx.await;
        });
        magpie::spawn(magpie::time::sleep(Duration::from_secs(60)));
        magpie::spawn(async {
            loop {
                magpie::task::yield_now().await;
            }
        });
        if i.is_multiple_of(8) {
            drop(magpie::task::spawn_blocking(|| 1));
            let listener = magpie::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            magpie::spawn(async move {
                let _ = listener.accept().await;
            });
        }
        magpie::task::yield_now().await;
    });
    drop(tx);
    drop(rt);
}

/// Creates and drops runtimes of both flavors in a loop, with tasks in
/// flight: afterwards the process has as many threads and file
/// descriptors as before.
///
/// The counts are process-wide, so the loop runs in a child process (this
/// test binary again, running only this test) where nothing else starts
/// threads or opens files meanwhile. 1,000 runtimes per flavor.
#[test]
fn runtime_churn_leaves_no_threads_or_fds() {
    const CHILD: &str = "MAGPIE_STRESS_CHURN_CHILD";
    if std::env::var_os(CHILD).is_none() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "runtime_churn_leaves_no_threads_or_fds",
                "--test-threads=1",
                "--nocapture",
            ])
            .env(CHILD, "1")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "child failed: {}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains("1 passed"), "{stdout}");
        return;
    }
    let n = 1000;
    for multi in [false, true] {
        let (threads, fds) = (thread_count(), fd_count());
        for i in 0..n {
            churn_once(multi, i);
        }
        let what = if multi {
            "multi_thread"
        } else {
            "current_thread"
        };
        settle_to(&format!("{what}: threads"), threads, thread_count);
        settle_to(&format!("{what}: fds"), fds, fd_count);
    }
}
