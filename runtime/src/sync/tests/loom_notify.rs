//! loom models of Notify.

use crate::loom::sync::Arc;
use crate::sync::Notify;
use crate::sync::blocking::block_on;
use loom::thread;
use std::future::Future;
use std::task::Poll;

#[test]
fn notify_one_wakes_waiter() {
    loom::model(|| {
        let notify = Arc::new(Notify::new());
        let n2 = notify.clone();
        let t = thread::spawn(move || n2.notify_one());
        block_on(notify.notified());
        t.join().unwrap();
    });
}

#[test]
fn notify_waiters_reaches_notified_created_before() {
    loom::model(|| {
        let notify = Arc::new(Notify::new());
        let notified = notify.notified();
        let n2 = notify.clone();
        let t = thread::spawn(move || n2.notify_waiters());
        block_on(notified);
        t.join().unwrap();
    });
}

#[test]
fn cancelled_waiter_never_swallows_notify_one() {
    loom::model(|| {
        let notify = Arc::new(Notify::new());
        let n1 = notify.clone();
        // A waiter that registers, then is dropped (cancelled).
        let canceller = thread::spawn(move || {
            let mut fut = Box::pin(n1.notified());
            let got_it = block_on(std::future::poll_fn(|cx| {
                Poll::Ready(fut.as_mut().poll(cx).is_ready())
            }));
            drop(fut);
            if got_it {
                // It did receive the notification; hand it on by hand so
                // that the model's count of notifications stays one.
                n1.notify_one();
            }
        });
        let n2 = notify.clone();
        let notifier = thread::spawn(move || n2.notify_one());
        // A waiter dropped after being notified passes it on: whatever
        // the interleaving, the one notification reaches us.
        block_on(notify.notified());
        canceller.join().unwrap();
        notifier.join().unwrap();
    });
}

#[test]
fn ping_pong() {
    loom::model(|| {
        let ping = Arc::new(Notify::new());
        let pong = Arc::new(Notify::new());
        let (ping2, pong2) = (ping.clone(), pong.clone());
        let t = thread::spawn(move || {
            block_on(ping2.notified());
            pong2.notify_one();
        });
        ping.notify_one();
        block_on(pong.notified());
        t.join().unwrap();
    });
}
