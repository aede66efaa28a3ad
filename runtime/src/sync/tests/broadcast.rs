use super::support::{block_on, spawn};
use crate::sync::broadcast;
use crate::sync::broadcast::error::{RecvError, TryRecvError};
use std::sync::Arc;

#[test]
fn every_receiver_gets_every_value() {
    let (tx, mut rx1) = broadcast::channel(4);
    let mut rx2 = tx.subscribe();
    assert_eq!(tx.send(1).unwrap(), 2);
    tx.send(2).unwrap();
    assert_eq!(rx1.len(), 2);
    assert_eq!(tx.len(), 2);
    assert_eq!(block_on(rx1.recv()), Ok(1));
    assert_eq!(block_on(rx1.recv()), Ok(2));
    // rx2 has not read them yet: still queued.
    assert_eq!(tx.len(), 2);
    assert_eq!(rx2.try_recv(), Ok(1));
    assert_eq!(rx2.try_recv(), Ok(2));
    assert_eq!(tx.len(), 0);
    assert!(tx.is_empty());
    assert_eq!(rx2.try_recv(), Err(TryRecvError::Empty));
}

#[test]
#[should_panic(expected = "broadcast channel capacity cannot be zero")]
fn zero_capacity_panics() {
    let _ = broadcast::channel::<()>(0);
}

#[test]
fn send_without_receivers_fails() {
    let (tx, rx) = broadcast::channel(2);
    drop(rx);
    assert_eq!(tx.send(5).unwrap_err().0, 5);
    let mut rx = tx.subscribe();
    tx.send(6).unwrap();
    assert_eq!(rx.try_recv(), Ok(6));
    let tx2 = broadcast::Sender::<i32>::new(2);
    assert_eq!(tx2.receiver_count(), 0);
    assert!(tx2.send(1).is_err());
}

#[test]
fn subscribers_only_see_later_values() {
    let (tx, mut rx) = broadcast::channel(4);
    tx.send(1).unwrap();
    let mut late = tx.subscribe();
    let mut again = rx.resubscribe();
    tx.send(2).unwrap();
    assert_eq!(late.try_recv(), Ok(2));
    assert_eq!(again.try_recv(), Ok(2));
    assert_eq!(rx.try_recv(), Ok(1));
    assert_eq!(rx.try_recv(), Ok(2));
}

#[test]
fn lagging_receiver_skips_to_oldest() {
    // Capacity 3 rounds up to 4.
    let (tx, mut rx) = broadcast::channel(3);
    for i in 0..7 {
        tx.send(i).unwrap();
    }
    assert_eq!(rx.len(), 7);
    assert_eq!(block_on(rx.recv()), Err(RecvError::Lagged(3)));
    for i in 3..7 {
        assert_eq!(rx.try_recv(), Ok(i));
    }
    tx.send(7).unwrap();
    tx.send(8).unwrap();
    tx.send(9).unwrap();
    tx.send(10).unwrap();
    tx.send(11).unwrap();
    assert_eq!(rx.try_recv(), Err(TryRecvError::Lagged(1)));
    assert_eq!(rx.try_recv(), Ok(8));
}

#[test]
fn closed_after_buffered_values() {
    let (tx, mut rx) = broadcast::channel(2);
    tx.send(1).unwrap();
    assert!(!rx.is_closed());
    drop(tx);
    // Closed (as tokio: no sender left) though a value is still buffered.
    assert!(rx.is_closed());
    assert_eq!(block_on(rx.recv()), Ok(1));
    assert_eq!(block_on(rx.recv()), Err(RecvError::Closed));
    assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
}

#[test]
fn recv_wakes_on_send_and_close() {
    let (tx, mut rx) = broadcast::channel(2);
    let mut r = spawn(async {
        let a = rx.recv().await;
        let b = rx.recv().await;
        (a, b)
    });
    r.pending();
    tx.send(1).unwrap();
    assert!(r.is_woken());
    r.pending();
    drop(tx);
    assert!(r.is_woken());
    assert_eq!(r.ready(), (Ok(1), Err(RecvError::Closed)));
}

#[test]
fn cancelled_recv_loses_nothing() {
    let (tx, mut rx) = broadcast::channel(2);
    spawn(rx.recv()).pending();
    tx.send(1).unwrap();
    assert_eq!(rx.try_recv(), Ok(1));
}

#[test]
fn values_are_dropped_when_all_have_read_or_left() {
    let v = Arc::new(());
    let (tx, mut rx1) = broadcast::channel(4);
    let rx2 = tx.subscribe();
    tx.send(v.clone()).unwrap();
    assert_eq!(Arc::strong_count(&v), 2);
    drop(rx1.try_recv().unwrap());
    assert_eq!(Arc::strong_count(&v), 2);
    drop(rx2);
    assert_eq!(Arc::strong_count(&v), 1);
    assert_eq!(tx.len(), 0);
}

#[test]
fn closed_and_weak_senders() {
    let (tx, rx) = broadcast::channel::<()>(2);
    let weak = tx.downgrade();
    assert_eq!(tx.weak_count(), 1);
    assert_eq!(rx.sender_weak_count(), 1);
    let mut closed = spawn(tx.closed());
    closed.pending();
    drop(rx);
    assert!(closed.is_woken());
    closed.ready();
    drop(closed);
    let tx2 = weak.upgrade().unwrap();
    assert_eq!(tx.strong_count(), 2);
    assert!(tx.same_channel(&tx2));
    drop(tx);
    drop(tx2);
    assert!(weak.upgrade().is_none());
}

#[test]
fn error_display() {
    assert_eq!(RecvError::Lagged(3).to_string(), "channel lagged by 3");
    assert_eq!(TryRecvError::Empty.to_string(), "channel empty");
    assert_eq!(RecvError::Closed.to_string(), "channel closed");
}

#[test]
fn many_receivers_on_threads() {
    const RECEIVERS: usize = 3;
    const N: u64 = 1000;
    let (tx, rx) = broadcast::channel::<u64>(16);
    let rxs: Vec<_> = (0..RECEIVERS).map(|_| rx.resubscribe()).collect();
    drop(rx);
    let threads: Vec<_> = rxs
        .into_iter()
        .map(|mut rx| {
            std::thread::spawn(move || {
                // (received, sum, lagged)
                let mut seen = (0u64, 0u64, 0u64);
                let mut last = None;
                loop {
                    match rx.blocking_recv() {
                        Ok(v) => {
                            assert!(last.is_none_or(|l| v > l), "out of order");
                            last = Some(v);
                            seen.0 += 1;
                            seen.1 += v;
                        }
                        Err(RecvError::Lagged(n)) => seen.2 += n,
                        Err(RecvError::Closed) => return seen,
                    }
                }
            })
        })
        .collect();
    for i in 0..N {
        tx.send(i).unwrap();
    }
    drop(tx);
    for t in threads {
        let (received, _sum, lagged) = t.join().unwrap();
        // Every value was either received or reported as missed.
        assert_eq!(received + lagged, N);
    }
}
