//! `spawn` and the current task's id.

use super::{Id, JoinHandle};
use std::cell::Cell;
use std::future::Future;

/// Spawns a new asynchronous task on the current runtime, returning a
/// [`JoinHandle`] for it (`tokio::spawn`).
///
/// The task starts running in the background at once (on a multi-thread
/// runtime possibly on another thread before `spawn` returns); dropping the
/// handle does not stop it.
///
/// ```
/// # magpie::runtime::Runtime::new().unwrap().block_on(async {
/// let handle = magpie::spawn(async { "hello" });
/// assert_eq!(handle.await.unwrap(), "hello");
/// # });
/// ```
///
/// # Panics
///
/// Panics when called outside a magpie runtime.
#[track_caller]
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let id = Id::next();
    let spawned_at = std::panic::Location::caller();
    let mut future = Some(future);
    match crate::context::with_current(|h| h.spawn(future.take().expect("spawn"), id, spawned_at)) {
        Ok(join) => join,
        Err(e) => panic!("magpie::spawn {}", e),
    }
}

#[cfg(not(loom))]
std::thread_local! {
    static CURRENT_TASK: Cell<Option<Id>> = const { Cell::new(None) };
}

#[cfg(loom)]
loom::thread_local! {
    static CURRENT_TASK: Cell<Option<Id>> = Cell::new(None);
}

/// Sets the current task id for the duration of a poll or drop.
pub(crate) struct TaskIdGuard(Option<Id>);

impl TaskIdGuard {
    #[inline]
    pub(crate) fn enter(id: Id) -> TaskIdGuard {
        TaskIdGuard(
            CURRENT_TASK
                .try_with(|c| c.replace(Some(id)))
                .unwrap_or(None),
        )
    }
}

impl Drop for TaskIdGuard {
    #[inline]
    fn drop(&mut self) {
        let prev = self.0;
        let _ = CURRENT_TASK.try_with(|c| c.set(prev));
    }
}

/// The id of the task currently running (`tokio::task::id`).
///
/// # Panics
///
/// Panics when called outside a task.
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let handle = magpie::spawn(async { magpie::task::id() });
/// assert_eq!(handle.id(), handle.await.unwrap());
/// # }
/// ```
#[track_caller]
pub fn id() -> Id {
    try_id().expect("can't get a task id when not inside a task")
}

/// The id of the task currently running, if any (`tokio::task::try_id`).
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// assert!(magpie::task::try_id().is_none()); // block_on's future is not a task
/// let id = magpie::spawn(async { magpie::task::try_id() }).await.unwrap();
/// assert!(id.is_some());
/// # }
/// ```
pub fn try_id() -> Option<Id> {
    CURRENT_TASK.try_with(|c| c.get()).ok().flatten()
}
