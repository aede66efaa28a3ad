//! A steal racing with the owner's pop, through `queue.rs`.
//!
//! Under loom the deque is `queue.rs`'s `Mutex<VecDeque>` model, so this
//! checks our facade (a thief takes about half, returns one and moves the
//! rest into its own queue) and what the scheduler relies on: every task
//! is taken exactly once, none is lost or duplicated, whatever the
//! interleaving of pops, steals and the thief's own pops.

use super::super::queue::{self, Local};
use crate::loom::sync::Arc;
use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use crate::loom::thread;

/// Items are bit flags; `taken` accumulates them (a duplicate take would
/// set a bit twice, which the sum check below catches).
fn take(taken: &AtomicUsize, sum: &AtomicUsize, item: usize) {
    taken.fetch_or(item, SeqCst);
    sum.fetch_add(item, SeqCst);
}

#[test]
fn loom_queue_steal_vs_pop() {
    loom::model(|| {
        let (owner, steal) = queue::local::<usize>();
        for i in 0..4 {
            owner.push_back(1 << i);
        }
        let taken = Arc::new(AtomicUsize::new(0));
        let sum = Arc::new(AtomicUsize::new(0));

        let thief = {
            let (taken, sum) = (taken.clone(), sum.clone());
            thread::spawn(move || {
                let (mine, _mine_steal): (Local<usize>, _) = queue::local();
                if let Some(first) = steal.steal_into(&mine) {
                    take(&taken, &sum, first);
                }
                while let Some(item) = mine.pop() {
                    take(&taken, &sum, item);
                }
            })
        };

        // The owner pops twice while the thief steals, then drains.
        for _ in 0..2 {
            if let Some(item) = owner.pop() {
                take(&taken, &sum, item);
            }
        }
        thief.join().unwrap();
        while let Some(item) = owner.pop() {
            take(&taken, &sum, item);
        }
        assert_eq!(taken.load(SeqCst), 0b1111, "a task was lost");
        assert_eq!(sum.load(SeqCst), 0b1111, "a task was taken twice");
        assert!(!owner.has_tasks());
    });
}
