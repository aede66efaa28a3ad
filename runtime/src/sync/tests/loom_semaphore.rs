//! loom models of the fair semaphore (under Mutex, RwLock and mpsc).

use crate::loom::sync::Arc;
use crate::loom::sync::atomic::{AtomicUsize, Ordering};
use crate::sync::blocking::block_on;
use crate::sync::{Mutex, Semaphore};
use loom::thread;
use std::future::Future;
use std::task::Poll;

#[test]
fn mutex_is_exclusive() {
    loom::model(|| {
        let m = Arc::new(Mutex::new(0usize));
        let inside = Arc::new(AtomicUsize::new(0));
        let threads: Vec<_> = (0..2)
            .map(|_| {
                let (m, inside) = (m.clone(), inside.clone());
                thread::spawn(move || {
                    let mut g = block_on(m.lock());
                    assert_eq!(inside.fetch_add(1, Ordering::SeqCst), 0);
                    *g += 1;
                    inside.fetch_sub(1, Ordering::SeqCst);
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*m.try_lock().unwrap(), 2);
    });
}

#[test]
fn cancelled_acquire_passes_permits_on() {
    loom::model(|| {
        // `acquire_owned` takes a std `Arc`, as in tokio.
        let sem = std::sync::Arc::new(Semaphore::new(1));
        let held = sem.clone().try_acquire_owned().unwrap();
        let s1 = sem.clone();
        // Queues for two permits (gets one, partially, when `held` goes),
        // then gives up.
        let canceller = thread::spawn(move || {
            let mut acq = Box::pin(s1.acquire_many(2));
            let _ = block_on(std::future::poll_fn(|cx| {
                Poll::Ready(acq.as_mut().poll(cx).is_ready())
            }));
        });
        let s2 = sem.clone();
        let waiter = thread::spawn(move || {
            let p = block_on(s2.acquire()).unwrap();
            drop(p);
        });
        drop(held);
        canceller.join().unwrap();
        waiter.join().unwrap();
        assert_eq!(sem.available_permits(), 1);
    });
}

#[test]
fn granted_acquire_dropped_unobserved_gives_permits_back() {
    loom::model(|| {
        let sem = std::sync::Arc::new(Semaphore::new(1));
        let held = sem.clone().try_acquire_owned().unwrap();
        let s1 = sem.clone();
        // Polls once (queueing, unless the permit is back already), then
        // drops the future without looking again: granted meanwhile or
        // not, lock-free or under the lock, the permit must come back.
        let dropper = thread::spawn(move || {
            let mut acq = Box::pin(s1.acquire());
            let _ = block_on(std::future::poll_fn(|cx| {
                Poll::Ready(acq.as_mut().poll(cx).is_ready())
            }));
        });
        drop(held);
        dropper.join().unwrap();
        assert_eq!(sem.available_permits(), 1);
    });
}

#[test]
fn rwlock_writer_excludes_reader() {
    loom::model(|| {
        let lock = Arc::new(crate::sync::RwLock::new(0usize));
        let l2 = lock.clone();
        let writer = thread::spawn(move || {
            let mut w = block_on(l2.write());
            *w += 1;
            *w += 1;
        });
        // A reader sees the value before or after the write, never half.
        let v = *block_on(lock.read());
        assert!(v == 0 || v == 2);
        writer.join().unwrap();
        assert_eq!(*lock.try_read().unwrap(), 2);
    });
}

/// A lock-free `release` racing with a waiter that is queueing under the
/// lock (the CAS to `0 | WAITERS` in `Acquire::poll`): the permit must
/// reach the waiter, whichever goes first.
#[test]
fn release_races_with_queueing() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let s = sem.clone();
        let releaser = thread::spawn(move || s.add_permits(1));
        let p = block_on(sem.acquire()).unwrap();
        drop(p);
        releaser.join().unwrap();
        assert_eq!(sem.available_permits(), 1);
    });
}

/// Two lock-free releases of one permit each against a request for two
/// that queues with whatever it found: it must get both, and nothing is
/// left over or lost.
#[test]
fn partial_acquire_with_racing_releases() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let releasers: Vec<_> = (0..2)
            .map(|_| {
                let s = sem.clone();
                thread::spawn(move || s.add_permits(1))
            })
            .collect();
        let p = block_on(sem.acquire_many(2)).unwrap();
        assert_eq!(sem.available_permits(), 0);
        drop(p);
        for t in releasers {
            t.join().unwrap();
        }
        assert_eq!(sem.available_permits(), 2);
    });
}

/// `close` against a release and a queued waiter: the waiter fails or
/// succeeds, and every permit ends up counted.
#[test]
fn close_races_with_release_and_waiter() {
    loom::model(|| {
        let sem = Arc::new(Semaphore::new(0));
        let (s1, s2) = (sem.clone(), sem.clone());
        let waiter = thread::spawn(move || block_on(s1.acquire()).map(|p| p.forget()).is_ok());
        let releaser = thread::spawn(move || s2.add_permits(1));
        sem.close();
        let got = waiter.join().unwrap();
        releaser.join().unwrap();
        assert!(sem.is_closed());
        assert_eq!(sem.available_permits(), if got { 0 } else { 1 });
    });
}
