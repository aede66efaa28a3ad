use super::support::{block_on, spawn};
use crate::sync::Notify;
use std::sync::Arc;

#[test]
fn notify_one_before_notified_completes_at_once() {
    let notify = Notify::new();
    notify.notify_one();
    spawn(notify.notified()).ready();
    // The permit was consumed.
    spawn(notify.notified()).pending();
}

#[test]
fn at_most_one_permit_is_stored() {
    let notify = Notify::new();
    notify.notify_one();
    notify.notify_one();
    notify.notify_one();
    spawn(notify.notified()).ready();
    spawn(notify.notified()).pending();
}

#[test]
fn notify_waiters_stores_nothing() {
    let notify = Notify::new();
    notify.notify_waiters();
    spawn(notify.notified()).pending();
}

#[test]
fn notify_waiters_wakes_all_current_waiters() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    let mut b = spawn(notify.notified());
    a.pending();
    b.pending();
    notify.notify_waiters();
    assert!(a.is_woken() && b.is_woken());
    a.ready();
    b.ready();
    // And nothing was stored for later.
    spawn(notify.notified()).pending();
}

#[test]
fn notify_waiters_reaches_unpolled_notified() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    notify.notify_waiters();
    // Created before the call: ready though never polled.
    a.ready();
    // Created after: waits.
    spawn(notify.notified()).pending();
}

#[test]
fn notify_one_is_fifo() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    let mut b = spawn(notify.notified());
    a.pending();
    b.pending();
    notify.notify_one();
    assert!(a.is_woken());
    assert!(!b.is_woken());
    a.ready();
    b.pending();
    notify.notify_one();
    assert!(b.is_woken());
    b.ready();
}

#[test]
fn notify_last_is_lifo() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    let mut b = spawn(notify.notified());
    a.pending();
    b.pending();
    notify.notify_last();
    assert!(b.is_woken());
    assert!(!a.is_woken());
    b.ready();
    a.pending();
}

#[test]
fn notify_one_goes_to_waiter_not_to_permit() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    a.pending();
    notify.notify_one();
    a.ready();
    // The notification was used by `a`; nothing stored.
    spawn(notify.notified()).pending();
}

#[test]
fn enable_registers_without_waker() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    assert!(!a.pinned().enable());
    notify.notify_one();
    // `a` got it, so there is no stored permit for another.
    spawn(notify.notified()).pending();
    assert!(a.pinned().enable());
    a.ready();
}

#[test]
fn enable_consumes_stored_permit() {
    let notify = Notify::new();
    notify.notify_one();
    let mut a = spawn(notify.notified());
    assert!(a.pinned().enable());
    spawn(notify.notified()).pending();
    a.ready();
}

#[test]
fn dropped_notified_passes_notification_to_next_waiter() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    let mut b = spawn(notify.notified());
    a.pending();
    b.pending();
    notify.notify_one();
    assert!(a.is_woken());
    drop(a);
    assert!(b.is_woken());
    b.ready();
}

#[test]
fn dropped_notified_with_no_other_waiter_stores_permit() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    a.pending();
    notify.notify_one();
    drop(a);
    spawn(notify.notified()).ready();
}

#[test]
fn dropped_notified_after_notify_waiters_passes_nothing() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    a.pending();
    notify.notify_waiters();
    drop(a);
    spawn(notify.notified()).pending();
}

#[test]
fn dropped_unnotified_waiter_loses_nothing() {
    let notify = Notify::new();
    let mut a = spawn(notify.notified());
    let mut b = spawn(notify.notified());
    a.pending();
    b.pending();
    drop(a);
    notify.notify_one();
    assert!(b.is_woken());
    b.ready();
}

#[test]
fn fused_after_ready() {
    let notify = Notify::new();
    notify.notify_one();
    let mut a = spawn(notify.notified());
    a.ready();
    a.ready();
}

#[test]
fn ping_pong_across_threads() {
    const ROUNDS: usize = 500;
    let ping = Arc::new(Notify::new());
    let pong = Arc::new(Notify::new());
    let (ping2, pong2) = (ping.clone(), pong.clone());
    let t = std::thread::spawn(move || {
        block_on(async {
            for _ in 0..ROUNDS {
                ping2.notified().await;
                pong2.notify_one();
            }
        })
    });
    block_on(async {
        for _ in 0..ROUNDS {
            ping.notify_one();
            pong.notified().await;
        }
    });
    t.join().unwrap();
}

#[test]
fn owned_notified_same_semantics() {
    let notify = Arc::new(Notify::new());
    let mut a = spawn(notify.clone().notified_owned());
    let mut b = spawn(notify.clone().notified_owned());
    a.pending();
    b.pending();
    notify.notify_one();
    assert!(a.is_woken());
    // Dropped after being notified: passes it on.
    drop(a);
    assert!(b.is_woken());
    b.ready();
    let mut c = spawn(notify.clone().notified_owned());
    notify.notify_waiters();
    c.ready();
    notify.notify_one();
    let mut d = spawn(notify.clone().notified_owned());
    assert!(d.pinned().enable());
}
