//! loom models of `OnceCell`: one writer wins, readers never see a torn or
//! missing value once `initialized()` is true.

use crate::loom::sync::Arc;
use crate::sync::OnceCell;
use crate::sync::blocking::block_on;
use loom::thread;

#[test]
fn set_races_get_or_init() {
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let c2 = cell.clone();
        let t = thread::spawn(move || c2.set(1).is_ok());
        let v = *block_on(cell.get_or_init(|| async { 2 }));
        let set_won = t.join().unwrap();
        assert_eq!(v, if set_won { 1 } else { 2 });
        assert_eq!(cell.get(), Some(&v));
    });
}

#[test]
fn reader_sees_value_after_flag() {
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let c2 = cell.clone();
        let t = thread::spawn(move || {
            c2.set(vec![7u8]).unwrap();
        });
        if let Some(v) = cell.get() {
            assert_eq!(v, &vec![7u8]);
        }
        t.join().unwrap();
        assert_eq!(cell.get(), Some(&vec![7u8]));
    });
}

#[test]
fn waiting_reader_sees_whole_value() {
    loom::model(|| {
        let cell = Arc::new(OnceCell::new());
        let c2 = cell.clone();
        let t = thread::spawn(move || {
            c2.set(vec![9u8]).unwrap();
        });
        let v = loop {
            if let Some(v) = cell.get() {
                break v.clone();
            }
            thread::yield_now();
        };
        assert_eq!(v, vec![9u8]);
        t.join().unwrap();
    });
}
