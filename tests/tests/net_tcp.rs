//! TCP through the public API: echo under load, bulk transfer, split
//! halves across tasks, error cases, accept resilience.

use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpListener, TcpStream};
use std::io;
use std::net::SocketAddr;

async fn echo_server() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    magpie::spawn(async move {
        loop {
            let (mut socket, _) = match listener.accept().await {
                Ok(conn) => conn,
                Err(_) => return,
            };
            magpie::spawn(async move {
                let (mut rd, mut wr) = socket.split();
                magpie::io::copy(&mut rd, &mut wr).await.unwrap();
                wr.shutdown().await.unwrap();
            });
        }
    });
    addr
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn echo_100_concurrent_clients() {
    let addr = echo_server().await;
    let clients: Vec<_> = (0..100)
        .map(|i| {
            magpie::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                let msg = format!("message number {i} from a concurrent client");
                stream.write_all(msg.as_bytes()).await.unwrap();
                let mut back = vec![0u8; msg.len()];
                stream.read_exact(&mut back).await.unwrap();
                assert_eq!(back, msg.as_bytes());
                i
            })
        })
        .collect();
    let mut done = 0;
    for (i, client) in clients.into_iter().enumerate() {
        assert_eq!(client.await.unwrap(), i);
        done += 1;
    }
    assert_eq!(done, 100);
}

#[magpie::test]
async fn echo_100_concurrent_clients_current_thread() {
    let addr = echo_server().await;
    let clients: Vec<_> = (0..100u32)
        .map(|i| {
            magpie::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                stream.write_all(&i.to_be_bytes()).await.unwrap();
                let mut back = [0u8; 4];
                stream.read_exact(&mut back).await.unwrap();
                u32::from_be_bytes(back)
            })
        })
        .collect();
    for (i, client) in clients.into_iter().enumerate() {
        assert_eq!(client.await.unwrap(), i as u32);
    }
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn transfer_8_mib_intact() {
    const LEN: usize = 8 << 20;
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let writer = magpie::spawn(async move {
        let mut stream = TcpStream::connect(addr).await.unwrap();
        stream.write_all(&pattern(LEN)).await.unwrap();
        stream.shutdown().await.unwrap();
    });
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut got = Vec::with_capacity(LEN);
    stream.read_to_end(&mut got).await.unwrap();
    writer.await.unwrap();
    assert_eq!(got.len(), LEN);
    assert!(got == pattern(LEN), "8 MiB arrived corrupted");
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn split_halves_from_two_tasks() {
    const LEN: usize = 1 << 20;
    let addr = echo_server().await;
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    // Writer and reader run in different tasks at the same time; with a
    // 1 MiB echo neither could finish alone.
    let writer = magpie::spawn(async move {
        wr.write_all(&pattern(LEN)).await.unwrap();
        wr.shutdown().await.unwrap();
        wr
    });
    let reader = magpie::spawn(async move {
        let mut got = Vec::new();
        rd.read_to_end(&mut got).await.unwrap();
        (rd, got)
    });
    let wr = writer.await.unwrap();
    let (rd, got) = reader.await.unwrap();
    assert!(got == pattern(LEN));
    let stream = rd.reunite(wr).unwrap();
    assert_eq!(stream.local_addr().unwrap().ip(), addr.ip());
}

#[magpie::test]
async fn reunite_rejects_halves_of_different_streams() {
    let addr = echo_server().await;
    let a = TcpStream::connect(addr).await.unwrap();
    let b = TcpStream::connect(addr).await.unwrap();
    let (ra, _wa) = a.into_split();
    let (_rb, wb) = b.into_split();
    assert!(ra.reunite(wb).is_err());
}

#[magpie::test]
async fn connect_to_closed_port_is_an_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = TcpStream::connect(("127.0.0.1", port)).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
    let addrs = [SocketAddr::from(([127, 0, 0, 1], port)); 2];
    let err = TcpStream::connect(&addrs[..]).await.unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionRefused);
}

#[magpie::test]
async fn address_shapes() {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let port = addr.port();
    let _a = TcpStream::connect(addr).await.unwrap();
    let _b = TcpStream::connect(format!("127.0.0.1:{port}"))
        .await
        .unwrap();
    let _c = TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let _d = TcpStream::connect((std::net::Ipv4Addr::LOCALHOST, port))
        .await
        .unwrap();
    let _e = TcpStream::connect(&format!("127.0.0.1:{port}")[..])
        .await
        .unwrap();
    let _f = TcpStream::connect(("localhost", port)).await;
    for _ in 0..5 {
        listener.accept().await.unwrap();
    }
}

#[magpie::test]
async fn peer_close_gives_zero_byte_read() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let mut client = TcpStream::connect(addr).await.unwrap();
    let (mut server, peer) = listener.accept().await.unwrap();
    assert_eq!(peer, client.local_addr().unwrap());
    assert_eq!(server.peer_addr().unwrap(), client.local_addr().unwrap());
    server.write_all(b"bye").await.unwrap();
    drop(server);
    let mut buf = [0u8; 16];
    let n = client.read(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"bye");
    assert_eq!(client.read(&mut buf).await.unwrap(), 0);
    assert_eq!(client.read(&mut buf).await.unwrap(), 0);
}

#[magpie::test]
async fn readiness_and_try_io() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let client = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    let (server, _) = listener.accept().await.unwrap();
    client.set_nodelay(true).unwrap();
    assert!(client.nodelay().unwrap());
    client.set_ttl(33).unwrap();
    assert_eq!(client.ttl().unwrap(), 33);

    let mut buf = [0u8; 32];
    assert_eq!(
        server.try_read(&mut buf).unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );
    client.writable().await.unwrap();
    assert_eq!(client.try_write(b"hello").unwrap(), 5);
    let mut got = Vec::new();
    while got.len() < 5 {
        server.readable().await.unwrap();
        match server.try_read(&mut buf) {
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => continue,
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(got, b"hello");
    let ready = client
        .ready(magpie::io::Interest::READABLE | magpie::io::Interest::WRITABLE)
        .await
        .unwrap();
    assert!(ready.is_writable());
}

#[magpie::test]
async fn std_conversions_round_trip() {
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    std_listener.set_nonblocking(true).unwrap();
    let listener = TcpListener::from_std(std_listener).unwrap();
    let addr = listener.local_addr().unwrap();
    let client = TcpStream::connect(addr).await.unwrap();
    let (server, _) = listener.accept().await.unwrap();
    let std_client = client.into_std().unwrap();
    std_client.set_nonblocking(true).unwrap();
    let mut client = TcpStream::from_std(std_client).unwrap();
    client.write_all(b"after round trip").await.unwrap();
    client.shutdown().await.unwrap();
    let mut server = server;
    let mut s = String::new();
    server.read_to_string(&mut s).await.unwrap();
    assert_eq!(s, "after round trip");
    let listener = listener.into_std().unwrap();
    assert_eq!(listener.local_addr().unwrap(), addr);
}

const EMFILE_CHILD: &str = "MAGPIE_NET_TCP_EMFILE_CHILD";

/// Re-runs `accept_survives_emfile` in a child process (so that the file
/// descriptor limit it lowers does not disturb the other tests).
#[test]
fn accept_survives_emfile() {
    if std::env::var_os(EMFILE_CHILD).is_some() {
        return emfile_child();
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "accept_survives_emfile",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(EMFILE_CHILD, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "child failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("1 passed"), "child ran no test:\n{stdout}");
    assert!(stdout.contains("EMFILE seen, then accepted"), "{stdout}");
}

fn emfile_child() {
    magpie::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            // Connections completed by the kernel, waiting in the backlog.
            let _c1 = std::net::TcpStream::connect(addr).unwrap();
            let _c2 = std::net::TcpStream::connect(addr).unwrap();

            let limit = libc::rlimit {
                rlim_cur: 128,
                rlim_max: 128,
            };
            // SAFETY: `limit` is a valid rlimit for the duration of the call.
            assert_eq!(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) }, 0);
            let mut hog = Vec::new();
            loop {
                match std::fs::File::open("/dev/null") {
                    Ok(f) => hog.push(f),
                    Err(e) if e.raw_os_error() == Some(libc::EMFILE) => break,
                    Err(e) => panic!("unexpected error while exhausting fds: {e}"),
                }
            }
            let err = listener.accept().await.unwrap_err();
            assert_eq!(err.raw_os_error(), Some(libc::EMFILE), "{err}");
            // The listener survives the error: free a few fds and accept.
            hog.truncate(hog.len() - 4);
            let (mut s, _) = listener.accept().await.unwrap();
            s.write_all(b"ok").await.unwrap();
            let (_s2, _) = listener.accept().await.unwrap();
            println!("EMFILE seen, then accepted");
        });
}

#[magpie::test]
async fn tcp_socket_configure_then_listen_and_connect() {
    use magpie::net::TcpSocket;
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_reuseaddr(true).unwrap();
    assert!(socket.reuseaddr().unwrap());
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let listener = socket.listen(64).unwrap();
    let client = TcpSocket::new_v4().unwrap();
    client.set_nodelay(true).unwrap();
    let connect = magpie::spawn(async move { client.connect(addr).await.unwrap() });
    let (mut server, peer) = listener.accept().await.unwrap();
    let mut stream = connect.await.unwrap();
    assert_eq!(peer, stream.local_addr().unwrap());
    assert!(stream.nodelay().unwrap());
    stream.write_all(b"configured").await.unwrap();
    stream.shutdown().await.unwrap();
    let mut got = String::new();
    server.read_to_string(&mut got).await.unwrap();
    assert_eq!(got, "configured");
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn lookup_host_resolves_literals_and_localhost() {
    let addrs: Vec<_> = magpie::net::lookup_host("127.0.0.1:8080")
        .await
        .unwrap()
        .collect();
    assert_eq!(addrs, vec!["127.0.0.1:8080".parse().unwrap()]);
    // A host name goes through the OS resolver on the blocking pool.
    let addrs: Vec<_> = magpie::net::lookup_host(("localhost", 9000))
        .await
        .unwrap()
        .collect();
    assert!(!addrs.is_empty());
    assert!(
        addrs
            .iter()
            .all(|a| a.port() == 9000 && a.ip().is_loopback())
    );
}
