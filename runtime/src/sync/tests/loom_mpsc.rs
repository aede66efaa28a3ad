//! loom models of the mpsc channel: the bounded slot hand-off between a
//! sender waiting for capacity and the receiver freeing it.

use crate::sync::blocking::block_on;
use crate::sync::mpsc;
use loom::thread;
use std::future::Future;
use std::task::Poll;

#[test]
fn sender_waiting_for_capacity_is_woken() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel(1);
        let t = thread::spawn(move || {
            block_on(async {
                tx.send(1).await.unwrap();
                // Full until the receiver takes 1: must be woken then.
                tx.send(2).await.unwrap();
            });
        });
        assert_eq!(block_on(rx.recv()), Some(1));
        assert_eq!(block_on(rx.recv()), Some(2));
        // The sender is dropped when the thread ends: closed.
        assert_eq!(block_on(rx.recv()), None);
        t.join().unwrap();
    });
}

#[test]
fn cancelled_waiting_sender_passes_the_slot_on() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel(1);
        tx.try_send(0).unwrap();
        let tx2 = tx.clone();
        // Waits for a slot once, then gives up.
        let canceller = thread::spawn(move || {
            let mut send = Box::pin(tx2.send(10));
            let sent = block_on(std::future::poll_fn(|cx| {
                Poll::Ready(send.as_mut().poll(cx).is_ready())
            }));
            sent
        });
        let sender = thread::spawn(move || block_on(tx.send(20)).unwrap());
        assert_eq!(block_on(rx.recv()), Some(0));
        let sent10 = canceller.join().unwrap();
        let mut got = vec![block_on(rx.recv()).unwrap()];
        if sent10 {
            got.push(block_on(rx.recv()).unwrap());
        }
        sender.join().unwrap();
        assert_eq!(block_on(rx.recv()), None);
        got.sort();
        assert_eq!(got, if sent10 { vec![10, 20] } else { vec![20] });
    });
}

/// After `close`, the receiver waits for permits already handed out; the
/// permit either sends (`send_it`) or is dropped unused, and either way the
/// receiver must be woken to see the end.
fn close_with_outstanding_permit(send_it: bool) {
    loom::model(move || {
        let (tx, mut rx) = mpsc::channel::<i32>(1);
        let t = thread::spawn(move || {
            if let Ok(permit) = tx.try_reserve() {
                if send_it {
                    permit.send(1);
                } else {
                    drop(permit);
                }
            }
            // Keep the sender alive past the permit: only the permit's
            // return may end the receiver's wait.
            tx
        });
        rx.close();
        let mut got = Vec::new();
        while let Some(v) = block_on(rx.recv()) {
            got.push(v);
        }
        assert!(got.is_empty() || (send_it && got == [1]));
        let tx = t.join().unwrap();
        assert!(tx.is_closed());
    });
}

#[test]
fn close_waits_for_permit_that_sends() {
    close_with_outstanding_permit(true);
}

#[test]
fn close_waits_for_permit_dropped_unused() {
    close_with_outstanding_permit(false);
}

#[test]
fn two_senders_one_slot() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::channel(1);
        let threads: Vec<_> = (0..2)
            .map(|i| {
                let tx = tx.clone();
                thread::spawn(move || block_on(tx.send(i)).unwrap())
            })
            .collect();
        drop(tx);
        let mut got = Vec::new();
        while let Some(v) = block_on(rx.recv()) {
            got.push(v);
        }
        got.sort();
        assert_eq!(got, [0, 1]);
        for t in threads {
            t.join().unwrap();
        }
    });
}

/// The receiver swaps its own buffer with the shared queue while a sender
/// keeps pushing: messages arrive once each, in order.
#[test]
fn receiver_swap_keeps_order() {
    loom::model(|| {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let t = thread::spawn(move || {
            for i in 0..3 {
                tx.send(i).unwrap();
            }
        });
        let mut got = Vec::new();
        while let Some(v) = block_on(rx.recv()) {
            got.push(v);
        }
        assert_eq!(got, [0, 1, 2]);
        t.join().unwrap();
    });
}
