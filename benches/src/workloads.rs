//! The workloads, each written once against [`BenchRuntime`].
//!
//! One call of [`Workload::run`] is one benchmark iteration. Every
//! iteration checks its own result (sums, counts), so a workload that
//! silently did less work would fail instead of looking fast.

use crate::rt::{BenchRuntime, BenchStream, Flavor};
use crate::spin;
use crate::sync::{Signal, oneshot};
use std::pin::Pin;
use std::sync::Arc;

/// Tasks per iteration of the two `spawn_many_*` workloads.
pub const SPAWN_MANY: usize = 10_000;
/// Tasks in `yield_many`.
pub const YIELD_TASKS: usize = 1_000;
/// Yields per task in `yield_many`.
pub const YIELDS_PER_TASK: usize = 200;
/// Length of the spawn chain in `chained_spawn`.
pub const CHAIN_LEN: usize = 1_000;
/// Task pairs in `ping_pong`.
pub const PING_PONG_PAIRS: usize = 100;
/// Round trips per pair in `ping_pong`.
pub const PING_PONG_ROUNDS: usize = 100;
/// Depth of the binary task tree in `spawn_tree` (2^depth - 1 tasks).
pub const TREE_DEPTH: u32 = 13;
/// Sequential `spawn_blocking` round trips per iteration.
pub const BLOCKING_ROUND_TRIPS: usize = 200;
/// Tasks in `uneven_cpu`.
pub const UNEVEN_TASKS: usize = 400;
/// Longest task of `uneven_cpu`, in microseconds of spinning.
pub const UNEVEN_MAX_US: u32 = 200;
/// Producers in `mpsc_fan_in`.
pub const FAN_IN_PRODUCERS: usize = 8;
/// Messages per producer in `mpsc_fan_in`.
pub const FAN_IN_MSGS: usize = 2_000;
/// Capacity of the bounded channel in `mpsc_fan_in`: small enough that
/// producers wait for room.
pub const FAN_IN_CAPACITY: usize = 64;
/// Round trips in `oneshot_ping_pong`.
pub const ONESHOT_ROUNDS: usize = 2_000;
/// Tasks sharing the lock in `mutex_contended`.
pub const MUTEX_TASKS: usize = 16;
/// Lock acquisitions per task in `mutex_contended`.
pub const MUTEX_INCREMENTS: usize = 500;
/// Tasks in `semaphore_contended`.
pub const SEM_TASKS: usize = 16;
/// Permits of the semaphore in `semaphore_contended` (fewer than tasks).
pub const SEM_PERMITS: usize = 4;
/// Acquisitions per task in `semaphore_contended`.
pub const SEM_ACQUIRES: usize = 500;
/// Producers in `unbounded_fan_in`.
pub const UNBOUNDED_PRODUCERS: usize = 8;
/// Messages per producer in `unbounded_fan_in`.
pub const UNBOUNDED_MSGS: usize = 2_000;
/// Round trips in `notify_ping_pong`.
pub const NOTIFY_ROUNDS: usize = 2_000;
/// Receivers in `watch_fan_out` and `broadcast_fan_out`.
pub const FAN_OUT_RECEIVERS: usize = 8;
/// Values sent in `watch_fan_out`.
pub const WATCH_UPDATES: usize = 500;
/// Messages sent in `broadcast_fan_out` (the channel holds them all, so
/// no receiver lags).
pub const BROADCAST_MSGS: usize = 1_000;
/// Client connections in `tcp_echo`.
pub const ECHO_CLIENTS: usize = 50;
/// Round trips per client in `tcp_echo`.
pub const ECHO_ROUNDS: usize = 200;
/// Message size in `tcp_echo`, in bytes.
pub const ECHO_MSG: usize = 64;
/// Client connections in `tcp_echo_16k`.
pub const BIG_ECHO_CLIENTS: usize = 10;
/// Round trips per client in `tcp_echo_16k`.
pub const BIG_ECHO_ROUNDS: usize = 50;
/// Message size (and the server's read buffer) in `tcp_echo_16k`.
pub const BIG_ECHO_MSG: usize = 16 * 1024;
/// Client tasks in `tcp_churn`.
pub const CHURN_CLIENTS: usize = 8;
/// Connections opened one after another by each client in `tcp_churn`.
pub const CHURN_CONNS_PER_CLIENT: usize = 25;
/// Socket pairs in `udp_ping_pong`.
pub const UDP_PAIRS: usize = 10;
/// Round trips per pair in `udp_ping_pong`.
pub const UDP_ROUNDS: usize = 200;

/// The benchmark workloads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Workload {
    /// 10k tasks spawned from inside a task, then joined one by one.
    SpawnManyLocal,
    /// 10k tasks spawned with `Handle::spawn` from the main thread (outside
    /// the runtime), then joined from `block_on`.
    SpawnManyRemote,
    /// 1000 tasks each calling `yield_now` 200 times.
    YieldMany,
    /// A chain of 1000 tasks, each spawning the next; the last one signals.
    ChainedSpawn,
    /// 100 task pairs, each doing 100 round trips through two [`Signal`]s.
    PingPong,
    /// A binary tree of 8191 tasks: each spawns two children and joins
    /// them, so both workers spawn, steal and join at the same time.
    SpawnTree,
    /// 200 sequential `spawn_blocking` round trips from one task.
    SpawnBlocking,
    /// 400 tasks spinning 1-200 us each (fixed pseudo-random lengths), all
    /// spawned from one task: the other workers must steal to help.
    UnevenCpu,
    /// 8 producers x 2000 messages into one bounded `mpsc` channel of
    /// capacity 64, drained by one receiver (each runtime's own `sync`).
    MpscFanIn,
    /// 2000 round trips between two tasks, two `oneshot` channels per round
    /// trip (each message carries the sender for the reply).
    OneshotPingPong,
    /// 16 tasks x 500 increments of one `sync::Mutex<usize>`, yielding with
    /// the lock held every fourth time.
    MutexContended,
    /// 16 tasks x 500 acquire/yield/release of a 4-permit `Semaphore`.
    SemaphoreContended,
    /// 8 producers x 2000 messages into one `mpsc::unbounded_channel`,
    /// drained by one receiver.
    UnboundedFanIn,
    /// 2000 round trips between two tasks through two `sync::Notify`s
    /// (`notify_one` / `notified().await`).
    NotifyPingPong,
    /// One `watch` sender publishing 500 values (yielding after each) to 8
    /// receiver tasks looping on `changed()` until they see the last one.
    WatchFanOut,
    /// One `broadcast` sender sending 1000 messages (yielding every 10) to
    /// 8 receiver tasks, each receiving all of them.
    BroadcastFanOut,
    /// 50 loopback TCP clients, each doing 200 round trips of 64 bytes
    /// with an echo server on the same runtime (one connection per client,
    /// one server task per connection). Needs a runtime built with
    /// [`BenchRuntime::new_with_io`].
    TcpEcho,
    /// `tcp_echo` with 10 clients x 50 round trips of 16 KiB: reads come
    /// back short and partial, so the read/write loops and the readiness
    /// rules for partial transfers are what is measured.
    TcpEchoLarge,
    /// Connect/accept churn: 8 client tasks each open 25 connections one
    /// after another; each connection does one 64-byte round trip with
    /// its server task and is closed (200 connections per iteration).
    TcpChurn,
    /// 10 pairs of connected loopback UDP sockets, 200 round trips of 64
    /// bytes each (`send` / `recv`).
    UdpPingPong,
    /// `tcp_echo` over Unix stream sockets: 50 clients x 200 round trips
    /// of 64 bytes.
    UnixEcho,
    /// 100 000 `time::sleep`s (deadlines 1-1000 ms) registered by one poll
    /// each, then dropped: insert + cancel in the timer wheel.
    TimerInsertCancel,
    /// 10 000 tasks each sleeping a pseudo-random 1-20 ms; an iteration
    /// lasts about 20 ms of waiting, so this measures the timer path under
    /// load, not CPU time alone (lateness: the `timer_lateness` binary).
    SleepMany,
    /// 100 000 `time::timeout(1 s, ready(i))`: the inner future is ready on
    /// the first poll, so the timer is created and dropped unregistered.
    TimeoutReady,
    /// 20 000 `time::timeout(1 s, yield_now())`: each registers its timer
    /// on the first poll and cancels it on the second.
    TimeoutYield,
    /// One `time::sleep` reset 100 000 times to a later deadline and polled
    /// after each reset (an idle timeout pushed back on every event).
    SleepReset,
    /// 1000 tasks each awaiting 10 ticks of a 1 ms `time::interval`; lasts
    /// about 10 ms of waiting.
    IntervalTick,
}

impl Workload {
    /// Every workload, in table order.
    pub const ALL: [Workload; 27] = [
        Workload::SpawnManyLocal,
        Workload::SpawnManyRemote,
        Workload::YieldMany,
        Workload::ChainedSpawn,
        Workload::PingPong,
        Workload::SpawnTree,
        Workload::SpawnBlocking,
        Workload::UnevenCpu,
        Workload::MpscFanIn,
        Workload::OneshotPingPong,
        Workload::MutexContended,
        Workload::SemaphoreContended,
        Workload::UnboundedFanIn,
        Workload::NotifyPingPong,
        Workload::WatchFanOut,
        Workload::BroadcastFanOut,
        Workload::TcpEcho,
        Workload::TcpEchoLarge,
        Workload::TcpChurn,
        Workload::UdpPingPong,
        Workload::UnixEcho,
        Workload::TimerInsertCancel,
        Workload::SleepMany,
        Workload::TimeoutReady,
        Workload::TimeoutYield,
        Workload::SleepReset,
        Workload::IntervalTick,
    ];

    /// The workload's name in tables and benchmark ids.
    pub fn name(self) -> &'static str {
        match self {
            Workload::SpawnManyLocal => "spawn_many_local",
            Workload::SpawnManyRemote => "spawn_many_remote",
            Workload::YieldMany => "yield_many",
            Workload::ChainedSpawn => "chained_spawn",
            Workload::PingPong => "ping_pong",
            Workload::SpawnTree => "spawn_tree",
            Workload::SpawnBlocking => "spawn_blocking",
            Workload::UnevenCpu => "uneven_cpu",
            Workload::MpscFanIn => "mpsc_fan_in",
            Workload::OneshotPingPong => "oneshot_ping_pong",
            Workload::MutexContended => "mutex_contended",
            Workload::SemaphoreContended => "semaphore_contended",
            Workload::UnboundedFanIn => "unbounded_fan_in",
            Workload::NotifyPingPong => "notify_ping_pong",
            Workload::WatchFanOut => "watch_fan_out",
            Workload::BroadcastFanOut => "broadcast_fan_out",
            Workload::TcpEcho => "tcp_echo",
            Workload::TcpEchoLarge => "tcp_echo_16k",
            Workload::TcpChurn => "tcp_churn",
            Workload::UdpPingPong => "udp_ping_pong",
            Workload::UnixEcho => "uds_echo",
            Workload::TimerInsertCancel => "timer_insert_cancel",
            Workload::SleepMany => "sleep_many",
            Workload::TimeoutReady => "timeout_ready",
            Workload::TimeoutYield => "timeout_yield",
            Workload::SleepReset => "sleep_reset",
            Workload::IntervalTick => "interval_tick",
        }
    }

    /// Looks a workload up by [`name`](Workload::name).
    pub fn from_name(name: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.name() == name)
    }

    /// Whether this workload is measured on `flavor`. `uneven_cpu` is
    /// about stealing, which a single thread cannot do.
    pub fn supports(self, flavor: Flavor) -> bool {
        match self {
            Workload::UnevenCpu => matches!(flavor, Flavor::MultiThread(_)),
            _ => true,
        }
    }

    /// Whether this workload needs the I/O driver, i.e. a runtime built
    /// with [`BenchRuntime::new_with_io`] (the others run on
    /// [`BenchRuntime::new`], without drivers).
    pub fn needs_io(self) -> bool {
        matches!(
            self,
            Workload::TcpEcho
                | Workload::TcpEchoLarge
                | Workload::TcpChurn
                | Workload::UdpPingPong
                | Workload::UnixEcho
                | Workload::TimerInsertCancel
                | Workload::SleepMany
                | Workload::TimeoutReady
                | Workload::TimeoutYield
                | Workload::SleepReset
                | Workload::IntervalTick
        )
    }

    /// Operations per iteration (tasks, yields, round trips), to turn an
    /// iteration time into a per-operation time.
    pub fn ops_per_iter(self) -> usize {
        match self {
            Workload::SpawnManyLocal | Workload::SpawnManyRemote => SPAWN_MANY,
            Workload::YieldMany => YIELD_TASKS * YIELDS_PER_TASK,
            Workload::ChainedSpawn => CHAIN_LEN,
            Workload::PingPong => PING_PONG_PAIRS * PING_PONG_ROUNDS,
            Workload::SpawnTree => (1 << TREE_DEPTH) - 1,
            Workload::SpawnBlocking => BLOCKING_ROUND_TRIPS,
            Workload::UnevenCpu => UNEVEN_TASKS,
            Workload::MpscFanIn => FAN_IN_PRODUCERS * FAN_IN_MSGS,
            Workload::OneshotPingPong => ONESHOT_ROUNDS,
            Workload::MutexContended => MUTEX_TASKS * MUTEX_INCREMENTS,
            Workload::SemaphoreContended => SEM_TASKS * SEM_ACQUIRES,
            Workload::UnboundedFanIn => UNBOUNDED_PRODUCERS * UNBOUNDED_MSGS,
            Workload::NotifyPingPong => NOTIFY_ROUNDS,
            Workload::WatchFanOut => WATCH_UPDATES,
            Workload::BroadcastFanOut => FAN_OUT_RECEIVERS * BROADCAST_MSGS,
            Workload::TcpEcho | Workload::UnixEcho => ECHO_CLIENTS * ECHO_ROUNDS,
            Workload::TcpEchoLarge => BIG_ECHO_CLIENTS * BIG_ECHO_ROUNDS,
            Workload::TcpChurn => CHURN_CLIENTS * CHURN_CONNS_PER_CLIENT,
            Workload::UdpPingPong => UDP_PAIRS * UDP_ROUNDS,
            Workload::TimerInsertCancel => TIMERS,
            Workload::SleepMany => SLEEPERS,
            Workload::TimeoutReady => TIMEOUTS_READY,
            Workload::TimeoutYield => TIMEOUTS_YIELD,
            Workload::SleepReset => SLEEP_RESETS,
            Workload::IntervalTick => INTERVAL_TASKS * INTERVAL_TICKS,
        }
    }

    /// What one operation is, for [`ops_per_iter`](Workload::ops_per_iter).
    pub fn op_name(self) -> &'static str {
        match self {
            Workload::SpawnManyLocal | Workload::SpawnManyRemote | Workload::SpawnTree => {
                "spawn+join"
            }
            Workload::YieldMany => "yield",
            Workload::ChainedSpawn => "spawn",
            Workload::PingPong
            | Workload::OneshotPingPong
            | Workload::SpawnBlocking
            | Workload::TcpEcho
            | Workload::TcpEchoLarge
            | Workload::UdpPingPong
            | Workload::UnixEcho => "round trip",
            Workload::TcpChurn => "connection",
            Workload::TimerInsertCancel => "insert+cancel",
            Workload::SleepMany => "sleep",
            Workload::TimeoutReady | Workload::TimeoutYield => "timeout",
            Workload::SleepReset => "reset",
            Workload::IntervalTick => "tick",
            Workload::UnevenCpu => "task",
            Workload::MpscFanIn => "message",
            Workload::MutexContended => "lock",
            Workload::SemaphoreContended => "acquire",
            Workload::UnboundedFanIn => "message",
            Workload::NotifyPingPong => "round trip",
            Workload::WatchFanOut => "update",
            Workload::BroadcastFanOut => "message received",
        }
    }

    /// Runs one iteration on `rt`.
    pub fn run<R: BenchRuntime>(self, rt: &R) {
        match self {
            Workload::SpawnManyLocal => spawn_many_local(rt),
            Workload::SpawnManyRemote => spawn_many_remote(rt),
            Workload::YieldMany => yield_many(rt),
            Workload::ChainedSpawn => chained_spawn(rt),
            Workload::PingPong => ping_pong(rt),
            Workload::SpawnTree => spawn_tree(rt),
            Workload::SpawnBlocking => spawn_blocking(rt),
            Workload::UnevenCpu => uneven_cpu(rt),
            Workload::MpscFanIn => mpsc_fan_in(rt),
            Workload::OneshotPingPong => oneshot_ping_pong(rt),
            Workload::MutexContended => mutex_contended(rt),
            Workload::SemaphoreContended => semaphore_contended(rt),
            Workload::UnboundedFanIn => unbounded_fan_in(rt),
            Workload::NotifyPingPong => notify_ping_pong(rt),
            Workload::WatchFanOut => watch_fan_out(rt),
            Workload::BroadcastFanOut => broadcast_fan_out(rt),
            Workload::TcpEcho => tcp_echo(rt),
            Workload::TcpEchoLarge => tcp_echo_16k(rt),
            Workload::TcpChurn => tcp_churn(rt),
            Workload::UdpPingPong => udp_ping_pong(rt),
            Workload::UnixEcho => uds_echo(rt),
            Workload::TimerInsertCancel => timer_insert_cancel(rt),
            Workload::SleepMany => sleep_many(rt),
            Workload::TimeoutReady => timeout_ready(rt),
            Workload::TimeoutYield => timeout_yield(rt),
            Workload::SleepReset => sleep_reset(rt),
            Workload::IntervalTick => interval_tick(rt),
        }
    }
}

/// Runs `future` as a spawned task (on a worker, so that its own spawns
/// and wakes take the worker-local path) and waits for it.
fn in_task<R, F>(rt: &R, future: F) -> F::Output
where
    R: BenchRuntime,
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    rt.block_on(async { R::spawn(future).await.expect("workload task failed") })
}

/// See [`Workload::SpawnManyLocal`].
pub fn spawn_many_local<R: BenchRuntime>(rt: &R) {
    let sum = in_task(rt, async {
        let mut handles = Vec::with_capacity(SPAWN_MANY);
        for i in 0..SPAWN_MANY {
            handles.push(R::spawn(async move { i }));
        }
        let mut sum = 0;
        for h in handles {
            sum += h.await.expect("task failed");
        }
        sum
    });
    assert_eq!(sum, SPAWN_MANY * (SPAWN_MANY - 1) / 2);
}

/// See [`Workload::SpawnManyRemote`].
pub fn spawn_many_remote<R: BenchRuntime>(rt: &R) {
    let handles: Vec<_> = (0..SPAWN_MANY)
        .map(|i| rt.spawn_remote(async move { i }))
        .collect();
    let sum = rt.block_on(async {
        let mut sum = 0;
        for h in handles {
            sum += h.await.expect("task failed");
        }
        sum
    });
    assert_eq!(sum, SPAWN_MANY * (SPAWN_MANY - 1) / 2);
}

/// See [`Workload::YieldMany`].
pub fn yield_many<R: BenchRuntime>(rt: &R) {
    let total = in_task(rt, async {
        let handles: Vec<_> = (0..YIELD_TASKS)
            .map(|_| {
                R::spawn(async {
                    let mut n = 0;
                    for _ in 0..YIELDS_PER_TASK {
                        R::yield_now().await;
                        n += 1;
                    }
                    n
                })
            })
            .collect();
        let mut total = 0;
        for h in handles {
            total += h.await.expect("task failed");
        }
        total
    });
    assert_eq!(total, YIELD_TASKS * YIELDS_PER_TASK);
}

fn chain<R: BenchRuntime>(remaining: usize, done: crate::sync::Sender<usize>) {
    if remaining == 0 {
        done.send(CHAIN_LEN);
    } else {
        // Detached: the chain is joined through `done`, not the handles.
        drop(R::spawn(async move { chain::<R>(remaining - 1, done) }));
    }
}

/// See [`Workload::ChainedSpawn`].
pub fn chained_spawn<R: BenchRuntime>(rt: &R) {
    let n = in_task(rt, async {
        let (tx, rx) = oneshot();
        chain::<R>(CHAIN_LEN, tx);
        rx.await
    });
    assert_eq!(n, Some(CHAIN_LEN));
}

/// See [`Workload::PingPong`].
pub fn ping_pong<R: BenchRuntime>(rt: &R) {
    let rounds = in_task(rt, async {
        let mut handles = Vec::with_capacity(2 * PING_PONG_PAIRS);
        for _ in 0..PING_PONG_PAIRS {
            let ping = Arc::new(Signal::new());
            let pong = Arc::new(Signal::new());
            let (ping2, pong2) = (ping.clone(), pong.clone());
            // Responder: waits for a ping, answers with a pong.
            handles.push(R::spawn(async move {
                for _ in 0..PING_PONG_ROUNDS {
                    ping2.wait().await;
                    pong2.notify();
                }
                0
            }));
            // Initiator: pings, waits for the pong.
            handles.push(R::spawn(async move {
                let mut n = 0;
                for _ in 0..PING_PONG_ROUNDS {
                    ping.notify();
                    pong.wait().await;
                    n += 1;
                }
                n
            }));
        }
        let mut rounds = 0;
        for h in handles {
            rounds += h.await.expect("task failed");
        }
        rounds
    });
    assert_eq!(rounds, PING_PONG_PAIRS * PING_PONG_ROUNDS);
}

fn tree<R: BenchRuntime>(depth: u32) -> Pin<Box<dyn Future<Output = usize> + Send>> {
    Box::pin(async move {
        if depth == 1 {
            return 1;
        }
        let left = R::spawn(tree::<R>(depth - 1));
        let right = R::spawn(tree::<R>(depth - 1));
        1 + left.await.expect("task failed") + right.await.expect("task failed")
    })
}

/// See [`Workload::SpawnTree`].
pub fn spawn_tree<R: BenchRuntime>(rt: &R) {
    let n = in_task(rt, tree::<R>(TREE_DEPTH));
    assert_eq!(n, (1 << TREE_DEPTH) - 1);
}

/// See [`Workload::SpawnBlocking`].
pub fn spawn_blocking<R: BenchRuntime>(rt: &R) {
    let sum = in_task(rt, async {
        let mut sum = 0;
        for i in 0..BLOCKING_ROUND_TRIPS {
            sum += R::spawn_blocking(move || i)
                .await
                .expect("blocking task failed");
        }
        sum
    });
    assert_eq!(sum, BLOCKING_ROUND_TRIPS * (BLOCKING_ROUND_TRIPS - 1) / 2);
}

/// The task lengths of `uneven_cpu`, in microseconds: fixed pseudo-random
/// values in `1..=UNEVEN_MAX_US` (the same on every run and runtime).
pub fn uneven_lengths() -> Vec<u32> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    (0..UNEVEN_TASKS)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            1 + (x % u64::from(UNEVEN_MAX_US)) as u32
        })
        .collect()
}

/// See [`Workload::UnevenCpu`].
pub fn uneven_cpu<R: BenchRuntime>(rt: &R) {
    let lengths = uneven_lengths();
    let expected: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
    // Calibrate outside the measured section's tasks (once per process).
    spin::iters_per_us();
    let done = in_task(rt, async move {
        let handles: Vec<_> = lengths
            .into_iter()
            .map(|us| {
                R::spawn(async move {
                    spin::spin_us(us);
                    u64::from(us)
                })
            })
            .collect();
        let mut done = 0;
        for h in handles {
            done += h.await.expect("task failed");
        }
        done
    });
    assert_eq!(done, expected);
}

/// See [`Workload::MpscFanIn`].
pub fn mpsc_fan_in<R: BenchRuntime>(rt: &R) {
    let sum = in_task(
        rt,
        R::mpsc_fan_in(FAN_IN_PRODUCERS, FAN_IN_MSGS, FAN_IN_CAPACITY),
    );
    let per_producer = (FAN_IN_MSGS * (FAN_IN_MSGS - 1) / 2) as u64;
    assert_eq!(sum, FAN_IN_PRODUCERS as u64 * per_producer);
}

/// See [`Workload::OneshotPingPong`].
pub fn oneshot_ping_pong<R: BenchRuntime>(rt: &R) {
    assert_eq!(
        in_task(rt, R::oneshot_ping_pong(ONESHOT_ROUNDS)),
        ONESHOT_ROUNDS
    );
}

/// See [`Workload::MutexContended`].
pub fn mutex_contended<R: BenchRuntime>(rt: &R) {
    let n = in_task(rt, R::mutex_contended(MUTEX_TASKS, MUTEX_INCREMENTS));
    assert_eq!(n, MUTEX_TASKS * MUTEX_INCREMENTS);
}

/// See [`Workload::SemaphoreContended`].
pub fn semaphore_contended<R: BenchRuntime>(rt: &R) {
    let n = in_task(
        rt,
        R::semaphore_contended(SEM_TASKS, SEM_PERMITS, SEM_ACQUIRES),
    );
    assert_eq!(n, SEM_TASKS * SEM_ACQUIRES);
}

/// See [`Workload::UnboundedFanIn`].
pub fn unbounded_fan_in<R: BenchRuntime>(rt: &R) {
    let sum = in_task(rt, R::unbounded_fan_in(UNBOUNDED_PRODUCERS, UNBOUNDED_MSGS));
    let per_producer = (UNBOUNDED_MSGS * (UNBOUNDED_MSGS - 1) / 2) as u64;
    assert_eq!(sum, UNBOUNDED_PRODUCERS as u64 * per_producer);
}

/// See [`Workload::NotifyPingPong`].
pub fn notify_ping_pong<R: BenchRuntime>(rt: &R) {
    assert_eq!(
        in_task(rt, R::notify_ping_pong(NOTIFY_ROUNDS)),
        NOTIFY_ROUNDS
    );
}

/// See [`Workload::WatchFanOut`].
pub fn watch_fan_out<R: BenchRuntime>(rt: &R) {
    let n = in_task(rt, R::watch_fan_out(FAN_OUT_RECEIVERS, WATCH_UPDATES));
    assert_eq!(n, FAN_OUT_RECEIVERS);
}

/// See [`Workload::BroadcastFanOut`].
pub fn broadcast_fan_out<R: BenchRuntime>(rt: &R) {
    let n = in_task(rt, R::broadcast_fan_out(FAN_OUT_RECEIVERS, BROADCAST_MSGS));
    assert_eq!(n, FAN_OUT_RECEIVERS * BROADCAST_MSGS);
}

/// Timers in `timer_insert_cancel`.
pub const TIMERS: usize = 100_000;
/// Sleeping tasks in `sleep_many`.
pub const SLEEPERS: usize = 10_000;

/// See [`Workload::TimerInsertCancel`].
pub fn timer_insert_cancel<R: BenchRuntime>(rt: &R) {
    assert_eq!(in_task(rt, R::timers_insert_cancel(TIMERS)), TIMERS);
}

/// See [`Workload::SleepMany`].
pub fn sleep_many<R: BenchRuntime>(rt: &R) {
    assert_eq!(in_task(rt, R::sleep_lateness(SLEEPERS)).len(), SLEEPERS);
}

/// Server side of the echo workloads: reads into a `buf_len` buffer and
/// writes back what it got, until the peer closes. Returns the bytes
/// echoed.
async fn echo_conn<S: BenchStream>(mut stream: S, buf_len: usize) -> usize {
    let mut buf = vec![0u8; buf_len];
    let mut echoed = 0;
    loop {
        let n = stream.read(&mut buf).await.expect("server read");
        if n == 0 {
            return echoed;
        }
        stream.write_all(&buf[..n]).await.expect("server write");
        echoed += n;
    }
}

/// Client side of the echo workloads: `rounds` round trips of `len`
/// bytes (each message tagged with `client` and the round), each reply
/// checked. Returns `rounds`.
async fn echo_client<S: BenchStream>(
    mut stream: S,
    client: usize,
    rounds: usize,
    len: usize,
) -> usize {
    let mut msg = vec![0u8; len];
    let mut back = vec![0u8; len];
    for r in 0..rounds {
        msg[..8].copy_from_slice(&((client * rounds + r) as u64).to_le_bytes());
        stream.write_all(&msg).await.expect("client write");
        stream.read_exact(&mut back).await.expect("client read");
        assert_eq!(back, msg, "echo differs");
    }
    rounds
}

/// Awaits every handle and sums the results.
async fn sum_all<R: BenchRuntime>(handles: Vec<R::JoinHandle<usize>>) -> usize {
    let mut total = 0;
    for h in handles {
        total += h.await.expect("task failed");
    }
    total
}

/// A TCP echo run: `clients` connections, `rounds` round trips of `len`
/// bytes each, one server task per connection reading into a `len`
/// buffer. Returns the round trips made.
async fn tcp_echo_run<R: BenchRuntime>(clients: usize, rounds: usize, len: usize) -> usize {
    let listener = R::bind(([127, 0, 0, 1], 0).into())
        .await
        .expect("bind 127.0.0.1:0");
    let addr = R::local_addr(&listener).expect("local_addr");
    let server = R::spawn(async move {
        let mut conns = Vec::with_capacity(clients);
        for _ in 0..clients {
            let stream = R::accept(&listener).await.expect("accept");
            R::set_nodelay(&stream, true).expect("set_nodelay");
            conns.push(R::spawn(echo_conn(stream, len)));
        }
        sum_all::<R>(conns).await
    });
    let handles: Vec<_> = (0..clients)
        .map(|c| {
            R::spawn(async move {
                let stream = R::connect(addr).await.expect("connect");
                R::set_nodelay(&stream, true).expect("set_nodelay");
                echo_client(stream, c, rounds, len).await
            })
        })
        .collect();
    let done = sum_all::<R>(handles).await;
    let echoed = server.await.expect("server failed");
    assert_eq!(echoed, done * len);
    done
}

/// Timeouts in `timeout_ready`.
pub const TIMEOUTS_READY: usize = 100_000;
/// Timeouts in `timeout_yield`.
pub const TIMEOUTS_YIELD: usize = 20_000;
/// Resets in `sleep_reset`.
pub const SLEEP_RESETS: usize = 100_000;
/// Tasks in `interval_tick`.
pub const INTERVAL_TASKS: usize = 1_000;
/// Ticks per task in `interval_tick`.
pub const INTERVAL_TICKS: usize = 10;

/// See [`Workload::TimeoutReady`].
pub fn timeout_ready<R: BenchRuntime>(rt: &R) {
    let n = TIMEOUTS_READY;
    assert_eq!(in_task(rt, R::timeouts_ready(n)), n * (n - 1) / 2);
}

/// See [`Workload::TimeoutYield`].
pub fn timeout_yield<R: BenchRuntime>(rt: &R) {
    assert_eq!(
        in_task(rt, R::timeouts_yield(TIMEOUTS_YIELD)),
        TIMEOUTS_YIELD
    );
}

/// See [`Workload::SleepReset`].
pub fn sleep_reset<R: BenchRuntime>(rt: &R) {
    assert_eq!(in_task(rt, R::sleep_resets(SLEEP_RESETS)), SLEEP_RESETS);
}

/// See [`Workload::IntervalTick`].
pub fn interval_tick<R: BenchRuntime>(rt: &R) {
    let seen = in_task(rt, R::intervals_tick(INTERVAL_TASKS, INTERVAL_TICKS));
    assert_eq!(seen, INTERVAL_TASKS * INTERVAL_TICKS);
}

/// See [`Workload::TcpEcho`]. Every iteration binds a fresh listener on
/// `127.0.0.1:0`, so the connections' set-up and tear-down (50 of each)
/// are part of the measurement, next to the 10 000 round trips.
pub fn tcp_echo<R: BenchRuntime>(rt: &R) {
    let rounds = in_task(rt, tcp_echo_run::<R>(ECHO_CLIENTS, ECHO_ROUNDS, ECHO_MSG));
    assert_eq!(rounds, ECHO_CLIENTS * ECHO_ROUNDS);
}

/// See [`Workload::TcpEchoLarge`].
pub fn tcp_echo_16k<R: BenchRuntime>(rt: &R) {
    let rounds = in_task(
        rt,
        tcp_echo_run::<R>(BIG_ECHO_CLIENTS, BIG_ECHO_ROUNDS, BIG_ECHO_MSG),
    );
    assert_eq!(rounds, BIG_ECHO_CLIENTS * BIG_ECHO_ROUNDS);
}

/// See [`Workload::TcpChurn`].
pub fn tcp_churn<R: BenchRuntime>(rt: &R) {
    const TOTAL: usize = CHURN_CLIENTS * CHURN_CONNS_PER_CLIENT;
    let conns = in_task(rt, async {
        let listener = R::bind(([127, 0, 0, 1], 0).into())
            .await
            .expect("bind 127.0.0.1:0");
        let addr = R::local_addr(&listener).expect("local_addr");
        let server = R::spawn(async move {
            let mut conns = Vec::with_capacity(TOTAL);
            for _ in 0..TOTAL {
                let stream = R::accept(&listener).await.expect("accept");
                R::set_nodelay(&stream, true).expect("set_nodelay");
                conns.push(R::spawn(echo_conn(stream, ECHO_MSG)));
            }
            sum_all::<R>(conns).await
        });
        let handles: Vec<_> = (0..CHURN_CLIENTS)
            .map(|c| {
                R::spawn(async move {
                    for i in 0..CHURN_CONNS_PER_CLIENT {
                        let stream = R::connect(addr).await.expect("connect");
                        R::set_nodelay(&stream, true).expect("set_nodelay");
                        echo_client(stream, c * CHURN_CONNS_PER_CLIENT + i, 1, ECHO_MSG).await;
                    }
                    CHURN_CONNS_PER_CLIENT
                })
            })
            .collect();
        let conns = sum_all::<R>(handles).await;
        assert_eq!(server.await.expect("server failed"), conns * ECHO_MSG);
        conns
    });
    assert_eq!(conns, TOTAL);
}

/// See [`Workload::UdpPingPong`].
pub fn udp_ping_pong<R: BenchRuntime>(rt: &R) {
    let rounds = in_task(rt, async {
        let mut handles = Vec::with_capacity(2 * UDP_PAIRS);
        for p in 0..UDP_PAIRS {
            let local = ([127, 0, 0, 1], 0).into();
            let a = R::udp_bind(local).await.expect("udp bind");
            let b = R::udp_bind(local).await.expect("udp bind");
            let (a_addr, b_addr) = (
                R::udp_local_addr(&a).unwrap(),
                R::udp_local_addr(&b).unwrap(),
            );
            R::udp_connect(&a, b_addr).await.expect("udp connect");
            R::udp_connect(&b, a_addr).await.expect("udp connect");
            // The echoing side.
            handles.push(R::spawn(async move {
                let mut buf = [0u8; ECHO_MSG];
                for _ in 0..UDP_ROUNDS {
                    let n = R::udp_recv(&b, &mut buf).await.expect("udp recv");
                    R::udp_send(&b, &buf[..n]).await.expect("udp send");
                }
                0
            }));
            handles.push(R::spawn(async move {
                let mut msg = [0u8; ECHO_MSG];
                let mut back = [0u8; ECHO_MSG];
                for r in 0..UDP_ROUNDS {
                    msg[..8].copy_from_slice(&((p * UDP_ROUNDS + r) as u64).to_le_bytes());
                    R::udp_send(&a, &msg).await.expect("udp send");
                    let n = R::udp_recv(&a, &mut back).await.expect("udp recv");
                    assert_eq!(back[..n], msg, "echo differs");
                }
                UDP_ROUNDS
            }));
        }
        sum_all::<R>(handles).await
    });
    assert_eq!(rounds, UDP_PAIRS * UDP_ROUNDS);
}

/// A fresh socket path per iteration, removed by [`uds_echo`] after.
fn socket_path() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "magpie-bench-{}-{}.sock",
        std::process::id(),
        NEXT.fetch_add(1, Relaxed)
    ))
}

/// See [`Workload::UnixEcho`].
pub fn uds_echo<R: BenchRuntime>(rt: &R) {
    let path = socket_path();
    let connect_to = path.clone();
    let listener_path = path.clone();
    let rounds = in_task(rt, async move {
        let listener = R::unix_bind(&listener_path).expect("unix bind");
        let server = R::spawn(async move {
            let mut conns = Vec::with_capacity(ECHO_CLIENTS);
            for _ in 0..ECHO_CLIENTS {
                let stream = R::unix_accept(&listener).await.expect("accept");
                conns.push(R::spawn(echo_conn(stream, ECHO_MSG)));
            }
            sum_all::<R>(conns).await
        });
        let handles: Vec<_> = (0..ECHO_CLIENTS)
            .map(|c| {
                let path = connect_to.clone();
                R::spawn(async move {
                    let stream = R::unix_connect(path).await.expect("unix connect");
                    echo_client(stream, c, ECHO_ROUNDS, ECHO_MSG).await
                })
            })
            .collect();
        let done = sum_all::<R>(handles).await;
        assert_eq!(server.await.expect("server failed"), done * ECHO_MSG);
        done
    });
    let _ = std::fs::remove_file(&path);
    assert_eq!(rounds, ECHO_CLIENTS * ECHO_ROUNDS);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::{Magpie, Tokio};

    fn all_on<R: BenchRuntime>(io: bool) {
        for flavor in [Flavor::MultiThread(2), Flavor::CurrentThread] {
            let rt = if io {
                R::new_with_io(flavor)
            } else {
                R::new(flavor)
            };
            for w in Workload::ALL {
                if w.supports(flavor) && w.needs_io() == io {
                    w.run(&rt);
                    // Twice: a workload leaves the runtime reusable. The
                    // network ones are slow in a debug build: once.
                    if !io {
                        w.run(&rt);
                    }
                }
            }
        }
    }

    #[test]
    fn every_workload_completes_on_magpie() {
        all_on::<Magpie>(false);
    }

    #[test]
    fn every_workload_completes_on_tokio() {
        all_on::<Tokio>(false);
    }

    #[test]
    fn network_workloads_complete_on_magpie() {
        all_on::<Magpie>(true);
    }

    #[test]
    fn network_workloads_complete_on_tokio() {
        all_on::<Tokio>(true);
    }

    #[test]
    fn names_round_trip() {
        for w in Workload::ALL {
            assert_eq!(Workload::from_name(w.name()), Some(w));
        }
        assert_eq!(Workload::from_name("nope"), None);
    }

    #[test]
    fn uneven_lengths_are_in_range_and_uneven() {
        let l = uneven_lengths();
        assert_eq!(l.len(), UNEVEN_TASKS);
        assert!(l.iter().all(|&x| (1..=UNEVEN_MAX_US).contains(&x)));
        assert!(l.iter().any(|&x| x < 20) && l.iter().any(|&x| x > 180));
    }
}
