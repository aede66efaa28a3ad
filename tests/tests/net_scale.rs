//! 10 000 loopback TCP connections held open at once.
//!
//! The server (this test) runs on a multi-thread runtime; the client ends
//! live in a child process (this test binary re-executed with
//! `CLIENT_ENV` set and `--exact ten_thousand_connections`), because one
//! process may hold at most 20 000 open files here and the hard limit
//! cannot be raised.
//!
//! Protocol:
//! 1. the child connects `CONNS` times (at most `CONNECT_BATCH` connects in
//!    flight, so the listener's backlog never overflows and no SYN waits
//!    for a 1 s retransmit), keeping every stream;
//! 2. once all are established it writes one 8-byte message on each and
//!    reads the echo back, all connections at once;
//! 3. it prints `READY <rss delta>` and holds every connection until its
//!    stdin reaches end of file (the server closes the pipe), then exits.
//!
//! The server echoes one message per connection and then holds the
//! connection until the client closes it. With every connection open and
//! echoed, it prints its own RSS growth (`/proc/self/statm`) divided by
//! the connection count, i.e. the user-space memory one idle connection
//! costs (task, stream, reactor registration; not kernel socket buffers).
//!
//! Every wait is bounded: the test fails after `DEADLINE`, never hangs,
//! and kills the child on any failure. The child exits on its own when the
//! server goes away (stdin end of file) or after its own deadline.

use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpSocket, TcpStream};
use magpie_tests::rss_bytes;
use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Connections held open at once.
const CONNS: usize = 10_000;
/// Connects in flight at once in the client (the listener's backlog is 1024).
const CONNECT_BATCH: usize = 500;
/// The whole test fails after this long.
const DEADLINE: Duration = Duration::from_secs(30);
/// Set (to the server's address) in the child's environment.
const CLIENT_ENV: &str = "MAGPIE_NET_SCALE_CLIENT";
/// This test's name, for `--exact` in the child.
const TEST_NAME: &str = "ten_thousand_connections";

/// Raises the soft `RLIMIT_NOFILE` to the hard limit and returns it.
fn raise_nofile() -> u64 {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable rlimit for the duration of the call.
    assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) }, 0);
    lim.rlim_cur = lim.rlim_max;
    // SAFETY: `lim` is a valid rlimit for the duration of the call.
    assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) }, 0);
    lim.rlim_cur
}

/// Kills and reaps the child if the test fails before it exits.
struct ChildGuard(Child);

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn remaining(deadline: Instant, what: &str) -> Duration {
    let left = deadline.saturating_duration_since(Instant::now());
    assert!(
        !left.is_zero(),
        "timed out after {DEADLINE:?} waiting for {what}"
    );
    left
}

/// Waits until `counter` reaches `target`, failing at `deadline`.
fn wait_count(counter: &AtomicUsize, target: usize, deadline: Instant, what: &str) {
    while counter.load(Ordering::Acquire) < target {
        remaining(deadline, what);
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn ten_thousand_connections() {
    if let Ok(addr) = std::env::var(CLIENT_ENV) {
        client(addr.parse().expect("bad server address"));
        return;
    }
    let deadline = Instant::now() + DEADLINE;
    let limit = raise_nofile();
    assert!(
        limit >= CONNS as u64 + 100,
        "RLIMIT_NOFILE hard limit {limit} is too low for {CONNS} connections"
    );

    let rt = magpie::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    // A backlog above the default 1024 (the kernel caps it at somaxconn,
    // 4096 by default): a full accept queue drops SYNs, and each dropped
    // SYN costs the client a 1 s retransmission timeout.
    let listener = rt
        .block_on(async {
            let socket = TcpSocket::new_v4()?;
            socket.bind("127.0.0.1:0".parse().unwrap())?;
            socket.listen(4096)
        })
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let echoed = Arc::new(AtomicUsize::new(0));
    let closed = Arc::new(AtomicUsize::new(0));
    let (a, e, c) = (accepted.clone(), echoed.clone(), closed.clone());
    rt.spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.expect("accept failed");
            a.fetch_add(1, Ordering::Release);
            let (e, c) = (e.clone(), c.clone());
            magpie::spawn(async move {
                let mut msg = [0u8; 8];
                stream.read_exact(&mut msg).await.expect("server read");
                stream.write_all(&msg).await.expect("server write");
                e.fetch_add(1, Ordering::Release);
                // Hold the connection until the client closes it.
                let n = stream.read(&mut msg).await.expect("server read eof");
                assert_eq!(n, 0, "client sent more than one message");
                drop(stream);
                c.fetch_add(1, Ordering::Release);
            });
        }
    });
    // Let the workers settle (threads started, first allocations done)
    // before taking the baseline.
    rt.block_on(async { magpie::time::sleep(Duration::from_millis(20)).await });
    let rss_before = rss_bytes();

    let exe = std::env::current_exe().unwrap();
    let child = Command::new(exe)
        .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
        .env(CLIENT_ENV, addr.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("failed to start the client process");
    let mut child = ChildGuard(child);
    let stdin = child.0.stdin.take().unwrap();
    let stdout = child.0.stdout.take().unwrap();
    // The child's stdout lines, read on a thread so that waits are bounded.
    let (tx, rx) = mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });

    let started = Instant::now();
    wait_count(&accepted, CONNS, deadline, "the client's connections");
    let all_accepted = started.elapsed();
    wait_count(&echoed, CONNS, deadline, "every connection to be echoed");
    let all_echoed = started.elapsed();
    let mut seen = Vec::new();
    let client_rss_delta: u64 = loop {
        match rx.recv_timeout(remaining(deadline, "the client's READY line")) {
            // libtest may have printed `test <name> ... ` before it on
            // the same line.
            Ok(line) => match line.split_once("READY ") {
                Some((_, rest)) => break rest.trim().parse().expect("bad READY line"),
                None => seen.push(line),
            },
            Err(e) => panic!(
                "client never got ready ({e}); its output:\n{}",
                seen.join("\n")
            ),
        }
    };
    // Every connection is open and has been echoed: measure.
    let rss_after = rss_bytes();
    assert_eq!(accepted.load(Ordering::Acquire), CONNS);
    assert_eq!(
        closed.load(Ordering::Acquire),
        0,
        "a connection closed early"
    );
    let delta = rss_after.saturating_sub(rss_before);
    println!(
        "{CONNS} connections accepted in {all_accepted:.2?}, all echoed after {all_echoed:.2?}; \
         server RSS {:.1} -> {:.1} MiB, {} bytes per connection; \
         client (child process) {} bytes per connection",
        rss_before as f64 / 1048576.0,
        rss_after as f64 / 1048576.0,
        delta / CONNS as u64,
        client_rss_delta / CONNS as u64,
    );

    // Release the client: it closes every connection and exits.
    drop(stdin);
    let status = loop {
        if let Some(status) = child.0.try_wait().unwrap() {
            break status;
        }
        remaining(deadline, "the client to exit");
        std::thread::sleep(Duration::from_millis(5));
    };
    assert!(status.success(), "client failed: {status}");
    // The remaining output must include libtest's summary: the child really
    // ran this test (and did not filter it out by a wrong name).
    let rest: Vec<String> = rx.iter().collect();
    assert!(
        rest.iter().any(|l| l.contains("1 passed")),
        "client ran no test: {rest:?}"
    );
    wait_count(&closed, CONNS, deadline, "the server to see every close");
    drop(rt);
}

/// The child process: holds `CONNS` connections to `addr`.
fn client(addr: SocketAddr) {
    raise_nofile();
    let rt = magpie::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let rss_before = rss_bytes();
    let streams = rt.block_on(async move {
        magpie::time::timeout(DEADLINE, async move {
            // 1. Open every connection (bounded connects in flight).
            let mut streams = Vec::with_capacity(CONNS);
            while streams.len() < CONNS {
                let batch = CONNECT_BATCH.min(CONNS - streams.len());
                let connects: Vec<_> = (0..batch)
                    .map(|_| magpie::spawn(TcpStream::connect(addr)))
                    .collect();
                for c in connects {
                    streams.push(c.await.unwrap().expect("connect failed"));
                }
            }
            // 2. All established: one message and its echo on each, at once.
            let echoes: Vec<_> = streams
                .into_iter()
                .enumerate()
                .map(|(i, mut s)| {
                    magpie::spawn(async move {
                        let msg = (i as u64).to_le_bytes();
                        s.write_all(&msg).await.expect("client write");
                        let mut back = [0u8; 8];
                        s.read_exact(&mut back).await.expect("client read");
                        assert_eq!(back, msg, "echo of connection {i} differs");
                        s
                    })
                })
                .collect();
            let mut streams = Vec::with_capacity(CONNS);
            for e in echoes {
                streams.push(e.await.unwrap());
            }
            streams
        })
        .await
        .expect("client timed out")
    });
    assert_eq!(streams.len(), CONNS);
    let delta = rss_bytes().saturating_sub(rss_before);
    println!("\nREADY {delta}");
    // 3. Hold every connection until the server closes our stdin. The
    // server fails (and kills us) on its own deadline; if it dies, stdin
    // reaches end of file and we exit.
    let mut sink = Vec::new();
    std::io::stdin()
        .read_to_end(&mut sink)
        .expect("reading stdin");
    drop(streams);
    drop(rt);
}
