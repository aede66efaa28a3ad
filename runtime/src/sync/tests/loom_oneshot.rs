//! loom models of the oneshot channel.

use crate::loom::sync::Arc;
use crate::loom::sync::Mutex;
use crate::sync::blocking::block_on;
use crate::sync::oneshot;
use crate::sync::oneshot::error::TryRecvError;
use loom::thread;

#[test]
fn send_recv() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel();
        let t = thread::spawn(move || {
            tx.send(1).unwrap();
        });
        assert_eq!(block_on(rx), Ok(1));
        t.join().unwrap();
    });
}

#[test]
fn sender_drop_wakes_receiver() {
    loom::model(|| {
        let (tx, rx) = oneshot::channel::<i32>();
        let t = thread::spawn(move || drop(tx));
        assert!(block_on(rx).is_err());
        t.join().unwrap();
    });
}

#[test]
fn close_races_send_value_never_lost_nor_duplicated() {
    loom::model(|| {
        let (tx, mut rx) = oneshot::channel();
        let t = thread::spawn(move || tx.send(7).err());
        rx.close();
        let received = match rx.try_recv() {
            Ok(v) => Some(v),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Closed) => None,
        };
        let returned = t.join().unwrap();
        // Exactly one side holds the value.
        assert_eq!(received.is_some() as u8 + returned.is_some() as u8, 1);
        if received.is_none() {
            // The send happened after close, or is still to happen: either
            // way a later try_recv never sees it.
            assert!(rx.try_recv().is_err());
        }
    });
}

#[test]
fn closed_wakes_on_receiver_drop() {
    loom::model(|| {
        let (mut tx, rx) = oneshot::channel::<i32>();
        let t = thread::spawn(move || drop(rx));
        block_on(tx.closed());
        assert!(tx.is_closed());
        t.join().unwrap();
    });
}

#[test]
fn receiver_drop_races_send_drops_value_once() {
    loom::model(|| {
        let value = Arc::new(Mutex::new(()));
        let (tx, rx) = oneshot::channel();
        let v2 = value.clone();
        let t = thread::spawn(move || tx.send(v2).is_ok());
        drop(rx);
        t.join().unwrap();
        // Whether sent or handed back, the clone is gone by now.
        assert_eq!(Arc::strong_count(&value), 1);
    });
}
