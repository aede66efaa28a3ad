//! Resident memory per idle task.

use crate::rt::{BenchRuntime, Flavor};
use crate::sync::Counter;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The process's resident set size in bytes (`VmRSS` of
/// `/proc/self/status`), or `None` where that file does not exist.
pub fn rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Result of [`idle_tasks`].
#[derive(Debug, Clone, Copy)]
pub struct IdleRss {
    /// Tasks spawned.
    pub tasks: usize,
    /// RSS with the runtime built and warmed up, before spawning.
    pub before: u64,
    /// RSS once every task has been polled once and is waiting.
    pub after: u64,
}

impl IdleRss {
    /// `(after - before) / tasks`.
    pub fn bytes_per_task(&self) -> f64 {
        self.after.saturating_sub(self.before) as f64 / self.tasks as f64
    }
}

/// Builds a runtime, spawns `tasks` tasks from inside a task that each get
/// polled once and then wait on a future that never completes (their join
/// handles are dropped), and measures the RSS growth. Run it in a fresh
/// process for a clean number: the allocator keeps what earlier work freed.
pub fn idle_tasks<R: BenchRuntime>(flavor: Flavor, tasks: usize) -> Option<IdleRss> {
    let rt = R::new(flavor);
    // Warm-up: thread stacks touched, lazily built structures allocated.
    crate::Workload::SpawnManyLocal.run(&rt);
    let before = rss_bytes()?;
    let polled = Arc::new(Counter::new());
    let p = polled.clone();
    rt.block_on(async move {
        R::spawn(async move {
            for _ in 0..tasks {
                let p = p.clone();
                drop(R::spawn(async move {
                    p.incr();
                    std::future::pending::<()>().await;
                }));
            }
        })
        .await
        .expect("spawner failed");
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    while polled.get() < tasks {
        // current_thread only makes progress inside block_on.
        rt.block_on(R::yield_now());
        std::thread::sleep(Duration::from_millis(1));
        assert!(Instant::now() < deadline, "idle tasks were never polled");
    }
    let after = rss_bytes()?;
    drop(rt);
    Some(IdleRss {
        tasks,
        before,
        after,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::{Magpie, Tokio};

    #[test]
    fn idle_tasks_all_get_polled_and_rss_is_read() {
        // Only the protocol is checked here: other tests run in this
        // process at the same time, so the RSS delta itself is noise.
        for r in [
            idle_tasks::<Magpie>(Flavor::MultiThread(2), 20_000),
            idle_tasks::<Tokio>(Flavor::CurrentThread, 20_000),
        ] {
            let r = r.expect("no /proc/self/status");
            assert_eq!(r.tasks, 20_000);
            assert!(r.before > 0 && r.after > 0, "{r:?}");
        }
    }
}
