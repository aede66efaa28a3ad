//! loom models of the broadcast and watch channels' wake-ups.

use crate::sync::blocking::block_on;
use crate::sync::broadcast::error::RecvError;
use crate::sync::{broadcast, watch};
use loom::thread;

#[test]
fn broadcast_recv_sees_send_then_close() {
    loom::model(|| {
        let (tx, mut rx) = broadcast::channel(2);
        let t = thread::spawn(move || {
            tx.send(1).unwrap();
        });
        assert_eq!(block_on(rx.recv()), Ok(1));
        assert_eq!(block_on(rx.recv()), Err(RecvError::Closed));
        t.join().unwrap();
    });
}

#[test]
fn watch_changed_sees_last_value() {
    loom::model(|| {
        let (tx, mut rx) = watch::channel(0);
        let t = thread::spawn(move || {
            tx.send(1).unwrap();
            tx.send(2).unwrap();
        });
        // Whatever we observe in between, we end on the last value, then
        // the close.
        while block_on(rx.changed()).is_ok() {}
        assert_eq!(*rx.borrow(), 2);
        t.join().unwrap();
    });
}
