use super::support::{block_on, spawn};
use crate::sync::oneshot;
use crate::sync::oneshot::error::TryRecvError;
use std::sync::Arc;

#[test]
fn send_then_recv() {
    let (tx, rx) = oneshot::channel();
    assert!(!tx.is_closed());
    tx.send(1).unwrap();
    assert_eq!(block_on(rx), Ok(1));
}

#[test]
fn recv_waits_for_send() {
    let (tx, rx) = oneshot::channel();
    let mut rx = spawn(rx);
    rx.pending();
    assert!(!rx.is_woken());
    tx.send("hi").unwrap();
    assert!(rx.is_woken());
    assert_eq!(rx.ready(), Ok("hi"));
}

#[test]
fn sender_dropped_is_error() {
    let (tx, rx) = oneshot::channel::<i32>();
    let mut rx = spawn(rx);
    rx.pending();
    drop(tx);
    assert!(rx.is_woken());
    assert!(rx.ready().is_err());
}

#[test]
fn try_recv_states() {
    let (tx, mut rx) = oneshot::channel();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    tx.send(5).unwrap();
    assert_eq!(rx.try_recv(), Ok(5));
    // Already received: closed.
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));

    let (tx, mut rx) = oneshot::channel::<i32>();
    drop(tx);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn send_after_receiver_dropped_returns_value() {
    let (tx, rx) = oneshot::channel();
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(7), Err(7));
}

#[test]
fn close_rejects_later_send_but_keeps_earlier_value() {
    let (tx, mut rx) = oneshot::channel();
    rx.close();
    assert!(tx.is_closed());
    assert_eq!(tx.send(1), Err(1));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));

    let (tx, mut rx) = oneshot::channel();
    tx.send(2).unwrap();
    rx.close();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn closed_wakes_on_receiver_drop_and_close() {
    let (mut tx, rx) = oneshot::channel::<()>();
    {
        let mut closed = spawn(tx.closed());
        closed.pending();
        drop(rx);
        assert!(closed.is_woken());
        closed.ready();
    }
    assert!(tx.is_closed());

    let (mut tx, mut rx) = oneshot::channel::<()>();
    let mut closed = spawn(async move {
        tx.closed().await;
        tx
    });
    closed.pending();
    rx.close();
    assert!(closed.is_woken());
    let tx = closed.ready();
    assert!(tx.is_closed());
}

#[test]
fn poll_closed_pending_while_open() {
    let (mut tx, rx) = oneshot::channel::<()>();
    let mut p = spawn(std::future::poll_fn(move |cx| tx.poll_closed(cx)));
    p.pending();
    drop(rx);
    assert!(p.is_woken());
    p.ready();
}

#[test]
fn receiver_drop_drops_sent_value() {
    let value = Arc::new(());
    let (tx, rx) = oneshot::channel();
    tx.send(value.clone()).unwrap();
    assert_eq!(Arc::strong_count(&value), 2);
    drop(rx);
    assert_eq!(Arc::strong_count(&value), 1);
}

#[test]
fn dropping_pending_receiver_wakes_closed() {
    let (mut tx, rx) = oneshot::channel::<i32>();
    let mut rx = spawn(rx);
    rx.pending();
    let mut closed = spawn(async move { tx.closed().await });
    closed.pending();
    drop(rx);
    assert!(closed.is_woken());
    closed.ready();
}

#[test]
#[should_panic(expected = "called after complete")]
fn poll_after_complete_panics() {
    let (tx, rx) = oneshot::channel();
    tx.send(1).unwrap();
    let mut rx = spawn(rx);
    assert_eq!(rx.ready(), Ok(1));
    let _ = rx.poll();
}

#[test]
fn blocking_recv_across_threads() {
    let (tx, rx) = oneshot::channel();
    let t = std::thread::spawn(move || rx.blocking_recv());
    std::thread::sleep(std::time::Duration::from_millis(5));
    tx.send(9).unwrap();
    assert_eq!(t.join().unwrap(), Ok(9));

    let (tx, rx) = oneshot::channel::<i32>();
    let t = std::thread::spawn(move || rx.blocking_recv());
    drop(tx);
    assert!(t.join().unwrap().is_err());
}

#[test]
fn many_channels_across_threads() {
    const N: usize = 200;
    let (txs, rxs): (Vec<_>, Vec<_>) = (0..N).map(|_| oneshot::channel::<usize>()).unzip();
    let producer = std::thread::spawn(move || {
        for (i, tx) in txs.into_iter().enumerate() {
            if i % 3 == 0 {
                drop(tx);
            } else {
                tx.send(i).unwrap();
            }
        }
    });
    let mut got = 0;
    let mut closed = 0;
    for (i, rx) in rxs.into_iter().enumerate() {
        match block_on(rx) {
            Ok(v) => {
                assert_eq!(v, i);
                got += 1;
            }
            Err(_) => closed += 1,
        }
    }
    producer.join().unwrap();
    assert_eq!(closed, N.div_ceil(3));
    assert_eq!(got + closed, N);
}

#[test]
fn terminated_and_empty() {
    let (tx, rx) = oneshot::channel::<i32>();
    let mut rx = spawn(rx);
    drop(tx);
    // Not terminated until the error is yielded.
    assert!(!rx.pinned().is_terminated());
    assert!(rx.pinned().is_empty());
    assert!(rx.ready().is_err());
    assert!(rx.pinned().is_terminated());

    let (tx, mut rx) = oneshot::channel();
    tx.send(1).unwrap();
    assert!(!rx.is_empty());
    assert!(!rx.is_terminated());
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(rx.is_terminated());
    assert!(rx.is_empty());
}
