//! Uncontended operations do not allocate (beyond a channel's own buffer,
//! grown once). Counts allocations made by the current thread with a
//! counting global allocator (test binary only).

use crate::sync::{Mutex, Notify, RwLock, Semaphore, mpsc, oneshot};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

struct Counting;

crate::loom::thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    let _ = ALLOCS.try_with(|c| c.set(c.get() + 1));
}

// SAFETY: every method forwards to `System` with the caller's arguments
// unchanged, so `System`'s guarantees are ours; counting touches only a
// const-initialized thread-local `Cell`, which never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        // SAFETY: forwarded contract (see the impl's comment).
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded contract.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        // SAFETY: forwarded contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by this thread while running `f`.
fn allocs_during(f: impl FnOnce()) -> usize {
    let before = ALLOCS.with(Cell::get);
    f();
    ALLOCS.with(Cell::get) - before
}

/// Polls once with a no-op waker and expects `Ready`.
fn now<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    match fut.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("expected the operation to complete at once"),
    }
}

#[test]
fn allocator_counts() {
    // Guards the tests below against a counter that never moves.
    assert!(allocs_during(|| drop(Box::new(1u64))) >= 1);
}

#[test]
fn mutex_and_rwlock_lock_unlock() {
    let m = Mutex::new(0u64);
    let rw = RwLock::new(0u64);
    let n = allocs_during(|| {
        for _ in 0..100 {
            *now(m.lock()) += 1;
            drop(m.try_lock().unwrap());
            let _r = now(rw.read());
            drop(_r);
            *now(rw.write()) += 1;
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn semaphore_acquire_release() {
    let s = Semaphore::new(3);
    let n = allocs_during(|| {
        for _ in 0..100 {
            let a = now(s.acquire()).unwrap();
            let b = now(s.acquire_many(2)).unwrap();
            drop((a, b));
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn oneshot_allocates_only_its_cell() {
    let n = allocs_during(|| {
        let (tx, rx) = oneshot::channel();
        tx.send(5u64).unwrap();
        assert_eq!(now(rx), Ok(5));
    });
    assert_eq!(n, 1);
}

#[test]
fn mpsc_messages_with_room() {
    let (tx, mut rx) = mpsc::channel::<u64>(8);
    // Grow both buffers once (the shared queue and the receiver's, which
    // trade places each time the receiver runs dry).
    for _ in 0..2 {
        for i in 0..8 {
            tx.try_send(i).unwrap();
        }
        while rx.try_recv().is_ok() {}
    }
    let n = allocs_during(|| {
        for i in 0..100 {
            now(tx.send(i)).unwrap();
            assert_eq!(now(rx.recv()), Some(i));
            let permit = now(tx.reserve()).unwrap();
            permit.send(i);
            assert_eq!(rx.try_recv(), Ok(i));
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn notify_with_stored_permit() {
    let notify = Notify::new();
    let n = allocs_during(|| {
        for _ in 0..100 {
            notify.notify_one();
            now(notify.notified());
        }
    });
    assert_eq!(n, 0);
}

#[test]
fn waiting_reuses_the_waiter_slots() {
    let m = Mutex::new(());
    let cx = &mut Context::from_waker(Waker::noop());
    let wait_once = |m: &Mutex<()>, cx: &mut Context<'_>| {
        let held = m.try_lock().unwrap();
        let mut a = pin!(m.lock());
        let mut b = pin!(m.lock());
        assert!(a.as_mut().poll(cx).is_pending());
        assert!(b.as_mut().poll(cx).is_pending());
        drop(held);
        assert!(a.as_mut().poll(cx).is_ready());
    };
    // The first wait grows the waiter slab; later ones reuse it.
    wait_once(&m, cx);
    let n = allocs_during(|| {
        for _ in 0..100 {
            wait_once(&m, cx);
        }
    });
    assert_eq!(n, 0);
}
