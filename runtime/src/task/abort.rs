//! `AbortHandle`: abort a task without awaiting it.

use super::Id;
use super::raw::RawTask;
use std::fmt;
use std::panic::{RefUnwindSafe, UnwindSafe};

/// An owned permission to abort a spawned task, without awaiting its
/// completion (`tokio::task::AbortHandle`). Dropping it does nothing to the
/// task.
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let handle = magpie::spawn(std::future::pending::<()>());
/// let abort = handle.abort_handle();
/// abort.abort();
/// assert!(handle.await.unwrap_err().is_cancelled());
/// # }
/// ```
pub struct AbortHandle {
    /// Owns one reference.
    raw: RawTask,
}

impl AbortHandle {
    pub(super) fn new(raw: RawTask) -> AbortHandle {
        AbortHandle { raw }
    }

    /// Aborts the task; see [`JoinHandle::abort`](super::JoinHandle::abort).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(std::future::pending::<()>());
    /// handle.abort_handle().abort();
    /// assert!(handle.await.unwrap_err().is_cancelled());
    /// # }
    /// ```
    pub fn abort(&self) {
        self.raw.remote_abort();
    }

    /// Whether the task has finished.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(async {});
    /// let abort = handle.abort_handle();
    /// handle.await.unwrap();
    /// assert!(abort.is_finished());
    /// # }
    /// ```
    pub fn is_finished(&self) -> bool {
        self.raw.header().state.load().is_complete()
    }

    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(async {});
    /// assert_eq!(handle.abort_handle().id(), handle.id());
    /// # }
    /// ```
    pub fn id(&self) -> Id {
        self.raw.header().id()
    }
}

impl Clone for AbortHandle {
    fn clone(&self) -> AbortHandle {
        self.raw.ref_inc();
        AbortHandle { raw: self.raw }
    }
}

impl Drop for AbortHandle {
    fn drop(&mut self) {
        // SAFETY: we own one reference.
        unsafe { self.raw.drop_reference() }
    }
}

impl UnwindSafe for AbortHandle {}
impl RefUnwindSafe for AbortHandle {}

impl fmt::Debug for AbortHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AbortHandle")
            .field("id", &self.id())
            .finish()
    }
}
