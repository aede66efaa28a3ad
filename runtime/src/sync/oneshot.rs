//! A one-shot channel is used for sending a single message between
//! asynchronous tasks. The [`channel`] function is used to create a
//! [`Sender`] and [`Receiver`] handle pair that form the channel.
//!
//! The `Sender` handle is used by the producer to send the value. The
//! `Receiver` handle is used by the consumer to receive the value.
//!
//! Each handle can be used on separate tasks.
//!
//! Since the `send` method is not async, it can be used anywhere. This
//! includes sending between two runtimes, and using it from non-async code.
//!
//! If the [`Receiver`] is closed before receiving a message which has
//! already been sent, the message will remain in the channel until the
//! receiver is dropped, at which point the message will be dropped
//! immediately.
//!
//! ```no_run
//! use magpie::sync::oneshot;
//!
//! # async fn demo() {
//! let (tx, rx) = oneshot::channel();
//! std::thread::spawn(move || {
//!     if let Err(_) = tx.send(3) {
//!         println!("the receiver dropped");
//!     }
//! });
//! match rx.await {
//!     Ok(v) => println!("got = {:?}", v),
//!     Err(_) => println!("the sender dropped"),
//! }
//! # }
//! ```
//!
//! # Implementation
//!
//! One allocation (an `Arc`) holds a mutex over the whole state: the value
//! slot, the two "this side is gone" flags and one waker per side. Every
//! transition happens under the lock; wakers are woken after it is released.
//!
//! ```text
//!   value: None ── send (rx open) ──▶ Some(v) ── recv/try_recv ──▶ taken
//!   tx_done:   set by send or by dropping the Sender  ──▶ wakes rx
//!   rx_closed: set by close() or by dropping the Receiver ──▶ wakes tx.closed()
//!   recv ready  ⇔  value is Some          (Ok)
//!               or tx_done && value None  (Err: sender dropped)
//!   send fails ⇔  rx_closed (the value is handed back)
//! ```

use crate::loom::sync::{Arc, Mutex};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker, ready};

/// Error types for the oneshot channel.
///
/// # Examples
///
/// ```
/// use magpie::sync::oneshot;
/// use magpie::sync::oneshot::error::{RecvError, TryRecvError};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = oneshot::channel::<i32>();
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// let err: RecvError = rx.await.unwrap_err();
/// println!("{err}");
/// # }
/// ```
pub mod error {
    use std::fmt;

    /// Error returned by the `Future` implementation for `Receiver`.
    ///
    /// This error is returned by the receiver when the sender is dropped
    /// without sending.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = oneshot::channel::<i32>();
    /// drop(tx);
    /// assert!(rx.await.is_err()); // the sender went away without sending
    /// # }
    /// ```
    #[derive(Debug, Eq, PartialEq, Clone)]
    pub struct RecvError(pub(super) ());

    /// Error returned by the `try_recv` function on `Receiver`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// use magpie::sync::oneshot::error::TryRecvError;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = oneshot::channel::<i32>();
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// drop(tx);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Closed));
    /// # }
    /// ```
    #[derive(Debug, Eq, PartialEq, Clone)]
    pub enum TryRecvError {
        /// The send half of the channel has not yet sent a value.
        Empty,
        /// The send half of the channel was dropped without sending a value,
        /// or the message has already been received.
        Closed,
    }

    impl fmt::Display for RecvError {
        fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(fmt, "channel closed")
        }
    }

    impl std::error::Error for RecvError {}

    impl fmt::Display for TryRecvError {
        fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => write!(fmt, "channel empty"),
                TryRecvError::Closed => write!(fmt, "channel closed"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use self::error::{RecvError, TryRecvError};

/// Sends a value to the associated [`Receiver`].
///
/// A pair of both a [`Sender`] and a [`Receiver`] are created by the
/// [`channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::oneshot;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = oneshot::channel();
/// magpie::spawn(async move { tx.send("reply").unwrap() });
/// assert_eq!(rx.await.unwrap(), "reply");
/// # }
/// ```
pub struct Sender<T> {
    inner: Option<Arc<Inner<T>>>,
}

/// Receives a value from the associated [`Sender`].
///
/// A pair of both a [`Sender`] and a [`Receiver`] are created by the
/// [`channel`] function.
///
/// This channel has no `recv` method because the receiver itself implements
/// the [`Future`] trait. To receive a `Result<T, `[`error::RecvError`]`>`,
/// `.await` the `Receiver` object directly.
///
/// The `poll` method on the `Future` trait is allowed to spuriously return
/// `Poll::Pending` even if the message has been sent. If such a spurious
/// failure happens, then the caller will be woken when the spurious failure
/// has been resolved so that the caller can attempt to receive the message
/// again. Note that receiving such a wakeup does not guarantee that the next
/// call will succeed — it could fail with another spurious failure. (A
/// spurious failure does not mean that the message is lost. It is just
/// delayed.)
///
/// # Examples
///
/// ```
/// use magpie::sync::oneshot;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = oneshot::channel();
/// magpie::spawn(async move {
///     let _ = tx.send(1 + 1);
/// });
/// assert_eq!(rx.await, Ok(2));
/// # }
/// ```
pub struct Receiver<T> {
    inner: Option<Arc<Inner<T>>>,
}

struct Inner<T> {
    state: Mutex<State<T>>,
}

struct State<T> {
    value: Option<T>,
    /// The sender sent or was dropped.
    tx_done: bool,
    /// The receiver called `close` or was dropped.
    rx_closed: bool,
    rx_waker: Option<Waker>,
    tx_waker: Option<Waker>,
}

/// Creates a new one-shot channel for sending single values across
/// asynchronous tasks.
///
/// The function returns separate "send" and "receive" handles. The `Sender`
/// handle is used by the producer to send the value. The `Receiver` handle
/// is used by the consumer to receive the value.
///
/// Each handle can be used on separate tasks.
///
/// # Examples
///
/// ```
/// use magpie::sync::oneshot;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = oneshot::channel();
/// magpie::spawn(async move {
///     if tx.send(3).is_err() {
///         println!("the receiver dropped");
///     }
/// });
/// match rx.await {
///     Ok(v) => assert_eq!(v, 3),
///     Err(_) => println!("the sender dropped"),
/// }
/// # }
/// ```
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let inner = Arc::new(Inner {
        state: Mutex::new(State {
            value: None,
            tx_done: false,
            rx_closed: false,
            rx_waker: None,
            tx_waker: None,
        }),
    });
    (
        Sender {
            inner: Some(inner.clone()),
        },
        Receiver { inner: Some(inner) },
    )
}

fn store_waker(slot: &mut Option<Waker>, waker: &Waker) {
    match slot {
        Some(w) if w.will_wake(waker) => {}
        _ => *slot = Some(waker.clone()),
    }
}

impl<T> Sender<T> {
    /// Attempts to send a value on this channel, returning it back if it
    /// could not be sent.
    ///
    /// This method consumes `self` as only one value may ever be sent on a
    /// oneshot channel. It is not marked async because sending a message to
    /// a oneshot channel never requires any form of waiting. Because of
    /// this, the `send` method can be used in both synchronous and
    /// asynchronous code without problems.
    ///
    /// A successful send occurs when it is determined that the other end of
    /// the channel has not hung up already. An unsuccessful send would be
    /// one where the corresponding receiver has already been deallocated.
    /// Note that a return value of `Err` means that the data will never be
    /// received, but a return value of `Ok` does *not* mean that the data
    /// will be received. It is possible for the corresponding receiver to
    /// hang up immediately after this function returns `Ok`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = oneshot::channel();
    /// assert!(tx.send(1).is_ok());
    /// assert_eq!(rx.await, Ok(1));
    ///
    /// let (tx, rx) = oneshot::channel();
    /// drop(rx);
    /// assert_eq!(tx.send(2), Err(2)); // the value comes back
    /// # }
    /// ```
    pub fn send(mut self, t: T) -> Result<(), T> {
        let inner = self.inner.take().expect("oneshot Sender used after send");
        let waker = {
            let mut st = inner.state.lock();
            st.tx_done = true;
            if st.rx_closed {
                return Err(t);
            }
            st.value = Some(t);
            st.rx_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }

    /// Waits for the associated [`Receiver`] handle to close.
    ///
    /// A [`Receiver`] is closed by either calling [`close`] explicitly or
    /// the [`Receiver`] value is dropped.
    ///
    /// This function is useful when paired with `select!` to abort a
    /// computation when the receiver is no longer interested in the result.
    ///
    /// [`close`]: Receiver::close
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (mut tx, rx) = oneshot::channel::<()>();
    /// magpie::spawn(async move { drop(rx) });
    /// tx.closed().await; // e.g. stop computing an answer nobody waits for
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub async fn closed(&mut self) {
        std::future::poll_fn(|cx| self.poll_closed(cx)).await
    }

    /// Returns `true` if the associated [`Receiver`] handle has been
    /// dropped.
    ///
    /// A [`Receiver`] is closed by either calling [`close`] explicitly or
    /// the [`Receiver`] value is dropped.
    ///
    /// If `true` is returned, a call to `send` will always result in an
    /// error.
    ///
    /// [`close`]: Receiver::close
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = oneshot::channel::<()>();
    /// assert!(!tx.is_closed());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        let inner = self.inner.as_ref().expect("oneshot Sender used after send");
        inner.state.lock().rx_closed
    }

    /// Checks whether the `oneshot` channel has been closed, and if not,
    /// schedules the `Waker` in the provided `Context` to receive a
    /// notification when the channel is closed.
    ///
    /// A [`Receiver`] is closed by either calling [`close`] explicitly, or
    /// when the [`Receiver`] value is dropped.
    ///
    /// Note that on multiple calls to poll, only the `Waker` from the
    /// `Context` passed to the most recent call will be scheduled to
    /// receive a wakeup.
    ///
    /// [`close`]: Receiver::close
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (mut tx, rx) = oneshot::channel::<()>();
    /// drop(rx);
    /// poll_fn(|cx| tx.poll_closed(cx)).await;
    /// # }
    /// ```
    pub fn poll_closed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let inner = self.inner.as_ref().expect("oneshot Sender used after send");
        let mut st = inner.state.lock();
        if st.rx_closed {
            coop.made_progress();
            return Poll::Ready(());
        }
        store_waker(&mut st.tx_waker, cx.waker());
        Poll::Pending
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        let waker = {
            let mut st = inner.state.lock();
            st.tx_done = true;
            st.rx_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> Receiver<T> {
    /// Prevents the associated [`Sender`] handle from sending a value.
    ///
    /// Any `send` operation which happens after calling `close` is
    /// guaranteed to fail. After calling `close`, [`try_recv`] should be
    /// called to receive a value if one was sent **before** the call to
    /// `close` completed.
    ///
    /// This function is useful to perform a graceful shutdown and ensure
    /// that a value will not be sent into the channel and never received.
    ///
    /// `close` is no-op if a message is already received or the channel is
    /// already closed.
    ///
    /// [`try_recv`]: Receiver::try_recv
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = oneshot::channel::<i32>();
    /// rx.close();
    /// assert!(tx.send(1).is_err());
    /// # }
    /// ```
    pub fn close(&mut self) {
        let Some(inner) = self.inner.as_ref() else {
            return;
        };
        let waker = {
            let mut st = inner.state.lock();
            st.rx_closed = true;
            st.tx_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Attempts to receive a value.
    ///
    /// If a pending value exists in the channel, it is returned. If no value
    /// has been sent, the current task **will not** be registered for
    /// future notification.
    ///
    /// This function is useful to call from outside the context of an
    /// asynchronous task.
    ///
    /// Note that unlike the `poll` method, the `try_recv` method cannot fail
    /// spuriously. Any send or close event that happens before this call to
    /// `try_recv` will be correctly returned to the caller.
    ///
    /// # Return
    ///
    /// - `Ok(T)` if a value is pending in the channel.
    /// - `Err(TryRecvError::Empty)` if no value has been sent yet.
    /// - `Err(TryRecvError::Closed)` if the sender has dropped without
    ///   sending a value, or if the message has already been received.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = oneshot::channel();
    /// assert!(rx.try_recv().is_err()); // nothing sent yet
    /// tx.send(3).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(3));
    /// # }
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let Some(inner) = self.inner.as_ref() else {
            return Err(TryRecvError::Closed);
        };
        let result = {
            let mut st = inner.state.lock();
            match st.value.take() {
                Some(v) => Ok(v),
                None if st.tx_done => Err(TryRecvError::Closed),
                None => return Err(TryRecvError::Empty),
            }
        };
        // The channel is finished either way.
        self.inner = None;
        result
    }

    /// Blocking receive to call outside of asynchronous contexts.
    ///
    /// # Panics
    ///
    /// This function panics if called within an asynchronous execution
    /// context.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// let (tx, rx) = oneshot::channel();
    /// std::thread::spawn(move || tx.send(8).unwrap());
    /// assert_eq!(rx.blocking_recv(), Ok(8));
    /// ```
    #[track_caller]
    pub fn blocking_recv(self) -> Result<T, RecvError> {
        super::blocking::block_on(self)
    }

    /// Checks if this receiver is terminated.
    ///
    /// This function returns true if this receiver has already yielded a
    /// [`Poll::Ready`] result (a value or an error), or `try_recv` returned
    /// a value or `Closed`. If so, this receiver should no longer be
    /// polled. A receiver is not terminated merely because the sender was
    /// dropped: it still has to yield the error.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = oneshot::channel();
    /// tx.send(1).unwrap();
    /// assert!(!rx.is_terminated());
    /// assert_eq!((&mut rx).await, Ok(1));
    /// assert!(rx.is_terminated()); // the value was taken
    /// # }
    /// ```
    pub fn is_terminated(&self) -> bool {
        self.inner.is_none()
    }

    /// Checks if a channel is empty.
    ///
    /// This method returns `true` if the channel has no messages. It is not
    /// necessarily safe to poll an empty receiver, which may have already
    /// yielded a value. Use [`is_terminated()`][Self::is_terminated] to
    /// check whether or not a receiver can be safely polled, instead.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = oneshot::channel();
    /// assert!(rx.is_empty());
    /// tx.send(1).unwrap();
    /// assert!(!rx.is_empty());
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        match &self.inner {
            None => true,
            Some(inner) => inner.state.lock().value.is_none(),
        }
    }
}

impl<T> Future for Receiver<T> {
    type Output = Result<T, RecvError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let coop = ready!(crate::coop::poll_proceed(cx));
        let inner = this.inner.as_ref().expect("called after complete");
        let result = {
            let mut st = inner.state.lock();
            match st.value.take() {
                Some(v) => Ok(v),
                None if st.tx_done => Err(RecvError(())),
                None => {
                    store_waker(&mut st.rx_waker, cx.waker());
                    return Poll::Pending;
                }
            }
        };
        coop.made_progress();
        this.inner = None;
        Poll::Ready(result)
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let Some(inner) = self.inner.take() else {
            return;
        };
        let (waker, value) = {
            let mut st = inner.state.lock();
            st.rx_closed = true;
            (st.tx_waker.take(), st.value.take())
        };
        drop(value);
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver").finish_non_exhaustive()
    }
}
