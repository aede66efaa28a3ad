//! loom model of the signal delivery protocol (see `registry.rs`): the
//! handler records a signal and writes a byte to the self-pipe; a listener
//! drains the pipe and then takes the recorded signals. Whatever the
//! interleaving, a delivery is either taken by the drain or still recorded
//! with a byte in the pipe (so the pipe stays readable and the next drain
//! takes it): it is never stranded.
//!
//! The pipe is modelled by a byte counter: `write` adds one, a drain reads
//! everything (`swap(0)`).

use crate::loom::sync::Arc;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::signal::registry::Pending;
use loom::thread;

struct Model {
    pending: Pending,
    pipe: AtomicUsize,
    /// Deliveries per signal, as the broadcast would count them.
    delivered: [AtomicUsize; 2],
}

impl Model {
    fn new() -> Arc<Model> {
        Arc::new(Model {
            pending: Pending::new(2),
            pipe: AtomicUsize::new(0),
            delivered: [AtomicUsize::new(0), AtomicUsize::new(0)],
        })
    }

    fn handler(&self, sig: usize) {
        self.pending.record(sig, || {
            self.pipe.fetch_add(1, Ordering::Release);
        });
    }

    fn drain(&self) {
        self.pending.drain_then_take(
            || {
                self.pipe.swap(0, Ordering::Acquire);
            },
            |sig| {
                self.delivered[sig].fetch_add(1, Ordering::Relaxed);
            },
        );
    }

    /// After the threads are done: every recorded, untaken signal has a
    /// wake-up byte behind it; one more drain (what that byte triggers)
    /// delivers it; each signal raised once is delivered exactly once.
    fn check(&self, raised: &[usize]) {
        for &sig in raised {
            if self.pending.is_set(sig) {
                assert!(
                    self.pipe.load(Ordering::Acquire) > 0,
                    "signal {sig} recorded but the pipe is empty: nobody will drain it"
                );
            }
        }
        if self.pipe.load(Ordering::Acquire) > 0 {
            self.drain();
        }
        for &sig in raised {
            assert_eq!(self.delivered[sig].load(Ordering::Relaxed), 1);
            assert!(!self.pending.is_set(sig));
        }
    }
}

#[test]
fn handler_vs_drain_never_strands_a_delivery() {
    loom::model(|| {
        let m = Model::new();
        let h = {
            let m = m.clone();
            thread::spawn(move || m.handler(1))
        };
        let d = {
            let m = m.clone();
            thread::spawn(move || m.drain())
        };
        h.join().unwrap();
        d.join().unwrap();
        m.check(&[1]);
    });
}

#[test]
fn two_signals_two_drainers() {
    loom::model(|| {
        let m = Model::new();
        let handlers: Vec<_> = [0, 1]
            .into_iter()
            .map(|sig| {
                let m = m.clone();
                thread::spawn(move || m.handler(sig))
            })
            .collect();
        // A second drainer on the main thread: two listeners that both saw
        // the pipe readable.
        let d = {
            let m = m.clone();
            thread::spawn(move || m.drain())
        };
        m.drain();
        for h in handlers {
            h.join().unwrap();
        }
        d.join().unwrap();
        m.check(&[0, 1]);
    });
}
