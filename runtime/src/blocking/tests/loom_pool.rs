//! Spawn vs idle-thread exit.
//!
//! A pool thread that finished its task goes idle and, after `keep_alive`,
//! exits. Under loom a timed condvar wait times out at a point of the
//! model's choosing (see the shim's `Condvar::wait_timeout`), so the exit
//! races every step of a concurrent `spawn_blocking`: the spawner may see
//! the thread idle and hand it the task (`num_notify`), in which case the
//! thread must not exit with the task unclaimed; or see no idle thread and
//! start a new one. Either way the second task runs, its JoinHandle
//! completes (main blocks on it: a stranded task is a loom deadlock),
//! every thread is joined at shutdown and nothing leaks.

use crate::blocking::{BlockingPool, pool_config};
use crate::loom::sync::Arc;
use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

fn pool() -> BlockingPool {
    // A driver without I/O or time: the pool only holds its handle to keep
    // a paused clock still, which no model here uses.
    let (_driver, handle) =
        magpie_reactor::Driver::new(magpie_reactor::Config::default()).expect("driver");
    BlockingPool::new(pool_config(
        handle,
        std::sync::Arc::new(|| "magpie-blocking".into()),
        None,
        None,
        None,
        4,
        Duration::from_millis(1),
    ))
}

#[test]
fn loom_blocking_spawn_vs_idle_exit() {
    loom::model(|| {
        let pool = pool();
        let ran = Arc::new(AtomicUsize::new(0));
        let spawner = pool.spawner().clone();

        let r = ran.clone();
        let first = spawner.spawn_blocking(move || r.fetch_add(1, SeqCst));
        // The first task's thread runs it and goes idle (and may time out)
        // while main spawns the second.
        let r = ran.clone();
        let second = spawner.spawn_blocking(move || r.fetch_add(1, SeqCst));

        let a = crate::runtime::park::block_on(first).unwrap();
        let b = crate::runtime::park::block_on(second).unwrap();
        assert_eq!(a + b, 1, "each task ran once");
        assert_eq!(ran.load(SeqCst), 2);
        assert!(pool.shutdown(None), "every thread exited");
    });
}
