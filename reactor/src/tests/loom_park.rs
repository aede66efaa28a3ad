//! The condvar parker at the bottom of the driver stack (`park.rs`).

use crate::loom::thread;
use crate::park::ParkThread;
use std::time::Duration;

/// Park vs unpark: an unpark from another thread, landing before the park,
/// between its fast path and the lock, between the state CAS and the wait,
/// or during the wait, always makes the untimed park return (a lost
/// notification leaves main blocked: a loom deadlock). Done twice, so the
/// second round starts from whatever state the first left.
#[test]
fn loom_reactor_park_vs_unpark() {
    loom::model(|| {
        let (mut park, unpark) = ParkThread::new();
        let t = thread::spawn(move || {
            unpark.unpark();
            unpark.unpark();
        });
        park.park(None);
        t.join().unwrap();
        // Both unparks may have collapsed into one notification: consume
        // whatever is left without blocking.
        park.park(Some(Duration::ZERO));
    });
}

/// A timed park racing an unpark: the park times out (under loom, at a
/// point of the model's choosing; see the shim's `wait_timeout`) or is
/// notified, and an unpark may land as it gives up PARKED. Whatever the
/// order, the state must stay consistent (every transition panics on an
/// unexpected state) and the parker must keep working: a further unpark
/// from another thread wakes an untimed park.
#[test]
fn loom_reactor_timed_park_vs_unpark() {
    loom::model(|| {
        let (mut park, unpark) = ParkThread::new();
        let again = unpark.clone();
        let t = thread::spawn(move || unpark.unpark());
        park.park(Some(Duration::from_millis(1)));
        t.join().unwrap();
        let t = thread::spawn(move || again.unpark());
        park.park(None);
        t.join().unwrap();
    });
}
