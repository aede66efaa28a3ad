//! Asynchronous green threads: spawning, joining and cancelling tasks
//! (`tokio::task`).
//!
//! A task is a lightweight, non-blocking unit of execution: [`spawn`] hands
//! a future to the runtime, which polls it on one of its worker threads, and
//! returns a [`JoinHandle`] to await its output. Dropping the handle detaches
//! the task; [`JoinHandle::abort`] cancels it. A [`JoinSet`] owns a group of
//! tasks and aborts them all when dropped. Blocking code goes to
//! [`spawn_blocking`] (a separate thread pool) or, on the multi-thread
//! runtime, [`block_in_place`].
//!
//! ```
//! use magpie::task;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let handle = task::spawn(async { "hello from a task" });
//! assert_eq!(handle.await.unwrap(), "hello from a task");
//!
//! let sum = task::spawn_blocking(|| (1..=10).sum::<u32>()).await.unwrap();
//! assert_eq!(sum, 55);
//! # }
//! ```
//!
//! # The task protocol
//!
//! A task is one heap allocation (see `core.rs`): a non-generic `Header`
//! (state word, vtable, id, owned-list key, join waker), the scheduler
//! handle `S`, and the *stage* (the future, later its output).
//!
//! ## Reference kinds (each owns one count in the state word)
//!
//! | kind          | held by                               | count |
//! |---------------|---------------------------------------|-------|
//! | `Task`        | the runtime's `OwnedTasks` list       | 1     |
//! | `Notified`    | a run queue / the LIFO slot           | 1     |
//! | `JoinHandle`  | the spawner                           | 1     |
//! | `AbortHandle` | anyone                                | 1     |
//! | `Waker`       | a resource, a channel, ...            | 1 each clone |
//!
//! A new task starts with 3 (Task, Notified, JoinHandle). A task is freed
//! when the count reaches zero, whoever drops the last one.
//!
//! ## State bits: see `state.rs` for the layout and the transition diagram.
//!
//! ## Who may touch which field, when
//!
//! | field        | access rule                                                          |
//! |--------------|----------------------------------------------------------------------|
//! | stage        | exclusive to the holder of RUNNING; after COMPLETE, to the JoinHandle while JOIN_INTEREST is set, else to the runtime |
//! | join_waker   | JOIN_WAKER unset: the JoinHandle only; set: read-only, and the completer may wake it |
//! | owned_key    | written once in `OwnedTasks::bind` before the task is shared; read-only after |
//! | scheduler    | read-only                                                            |
//!
//! ## Numbered rules for the racy slots
//!
//! 1. The JoinHandle writes `join_waker` only while JOIN_WAKER is unset, then
//!    sets JOIN_WAKER with a CAS that fails if COMPLETE was set meanwhile
//!    (and then clears the slot itself and reads the output).
//! 2. To replace its waker, the JoinHandle first unsets JOIN_WAKER with a CAS
//!    that fails if COMPLETE (then the output is ready, read it instead).
//! 3. The completer, after storing the output and setting COMPLETE, wakes
//!    the waker if JOIN_WAKER is set, then unsets JOIN_WAKER, handing the
//!    slot back; if JOIN_INTEREST is gone by then, it clears the slot itself.
//! 4. Dropping the JoinHandle unsets JOIN_INTEREST (and, if not complete,
//!    JOIN_WAKER): if COMPLETE it drops the output; if it ends up owning the
//!    slot it clears it.
//! 5. The output is written only by the RUNNING holder before COMPLETE; it
//!    is taken only by the JoinHandle after COMPLETE.
//!
//! ## Safety by situation
//!
//! * Polling: only through a `Notified` reference; `transition_to_running`
//!   decides who polls, so at most one thread ever has `&mut` to the future.
//! * Waking from any thread: the state CAS decides whether a new `Notified`
//!   is made; a task is never in two queues at once (NOTIFIED bit).
//! * Abort: sets CANCELLED; whoever next holds RUNNING drops the future.
//! * Shutdown: `OwnedTasks::close_and_shutdown_all` claims idle tasks
//!   (RUNNING) and cancels them on the shutting-down thread; running tasks
//!   are cancelled by their poller when its poll returns.

mod abort;
mod core;
mod error;
mod harness;
mod id;
mod join;
pub(crate) mod list;
mod raw;
mod state;
mod waker;

mod blocking;
mod join_set;
mod spawn;
mod task_local;
mod yield_now;

pub mod coop;

#[cfg(all(test, loom))]
mod tests;

pub use crate::coop::{Unconstrained, consume_budget, unconstrained};
pub use abort::AbortHandle;
pub use blocking::{block_in_place, spawn_blocking};
pub use error::JoinError;
pub use id::Id;
pub use join::JoinHandle;
pub use join_set::JoinSet;
pub use spawn::{id, spawn, try_id};
pub use task_local::{AccessError, LocalKey, TaskLocalFuture};
pub use yield_now::yield_now;

pub(crate) use self::core::Header;
pub(crate) use raw::RawTask;

use std::future::Future;
use std::marker::PhantomData;
use std::mem;

/// How a task reaches its scheduler.
pub(crate) trait Schedule: Sync + Sized + 'static {
    /// The task completed: remove it from the owned list, returning the
    /// list's reference if it was there.
    fn release(&self, task: &Task<Self>) -> Option<Task<Self>>;

    /// Queue a woken task.
    fn schedule(&self, task: Notified<Self>);

    /// Queue a task that was woken while it ran (or yielded): behind the
    /// others, never into a LIFO slot.
    fn yield_now(&self, task: Notified<Self>) {
        self.schedule(task);
    }

    /// A task panicked (for `UnhandledPanic::ShutdownRuntime`).
    fn unhandled_panic(&self, _id: Id, _spawned_at: &'static std::panic::Location<'static>) {}
}

/// The owned-list reference to a task.
pub(crate) struct Task<S: 'static> {
    raw: RawTask,
    _p: PhantomData<S>,
}

/// A run-queue reference: running it polls the task.
pub(crate) struct Notified<S: 'static>(Task<S>);

// SAFETY: tasks are only created from `F: Send` futures with `Send + Sync`
// schedulers (see `new_task`), so moving a reference across threads is fine.
unsafe impl<S> Send for Task<S> {}
// SAFETY: as above.
unsafe impl<S> Sync for Task<S> {}

impl<S: 'static> Task<S> {
    fn from_raw(raw: RawTask) -> Task<S> {
        Task {
            raw,
            _p: PhantomData,
        }
    }

    /// Shuts the task down (cancels it if idle); consumes this reference.
    pub(crate) fn shutdown(self) {
        let raw = self.raw;
        mem::forget(self);
        // SAFETY: we give up the Task reference.
        unsafe { raw.shutdown() }
    }
}

impl<S: 'static> Drop for Task<S> {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { self.raw.drop_reference() }
    }
}

impl<S: 'static> Notified<S> {
    /// Polls (or cancels) the task; consumes this reference.
    pub(crate) fn run(self) {
        let raw = self.0.raw;
        mem::forget(self);
        // SAFETY: we give up the Notified reference to `poll`.
        unsafe { raw.poll() }
    }

    /// The task's header (id, spawn location).
    pub(crate) fn header(&self) -> &Header {
        self.0.raw.header()
    }

    /// Cancels a task that never ran (a queued blocking task at shutdown):
    /// its JoinHandle reports cancellation. Consumes this reference.
    pub(crate) fn cancel(self) {
        self.0.shutdown();
    }
}

/// Allocates a task. Returns the owned-list reference, the first run-queue
/// reference, and the JoinHandle.
pub(crate) fn new_task<F, S>(
    future: F,
    scheduler: S,
    id: Id,
    spawned_at: &'static std::panic::Location<'static>,
) -> (Task<S>, Notified<S>, JoinHandle<F::Output>)
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
    S: Schedule,
{
    let cell = core::Cell::new(future, scheduler, id, spawned_at, harness::vtable::<F, S>());
    let ptr = std::ptr::NonNull::from(Box::leak(cell)).cast::<Header>();
    let raw = RawTask::from_raw(ptr);
    (
        Task::from_raw(raw),
        Notified(Task::from_raw(raw)),
        JoinHandle::new(raw),
    )
}
