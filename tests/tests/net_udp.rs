//! UDP through the public API.

use magpie::net::UdpSocket;
use std::io;
use std::sync::Arc;

#[magpie::test]
async fn send_to_recv_from_round_trip() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let (a_addr, b_addr) = (a.local_addr().unwrap(), b.local_addr().unwrap());
    assert_eq!(a.send_to(b"ping", b_addr).await.unwrap(), 4);
    let mut buf = [0u8; 64];
    let (n, from) = b.peek_from(&mut buf).await.unwrap();
    assert_eq!((&buf[..n], from), (&b"ping"[..], a_addr));
    let (n, from) = b.recv_from(&mut buf).await.unwrap();
    assert_eq!((&buf[..n], from), (&b"ping"[..], a_addr));
    b.send_to(b"pong", &format!("127.0.0.1:{}", a_addr.port()))
        .await
        .unwrap();
    let (n, from) = a.recv_from(&mut buf).await.unwrap();
    assert_eq!((&buf[..n], from), (&b"pong"[..], b_addr));
}

#[magpie::test]
async fn connected_send_recv() {
    let a = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let b = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    a.connect(b.local_addr().unwrap()).await.unwrap();
    b.connect(a.local_addr().unwrap()).await.unwrap();
    assert_eq!(a.peer_addr().unwrap(), b.local_addr().unwrap());
    a.send(b"hello").await.unwrap();
    let mut buf = [0u8; 3];
    // A datagram longer than the buffer is truncated.
    assert_eq!(b.recv(&mut buf).await.unwrap(), 3);
    assert_eq!(&buf, b"hel");
    assert_eq!(
        b.try_recv(&mut buf).unwrap_err().kind(),
        io::ErrorKind::WouldBlock
    );
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn shared_between_a_sender_and_a_receiver_task() {
    const N: u32 = 200;
    let sock = Arc::new(UdpSocket::bind("127.0.0.1:0").await.unwrap());
    let peer = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    let peer_addr = peer.local_addr().unwrap();
    sock.connect(peer_addr).await.unwrap();
    peer.connect(sock.local_addr().unwrap()).await.unwrap();
    // The peer bounces every datagram back.
    let bouncer = magpie::spawn(async move {
        let mut buf = [0u8; 4];
        for _ in 0..N {
            let n = peer.recv(&mut buf).await.unwrap();
            peer.send(&buf[..n]).await.unwrap();
        }
    });
    let receiver = {
        let sock = sock.clone();
        magpie::spawn(async move {
            let mut buf = [0u8; 4];
            let mut sum = 0u64;
            for _ in 0..N {
                sock.recv(&mut buf).await.unwrap();
                sum += u64::from(u32::from_be_bytes(buf));
            }
            sum
        })
    };
    for i in 0..N {
        sock.send(&i.to_be_bytes()).await.unwrap();
        // Stay well inside the socket buffers: UDP drops on overflow.
        if i % 16 == 15 {
            magpie::task::yield_now().await;
        }
    }
    bouncer.await.unwrap();
    assert_eq!(receiver.await.unwrap(), u64::from(N * (N - 1) / 2));
}

#[magpie::test]
async fn options_and_readiness() {
    let sock = UdpSocket::bind(("127.0.0.1", 0)).await.unwrap();
    sock.set_broadcast(true).unwrap();
    assert!(sock.broadcast().unwrap());
    sock.set_ttl(17).unwrap();
    assert_eq!(sock.ttl().unwrap(), 17);
    sock.writable().await.unwrap();
    let std = sock.into_std().unwrap();
    let sock = UdpSocket::from_std(std).unwrap();
    let addr = sock.local_addr().unwrap();
    // A fresh registration has no readiness until the reactor reports it.
    sock.writable().await.unwrap();
    sock.try_send_to(b"self", addr).unwrap();
    sock.readable().await.unwrap();
    let mut buf = [0u8; 8];
    let (n, from) = sock.try_recv_from(&mut buf).unwrap();
    assert_eq!((&buf[..n], from), (&b"self"[..], addr));
}

/// A socket whose runtime is gone reports an error instead of hanging.
#[test]
fn socket_outlives_its_runtime() {
    let rt = magpie::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let sock = rt.block_on(UdpSocket::bind("127.0.0.1:0")).unwrap();
    drop(rt);
    let other = magpie::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut buf = [0u8; 8];
    let res = other.block_on(sock.recv_from(&mut buf));
    assert!(res.is_err());
}
