use super::support::{block_on, spawn};
use crate::sync::watch;

#[test]
fn initial_value_is_seen() {
    let (_tx, mut rx) = watch::channel(1);
    assert!(!rx.has_changed().unwrap());
    assert_eq!(*rx.borrow(), 1);
    assert!(!rx.borrow().has_changed());
    spawn(rx.changed()).pending();
}

#[test]
fn send_marks_changed_until_seen() {
    let (tx, mut rx) = watch::channel(1);
    let mut changed = spawn(async {
        rx.changed().await.unwrap();
        *rx.borrow()
    });
    changed.pending();
    tx.send(2).unwrap();
    assert!(changed.is_woken());
    assert_eq!(changed.ready(), 2);
    drop(changed);
    // `changed` marked it seen.
    assert!(!rx.has_changed().unwrap());
    tx.send(3).unwrap();
    tx.send(4).unwrap();
    assert!(rx.has_changed().unwrap());
    // borrow does not mark seen; borrow_and_update does.
    let r = rx.borrow();
    assert!(r.has_changed());
    assert_eq!(*r, 4);
    drop(r);
    assert!(rx.has_changed().unwrap());
    assert!(rx.borrow_and_update().has_changed());
    assert!(!rx.has_changed().unwrap());
    assert!(!rx.borrow_and_update().has_changed());
}

#[test]
fn send_without_receivers_fails_but_replace_does_not() {
    let (tx, rx) = watch::channel(0);
    drop(rx);
    assert!(tx.is_closed());
    assert_eq!(tx.send(1).unwrap_err().0, 1);
    assert_eq!(*tx.borrow(), 0);
    assert_eq!(tx.send_replace(2), 0);
    let rx = tx.subscribe();
    assert_eq!(*rx.borrow(), 2);
    assert!(!rx.has_changed().unwrap());
    assert_eq!(tx.receiver_count(), 1);
}

#[test]
fn send_modify_and_if_modified() {
    let (tx, mut rx) = watch::channel(vec![1]);
    let mut changed = spawn(rx.changed());
    changed.pending();
    assert!(!tx.send_if_modified(|v| {
        v.push(9);
        false
    }));
    assert!(!changed.is_woken());
    changed.pending();
    tx.send_modify(|v| v.push(2));
    assert!(changed.is_woken());
    changed.ready().unwrap();
    drop(changed);
    assert_eq!(*rx.borrow(), [1, 9, 2]);
}

#[test]
fn mark_changed_and_unchanged() {
    let (tx, mut rx) = watch::channel(());
    rx.mark_changed();
    assert!(rx.has_changed().unwrap());
    block_on(rx.changed()).unwrap();
    assert!(!rx.has_changed().unwrap());
    tx.send(()).unwrap();
    rx.mark_unchanged();
    assert!(!rx.has_changed().unwrap());
}

#[test]
fn sender_drop_closes_after_unseen_value() {
    let (tx, mut rx) = watch::channel(1);
    tx.send(2).unwrap();
    drop(tx);
    assert!(rx.is_closed());
    assert!(rx.has_changed().is_err());
    // The unseen value is still reported once.
    assert!(block_on(rx.changed()).is_ok());
    assert!(block_on(rx.changed()).is_err());
    assert_eq!(*rx.borrow(), 2);
}

#[test]
fn sender_drop_wakes_waiting_receiver() {
    let (tx, mut rx) = watch::channel(1);
    let mut changed = spawn(rx.changed());
    changed.pending();
    drop(tx);
    assert!(changed.is_woken());
    assert!(changed.ready().is_err());
}

#[test]
fn wait_for_condition() {
    let (tx, mut rx) = watch::channel(0);
    assert_eq!(*block_on(rx.wait_for(|v| *v == 0)).unwrap(), 0);
    let mut w = spawn(async {
        let r = rx.wait_for(|v| *v >= 3).await.unwrap();
        (*r, r.has_changed())
    });
    w.pending();
    tx.send(1).unwrap();
    w.pending();
    tx.send(3).unwrap();
    // As tokio: the wait already marked the value seen, so the returned
    // `Ref` reports no change.
    assert_eq!(w.ready(), (3, false));
    drop(w);
    drop(tx);
    assert!(block_on(rx.wait_for(|v| *v == 10)).is_err());
    // Still satisfied by the final value: Ok even though closed.
    assert!(block_on(rx.wait_for(|v| *v == 3)).is_ok());
}

#[test]
fn sender_closed_and_counts() {
    let (tx, rx) = watch::channel(());
    let rx2 = rx.clone();
    let tx2 = tx.clone();
    assert_eq!(tx.receiver_count(), 2);
    assert_eq!(tx.sender_count(), 2);
    assert!(tx.same_channel(&tx2));
    assert!(rx.same_channel(&rx2));
    let mut closed = spawn(tx.closed());
    closed.pending();
    drop(rx);
    assert!(!closed.is_woken());
    closed.pending();
    drop(rx2);
    assert!(closed.is_woken());
    closed.ready();
    drop(tx2);
}

#[test]
fn nested_borrows_on_one_thread() {
    let (tx, rx) = watch::channel(5);
    let rx2 = rx.clone();
    let a = rx.borrow();
    let b = rx2.borrow();
    let c = tx.borrow();
    assert_eq!(*a + *b + *c, 15);
}

#[test]
fn values_across_threads_are_monotonic() {
    const N: usize = 2000;
    let (tx, mut rx) = watch::channel(0usize);
    let t = std::thread::spawn(move || {
        for i in 1..=N {
            tx.send(i).unwrap();
        }
    });
    block_on(async {
        let mut last = 0;
        loop {
            let v = *rx.borrow_and_update();
            assert!(v >= last);
            last = v;
            if v == N {
                break;
            }
            if rx.changed().await.is_err() {
                assert_eq!(*rx.borrow(), N);
                break;
            }
        }
    });
    t.join().unwrap();
}
