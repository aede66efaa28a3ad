//! The worker parker (`park.rs`) driven directly: two workers park on one
//! shared driver while main unparks both. Whichever takes the driver's
//! try-lock first sleeps in the driver (`PARKED_DRIVER`, woken through the
//! reactor's own parker), the other on its condvar (`PARKED_CONDVAR`); an
//! unpark may also land before the park (`NOTIFIED`, park returns at
//! once) or between the state CAS and the wait. Every park must return:
//! a lost unpark leaves a thread blocked, which loom reports as a deadlock.

use super::super::park::{Parker, Shared};
use crate::loom::thread;
use magpie_reactor::{Config, Driver};

#[test]
fn loom_park_two_workers_unpark() {
    loom::model(|| {
        let (driver, handle) = Driver::new(Config::default()).expect("driver");
        let shared = Shared::new(driver);
        let mut p1 = Parker::new(shared.clone());
        let mut p2 = Parker::new(shared.clone());
        let (u1, u2) = (p1.unparker(), p2.unparker());

        let (h1, h2) = (handle.clone(), handle.clone());
        let t1 = thread::spawn(move || p1.park(&h1));
        let t2 = thread::spawn(move || p2.park(&h2));
        u1.unpark(&handle);
        u2.unpark(&handle);
        t1.join().unwrap();
        t2.join().unwrap();
        shared.shutdown(&handle);
    });
}
