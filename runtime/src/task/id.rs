//! Task ids.
//!
//! Unique per process. Each thread reserves ids in blocks of
//! [`BLOCK`] from one global counter, so spawning from many threads does not
//! contend on a single cache line (a weak spot of a single global
//! `fetch_add` per spawn).

use crate::loom::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::cell::Cell;
use std::fmt;
use std::num::NonZeroU64;

/// Ids reserved per thread at a time; picked without data, large enough
/// that the global counter is touched once per 1024 spawns.
const BLOCK: u64 = 1024;

/// An opaque id of a task, unique among all tasks of the process
/// (`tokio::task::Id`).
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let a = magpie::spawn(async {});
/// let b = magpie::spawn(async {});
/// assert_ne!(a.id(), b.id());
/// println!("spawned {} and {}", a.id(), b.id());
/// # }
/// ```
#[derive(Clone, Copy, Debug, Hash, Eq, PartialEq, Ord, PartialOrd)]
pub struct Id(pub(crate) NonZeroU64);

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(not(loom))]
static NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);

#[cfg(loom)]
loom::lazy_static! {
    static ref NEXT_BLOCK: AtomicU64 = AtomicU64::new(1);
}

#[cfg(not(loom))]
std::thread_local! {
    static RANGE: Cell<(u64, u64)> = const { Cell::new((0, 0)) };
}

#[cfg(loom)]
loom::thread_local! {
    static RANGE: Cell<(u64, u64)> = Cell::new((0, 0));
}

impl Id {
    pub(crate) fn next() -> Id {
        let fresh = || NEXT_BLOCK.fetch_add(BLOCK, Relaxed);
        let n = RANGE
            .try_with(|r| {
                let (mut next, mut end) = r.get();
                if next == end {
                    next = fresh();
                    end = next + BLOCK;
                }
                r.set((next + 1, end));
                next
            })
            .unwrap_or_else(|_| fresh());
        Id(NonZeroU64::new(n).expect("task id space exhausted"))
    }
}
