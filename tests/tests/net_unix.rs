//! Unix domain sockets through the public API.

use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{UnixDatagram, UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A fresh socket path, removed again when dropped.
struct TempPath(PathBuf);

impl TempPath {
    fn new(tag: &str) -> TempPath {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!(
            "magpie-net-unix-{}-{tag}-{n}.sock",
            std::process::id()
        ));
        let _ = std::fs::remove_file(&path);
        TempPath(path)
    }
}

impl Drop for TempPath {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[magpie::test]
async fn listener_stream_round_trip() {
    let path = TempPath::new("stream");
    let listener = UnixListener::bind(&path.0).unwrap();
    assert_eq!(
        listener.local_addr().unwrap().as_pathname(),
        Some(path.0.as_path())
    );
    let server = magpie::spawn(async move {
        let (mut stream, addr) = listener.accept().await.unwrap();
        assert!(addr.is_unnamed());
        let mut buf = Vec::new();
        stream.read_to_end(&mut buf).await.unwrap();
        stream.write_all(&buf).await.unwrap();
    });
    let mut client = UnixStream::connect(&path.0).await.unwrap();
    assert_eq!(
        client.peer_addr().unwrap().as_pathname(),
        Some(path.0.as_path())
    );
    client.write_all(b"over a unix socket").await.unwrap();
    client.shutdown().await.unwrap();
    let mut back = String::new();
    client.read_to_string(&mut back).await.unwrap();
    assert_eq!(back, "over a unix socket");
    server.await.unwrap();
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn pair_split_across_tasks() {
    const LEN: usize = 1 << 20;
    let (a, mut b) = UnixStream::pair().unwrap();
    let (mut rd, mut wr) = a.into_split();
    let writer = magpie::spawn(async move {
        wr.write_all(&vec![7u8; LEN]).await.unwrap();
        wr.shutdown().await.unwrap();
    });
    let echo = magpie::spawn(async move {
        let (mut r, mut w) = b.split();
        magpie::io::copy(&mut r, &mut w).await.unwrap()
    });
    let mut got = Vec::new();
    rd.read_to_end(&mut got).await.unwrap();
    writer.await.unwrap();
    assert_eq!(echo.await.unwrap(), LEN as u64);
    assert_eq!(got.len(), LEN);
    assert!(got.iter().all(|&b| b == 7));
}

#[magpie::test]
async fn datagram_round_trips() {
    let (pa, pb) = (TempPath::new("dgram-a"), TempPath::new("dgram-b"));
    let a = UnixDatagram::bind(&pa.0).unwrap();
    let b = UnixDatagram::bind(&pb.0).unwrap();
    a.send_to(b"to b", &pb.0).await.unwrap();
    let mut buf = [0u8; 32];
    let (n, from) = b.recv_from(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"to b");
    assert_eq!(from.as_pathname(), Some(pa.0.as_path()));

    let c = UnixDatagram::unbound().unwrap();
    c.connect(&pb.0).unwrap();
    c.send(b"from unbound").await.unwrap();
    let (n, from) = b.recv_from(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"from unbound");
    assert!(from.is_unnamed());

    let (x, y) = UnixDatagram::pair().unwrap();
    x.send(b"pair").await.unwrap();
    let n = y.recv(&mut buf).await.unwrap();
    assert_eq!(&buf[..n], b"pair");
    assert_eq!(
        y.try_recv(&mut buf).unwrap_err().kind(),
        std::io::ErrorKind::WouldBlock
    );
}
