//! `JoinHandle`: owned permission to await a task's output.

use super::raw::RawTask;
use super::{AbortHandle, Id, JoinError};
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// An owned permission to join on a task (await its termination)
/// (`tokio::task::JoinHandle`).
///
/// Dropping a `JoinHandle` *detaches* the task: it keeps running, and its
/// output is dropped when it completes. Awaiting it gives the task's output,
/// or a [`JoinError`] if the task panicked or was aborted.
///
/// ```
/// # magpie::runtime::Runtime::new().unwrap().block_on(async {
/// let handle = magpie::spawn(async { 6 * 7 });
/// assert_eq!(handle.await.unwrap(), 42);
/// # });
/// ```
pub struct JoinHandle<T> {
    /// Owns one reference (the JoinHandle's, counted in the initial three).
    raw: RawTask,
    _p: PhantomData<T>,
}

// SAFETY: the output `T` is moved out only through `&mut self` (poll), so a
// JoinHandle is Send whenever T is; it is Sync because `&JoinHandle` only
// reaches the header (abort, is_finished), never the output.
unsafe impl<T: Send> Send for JoinHandle<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Sync for JoinHandle<T> {}

impl<T> UnwindSafe for JoinHandle<T> {}
impl<T> RefUnwindSafe for JoinHandle<T> {}

impl<T> JoinHandle<T> {
    pub(super) fn new(raw: RawTask) -> JoinHandle<T> {
        JoinHandle {
            raw,
            _p: PhantomData,
        }
    }

    /// Aborts the task. If it is idle it is cancelled promptly (its future
    /// dropped); if it is running it is cancelled when its current poll
    /// returns. A task aborted before its first poll never runs. Awaiting the
    /// handle then gives a [`JoinError`] whose `is_cancelled()` is true,
    /// unless the task completed first.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(std::future::pending::<()>());
    /// handle.abort();
    /// assert!(handle.await.unwrap_err().is_cancelled());
    /// # }
    /// ```
    pub fn abort(&self) {
        self.raw.remote_abort();
    }

    /// Whether the task has finished (completed, panicked or been cancelled).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(async {});
    /// while !handle.is_finished() {
    ///     magpie::task::yield_now().await;
    /// }
    /// handle.await.unwrap();
    /// # }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.raw.header().state.load().is_complete()
    }

    /// A handle that can abort the task without being able to await it.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(std::future::pending::<()>());
    /// let abort = handle.abort_handle();
    /// drop(abort.clone());
    /// abort.abort();
    /// assert!(handle.await.unwrap_err().is_cancelled());
    /// # }
    /// ```
    pub fn abort_handle(&self) -> AbortHandle {
        self.raw.ref_inc();
        AbortHandle::new(self.raw)
    }

    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(async { magpie::task::id() });
    /// let id = handle.id();
    /// assert_eq!(handle.await.unwrap(), id);
    /// # }
    /// ```
    pub fn id(&self) -> Id {
        self.raw.header().id()
    }
}

impl<T> Unpin for JoinHandle<T> {}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let mut ret: Poll<Result<T, JoinError>> = Poll::Pending;
        // SAFETY: we are the JoinHandle, and `ret` has the task's output type.
        unsafe {
            self.raw
                .try_read_output(&mut ret as *mut _ as *mut (), cx.waker())
        };
        if ret.is_ready() {
            coop.made_progress();
        }
        ret
    }
}

impl<T> Drop for JoinHandle<T> {
    fn drop(&mut self) {
        if self.raw.drop_join_handle_fast().is_ok() {
            return;
        }
        // SAFETY: we give up the JoinHandle's reference.
        unsafe { self.raw.drop_join_handle_slow() }
    }
}

impl<T> fmt::Debug for JoinHandle<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinHandle")
            .field("id", &self.id())
            .finish()
    }
}
