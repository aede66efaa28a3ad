//! hyper 1.x on magpie through `magpie::compat::hyper`: keep-alive
//! requests through `Io` and through `TcpStream`'s own hyper impls, the
//! server's header-read timeout (needs the `Timer`), a server connection
//! dropped mid-request, the multi-thread flavor, an upgraded connection
//! used as a magpie stream.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::rt::{Executor as _, Timer as _};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use magpie::compat::hyper::{Executor, Io, Timer};
use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpListener, TcpStream};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Bound on every wait, so a broken adapter fails instead of hanging.
const LIMIT: Duration = Duration::from_secs(10);

/// Answers `GET /path` with `path=/path` (and `POST` with the body's
/// length), so every response tells which request it answers.
async fn handler(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = req.uri().path().to_string();
    let body = req.into_body().collect().await.unwrap().to_bytes();
    let text = if body.is_empty() {
        format!("path={path}")
    } else {
        format!("path={path} len={}", body.len())
    };
    Ok(Response::new(Full::new(Bytes::from(text))))
}

fn server_builder() -> http1::Builder {
    let mut b = http1::Builder::new();
    b.timer(Timer::new())
        .header_read_timeout(Duration::from_secs(5))
        .keep_alive(true);
    b
}

/// Serves `handler` on 127.0.0.1:0, one task per connection; returns the
/// address and the number of connections accepted so far. `direct`: hyper
/// gets the `TcpStream` itself (its own `hyper::rt` impls), else the
/// stream wrapped in the generic `Io`.
async fn start_server(direct: bool) -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    magpie::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            magpie::spawn(async move {
                let b = server_builder();
                let _ = if direct {
                    b.serve_connection(stream, service_fn(handler)).await
                } else {
                    let io = Io::new(stream).with_write_vectored(true);
                    b.serve_connection(io, service_fn(handler)).await
                };
            });
        }
    });
    (addr, accepted)
}

type Sender = hyper::client::conn::http1::SendRequest<Full<Bytes>>;

/// A client connection whose driver future is spawned with `Executor`.
async fn connect(addr: SocketAddr) -> Sender {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (sender, conn) = hyper::client::conn::http1::handshake(Io::new(stream))
        .await
        .unwrap();
    Executor::new().execute(async move {
        let _ = conn.await;
    });
    sender
}

async fn get(sender: &mut Sender, path: &str, body: &'static [u8]) -> (StatusCode, String) {
    sender.ready().await.unwrap();
    let method = if body.is_empty() { "GET" } else { "POST" };
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", "localhost")
        .body(Full::new(Bytes::from_static(body)))
        .unwrap();
    let res = sender.send_request(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(body.to_vec()).unwrap())
}

#[magpie::test]
async fn keep_alive_requests_on_one_connection() {
    magpie::time::timeout(LIMIT, async {
        let (addr, accepted) = start_server(false).await;
        let mut sender = connect(addr).await;
        for i in 0..5 {
            let (status, body) = get(&mut sender, &format!("/req/{i}"), b"").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, format!("path=/req/{i}"));
        }
        // A body bigger than hyper's first 8 KiB read buffer.
        static BIG: [u8; 100_000] = [b'x'; 100_000];
        let (status, body) = get(&mut sender, "/upload", &BIG).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, "path=/upload len=100000");
        assert_eq!(
            accepted.load(Ordering::SeqCst),
            1,
            "one keep-alive connection"
        );
    })
    .await
    .expect("timed out");
}

#[magpie::test]
async fn header_read_timeout_closes_a_silent_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = magpie::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut b = http1::Builder::new();
        b.timer(Timer::new())
            .header_read_timeout(Duration::from_millis(100));
        b.serve_connection(Io::new(stream), service_fn(handler))
            .await
    });
    let mut client = TcpStream::connect(addr).await.unwrap();
    // Half a request head, then silence.
    client.write_all(b"GET / HTTP/1.1\r\nHo").await.unwrap();
    let err = magpie::time::timeout(LIMIT, server)
        .await
        .expect("the header timeout did not fire")
        .unwrap()
        .expect_err("a silent client must time out");
    assert!(err.is_timeout(), "unexpected error: {err}");
    // The server dropped the connection: the client reads to EOF.
    let mut rest = Vec::new();
    magpie::time::timeout(LIMIT, client.read_to_end(&mut rest))
        .await
        .expect("no EOF")
        .unwrap();
}

#[magpie::test]
async fn dropping_a_server_connection_closes_it() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (started_tx, started_rx) = magpie::sync::oneshot::channel();
    let server = magpie::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let conn = server_builder().serve_connection(
            Io::new(stream),
            service_fn(move |req: Request<Incoming>| async move {
                // Never answers: the connection is busy with this request
                // (and its header timer is armed) when it is dropped.
                let _ = req;
                std::future::pending::<()>().await;
                Ok::<_, Infallible>(Response::new(Full::new(Bytes::new())))
            }),
        );
        started_tx.send(()).unwrap();
        conn.await
    });
    let mut client = TcpStream::connect(addr).await.unwrap();
    client
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    started_rx.await.unwrap();
    // Give the connection time to read the request and call the service.
    magpie::time::sleep(Duration::from_millis(50)).await;
    server.abort();
    let err = server.await.expect_err("aborted");
    assert!(err.is_cancelled());
    // Dropping the connection future dropped the socket: EOF, no response.
    let mut rest = Vec::new();
    magpie::time::timeout(LIMIT, client.read_to_end(&mut rest))
        .await
        .expect("no EOF")
        .unwrap();
    assert!(rest.is_empty(), "got {:?}", String::from_utf8_lossy(&rest));
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_thread_concurrent_keep_alive_clients() {
    magpie::time::timeout(LIMIT, async {
        let (addr, accepted) = start_server(true).await;
        let clients: Vec<_> = (0..4)
            .map(|c| {
                magpie::spawn(async move {
                    let mut sender = connect(addr).await;
                    for i in 0..20 {
                        let (status, body) = get(&mut sender, &format!("/{c}/{i}"), b"").await;
                        assert_eq!(status, StatusCode::OK);
                        assert_eq!(body, format!("path=/{c}/{i}"));
                    }
                })
            })
            .collect();
        for c in clients {
            c.await.unwrap();
        }
        assert_eq!(accepted.load(Ordering::SeqCst), 4);
    })
    .await
    .expect("timed out");
}

#[magpie::test]
async fn timer_reset_moves_the_deadline() {
    let timer = Timer::new();
    let start = magpie::time::Instant::now();
    let mut sleep = timer.sleep(Duration::from_secs(3600));
    timer.reset(&mut sleep, timer.now() + Duration::from_millis(20));
    magpie::time::timeout(LIMIT, sleep)
        .await
        .expect("reset did not move the deadline");
    assert!(start.elapsed() >= Duration::from_millis(20));
    // `sleep_until` with a past deadline completes at once.
    timer.sleep_until(timer.now()).await;
}

/// After an HTTP upgrade, hyper's `Upgraded` (hyper's I/O traits) wrapped
/// in `Io` is a magpie stream on both sides: an echo over it.
#[magpie::test]
async fn upgraded_connection_is_a_magpie_stream() {
    magpie::time::timeout(LIMIT, async {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        magpie::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let service = service_fn(|mut req: Request<Incoming>| async move {
                magpie::spawn(async move {
                    let upgraded = hyper::upgrade::on(&mut req).await.unwrap();
                    let mut io = Io::new(upgraded);
                    let mut buf = [0u8; 64];
                    loop {
                        let n = io.read(&mut buf).await.unwrap();
                        if n == 0 {
                            break;
                        }
                        io.write_all(&buf[..n]).await.unwrap();
                    }
                    io.close().await.unwrap();
                });
                let mut res = Response::new(Full::new(Bytes::new()));
                *res.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
                res.headers_mut().insert("upgrade", "echo".parse().unwrap());
                res.headers_mut()
                    .insert("connection", "upgrade".parse().unwrap());
                Ok::<_, Infallible>(res)
            });
            server_builder()
                .serve_connection(Io::new(stream), service)
                .with_upgrades()
                .await
                .unwrap();
        });

        let stream = TcpStream::connect(addr).await.unwrap();
        let (mut sender, conn) = hyper::client::conn::http1::handshake(Io::new(stream))
            .await
            .unwrap();
        magpie::spawn(conn.with_upgrades());
        let req = Request::get("/")
            .header("host", "localhost")
            .header("upgrade", "echo")
            .header("connection", "upgrade")
            .body(Full::new(Bytes::new()))
            .unwrap();
        let res = sender.send_request(req).await.unwrap();
        assert_eq!(res.status(), StatusCode::SWITCHING_PROTOCOLS);
        let mut io = Io::new(hyper::upgrade::on(res).await.unwrap());
        for msg in ["ping", "a somewhat longer message"] {
            io.write_all(msg.as_bytes()).await.unwrap();
            let mut back = vec![0u8; msg.len()];
            io.read_exact(&mut back).await.unwrap();
            assert_eq!(back, msg.as_bytes());
        }
        io.close().await.unwrap();
        let mut rest = Vec::new();
        io.read_to_end(&mut rest).await.unwrap();
        assert!(rest.is_empty());
    })
    .await
    .expect("timed out");
}

/// Both ends of a `UnixStream` pair given to hyper as they are (their own
/// `hyper::rt` impls, no `Io`), on the multi-thread runtime.
#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn unix_stream_pair_without_io_wrapper() {
    magpie::time::timeout(LIMIT, async {
        let (server_end, client_end) = magpie::net::UnixStream::pair().unwrap();
        let server =
            magpie::spawn(server_builder().serve_connection(server_end, service_fn(handler)));
        let (mut sender, conn) =
            hyper::client::conn::http1::handshake::<_, Full<Bytes>>(client_end)
                .await
                .unwrap();
        let client_conn = magpie::spawn(conn);
        for i in 0..3 {
            let (status, body) = get(&mut sender, &format!("/unix/{i}"), b"").await;
            assert_eq!(status, StatusCode::OK);
            assert_eq!(body, format!("path=/unix/{i}"));
        }
        // Closing the client ends both connection futures cleanly.
        drop(sender);
        client_conn.await.unwrap().unwrap();
        server.await.unwrap().unwrap();
    })
    .await
    .expect("timed out");
}
