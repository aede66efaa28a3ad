//! `JoinError`: why a task did not produce its output.

use super::id::Id;
use std::any::Any;
use std::fmt;
use std::io;

/// Task failed to execute to completion (`tokio::task::JoinError`).
///
/// # Examples
///
/// ```
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let err = magpie::spawn(async { panic!("boom") }).await.unwrap_err();
/// assert!(err.is_panic());
/// println!("{err}");
/// # }
/// ```
pub struct JoinError {
    repr: Repr,
    id: Id,
}

enum Repr {
    Cancelled,
    Panic(SyncWrapper),
}

/// The panic payload is `Send` but not `Sync`; it is only ever reached
/// through `&mut` or by value, so sharing `&JoinError` cannot touch it.
struct SyncWrapper(Box<dyn Any + Send + 'static>);

// SAFETY: no `&self` method gives access to the inner value; it is only
// accessed by value (`into_panic`), so no two threads can touch it at once.
unsafe impl Sync for SyncWrapper {}

impl JoinError {
    pub(crate) fn cancelled(id: Id) -> JoinError {
        JoinError {
            repr: Repr::Cancelled,
            id,
        }
    }

    pub(crate) fn panic(id: Id, payload: Box<dyn Any + Send + 'static>) -> JoinError {
        JoinError {
            repr: Repr::Panic(SyncWrapper(payload)),
            id,
        }
    }

    /// Returns true if the error was caused by the task being cancelled.
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
    pub fn is_cancelled(&self) -> bool {
        matches!(self.repr, Repr::Cancelled)
    }

    /// Returns true if the error was caused by the task panicking.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let err = magpie::spawn(async { panic!("boom") }).await.unwrap_err();
    /// assert!(err.is_panic());
    /// # }
    /// ```
    pub fn is_panic(&self) -> bool {
        matches!(self.repr, Repr::Panic(_))
    }

    /// Consumes the error, returning the panic payload.
    ///
    /// # Panics
    ///
    /// Panics if the error was not caused by a panic; see [`try_into_panic`](Self::try_into_panic).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let err = magpie::spawn(async { panic!("boom") }).await.unwrap_err();
    /// if err.is_panic() {
    ///     let payload = err.into_panic();
    ///     assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom"));
    ///     // or re-raise it in this task: std::panic::resume_unwind(payload)
    /// }
    /// # }
    /// ```
    #[track_caller]
    pub fn into_panic(self) -> Box<dyn Any + Send + 'static> {
        self.try_into_panic()
            .expect("`JoinError` reason is not a panic.")
    }

    /// Consumes the error, returning the panic payload if the task panicked,
    /// or the error itself otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let err = magpie::spawn(async { panic!("boom") }).await.unwrap_err();
    /// match err.try_into_panic() {
    ///     Ok(payload) => assert_eq!(payload.downcast_ref::<&str>(), Some(&"boom")),
    ///     Err(err) => panic!("not a panic: {err}"),
    /// }
    /// # }
    /// ```
    pub fn try_into_panic(self) -> Result<Box<dyn Any + Send + 'static>, JoinError> {
        match self.repr {
            Repr::Panic(p) => Ok(p.0),
            _ => Err(self),
        }
    }

    /// The id of the task that failed.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = magpie::spawn(async { panic!() });
    /// let id = handle.id();
    /// assert_eq!(handle.await.unwrap_err().id(), id);
    /// # }
    /// ```
    pub fn id(&self) -> Id {
        self.id
    }
}

fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(|s| s.as_str()))
}

impl fmt::Display for JoinError {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(fmt, "task {} was cancelled", self.id),
            Repr::Panic(p) => match panic_message(&*p.0) {
                Some(msg) => write!(fmt, "task {} panicked with message {:?}", self.id, msg),
                None => write!(fmt, "task {} panicked", self.id),
            },
        }
    }
}

impl fmt::Debug for JoinError {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.repr {
            Repr::Cancelled => write!(fmt, "JoinError::Cancelled({:?})", self.id),
            Repr::Panic(p) => match panic_message(&*p.0) {
                Some(msg) => write!(fmt, "JoinError::Panic({:?}, {:?}, ...)", self.id, msg),
                None => write!(fmt, "JoinError::Panic({:?}, ...)", self.id),
            },
        }
    }
}

impl std::error::Error for JoinError {}

impl From<JoinError> for io::Error {
    fn from(src: JoinError) -> io::Error {
        io::Error::other(match src.repr {
            Repr::Cancelled => "task was cancelled",
            Repr::Panic(_) => "task panicked",
        })
    }
}
