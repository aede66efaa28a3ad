use super::support::{block_on, spawn};
use crate::loom::sync::Mutex;
use crate::sync::{
    OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock, RwLockReadGuard, RwLockWriteGuard,
};
use std::sync::Arc;

#[test]
fn readers_share_writers_exclude() {
    let lock = RwLock::new(1);
    let r1 = lock.try_read().unwrap();
    let r2 = block_on(lock.read());
    assert_eq!(*r1 + *r2, 2);
    assert!(lock.try_write().is_err());
    drop((r1, r2));
    let mut w = lock.try_write().unwrap();
    *w = 5;
    assert!(lock.try_read().is_err());
    assert_eq!(format!("{lock:?}"), "RwLock { data: <locked> }");
    drop(w);
    assert_eq!(format!("{lock:?}"), "RwLock { data: 5 }");
}

#[test]
fn waiting_writer_blocks_later_readers() {
    let lock = RwLock::new(0);
    let r = lock.try_read().unwrap();
    let mut w = spawn(lock.write());
    w.pending();
    // A writer is queued: new readers wait behind it.
    assert!(lock.try_read().is_err());
    let mut r2 = spawn(lock.read());
    r2.pending();
    drop(r);
    assert!(w.is_woken());
    assert!(!r2.is_woken());
    let wg = w.ready();
    r2.pending();
    drop(wg);
    assert!(r2.is_woken());
    drop(r2.ready());
}

#[test]
fn cancelled_writer_lets_readers_in() {
    let lock = RwLock::new(0);
    let r = lock.try_read().unwrap();
    let mut w = spawn(lock.write());
    w.pending();
    let mut r2 = spawn(lock.read());
    r2.pending();
    drop(w);
    assert!(r2.is_woken());
    let g2 = r2.ready();
    drop(r);
    assert!(lock.try_write().is_err());
    drop(g2);
    assert!(lock.try_write().is_ok());
}

#[test]
fn downgrade_admits_queued_readers() {
    let lock = RwLock::new(1);
    let mut w = lock.try_write().unwrap();
    *w = 2;
    let mut r = spawn(lock.read());
    r.pending();
    let rg = RwLockWriteGuard::downgrade(w);
    assert!(r.is_woken());
    assert_eq!(*r.ready(), 2);
    assert_eq!(*rg, 2);
    assert!(lock.try_write().is_err());
}

#[test]
fn max_readers() {
    let lock = RwLock::with_max_readers((), 2);
    let _a = lock.try_read().unwrap();
    let b = lock.try_read().unwrap();
    assert!(lock.try_read().is_err());
    let mut c = spawn(lock.read());
    c.pending();
    drop(b);
    assert!(c.is_woken());
    drop(c.ready());
}

#[test]
#[should_panic]
fn too_many_max_readers_panics() {
    let _ = RwLock::with_max_readers((), u32::MAX);
}

#[test]
fn mapped_guards() {
    let lock = RwLock::new((1, vec![2, 3]));
    {
        let r = lock.try_read().unwrap();
        let v = RwLockReadGuard::map(r, |t| &t.1);
        assert_eq!(*v, [2, 3]);
        let r = RwLockReadGuard::try_map(v, |v| v.get(5)).unwrap_err();
        assert_eq!(r.len(), 2);
    }
    {
        let w = lock.try_write().unwrap();
        let mut n = RwLockWriteGuard::map(w, |t| &mut t.0);
        *n = 10;
        assert!(lock.try_read().is_err());
    }
    let w = lock.try_write().unwrap();
    let mut m = RwLockWriteGuard::into_mapped(w);
    m.1.push(4);
    drop(m);
    assert_eq!(*lock.try_read().unwrap(), (10, vec![2, 3, 4]));
}

#[test]
fn owned_guards() {
    let lock = Arc::new(RwLock::new(String::from("a")));
    let r = block_on(lock.clone().read_owned());
    assert!(Arc::ptr_eq(OwnedRwLockReadGuard::rwlock(&r), &lock));
    let len = OwnedRwLockReadGuard::map(r, |s| s.as_bytes());
    assert!(lock.clone().try_write_owned().is_err());
    drop(len);
    let mut w = block_on(lock.clone().write_owned());
    w.push('b');
    let r = OwnedRwLockWriteGuard::downgrade(w);
    assert_eq!(*r, "ab");
    assert!(lock.clone().try_read_owned().is_ok());
    drop(r);
    let w = lock.clone().try_write_owned().unwrap();
    let mut m = OwnedRwLockWriteGuard::map(w, |s| s);
    m.push('c');
    drop(m);
    assert_eq!(*lock.blocking_read(), "abc");
    *lock.blocking_write() = String::new();
    assert!(lock.try_read().unwrap().is_empty());
}

#[test]
fn get_mut_into_inner_const_new() {
    let mut lock = RwLock::new(vec![1]);
    lock.get_mut().push(2);
    assert_eq!(lock.into_inner(), [1, 2]);
    static L: RwLock<u8> = RwLock::const_new(3);
    assert_eq!(*L.try_read().unwrap(), 3);
}

#[test]
fn readers_and_writers_on_threads() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 300;
    let lock = Arc::new(RwLock::new(0usize));
    // (readers inside, writers inside)
    let inside = Arc::new(Mutex::new((0usize, 0usize)));
    let threads: Vec<_> = (0..THREADS)
        .map(|i| {
            let (lock, inside) = (lock.clone(), inside.clone());
            std::thread::spawn(move || {
                block_on(async {
                    for r in 0..ROUNDS {
                        if (i + r) % 3 == 0 {
                            let mut w = lock.write().await;
                            {
                                let mut s = inside.lock();
                                assert_eq!(*s, (0, 0), "writer not alone");
                                s.1 = 1;
                            }
                            *w += 1;
                            std::thread::yield_now();
                            inside.lock().1 = 0;
                        } else {
                            let _r = lock.read().await;
                            {
                                let mut s = inside.lock();
                                assert_eq!(s.1, 0, "reader beside a writer");
                                s.0 += 1;
                            }
                            std::thread::yield_now();
                            inside.lock().0 -= 1;
                        }
                    }
                })
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let writes = (0..THREADS)
        .map(|i| (0..ROUNDS).filter(|r| (i + r) % 3 == 0).count())
        .sum::<usize>();
    assert_eq!(*lock.try_read().unwrap(), writes);
}

#[test]
fn downgrade_map_keeps_readers_in_and_writers_out() {
    let lock = Arc::new(RwLock::new((1, 2)));
    let w = lock.try_write().unwrap();
    let w = RwLockWriteGuard::try_downgrade_map(w, |_| None::<&u8>).unwrap_err();
    let r = RwLockWriteGuard::downgrade_map(w, |t| &t.1);
    assert_eq!(*r, 2);
    assert!(lock.try_write().is_err());
    assert!(lock.try_read().is_ok());
    drop(r);
    let w = lock.clone().try_write_owned().unwrap();
    let r = OwnedRwLockWriteGuard::try_downgrade_map(w, |t| Some(&t.0)).unwrap();
    assert_eq!(*r, 1);
    assert!(lock.try_write().is_err());
    drop(r);
    assert!(lock.try_write().is_ok());
}
