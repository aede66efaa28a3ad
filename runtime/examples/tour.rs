//! A short tour of magpie: run with `cargo run --release --example tour`.
//!
//! Spawns one million tasks and reports how long spawn + join took and how
//! many OS threads ran them; shows cancellation, `spawn_blocking`, timers
//! (sleeps, a timeout, an interval) and a loopback TCP echo exchange, then
//! a summary of the runtime's metrics.
// Examples are user code: they use std's locks like any application.
#![allow(clippy::disallowed_types)]

use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpListener, TcpStream};
use magpie::runtime::Builder;
use magpie::time::{interval, sleep, timeout};
use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn main() {
    let threads = Arc::new(AtomicUsize::new(0));
    let counter = threads.clone();
    let rt = Builder::new_multi_thread()
        .enable_all()
        .on_thread_start(move || {
            counter.fetch_add(1, Ordering::Relaxed);
        })
        .build()
        .expect("failed to build the runtime");

    println!("magpie tour");
    println!("===========");
    rt.block_on(async {
        million_tasks().await;
        // Inside a task, a freshly spawned task waits in this worker's LIFO
        // slot until we yield, so the abort-before-first-poll case is exact.
        magpie::spawn(cancellation()).await.unwrap();
        blocking().await;
        timers().await;
        network().await.expect("network step failed");
    });
    println!(
        "\nruntime: {} worker threads, {} OS threads started in all (workers + blocking pool)",
        rt.metrics().num_workers(),
        threads.load(Ordering::Relaxed)
    );
    metrics_summary(&rt);
}

/// What `RuntimeMetrics` says about the run (per-worker counters are
/// published when workers park, so give them a moment to go idle).
fn metrics_summary(rt: &magpie::runtime::Runtime) {
    std::thread::sleep(Duration::from_millis(20));
    let m = rt.metrics();
    let workers = 0..m.num_workers();
    let sum = |f: fn(&magpie::runtime::RuntimeMetrics, usize) -> u64| -> u64 {
        workers.clone().map(|w| f(&m, w)).sum()
    };
    let busy: Duration = workers
        .clone()
        .map(|w| m.worker_total_busy_duration(w))
        .sum();
    println!(
        "metrics: {} tasks spawned, {} polls ({} from the LIFO slot), {} scheduled from outside",
        m.spawned_tasks_count(),
        sum(magpie::runtime::RuntimeMetrics::worker_poll_count),
        sum(magpie::runtime::RuntimeMetrics::worker_lifo_count),
        m.remote_schedule_count(),
    );
    println!(
        "         {} tasks stolen in {} steals, {} parks ({} without work), {} forced yields, \
         workers busy {:?} in all",
        sum(magpie::runtime::RuntimeMetrics::worker_steal_count),
        sum(magpie::runtime::RuntimeMetrics::worker_steal_operations),
        sum(magpie::runtime::RuntimeMetrics::worker_park_count),
        sum(magpie::runtime::RuntimeMetrics::worker_noop_count),
        m.budget_forced_yield_count(),
        busy,
    );
}

async fn million_tasks() {
    const N: usize = 1_000_000;
    let seen = Arc::new(Mutex::new(HashSet::new()));
    let start = Instant::now();
    let handles: Vec<_> = (0..N)
        .map(|i| {
            let seen = seen.clone();
            magpie::spawn(async move {
                if i % 1000 == 0 {
                    seen.lock().unwrap().insert(std::thread::current().id());
                }
                i as u64
            })
        })
        .collect();
    let spawned = start.elapsed();
    let mut sum = 0u64;
    for h in handles {
        sum += h.await.expect("task failed");
    }
    let total = start.elapsed();
    assert_eq!(sum, (N as u64 - 1) * N as u64 / 2);
    println!("\n1. one million tasks");
    println!(
        "   spawned in {:?}, spawned + joined in {:?} ({:.0} ns per task)",
        spawned,
        total,
        total.as_nanos() as f64 / N as f64
    );
    println!(
        "   ran on {} distinct OS threads (sampled every 1000th task)",
        seen.lock().unwrap().len()
    );
}

async fn cancellation() {
    struct Noisy(&'static str, Arc<AtomicUsize>);
    impl Drop for Noisy {
        fn drop(&mut self) {
            self.1.fetch_add(1, Ordering::SeqCst);
            println!("   dropped: {}", self.0);
        }
    }
    println!("\n2. cancellation by abort and by drop");
    let drops = Arc::new(AtomicUsize::new(0));
    let guard = Noisy("a task parked forever, aborted", drops.clone());
    let parked = magpie::spawn(async move {
        let _guard = guard;
        std::future::pending::<()>().await;
    });
    magpie::task::yield_now().await;
    parked.abort();
    let err = parked.await.unwrap_err();
    println!(
        "   abort -> JoinError: {err} (is_cancelled = {})",
        err.is_cancelled()
    );

    let guard = Noisy("a task aborted before it ever ran", drops.clone());
    let never = magpie::spawn(async move {
        let _guard = guard;
        unreachable!("an aborted task never runs");
    });
    never.abort();
    println!(
        "   is_cancelled = {}",
        never.await.unwrap_err().is_cancelled()
    );

    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {})); // keep the report readable
    let panicked = magpie::spawn(async { panic!("a task panicked on purpose") });
    let err = panicked.await.unwrap_err();
    std::panic::set_hook(default_hook);
    println!(
        "   a panicking task gives is_panic = {} and the runtime lives on",
        err.is_panic()
    );
    assert_eq!(drops.load(Ordering::SeqCst), 2);
}

async fn blocking() {
    println!("\n3. spawn_blocking");
    let start = Instant::now();
    let handles: Vec<_> = (0..8)
        .map(|i| {
            magpie::task::spawn_blocking(move || {
                std::thread::sleep(Duration::from_millis(100));
                (i, std::thread::current().name().map(str::to_owned))
            })
        })
        .collect();
    let mut names = HashSet::new();
    for h in handles {
        let (_, name) = h.await.unwrap();
        names.insert(name);
    }
    println!(
        "   8 blocking sleeps of 100 ms finished in {:?} on pool threads {:?}",
        start.elapsed(),
        names
    );
}

async fn timers() {
    println!("\n4. timers and timeouts");
    const N: usize = 100_000;
    // A small xorshift: the tour needs spread, not statistical quality.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let start = Instant::now();
    let handles: Vec<_> = (0..N)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let ms = 1 + seed % 20;
            magpie::spawn(async move {
                let deadline = Instant::now() + Duration::from_millis(ms);
                sleep(Duration::from_millis(ms)).await;
                Instant::now().saturating_duration_since(deadline)
            })
        })
        .collect();
    let mut latest = Duration::ZERO;
    for h in handles {
        latest = latest.max(h.await.unwrap());
    }
    println!(
        "   {N} tasks slept 1-20 ms each: all done in {:?}; the latest woke {:?} after its deadline",
        start.elapsed(),
        latest
    );

    struct Work(Arc<AtomicUsize>);
    impl Drop for Work {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
            println!("   dropped: the slow work inside the timeout");
        }
    }
    let dropped = Arc::new(AtomicUsize::new(0));
    let work = Work(dropped.clone());
    let start = Instant::now();
    let res = timeout(Duration::from_millis(20), async move {
        let _work = work;
        sleep(Duration::from_secs(10)).await;
        "finished"
    })
    .await;
    println!(
        "   timeout(20 ms, 10 s of work) -> {:?} after {:?}",
        res,
        start.elapsed()
    );
    assert!(res.is_err());
    assert_eq!(dropped.load(Ordering::SeqCst), 1);

    let mut ticker = interval(Duration::from_millis(10));
    let start = Instant::now();
    let mut ticks = Vec::new();
    for _ in 0..5 {
        ticker.tick().await;
        ticks.push(format!("{:.1?}", start.elapsed()));
    }
    println!("   interval(10 ms), 5 ticks at: {}", ticks.join(", "));
}

async fn network() -> std::io::Result<()> {
    println!("\n5. network");
    const CLIENTS: usize = 100;
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let start = Instant::now();
    let server = magpie::spawn(async move {
        let mut conns = Vec::with_capacity(CLIENTS);
        for _ in 0..CLIENTS {
            let (mut socket, _) = listener.accept().await?;
            conns.push(magpie::spawn(async move {
                let mut buf = [0u8; 1024];
                loop {
                    let n = socket.read(&mut buf).await?;
                    if n == 0 {
                        return Ok::<_, std::io::Error>(());
                    }
                    socket.write_all(&buf[..n]).await?;
                }
            }));
        }
        for c in conns {
            c.await.unwrap()?;
        }
        Ok::<_, std::io::Error>(())
    });
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            magpie::spawn(async move {
                let mut stream = TcpStream::connect(addr).await?;
                let msg = format!("hello from client {i}");
                stream.write_all(msg.as_bytes()).await?;
                let mut back = vec![0u8; msg.len()];
                stream.read_exact(&mut back).await?;
                assert_eq!(back, msg.as_bytes());
                Ok::<_, std::io::Error>(())
            })
        })
        .collect();
    for c in clients {
        c.await.unwrap()?;
    }
    server.await.unwrap()?;
    println!(
        "   loopback echo server, {CLIENTS} concurrent clients, one message each: {:?}",
        start.elapsed()
    );
    Ok(())
}
