//! Runs a sync primitive's future to completion on the calling thread, for
//! the `blocking_*` methods.
//!
//! The thread parker is the runtime's own (`runtime/park.rs`, a leaf module
//! that knows no scheduler); the future runs with the cooperative budget
//! off, since a plain thread has no peers to yield to.

use std::future::Future;

/// Polls `fut` until it completes, sleeping while it is pending.
///
/// Panics on a thread that drives a runtime (a worker, or inside
/// `block_on`), as tokio's `blocking_*` methods do: sleeping there would
/// stall every task the thread runs, and could deadlock on the very task
/// that would release the primitive. `spawn_blocking` threads and
/// `block_in_place` sections are fine.
#[track_caller]
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    if crate::context::is_entered() {
        panic!(
            "Cannot block the current thread from within a runtime. This happens because a \
             function attempted to block the current thread while the thread is being used \
             to drive asynchronous tasks."
        );
    }
    crate::runtime::park::block_on(crate::coop::unconstrained(fut))
}
