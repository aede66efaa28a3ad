use super::support::{block_on, spawn};
use crate::loom::sync::Mutex;
use crate::sync::Barrier;
use std::sync::Arc;

#[test]
fn zero_or_one_does_not_wait() {
    assert!(block_on(Barrier::new(0).wait()).is_leader());
    assert!(block_on(Barrier::new(1).wait()).is_leader());
}

#[test]
fn last_arrival_leads_and_releases_the_rest() {
    let barrier = Barrier::new(3);
    let mut a = spawn(barrier.wait());
    let mut b = spawn(barrier.wait());
    a.pending();
    b.pending();
    let mut c = spawn(barrier.wait());
    assert!(c.ready().is_leader());
    assert!(a.is_woken() && b.is_woken());
    assert!(!a.ready().is_leader());
    assert!(!b.ready().is_leader());
}

#[test]
fn reusable_across_generations() {
    let barrier = Barrier::new(2);
    for _ in 0..3 {
        let mut a = spawn(barrier.wait());
        a.pending();
        // A waiter of the next generation is not released early.
        assert!(block_on(barrier.wait()).is_leader());
        assert!(!a.ready().is_leader());
        let mut early = spawn(barrier.wait());
        early.pending();
        let mut late = spawn(barrier.wait());
        assert!(late.ready().is_leader());
        assert!(!early.ready().is_leader());
    }
}

#[test]
fn one_leader_per_generation_on_threads() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 100;
    let barrier = Arc::new(Barrier::new(THREADS));
    let leaders = Arc::new(Mutex::new(vec![0usize; ROUNDS]));
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (barrier, leaders) = (barrier.clone(), leaders.clone());
            std::thread::spawn(move || {
                for r in 0..ROUNDS {
                    if block_on(barrier.wait()).is_leader() {
                        leaders.lock()[r] += 1;
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(leaders.lock().iter().all(|&n| n == 1));
}
