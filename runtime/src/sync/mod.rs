//! Synchronization primitives for use in asynchronous contexts, with
//! tokio's API (`tokio::sync`).
//!
//! Everything here is executor-agnostic: it depends only on
//! `std::task::Waker`, the loom shim and the cooperative budget, so it works
//! from any runtime and from plain threads (`blocking_*` methods).
//!
//! Every primitive keeps its state under one short-lived mutex, with its
//! waiting futures in a `WaitList` (a slab-backed FIFO queue, `wait_list.rs`):
//! simple to check, no allocation on an uncontended operation, and
//! cancellation-safe (a dropped waiter hands on whatever it was given).

mod batch_semaphore;
mod blocking;
mod cooperative;
mod wait_list;

pub mod broadcast;
pub mod mpsc;
pub mod oneshot;
pub mod watch;

mod notify;
pub use notify::{Notified, Notify, OwnedNotified};

/// Named future types (as `tokio::sync::futures`).
pub mod futures {
    pub use super::notify::{Notified, OwnedNotified};
}

mod semaphore;
pub use semaphore::{
    AcquireError, OwnedSemaphorePermit, Semaphore, SemaphorePermit, TryAcquireError,
};

mod barrier;
pub use barrier::{Barrier, BarrierWaitResult};

mod mutex;
pub use mutex::{
    MappedMutexGuard, Mutex, MutexGuard, OwnedMappedMutexGuard, OwnedMutexGuard, TryLockError,
};

mod rwlock;
pub use rwlock::{
    OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock,
    RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard,
};

mod once_cell;
pub use once_cell::{OnceCell, SetError};

mod set_once;
pub use set_once::{SetOnce, SetOnceError};

#[cfg(test)]
mod tests;
