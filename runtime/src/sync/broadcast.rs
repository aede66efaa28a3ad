//! A multi-producer, multi-consumer broadcast queue. Each sent value is
//! seen by all consumers.
//!
//! A [`Sender`] is used to broadcast values to **all** connected [`Receiver`]
//! values. [`Sender`] handles are clone-able, allowing concurrent send and
//! receive actions. [`Sender`] and [`Receiver`] are both `Send` and `Sync`
//! as long as `T` is `Send`.
//!
//! When a value is sent, **all** [`Receiver`] handles are notified and will
//! receive the value. The value is stored once inside the channel and
//! cloned on demand for each receiver. Once all receivers have received a
//! clone of the value, the value is released from the channel.
//!
//! # Lagging
//!
//! The channel is bounded: its capacity (rounded up to a power of two) is
//! the number of values kept. A send never waits; when the buffer is full
//! the oldest value is overwritten. A receiver that had not yet read it
//! gets [`RecvError::Lagged`] with the number of values it missed, and its
//! next `recv` returns the oldest value still held.
//!
//! # Closing
//!
//! When **all** [`Sender`] handles have been dropped, no new values may be
//! sent. Receivers still get the values buffered for them, then
//! [`RecvError::Closed`].
//!
//! # Implementation
//!
//! A ring of `capacity` slots under one mutex, each slot holding its value,
//! its absolute position and how many receivers have yet to read it (the
//! value is dropped when that reaches zero or the slot is reused). Each
//! receiver keeps the absolute position of the next value it wants.
//! Waiting receivers park on a `Notify` (one of eight shards, so that
//! receivers on different workers rarely contend for a queue lock) woken
//! by every send and by the last sender leaving; like `watch`, they create their `Notified` before
//! checking, so no send is missed.
//!
//! [`RecvError::Lagged`]: error::RecvError::Lagged
//! [`RecvError::Closed`]: error::RecvError::Closed
//!
//! # Examples
//!
//! ```
//! use magpie::sync::broadcast;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let (tx, mut rx1) = broadcast::channel(16);
//! let mut rx2 = tx.subscribe();
//! tx.send("event").unwrap();
//! assert_eq!(rx1.recv().await.unwrap(), "event"); // every receiver gets every value
//! assert_eq!(rx2.recv().await.unwrap(), "event");
//! # }
//! ```

use crate::loom::sync::{Arc, Mutex};
use crate::sync::Notify;
use crate::sync::notify::NotifyShards;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Poll, ready};

/// Broadcast error types.
///
/// # Examples
///
/// ```
/// use magpie::sync::broadcast;
///
/// use magpie::sync::broadcast::error::{RecvError, TryRecvError};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = broadcast::channel::<i32>(1);
/// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
/// drop(tx);
/// assert_eq!(rx.recv().await, Err(RecvError::Closed));
/// # }
/// ```
pub mod error {
    use std::fmt;

    /// Error returned by the [`send`](super::Sender::send) function on a
    /// [`Sender`](super::Sender).
    ///
    /// A **send** operation can only fail if there are no active receivers,
    /// implying that the message could never be received. The error
    /// contains the message being sent as a payload so it can be recovered.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel(1);
    /// drop(rx);
    /// assert_eq!(tx.send(9).unwrap_err().0, 9); // no receivers
    /// # }
    /// ```
    #[derive(Debug)]
    pub struct SendError<T>(pub T);

    impl<T> fmt::Display for SendError<T> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "channel closed")
        }
    }

    impl<T: fmt::Debug> std::error::Error for SendError<T> {}

    /// An error returned from the [`recv`](super::Receiver::recv) function
    /// on a [`Receiver`](super::Receiver).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// use magpie::sync::broadcast::error::RecvError;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = broadcast::channel(2);
    /// for i in 0..3 {
    ///     tx.send(i).unwrap();
    /// }
    /// // The receiver fell behind: the oldest value was overwritten.
    /// assert_eq!(rx.recv().await, Err(RecvError::Lagged(1)));
    /// assert_eq!(rx.recv().await, Ok(1));
    /// # }
    /// ```
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum RecvError {
        /// There are no more active senders implying no further messages
        /// will ever be sent.
        Closed,
        /// The receiver lagged too far behind. Attempting to receive again
        /// will return the oldest message still retained by the channel.
        ///
        /// Includes the number of skipped messages.
        Lagged(u64),
    }

    impl fmt::Display for RecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                RecvError::Closed => write!(f, "channel closed"),
                RecvError::Lagged(amt) => write!(f, "channel lagged by {amt}"),
            }
        }
    }

    impl std::error::Error for RecvError {}

    /// An error returned from the [`try_recv`](super::Receiver::try_recv)
    /// function on a [`Receiver`](super::Receiver).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// use magpie::sync::broadcast::error::TryRecvError;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (_tx, mut rx) = broadcast::channel::<i32>(1);
    /// assert_eq!(rx.try_recv(), Err(TryRecvError::Empty));
    /// # }
    /// ```
    #[derive(Debug, PartialEq, Eq, Clone)]
    pub enum TryRecvError {
        /// The channel is currently empty. There are still active
        /// [`Sender`](super::Sender) handles, so data may yet become
        /// available.
        Empty,
        /// There are no more active senders implying no further messages
        /// will ever be sent.
        Closed,
        /// The receiver lagged too far behind and has been forcibly
        /// disconnected. Attempting to receive again will return the oldest
        /// message still retained by the channel.
        ///
        /// Includes the number of skipped messages.
        Lagged(u64),
    }

    impl fmt::Display for TryRecvError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                TryRecvError::Empty => write!(f, "channel empty"),
                TryRecvError::Closed => write!(f, "channel closed"),
                TryRecvError::Lagged(amt) => write!(f, "channel lagged by {amt}"),
            }
        }
    }

    impl std::error::Error for TryRecvError {}
}

use self::error::{RecvError, SendError, TryRecvError};

/// Sending-half of the [`broadcast`](crate::sync::broadcast) channel.
///
/// May be used from many threads. Messages can be sent with
/// [`send`](Sender::send).
///
/// # Examples
///
/// ```
/// use magpie::sync::broadcast;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = broadcast::channel(8);
/// let tx2 = tx.clone();
/// tx.send(1).unwrap();
/// tx2.send(2).unwrap();
/// assert_eq!(rx.recv().await.unwrap(), 1);
/// assert_eq!(rx.recv().await.unwrap(), 2);
/// # }
/// ```
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// A sender that does not prevent the channel from being closed.
///
/// If all [`Sender`] instances of a channel were dropped and only
/// `WeakSender` instances remain, the channel is closed.
///
/// # Examples
///
/// ```
/// use magpie::sync::broadcast;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, _rx) = broadcast::channel::<()>(1);
/// let weak = tx.downgrade();
/// drop(tx);
/// assert!(weak.upgrade().is_none());
/// # }
/// ```
pub struct WeakSender<T> {
    shared: Arc<Shared<T>>,
}

/// Receiving-half of the [`broadcast`](crate::sync::broadcast) channel.
///
/// Must not be used concurrently. Messages may be retrieved using
/// [`recv`](Receiver::recv).
///
/// # Examples
///
/// ```
/// use magpie::sync::broadcast;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = broadcast::channel(8);
/// magpie::spawn(async move {
///     for i in 0..3 {
///         tx.send(i).unwrap();
///     }
/// });
/// let mut got = Vec::new();
/// while let Ok(v) = rx.recv().await {
///     got.push(v);
/// }
/// assert_eq!(got, [0, 1, 2]);
/// # }
/// ```
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// Absolute position of the next value to receive.
    next: u64,
}

struct Shared<T> {
    state: Mutex<State<T>>,
    /// Woken on every send and when the last sender leaves.
    notify_rx: NotifyShards,
    /// Woken when the last receiver leaves (`Sender::closed`).
    notify_tx: Notify,
}

struct State<T> {
    buffer: Box<[Slot<T>]>,
    /// Absolute position of the next value to send.
    tail: u64,
    rx_cnt: usize,
    tx_cnt: usize,
    weak_cnt: usize,
    /// Every sender is gone.
    closed: bool,
}

struct Slot<T> {
    /// Absolute position of the value held (meaningful while `val` is set
    /// or `rem > 0`).
    pos: u64,
    /// Receivers that have yet to read this value.
    rem: usize,
    val: Option<T>,
}

impl<T> State<T> {
    fn cap(&self) -> u64 {
        self.buffer.len() as u64
    }

    fn slot(&mut self, pos: u64) -> &mut Slot<T> {
        let mask = self.buffer.len() - 1;
        &mut self.buffer[pos as usize & mask]
    }

    /// The oldest position still held.
    fn head(&self) -> u64 {
        self.tail.saturating_sub(self.cap())
    }

    /// A receiver at `next` leaves: release its claim on unread values.
    fn forget_reader(&mut self, next: u64) -> Vec<T> {
        let mut dropped = Vec::new();
        for pos in next.max(self.head())..self.tail {
            let slot = self.slot(pos);
            slot.rem -= 1;
            if slot.rem == 0 {
                dropped.extend(slot.val.take());
            }
        }
        dropped
    }
}

/// Creates a bounded, multi-producer, multi-consumer channel where each
/// sent value is broadcasted to all active receivers.
///
/// **Note:** The actual capacity may be greater than the provided
/// `capacity`: it is rounded up to a power of two.
///
/// All data sent on [`Sender`] will become available on every active
/// [`Receiver`] in the same order as it was sent.
///
/// # Panics
///
/// This will panic if `capacity` is equal to `0` or larger than
/// `usize::MAX / 2`.
///
/// ```no_run
/// use magpie::sync::broadcast;
///
/// # async fn demo() {
/// let (tx, mut rx1) = broadcast::channel(16);
/// let mut rx2 = tx.subscribe();
/// tx.send(10).unwrap();
/// tx.send(20).unwrap();
/// assert_eq!(rx1.recv().await.unwrap(), 10);
/// assert_eq!(rx2.recv().await.unwrap(), 10);
/// # }
/// ```
#[track_caller]
pub fn channel<T: Clone>(capacity: usize) -> (Sender<T>, Receiver<T>) {
    let tx = Sender::with_receivers(capacity, 1);
    let rx = Receiver {
        shared: tx.shared.clone(),
        next: 0,
    };
    (tx, rx)
}

impl<T> Sender<T> {
    /// Creates the sending-half of the [`broadcast`](crate::sync::broadcast)
    /// channel, with no receiver yet.
    ///
    /// # Panics
    ///
    /// This will panic if `capacity` is equal to `0` or larger than
    /// `usize::MAX / 2`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let tx = broadcast::Sender::new(4);
    /// let mut rx = tx.subscribe();
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.recv().await.unwrap(), 1);
    /// # }
    /// ```
    #[track_caller]
    pub fn new(capacity: usize) -> Self {
        Self::with_receivers(capacity, 0)
    }

    #[track_caller]
    fn with_receivers(capacity: usize, rx_cnt: usize) -> Self {
        assert!(capacity > 0, "broadcast channel capacity cannot be zero");
        assert!(
            capacity <= usize::MAX >> 1,
            "broadcast channel capacity exceeded `usize::MAX / 2`"
        );
        let capacity = capacity.next_power_of_two();
        let buffer = (0..capacity)
            .map(|_| Slot {
                pos: 0,
                rem: 0,
                val: None,
            })
            .collect();
        Sender {
            shared: Arc::new(Shared {
                state: Mutex::new(State {
                    buffer,
                    tail: 0,
                    rx_cnt,
                    tx_cnt: 1,
                    weak_cnt: 0,
                    closed: false,
                }),
                notify_rx: NotifyShards::new(),
                notify_tx: Notify::new(),
            }),
        }
    }

    /// Attempts to send a value to all active [`Receiver`] handles,
    /// returning it back if it could not be sent.
    ///
    /// A successful send occurs when there is at least one active
    /// [`Receiver`] handle. An unsuccessful send would be one where all
    /// associated [`Receiver`] handles have already been dropped.
    ///
    /// # Return
    ///
    /// On success, the number of subscribed [`Receiver`] handles is
    /// returned. This does not mean that this number of receivers will see
    /// the message as a receiver may drop or lag before receiving the
    /// message.
    ///
    /// **Note:** A send never waits: if the channel is full, the oldest
    /// value is overwritten and lagging receivers are told so.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = broadcast::channel(4);
    /// assert_eq!(tx.send("hi").unwrap(), 1); // the number of receivers
    /// assert_eq!(rx.recv().await.unwrap(), "hi");
    /// # }
    /// ```
    pub fn send(&self, value: T) -> Result<usize, SendError<T>> {
        let (rx_cnt, old) = {
            let mut st = self.shared.state.lock();
            if st.rx_cnt == 0 {
                return Err(SendError(value));
            }
            let (pos, rx_cnt) = (st.tail, st.rx_cnt);
            let slot = st.slot(pos);
            slot.pos = pos;
            slot.rem = rx_cnt;
            let old = slot.val.replace(value);
            st.tail += 1;
            (rx_cnt, old)
        };
        drop(old);
        self.shared.notify_rx.notify_waiters();
        Ok(rx_cnt)
    }

    /// Creates a new [`Receiver`] handle that will receive values sent
    /// **after** this call to `subscribe`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel(4);
    /// let mut late = tx.subscribe(); // sees only values sent from now on
    /// tx.send(1).unwrap();
    /// assert_eq!(late.recv().await.unwrap(), 1);
    /// # }
    /// ```
    pub fn subscribe(&self) -> Receiver<T> {
        new_receiver(self.shared.clone())
    }

    /// Converts the `Sender` to a [`WeakSender`] that does not count
    /// towards RAII semantics, i.e. if all `Sender` instances of the
    /// channel were dropped and only `WeakSender` instances remain, the
    /// channel is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(1);
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// # }
    /// ```
    #[must_use = "Downgrade creates a WeakSender without destroying the original non-weak sender."]
    pub fn downgrade(&self) -> WeakSender<T> {
        self.shared.state.lock().weak_cnt += 1;
        WeakSender {
            shared: self.shared.clone(),
        }
    }

    /// Returns the number of queued values.
    ///
    /// A value is queued until it has either been seen by all receivers
    /// that were alive at the time it was sent, or has been evicted from
    /// the queue by subsequent sends that exceeded the queue's capacity.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel(4);
    /// tx.send(1).unwrap();
    /// tx.send(2).unwrap();
    /// assert_eq!(tx.len(), 2); // not yet seen by every receiver
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        let st = self.shared.state.lock();
        st.buffer.iter().filter(|s| s.rem > 0).count()
    }

    /// Returns true if there are no queued values.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel(4);
    /// assert!(tx.is_empty());
    /// tx.send(1).unwrap();
    /// assert!(!tx.is_empty());
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the number of active receivers.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// let _rx2 = tx.subscribe();
    /// assert_eq!(tx.receiver_count(), 2);
    /// # }
    /// ```
    pub fn receiver_count(&self) -> usize {
        self.shared.state.lock().rx_cnt
    }

    /// Returns `true` if senders belong to the same channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// assert!(tx.same_channel(&tx.clone()));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// A future which completes when the number of [`Receiver`]s subscribed
    /// to this `Sender` reaches zero.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel::<()>(4);
    /// magpie::spawn(async move { drop(rx) });
    /// tx.closed().await; // every receiver is gone
    /// # }
    /// ```
    pub async fn closed(&self) {
        loop {
            let notified = self.shared.notify_tx.notified();
            if self.receiver_count() == 0 {
                return;
            }
            notified.await;
        }
    }

    /// Returns the number of [`Sender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// let _tx2 = tx.clone();
    /// assert_eq!(tx.strong_count(), 2);
    /// # }
    /// ```
    pub fn strong_count(&self) -> usize {
        self.shared.state.lock().tx_cnt
    }

    /// Returns the number of [`WeakSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// let _weak = tx.downgrade();
    /// assert_eq!(tx.weak_count(), 1);
    /// # }
    /// ```
    pub fn weak_count(&self) -> usize {
        self.shared.state.lock().weak_cnt
    }
}

fn new_receiver<T>(shared: Arc<Shared<T>>) -> Receiver<T> {
    let next = {
        let mut st = shared.state.lock();
        st.rx_cnt += 1;
        st.tail
    };
    Receiver { shared, next }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.state.lock().tx_cnt += 1;
        Sender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let last = {
            let mut st = self.shared.state.lock();
            st.tx_cnt -= 1;
            st.closed = st.tx_cnt == 0;
            st.closed
        };
        if last {
            self.shared.notify_rx.notify_waiters();
        }
    }
}

impl<T> fmt::Debug for Sender<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("broadcast::Sender")
            .finish_non_exhaustive()
    }
}

impl<T> WeakSender<T> {
    /// Tries to convert a `WeakSender` into a [`Sender`]. This will return
    /// `Some` if there are other `Sender` instances alive and the channel
    /// wasn't previously dropped, otherwise `None` is returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// let weak = tx.downgrade();
    /// assert!(weak.upgrade().is_some());
    /// drop(tx);
    /// assert!(weak.upgrade().is_none());
    /// # }
    /// ```
    pub fn upgrade(&self) -> Option<Sender<T>> {
        let mut st = self.shared.state.lock();
        if st.tx_cnt == 0 {
            return None;
        }
        st.tx_cnt += 1;
        Some(Sender {
            shared: self.shared.clone(),
        })
    }

    /// Returns the number of [`Sender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// assert_eq!(tx.downgrade().strong_count(), 1);
    /// # }
    /// ```
    pub fn strong_count(&self) -> usize {
        self.shared.state.lock().tx_cnt
    }

    /// Returns the number of [`WeakSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = broadcast::channel::<()>(4);
    /// let weak = tx.downgrade();
    /// assert_eq!(weak.weak_count(), 1);
    /// # }
    /// ```
    pub fn weak_count(&self) -> usize {
        self.shared.state.lock().weak_cnt
    }
}

impl<T> Clone for WeakSender<T> {
    fn clone(&self) -> Self {
        self.shared.state.lock().weak_cnt += 1;
        WeakSender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for WeakSender<T> {
    fn drop(&mut self) {
        self.shared.state.lock().weak_cnt -= 1;
    }
}

impl<T> fmt::Debug for WeakSender<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("broadcast::WeakSender")
            .finish_non_exhaustive()
    }
}

impl<T> Receiver<T> {
    /// Returns the number of messages that were sent into the channel and
    /// that this [`Receiver`] has yet to receive.
    ///
    /// If the returned value from `len` is larger than the next largest
    /// power of 2 of the capacity of the channel any call to
    /// [`recv`](Receiver::recv) will return an `Err(RecvError::Lagged)` and
    /// any call to [`try_recv`](Receiver::try_recv) will return an
    /// `Err(TryRecvError::Lagged)`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel(4);
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.len(), 1);
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        let tail = self.shared.state.lock().tail;
        (tail - self.next) as usize
    }

    /// Returns true if there aren't any messages in the channel that the
    /// [`Receiver`] has yet to receive.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel(4);
    /// assert!(rx.is_empty());
    /// tx.send(1).unwrap();
    /// assert!(!rx.is_empty());
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns `true` if receivers belong to the same channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel::<()>(4);
    /// assert!(rx.same_channel(&tx.subscribe()));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }

    /// Checks if a channel is closed.
    ///
    /// This method returns `true` if the channel has been closed. The
    /// channel is closed when all [`Sender`] have been dropped (values may
    /// still be buffered for this receiver).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel::<()>(4);
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.state.lock().closed
    }

    /// Returns the number of [`Sender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel::<()>(4);
    /// let _tx2 = tx.clone();
    /// assert_eq!(rx.sender_strong_count(), 2);
    /// # }
    /// ```
    pub fn sender_strong_count(&self) -> usize {
        self.shared.state.lock().tx_cnt
    }

    /// Returns the number of [`WeakSender`] handles.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = broadcast::channel::<()>(4);
    /// let _weak = tx.downgrade();
    /// assert_eq!(rx.sender_weak_count(), 1);
    /// # }
    /// ```
    pub fn sender_weak_count(&self) -> usize {
        self.shared.state.lock().weak_cnt
    }

    /// Re-subscribes to the channel starting from the current tail element.
    ///
    /// This [`Receiver`] handle will receive a clone of all values sent
    /// **after** it has resubscribed. This will not include elements that
    /// are in the queue of the current receiver.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = broadcast::channel(4);
    /// tx.send(1).unwrap();
    /// let mut rx2 = rx.resubscribe(); // starts at the tail: does not see `1`
    /// tx.send(2).unwrap();
    /// assert_eq!(rx.recv().await.unwrap(), 1);
    /// assert_eq!(rx2.recv().await.unwrap(), 2);
    /// # }
    /// ```
    pub fn resubscribe(&self) -> Self {
        new_receiver(self.shared.clone())
    }
}

impl<T: Clone> Receiver<T> {
    /// Receives the next value for this receiver.
    ///
    /// Each [`Receiver`] handle will receive a clone of all values sent
    /// **after** it has subscribed.
    ///
    /// `Err(RecvError::Closed)` is returned when all `Sender` halves have
    /// dropped, indicating that no further values can be sent on the
    /// channel.
    ///
    /// If the [`Receiver`] handle falls behind, once the channel is full,
    /// newly sent values will overwrite old values. At this point, a call
    /// to [`recv`] will return with `Err(RecvError::Lagged)` and the
    /// [`Receiver`]'s internal cursor is updated to point to the oldest
    /// value still held by the channel. A subsequent call to [`recv`] will
    /// return this value **unless** it has been since overwritten.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe. If `recv` is used as the event in a
    /// `select!` statement and some other branch completes first, it is
    /// guaranteed that no messages were received on this channel.
    ///
    /// [`recv`]: Receiver::recv
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = broadcast::channel(4);
    /// tx.send(10).unwrap();
    /// drop(tx);
    /// assert_eq!(rx.recv().await, Ok(10));
    /// assert!(rx.recv().await.is_err()); // closed
    /// # }
    /// ```
    pub async fn recv(&mut self) -> Result<T, RecvError> {
        fn done<T>(r: Result<T, TryRecvError>) -> Option<Result<T, RecvError>> {
            match r {
                Ok(v) => Some(Ok(v)),
                Err(TryRecvError::Closed) => Some(Err(RecvError::Closed)),
                Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                Err(TryRecvError::Empty) => None,
            }
        }
        let (shared, next) = (&*self.shared, &mut self.next);
        let mut notified = None;
        std::future::poll_fn(move |cx| {
            let coop = ready!(crate::coop::poll_proceed(cx));
            loop {
                // Usually a value is there: no `Notified` needed.
                if let Some(r) = done(try_recv_at(shared, next)) {
                    coop.made_progress();
                    return Poll::Ready(r);
                }
                match notified.as_mut() {
                    // Created before the next check: a send in between
                    // still wakes us.
                    None => notified = Some(shared.notify_rx.notified_for(next)),
                    Some(n) => {
                        // SAFETY: `n` lives in this closure's state, inside the
                        // `PollFn` that `.await` pinned (std's `PollFn` never moves
                        // its closure, and is `!Unpin` when the closure is); it is
                        // only ever dropped in place, by `notified = None`.
                        ready!(unsafe { Pin::new_unchecked(n) }.poll(cx));
                        notified = None;
                    }
                }
            }
        })
        .await
    }

    /// Attempts to return a pending value on this receiver without
    /// awaiting.
    ///
    /// This is useful for a flavor of "optimistic check" before deciding
    /// to await on a receiver.
    ///
    /// Compared with [`recv`], this function has three failure cases
    /// instead of two (one for closed, one for an empty buffer, one for a
    /// lagging receiver).
    ///
    /// [`recv`]: crate::sync::broadcast::Receiver::recv
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = broadcast::channel(4);
    /// assert!(rx.try_recv().is_err());
    /// tx.send(1).unwrap();
    /// assert_eq!(rx.try_recv(), Ok(1));
    /// # }
    /// ```
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        try_recv_at(&self.shared, &mut self.next)
    }

    /// Blocking receive to call outside of asynchronous contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::broadcast;
    ///
    /// let (tx, mut rx) = broadcast::channel(4);
    /// let t = std::thread::spawn(move || rx.blocking_recv());
    /// tx.send(3).unwrap();
    /// assert_eq!(t.join().unwrap(), Ok(3));
    /// ```
    #[track_caller]
    pub fn blocking_recv(&mut self) -> Result<T, RecvError> {
        crate::sync::blocking::block_on(self.recv())
    }
}

/// Takes the value at `*next` (advancing it), or says why not.
fn try_recv_at<T: Clone>(shared: &Shared<T>, next: &mut u64) -> Result<T, TryRecvError> {
    let mut st = shared.state.lock();
    if *next == st.tail {
        return Err(if st.closed {
            TryRecvError::Closed
        } else {
            TryRecvError::Empty
        });
    }
    let head = st.head();
    if *next < head {
        let missed = head - *next;
        *next = head;
        return Err(TryRecvError::Lagged(missed));
    }
    let slot = st.slot(*next);
    debug_assert_eq!(slot.pos, *next);
    slot.rem -= 1;
    let value = if slot.rem == 0 {
        slot.val.take()
    } else {
        slot.val.clone()
    };
    *next += 1;
    Ok(value.expect("a held slot has its value"))
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let (dropped, last) = {
            let mut st = self.shared.state.lock();
            st.rx_cnt -= 1;
            (st.forget_reader(self.next), st.rx_cnt == 0)
        };
        drop(dropped);
        if last {
            self.shared.notify_tx.notify_waiters();
        }
    }
}

impl<T> fmt::Debug for Receiver<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("broadcast::Receiver")
            .field("next", &self.next)
            .finish_non_exhaustive()
    }
}
