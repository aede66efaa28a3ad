//! Runs a sync primitive's future to completion on the calling thread, for
//! the `blocking_*` methods.
//!
//! The thread parker is the runtime's own (`runtime/park.rs`, a leaf module
//! that knows no scheduler); the future runs with the cooperative budget
//! off, since a plain thread has no peers to yield to.

use std::future::Future;

/// Polls `fut` until it completes, sleeping while it is pending.
pub(crate) fn block_on<F: Future>(fut: F) -> F::Output {
    crate::runtime::park::block_on(crate::coop::unconstrained(fut))
}
