//! tokio's `AsyncRead`/`AsyncWrite` on magpie's streams (feature
//! `tokio-io`): tokio-util's `Framed` + `LinesCodec` over TCP, tokio's
//! extension traits on a `UnixStream` and its halves, `tokio::io::copy`,
//! reads into an uninitialised `ReadBuf`.
//!
//! Only tokio's extension traits are imported here (see the
//! `magpie::compat::tokio_io` docs on mixing them with magpie's).

use futures_util::{SinkExt, StreamExt};
use magpie::net::{TcpListener, TcpStream, UnixStream};
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt, ReadBuf};
use tokio_util::codec::{Framed, LinesCodec};

const LIMIT: Duration = Duration::from_secs(10);

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn framed_lines_echo_over_tcp() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = magpie::spawn(async move {
        let (stream, _) = listener.accept().await.unwrap();
        let mut lines = Framed::new(stream, LinesCodec::new());
        let mut n = 0;
        while let Some(line) = lines.next().await {
            lines.send(line.unwrap().to_uppercase()).await.unwrap();
            n += 1;
        }
        n
    });
    magpie::time::timeout(LIMIT, async {
        let stream = TcpStream::connect(addr).await.unwrap();
        let mut lines = Framed::new(stream, LinesCodec::new());
        for i in 0..50 {
            lines.send(format!("line {i}")).await.unwrap();
            let back = lines.next().await.unwrap().unwrap();
            assert_eq!(back, format!("LINE {i}"));
        }
        // Several lines in flight at once, one long one among them.
        let long = "y".repeat(100_000);
        for l in ["a", long.as_str(), "b"] {
            lines.feed(l.to_string()).await.unwrap();
        }
        SinkExt::<String>::flush(&mut lines).await.unwrap();
        assert_eq!(lines.next().await.unwrap().unwrap(), "A");
        assert_eq!(lines.next().await.unwrap().unwrap(), long.to_uppercase());
        assert_eq!(lines.next().await.unwrap().unwrap(), "B");
        // Closing the sink shuts down the write side: the server's stream ends.
        SinkExt::<String>::close(&mut lines).await.unwrap();
        assert_eq!(server.await.unwrap(), 53);
    })
    .await
    .expect("timed out");
}

#[magpie::test]
async fn tokio_ext_traits_on_unix_stream_and_halves() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    a.write_u32(0xdead_beef).await.unwrap();
    a.write_all(b"hello").await.unwrap();
    assert_eq!(b.read_u32().await.unwrap(), 0xdead_beef);
    let mut buf = [0u8; 5];
    b.read_exact(&mut buf).await.unwrap();
    assert_eq!(&buf, b"hello");

    // Borrowed halves.
    {
        let (mut rd, mut wr) = b.split();
        wr.write_all(b"from b").await.unwrap();
        a.write_all(b"to b").await.unwrap();
        let mut got = [0u8; 4];
        rd.read_exact(&mut got).await.unwrap();
        assert_eq!(&got, b"to b");
    }
    let mut got = [0u8; 6];
    a.read_exact(&mut got).await.unwrap();
    assert_eq!(&got, b"from b");

    // Owned halves: `shutdown` ends the peer's reads.
    let (mut rd, mut wr) = b.into_split();
    wr.write_all(b"bye").await.unwrap();
    wr.shutdown().await.unwrap();
    let mut rest = Vec::new();
    a.read_to_end(&mut rest).await.unwrap();
    assert_eq!(rest, b"bye");
    a.write_all(b"still open").await.unwrap();
    drop(a);
    let mut s = String::new();
    rd.read_to_string(&mut s).await.unwrap();
    assert_eq!(s, "still open");
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokio_copy_between_magpie_streams() {
    // 4 MiB of a pattern: many partial reads and writes along the way.
    let data: Vec<u8> = (0..4 << 20).map(|i: u32| (i % 251) as u8).collect();
    let expected = data.clone();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (mut unix_in, mut unix_out) = UnixStream::pair().unwrap();
    let producer = magpie::spawn(async move {
        let mut tcp = TcpStream::connect(addr).await.unwrap();
        tcp.write_all(&data).await.unwrap();
        tcp.shutdown().await.unwrap();
    });
    magpie::time::timeout(LIMIT, async {
        let (mut tcp, _) = listener.accept().await.unwrap();
        let relay = magpie::spawn(async move {
            // TCP borrowed read half -> Unix stream.
            let (mut rd, _wr) = tcp.split();
            let n = tokio::io::copy(&mut rd, &mut unix_in).await.unwrap();
            unix_in.shutdown().await.unwrap();
            n
        });
        let mut out = Vec::new();
        unix_out.read_to_end(&mut out).await.unwrap();
        assert_eq!(relay.await.unwrap(), expected.len() as u64);
        producer.await.unwrap();
        assert!(out == expected, "copied bytes differ");
    })
    .await
    .expect("timed out");
}

#[magpie::test]
async fn read_into_uninitialised_read_buf() {
    let (mut a, mut b) = UnixStream::pair().unwrap();
    a.write_all(b"0123456789").await.unwrap();
    let mut storage = [MaybeUninit::<u8>::uninit(); 64];
    let mut buf = ReadBuf::uninit(&mut storage);
    buf.put_slice(b">>");
    std::future::poll_fn(|cx| Pin::new(&mut b).poll_read(cx, &mut buf))
        .await
        .unwrap();
    assert_eq!(buf.filled(), b">>0123456789");
    // Only the received bytes were initialised; nothing was zeroed.
    assert_eq!(buf.initialized().len(), 12);

    // EOF: Ok with nothing filled.
    drop(a);
    let mut storage = [MaybeUninit::<u8>::uninit(); 8];
    let mut eof = ReadBuf::uninit(&mut storage);
    std::future::poll_fn(|cx| Pin::new(&mut b).poll_read(cx, &mut eof))
        .await
        .unwrap();
    assert!(eof.filled().is_empty());
}
