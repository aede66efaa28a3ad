//! Channel error types.
//!
//! # Examples
//!
//! ```
//! use magpie::sync::mpsc::{self, error::TrySendError};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let (tx, rx) = mpsc::channel(1);
//! tx.try_send(1).unwrap();
//! assert!(matches!(tx.try_send(2), Err(TrySendError::Full(2))));
//! drop(rx);
//! assert!(matches!(tx.try_send(3), Err(TrySendError::Closed(3))));
//! # }
//! ```

use std::error::Error;
use std::fmt;

/// Error returned by the `Sender`.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = mpsc::channel(1);
/// drop(rx);
/// let err = tx.send("lost").await.unwrap_err();
/// assert_eq!(err.0, "lost"); // the value comes back
/// # }
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub struct SendError<T>(pub T);

impl<T> fmt::Debug for SendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SendError").finish_non_exhaustive()
    }
}

impl<T> fmt::Display for SendError<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(fmt, "channel closed")
    }
}

impl<T> Error for SendError<T> {}

/// This enumeration is the list of the possible error outcomes for the
/// [`try_send`](super::Sender::try_send) method.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc::{self, error::TrySendError};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, _rx) = mpsc::channel(1);
/// tx.try_send(1).unwrap();
/// match tx.try_send(2) {
///     Err(TrySendError::Full(v)) => assert_eq!(v, 2),
///     other => panic!("{other:?}"),
/// }
/// # }
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum TrySendError<T> {
    /// The data could not be sent on the channel because the channel is
    /// currently full and sending would require blocking.
    Full(T),
    /// The receive half of the channel was explicitly closed or has been
    /// dropped.
    Closed(T),
}

impl<T> TrySendError<T> {
    /// Consume the `TrySendError`, returning the unsent value.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = magpie::sync::mpsc::channel(1);
    /// tx.try_send(1).unwrap();
    /// assert_eq!(tx.try_send(2).unwrap_err().into_inner(), 2);
    /// # }
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            TrySendError::Full(val) => val,
            TrySendError::Closed(val) => val,
        }
    }
}

impl<T> fmt::Debug for TrySendError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TrySendError::Full(..) => "Full(..)".fmt(f),
            TrySendError::Closed(..) => "Closed(..)".fmt(f),
        }
    }
}

impl<T> fmt::Display for TrySendError<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            fmt,
            "{}",
            match self {
                TrySendError::Full(..) => "no available capacity",
                TrySendError::Closed(..) => "channel closed",
            }
        )
    }
}

impl<T> Error for TrySendError<T> {}

impl<T> From<SendError<T>> for TrySendError<T> {
    fn from(src: SendError<T>) -> TrySendError<T> {
        TrySendError::Closed(src.0)
    }
}

/// Error returned by `try_recv`.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc::{self, error::TryRecvError};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel::<i32>(1);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Disconnected));
/// # }
/// ```
#[derive(PartialEq, Eq, Clone, Copy, Debug)]
pub enum TryRecvError {
    /// This **channel** is currently empty, but the **Sender**(s) have not
    /// yet disconnected, so data may yet become available.
    Empty,
    /// The **channel**'s sending half has become disconnected, and there
    /// will never be any more data received on it.
    Disconnected,
}

impl fmt::Display for TryRecvError {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TryRecvError::Empty => "receiving on an empty channel".fmt(fmt),
            TryRecvError::Disconnected => "receiving on a closed channel".fmt(fmt),
        }
    }
}

impl Error for TryRecvError {}

/// Error returned by [`Receiver`](super::Receiver).
///
/// Kept for compatibility: the receive methods of this crate report a closed
/// channel by returning `None`.
#[derive(Debug, Clone)]
#[doc(hidden)]
#[deprecated(note = "This type is unused because recv returns an Option.")]
pub struct RecvError(());

#[allow(deprecated)]
impl fmt::Display for RecvError {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(fmt, "channel closed")
    }
}

#[allow(deprecated)]
impl Error for RecvError {}

/// Error returned by [`Sender::send_timeout`](super::Sender::send_timeout).
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc::{self, error::SendTimeoutError};
/// use std::time::Duration;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = mpsc::channel(1);
/// drop(rx);
/// let err = tx.send_timeout(1, Duration::from_secs(1)).await.unwrap_err();
/// assert!(matches!(err, SendTimeoutError::Closed(1)));
/// assert_eq!(err.into_inner(), 1);
/// # }
/// ```
#[derive(PartialEq, Eq, Clone, Copy)]
pub enum SendTimeoutError<T> {
    /// The data could not be sent on the channel because the channel is
    /// full, and the timeout to send has elapsed.
    Timeout(T),
    /// The receive half of the channel was explicitly closed or has been
    /// dropped.
    Closed(T),
}

impl<T> SendTimeoutError<T> {
    /// Consumes the `SendTimeoutError`, returning the unsent value.
    ///
    /// ```
    /// use magpie::sync::mpsc::error::SendTimeoutError;
    ///
    /// assert_eq!(SendTimeoutError::Timeout(7).into_inner(), 7);
    /// ```
    pub fn into_inner(self) -> T {
        match self {
            SendTimeoutError::Timeout(val) => val,
            SendTimeoutError::Closed(val) => val,
        }
    }
}

impl<T> fmt::Debug for SendTimeoutError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            SendTimeoutError::Timeout(..) => "Timeout(..)".fmt(f),
            SendTimeoutError::Closed(..) => "Closed(..)".fmt(f),
        }
    }
}

impl<T> fmt::Display for SendTimeoutError<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SendTimeoutError::Timeout(..) => "timed out waiting on send operation".fmt(fmt),
            SendTimeoutError::Closed(..) => "channel closed".fmt(fmt),
        }
    }
}

impl<T> Error for SendTimeoutError<T> {}
