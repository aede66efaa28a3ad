//! The unbounded channel: sending never waits.

use super::chan::{Chan, One, Recv, RxBuf};
use super::error::{SendError, TryRecvError};
use crate::loom::sync::Arc;
use std::fmt;
use std::task::{Context, Poll};

/// Send values to the associated `UnboundedReceiver`.
///
/// Instances are created by the [`unbounded_channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::unbounded_channel();
/// tx.send(1).unwrap(); // never waits: usable from synchronous code
/// assert_eq!(rx.recv().await, Some(1));
/// # }
/// ```
pub struct UnboundedSender<T> {
    chan: Arc<Chan<T>>,
}

/// An unbounded sender that does not prevent the channel from being closed.
///
/// If all [`UnboundedSender`] instances of a channel were dropped and only
/// `WeakUnboundedSender` instances remain, the channel is closed.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, _rx) = mpsc::unbounded_channel::<()>();
/// let weak = tx.downgrade();
/// drop(tx);
/// assert!(weak.upgrade().is_none());
/// # }
/// ```
pub struct WeakUnboundedSender<T> {
    chan: Arc<Chan<T>>,
}

/// Receive values from the associated `UnboundedSender`.
///
/// Instances are created by the [`unbounded_channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::unbounded_channel();
/// std::thread::spawn(move || tx.send("from a thread").unwrap());
/// assert_eq!(rx.recv().await, Some("from a thread"));
/// # }
/// ```
pub struct UnboundedReceiver<T> {
    chan: Arc<Chan<T>>,
    /// Messages taken off the shared queue, not yet received.
    buf: RxBuf<T>,
}

/// Creates an unbounded mpsc channel for communicating between asynchronous
/// tasks without backpressure.
///
/// A `send` on this channel will always succeed as long as the receive half
/// has not been closed. If the receiver falls behind, messages will be
/// arbitrarily buffered.
///
/// **Note** that the amount of available system memory is an implicit bound
/// to the channel. Using an `unbounded` channel has the ability of causing
/// the process to run out of memory. In this case, the process will be
/// aborted.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::unbounded_channel();
/// for i in 0..100 {
///     tx.send(i).unwrap();
/// }
/// drop(tx);
/// let mut n = 0;
/// while rx.recv().await.is_some() {
///     n += 1;
/// }
/// assert_eq!(n, 100);
/// # }
/// ```
pub fn unbounded_channel<T>() -> (UnboundedSender<T>, UnboundedReceiver<T>) {
    let chan = Chan::new(None);
    (
        UnboundedSender { chan: chan.clone() },
        UnboundedReceiver {
            chan,
            buf: RxBuf::new(),
        },
    )
}

impl<T> UnboundedReceiver<T> {
    /// Receives the next value for this receiver.
    ///
    /// This method returns `None` if the channel has been closed and there
    /// are no remaining messages in the channel's buffer.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// tx.send(1).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.recv().await, Some(1));
    /// assert_eq!(rx.recv().await, None);
    /// # }
    /// ```
    pub async fn recv(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Receives the next values for this receiver and extends `buffer`.
    ///
    /// Returns at once with `0` if `limit` is zero; otherwise waits for at
    /// least one message, and returns `0` only when the channel is closed
    /// and empty.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// for i in 0..4 {
    ///     tx.send(i).unwrap();
    /// }
    /// let mut buf = Vec::new();
    /// assert_eq!(rx.recv_many(&mut buf, 10).await, 4);
    /// # }
    /// ```
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        std::future::poll_fn(|cx| self.poll_recv_many(cx, buffer, limit)).await
    }

    /// Tries to receive the next value for this receiver.
    ///
    /// Returns [`TryRecvError::Empty`] if the channel is currently empty but
    /// senders remain, [`TryRecvError::Disconnected`] if it is empty and
    /// closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// assert!(rx.try_recv().is_err());
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// # }
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let mut slot = One(None);
        match self.chan.try_recv_into(&mut self.buf, &mut slot, 1) {
            Recv::Got => Ok(slot.0.take().expect("one message")),
            Recv::Empty => Err(TryRecvError::Empty),
            Recv::Closed => Err(TryRecvError::Disconnected),
        }
    }

    /// Blocking receive to call outside of asynchronous contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// std::thread::spawn(move || tx.send(3).unwrap());
    /// assert_eq!(rx.blocking_recv(), Some(3));
    /// ```
    #[track_caller]
    pub fn blocking_recv(&mut self) -> Option<T> {
        crate::sync::blocking::block_on(self.recv())
    }

    /// Variant of [`Self::recv_many`] for blocking contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap();
    /// let mut buf = Vec::new();
    /// assert_eq!(rx.blocking_recv_many(&mut buf, 8), 2);
    /// ```
    #[track_caller]
    pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        crate::sync::blocking::block_on(self.recv_many(buffer, limit))
    }

    /// Closes the receiving half of a channel, without dropping it.
    ///
    /// This prevents any further messages from being sent on the channel
    /// while still enabling the receiver to drain messages that are
    /// buffered.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// tx.send(1).unwrap();
    /// rx.close();
    /// assert!(tx.send(2).is_err());
    /// assert_eq!(rx.recv().await, Some(1));
    /// # }
    /// ```
    pub fn close(&mut self) {
        self.chan.close_rx();
    }

    /// Checks if a channel is closed.
    ///
    /// The channel is closed when all [`UnboundedSender`] have been
    /// dropped, or when [`UnboundedReceiver::close`] is called.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel::<()>();
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed_for_rx()
    }

    /// Checks if a channel is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel();
    /// assert!(rx.is_empty());
    /// tx.send(()).unwrap();
    /// assert!(!rx.is_empty());
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the number of messages in the channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel();
    /// tx.send(()).unwrap();
    /// tx.send(()).unwrap();
    /// assert_eq!(rx.len(), 2);
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.chan.len(&self.buf)
    }

    /// Polls to receive the next message on this channel.
    ///
    /// Returns `Poll::Ready(None)` once the channel is closed and drained.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// tx.send(5).unwrap();
    /// assert_eq!(poll_fn(|cx| rx.poll_recv(cx)).await, Some(5));
    /// # }
    /// ```
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut slot = One(None);
        match self.chan.poll_recv_into(cx, &mut self.buf, &mut slot, 1) {
            Poll::Ready(_) => Poll::Ready(slot.0),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Polls to receive multiple messages on this channel, extending the
    /// provided buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// tx.send(5).unwrap();
    /// let mut buf = Vec::new();
    /// assert_eq!(poll_fn(|cx| rx.poll_recv_many(cx, &mut buf, 8)).await, 1);
    /// # }
    /// ```
    pub fn poll_recv_many(
        &mut self,
        cx: &mut Context<'_>,
        buffer: &mut Vec<T>,
        limit: usize,
    ) -> Poll<usize> {
        if limit == 0 {
            return Poll::Ready(0);
        }
        self.chan.poll_recv_into(cx, &mut self.buf, buffer, limit)
    }

    /// Returns the number of [`UnboundedSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel::<()>();
    /// let _tx2 = tx.clone();
    /// assert_eq!(rx.sender_strong_count(), 2);
    /// # }
    /// ```
    pub fn sender_strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakUnboundedSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel::<()>();
    /// let _weak = tx.downgrade();
    /// assert_eq!(rx.sender_weak_count(), 1);
    /// # }
    /// ```
    pub fn sender_weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Drop for UnboundedReceiver<T> {
    fn drop(&mut self) {
        self.chan.drop_rx(&mut self.buf);
    }
}

impl<T> fmt::Debug for UnboundedReceiver<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("UnboundedReceiver")
            .field("chan", &self.chan)
            .finish()
    }
}

impl<T> UnboundedSender<T> {
    /// Attempts to send a message on this `UnboundedSender` without
    /// blocking.
    ///
    /// This method is not marked async because sending a message to an
    /// unbounded channel never requires any form of waiting. Because of
    /// this, the `send` method can be used in both synchronous and
    /// asynchronous code without problems.
    ///
    /// If the receive half of the channel is closed, either due to
    /// [`close`] being called or the [`UnboundedReceiver`] having been
    /// dropped, this function returns an error. The error includes the
    /// value passed to `send`.
    ///
    /// [`close`]: UnboundedReceiver::close
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::unbounded_channel();
    /// tx.send("now").unwrap();
    /// assert_eq!(rx.recv().await, Some("now"));
    /// # }
    /// ```
    pub fn send(&self, message: T) -> Result<(), SendError<T>> {
        self.chan.push_unbounded(message).map_err(SendError)
    }

    /// Completes when the receiver has dropped (or closed).
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel::<()>();
    /// magpie::spawn(async move { drop(rx) });
    /// tx.closed().await;
    /// # }
    /// ```
    pub async fn closed(&self) {
        self.chan.closed().await
    }

    /// Checks if the channel has been closed. This happens when the
    /// [`UnboundedReceiver`] is dropped, or when the
    /// [`UnboundedReceiver::close`] method is called.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::unbounded_channel::<()>();
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed_for_tx()
    }

    /// Returns `true` if senders belong to the same channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// assert!(tx.same_channel(&tx.clone()));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// Converts the `UnboundedSender` to a [`WeakUnboundedSender`] that does
    /// not count towards RAII semantics.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// # }
    /// ```
    #[must_use = "Downgrade creates a WeakSender without destroying the original non-weak sender."]
    pub fn downgrade(&self) -> WeakUnboundedSender<T> {
        self.chan.add_weak();
        WeakUnboundedSender {
            chan: self.chan.clone(),
        }
    }

    /// Returns the number of [`UnboundedSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// assert_eq!(tx.strong_count(), 1);
    /// # }
    /// ```
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakUnboundedSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// let _weak = tx.downgrade();
    /// assert_eq!(tx.weak_count(), 1);
    /// # }
    /// ```
    pub fn weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Clone for UnboundedSender<T> {
    fn clone(&self) -> Self {
        self.chan.add_tx();
        UnboundedSender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> Drop for UnboundedSender<T> {
    fn drop(&mut self) {
        self.chan.drop_tx();
    }
}

impl<T> fmt::Debug for UnboundedSender<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("UnboundedSender")
            .field("chan", &self.chan)
            .finish()
    }
}

impl<T> WeakUnboundedSender<T> {
    /// Tries to convert a `WeakUnboundedSender` into an [`UnboundedSender`].
    /// Returns `None` if all `UnboundedSender`s have been dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// # }
    /// ```
    pub fn upgrade(&self) -> Option<UnboundedSender<T>> {
        self.chan.try_add_tx().then(|| UnboundedSender {
            chan: self.chan.clone(),
        })
    }

    /// Returns the number of [`UnboundedSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// assert_eq!(tx.downgrade().strong_count(), 1);
    /// # }
    /// ```
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakUnboundedSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::unbounded_channel::<()>();
    /// let weak = tx.downgrade();
    /// assert_eq!(weak.weak_count(), 1);
    /// # }
    /// ```
    pub fn weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Clone for WeakUnboundedSender<T> {
    fn clone(&self) -> Self {
        self.chan.add_weak();
        WeakUnboundedSender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> Drop for WeakUnboundedSender<T> {
    fn drop(&mut self) {
        self.chan.drop_weak();
    }
}

impl<T> fmt::Debug for WeakUnboundedSender<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("WeakUnboundedSender").finish()
    }
}
