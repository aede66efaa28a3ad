use super::support::{block_on, spawn};
use crate::loom::sync::Mutex;
use crate::sync::{Semaphore, TryAcquireError};
use std::sync::Arc;

#[test]
fn acquire_and_release() {
    let sem = Semaphore::new(2);
    let a = block_on(sem.acquire()).unwrap();
    assert_eq!(sem.available_permits(), 1);
    let b = sem.try_acquire().unwrap();
    assert_eq!(sem.available_permits(), 0);
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
    drop(a);
    assert_eq!(sem.available_permits(), 1);
    drop(b);
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn waiter_is_woken_by_release() {
    let sem = Semaphore::new(1);
    let p = sem.try_acquire().unwrap();
    let mut w = spawn(sem.acquire());
    w.pending();
    drop(p);
    assert!(w.is_woken());
    let p2 = w.ready().unwrap();
    assert_eq!(p2.num_permits(), 1);
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn fifo_large_request_blocks_later_small_ones() {
    let sem = Semaphore::new(1);
    let p = sem.try_acquire().unwrap();
    let mut big = spawn(sem.acquire_many(2));
    let mut small = spawn(sem.acquire());
    big.pending();
    small.pending();
    drop(p);
    // The released permit went to the head (partially): nothing available,
    // and the small request behind it still waits.
    assert_eq!(sem.available_permits(), 0);
    assert!(!big.is_woken());
    assert!(!small.is_woken());
    small.pending();
    // try_acquire cannot jump the queue either.
    assert!(sem.try_acquire().is_err());
    sem.add_permits(1);
    assert!(big.is_woken());
    let big_permit = big.ready().unwrap();
    small.pending();
    drop(big_permit);
    assert!(small.is_woken());
    let _s = small.ready().unwrap();
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn cancelled_waiter_returns_partial_permits() {
    let sem = Semaphore::new(1);
    let p = sem.try_acquire().unwrap();
    let mut big = spawn(sem.acquire_many(3));
    let mut small = spawn(sem.acquire());
    big.pending();
    small.pending();
    drop(p);
    assert_eq!(sem.available_permits(), 0);
    drop(big);
    // The permit assigned to `big` goes to the next waiter.
    assert!(small.is_woken());
    let s = small.ready().unwrap();
    drop(s);
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn granted_but_dropped_waiter_passes_permit_on() {
    let sem = Semaphore::new(1);
    let p = sem.try_acquire().unwrap();
    let mut a = spawn(sem.acquire());
    let mut b = spawn(sem.acquire());
    a.pending();
    b.pending();
    drop(p);
    assert!(a.is_woken());
    assert!(!b.is_woken());
    drop(a);
    assert!(b.is_woken());
    let _pb = b.ready().unwrap();
    assert_eq!(sem.available_permits(), 0);
}

#[test]
fn close_fails_waiters_and_later_acquires() {
    let sem = Semaphore::new(1);
    let p = sem.try_acquire().unwrap();
    let mut w = spawn(sem.acquire());
    w.pending();
    sem.close();
    assert!(sem.is_closed());
    assert!(w.is_woken());
    assert!(w.ready().is_err());
    drop(p);
    // Permits exist but the semaphore is closed.
    assert_eq!(sem.available_permits(), 1);
    assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::Closed);
    assert!(block_on(sem.acquire()).is_err());
}

#[test]
fn close_returns_partial_permits() {
    let sem = Semaphore::new(1);
    let mut w = spawn(sem.acquire_many(3));
    w.pending();
    assert_eq!(sem.available_permits(), 0);
    sem.close();
    assert!(w.ready().is_err());
    assert_eq!(sem.available_permits(), 1);
}

#[test]
fn forget_merge_split() {
    let sem = Semaphore::new(5);
    let p = sem.try_acquire().unwrap();
    p.forget();
    assert_eq!(sem.available_permits(), 4);
    let mut a = sem.try_acquire_many(2).unwrap();
    let b = sem.try_acquire().unwrap();
    a.merge(b);
    assert_eq!(a.num_permits(), 3);
    assert_eq!(sem.available_permits(), 1);
    let c = a.split(2).unwrap();
    assert!(a.split(2).is_none());
    assert_eq!(c.num_permits(), 2);
    drop(c);
    assert_eq!(sem.available_permits(), 3);
    drop(a);
    assert_eq!(sem.available_permits(), 4);
    assert_eq!(sem.forget_permits(10), 4);
    assert_eq!(sem.available_permits(), 0);
}

#[test]
#[should_panic(expected = "merging permits from different semaphore instances")]
fn merge_different_semaphores_panics() {
    let s1 = Semaphore::new(1);
    let s2 = Semaphore::new(1);
    let mut a = s1.try_acquire().unwrap();
    a.merge(s2.try_acquire().unwrap());
}

#[test]
#[should_panic]
fn add_permits_overflow_panics() {
    let sem = Semaphore::new(Semaphore::MAX_PERMITS);
    sem.add_permits(1);
}

#[test]
#[should_panic]
fn new_over_max_panics() {
    let _ = Semaphore::new(Semaphore::MAX_PERMITS + 1);
}

#[test]
fn zero_permits_acquire_is_immediate() {
    let sem = Semaphore::new(0);
    let p = block_on(sem.acquire_many(0)).unwrap();
    assert_eq!(p.num_permits(), 0);
}

#[test]
fn owned_permits() {
    let sem = Arc::new(Semaphore::new(2));
    let a = block_on(sem.clone().acquire_owned()).unwrap();
    let mut b = sem.clone().try_acquire_many_owned(1).unwrap();
    assert!(Arc::ptr_eq(a.semaphore(), &sem));
    assert!(sem.clone().try_acquire_owned().is_err());
    b.merge(a);
    assert_eq!(b.num_permits(), 2);
    let mut w = spawn(sem.clone().acquire_many_owned(2));
    w.pending();
    drop(b);
    assert!(w.is_woken());
    assert_eq!(w.ready().unwrap().num_permits(), 2);
    assert_eq!(sem.available_permits(), 2);
}

#[test]
fn const_new_in_static() {
    static SEM: Semaphore = Semaphore::const_new(3);
    let p = SEM.try_acquire_many(3).unwrap();
    assert_eq!(SEM.available_permits(), 0);
    drop(p);
    assert_eq!(SEM.available_permits(), 3);
}

#[test]
fn never_exceeds_permits_under_contention() {
    const PERMITS: usize = 3;
    const THREADS: usize = 6;
    const ROUNDS: usize = 300;
    let sem = Arc::new(Semaphore::new(PERMITS));
    // (held now, most ever held, acquisitions done)
    let stats = Arc::new(Mutex::new((0usize, 0usize, 0usize)));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let (sem, stats) = (sem.clone(), stats.clone());
            std::thread::spawn(move || {
                block_on(async {
                    for r in 0..ROUNDS {
                        let n = if (i + r) % 4 == 0 { 2 } else { 1 };
                        let permit = sem.acquire_many(n as u32).await.unwrap();
                        {
                            let mut s = stats.lock();
                            s.0 += n;
                            s.1 = s.1.max(s.0);
                            assert!(s.0 <= PERMITS, "{} permits held at once", s.0);
                        }
                        std::thread::yield_now();
                        {
                            let mut s = stats.lock();
                            s.0 -= n;
                            s.2 += 1;
                        }
                        drop(permit);
                    }
                })
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let s = *stats.lock();
    assert_eq!(s.2, THREADS * ROUNDS);
    assert!(s.1 <= PERMITS);
    assert_eq!(sem.available_permits(), PERMITS);
}

#[test]
fn blocking_acquire_from_threads() {
    let sem = Arc::new(Semaphore::new(1));
    let held = sem.blocking_acquire().unwrap();
    let s2 = sem.clone();
    let t = std::thread::spawn(move || {
        let p = s2.clone().blocking_acquire_many_owned(1).unwrap();
        drop(p);
        s2.blocking_acquire_many(1).unwrap().forget();
    });
    std::thread::sleep(std::time::Duration::from_millis(5));
    drop(held);
    t.join().unwrap();
    assert_eq!(sem.available_permits(), 0);
    sem.add_permits(1);
    drop(sem.clone().blocking_acquire_owned().unwrap());
    assert_eq!(sem.available_permits(), 1);
}
