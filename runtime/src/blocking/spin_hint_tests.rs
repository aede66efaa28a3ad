//! `Spawner::expects_wake_soon`: the hint that makes an idle scheduler
//! thread spin instead of parking. It must hold while a freshly spawned
//! closure runs, and must not hold for a closure that has run for long (a
//! blocking loop would otherwise make every park spin) or once nothing is
//! in flight.

use super::{BlockingPool, pool_config};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn pool() -> BlockingPool {
    let (_driver, handle) =
        magpie_reactor::Driver::new(magpie_reactor::Config::default()).expect("driver");
    BlockingPool::new(pool_config(
        handle,
        std::sync::Arc::new(|| "magpie-blocking".into()),
        None,
        None,
        None,
        4,
        Duration::from_secs(10),
    ))
}

#[test]
fn expects_a_wake_only_from_recent_closures_in_flight() {
    let pool = pool();
    let spawner = pool.spawner().clone();
    assert!(!spawner.expects_wake_soon(), "nothing in flight");

    let (release, wait) = mpsc::channel::<()>();
    let spawned = Instant::now();
    let join = spawner.spawn_blocking(move || wait.recv().unwrap());
    let soon = spawner.expects_wake_soon();
    // Only a thread descheduled for over a millisecond right here could
    // see the closure as old already.
    if spawned.elapsed() < Duration::from_micros(900) {
        assert!(soon, "a closure spawned just now is in flight");
    }

    std::thread::sleep(Duration::from_millis(3));
    assert!(
        !spawner.expects_wake_soon(),
        "a closure running for 3 ms is no reason to spin"
    );

    release.send(()).unwrap();
    crate::runtime::park::block_on(join).unwrap();
    assert!(
        !spawner.expects_wake_soon(),
        "nothing in flight after it ran"
    );
    assert!(pool.shutdown(None));
}
