//! tracing hooks (feature `tracing`): the only place that names `tracing`.
//!
//! Call sites in the schedulers are one line each; without the feature
//! every function here is an empty `#[inline(always)]` body (or a plain
//! `task.run()`), so nothing is left in the binary.
//!
//! | what | kind | target | fields |
//! |---|---|---|---|
//! | a task is spawned | span `spawn` (entered for the spawn call) | `magpie::task` | `task.id`, `spawned_at` |
//! | a task is polled | span `poll` (entered for the poll) | `magpie::task` | `task.id`, `spawned_at` |
//! | a worker parks / unparks | event (TRACE) | `magpie::worker` | `worker` |
//! | a worker steals | event (TRACE) | `magpie::worker` | `worker`, `victim`, `tasks` |

use crate::task::{Id, Notified, Schedule};
use std::panic::Location;

/// Runs `task` inside a `poll` span naming it.
#[inline(always)]
pub(crate) fn poll<S: Schedule>(task: Notified<S>) {
    #[cfg(feature = "tracing")]
    let _span = {
        let header = task.header();
        tracing::trace_span!(
            target: "magpie::task",
            "poll",
            task.id = header.id().0.get(),
            spawned_at = %header.spawned_at(),
        )
        .entered()
    };
    task.run();
}

/// A `spawn` span, entered until the returned guard drops.
#[inline(always)]
pub(crate) fn spawn(id: Id, spawned_at: &'static Location<'static>) -> SpawnGuard {
    #[cfg(feature = "tracing")]
    {
        SpawnGuard(
            tracing::trace_span!(
                target: "magpie::task",
                "spawn",
                task.id = id.0.get(),
                spawned_at = %spawned_at,
            )
            .entered(),
        )
    }
    #[cfg(not(feature = "tracing"))]
    {
        let _ = (id, spawned_at);
        SpawnGuard
    }
}

/// Keeps the `spawn` span entered (nothing without the feature).
#[cfg(feature = "tracing")]
pub(crate) struct SpawnGuard(#[allow(dead_code)] tracing::span::EnteredSpan);
/// Keeps the `spawn` span entered (nothing without the feature).
#[cfg(not(feature = "tracing"))]
pub(crate) struct SpawnGuard;

/// Worker `worker` is about to park.
#[inline(always)]
pub(crate) fn park(worker: usize) {
    #[cfg(feature = "tracing")]
    tracing::trace!(target: "magpie::worker", worker, "park");
    let _ = worker;
}

/// Worker `worker` woke up.
#[inline(always)]
pub(crate) fn unpark(worker: usize) {
    #[cfg(feature = "tracing")]
    tracing::trace!(target: "magpie::worker", worker, "unpark");
    let _ = worker;
}

/// Worker `worker` stole `tasks` tasks from worker `victim`.
#[inline(always)]
pub(crate) fn steal(worker: usize, victim: usize, tasks: usize) {
    #[cfg(feature = "tracing")]
    tracing::trace!(target: "magpie::worker", worker, victim, tasks, "steal");
    let _ = (worker, victim, tasks);
}
