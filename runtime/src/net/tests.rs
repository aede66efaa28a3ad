//! Socket tests on a tiny single-threaded executor (the real schedulers
//! live elsewhere): `block_on` makes the driver current, polls, and parks
//! in the driver on `Pending`; the waker sets a flag and unparks.

use crate::io::{AsyncReadExt, AsyncWriteExt, Interest};
use crate::loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use crate::net::tcp::{ReadHalf, WriteHalf};
use crate::net::{TcpListener, TcpStream, UdpSocket, UnixDatagram, UnixListener, UnixStream};
use futures_util::future::{join, join_all};
use magpie_reactor::{Config, Driver, Handle};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

struct Flag {
    woken: AtomicBool,
    handle: Handle,
}

impl Wake for Flag {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        self.woken.store(true, SeqCst);
        self.handle.unpark();
    }
}

struct TestRt {
    driver: Driver,
    handle: Handle,
}

impl TestRt {
    fn new() -> TestRt {
        let (driver, handle) = Driver::new(Config {
            enable_io: true,
            ..Config::default()
        })
        .unwrap();
        TestRt { driver, handle }
    }

    fn block_on<F: Future>(&mut self, fut: F) -> F::Output {
        let _enter = crate::context::set_driver(self.handle.clone());
        let flag = std::sync::Arc::new(Flag {
            woken: AtomicBool::new(false),
            handle: self.handle.clone(),
        });
        let waker = Waker::from(flag.clone());
        let mut cx = Context::from_waker(&waker);
        let mut fut = pin!(fut);
        loop {
            if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
                return v;
            }
            if !flag.woken.swap(false, SeqCst) {
                self.driver.park(&self.handle);
            }
        }
    }
}

fn block_on<F: Future>(fut: F) -> F::Output {
    TestRt::new().block_on(fut)
}

async fn echo(mut stream: TcpStream) -> io::Result<u64> {
    // The socket's own borrowed split, even with `AsyncReadExt` in scope.
    let (mut rd, mut wr): (ReadHalf<'_>, WriteHalf<'_>) = stream.split();
    let n = crate::io::copy(&mut rd, &mut wr).await?;
    wr.shutdown().await?;
    Ok(n)
}

#[test]
fn echo_many_concurrent_clients() {
    const CLIENTS: usize = 64;
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = async {
            let mut conns = Vec::new();
            for _ in 0..CLIENTS {
                conns.push(listener.accept().await.unwrap().0);
            }
            join_all(conns.into_iter().map(echo)).await
        };
        let clients = join_all((0..CLIENTS).map(|i| async move {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let msg = format!("hello from client {i}");
            s.write_all(msg.as_bytes()).await.unwrap();
            s.close().await.unwrap();
            let mut back = String::new();
            s.read_to_string(&mut back).await.unwrap();
            assert_eq!(back, msg);
        }));
        let (echoed, _) = join(server, clients).await;
        assert!(echoed.iter().all(|r| r.is_ok()));
    });
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[test]
fn integer_helpers_and_shutdown() {
    block_on(async {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        a.write_u32(0xDEAD_BEEF).await.unwrap();
        a.write_i16_le(-2).await.unwrap();
        a.write_f64(1.5).await.unwrap();
        a.write_u8(7).await.unwrap();
        a.shutdown().await.unwrap();
        assert_eq!(b.read_u32().await.unwrap(), 0xDEAD_BEEF);
        assert_eq!(b.read_i16_le().await.unwrap(), -2);
        assert_eq!(b.read_f64().await.unwrap(), 1.5);
        assert_eq!(b.read_u8().await.unwrap(), 7);
        let err = b.read_u16().await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::UnexpectedEof);
    });
}

#[test]
fn transfer_8_mib_intact() {
    const LEN: usize = 8 << 20;
    block_on(async {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        let data = pattern(LEN);
        let send = async {
            let mut s = TcpStream::connect(addr).await.unwrap();
            s.write_all(&data).await.unwrap();
            s.close().await.unwrap();
        };
        let recv = async {
            let (mut s, peer) = listener.accept().await.unwrap();
            assert_eq!(peer.ip(), addr.ip());
            let mut got = Vec::new();
            s.read_to_end(&mut got).await.unwrap();
            got
        };
        let (_, got) = join(send, recv).await;
        assert_eq!(got.len(), LEN);
        assert!(got == data, "8 MiB arrived corrupted");
    });
}

#[test]
fn into_split_halves_concurrently() {
    const LEN: usize = 1 << 20;
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = async { echo(listener.accept().await.unwrap().0).await.unwrap() };
        let client = async {
            let stream = TcpStream::connect(addr).await.unwrap();
            let (mut rd, mut wr) = stream.into_split();
            let data = pattern(LEN);
            // Both halves run at once: the echo would deadlock if the
            // writer had to finish before the reader started.
            let writer = async {
                wr.write_all(&data).await.unwrap();
                wr.close().await.unwrap();
                wr
            };
            let reader = async {
                let mut got = Vec::new();
                rd.read_to_end(&mut got).await.unwrap();
                got
            };
            let (wr, got) = join(writer, reader).await;
            assert!(got == data);
            let stream = rd.reunite(wr).unwrap();
            assert_eq!(stream.local_addr().unwrap().ip(), addr.ip());
        };
        let (n, ()) = join(server, client).await;
        assert_eq!(n, LEN as u64);
    });
}

impl TestRt {
    /// Runs several futures as separate "tasks": each has its own waker and
    /// is polled again only when that waker was woken.
    fn run_tasks(&mut self, tasks: Vec<std::pin::Pin<Box<dyn Future<Output = ()> + '_>>>) {
        let _enter = crate::context::set_driver(self.handle.clone());
        let mut tasks: Vec<_> = tasks
            .into_iter()
            .map(|t| {
                let flag = std::sync::Arc::new(Flag {
                    woken: AtomicBool::new(true),
                    handle: self.handle.clone(),
                });
                (Some(t), flag)
            })
            .collect();
        let started = std::time::Instant::now();
        while tasks.iter().any(|(t, _)| t.is_some()) {
            let mut polled = false;
            for (task, flag) in &mut tasks {
                if task.is_some() && flag.woken.swap(false, SeqCst) {
                    polled = true;
                    let waker = Waker::from(flag.clone());
                    let mut cx = Context::from_waker(&waker);
                    if task.as_mut().unwrap().as_mut().poll(&mut cx).is_ready() {
                        *task = None;
                    }
                }
            }
            if !polled {
                // A lost wake-up fails the test instead of hanging it.
                assert!(
                    started.elapsed() < std::time::Duration::from_secs(20),
                    "tasks stuck: a wake-up was lost"
                );
                self.driver
                    .park_timeout(&self.handle, std::time::Duration::from_millis(100));
            }
        }
    }
}

#[test]
fn two_acceptor_tasks_share_a_listener() {
    let mut rt = TestRt::new();
    let listener = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = std::cell::RefCell::new(Vec::new());
    let acceptor = || {
        Box::pin(async {
            let (_s, peer) = listener.accept().await.unwrap();
            accepted.borrow_mut().push(peer);
        }) as std::pin::Pin<Box<dyn Future<Output = ()>>>
    };
    let clients = std::cell::RefCell::new(Vec::new());
    let connector = Box::pin(async {
        // Let both acceptors park first, each with its own waker.
        std::future::poll_fn(|cx| {
            if clients.borrow().is_empty() {
                clients.borrow_mut().push(None);
                cx.waker().wake_by_ref();
                Poll::Pending
            } else {
                Poll::Ready(())
            }
        })
        .await;
        let a = TcpStream::connect(addr).await.unwrap();
        let b = TcpStream::connect(addr).await.unwrap();
        clients.borrow_mut().extend([Some(a), Some(b)]);
    });
    rt.run_tasks(vec![acceptor(), acceptor(), connector]);
    let mut peers = accepted.into_inner();
    let mut locals: Vec<_> = clients
        .into_inner()
        .into_iter()
        .flatten()
        .map(|c| c.local_addr().unwrap())
        .collect();
    peers.sort();
    locals.sort();
    assert_eq!(peers, locals);
}

#[test]
fn reunite_rejects_foreign_halves() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let a = TcpStream::connect(addr).await.unwrap();
        let b = TcpStream::connect(addr).await.unwrap();
        let (ra, _wa) = a.into_split();
        let (_rb, wb) = b.into_split();
        let err = ra.reunite(wb).unwrap_err();
        assert!(err.to_string().contains("not from the same socket"));
    });
}

#[test]
fn connect_to_closed_port_fails() {
    block_on(async {
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let err = TcpStream::connect(("127.0.0.1", port)).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        // Every address is tried; the last error is returned.
        let addrs = [
            SocketAddr::from(([127, 0, 0, 1], port)),
            SocketAddr::from(([127, 0, 0, 1], port)),
        ];
        let err = TcpStream::connect(&addrs[..]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
        let empty: [SocketAddr; 0] = [];
        let err = TcpStream::connect(&empty[..]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    });
}

#[test]
fn peer_close_reads_zero() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        let mut client = client.unwrap();
        let (server, _) = accepted.unwrap();
        let reader = async {
            let mut buf = [0u8; 16];
            let n = client.read(&mut buf).await.unwrap();
            assert_eq!(&buf[..n], b"bye");
            assert_eq!(client.read(&mut buf).await.unwrap(), 0);
            assert_eq!(client.read(&mut buf).await.unwrap(), 0);
        };
        let closer = async move {
            let mut server = server;
            server.write_all(b"bye").await.unwrap();
            drop(server);
        };
        join(reader, closer).await;
    });
}

#[test]
fn socket_options_and_try_io() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        listener.set_ttl(42).unwrap();
        assert_eq!(listener.ttl().unwrap(), 42);
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        let client = client.unwrap();
        let (server, _) = accepted.unwrap();
        client.set_nodelay(true).unwrap();
        assert!(client.nodelay().unwrap());
        client
            .set_linger(Some(std::time::Duration::from_secs(1)))
            .unwrap();
        assert_eq!(
            client.linger().unwrap(),
            Some(std::time::Duration::from_secs(1))
        );
        client.set_linger(None).unwrap();
        assert_eq!(client.linger().unwrap(), None);
        assert_eq!(client.peer_addr().unwrap(), addr);

        let mut buf = [0u8; 8];
        let err = server.try_read(&mut buf).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
        client.writable().await.unwrap();
        let slices = [io::IoSlice::new(b"ab"), io::IoSlice::new(b"cd")];
        assert_eq!(client.try_write_vectored(&slices).unwrap(), 4);
        let ready = server.ready(Interest::READABLE).await.unwrap();
        assert!(ready.is_readable());
        let mut peeked = [0u8; 8];
        let n = server.peek(&mut peeked).await.unwrap();
        assert_eq!(&peeked[..n], b"abcd");
        let n = server.try_read(&mut buf).unwrap();
        assert_eq!(&buf[..n], b"abcd");

        let std = client.into_std().unwrap();
        let back = TcpStream::from_std(std).unwrap();
        assert_eq!(back.peer_addr().unwrap(), addr);
    });
}

#[test]
fn tcp_socket_options_connect_and_listen() {
    use crate::net::TcpSocket;
    block_on(async {
        let socket = TcpSocket::new_v4().unwrap();
        socket.set_reuseaddr(true).unwrap();
        assert!(socket.reuseaddr().unwrap());
        socket.set_reuseport(true).unwrap();
        assert!(socket.reuseport().unwrap());
        socket.set_keepalive(true).unwrap();
        assert!(socket.keepalive().unwrap());
        socket.set_recv_buffer_size(64 * 1024).unwrap();
        assert!(socket.recv_buffer_size().unwrap() >= 64 * 1024);
        socket.set_nodelay(true).unwrap();
        assert!(socket.nodelay().unwrap());
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        let addr = socket.local_addr().unwrap();
        let listener = socket.listen(16).unwrap();
        assert_eq!(listener.local_addr().unwrap(), addr);

        let client = TcpSocket::new_v4().unwrap();
        client
            .set_linger(Some(std::time::Duration::from_secs(2)))
            .unwrap();
        let (stream, accepted) = join(client.connect(addr), listener.accept()).await;
        let mut stream = stream.unwrap();
        let (mut server, _) = accepted.unwrap();
        assert_eq!(
            stream.linger().unwrap(),
            Some(std::time::Duration::from_secs(2))
        );
        stream.write_all(b"via TcpSocket").await.unwrap();
        stream.shutdown().await.unwrap();
        let mut got = String::new();
        server.read_to_string(&mut got).await.unwrap();
        assert_eq!(got, "via TcpSocket");

        let v6 = TcpSocket::new_v6().unwrap();
        if v6.bind("[::1]:0".parse().unwrap()).is_ok() {
            assert!(v6.local_addr().unwrap().is_ipv6());
        }
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let refused = TcpSocket::new_v4()
            .unwrap()
            .connect(SocketAddr::from(([127, 0, 0, 1], port)))
            .await
            .unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
    });
}

#[test]
fn udp_round_trip() {
    block_on(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let (aa, ba) = (a.local_addr().unwrap(), b.local_addr().unwrap());
        let mut buf = [0u8; 32];
        let (sent, got) = join(a.send_to(b"ping", ba), b.peek_from(&mut buf)).await;
        assert_eq!(sent.unwrap(), 4);
        assert_eq!(got.unwrap(), (4, aa));
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!((&buf[..n], from), (&b"ping"[..], aa));

        a.send_to(b"who", ba).await.unwrap();
        assert_eq!(b.peek_sender().await.unwrap(), aa);
        assert_eq!(b.try_peek_sender().unwrap(), aa);
        let (n, _) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"who");

        b.connect(aa).await.unwrap();
        assert_eq!(b.peer_addr().unwrap(), aa);
        b.send(b"pong").await.unwrap();
        a.connect(ba).await.unwrap();
        let n = a.peek(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"pong");
        let n = a.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"pong");
        assert_eq!(
            a.try_recv(&mut buf).unwrap_err().kind(),
            io::ErrorKind::WouldBlock
        );
        b.set_broadcast(true).unwrap();
        assert!(b.broadcast().unwrap());
    });
}

// Test scaffolding: a process-wide counter for unique socket paths.
#[allow(clippy::disallowed_types)]
fn temp_path(name: &str) -> PathBuf {
    use std::sync::atomic::AtomicUsize as StdAtomicUsize;
    static NEXT: StdAtomicUsize = StdAtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("magpie-{}-{name}-{n}.sock", std::process::id()));
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn unix_stream_round_trip() {
    let path = temp_path("stream");
    block_on(async {
        let listener = UnixListener::bind(&path).unwrap();
        assert_eq!(
            listener.local_addr().unwrap().as_pathname(),
            Some(path.as_path())
        );
        let server = async {
            let (mut s, addr) = listener.accept().await.unwrap();
            assert!(addr.is_unnamed());
            let mut buf = Vec::new();
            s.read_to_end(&mut buf).await.unwrap();
            s.write_all(&buf).await.unwrap();
        };
        let client = async {
            let s = UnixStream::connect(&path).await.unwrap();
            let (mut rd, mut wr) = s.into_split();
            wr.write_all(b"over unix").await.unwrap();
            wr.close().await.unwrap();
            let mut back = Vec::new();
            rd.read_to_end(&mut back).await.unwrap();
            assert_eq!(back, b"over unix");
        };
        join(server, client).await;

        let (mut x, mut y) = UnixStream::pair().unwrap();
        let cred = x.peer_cred().unwrap();
        // SAFETY: getuid/getpid have no preconditions.
        assert_eq!(cred.uid(), unsafe { libc::getuid() });
        assert_eq!(cred.pid(), Some(std::process::id() as libc::pid_t));
        x.write_all(b"pair").await.unwrap();
        let mut buf = [0u8; 4];
        y.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"pair");
    });
    std::fs::remove_file(&path).unwrap();
}

#[test]
fn unix_datagram_round_trip() {
    let (pa, pb) = (temp_path("dgram-a"), temp_path("dgram-b"));
    block_on(async {
        let a = UnixDatagram::bind(&pa).unwrap();
        let b = UnixDatagram::bind(&pb).unwrap();
        a.send_to(b"to b", &pb).await.unwrap();
        let mut buf = [0u8; 16];
        let (n, from) = b.recv_from(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"to b");
        assert_eq!(from.as_pathname(), Some(pa.as_path()));

        let c = UnixDatagram::unbound().unwrap();
        c.connect(&pb).unwrap();
        c.send(b"from unbound").await.unwrap();
        let n = b.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"from unbound");

        let (x, y) = UnixDatagram::pair().unwrap();
        x.send(b"pair").await.unwrap();
        let n = y.recv(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"pair");
    });
    std::fs::remove_file(&pa).unwrap();
    std::fs::remove_file(&pb).unwrap();
}

#[test]
fn shutdown_fails_pending_io_instead_of_hanging() {
    let mut rt = TestRt::new();
    let _enter = crate::context::set_driver(rt.handle.clone());
    let (listener, stream) = rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (c, _accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        (listener, c.unwrap())
    });
    let woken = std::sync::Arc::new(Flag {
        woken: AtomicBool::new(false),
        handle: rt.handle.clone(),
    });
    let waker = Waker::from(woken.clone());
    let mut cx = Context::from_waker(&waker);
    let mut stream = stream;
    let mut buf = [0u8; 8];
    let mut accept = pin!(listener.accept());
    assert!(accept.as_mut().poll(&mut cx).is_pending());
    {
        let mut read = pin!(stream.read(&mut buf));
        assert!(read.as_mut().poll(&mut cx).is_pending());
        rt.driver.shutdown(&rt.handle);
        assert!(woken.woken.load(SeqCst), "shutdown wakes the waiters");
        match read.as_mut().poll(&mut cx) {
            Poll::Ready(Err(e)) => assert!(e.to_string().contains("gone")),
            other => panic!("expected an error, got {other:?}"),
        }
    }
    assert!(matches!(accept.as_mut().poll(&mut cx), Poll::Ready(Err(_))));
    // New sockets cannot register with a dead driver either.
    let err = rt.block_on(TcpListener::bind("127.0.0.1:0")).unwrap_err();
    assert!(err.to_string().contains("gone"));
}

#[test]
fn dropped_runtime_fails_io() {
    let mut rt = TestRt::new();
    let sock = rt.block_on(UdpSocket::bind("127.0.0.1:0")).unwrap();
    drop(rt);
    let mut buf = [0u8; 4];
    let res = TestRt::new().block_on(sock.recv_from(&mut buf));
    assert!(res.is_err());
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    match (
        payload.downcast_ref::<String>(),
        payload.downcast_ref::<&str>(),
    ) {
        (Some(s), _) => s.clone(),
        (None, Some(s)) => s.to_string(),
        (None, None) => String::new(),
    }
}

#[test]
fn no_runtime_panics_with_a_clear_message() {
    let std = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let err = std::panic::catch_unwind(move || UdpSocket::from_std(std)).unwrap_err();
    let msg = err.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(
        msg.contains("must be called from within a magpie runtime"),
        "{msg}"
    );
}

#[test]
fn io_disabled_runtime_panics_with_a_clear_message() {
    let (_driver, handle) = Driver::new(Config::default()).unwrap();
    let _enter = crate::context::set_driver(handle);
    let std = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let err = std::panic::catch_unwind(move || UdpSocket::from_std(std)).unwrap_err();
    let msg = panic_message(&*err);
    assert!(msg.contains("enable_io"), "{msg}");
}

#[test]
fn ready_io_spends_the_coop_budget() {
    block_on(async {
        let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        b.connect(a.local_addr().unwrap()).await.unwrap();
        // Enough ready datagrams to outlast one budget.
        for _ in 0..(crate::coop::INITIAL as usize + 8) {
            b.send(b"x").await.unwrap();
        }
        a.readable().await.unwrap();
        let mut pending_seen = false;
        let mut received = 0;
        std::future::poll_fn(|cx| {
            crate::coop::budget(|| {
                let mut buf = [0u8; 1];
                loop {
                    match a.poll_recv(cx, &mut buf) {
                        Poll::Ready(r) => {
                            r.unwrap();
                            received += 1;
                        }
                        Poll::Pending => {
                            pending_seen = true;
                            return Poll::Ready(());
                        }
                    }
                }
            })
        })
        .await;
        assert!(pending_seen);
        assert_eq!(received, crate::coop::INITIAL as usize);
    });
}

/// The runtime's real shape: one thread drives the reactor while the
/// tasks run (and register, and wait) on another.
#[test]
fn driver_on_another_thread() {
    struct ThreadWaker(std::thread::Thread, AtomicBool);
    impl Wake for ThreadWaker {
        fn wake(self: std::sync::Arc<Self>) {
            self.1.store(true, SeqCst);
            self.0.unpark();
        }
    }
    let TestRt { mut driver, handle } = TestRt::new();
    let stop = std::sync::Arc::new(AtomicBool::new(false));
    let reactor = {
        let (handle, stop) = (handle.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(SeqCst) {
                driver.park(&handle);
            }
            driver
        })
    };
    let _enter = crate::context::set_driver(handle.clone());
    let thread_waker =
        std::sync::Arc::new(ThreadWaker(std::thread::current(), AtomicBool::new(false)));
    let waker = Waker::from(thread_waker.clone());
    let mut cx = Context::from_waker(&waker);
    let work = async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = async { echo(listener.accept().await.unwrap().0).await.unwrap() };
        let client = async {
            let mut s = TcpStream::connect(addr).await.unwrap();
            let mut buf = [0u8; 8];
            // Many small round trips: each one parks and is woken from the
            // reactor thread.
            for i in 0u64..2000 {
                s.write_all(&i.to_be_bytes()).await.unwrap();
                s.read_exact(&mut buf).await.unwrap();
                assert_eq!(u64::from_be_bytes(buf), i);
            }
            s.shutdown().await.unwrap();
        };
        join(server, client).await
    };
    let mut work = pin!(work);
    let (echoed, ()) = loop {
        if let Poll::Ready(v) = work.as_mut().poll(&mut cx) {
            break v;
        }
        // On loopback a pending step completes in far less than the
        // timeout; sleeping it out without a wake means one was lost.
        let parked = std::time::Instant::now();
        while !thread_waker.1.swap(false, SeqCst) {
            assert!(
                parked.elapsed() < std::time::Duration::from_secs(10),
                "a wake-up from the reactor thread was lost"
            );
            std::thread::park_timeout(std::time::Duration::from_secs(1));
        }
    };
    assert_eq!(echoed, 2000 * 8);
    stop.store(true, SeqCst);
    handle.unpark();
    let mut driver = reactor.join().unwrap();
    driver.shutdown(&handle);
}

#[test]
fn types_and_futures_are_send() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>(_: &T) {}
    send_sync::<TcpListener>();
    send_sync::<TcpStream>();
    send_sync::<UdpSocket>();
    send_sync::<UnixListener>();
    send_sync::<UnixStream>();
    send_sync::<UnixDatagram>();
    send_sync::<crate::net::tcp::OwnedReadHalf>();
    send_sync::<crate::net::tcp::OwnedWriteHalf>();
    send_sync::<crate::net::unix::OwnedReadHalf>();
    // Futures are only built, never polled.
    send(&TcpStream::connect("127.0.0.1:1"));
    send(&TcpStream::connect(String::from("localhost:1")));
    send(&TcpListener::bind(("127.0.0.1", 0)));
    send(&UdpSocket::bind("127.0.0.1:0"));
    send(&UnixStream::connect("/nonexistent"));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let rt = TestRt::new();
    let _enter = crate::context::set_driver(rt.handle.clone());
    let listener = TcpListener::from_std(listener).unwrap();
    send(&listener.accept());
    let udp = UdpSocket::from_std(std::net::UdpSocket::bind("127.0.0.1:0").unwrap()).unwrap();
    let mut buf = [0u8; 4];
    send(&udp.recv_from(&mut buf));
    send(&udp.send_to(b"x", "127.0.0.1:9"));
    let (mut a, _b) = UnixStream::pair().unwrap();
    send(&a.read_u32());
    send(&a.readable());
}

/// A short read (`0 < n < len`) drains a stream socket's receive queue, so
/// it clears the read readiness at once instead of leaving it for a `recv`
/// that would only return `WouldBlock` (one syscall per read saved, as in
/// tokio). A read that fills the buffer keeps the readiness: data may
/// remain. Either way the next data still wakes the reader.
#[test]
fn short_read_clears_read_readiness() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        let mut client = client.unwrap();
        let (mut server, _) = accepted.unwrap();
        let noop = Waker::noop();
        let mut cx = Context::from_waker(noop);

        client.write_all(b"hello").await.unwrap();
        let mut buf = [0u8; 64];
        let n = server.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"hello");
        // No driver turn since the read: only the read itself can have
        // cleared the readiness.
        assert!(server.poll_read_ready(&mut cx).is_pending());

        client.write_all(b"again").await.unwrap();
        let n = server.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"again");

        client.write_all(b"0123456789").await.unwrap();
        server.readable().await.unwrap();
        let mut four = [0u8; 4];
        assert_eq!(server.read(&mut four).await.unwrap(), 4);
        assert_eq!(&four, b"0123");
        assert!(server.poll_read_ready(&mut cx).is_ready());
        let n = server.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"456789");

        // A short read followed by the peer's close still reads 0 after.
        client.write_all(b"bye").await.unwrap();
        drop(client);
        let n = server.read(&mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"bye");
        assert_eq!(server.read(&mut buf).await.unwrap(), 0);
    });
}

/// A short write means the send buffer is full: the write readiness is
/// cleared at once, and the writer is woken again once the peer reads.
#[test]
fn short_write_clears_write_readiness() {
    use futures_io::AsyncWrite;
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        let mut client = client.unwrap();
        let (mut server, _) = accepted.unwrap();
        let noop = Waker::noop();
        let mut cx = Context::from_waker(noop);

        // Far more than any send buffer plus receive window.
        let big = pattern(32 << 20);
        let n = match std::pin::Pin::new(&mut client).poll_write(&mut cx, &big) {
            Poll::Ready(res) => res.unwrap(),
            Poll::Pending => panic!("a fresh socket was not writable"),
        };
        assert!(n > 0 && n < big.len(), "wrote {n} of {}", big.len());
        assert!(client.poll_write_ready(&mut cx).is_pending());

        let reader = async {
            let mut got = vec![0u8; n + 1000];
            server.read_exact(&mut got).await.unwrap();
            assert_eq!(got, big[..n + 1000]);
        };
        let writer = async { client.write_all(&big[n..n + 1000]).await.unwrap() };
        join(reader, writer).await;
    });
}

/// A read that fills the buffer says nothing about what is left, so the
/// second one turns the kernel's "bytes still queued" hint on (`TCP_INQ`,
/// `SO_INQ`); from then on "0 left" after a read clears the read readiness
/// (no `recv` returning `WouldBlock` before the next wait). Data left
/// behind keeps the readiness, and the end of stream is still read.
#[cfg(target_os = "linux")]
async fn full_reads_use_the_queued_count<S>(
    mut client: S,
    mut server: S,
    inq_on: impl Fn(&S) -> bool,
    poll_read_ready: impl Fn(&S, &mut Context<'_>) -> Poll<io::Result<()>>,
) where
    S: crate::io::AsyncRead + crate::io::AsyncWrite + Unpin,
{
    let noop = Waker::noop();
    let mut cx = Context::from_waker(noop);
    let mut four = [0u8; 4];

    // Short reads only: the option is never set.
    client.write_all(b"hi").await.unwrap();
    assert_eq!(server.read(&mut [0u8; 64]).await.unwrap(), 2);
    client.write_all(b"ho").await.unwrap();
    assert_eq!(server.read(&mut [0u8; 64]).await.unwrap(), 2);
    assert!(!inq_on(&server));

    // Two full reads turn it on (a connection with one full read never
    // pays the setsockopt).
    client.write_all(b"0123").await.unwrap();
    server.read_exact(&mut four).await.unwrap();
    assert!(!inq_on(&server));
    client.write_all(b"01234567").await.unwrap();
    server.read_exact(&mut four).await.unwrap();
    assert_eq!(&four, b"0123");
    if !inq_on(&server) {
        // A kernel without the option (SO_INQ is Linux 6.16+): plain
        // reads, nothing more to check.
        return;
    }
    assert!(poll_read_ready(&server, &mut cx).is_ready());
    server.read_exact(&mut four).await.unwrap();
    assert_eq!(&four, b"4567");
    // Full read, nothing left, no driver turn since: cleared by the read
    // itself.
    assert!(poll_read_ready(&server, &mut cx).is_pending());

    // Twelve bytes in three full reads: ready while some are left.
    client.write_all(b"abcdefghijkl").await.unwrap();
    for (i, want) in [b"abcd", b"efgh", b"ijkl"].into_iter().enumerate() {
        server.read_exact(&mut four).await.unwrap();
        assert_eq!(&four, want);
        assert_eq!(
            poll_read_ready(&server, &mut cx).is_ready(),
            i < 2,
            "read {i}"
        );
    }

    // The last full read before the peer's close still leads to 0.
    client.write_all(b"last").await.unwrap();
    drop(client);
    server.read_exact(&mut four).await.unwrap();
    assert_eq!(&four, b"last");
    assert_eq!(server.read(&mut four).await.unwrap(), 0);
}

#[cfg(target_os = "linux")]
#[test]
fn tcp_full_reads_use_the_kernels_queued_count() {
    block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (client, accepted) = join(TcpStream::connect(addr), listener.accept()).await;
        let server = accepted.unwrap().0;
        // TCP_INQ exists since Linux 4.18: it must turn on.
        let seen_on = std::cell::Cell::new(false);
        full_reads_use_the_queued_count(
            client.unwrap(),
            server,
            |s| {
                seen_on.set(seen_on.get() | s.inq_is_on());
                s.inq_is_on()
            },
            |s, cx| s.poll_read_ready(cx),
        )
        .await;
        assert!(seen_on.get());
    });
}

#[cfg(target_os = "linux")]
#[test]
fn unix_full_reads_use_the_kernels_queued_count() {
    block_on(async {
        let (client, server) = UnixStream::pair().unwrap();
        full_reads_use_the_queued_count(
            client,
            server,
            |s| s.inq_is_on(),
            |s, cx| s.poll_read_ready(cx),
        )
        .await;
    });
}
