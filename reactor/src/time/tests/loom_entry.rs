//! loom models of the timer state word (entry.rs): the owner cancelling or
//! resetting an entry while the driver fires it on another thread.
//!
//! Run: `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2
//! CARGO_TARGET_DIR=target/loom cargo test --release -p magpie-reactor --lib loom`

use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
use crate::time::TimerEntry;
use crate::{Config, Driver, Handle};
use std::pin::Pin;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

/// A waker that counts its calls and fails if called once retired.
struct Probe {
    wakes: AtomicUsize,
    retired: AtomicBool,
}

impl Wake for Probe {
    fn wake(self: std::sync::Arc<Self>) {
        self.wake_by_ref();
    }
    fn wake_by_ref(self: &std::sync::Arc<Self>) {
        assert!(
            !self.retired.load(SeqCst),
            "waker called after the timer was cancelled/reset"
        );
        self.wakes.fetch_add(1, SeqCst);
    }
}

fn probe() -> std::sync::Arc<Probe> {
    std::sync::Arc::new(Probe {
        wakes: AtomicUsize::new(0),
        retired: AtomicBool::new(false),
    })
}

fn paused_driver() -> (Driver, Handle) {
    Driver::new(Config {
        enable_io: false,
        enable_time: true,
        start_paused: true,
        max_io_events_per_tick: 0,
    })
    .unwrap()
}

fn poll(entry: Pin<&mut TimerEntry>, waker: &Waker) -> Poll<Result<(), crate::time::Error>> {
    entry.poll_elapsed(&mut Context::from_waker(waker))
}

const MS: Duration = Duration::from_millis(1);

#[test]
fn loom_cancel_races_fire() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let start = handle.clock().now();
        let waker = probe();
        let mut entry = Box::pin(TimerEntry::new(&handle, start + MS));
        assert!(poll(entry.as_mut(), &Waker::from(waker.clone())).is_pending());
        handle.clock().advance(MS).unwrap();

        let driver_thread = {
            let handle = handle.clone();
            loom::thread::spawn(move || driver.park_timeout(&handle, Duration::ZERO))
        };
        drop(entry);
        // From here on the driver must not call the waker.
        waker.retired.store(true, SeqCst);
        driver_thread.join().unwrap();

        assert!(waker.wakes.load(SeqCst) <= 1);
        // Dropped exactly once: only our reference is left.
        assert_eq!(std::sync::Arc::strong_count(&waker), 1);
    });
}

#[test]
fn loom_reset_races_fire() {
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let start = handle.clock().now();
        let first = probe();
        let second = probe();
        let mut entry = Box::pin(TimerEntry::new(&handle, start + MS));
        assert!(poll(entry.as_mut(), &Waker::from(first.clone())).is_pending());
        handle.clock().advance(MS).unwrap();

        let driver_thread = {
            let handle = handle.clone();
            loom::thread::spawn(move || {
                driver.park_timeout(&handle, Duration::ZERO);
                driver
            })
        };
        entry.as_mut().reset(start + 3 * MS);
        assert!(!entry.is_elapsed(), "reset entry still reports elapsed");
        // Either still registered (moved to +3ms) or registered again now.
        assert!(poll(entry.as_mut(), &Waker::from(second.clone())).is_pending());
        // `first` has been replaced: the driver must never call it again.
        first.retired.store(true, SeqCst);
        let mut driver = driver_thread.join().unwrap();
        assert_eq!(std::sync::Arc::strong_count(&first), 1);
        assert_eq!(second.wakes.load(SeqCst), 0);

        handle.clock().advance(2 * MS).unwrap();
        driver.park_timeout(&handle, Duration::ZERO);
        assert_eq!(second.wakes.load(SeqCst), 1);
        assert_eq!(poll(entry.as_mut(), Waker::noop()), Poll::Ready(Ok(())));
        drop(entry);
        assert_eq!(std::sync::Arc::strong_count(&second), 1);
    });
}

#[test]
fn loom_register_wakes_the_parked_driver() {
    // The driver parks with no timer (indefinitely) while the owner
    // registers one on another thread: the registration must unpark it, or
    // loom reports the deadlock.
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let start = handle.clock().now();
        let waker = probe();
        let driver_thread = {
            let handle = handle.clone();
            loom::thread::spawn(move || {
                driver.park(&handle);
                driver
            })
        };
        let mut entry = Box::pin(TimerEntry::new(&handle, start + MS));
        let first = poll(entry.as_mut(), &Waker::from(waker.clone()));
        assert!(first.is_pending());
        let mut driver = driver_thread.join().unwrap();
        // The driver either saw the timer (and auto-advanced onto it) or was
        // woken to look again; one more idle park fires it in any case.
        if waker.wakes.load(SeqCst) == 0 {
            driver.park(&handle);
        }
        assert_eq!(waker.wakes.load(SeqCst), 1);
        assert_eq!(poll(entry.as_mut(), Waker::noop()), Poll::Ready(Ok(())));
    });
}

#[test]
fn loom_repoll_same_waker_races_fire() {
    // A registered entry polled again with the waker already stored skips
    // the lock (entry.rs, `WakerId`). Polls with `a`, then `b`, then `a`
    // again while the driver fires: the last poll is Ready, or `a` is the
    // stored waker and the driver wakes it.
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let start = handle.clock().now();
        let (a, b) = (probe(), probe());
        let (wake_a, wake_b) = (Waker::from(a.clone()), Waker::from(b.clone()));
        let mut entry = Box::pin(TimerEntry::new(&handle, start + MS));
        assert!(poll(entry.as_mut(), &wake_a).is_pending());
        assert!(poll(entry.as_mut(), &wake_b).is_pending());
        handle.clock().advance(MS).unwrap();

        let driver_thread = {
            let handle = handle.clone();
            loom::thread::spawn(move || driver.park_timeout(&handle, Duration::ZERO))
        };
        let last = poll(entry.as_mut(), &wake_a);
        driver_thread.join().unwrap();
        if last.is_pending() {
            assert_eq!(a.wakes.load(SeqCst), 1, "the last poller was not woken");
        }
        assert_eq!(poll(entry.as_mut(), &wake_a), Poll::Ready(Ok(())));
        drop((entry, wake_a, wake_b));
        assert_eq!(std::sync::Arc::strong_count(&a), 1);
        assert_eq!(std::sync::Arc::strong_count(&b), 1);
    });
}

#[test]
fn loom_same_tick_reset_races_fire() {
    // A reset to a deadline of the tick the entry is linked at takes no
    // lock (entry.rs, `registered_tick`). Racing the driver's fire, the
    // entry must still complete exactly once, at that tick.
    loom::model(|| {
        let (mut driver, handle) = paused_driver();
        let start = handle.clock().now();
        let waker = probe();
        let mut entry = Box::pin(TimerEntry::new(&handle, start + MS));
        assert!(poll(entry.as_mut(), &Waker::from(waker.clone())).is_pending());
        handle.clock().advance(MS).unwrap();

        let driver_thread = {
            let handle = handle.clone();
            loom::thread::spawn(move || driver.park_timeout(&handle, Duration::ZERO))
        };
        // Same tick (rounded up to 1 ms).
        entry.as_mut().reset(start + MS / 2);
        driver_thread.join().unwrap();
        assert_eq!(waker.wakes.load(SeqCst), 1);
        assert_eq!(poll(entry.as_mut(), Waker::noop()), Poll::Ready(Ok(())));
        drop(entry);
        assert_eq!(std::sync::Arc::strong_count(&waker), 1);
    });
}
