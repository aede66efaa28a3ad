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
//!
//! # Examples
//!
//! ```
//! use std::sync::Arc;
//! use magpie::sync::{mpsc, Mutex};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let counter = Arc::new(Mutex::new(0));
//! let (tx, mut rx) = mpsc::channel(8);
//! for _ in 0..4 {
//!     let (counter, tx) = (counter.clone(), tx.clone());
//!     magpie::spawn(async move {
//!         *counter.lock().await += 1;
//!         tx.send(()).await.unwrap();
//!     });
//! }
//! drop(tx);
//! while rx.recv().await.is_some() {}
//! assert_eq!(*counter.lock().await, 4);
//! # }
//! ```

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
///
/// # Examples
///
/// ```
/// use magpie::sync::{futures::Notified, Notify};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let notify = Notify::new();
/// let notified: Notified<'_> = notify.notified();
/// notify.notify_one();
/// notified.await;
/// # }
/// ```
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
