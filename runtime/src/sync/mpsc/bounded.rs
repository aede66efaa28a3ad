//! The bounded channel: senders wait for a free slot.

use super::chan::{Chan, One, Recv, RxBuf};
use super::error::{SendError, TryRecvError, TrySendError};
use crate::loom::sync::Arc;
use crate::sync::batch_semaphore as ll;
use std::fmt;
use std::task::{Context, Poll};

/// Sends values to the associated `Receiver`.
///
/// Instances are created by the [`channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel(8);
/// let tx2 = tx.clone();
/// magpie::spawn(async move { tx2.send("from a task").await.unwrap() });
/// tx.send("from main").await.unwrap();
/// let mut got = vec![rx.recv().await.unwrap(), rx.recv().await.unwrap()];
/// got.sort();
/// assert_eq!(got, ["from a task", "from main"]);
/// # }
/// ```
pub struct Sender<T> {
    chan: Arc<Chan<T>>,
}

/// A sender that does not prevent the channel from being closed.
///
/// If all [`Sender`] instances of a channel were dropped and only
/// `WeakSender` instances remain, the channel is closed.
///
/// In order to send messages, the `WeakSender` needs to be upgraded using
/// [`WeakSender::upgrade`], which returns `Option<Sender>`. It returns
/// `None` if all `Sender`s have been dropped, and otherwise it returns a
/// `Sender`.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel::<i32>(1);
/// let weak = tx.downgrade();
/// drop(tx);
/// assert!(weak.upgrade().is_none()); // a weak sender does not keep the channel open
/// assert_eq!(rx.recv().await, None);
/// # }
/// ```
pub struct WeakSender<T> {
    chan: Arc<Chan<T>>,
}

/// Permits to send one value into the channel.
///
/// `Permit` values are returned by [`Sender::reserve()`] and
/// [`Sender::try_reserve()`] and are used to guarantee channel capacity
/// before generating a message to send.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel(1);
/// let permit = tx.reserve().await.unwrap(); // a slot is held
/// permit.send(5);
/// assert_eq!(rx.recv().await, Some(5));
/// # }
/// ```
pub struct Permit<'a, T> {
    chan: &'a Chan<T>,
}

/// An [`Iterator`] of [`Permit`] that can be used to hold `n` slots in the
/// channel.
///
/// `PermitIterator` values are returned by [`Sender::reserve_many()`] and
/// [`Sender::try_reserve_many()`].
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel(4);
/// for (permit, value) in tx.reserve_many(2).await.unwrap().zip([1, 2]) {
///     permit.send(value);
/// }
/// assert_eq!(rx.recv().await, Some(1));
/// assert_eq!(rx.recv().await, Some(2));
/// # }
/// ```
pub struct PermitIterator<'a, T> {
    chan: &'a Chan<T>,
    n: usize,
}

/// Owned permit to send one value into the channel.
///
/// This is identical to the [`Permit`] type, except that it moves the
/// sender rather than borrowing it.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel(1);
/// let permit = tx.reserve_owned().await.unwrap();
/// magpie::spawn(async move {
///     let _tx = permit.send(9); // gives the sender back
/// });
/// assert_eq!(rx.recv().await, Some(9));
/// # }
/// ```
pub struct OwnedPermit<T> {
    chan: Option<Sender<T>>,
}

/// Receives values from the associated `Sender`.
///
/// Instances are created by the [`channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::mpsc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = mpsc::channel(8);
/// magpie::spawn(async move {
///     for i in 0..3 {
///         tx.send(i).await.unwrap();
///     }
/// });
/// let mut sum = 0;
/// while let Some(i) = rx.recv().await {
///     sum += i;
/// }
/// assert_eq!(sum, 3);
/// # }
/// ```
pub struct Receiver<T> {
    chan: Arc<Chan<T>>,
    /// Messages taken off the shared queue, not yet received.
    buf: RxBuf<T>,
}

/// Creates a bounded mpsc channel for communicating between asynchronous
/// tasks with backpressure.
///
/// The channel will buffer up to the provided number of messages. Once the
/// buffer is full, attempts to send new messages will wait until a message
/// is received from the channel. The provided buffer capacity must be at
/// least 1.
///
/// All data sent on `Sender` will become available on `Receiver` in the
/// same order as it was sent.
///
/// The `Sender` can be cloned to `send` to the same channel from multiple
/// code locations. Only one `Receiver` is supported.
///
/// If the `Receiver` is disconnected while trying to `send`, the `send`
/// method will return a `SendError`. Similarly, if `Sender` is disconnected
/// while trying to `recv`, the `recv` method will return `None`.
///
/// # Panics
///
/// Panics if the buffer capacity is 0, or too large (more than
/// `Semaphore::MAX_PERMITS`).
///
/// ```no_run
/// use magpie::sync::mpsc;
///
/// # async fn demo() {
/// let (tx, mut rx) = mpsc::channel(100);
/// std::thread::spawn(move || {
///     for i in 0..10 {
///         tx.blocking_send(i).unwrap();
///     }
/// });
/// while let Some(i) = rx.recv().await {
///     println!("got = {}", i);
/// }
/// # }
/// ```
#[track_caller]
pub fn channel<T>(buffer: usize) -> (Sender<T>, Receiver<T>) {
    assert!(buffer > 0, "mpsc bounded channel requires buffer > 0");
    assert!(
        buffer <= ll::Semaphore::MAX_PERMITS,
        "requested buffer size too large"
    );
    let chan = Chan::new(Some(buffer));
    (
        Sender { chan: chan.clone() },
        Receiver {
            chan,
            buf: RxBuf::new(),
        },
    )
}

// ===== Receiver =====

impl<T> Receiver<T> {
    /// Receives the next value for this receiver.
    ///
    /// This method returns `None` if the channel has been closed and there
    /// are no remaining messages in the channel's buffer. This indicates
    /// that no further values can ever be received from this `Receiver`.
    /// The channel is closed when all senders have been dropped, or when
    /// [`close`] is called.
    ///
    /// If there are no messages in the channel's buffer, but the channel
    /// has not yet been closed, this method will sleep until a message is
    /// sent or the channel is closed.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe. If `recv` is used as the event in a
    /// `select!` statement and some other branch completes first, it is
    /// guaranteed that no messages were received on this channel.
    ///
    /// [`close`]: Self::close
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// magpie::spawn(async move { tx.send("hi").await.unwrap() });
    /// assert_eq!(rx.recv().await, Some("hi"));
    /// assert_eq!(rx.recv().await, None); // the sender was dropped
    /// # }
    /// ```
    pub async fn recv(&mut self) -> Option<T> {
        std::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// Receives the next values for this receiver and extends `buffer`.
    ///
    /// This method extends `buffer` by no more than a fixed number of
    /// values as specified by `limit`. If `limit` is zero, the function
    /// immediately returns `0`. The return value is the number of values
    /// added to `buffer`.
    ///
    /// For `limit > 0`, if there are no messages in the channel's queue,
    /// but the channel has not yet been closed, this method will sleep
    /// until a message is sent or the channel is closed. A return of `0`
    /// with `limit > 0` means the channel is closed and empty.
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
    /// let (tx, mut rx) = mpsc::channel(8);
    /// for i in 0..5 {
    ///     tx.send(i).await.unwrap();
    /// }
    /// let mut buf = Vec::new();
    /// assert_eq!(rx.recv_many(&mut buf, 3).await, 3);
    /// assert_eq!(buf, [0, 1, 2]);
    /// # }
    /// ```
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        std::future::poll_fn(|cx| self.poll_recv_many(cx, buffer, limit)).await
    }

    /// Tries to receive the next value for this receiver.
    ///
    /// This method returns the [`Empty`] error if the channel is currently
    /// empty, but there are still outstanding senders or permits.
    ///
    /// This method returns the [`Disconnected`] error if the channel is
    /// currently empty, and there are no outstanding senders or permits.
    ///
    /// [`Empty`]: TryRecvError::Empty
    /// [`Disconnected`]: TryRecvError::Disconnected
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// assert!(rx.try_recv().is_err()); // empty
    /// tx.send(1).await.unwrap();
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
    /// This method returns `None` if the channel has been closed and there
    /// are no remaining messages in the channel's buffer.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let consumer = std::thread::spawn(move || rx.blocking_recv());
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.block_on(async move { tx.send(10).await.unwrap() });
    /// assert_eq!(consumer.join().unwrap(), Some(10));
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
    /// let (tx, mut rx) = mpsc::channel(4);
    /// tx.try_send(1).unwrap();
    /// tx.try_send(2).unwrap();
    /// let mut buf = Vec::new();
    /// assert_eq!(rx.blocking_recv_many(&mut buf, 4), 2);
    /// assert_eq!(buf, [1, 2]);
    /// ```
    #[track_caller]
    pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        crate::sync::blocking::block_on(self.recv_many(buffer, limit))
    }

    /// Closes the receiving half of a channel without dropping it.
    ///
    /// This prevents any further messages from being sent on the channel
    /// while still enabling the receiver to drain messages that are
    /// buffered. Any outstanding [`Permit`] values will still be able to
    /// send messages.
    ///
    /// To guarantee that no messages are dropped, after calling `close()`,
    /// `recv()` must be called until `None` is returned. If there are
    /// outstanding [`Permit`] or [`OwnedPermit`] values, the `recv` method
    /// will not return `None` until those are released.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(2);
    /// tx.send(1).await.unwrap();
    /// rx.close();
    /// assert!(tx.send(2).await.is_err()); // no more sends
    /// assert_eq!(rx.recv().await, Some(1)); // buffered values are still received
    /// # }
    /// ```
    pub fn close(&mut self) {
        self.chan.close_rx();
    }

    /// Checks if a channel is closed.
    ///
    /// This method returns `true` if the channel has been closed. The
    /// channel is closed when all [`Sender`] have been dropped, or when
    /// [`Receiver::close`] is called.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel::<()>(1);
    /// assert!(!rx.is_closed());
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed_for_rx()
    }

    /// Checks if a channel is empty.
    ///
    /// This method returns `true` if the channel has no messages.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::channel(1);
    /// assert!(rx.is_empty());
    /// tx.send(0).await.unwrap();
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
    /// let (tx, rx) = mpsc::channel(4);
    /// tx.send(0).await.unwrap();
    /// tx.send(1).await.unwrap();
    /// assert_eq!(rx.len(), 2);
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.chan.len(&self.buf)
    }

    /// Returns the current capacity of the channel.
    ///
    /// The capacity goes down when the sender sends a value by calling
    /// [`Sender::send`] or by reserving capacity with [`Sender::reserve`].
    /// The capacity goes up when values are received.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::channel(4);
    /// tx.send(0).await.unwrap();
    /// assert_eq!(rx.capacity(), 3);
    /// # }
    /// ```
    pub fn capacity(&self) -> usize {
        self.chan.sem.available_permits()
    }

    /// Returns the maximum buffer capacity of the channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::channel(4);
    /// tx.send(0).await.unwrap();
    /// assert_eq!(rx.max_capacity(), 4);
    /// # }
    /// ```
    pub fn max_capacity(&self) -> usize {
        self.chan.bound().expect("bounded channel")
    }

    /// Polls to receive the next message on this channel.
    ///
    /// This method returns:
    ///
    ///  * `Poll::Pending` if no messages are available but the channel is
    ///    not closed, or if a spurious failure happens.
    ///  * `Poll::Ready(Some(message))` if a message is available.
    ///  * `Poll::Ready(None)` if the channel has been closed and all
    ///    messages sent before it was closed have been received.
    ///
    /// When the method returns `Poll::Pending`, the `Waker` in the provided
    /// `Context` is scheduled to receive a wakeup when a message is sent on
    /// any receiver, or when the channel is closed. Note that on multiple
    /// calls to `poll_recv`, only the `Waker` from the `Context` passed to
    /// the most recent call is scheduled to receive a wakeup.
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
    /// let (tx, mut rx) = mpsc::channel(1);
    /// tx.send(3).await.unwrap();
    /// assert_eq!(poll_fn(|cx| rx.poll_recv(cx)).await, Some(3));
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
    /// Returns `Poll::Ready(0)` at once if `limit` is zero, and when the
    /// channel is closed and empty.
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
    /// let (tx, mut rx) = mpsc::channel(4);
    /// tx.send(1).await.unwrap();
    /// tx.send(2).await.unwrap();
    /// let mut buf = Vec::new();
    /// assert_eq!(poll_fn(|cx| rx.poll_recv_many(cx, &mut buf, 4)).await, 2);
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

    /// Returns the number of [`Sender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::channel::<()>(1);
    /// let _tx2 = tx.clone();
    /// assert_eq!(rx.sender_strong_count(), 2);
    /// # }
    /// ```
    pub fn sender_strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::channel::<()>(1);
    /// let _weak = tx.downgrade();
    /// assert_eq!(rx.sender_weak_count(), 1);
    /// # }
    /// ```
    pub fn sender_weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        self.chan.drop_rx(&mut self.buf);
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("Receiver")
            .field("chan", &self.chan)
            .finish()
    }
}

// ===== Sender =====

impl<T> Sender<T> {
    /// Sends a value, waiting until there is capacity.
    ///
    /// A successful send occurs when it is determined that the other end of
    /// the channel has not hung up already. An unsuccessful send would be
    /// one where the corresponding receiver has already been closed. Note
    /// that a return value of `Err` means that the data will never be
    /// received, but a return value of `Ok` does not mean that the data
    /// will be received. It is possible for the corresponding receiver to
    /// hang up immediately after this function returns `Ok`.
    ///
    /// # Errors
    ///
    /// If the receive half of the channel is closed, either due to
    /// [`close`] being called or the [`Receiver`] handle dropping, the
    /// function returns an error. The error includes the value passed to
    /// `send`.
    ///
    /// # Cancel safety
    ///
    /// If `send` is used as the event in a `select!` statement and some
    /// other branch completes first, then it is guaranteed that the message
    /// was not sent. **However, in that case, the message is dropped and
    /// will be lost.**
    ///
    /// This channel uses a queue to ensure that calls to `send` and
    /// `reserve` complete in the order they were requested. Cancelling a
    /// call to `send` makes you lose your place in the queue.
    ///
    /// [`close`]: Receiver::close
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// tx.send("hello").await.unwrap(); // waits while the channel is full
    /// assert_eq!(rx.recv().await, Some("hello"));
    /// # }
    /// ```
    pub async fn send(&self, value: T) -> Result<(), SendError<T>> {
        match self.reserve().await {
            Ok(permit) => {
                permit.send(value);
                Ok(())
            }
            Err(_) => Err(SendError(value)),
        }
    }

    /// Completes when the receiver has dropped.
    ///
    /// This allows the producers to get notified when interest in the
    /// produced values is canceled and immediately stop doing work.
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
    /// let (tx, rx) = mpsc::channel::<()>(1);
    /// magpie::spawn(async move { drop(rx) });
    /// tx.closed().await; // completes once the receiver is gone
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub async fn closed(&self) {
        self.chan.closed().await
    }

    /// Attempts to immediately send a message on this `Sender`.
    ///
    /// This method differs from [`send`] by returning immediately if the
    /// channel's buffer is full or no receiver is waiting to acquire some
    /// data. Compared with [`send`], this function has two failure cases
    /// instead of one (one for disconnection, one for a full buffer).
    ///
    /// [`send`]: Sender::send
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// tx.try_send(1).unwrap();
    /// assert!(tx.try_send(2).is_err()); // full
    /// assert_eq!(rx.recv().await, Some(1));
    /// # }
    /// ```
    pub fn try_send(&self, message: T) -> Result<(), TrySendError<T>> {
        match self.chan.sem.try_acquire(1) {
            Ok(()) => {}
            Err(ll::TryAcquireError::Closed) => return Err(TrySendError::Closed(message)),
            Err(ll::TryAcquireError::NoPermits) => return Err(TrySendError::Full(message)),
        }
        Permit { chan: &self.chan }.send(message);
        Ok(())
    }

    /// Blocking send to call outside of asynchronous contexts.
    ///
    /// This method is intended for use cases where you are sending from
    /// synchronous code to asynchronous code, and will work even if the
    /// receiver is not using [`blocking_recv`] to receive the message.
    ///
    /// [`blocking_recv`]: fn@crate::sync::mpsc::Receiver::blocking_recv
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let producer = std::thread::spawn(move || tx.blocking_send(7).unwrap());
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// assert_eq!(rt.block_on(rx.recv()), Some(7));
    /// producer.join().unwrap();
    /// ```
    #[track_caller]
    pub fn blocking_send(&self, value: T) -> Result<(), SendError<T>> {
        crate::sync::blocking::block_on(self.send(value))
    }

    /// Checks if the channel has been closed. This happens when the
    /// [`Receiver`] is dropped, or when the [`Receiver::close`] method is
    /// called.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = mpsc::channel::<()>(1);
    /// assert!(!tx.is_closed());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed_for_tx()
    }

    /// Waits for channel capacity. Once capacity to send one message is
    /// available, it is reserved for the caller.
    ///
    /// If the channel is full, the function waits for the number of
    /// unreceived messages to become less than the channel capacity.
    /// Capacity to send one message is reserved for the caller. A
    /// [`Permit`] is returned to track the reserved capacity. The
    /// [`send`](Permit::send) function on [`Permit`] consumes the reserved
    /// capacity.
    ///
    /// Dropping [`Permit`] without sending a message releases the capacity
    /// back to the channel.
    ///
    /// # Cancel safety
    ///
    /// This channel uses a queue to ensure that calls to `send` and
    /// `reserve` complete in the order they were requested. Cancelling a
    /// call to `reserve` makes you lose your place in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let permit = tx.reserve().await.unwrap();
    /// assert!(tx.try_send(1).is_err()); // the slot is taken by the permit
    /// permit.send(2);
    /// assert_eq!(rx.recv().await, Some(2));
    /// # }
    /// ```
    pub async fn reserve(&self) -> Result<Permit<'_, T>, SendError<()>> {
        self.reserve_inner(1).await?;
        Ok(Permit { chan: &self.chan })
    }

    /// Waits for channel capacity to send `n` messages, and reserves it.
    ///
    /// Returns an error if the channel is closed, or if `n` exceeds the
    /// channel's maximum capacity.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `reserve_many` makes you lose your place in the
    /// queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(4);
    /// let permits = tx.reserve_many(3).await.unwrap();
    /// for (i, permit) in permits.enumerate() {
    ///     permit.send(i);
    /// }
    /// assert_eq!(rx.len(), 3);
    /// # rx.close();
    /// # }
    /// ```
    pub async fn reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, SendError<()>> {
        if n > self.max_capacity() {
            return Err(SendError(()));
        }
        self.reserve_inner(n).await?;
        Ok(PermitIterator {
            chan: &self.chan,
            n,
        })
    }

    /// Waits for channel capacity, moving the `Sender` and returning an
    /// owned permit. Once capacity to send one message is available, it is
    /// reserved for the caller.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `reserve_owned` makes you lose your place in
    /// the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let permit = tx.clone().reserve_owned().await.unwrap();
    /// permit.send(1);
    /// assert_eq!(rx.recv().await, Some(1));
    /// # }
    /// ```
    pub async fn reserve_owned(self) -> Result<OwnedPermit<T>, SendError<()>> {
        self.reserve_inner(1).await?;
        Ok(OwnedPermit { chan: Some(self) })
    }

    async fn reserve_inner(&self, n: usize) -> Result<(), SendError<()>> {
        match self.chan.sem.acquire(n).await {
            Ok(()) => Ok(()),
            Err(ll::Closed) => Err(SendError(())),
        }
    }

    /// Tries to acquire a slot in the channel without waiting for the slot
    /// to become available.
    ///
    /// If the channel is full this function will return [`TrySendError`],
    /// otherwise if there is a slot available it will return a [`Permit`]
    /// that will then allow you to [`send`] on the channel with a
    /// guaranteed slot.
    ///
    /// [`send`]: Permit::send
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<i32>(1);
    /// let permit = tx.try_reserve().unwrap();
    /// assert!(tx.try_reserve().is_err()); // no slot left
    /// drop(permit); // gives the slot back
    /// assert!(tx.try_reserve().is_ok());
    /// # }
    /// ```
    pub fn try_reserve(&self) -> Result<Permit<'_, T>, TrySendError<()>> {
        self.try_reserve_inner(1)?;
        Ok(Permit { chan: &self.chan })
    }

    /// Tries to acquire `n` slots in the channel without waiting.
    ///
    /// Returns [`TrySendError::Full`] if `n` slots are not free now (or `n`
    /// exceeds the maximum capacity), [`TrySendError::Closed`] if the
    /// receiver is gone.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<i32>(2);
    /// let permits = tx.try_reserve_many(2).unwrap();
    /// assert!(tx.try_reserve().is_err());
    /// drop(permits);
    /// # }
    /// ```
    pub fn try_reserve_many(&self, n: usize) -> Result<PermitIterator<'_, T>, TrySendError<()>> {
        if n > self.max_capacity() {
            return Err(TrySendError::Full(()));
        }
        self.try_reserve_inner(n)?;
        Ok(PermitIterator {
            chan: &self.chan,
            n,
        })
    }

    /// Tries to acquire a slot in the channel without waiting for the slot
    /// to become available, returning an owned permit.
    ///
    /// On failure the `Sender` is handed back inside the error.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let permit = tx.try_reserve_owned().unwrap();
    /// let _tx = permit.send(4);
    /// assert_eq!(rx.recv().await, Some(4));
    /// # }
    /// ```
    pub fn try_reserve_owned(self) -> Result<OwnedPermit<T>, TrySendError<Self>> {
        match self.chan.sem.try_acquire(1) {
            Ok(()) => Ok(OwnedPermit { chan: Some(self) }),
            Err(ll::TryAcquireError::Closed) => Err(TrySendError::Closed(self)),
            Err(ll::TryAcquireError::NoPermits) => Err(TrySendError::Full(self)),
        }
    }

    fn try_reserve_inner(&self, n: usize) -> Result<(), TrySendError<()>> {
        match self.chan.sem.try_acquire(n) {
            Ok(()) => Ok(()),
            Err(ll::TryAcquireError::Closed) => Err(TrySendError::Closed(())),
            Err(ll::TryAcquireError::NoPermits) => Err(TrySendError::Full(())),
        }
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
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let (other, _rx2) = mpsc::channel::<()>(1);
    /// assert!(tx.same_channel(&tx.clone()));
    /// assert!(!tx.same_channel(&other));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// Returns the current capacity of the channel.
    ///
    /// The capacity goes down when sending a value by calling
    /// [`send`](Sender::send) or by reserving capacity with
    /// [`reserve`](Sender::reserve). The capacity goes up when values are
    /// received by the [`Receiver`]. This is distinct from
    /// [`max_capacity`](Sender::max_capacity), which always returns buffer
    /// capacity initially specified when calling [`channel`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(2);
    /// tx.send(()).await.unwrap();
    /// assert_eq!(tx.capacity(), 1);
    /// rx.recv().await;
    /// assert_eq!(tx.capacity(), 2);
    /// # }
    /// ```
    pub fn capacity(&self) -> usize {
        self.chan.sem.available_permits()
    }

    /// Converts the `Sender` to a [`WeakSender`] that does not count
    /// towards RAII semantics, i.e. if all `Sender` instances of the
    /// channel were dropped and only `WeakSender` instances remain, the
    /// channel is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some()); // `tx` is still alive
    /// # }
    /// ```
    #[must_use = "Downgrade creates a WeakSender without destroying the original non-weak sender."]
    pub fn downgrade(&self) -> WeakSender<T> {
        self.chan.add_weak();
        WeakSender {
            chan: self.chan.clone(),
        }
    }

    /// Returns the maximum buffer capacity of the channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel(2);
    /// tx.send(()).await.unwrap();
    /// assert_eq!(tx.max_capacity(), 2);
    /// # }
    /// ```
    pub fn max_capacity(&self) -> usize {
        self.chan.bound().expect("bounded channel")
    }

    /// Returns the number of [`Sender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let _tx2 = tx.clone();
    /// assert_eq!(tx.strong_count(), 2);
    /// # }
    /// ```
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let _weak = tx.downgrade();
    /// assert_eq!(tx.weak_count(), 1);
    /// # }
    /// ```
    pub fn weak_count(&self) -> usize {
        self.chan.weak_count()
    }

    /// Sends a value, waiting until there is capacity, but only for a limited
    /// time.
    ///
    /// Shares the same success and error conditions as [`send`], adding one
    /// more condition for an unsuccessful send, which is when the provided
    /// timeout has elapsed, and there is no capacity available.
    ///
    /// [`send`]: Sender::send
    ///
    /// # Errors
    ///
    /// If the receive half of the channel is closed, either due to [`close`]
    /// being called or the [`Receiver`] having been dropped, or if the timeout
    /// elapses before capacity is available, this function returns an error.
    /// The error includes the value passed to `send_timeout`.
    ///
    /// [`close`]: Receiver::close
    ///
    /// # Panics
    ///
    /// This function panics if it is called outside the context of a runtime
    /// (the timeout needs the runtime's timer).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc::{self, error::SendTimeoutError};
    /// use magpie::time::Duration;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel(1);
    /// tx.send(1).await.unwrap();
    /// let err = tx.send_timeout(2, Duration::from_millis(10)).await.unwrap_err();
    /// assert!(matches!(err, SendTimeoutError::Timeout(2)));
    /// # }
    /// ```
    pub async fn send_timeout(
        &self,
        value: T,
        timeout: std::time::Duration,
    ) -> Result<(), super::error::SendTimeoutError<T>> {
        use super::error::SendTimeoutError;
        match crate::time::timeout(timeout, self.reserve()).await {
            Ok(Ok(permit)) => {
                permit.send(value);
                Ok(())
            }
            Ok(Err(_)) => Err(SendTimeoutError::Closed(value)),
            Err(_) => Err(SendTimeoutError::Timeout(value)),
        }
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.chan.add_tx();
        Sender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        self.chan.drop_tx();
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("Sender")
            .field("chan", &self.chan)
            .finish()
    }
}

// ===== WeakSender =====

impl<T> WeakSender<T> {
    /// Tries to convert a `WeakSender` into a [`Sender`]. This will return
    /// `Some` if there are other `Sender` instances alive and the channel
    /// wasn't previously dropped, otherwise `None` is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// drop(tx);
    /// assert!(weak.upgrade().is_none());
    /// # }
    /// ```
    pub fn upgrade(&self) -> Option<Sender<T>> {
        self.chan.try_add_tx().then(|| Sender {
            chan: self.chan.clone(),
        })
    }

    /// Returns the number of [`Sender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let weak = tx.downgrade();
    /// assert_eq!(weak.strong_count(), 1);
    /// # }
    /// ```
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<()>(1);
    /// let weak = tx.downgrade();
    /// assert_eq!(weak.weak_count(), 1);
    /// # }
    /// ```
    pub fn weak_count(&self) -> usize {
        self.chan.weak_count()
    }
}

impl<T> Clone for WeakSender<T> {
    fn clone(&self) -> Self {
        self.chan.add_weak();
        WeakSender {
            chan: self.chan.clone(),
        }
    }
}

impl<T> Drop for WeakSender<T> {
    fn drop(&mut self) {
        self.chan.drop_weak();
    }
}

impl<T> fmt::Debug for WeakSender<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("WeakSender").finish()
    }
}

// ===== Permit =====

impl<T> Permit<'_, T> {
    /// Sends a value using the reserved capacity.
    ///
    /// Capacity for the message has already been reserved. The message is
    /// sent to the receiver and the permit is consumed. The operation will
    /// succeed even if the receiver half has been closed (the message is
    /// then dropped if the receiver is gone). See [`Receiver::close`] for
    /// more details on performing a clean shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// tx.reserve().await.unwrap().send("reserved");
    /// assert_eq!(rx.recv().await, Some("reserved"));
    /// # }
    /// ```
    pub fn send(self, value: T) {
        let chan = self.chan;
        std::mem::forget(self);
        send_with_permit(chan, value);
    }
}

/// Pushes `value` using one permit the caller owns.
fn send_with_permit<T>(chan: &Chan<T>, value: T) {
    if let Err(value) = chan.push(value) {
        // The receiver is gone: the slot is free again, the value dropped.
        chan.release_permits(1);
        drop(value);
    }
}

impl<T> Drop for Permit<'_, T> {
    fn drop(&mut self) {
        self.chan.release_permits(1);
    }
}

impl<T> fmt::Debug for Permit<'_, T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("Permit")
            .field("chan", &self.chan)
            .finish()
    }
}

impl<'a, T> Iterator for PermitIterator<'a, T> {
    type Item = Permit<'a, T>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.n == 0 {
            return None;
        }
        self.n -= 1;
        Some(Permit { chan: self.chan })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.n, Some(self.n))
    }
}

impl<T> ExactSizeIterator for PermitIterator<'_, T> {}
impl<T> std::iter::FusedIterator for PermitIterator<'_, T> {}

impl<T> Drop for PermitIterator<'_, T> {
    fn drop(&mut self) {
        if self.n > 0 {
            self.chan.release_permits(self.n);
        }
    }
}

impl<T> fmt::Debug for PermitIterator<'_, T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("PermitIterator")
            .field("chan", &self.chan)
            .field("capacity", &self.n)
            .finish()
    }
}

// ===== OwnedPermit =====

impl<T> OwnedPermit<T> {
    /// Sends a value using the reserved capacity.
    ///
    /// Unlike [`Permit::send`], this method returns the [`Sender`] from
    /// which the `OwnedPermit` was reserved.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = mpsc::channel(1);
    /// let permit = tx.reserve_owned().await.unwrap();
    /// let tx = permit.send(1); // the sender comes back for the next reservation
    /// assert!(!tx.is_closed());
    /// assert_eq!(rx.recv().await, Some(1));
    /// # }
    /// ```
    pub fn send(mut self, value: T) -> Sender<T> {
        let sender = self.chan.take().expect("OwnedPermit used after send");
        send_with_permit(&sender.chan, value);
        sender
    }

    /// Releases the reserved capacity *without* sending a message,
    /// returning the [`Sender`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<i32>(1);
    /// let permit = tx.reserve_owned().await.unwrap();
    /// let tx = permit.release(); // the slot is free again
    /// assert_eq!(tx.capacity(), 1);
    /// # }
    /// ```
    pub fn release(mut self) -> Sender<T> {
        let sender = self.chan.take().expect("OwnedPermit used after release");
        sender.chan.release_permits(1);
        sender
    }

    /// Returns `true` if permits belong to the same channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<i32>(2);
    /// let a = tx.clone().reserve_owned().await.unwrap();
    /// let b = tx.reserve_owned().await.unwrap();
    /// assert!(a.same_channel(&b));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        match (&self.chan, &other.chan) {
            (Some(a), Some(b)) => a.same_channel(b),
            _ => false,
        }
    }

    /// Returns `true` if this permit belongs to the same channel as the
    /// given [`Sender`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::mpsc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = mpsc::channel::<i32>(1);
    /// let permit = tx.clone().reserve_owned().await.unwrap();
    /// assert!(permit.same_channel_as_sender(&tx));
    /// # }
    /// ```
    pub fn same_channel_as_sender(&self, other: &Sender<T>) -> bool {
        self.chan
            .as_ref()
            .is_some_and(|sender| sender.same_channel(other))
    }
}

impl<T> Drop for OwnedPermit<T> {
    fn drop(&mut self) {
        if let Some(sender) = self.chan.take() {
            sender.chan.release_permits(1);
        }
    }
}

impl<T> fmt::Debug for OwnedPermit<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("OwnedPermit")
            .field("chan", &self.chan)
            .finish()
    }
}
