//! hyper 1.x on magpie through `magpie::compat::hyper`: keep-alive
//! requests, the server's header-read timeout (needs the `Timer`), a
//! server connection dropped mid-request, the multi-thread flavor.

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
/// address and the number of connections accepted so far.
async fn start_server() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    magpie::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            magpie::spawn(async move {
                let io = Io::new(stream).with_write_vectored(true);
                let _ = server_builder()
                    .serve_connection(io, service_fn(handler))
                    .await;
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
        let (addr, accepted) = start_server().await;
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
        let (addr, accepted) = start_server().await;
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
