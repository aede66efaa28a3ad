use super::support::{block_on, spawn};
use crate::sync::mpsc;
use crate::sync::mpsc::error::{TryRecvError, TrySendError};
use std::sync::Arc;

#[test]
fn send_recv_in_order() {
    let (tx, mut rx) = mpsc::channel(4);
    block_on(async {
        for i in 0..4 {
            tx.send(i).await.unwrap();
        }
    });
    assert_eq!(rx.len(), 4);
    for i in 0..4 {
        assert_eq!(block_on(rx.recv()), Some(i));
    }
    assert!(rx.is_empty());
}

#[test]
#[should_panic(expected = "mpsc bounded channel requires buffer > 0")]
fn zero_capacity_panics() {
    let _ = mpsc::channel::<()>(0);
}

#[test]
fn bounded_sender_waits_when_full() {
    let (tx, mut rx) = mpsc::channel(2);
    assert_eq!(tx.max_capacity(), 2);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    assert_eq!(tx.capacity(), 0);
    assert!(matches!(tx.try_send(3), Err(TrySendError::Full(3))));
    let mut send = spawn(tx.send(3));
    send.pending();
    assert_eq!(rx.try_recv(), Ok(1));
    assert!(send.is_woken());
    send.ready().unwrap();
    assert_eq!(tx.capacity(), 0);
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(3));
    assert_eq!(tx.capacity(), 2);
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
}

#[test]
fn waiting_senders_are_served_in_order() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(0).unwrap();
    let mut a = spawn(tx.send(1));
    let mut b = spawn(tx.send(2));
    a.pending();
    b.pending();
    assert_eq!(rx.try_recv(), Ok(0));
    assert!(a.is_woken() && !b.is_woken());
    b.pending();
    a.ready().unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
    b.ready().unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn cancelled_sender_hands_slot_to_next() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(0).unwrap();
    let mut a = spawn(tx.send(1));
    let mut b = spawn(tx.send(2));
    a.pending();
    b.pending();
    assert_eq!(rx.try_recv(), Ok(0));
    // `a` was given the slot but is dropped before using it.
    assert!(a.is_woken());
    drop(a);
    assert!(b.is_woken());
    b.ready().unwrap();
    assert_eq!(rx.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    assert_eq!(tx.capacity(), 1);
}

#[test]
fn cancelled_recv_loses_nothing() {
    let (tx, mut rx) = mpsc::channel(2);
    {
        let mut r = spawn(rx.recv());
        r.pending();
    }
    tx.try_send(5).unwrap();
    let mut r = spawn(rx.recv());
    assert_eq!(r.ready(), Some(5));
}

#[test]
fn recv_wakes_on_send() {
    let (tx, mut rx) = mpsc::channel(2);
    let mut r = spawn(rx.recv());
    r.pending();
    tx.try_send(1).unwrap();
    assert!(r.is_woken());
    assert_eq!(r.ready(), Some(1));
}

#[test]
fn dropping_every_sender_closes() {
    let (tx, mut rx) = mpsc::channel(4);
    let tx2 = tx.clone();
    assert_eq!(tx.strong_count(), 2);
    tx.try_send(1).unwrap();
    drop(tx);
    assert!(!rx.is_closed());
    let mut r = spawn(async {
        let first = rx.recv().await;
        let second = rx.recv().await;
        (first, second)
    });
    r.pending();
    drop(tx2);
    assert!(r.is_woken());
    assert_eq!(r.ready(), (Some(1), None));
    drop(r);
    assert!(rx.is_closed());
    assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
}

#[test]
fn close_then_drain() {
    let (tx, mut rx) = mpsc::channel(4);
    tx.try_send(1).unwrap();
    tx.try_send(2).unwrap();
    rx.close();
    assert!(rx.is_closed());
    assert!(tx.is_closed());
    assert!(matches!(tx.try_send(3), Err(TrySendError::Closed(3))));
    assert!(block_on(tx.send(3)).is_err());
    assert_eq!(block_on(rx.recv()), Some(1));
    assert_eq!(block_on(rx.recv()), Some(2));
    assert_eq!(block_on(rx.recv()), None);
}

#[test]
fn close_fails_waiting_senders() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.try_send(1).unwrap();
    let mut s = spawn(tx.send(2));
    s.pending();
    rx.close();
    assert!(s.is_woken());
    assert_eq!(s.ready().unwrap_err().0, 2);
    assert_eq!(block_on(rx.recv()), Some(1));
    assert_eq!(block_on(rx.recv()), None);
}

#[test]
fn outstanding_permit_can_send_after_close() {
    let (tx, mut rx) = mpsc::channel(2);
    let permit = tx.try_reserve().unwrap();
    let unused = tx.try_reserve().unwrap();
    assert_eq!(tx.capacity(), 0);
    rx.close();
    let mut r = spawn(rx.recv());
    r.pending();
    permit.send(7);
    assert!(r.is_woken());
    assert_eq!(r.ready(), Some(7));
    drop(r);
    let mut r = spawn(rx.recv());
    // Still one permit out: recv waits for it.
    r.pending();
    drop(unused);
    assert!(r.is_woken());
    assert_eq!(r.ready(), None);
    drop(r);
    drop(tx);
}

#[test]
fn reserve_and_owned_permits() {
    let (tx, mut rx) = mpsc::channel(1);
    let permit = block_on(tx.reserve()).unwrap();
    assert!(tx.try_reserve().is_err());
    permit.send(1);
    assert_eq!(rx.try_recv(), Ok(1));

    let permit = block_on(tx.clone().reserve_owned()).unwrap();
    assert!(permit.same_channel_as_sender(&tx));
    let tx2 = permit.send(2);
    assert!(tx2.same_channel(&tx));
    assert_eq!(rx.try_recv(), Ok(2));
    let permit = tx2.try_reserve_owned().unwrap();
    assert_eq!(tx.capacity(), 0);
    let tx2 = permit.release();
    assert_eq!(tx.capacity(), 1);
    let _held = tx.try_reserve().unwrap();
    assert!(matches!(
        tx2.try_reserve_owned(),
        Err(TrySendError::Full(_))
    ));
}

#[test]
fn reserve_many() {
    let (tx, mut rx) = mpsc::channel(3);
    assert!(block_on(tx.reserve_many(4)).is_err());
    let mut permits = block_on(tx.reserve_many(2)).unwrap();
    assert_eq!(permits.len(), 2);
    assert_eq!(tx.capacity(), 1);
    permits.next().unwrap().send('a');
    drop(permits);
    assert_eq!(tx.capacity(), 2);
    assert!(tx.try_reserve_many(3).is_err());
    assert_eq!(rx.try_recv(), Ok('a'));
    assert_eq!(tx.try_reserve_many(3).unwrap().len(), 3);
}

#[test]
fn receiver_drop_drops_messages_and_fails_senders() {
    let value = Arc::new(());
    let (tx, rx) = mpsc::channel(2);
    tx.try_send(value.clone()).unwrap();
    tx.try_send(value.clone()).unwrap();
    let mut s = spawn(tx.send(value.clone()));
    s.pending();
    assert_eq!(Arc::strong_count(&value), 4);
    drop(rx);
    assert!(s.is_woken());
    assert!(s.ready().is_err());
    assert_eq!(Arc::strong_count(&value), 1);
    assert!(tx.is_closed());
}

#[test]
fn sender_closed_completes_on_receiver_drop_or_close() {
    let (tx, rx) = mpsc::channel::<()>(1);
    let mut c = spawn(tx.closed());
    c.pending();
    drop(rx);
    assert!(c.is_woken());
    c.ready();

    let (tx, mut rx) = mpsc::unbounded_channel::<()>();
    let mut c = spawn(tx.closed());
    c.pending();
    rx.close();
    assert!(c.is_woken());
    c.ready();
}

#[test]
fn weak_senders() {
    let (tx, mut rx) = mpsc::channel::<i32>(2);
    let weak = tx.downgrade();
    assert_eq!(tx.weak_count(), 1);
    assert_eq!(rx.sender_weak_count(), 1);
    let tx2 = weak.upgrade().unwrap();
    assert_eq!(rx.sender_strong_count(), 2);
    drop(tx);
    drop(tx2);
    assert!(weak.upgrade().is_none());
    assert_eq!(block_on(rx.recv()), None);
    let weak2 = weak.clone();
    assert_eq!(weak2.weak_count(), 2);
}

#[test]
fn recv_many_limits_and_close() {
    let (tx, mut rx) = mpsc::channel(8);
    for i in 0..5 {
        tx.try_send(i).unwrap();
    }
    let mut buf = Vec::new();
    assert_eq!(block_on(rx.recv_many(&mut buf, 0)), 0);
    assert_eq!(block_on(rx.recv_many(&mut buf, 3)), 3);
    assert_eq!(buf, [0, 1, 2]);
    assert_eq!(tx.capacity(), 6);
    assert_eq!(block_on(rx.recv_many(&mut buf, 10)), 2);
    assert_eq!(buf, [0, 1, 2, 3, 4]);
    drop(tx);
    assert_eq!(block_on(rx.recv_many(&mut buf, 10)), 0);
}

#[test]
fn unbounded_basics() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    for i in 0..100 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.len(), 100);
    for i in 0..100 {
        assert_eq!(rx.try_recv(), Ok(i));
    }
    assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    let weak = tx.downgrade();
    tx.send(100).unwrap();
    rx.close();
    assert!(tx.is_closed());
    assert_eq!(tx.send(101).unwrap_err().0, 101);
    assert_eq!(block_on(rx.recv()), Some(100));
    assert_eq!(block_on(rx.recv()), None);
    assert!(weak.upgrade().is_some());
    drop(tx);
    assert!(weak.upgrade().is_none());
}

#[test]
fn unbounded_recv_wakes_and_closes_on_sender_drop() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut r = spawn(async {
        let mut got = Vec::new();
        while let Some(v) = rx.recv().await {
            got.push(v);
        }
        got
    });
    r.pending();
    tx.send(1).unwrap();
    assert!(r.is_woken());
    r.pending();
    drop(tx);
    assert!(r.is_woken());
    assert_eq!(r.ready(), [1]);
}

#[test]
fn error_display() {
    let (tx, rx) = mpsc::channel::<i32>(1);
    tx.try_send(1).unwrap();
    let full = tx.try_send(2).unwrap_err();
    assert_eq!(full.to_string(), "no available capacity");
    // As tokio: the Debug output is the quoted string.
    assert_eq!(format!("{full:?}"), "\"Full(..)\"");
    drop(rx);
    let closed = tx.try_send(3).unwrap_err();
    assert_eq!(closed.to_string(), "channel closed");
    assert_eq!(closed.into_inner(), 3);
    assert_eq!(
        TryRecvError::Empty.to_string(),
        "receiving on an empty channel"
    );
}

#[test]
fn many_producers_threads_counts_and_order() {
    const PRODUCERS: usize = 4;
    const PER: usize = 1000;
    let (tx, mut rx) = mpsc::channel::<(usize, usize)>(8);
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|p| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for i in 0..PER {
                    if i % 2 == 0 {
                        tx.blocking_send((p, i)).unwrap();
                    } else {
                        block_on(tx.send((p, i))).unwrap();
                    }
                }
            })
        })
        .collect();
    drop(tx);
    let mut next = [0usize; PRODUCERS];
    let mut total = 0;
    while let Some((p, i)) = rx.blocking_recv() {
        // Each producer's messages arrive in the order it sent them.
        assert_eq!(i, next[p]);
        next[p] += 1;
        total += 1;
    }
    for t in producers {
        t.join().unwrap();
    }
    assert_eq!(total, PRODUCERS * PER);
    assert!(next.iter().all(|&n| n == PER));
}

#[test]
fn unbounded_producers_threads() {
    const PRODUCERS: usize = 3;
    const PER: usize = 2000;
    let (tx, mut rx) = mpsc::unbounded_channel::<usize>();
    let producers: Vec<_> = (0..PRODUCERS)
        .map(|_| {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for i in 0..PER {
                    tx.send(i).unwrap();
                }
            })
        })
        .collect();
    drop(tx);
    let sum = block_on(async {
        let mut sum = 0;
        let mut buf = Vec::new();
        while rx.recv_many(&mut buf, 64).await > 0 {
            sum += buf.drain(..).sum::<usize>();
        }
        sum
    });
    for t in producers {
        t.join().unwrap();
    }
    assert_eq!(sum, PRODUCERS * PER * (PER - 1) / 2);
}
