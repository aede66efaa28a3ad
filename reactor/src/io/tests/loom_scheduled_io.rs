//! loom models of the readiness word and the waker slots
//! (see the protocol in `scheduled_io.rs`).
//!
//! Each model is a reader that loops "wait for readiness, try the
//! operation, on WouldBlock clear the readiness" against a driver thread
//! that makes data available and then delivers one edge. A lost event or a
//! lost wake-up leaves the reader blocked forever, which loom reports as a
//! deadlock.

use crate::io::interest::Interest;
use crate::io::ready::Ready;
use crate::io::scheduled_io::ScheduledIo;
use crate::loom::sync::Arc;
use crate::loom::sync::atomic::AtomicBool;
use crate::loom::sync::atomic::Ordering::SeqCst;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::{Context, Poll, Wake, Waker};

/// Wakes by notifying the loom `Notify` its `block_on` waits on (not by
/// unparking the thread: a late wake would then disturb a later `join`).
struct Unpark(loom::sync::Notify);

impl Wake for Unpark {
    fn wake(self: std::sync::Arc<Self>) {
        self.0.notify();
    }
}

/// A minimal `block_on`: a lost wake-up blocks this thread forever, which
/// loom reports as a deadlock.
fn block_on<F: Future>(fut: F) -> F::Output {
    let unpark = std::sync::Arc::new(Unpark(loom::sync::Notify::new()));
    let waker = Waker::from(unpark.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
        unpark.0.wait();
    }
}

/// The reader's side: returns when it "read" the data, or Err on shutdown.
fn read_until_data(io: &ScheduledIo, data: &AtomicBool) -> Result<(), ()> {
    block_on(poll_fn(|cx| {
        loop {
            let event = match io.poll_readiness(cx, Interest::READABLE) {
                Poll::Ready(Ok(ev)) => ev,
                Poll::Ready(Err(_)) => return Poll::Ready(Err(())),
                Poll::Pending => return Poll::Pending,
            };
            // The "read": succeeds only if data was made available.
            if data.swap(false, SeqCst) {
                return Poll::Ready(Ok(()));
            }
            // WouldBlock.
            io.clear_readiness(event);
        }
    }))
}

fn deliver(io: &ScheduledIo, ready: Ready) {
    let mut wake = Vec::new();
    io.set_readiness(ready, &mut wake);
    wake.into_iter().for_each(|w| w.wake());
}

/// A spurious readiness is being cleared while a real edge arrives: the
/// clear must not swallow the edge, and the reader must be woken.
#[test]
fn event_racing_clear_is_not_lost() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let data = Arc::new(AtomicBool::new(false));
        // A stale readiness (no data behind it) is set before the race.
        deliver(&io, Ready::READABLE);

        let driver = {
            let io = io.clone();
            let data = data.clone();
            loom::thread::spawn(move || {
                // An RMW, not a plain store: loom 0.7 lets a later RMW in
                // another thread miss a plain store that happens-before it.
                data.swap(true, SeqCst);
                deliver(&io, Ready::READABLE);
            })
        };
        read_until_data(&io, &data).unwrap();
        driver.join().unwrap();
    });
}

/// A reader registering its waker races with the edge (no stale readiness
/// beforehand) and with a writer waiting in the other slot.
#[test]
fn waker_registration_racing_event_is_woken() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let data = Arc::new(AtomicBool::new(false));

        let driver = {
            let io = io.clone();
            let data = data.clone();
            loom::thread::spawn(move || {
                // An RMW, not a plain store: loom 0.7 lets a later RMW in
                // another thread miss a plain store that happens-before it.
                data.swap(true, SeqCst);
                deliver(&io, Ready::READABLE | Ready::WRITABLE);
            })
        };
        let writer = {
            let io = io.clone();
            loom::thread::spawn(move || {
                block_on(poll_fn(|cx| {
                    io.poll_readiness(cx, Interest::WRITABLE)
                        .map(|r| r.unwrap())
                }))
            })
        };
        read_until_data(&io, &data).unwrap();
        assert!(writer.join().unwrap().ready().is_writable());
        driver.join().unwrap();
    });
}

/// Shutdown racing with a waiter: the waiter gets an error, never hangs.
#[test]
fn shutdown_wakes_waiter_with_error() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let data = Arc::new(AtomicBool::new(false));
        let driver = {
            let io = io.clone();
            loom::thread::spawn(move || {
                let mut wake = Vec::new();
                io.shutdown(&mut wake);
                wake.into_iter().for_each(|w| w.wake());
            })
        };
        assert!(read_until_data(&io, &data).is_err());
        driver.join().unwrap();
    });
}

/// Two tasks wait in the same direction while a final (read-closed) event
/// arrives: both are woken, neither is forgotten.
#[test]
fn two_readers_are_both_woken() {
    loom::model(|| {
        let io = Arc::new(ScheduledIo::new());
        let readers: Vec<_> = (0..2)
            .map(|_| {
                let io = io.clone();
                loom::thread::spawn(move || {
                    block_on(poll_fn(|cx| {
                        io.poll_readiness(cx, Interest::READABLE)
                            .map(|r| r.unwrap())
                    }))
                })
            })
            .collect();
        deliver(&io, Ready::READ_CLOSED);
        for reader in readers {
            assert!(reader.join().unwrap().ready().is_read_closed());
        }
    });
}
