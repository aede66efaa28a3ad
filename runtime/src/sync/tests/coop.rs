//! The cooperative budget: operations that complete at once spend it.

use super::support::{spawn, with_budget};
use crate::sync::{Notify, Semaphore, oneshot};

#[test]
fn ready_oneshots_spend_budget() {
    let rxs: Vec<_> = (0..=crate::coop::INITIAL as usize)
        .map(|i| {
            let (tx, rx) = oneshot::channel();
            tx.send(i).unwrap();
            spawn(rx)
        })
        .collect();
    with_budget(|| {
        let mut rxs = rxs;
        let last = rxs.len() - 1;
        for rx in &mut rxs[..last] {
            assert!(rx.poll().is_ready());
        }
        // Budget gone: ready, but yields and wakes itself.
        assert!(rxs[last].poll().is_pending());
        assert!(rxs[last].is_woken());
    });
}

#[test]
fn ready_acquires_spend_budget_and_pending_ones_do_not() {
    let sem = Semaphore::new(crate::coop::INITIAL as usize);
    let empty = Semaphore::new(0);
    let notify = Notify::new();
    with_budget(|| {
        // Pending operations refund their unit.
        for _ in 0..200 {
            spawn(empty.acquire()).pending();
        }
        let mut permits = Vec::new();
        for _ in 0..crate::coop::INITIAL {
            permits.push(spawn(sem.acquire()).ready().unwrap());
        }
        sem.add_permits(1);
        let mut last = spawn(sem.acquire());
        last.pending();
        assert!(last.is_woken());
        // Notify does not use the budget (as tokio).
        notify.notify_one();
        spawn(notify.notified()).ready();
    });
}

#[test]
fn mpsc_recv_spends_budget() {
    let n = crate::coop::INITIAL as usize;
    let (tx, mut rx) = crate::sync::mpsc::channel(n + 1);
    for i in 0..=n {
        tx.try_send(i).unwrap();
    }
    with_budget(|| {
        for i in 0..n {
            assert_eq!(spawn(rx.recv()).ready(), Some(i));
        }
        let mut last = spawn(rx.recv());
        last.pending();
        assert!(last.is_woken());
    });
    // Nothing was lost by the yield.
    assert_eq!(rx.try_recv(), Ok(n));
}

#[test]
fn broadcast_and_watch_spend_budget() {
    let n = crate::coop::INITIAL as usize;
    let (tx, mut rx) = crate::sync::broadcast::channel(n + 1);
    for i in 0..=n {
        tx.send(i).unwrap();
    }
    let (wtx, mut wrx) = crate::sync::watch::channel(0);
    with_budget(|| {
        for i in 0..n {
            assert_eq!(spawn(rx.recv()).ready(), Ok(i));
        }
        let mut last = spawn(rx.recv());
        last.pending();
        assert!(last.is_woken());
        drop(last);
        wtx.send(1).unwrap();
        let mut changed = spawn(wrx.changed());
        changed.pending();
        assert!(changed.is_woken());
    });
    assert_eq!(rx.try_recv(), Ok(n));
    // The yield did not mark the value seen.
    assert!(wrx.has_changed().unwrap());
}
