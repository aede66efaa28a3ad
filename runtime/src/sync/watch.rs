//! A single-producer, multi-consumer channel that only retains the *last*
//! sent value.
//!
//! This channel is useful for watching for changes to a value from multiple
//! points in the code base, for example, changes to configuration values.
//!
//! [`channel`] returns a [`Sender`] / [`Receiver`] pair. These are the
//! producer and consumer halves of the channel. The channel is created with
//! an initial value, which is considered seen.
//!
//! # Implementation
//!
//! The value lives in a sync `RwLock` read recursively (readers on one
//! thread may nest, as with tokio's, even with a writer waiting); `Ref`
//! holds its read guard. One atomic word holds `version << 1 | closed`:
//! the version is bumped while the value's write lock is held, so a reader
//! holding the read lock sees the version of the value it reads, and a
//! receiver checks for a change without taking a lock. A mutex guards the
//! handle counts.
//! Receivers wait on a `Notify` that each send wakes with `notify_waiters`;
//! a receiver creates its `Notified` *before* checking the version, so a
//! send between the check and the wait is not lost.
//!
//! # Examples
//!
//! ```
//! use magpie::sync::watch;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let (tx, mut rx) = watch::channel("v1");
//! magpie::spawn(async move {
//!     tx.send("v2").unwrap();
//! });
//! rx.changed().await.unwrap();
//! assert_eq!(*rx.borrow_and_update(), "v2");
//! # }
//! ```

use crate::loom::sync::atomic::{AtomicU64, Ordering::Acquire, Ordering::Release};
use crate::loom::sync::{Arc, Mutex, RwLock, RwLockReadGuard};
use crate::sync::Notify;
use crate::sync::cooperative::cooperative;
use crate::sync::notify::NotifyShards;
use std::fmt;
use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;
use std::task::{Poll, ready};

/// Error types for the watch channel.
///
/// # Examples
///
/// ```
/// use magpie::sync::watch;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = watch::channel(0);
/// drop(rx);
/// let err: watch::error::SendError<i32> = tx.send(1).unwrap_err();
/// assert_eq!(err.0, 1);
/// # }
/// ```
pub mod error {
    use std::fmt;

    /// Error produced when sending a value fails.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(0);
    /// drop(rx);
    /// assert_eq!(tx.send(5).unwrap_err().0, 5); // no receiver left
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

    impl<T> std::error::Error for SendError<T> {}

    /// Error produced when receiving a change notification.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel(0);
    /// drop(tx);
    /// assert!(rx.changed().await.is_err()); // the sender is gone
    /// # }
    /// ```
    #[derive(Debug, Clone)]
    pub struct RecvError(pub(super) ());

    impl fmt::Display for RecvError {
        fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(fmt, "channel closed")
        }
    }

    impl std::error::Error for RecvError {}
}

use self::error::{RecvError, SendError};

/// Receives values from the associated [`Sender`].
///
/// Instances are created by the [`channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::watch;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, mut rx) = watch::channel(0);
/// let watcher = magpie::spawn(async move {
///     rx.wait_for(|v| *v >= 3).await.map(|v| *v).unwrap()
/// });
/// for i in 1..=3 {
///     tx.send(i).unwrap();
/// }
/// assert_eq!(watcher.await.unwrap(), 3);
/// # }
/// ```
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
    /// Version of the last value seen.
    version: u64,
}

/// Sends values to the associated [`Receiver`].
///
/// Instances are created by the [`channel`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::watch;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = watch::channel(1);
/// tx.send(2).unwrap();
/// assert_eq!(*rx.borrow(), 2); // receivers see the latest value
/// # }
/// ```
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// Returns a reference to the inner value.
///
/// Outstanding borrows hold a read lock on the inner value. This means that
/// long-lived borrows could cause the producer half to block. It is
/// recommended to keep the borrow as short-lived as possible. Additionally,
/// if you are running in an environment that allows `!Send` futures, you
/// must ensure that the returned `Ref` type is never held alive across an
/// `.await` point, otherwise, it can lead to a deadlock.
///
/// # Examples
///
/// ```
/// use magpie::sync::watch;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (_tx, rx) = watch::channel(String::from("hi"));
/// let value: watch::Ref<'_, String> = rx.borrow(); // holds a read lock: keep it short
/// assert_eq!(value.len(), 2);
/// # }
/// ```
pub struct Ref<'a, T> {
    inner: RwLockReadGuard<'a, T>,
    has_changed: bool,
}

impl<T> Ref<'_, T> {
    /// Indicates if the borrowed value is considered as _changed_ since the
    /// last time it has been marked as seen.
    ///
    /// This is `false` for a `Ref` from [`Sender::borrow`] and from
    /// `borrow_and_update` of a value that had been seen already.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert!(rx.borrow_and_update().has_changed());
    /// assert!(!rx.borrow_and_update().has_changed());
    /// # }
    /// ```
    pub fn has_changed(&self) -> bool {
        self.has_changed
    }
}

impl<T> Deref for Ref<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T: fmt::Debug> fmt::Debug for Ref<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

struct Shared<T> {
    value: RwLock<T>,
    /// `version << 1 | closed`: bumped by 2 while the value is
    /// write-locked (so a reader holding the read lock sees the version of
    /// what it reads); the low bit is set once, when the last sender goes.
    /// One atomic word, so that checking for a change takes no lock.
    version: AtomicU64,
    state: Mutex<State>,
    /// Woken on every send and when the last sender leaves (sharded: many
    /// receivers wait at once).
    notify_rx: NotifyShards,
    /// Woken when the last receiver leaves (`Sender::closed`).
    notify_tx: Notify,
}

struct State {
    rx_count: usize,
    tx_count: usize,
}

impl<T> Shared<T> {
    /// The version (sends so far, wrapping) and whether every sender is
    /// gone, from one load.
    fn version_and_closed(&self) -> (u64, bool) {
        let word = self.version.load(Acquire);
        (word >> 1, word & 1 == 1)
    }

    fn version(&self) -> u64 {
        self.version_and_closed().0
    }
}

/// Creates a new watch channel, returning the "send" and "receive" handles.
///
/// All values sent by [`Sender`] will become visible to the [`Receiver`]
/// handles. Only the last value sent is made available to the [`Receiver`]
/// half. All intermediate values are dropped.
///
/// ```no_run
/// use magpie::sync::watch;
///
/// # async fn demo() {
/// let (tx, mut rx) = watch::channel("hello");
/// std::thread::spawn(move || {
///     tx.send("world").unwrap();
/// });
/// rx.changed().await.unwrap();
/// assert_eq!(*rx.borrow_and_update(), "world");
/// # }
/// ```
pub fn channel<T>(init: T) -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        value: RwLock::new(init),
        version: AtomicU64::new(0),
        state: Mutex::new(State {
            rx_count: 1,
            tx_count: 1,
        }),
        notify_rx: NotifyShards::new(),
        notify_tx: Notify::new(),
    });
    (
        Sender {
            shared: shared.clone(),
        },
        Receiver { shared, version: 0 },
    )
}

impl<T> Receiver<T> {
    /// Returns a reference to the most recently sent value.
    ///
    /// This method does not mark the returned value as seen, so future
    /// calls to [`changed`] may return immediately even if you have already
    /// seen the value with a call to `borrow`.
    ///
    /// [`changed`]: Receiver::changed
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (_tx, rx) = watch::channel(7);
    /// assert_eq!(*rx.borrow(), 7);
    /// # }
    /// ```
    pub fn borrow(&self) -> Ref<'_, T> {
        let inner = self.shared.value.read_recursive();
        let has_changed = self.shared.version() != self.version;
        Ref { inner, has_changed }
    }

    /// Returns a reference to the most recently sent value and marks that
    /// value as seen.
    ///
    /// This method marks the current value as seen. Subsequent calls to
    /// [`changed`] will not return immediately until the [`Sender`] has
    /// modified the shared value again.
    ///
    /// [`changed`]: Receiver::changed
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert!(rx.has_changed().unwrap());
    /// assert_eq!(*rx.borrow_and_update(), 1);
    /// assert!(!rx.has_changed().unwrap()); // marked seen
    /// # }
    /// ```
    pub fn borrow_and_update(&mut self) -> Ref<'_, T> {
        let inner = self.shared.value.read_recursive();
        let version = self.shared.version();
        let has_changed = version != self.version;
        self.version = version;
        Ref { inner, has_changed }
    }

    /// Checks if this channel contains a message that this receiver has not
    /// yet seen. The new value is not marked as seen.
    ///
    /// # Errors
    ///
    /// Returns a `RecvError` if and only if the channel has been closed
    /// (every sender dropped).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(0);
    /// assert!(!rx.has_changed().unwrap());
    /// tx.send(1).unwrap();
    /// assert!(rx.has_changed().unwrap());
    /// drop(tx);
    /// assert!(rx.has_changed().is_err());
    /// # }
    /// ```
    pub fn has_changed(&self) -> Result<bool, RecvError> {
        let (version, closed) = self.shared.version_and_closed();
        if closed {
            return Err(RecvError(()));
        }
        Ok(version != self.version)
    }

    /// Returns `true` if the sender has been dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(());
    /// assert!(!rx.is_closed());
    /// drop(tx);
    /// assert!(rx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.shared.version_and_closed().1
    }

    /// Marks the state as changed.
    ///
    /// After invoking this method [`has_changed()`](Self::has_changed)
    /// returns `true` and [`changed()`](Self::changed) returns immediately,
    /// regardless of whether a new value has been sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (_tx, mut rx) = watch::channel(0);
    /// rx.mark_changed();
    /// assert!(rx.has_changed().unwrap());
    /// rx.changed().await.unwrap(); // returns at once
    /// # }
    /// ```
    pub fn mark_changed(&mut self) {
        self.version = self.version.wrapping_sub(1);
    }

    /// Marks the state as unchanged.
    ///
    /// The current value will be considered seen by the receiver.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel(0);
    /// tx.send(1).unwrap();
    /// rx.mark_unchanged();
    /// assert!(!rx.has_changed().unwrap());
    /// # }
    /// ```
    pub fn mark_unchanged(&mut self) {
        self.version = self.shared.version();
    }

    /// Waits for a change notification, then marks the newest value as
    /// seen.
    ///
    /// If the newest value in the channel has not yet been marked seen when
    /// this method is called, the method marks that value seen and returns
    /// immediately. If the newest value has already been marked seen, then
    /// the method sleeps until a new message is sent by the [`Sender`]
    /// connected to this `Receiver`, or until the [`Sender`] is dropped.
    ///
    /// This method returns an error if and only if the [`Sender`] is
    /// dropped.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel("off");
    /// magpie::spawn(async move { tx.send("on").unwrap() });
    /// rx.changed().await.unwrap();
    /// assert_eq!(*rx.borrow(), "on");
    /// # }
    /// ```
    pub async fn changed(&mut self) -> Result<(), RecvError> {
        changed_impl(&self.shared, &mut self.version).await
    }

    /// Waits for a value that satisfies the provided condition.
    ///
    /// This method will call the provided closure whenever something is
    /// sent on the channel. Once the closure returns `true`, this method
    /// will return a reference to the value that was passed to the closure.
    ///
    /// Before `wait_for` starts waiting for changes, it will call the
    /// closure on the current value. If the closure returns `true` when
    /// given the current value, then `wait_for` will immediately return a
    /// reference to the current value. This is the case even if the current
    /// value is already considered seen.
    ///
    /// The receiver will be marked as seen when this method returns.
    ///
    /// # Errors
    ///
    /// If the sender is dropped and the value no longer satisfies the
    /// condition, returns a `RecvError`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel(false);
    /// magpie::spawn(async move { tx.send(true).unwrap() });
    /// assert!(*rx.wait_for(|ready| *ready).await.unwrap());
    /// # }
    /// ```
    pub async fn wait_for(&mut self, f: impl FnMut(&T) -> bool) -> Result<Ref<'_, T>, RecvError> {
        cooperative(self.wait_for_inner(f)).await
    }

    async fn wait_for_inner(
        &mut self,
        mut f: impl FnMut(&T) -> bool,
    ) -> Result<Ref<'_, T>, RecvError> {
        let mut closed = false;
        loop {
            {
                let inner = self.shared.value.read_recursive();
                let version = self.shared.version();
                let has_changed = version != self.version;
                self.version = version;
                if !closed || has_changed {
                    // If `f` panics, unwinding drops `inner`: the read
                    // lock is released (nothing to poison).
                    if f(&inner) {
                        return Ok(Ref { inner, has_changed });
                    }
                }
            }
            if closed {
                return Err(RecvError(()));
            }
            closed = changed_impl(&self.shared, &mut self.version).await.is_err();
        }
    }

    /// Returns `true` if receivers belong to the same channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (_tx, rx) = watch::channel(());
    /// let (_tx2, other) = watch::channel(());
    /// assert!(rx.same_channel(&rx.clone()));
    /// assert!(!rx.same_channel(&other));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

/// Waits until `version` differs from the channel's (then adopts it), or
/// the channel is closed.
async fn changed_impl<T>(shared: &Shared<T>, version: &mut u64) -> Result<(), RecvError> {
    let check = |version: &mut u64| {
        let (current, closed) = shared.version_and_closed();
        if current != *version {
            *version = current;
            return Some(Ok(()));
        }
        closed.then_some(Err(RecvError(())))
    };
    let mut notified = None;
    // One poll loop (no nested async fn): budget, check, and only when
    // nothing changed a `Notified`, created before the next check so that
    // a send in between still wakes us.
    std::future::poll_fn(move |cx| {
        let coop = ready!(crate::coop::poll_proceed(cx));
        loop {
            if let Some(r) = check(version) {
                coop.made_progress();
                return Poll::Ready(r);
            }
            match notified.as_mut() {
                None => notified = Some(shared.notify_rx.notified_for(version)),
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

impl<T> Clone for Receiver<T> {
    fn clone(&self) -> Self {
        self.shared.state.lock().rx_count += 1;
        Receiver {
            shared: self.shared.clone(),
            version: self.version,
        }
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let last = {
            let mut st = self.shared.state.lock();
            st.rx_count -= 1;
            st.rx_count == 0
        };
        if last {
            self.shared.notify_tx.notify_waiters();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Receiver")
            .field("version", &self.version)
            .finish_non_exhaustive()
    }
}

impl<T> Sender<T> {
    /// Creates the sending-half of the [`watch`](crate::sync::watch)
    /// channel, with no receiver yet (use [`Sender::subscribe`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let tx = watch::Sender::new(0);
    /// let rx = tx.subscribe();
    /// tx.send(1).unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// # }
    /// ```
    pub fn new(init: T) -> Self {
        let (tx, _) = channel(init);
        tx
    }

    /// Sends a new value via the channel, notifying all receivers.
    ///
    /// This method fails if the channel is closed, which is the case when
    /// every receiver has been dropped. It is possible to reopen the
    /// channel using the [`subscribe`] method. However, when `send` fails,
    /// the value isn't made available for future receivers (but returned
    /// with the [`SendError`]).
    ///
    /// To always make a new value available for future receivers, even if
    /// no receiver currently exists, one of the other send methods
    /// ([`send_if_modified`], [`send_modify`], or [`send_replace`]) can be
    /// used instead.
    ///
    /// [`subscribe`]: Sender::subscribe
    /// [`send_if_modified`]: Sender::send_if_modified
    /// [`send_modify`]: Sender::send_modify
    /// [`send_replace`]: Sender::send_replace
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(0);
    /// tx.send(1).unwrap();
    /// assert_eq!(*rx.borrow(), 1);
    /// drop(rx);
    /// assert!(tx.send(2).is_err()); // no receivers
    /// # }
    /// ```
    pub fn send(&self, value: T) -> Result<(), SendError<T>> {
        if self.receiver_count() == 0 {
            return Err(SendError(value));
        }
        self.send_replace(value);
        Ok(())
    }

    /// Modifies the watched value **unconditionally** in-place, notifying
    /// all receivers.
    ///
    /// This can be useful for modifying the watched value, without having
    /// to allocate a new instance. Additionally, this method permits
    /// sending values even when there are no receivers.
    ///
    /// # Panics
    ///
    /// This function panics when the invocation of the `modify` closure
    /// panics. No receivers are notified then, and the lock is released.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(vec![1]);
    /// tx.send_modify(|v| v.push(2)); // modifies in place, even with no receivers
    /// assert_eq!(*rx.borrow(), [1, 2]);
    /// # }
    /// ```
    pub fn send_modify<F>(&self, modify: F)
    where
        F: FnOnce(&mut T),
    {
        self.send_if_modified(|value| {
            modify(value);
            true
        });
    }

    /// Modifies the watched value **conditionally** in-place, notifying
    /// all receivers only if modified.
    ///
    /// The `modify` closure must return `true` if the value has actually
    /// been modified during the mutable borrow. It should only return
    /// `false` if the value is guaranteed to be unmodified despite the
    /// mutable borrow. Receivers are only notified if the closure returned
    /// `true`.
    ///
    /// Returns the result of the closure.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, mut rx) = watch::channel(5);
    /// let changed = tx.send_if_modified(|v| {
    ///     if *v == 5 {
    ///         return false; // nothing to tell the receivers
    ///     }
    ///     *v = 5;
    ///     true
    /// });
    /// assert!(!changed);
    /// assert!(!rx.has_changed().unwrap());
    /// # rx.mark_unchanged();
    /// # }
    /// ```
    pub fn send_if_modified<F>(&self, modify: F) -> bool
    where
        F: FnOnce(&mut T) -> bool,
    {
        {
            let mut lock = self.shared.value.write();
            if !modify(&mut lock) {
                return false;
            }
            // Bumped while the value is write-locked: a reader holding the
            // read lock sees the version of what it reads.
            self.shared.version.fetch_add(2, Release);
        }
        self.shared.notify_rx.notify_waiters();
        true
    }

    /// Sends a new value via the channel, notifying all receivers and
    /// returning the previous value in the channel.
    ///
    /// This can be useful for reusing the buffers inside a watched value.
    /// Additionally, this method permits sending values even when there
    /// are no receivers.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = watch::channel(1);
    /// assert_eq!(tx.send_replace(2), 1);
    /// # }
    /// ```
    pub fn send_replace(&self, mut value: T) -> T {
        self.send_modify(|old| std::mem::swap(old, &mut value));
        value
    }

    /// Returns a reference to the most recently sent value.
    ///
    /// Outstanding borrows hold a read lock: keep them short.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = watch::channel(3);
    /// assert_eq!(*tx.borrow(), 3);
    /// # }
    /// ```
    pub fn borrow(&self) -> Ref<'_, T> {
        Ref {
            inner: self.shared.value.read_recursive(),
            has_changed: false,
        }
    }

    /// Checks if the channel has been closed. This happens when all
    /// receivers have dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(());
    /// drop(rx);
    /// assert!(tx.is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        self.receiver_count() == 0
    }

    /// Completes when all receivers have dropped.
    ///
    /// This allows the producer to get notified when interest in the
    /// produced values is canceled and immediately stop doing work. Once a
    /// channel is closed, the only way to reopen it is to call
    /// [`Sender::subscribe`] to get a new receiver.
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = watch::channel(());
    /// magpie::spawn(async move { drop(rx) });
    /// tx.closed().await; // all receivers are gone
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

    /// Creates a new [`Receiver`] connected to this `Sender`.
    ///
    /// All messages sent before this call to `subscribe` are initially
    /// marked as seen by the new `Receiver`.
    ///
    /// This method can be called even if there are no other receivers. In
    /// this case, the channel is reopened.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = watch::channel(1);
    /// let rx2 = tx.subscribe();
    /// assert_eq!(*rx2.borrow(), 1);
    /// # }
    /// ```
    pub fn subscribe(&self) -> Receiver<T> {
        self.shared.state.lock().rx_count += 1;
        let version = self.shared.version();
        Receiver {
            shared: self.shared.clone(),
            version,
        }
    }

    /// Returns the number of receivers that currently exist.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = watch::channel(());
    /// let _rx2 = tx.subscribe();
    /// assert_eq!(tx.receiver_count(), 2);
    /// # }
    /// ```
    pub fn receiver_count(&self) -> usize {
        self.shared.state.lock().rx_count
    }

    /// Returns the number of senders that currently exist.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = watch::channel(());
    /// let _tx2 = tx.clone();
    /// assert_eq!(tx.sender_count(), 2);
    /// # }
    /// ```
    pub fn sender_count(&self) -> usize {
        self.shared.state.lock().tx_count
    }

    /// Returns `true` if senders belong to the same channel.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::watch;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, _rx) = watch::channel(());
    /// assert!(tx.same_channel(&tx.clone()));
    /// # }
    /// ```
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.shared, &other.shared)
    }
}

impl<T> Clone for Sender<T> {
    fn clone(&self) -> Self {
        self.shared.state.lock().tx_count += 1;
        Sender {
            shared: self.shared.clone(),
        }
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let last = {
            let mut st = self.shared.state.lock();
            st.tx_count -= 1;
            let last = st.tx_count == 0;
            if last {
                self.shared.version.fetch_or(1, Release);
            }
            last
        };
        if last {
            self.shared.notify_rx.notify_waiters();
        }
    }
}

impl<T: fmt::Debug> fmt::Debug for Sender<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sender").finish_non_exhaustive()
    }
}
