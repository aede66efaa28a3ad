//! One trait over both runtimes, so every workload is written once.
//!
//! The two implementations are produced by the same macro from the same
//! token stream with only the crate name swapped, which is also a check
//! that magpie's API is a drop-in copy of tokio's for what is used here.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// Which scheduler a runtime is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// `Builder::new_multi_thread().worker_threads(n)`.
    MultiThread(usize),
    /// `Builder::new_current_thread()`.
    CurrentThread,
}

impl Flavor {
    /// Short label used in benchmark ids: `mt2`, `ct`.
    pub fn label(self) -> String {
        match self {
            Flavor::MultiThread(n) => format!("mt{n}"),
            Flavor::CurrentThread => "ct".to_string(),
        }
    }

    /// Parses [`label`](Flavor::label)'s output.
    pub fn parse(s: &str) -> Option<Flavor> {
        if s == "ct" {
            return Some(Flavor::CurrentThread);
        }
        let n = s.strip_prefix("mt")?.parse().ok()?;
        (n > 0).then_some(Flavor::MultiThread(n))
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// What a workload needs from a runtime. Associated functions without
/// `&self` must be called from inside the runtime (like `tokio::spawn`).
pub trait BenchRuntime: Sized + 'static {
    /// `"magpie"` or `"tokio"`.
    const NAME: &'static str;

    /// The runtime's `task::JoinHandle<T>`.
    type JoinHandle<T: Send + 'static>: Future<Output = Result<T, Self::JoinError>>
        + Send
        + Unpin
        + 'static;

    /// The runtime's `task::JoinError`.
    type JoinError: fmt::Debug + Send + 'static;

    /// Builds a runtime of `flavor`, without I/O or time drivers (the
    /// workloads need neither; both runtimes then park on a condvar).
    fn new(flavor: Flavor) -> Self;

    /// The flavor this runtime was built with.
    fn flavor(&self) -> Flavor;

    /// `Runtime::block_on`.
    fn block_on<F: Future>(&self, future: F) -> F::Output;

    /// `Runtime::handle().spawn`: spawning from outside the runtime.
    fn spawn_remote<F>(&self, future: F) -> Self::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// `<crate>::spawn` from inside the runtime.
    fn spawn<F>(future: F) -> Self::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// `<crate>::task::spawn_blocking` from inside the runtime.
    fn spawn_blocking<F, R>(f: F) -> Self::JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static;

    /// `<crate>::task::yield_now`.
    fn yield_now() -> impl Future<Output = ()> + Send;

    // The sync workloads below use the runtime's own `sync` module
    // (`magpie::sync` vs `tokio::sync`), so their bodies live in the macro.
    // Like `spawn`, they must run inside the runtime.

    /// `producers` tasks each send `msgs` numbers `0..msgs` into one bounded
    /// `mpsc::channel(capacity)`; the caller receives them all. Returns the
    /// sum of the messages received.
    fn mpsc_fan_in(
        producers: usize,
        msgs: usize,
        capacity: usize,
    ) -> impl Future<Output = u64> + Send;

    /// Two tasks pass a counter back and forth `rounds` times, a fresh
    /// `oneshot` channel per hop (each message carries the sender for the
    /// reply). Returns the counter, incremented once per round trip.
    fn oneshot_ping_pong(rounds: usize) -> impl Future<Output = usize> + Send;

    /// `tasks` tasks each lock one shared `sync::Mutex<usize>` `increments`
    /// times, incrementing it and yielding while holding the lock every
    /// fourth time (so others queue up on it). Returns the final count.
    fn mutex_contended(tasks: usize, increments: usize) -> impl Future<Output = usize> + Send;

    /// `tasks` tasks each acquire one of `permits` permits of a shared
    /// `Semaphore` `acquires` times, yield while holding it, and release
    /// it. Returns the number of acquisitions.
    fn semaphore_contended(
        tasks: usize,
        permits: usize,
        acquires: usize,
    ) -> impl Future<Output = usize> + Send;

    /// `producers` tasks each send `msgs` numbers `0..msgs` into one
    /// `mpsc::unbounded_channel`; the caller receives them all. Returns the
    /// sum of the messages received.
    fn unbounded_fan_in(producers: usize, msgs: usize) -> impl Future<Output = u64> + Send;

    /// Two tasks hand a turn back and forth `rounds` times through two
    /// `sync::Notify`s. Returns the number of round trips.
    fn notify_ping_pong(rounds: usize) -> impl Future<Output = usize> + Send;

    /// One `watch` sender publishes `0..updates`, yielding after each, to
    /// `receivers` tasks that loop on `changed()` until they see the last
    /// value. Returns how many receivers saw it.
    fn watch_fan_out(receivers: usize, updates: usize) -> impl Future<Output = usize> + Send;

    /// One `broadcast::channel(msgs)` sender sends `msgs` messages,
    /// yielding every 10, to `receivers` tasks that each receive until the
    /// channel closes. Returns the number of messages received in total.
    fn broadcast_fan_out(receivers: usize, msgs: usize) -> impl Future<Output = usize> + Send;

    /// Creates `n` `time::sleep`s with deadlines spread over 1-1000 ms,
    /// polls each once (which registers it in the timer wheel), then drops
    /// them all (which cancels them). Needs the time driver. Returns `n`.
    fn timers_insert_cancel(n: usize) -> impl Future<Output = usize> + Send;

    /// Spawns `n` tasks, each sleeping a pseudo-random 1-20 ms
    /// (`time::sleep`), and returns how late each woke, in microseconds
    /// (`Instant::now()` after the sleep minus its deadline). Needs the
    /// time driver.
    fn sleep_lateness(n: usize) -> impl Future<Output = Vec<u64>> + Send;

    /// Awaits `time::timeout(1 s, f)` `n` times around a future `f` that is
    /// ready on its first poll (the timer is created, never registered).
    /// Needs the time driver. Returns the sum of the values.
    fn timeouts_ready(n: usize) -> impl Future<Output = usize> + Send;

    /// Awaits `time::timeout(1 s, yield_now())` `n` times: the first poll
    /// of each finds the inner future pending and registers the timer, the
    /// second completes and cancels it. Needs the time driver. Returns `n`.
    fn timeouts_yield(n: usize) -> impl Future<Output = usize> + Send;

    /// Polls one `time::sleep(1 s)` (registering it), then `n` times resets
    /// it to a later deadline (1-2 s away, growing) and polls it again, as
    /// an idle timeout pushed back on every event does; then moves it to
    /// now and waits for it. Needs the time driver. Returns `n`.
    fn sleep_resets(n: usize) -> impl Future<Output = usize> + Send;

    /// Spawns `tasks` tasks, each awaiting `ticks` ticks of its own
    /// `time::interval(1 ms)`. Needs the time driver. Returns the ticks
    /// seen in all.
    fn intervals_tick(tasks: usize, ticks: usize) -> impl Future<Output = usize> + Send;

    /// Builds a runtime of `flavor` with `enable_all()`: I/O and time
    /// drivers, as the networking workloads and the HTTP server need.
    fn new_with_io(flavor: Flavor) -> Self;

    /// The runtime's `net::TcpListener`.
    type TcpListener: Send + Sync + 'static;

    /// The runtime's `net::TcpStream`.
    type TcpStream: BenchStream;

    /// `TcpListener::bind`.
    fn bind(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpListener>> + Send;

    /// `TcpListener::local_addr`.
    fn local_addr(listener: &Self::TcpListener) -> io::Result<SocketAddr>;

    /// `TcpListener::accept`, without the peer address.
    fn accept(
        listener: &Self::TcpListener,
    ) -> impl Future<Output = io::Result<Self::TcpStream>> + Send + '_;

    /// `TcpStream::connect`.
    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send;

    /// `TcpStream::set_nodelay`.
    fn set_nodelay(stream: &Self::TcpStream, nodelay: bool) -> io::Result<()>;

    /// `AsyncReadExt::read`.
    fn read<'a>(
        stream: &'a mut Self::TcpStream,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;

    /// `AsyncReadExt::read_exact` (the byte count is dropped: it is
    /// `buf.len()`).
    fn read_exact<'a>(
        stream: &'a mut Self::TcpStream,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    /// `AsyncWriteExt::write_all`.
    fn write_all<'a>(
        stream: &'a mut Self::TcpStream,
        buf: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    /// The runtime's `net::UnixListener`.
    type UnixListener: Send + Sync + 'static;

    /// The runtime's `net::UnixStream`.
    type UnixStream: BenchStream;

    /// `UnixListener::bind` (inside the runtime).
    fn unix_bind(path: &Path) -> io::Result<Self::UnixListener>;

    /// `UnixListener::accept`, without the peer address.
    fn unix_accept(
        listener: &Self::UnixListener,
    ) -> impl Future<Output = io::Result<Self::UnixStream>> + Send + '_;

    /// `UnixStream::connect`.
    fn unix_connect(path: PathBuf) -> impl Future<Output = io::Result<Self::UnixStream>> + Send;

    /// The runtime's `net::UdpSocket`.
    type UdpSocket: Send + Sync + 'static;

    /// `UdpSocket::bind`.
    fn udp_bind(addr: SocketAddr) -> impl Future<Output = io::Result<Self::UdpSocket>> + Send;

    /// `UdpSocket::local_addr`.
    fn udp_local_addr(socket: &Self::UdpSocket) -> io::Result<SocketAddr>;

    /// `UdpSocket::connect`.
    fn udp_connect(
        socket: &Self::UdpSocket,
        addr: SocketAddr,
    ) -> impl Future<Output = io::Result<()>> + Send + '_;

    /// `UdpSocket::send` (connected socket).
    fn udp_send<'a>(
        socket: &'a Self::UdpSocket,
        buf: &'a [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;

    /// `UdpSocket::recv` (connected socket).
    fn udp_recv<'a>(
        socket: &'a Self::UdpSocket,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;
}

/// A connected byte stream of a runtime (`TcpStream`, `UnixStream`),
/// through the runtime's own `AsyncReadExt` / `AsyncWriteExt`.
pub trait BenchStream: Send + 'static {
    /// `AsyncReadExt::read`.
    fn read<'a>(
        &'a mut self,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;

    /// `AsyncReadExt::read_exact` (the byte count is dropped).
    fn read_exact<'a>(
        &'a mut self,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    /// `AsyncWriteExt::write_all`.
    fn write_all<'a>(
        &'a mut self,
        buf: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;
}

macro_rules! bench_runtime {
    ($(#[$m:meta])* $ty:ident, $krate:ident) => {
        $(#[$m])*
        pub struct $ty {
            rt: $krate::runtime::Runtime,
            flavor: Flavor,
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty)).field("flavor", &self.flavor).finish()
            }
        }

        impl BenchRuntime for $ty {
            const NAME: &'static str = stringify!($krate);
            type JoinHandle<T: Send + 'static> = $krate::task::JoinHandle<T>;
            type JoinError = $krate::task::JoinError;

            fn new(flavor: Flavor) -> Self {
                let rt = match flavor {
                    Flavor::MultiThread(n) => $krate::runtime::Builder::new_multi_thread()
                        .worker_threads(n)
                        .build(),
                    Flavor::CurrentThread => $krate::runtime::Builder::new_current_thread().build(),
                }
                .expect(concat!("failed to build a ", stringify!($krate), " runtime"));
                $ty { rt, flavor }
            }

            fn flavor(&self) -> Flavor {
                self.flavor
            }

            fn block_on<F: Future>(&self, future: F) -> F::Output {
                self.rt.block_on(future)
            }

            fn spawn_remote<F>(&self, future: F) -> Self::JoinHandle<F::Output>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                self.rt.handle().spawn(future)
            }

            fn spawn<F>(future: F) -> Self::JoinHandle<F::Output>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                $krate::spawn(future)
            }

            fn spawn_blocking<F, R>(f: F) -> Self::JoinHandle<R>
            where
                F: FnOnce() -> R + Send + 'static,
                R: Send + 'static,
            {
                $krate::task::spawn_blocking(f)
            }

            fn yield_now() -> impl Future<Output = ()> + Send {
                $krate::task::yield_now()
            }

            async fn mpsc_fan_in(producers: usize, msgs: usize, capacity: usize) -> u64 {
                let (tx, mut rx) = $krate::sync::mpsc::channel::<u64>(capacity);
                for _ in 0..producers {
                    let tx = tx.clone();
                    // Detached: the channel closing says all are done.
                    drop($krate::spawn(async move {
                        for i in 0..msgs as u64 {
                            tx.send(i).await.expect("receiver dropped");
                        }
                    }));
                }
                drop(tx);
                let mut sum = 0;
                while let Some(i) = rx.recv().await {
                    sum += i;
                }
                sum
            }

            async fn oneshot_ping_pong(rounds: usize) -> usize {
                use $krate::sync::oneshot::{self, Receiver, Sender};
                struct Ping {
                    n: usize,
                    reply: Sender<Pong>,
                }
                struct Pong {
                    n: usize,
                    next: Sender<Ping>,
                }
                let (first_tx, first_rx) = oneshot::channel::<Ping>();
                // Responder: answers each ping with n + 1 and the sender for
                // the next ping.
                let responder = $krate::spawn(async move {
                    let mut rx: Receiver<Ping> = first_rx;
                    for _ in 0..rounds {
                        let ping = rx.await.expect("pinger dropped");
                        let (next_tx, next_rx) = oneshot::channel();
                        let pong = Pong { n: ping.n + 1, next: next_tx };
                        assert!(ping.reply.send(pong).is_ok(), "pinger dropped");
                        rx = next_rx;
                    }
                });
                let mut next = first_tx;
                let mut n = 0;
                for _ in 0..rounds {
                    let (reply_tx, reply_rx) = oneshot::channel();
                    assert!(next.send(Ping { n, reply: reply_tx }).is_ok(), "responder dropped");
                    let pong = reply_rx.await.expect("responder dropped");
                    n = pong.n;
                    next = pong.next;
                }
                responder.await.expect("responder failed");
                n
            }

            async fn mutex_contended(tasks: usize, increments: usize) -> usize {
                let count = std::sync::Arc::new($krate::sync::Mutex::new(0usize));
                let handles: Vec<_> = (0..tasks)
                    .map(|_| {
                        let count = count.clone();
                        $krate::spawn(async move {
                            for i in 0..increments {
                                let mut guard = count.lock().await;
                                *guard += 1;
                                if i % 4 == 0 {
                                    $krate::task::yield_now().await;
                                }
                            }
                        })
                    })
                    .collect();
                for h in handles {
                    h.await.expect("task failed");
                }
                *count.lock().await
            }

            async fn semaphore_contended(tasks: usize, permits: usize, acquires: usize) -> usize {
                use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
                let sem = std::sync::Arc::new($krate::sync::Semaphore::new(permits));
                let holders = std::sync::Arc::new(AtomicUsize::new(0));
                let handles: Vec<_> = (0..tasks)
                    .map(|_| {
                        let (sem, holders) = (sem.clone(), holders.clone());
                        $krate::spawn(async move {
                            for _ in 0..acquires {
                                let permit = sem.acquire().await.expect("semaphore closed");
                                let held = holders.fetch_add(1, Relaxed) + 1;
                                assert!(held <= permits, "{held} holders of {permits} permits");
                                $krate::task::yield_now().await;
                                holders.fetch_sub(1, Relaxed);
                                drop(permit);
                            }
                            acquires
                        })
                    })
                    .collect();
                let mut total = 0;
                for h in handles {
                    total += h.await.expect("task failed");
                }
                assert_eq!(sem.available_permits(), permits);
                total
            }

            async fn unbounded_fan_in(producers: usize, msgs: usize) -> u64 {
                let (tx, mut rx) = $krate::sync::mpsc::unbounded_channel::<u64>();
                for _ in 0..producers {
                    let tx = tx.clone();
                    drop($krate::spawn(async move {
                        for i in 0..msgs as u64 {
                            tx.send(i).expect("receiver dropped");
                            // Let the receiver and the other producers in.
                            if i % 16 == 15 {
                                $krate::task::yield_now().await;
                            }
                        }
                    }));
                }
                drop(tx);
                let mut sum = 0;
                while let Some(i) = rx.recv().await {
                    sum += i;
                }
                sum
            }

            async fn notify_ping_pong(rounds: usize) -> usize {
                use std::sync::Arc;
                let ping = Arc::new($krate::sync::Notify::new());
                let pong = Arc::new($krate::sync::Notify::new());
                let (ping2, pong2) = (ping.clone(), pong.clone());
                let responder = $krate::spawn(async move {
                    for _ in 0..rounds {
                        ping2.notified().await;
                        pong2.notify_one();
                    }
                });
                for _ in 0..rounds {
                    ping.notify_one();
                    pong.notified().await;
                }
                responder.await.expect("responder failed");
                rounds
            }

            async fn watch_fan_out(receivers: usize, updates: usize) -> usize {
                let (tx, rx) = $krate::sync::watch::channel(0usize);
                let last = updates - 1;
                let handles: Vec<_> = (0..receivers)
                    .map(|_| {
                        let mut rx = rx.clone();
                        $krate::spawn(async move {
                            loop {
                                if *rx.borrow_and_update() == last {
                                    return true;
                                }
                                rx.changed().await.expect("sender dropped");
                            }
                        })
                    })
                    .collect();
                drop(rx);
                for v in 1..updates {
                    tx.send(v).expect("receivers dropped");
                    $krate::task::yield_now().await;
                }
                let mut done = 0;
                for h in handles {
                    done += usize::from(h.await.expect("receiver failed"));
                }
                done
            }

            async fn broadcast_fan_out(receivers: usize, msgs: usize) -> usize {
                let (tx, _) = $krate::sync::broadcast::channel::<usize>(msgs);
                let handles: Vec<_> = (0..receivers)
                    .map(|_| {
                        let mut rx = tx.subscribe();
                        $krate::spawn(async move {
                            let mut n = 0;
                            while let Ok(v) = rx.recv().await {
                                assert_eq!(v, n, "missed a message");
                                n += 1;
                            }
                            n
                        })
                    })
                    .collect();
                for i in 0..msgs {
                    tx.send(i).expect("receivers dropped");
                    if i % 10 == 9 {
                        $krate::task::yield_now().await;
                    }
                }
                drop(tx);
                let mut total = 0;
                for h in handles {
                    total += h.await.expect("receiver failed");
                }
                total
            }

            async fn timers_insert_cancel(n: usize) -> usize {
                let mut sleeps: Vec<_> = (0..n)
                    .map(|i| {
                        let ms = 1 + (i as u64 * 7919) % 1000;
                        Box::pin($krate::time::sleep(std::time::Duration::from_millis(ms)))
                    })
                    .collect();
                std::future::poll_fn(|cx| {
                    // The first few hundred are still pending; by the end of
                    // a long loop the 1 ms ones may be due: either way the
                    // poll registered (or fired) them.
                    for s in sleeps.iter_mut() {
                        let _ = s.as_mut().poll(cx);
                    }
                    std::task::Poll::Ready(())
                })
                .await;
                let count = sleeps.len();
                drop(sleeps);
                count
            }

            async fn sleep_lateness(n: usize) -> Vec<u64> {
                let handles: Vec<_> = (0..n)
                    .map(|i| {
                        let ms = 1 + (i as u64).wrapping_mul(2_654_435_761) % 20;
                        $krate::spawn(async move {
                            let deadline = std::time::Instant::now()
                                + std::time::Duration::from_millis(ms);
                            $krate::time::sleep_until(deadline.into()).await;
                            std::time::Instant::now()
                                .saturating_duration_since(deadline)
                                .as_micros() as u64
                        })
                    })
                    .collect();
                let mut late = Vec::with_capacity(n);
                for h in handles {
                    late.push(h.await.expect("sleeper failed"));
                }
                late
            }

            async fn timeouts_ready(n: usize) -> usize {
                let mut sum = 0;
                for i in 0..n {
                    let t = std::time::Duration::from_secs(1);
                    sum += $krate::time::timeout(t, std::future::ready(i))
                        .await
                        .expect("a ready future timed out");
                }
                sum
            }

            async fn timeouts_yield(n: usize) -> usize {
                let mut done = 0;
                for _ in 0..n {
                    let t = std::time::Duration::from_secs(1);
                    $krate::time::timeout(t, $krate::task::yield_now())
                        .await
                        .expect("yield_now timed out");
                    done += 1;
                }
                done
            }

            async fn sleep_resets(n: usize) -> usize {
                use std::time::Duration;
                let start = $krate::time::Instant::now();
                let sleep = $krate::time::sleep(Duration::from_secs(1));
                let mut sleep = std::pin::pin!(sleep);
                let mut resets = 0;
                std::future::poll_fn(|cx| {
                    assert!(sleep.as_mut().poll(cx).is_pending());
                    for i in 0..n {
                        let at = start + Duration::from_secs(1) + Duration::from_micros(i as u64 * 10);
                        sleep.as_mut().reset(at);
                        assert!(sleep.as_mut().poll(cx).is_pending());
                        resets += 1;
                    }
                    std::task::Poll::Ready(())
                })
                .await;
                sleep.as_mut().reset($krate::time::Instant::now());
                sleep.await;
                resets
            }

            async fn intervals_tick(tasks: usize, ticks: usize) -> usize {
                let handles: Vec<_> = (0..tasks)
                    .map(|_| {
                        $krate::spawn(async move {
                            let period = std::time::Duration::from_millis(1);
                            let mut interval = $krate::time::interval(period);
                            for _ in 0..ticks {
                                interval.tick().await;
                            }
                            ticks
                        })
                    })
                    .collect();
                let mut seen = 0;
                for h in handles {
                    seen += h.await.expect("interval task failed");
                }
                seen
            }

            fn new_with_io(flavor: Flavor) -> Self {
                let rt = match flavor {
                    Flavor::MultiThread(n) => $krate::runtime::Builder::new_multi_thread()
                        .worker_threads(n)
                        .enable_all()
                        .build(),
                    Flavor::CurrentThread => $krate::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build(),
                }
                .expect(concat!("failed to build a ", stringify!($krate), " runtime"));
                $ty { rt, flavor }
            }

            type TcpListener = $krate::net::TcpListener;
            type TcpStream = $krate::net::TcpStream;

            fn bind(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpListener>> + Send {
                $krate::net::TcpListener::bind(addr)
            }

            fn local_addr(listener: &Self::TcpListener) -> io::Result<SocketAddr> {
                listener.local_addr()
            }

            fn accept(
                listener: &Self::TcpListener,
            ) -> impl Future<Output = io::Result<Self::TcpStream>> + Send + '_ {
                async move { listener.accept().await.map(|(stream, _)| stream) }
            }

            fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send {
                $krate::net::TcpStream::connect(addr)
            }

            fn set_nodelay(stream: &Self::TcpStream, nodelay: bool) -> io::Result<()> {
                stream.set_nodelay(nodelay)
            }

            fn read<'a>(
                stream: &'a mut Self::TcpStream,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
                $krate::io::AsyncReadExt::read(stream, buf)
            }

            fn read_exact<'a>(
                stream: &'a mut Self::TcpStream,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<()>> + Send + 'a {
                async move { $krate::io::AsyncReadExt::read_exact(stream, buf).await.map(drop) }
            }

            fn write_all<'a>(
                stream: &'a mut Self::TcpStream,
                buf: &'a [u8],
            ) -> impl Future<Output = io::Result<()>> + Send + 'a {
                $krate::io::AsyncWriteExt::write_all(stream, buf)
            }

            type UnixListener = $krate::net::UnixListener;
            type UnixStream = $krate::net::UnixStream;

            fn unix_bind(path: &Path) -> io::Result<Self::UnixListener> {
                $krate::net::UnixListener::bind(path)
            }

            fn unix_accept(
                listener: &Self::UnixListener,
            ) -> impl Future<Output = io::Result<Self::UnixStream>> + Send + '_ {
                async move { listener.accept().await.map(|(stream, _)| stream) }
            }

            fn unix_connect(
                path: PathBuf,
            ) -> impl Future<Output = io::Result<Self::UnixStream>> + Send {
                async move { $krate::net::UnixStream::connect(path).await }
            }

            type UdpSocket = $krate::net::UdpSocket;

            fn udp_bind(addr: SocketAddr) -> impl Future<Output = io::Result<Self::UdpSocket>> + Send {
                $krate::net::UdpSocket::bind(addr)
            }

            fn udp_local_addr(socket: &Self::UdpSocket) -> io::Result<SocketAddr> {
                socket.local_addr()
            }

            fn udp_connect(
                socket: &Self::UdpSocket,
                addr: SocketAddr,
            ) -> impl Future<Output = io::Result<()>> + Send + '_ {
                socket.connect(addr)
            }

            fn udp_send<'a>(
                socket: &'a Self::UdpSocket,
                buf: &'a [u8],
            ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
                socket.send(buf)
            }

            fn udp_recv<'a>(
                socket: &'a Self::UdpSocket,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
                socket.recv(buf)
            }
        }

        bench_stream!($krate, $krate::net::TcpStream);
        bench_stream!($krate, $krate::net::UnixStream);
    };
}

macro_rules! bench_stream {
    ($krate:ident, $stream:ty) => {
        impl BenchStream for $stream {
            fn read<'a>(
                &'a mut self,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
                $krate::io::AsyncReadExt::read(self, buf)
            }

            fn read_exact<'a>(
                &'a mut self,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<()>> + Send + 'a {
                async move {
                    $krate::io::AsyncReadExt::read_exact(self, buf)
                        .await
                        .map(drop)
                }
            }

            fn write_all<'a>(
                &'a mut self,
                buf: &'a [u8],
            ) -> impl Future<Output = io::Result<()>> + Send + 'a {
                $krate::io::AsyncWriteExt::write_all(self, buf)
            }
        }
    };
}

bench_runtime!(
    /// A magpie runtime under benchmark.
    Magpie,
    magpie
);
bench_runtime!(
    /// A tokio runtime under benchmark.
    Tokio,
    tokio
);
