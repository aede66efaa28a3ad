use super::support::{block_on, boxed, join_all, spawn};
use crate::sync::{MappedMutexGuard, Mutex, MutexGuard, OwnedMutexGuard};
use std::future::Future;
use std::sync::Arc;
use std::task::Poll;

/// Yields once (Pending, waking itself).
fn yield_now() -> impl Future<Output = ()> {
    let mut yielded = false;
    std::future::poll_fn(move |cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
}

#[test]
fn lock_and_try_lock() {
    let m = Mutex::new(1);
    {
        let mut g = block_on(m.lock());
        *g += 1;
        assert!(m.try_lock().is_err());
        assert_eq!(format!("{:?}", m), "Mutex { data: <locked> }");
    }
    assert_eq!(*m.try_lock().unwrap(), 2);
    assert_eq!(format!("{:?}", m), "Mutex { data: 2 }");
    let _g = m.try_lock().unwrap();
    assert_eq!(
        m.try_lock().err().unwrap().to_string(),
        "operation would block"
    );
}

#[test]
fn waiters_get_the_lock_in_order() {
    let m = Mutex::new(Vec::new());
    let g = m.try_lock().unwrap();
    let mut a = spawn(async {
        m.lock().await.push('a');
    });
    let mut b = spawn(async {
        m.lock().await.push('b');
    });
    let mut c = spawn(async {
        m.lock().await.push('c');
    });
    a.pending();
    b.pending();
    c.pending();
    drop(g);
    assert!(a.is_woken() && !b.is_woken() && !c.is_woken());
    // Polling b or c first changes nothing: a holds the grant.
    c.pending();
    b.pending();
    a.ready();
    assert!(b.is_woken());
    b.ready();
    c.ready();
    assert_eq!(*m.try_lock().unwrap(), ['a', 'b', 'c']);
}

#[test]
fn cancelled_lock_passes_the_lock_on() {
    let m = Mutex::new(0);
    let g = m.try_lock().unwrap();
    let mut a = spawn(m.lock());
    let mut b = spawn(m.lock());
    a.pending();
    b.pending();
    drop(g);
    assert!(a.is_woken());
    // `a` was granted the lock but is cancelled before seeing it.
    drop(a);
    assert!(b.is_woken());
    let gb = b.ready();
    assert!(m.try_lock().is_err());
    drop(gb);
    assert!(m.try_lock().is_ok());
}

#[test]
fn cancelled_waiter_before_grant() {
    let m = Mutex::new(0);
    let g = m.try_lock().unwrap();
    let mut a = spawn(m.lock());
    let mut b = spawn(m.lock());
    a.pending();
    b.pending();
    drop(a);
    drop(g);
    assert!(b.is_woken());
    drop(b.ready());
}

#[test]
fn map_and_try_map() {
    let m = Mutex::new((1, String::from("x")));
    {
        let g = m.try_lock().unwrap();
        let mut s: MappedMutexGuard<'_, String> = MutexGuard::map(g, |v| &mut v.1);
        s.push('y');
        assert!(m.try_lock().is_err());
        let mut s2 = MappedMutexGuard::map(s, |s| s);
        s2.make_ascii_uppercase();
    }
    let g = m.try_lock().unwrap();
    let g = MutexGuard::try_map(g, |_| None::<&mut u8>).unwrap_err();
    assert!(std::ptr::eq(MutexGuard::mutex(&g), &m));
    let n = MutexGuard::try_map(g, |v| Some(&mut v.0)).unwrap();
    assert_eq!(*n, 1);
    drop(n);
    assert_eq!(m.try_lock().unwrap().1, "XY");
}

#[test]
fn owned_guards() {
    let m = Arc::new(Mutex::new(vec![1]));
    let g = block_on(m.clone().lock_owned());
    assert!(m.clone().try_lock_owned().is_err());
    assert!(Arc::ptr_eq(OwnedMutexGuard::mutex(&g), &m));
    let mut first = OwnedMutexGuard::map(g, |v| &mut v[0]);
    *first = 5;
    assert!(m.try_lock().is_err());
    drop(first);
    let g = m.clone().try_lock_owned().unwrap();
    assert_eq!(*g, [5]);
    let g = OwnedMutexGuard::try_map(g, |v| v.get_mut(3)).unwrap_err();
    drop(g);
    assert_eq!(*m.blocking_lock(), [5]);
}

#[test]
fn get_mut_into_inner_const_new() {
    let mut m = Mutex::new(String::from("a"));
    m.get_mut().push('b');
    assert_eq!(m.into_inner(), "ab");
    static M: Mutex<u32> = Mutex::const_new(7);
    assert_eq!(*M.try_lock().unwrap(), 7);
    let unsized_m: &Mutex<[u8]> = &Mutex::new([1u8, 2, 3]);
    assert_eq!(unsized_m.try_lock().unwrap().len(), 3);
}

#[test]
fn guard_held_across_yields_on_one_thread() {
    const TASKS: usize = 20;
    let m = Mutex::new((0usize, false));
    let futs = (0..TASKS)
        .map(|_| {
            boxed(async {
                let mut g = m.lock().await;
                assert!(!g.1, "two holders at once");
                g.1 = true;
                yield_now().await;
                g.0 += 1;
                g.1 = false;
            })
        })
        .collect();
    join_all(futs);
    assert_eq!(m.try_lock().unwrap().0, TASKS);
}

#[test]
fn counter_across_threads() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 500;
    let m = Arc::new(Mutex::new(0usize));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let m = m.clone();
            std::thread::spawn(move || {
                for r in 0..ROUNDS {
                    if (i + r) % 2 == 0 {
                        *m.blocking_lock() += 1;
                    } else {
                        block_on(async {
                            let mut g = m.lock().await;
                            let v = *g;
                            yield_now().await;
                            *g = v + 1;
                        });
                    }
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(*m.try_lock().unwrap(), THREADS * ROUNDS);
}
