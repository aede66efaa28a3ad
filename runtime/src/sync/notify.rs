//! Notifies a single task to wake up, or all waiting tasks.
//!
//! # Protocol
//!
//! One atomic word holds the generation (the number of `notify_waiters`
//! calls so far) and whether a permit is stored or waiters are queued; a
//! mutex guards the FIFO queue of registered `Notified` futures:
//!
//! ```text
//!   state = generation << 2 | EMPTY (0) | WAITING (1) | NOTIFIED (2)
//!
//!   EMPTY     no permit, nobody queued
//!   NOTIFIED  a permit is stored (nobody queued)
//!   WAITING   the queue is non-empty (no permit)
//!   WAITING is entered and left only under the lock; while it is set the
//!   word changes only under the lock.
//! ```
//!
//! Without waiters nothing takes the lock: `notified()` loads the
//! generation, `notify_one` CASes EMPTY -> NOTIFIED, a first poll takes a
//! stored permit with a CAS NOTIFIED -> EMPTY, and `notify_waiters` adds
//! one to the generation with a CAS. A poll that must wait takes the lock
//! and CASes EMPTY -> WAITING (same generation) before queueing: if a
//! notification slipped in (generation moved, or a permit stored) the CAS
//! fails and the poll re-reads and completes instead. A notifier that sees
//! WAITING takes the lock; the one that empties the queue stores the word
//! back to EMPTY, keeping the generation.
//!
//! ```text
//!                poll/enable: generation moved since creation,
//!                             or a permit is stored (taken)
//!   Init(gen) ---------------------------------------------------> Done
//!     |                                                             ^
//!     | poll/enable otherwise: queue (word -> WAITING)              |
//!     v                                                             |
//!   Waiting(key) -- notify_one / notify_last: free the node, ONE -->|
//!     |          -- notify_waiters: free every node, ALL --------->-+
//!     |             (stored into the future's own `signal` atomic
//!     |              under the lock; the next poll reads it, no lock)
//!     +-- dropped: still PENDING (checked under the lock): free the
//!         node; ONE but not returned Ready yet: pass the notification
//!         on (next waiter, or the stored permit); ALL: nothing
//! ```
//!
//! The verdict word and why the node pointer stays valid:
//! `wait_list::Signal`.
//!
//! `notify_one` with nobody queued stores the permit (storing twice still
//! leaves one). `notify_waiters` stores nothing; a `Notified` created before
//! the call sees it through the generation, even if it was never polled.
//! Every access to the word is `SeqCst`, as the notifications order the
//! caller's own memory operations (a `notify_waiters` after a write is seen
//! by a `notified()` created after it, which then sees the write).

use super::wait_list::{Key, PENDING, Signal, WaitList, WakeList, verdict};
use crate::loom::sync::Mutex;
use crate::loom::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::fmt;
use std::future::Future;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Waker};

/// Notifies a single task to wake up.
///
/// `Notify` provides a basic mechanism to notify a single task of an event.
/// `Notify` itself does not carry any data. Instead, it is to be used to
/// signal another task to perform an operation.
///
/// A `Notify` can be thought of as a [`Semaphore`] starting with 0 permits.
/// The [`notified().await`] method waits for a permit to become available,
/// and [`notify_one()`] sets a permit **if there currently are no available
/// permits**.
///
/// If `notify_one()` is called **before** `notified().await`, then the next
/// call to `notified().await` will complete immediately, consuming the
/// permit. Any subsequent calls to `notified().await` will wait for a new
/// permit.
///
/// If `notify_one()` is called **multiple** times before `notified().await`,
/// only a **single** permit is stored.
///
/// [`Semaphore`]: crate::sync::Semaphore
/// [`notified().await`]: Notify::notified
/// [`notify_one()`]: Notify::notify_one
///
/// ```no_run
/// use magpie::sync::Notify;
/// use std::sync::Arc;
///
/// # async fn demo() {
/// let notify = Arc::new(Notify::new());
/// let notify2 = notify.clone();
/// std::thread::spawn(move || notify2.notify_one());
/// notify.notified().await;
/// # }
/// ```
pub struct Notify {
    /// `generation << 2 | EMPTY | WAITING | NOTIFIED`, see the module docs.
    state: AtomicUsize,
    waiters: Mutex<WaitList<Signal>>,
}

const EMPTY: usize = 0;
const WAITING: usize = 1;
const NOTIFIED: usize = 2;
const FLAGS: usize = 3;
/// One `notify_waiters` call.
const GENERATION_ONE: usize = 4;

fn generation(word: usize) -> usize {
    word >> 2
}

/// A queued `Notified`'s verdicts (its `signal`; `PENDING` while queued).
const SIGNAL_ONE: usize = 1;
const SIGNAL_ALL: usize = 2;

/// Future returned from [`Notify::notified()`].
///
/// This future is fused, so once it has completed, any future calls to poll
/// will immediately return `Poll::Ready`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use magpie::sync::Notify;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let notify = Arc::new(Notify::new());
/// let waiter = {
///     let notify = notify.clone();
///     magpie::spawn(async move { notify.notified().await })
/// };
/// notify.notify_one();
/// waiter.await.unwrap();
/// # }
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct Notified<'a> {
    notify: &'a Notify,
    state: NotifiedState,
    /// The verdict once queued (see `wait_list::Signal`); the queue node
    /// points here, hence `!Unpin` (as tokio's `Notified` is).
    signal: AtomicUsize,
    _pinned: PhantomPinned,
}

/// Future returned from [`Notify::notified_owned()`].
///
/// Same as [`Notified`], but owns an `Arc` of the `Notify` instead of
/// borrowing it, so it can be `'static`.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use magpie::sync::Notify;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let notify = Arc::new(Notify::new());
/// let notified = notify.clone().notified_owned(); // 'static: can move into a task
/// let waiter = magpie::spawn(notified);
/// notify.notify_one();
/// waiter.await.unwrap();
/// # }
/// ```
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct OwnedNotified {
    notify: Arc<Notify>,
    state: NotifiedState,
    /// As in [`Notified`].
    signal: AtomicUsize,
    _pinned: PhantomPinned,
}

#[derive(Debug, Clone, Copy)]
enum NotifiedState {
    Init { generation: usize },
    Waiting(Key),
    Done,
}

impl Notify {
    /// Create a new `Notify`, initialized without a permit.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Notify;
    ///
    /// let notify = Notify::new();
    /// notify.notify_one(); // stores a permit for the next `notified().await`
    /// ```
    pub fn new() -> Notify {
        Notify {
            state: AtomicUsize::new(EMPTY),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    /// Create a new `Notify`, initialized without a permit, usable in
    /// `static`s.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Notify;
    ///
    /// static NOTIFY: Notify = Notify::const_new();
    /// NOTIFY.notify_one();
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new() -> Notify {
        Notify {
            state: AtomicUsize::new(EMPTY),
            waiters: Mutex::new(WaitList::new()),
        }
    }

    /// Wait for a notification.
    ///
    /// Each `Notify` value holds a single permit. If a permit is available
    /// from an earlier call to [`notify_one()`], then `notified().await` will
    /// complete immediately, consuming that permit. Otherwise,
    /// `notified().await` waits for a permit to be made available by the
    /// next call to `notify_one()`.
    ///
    /// The `Notified` future is guaranteed to receive wakeups from
    /// `notify_waiters()` as soon as it has been created, even if it has not
    /// yet been polled.
    ///
    /// # Cancel safety
    ///
    /// This method uses a queue to fairly distribute notifications in the
    /// order they were requested. Cancelling a call to `notified` makes you
    /// lose your place in the queue; a notification it had already received
    /// is handed on to the next waiter.
    ///
    /// [`notify_one()`]: Notify::notify_one
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Notify;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Notify::new();
    /// notify.notify_one();
    /// notify.notified().await; // consumes the stored permit
    /// # }
    /// ```
    pub fn notified(&self) -> Notified<'_> {
        Notified {
            notify: self,
            state: self.init_state(),
            signal: AtomicUsize::new(PENDING),
            _pinned: PhantomPinned,
        }
    }

    /// Wait for a notification with an owned `Future`.
    ///
    /// Unlike [`Self::notified`] which returns a future tied to the
    /// `Notify`'s lifetime, `notified_owned` creates a self-contained
    /// future that owns its notification state, making it safe to move
    /// between threads. Same semantics otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Notify;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Arc::new(Notify::new());
    /// notify.notify_one();
    /// notify.clone().notified_owned().await;
    /// # }
    /// ```
    pub fn notified_owned(self: Arc<Self>) -> OwnedNotified {
        OwnedNotified {
            state: self.init_state(),
            notify: self,
            signal: AtomicUsize::new(PENDING),
            _pinned: PhantomPinned,
        }
    }

    fn init_state(&self) -> NotifiedState {
        NotifiedState::Init {
            generation: generation(self.state.load(SeqCst)),
        }
    }

    /// Notifies the first waiting task.
    ///
    /// If a task is currently waiting, that task is notified. Otherwise, a
    /// permit is stored in this `Notify` value and the **next** call to
    /// [`notified().await`] will complete immediately consuming the permit
    /// made available by this call to `notify_one()`.
    ///
    /// At most one permit may be stored by `Notify`. Many sequential calls
    /// to `notify_one` will result in a single permit being stored. The next
    /// call to `notified().await` will complete immediately, but the one
    /// after that will wait.
    ///
    /// [`notified().await`]: Notify::notified()
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Notify;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Arc::new(Notify::new());
    /// let n = notify.clone();
    /// let waiter = magpie::spawn(async move { n.notified().await });
    /// magpie::task::yield_now().await; // let the waiter start waiting
    /// notify.notify_one();
    /// waiter.await.unwrap();
    /// # }
    /// ```
    pub fn notify_one(&self) {
        self.notify(WaitList::front);
    }

    /// Notifies the last waiting task.
    ///
    /// Same as [`notify_one`](Notify::notify_one), but the most recently
    /// queued waiter gets the notification.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Notify;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Notify::new();
    /// notify.notify_last(); // stores a permit when nobody waits, like notify_one
    /// notify.notified().await;
    /// # }
    /// ```
    pub fn notify_last(&self) {
        self.notify(WaitList::back);
    }

    /// `notify_one` / `notify_last`: `pick` chooses the waiter.
    fn notify(&self, pick: impl FnOnce(&WaitList<Signal>) -> Option<Key>) {
        if self.try_store_permit() {
            return;
        }
        let waker = {
            let mut waiters = self.waiters.lock();
            let key = pick(&waiters);
            self.notify_or_store(&mut waiters, key)
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// Stores the permit if nobody is queued (no lock). `false`: the word
    /// says WAITING, the caller must take the lock.
    fn try_store_permit(&self) -> bool {
        let mut cur = self.state.load(SeqCst);
        loop {
            match cur & FLAGS {
                NOTIFIED => return true,
                EMPTY => {}
                _ => return false,
            }
            let next = (cur & !FLAGS) | NOTIFIED;
            match self.state.compare_exchange(cur, next, SeqCst, SeqCst) {
                Ok(_) => return true,
                Err(actual) => cur = actual,
            }
        }
    }

    /// Notifies all waiting tasks.
    ///
    /// If a task is currently waiting, that task is notified. Unlike with
    /// `notify_one()`, no permit is stored to be used by the next call to
    /// `notified().await`. The purpose of this method is to notify all
    /// already registered waiters. Registering for notification is done by
    /// acquiring an instance of the `Notified` future via calling
    /// `notified()`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Notify;
    ///
    /// use std::pin::pin;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Notify::new();
    /// let mut a = pin!(notify.notified());
    /// let mut b = pin!(notify.notified());
    /// a.as_mut().enable();
    /// b.as_mut().enable();
    /// notify.notify_waiters(); // wakes every registered waiter, stores no permit
    /// a.await;
    /// b.await;
    /// # }
    /// ```
    pub fn notify_waiters(&self) {
        let mut cur = self.state.load(SeqCst);
        while cur & FLAGS != WAITING {
            // Nobody queued: only the generation moves (a stored permit
            // stays).
            let next = cur.wrapping_add(GENERATION_ONE);
            match self.state.compare_exchange(cur, next, SeqCst, SeqCst) {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
        let mut wakers = WakeList::new();
        {
            let mut waiters = self.waiters.lock();
            while let Some(key) = waiters.front() {
                let (signal, waker) = waiters.take(key);
                signal.set(SIGNAL_ALL);
                wakers.push(waker);
            }
            // Under the lock the word cannot enter or leave WAITING without
            // us; if it is no longer WAITING (the queue emptied before we
            // got the lock), lock-free EMPTY <-> NOTIFIED steps may race:
            // CAS.
            let mut cur = self.state.load(SeqCst);
            loop {
                let mut next = cur.wrapping_add(GENERATION_ONE);
                if next & FLAGS == WAITING {
                    next &= !FLAGS;
                }
                match self.state.compare_exchange(cur, next, SeqCst, SeqCst) {
                    Ok(_) => break,
                    Err(actual) => cur = actual,
                }
            }
        }
        wakers.wake_all();
    }
}

impl Notify {
    /// Under the lock: gives `One` to waiter `key` (and leaves WAITING if
    /// the queue is now empty), or, with no waiter, stores the permit.
    fn notify_or_store(&self, waiters: &mut WaitList<Signal>, key: Option<Key>) -> Option<Waker> {
        match key {
            Some(key) => {
                let (signal, waker) = waiters.take(key);
                signal.set(SIGNAL_ONE);
                self.leave_waiting_if_empty(waiters);
                waker
            }
            None => {
                let stored = self.try_store_permit();
                debug_assert!(stored, "WAITING with an empty queue");
                None
            }
        }
    }

    /// Under the lock: if the queue is empty, WAITING -> EMPTY (same
    /// generation). While WAITING the word changes only under the lock,
    /// so a store is enough.
    fn leave_waiting_if_empty(&self, waiters: &WaitList<Signal>) {
        if waiters.is_empty() {
            let cur = self.state.load(SeqCst);
            if cur & FLAGS == WAITING {
                self.state.store(cur & !FLAGS, SeqCst);
            }
        }
    }

    /// Completes a `Notified` created at generation `seen` if it can be
    /// without queueing: the generation moved, or a permit is stored
    /// (taken, no lock). `Err(word)` otherwise.
    fn try_complete(&self, seen: usize) -> Result<(), usize> {
        let mut cur = self.state.load(SeqCst);
        loop {
            if generation(cur) != seen {
                return Ok(());
            }
            if cur & FLAGS != NOTIFIED {
                return Err(cur);
            }
            let next = cur & !FLAGS;
            match self.state.compare_exchange(cur, next, SeqCst, SeqCst) {
                Ok(_) => return Ok(()),
                Err(actual) => cur = actual,
            }
        }
    }
}

impl Default for Notify {
    fn default() -> Notify {
        Notify::new()
    }
}

impl fmt::Debug for Notify {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cur = self.state.load(SeqCst);
        f.debug_struct("Notify")
            .field("permit", &(cur & FLAGS == NOTIFIED))
            .field("waiters", &(cur & FLAGS == WAITING))
            .finish()
    }
}

impl Notified<'_> {
    /// Adds this future to the list of futures that are ready to receive
    /// wakeups from calls to [`notify_one`].
    ///
    /// Polling the future also adds it to the list, so this method should
    /// only be used if you want to add the future to the list before the
    /// first call to `poll`. (In fact, this method is equivalent to calling
    /// `poll` except that no `Waker` is registered.)
    ///
    /// This has no effect on notifications sent using [`notify_waiters`],
    /// which are received as long as they happen after the creation of the
    /// `Notified` regardless of whether `enable` or `poll` has been called.
    ///
    /// This method returns true if the `Notified` is ready. This happens in
    /// the following situations:
    ///
    ///  1. The `notify_waiters` method was called between the creation of
    ///     the `Notified` and the call to this method.
    ///  2. This is the first call to `enable` or `poll` on this future, and
    ///     the `Notify` was holding a permit from a previous call to
    ///     `notify_one`. The call consumes the permit in that case.
    ///  3. The future has previously been enabled or polled, and it has
    ///     since then been marked ready by either consuming a permit from
    ///     the `Notify`, or by a call to `notify_one` or `notify_waiters`
    ///     that removed it from the list of futures ready to receive
    ///     wakeups.
    ///
    /// If this method returns true, any future calls to poll on the same
    /// future will immediately return `Poll::Ready`.
    ///
    /// [`notify_one`]: Notify::notify_one
    /// [`notify_waiters`]: Notify::notify_waiters
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Notify;
    ///
    /// use std::pin::pin;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Notify::new();
    /// let mut notified = pin!(notify.notified());
    /// notified.as_mut().enable(); // now counts as waiting
    /// notify.notify_waiters();
    /// notified.await;
    /// # }
    /// ```
    pub fn enable(self: Pin<&mut Self>) -> bool {
        // SAFETY: nothing is moved out; `signal` stays where the queue
        // node points.
        let this = unsafe { self.get_unchecked_mut() };
        this.notify
            .poll_state(&mut this.state, &this.signal, None)
            .is_ready()
    }
}

impl Notify {
    /// Polls (or, with no waker, enables) a `Notified` whose state is
    /// `state`.
    fn poll_state(
        &self,
        state: &mut NotifiedState,
        signal: &AtomicUsize,
        waker: Option<&Waker>,
    ) -> Poll<()> {
        match *state {
            NotifiedState::Init { generation: seen } => {
                if self.try_complete(seen).is_ok() {
                    *state = NotifiedState::Done;
                    return Poll::Ready(());
                }
                let mut waiters = self.waiters.lock();
                // Under the lock, one of: complete after all (a notify
                // slipped in since `try_complete`), or CAS the word to
                // WAITING (a no-op if already WAITING) and queue.
                let mut cur = match self.try_complete(seen) {
                    Ok(()) => {
                        *state = NotifiedState::Done;
                        return Poll::Ready(());
                    }
                    Err(cur) => cur,
                };
                loop {
                    let next = cur | WAITING;
                    // `--cfg magpie_break` overwrites the word instead of
                    // CASing it, so that the loom model
                    // `notify_one_wakes_waiter` can show a permit stored
                    // in between being lost (docs/loom.md).
                    if cfg!(magpie_break) {
                        self.state.store(next, SeqCst);
                        break;
                    }
                    match self.state.compare_exchange(cur, next, SeqCst, SeqCst) {
                        Ok(_) => break,
                        Err(_) => match self.try_complete(seen) {
                            Ok(()) => {
                                *state = NotifiedState::Done;
                                return Poll::Ready(());
                            }
                            Err(actual) => cur = actual,
                        },
                    }
                }
                let key = waiters.push_back(Signal::new(signal), waker.cloned());
                *state = NotifiedState::Waiting(key);
                Poll::Pending
            }
            NotifiedState::Waiting(key) => {
                // Notified (node freed by the notifier): no lock.
                if verdict(signal) != PENDING {
                    *state = NotifiedState::Done;
                    return Poll::Ready(());
                }
                let mut waiters = self.waiters.lock();
                // Stable under the lock: still PENDING means the node is
                // ours to update.
                if verdict(signal) != PENDING {
                    *state = NotifiedState::Done;
                    return Poll::Ready(());
                }
                if let Some(w) = waker {
                    waiters.get_mut(key).set_waker(w);
                }
                Poll::Pending
            }
            NotifiedState::Done => Poll::Ready(()),
        }
    }

    /// A `Notified` in `state` is dropped.
    #[inline]
    fn drop_state(&self, state: NotifiedState, signal: &AtomicUsize) {
        if let NotifiedState::Waiting(key) = state {
            self.drop_waiting(key, signal);
        }
    }

    /// A `Notified` is dropped while queued (or notified, unobserved).
    fn drop_waiting(&self, key: Key, signal: &AtomicUsize) {
        // Woken by `notify_waiters`: nothing to give back, no lock.
        if verdict(signal) == SIGNAL_ALL {
            return;
        }
        let waker = {
            let mut waiters = self.waiters.lock();
            match verdict(signal) {
                // Still queued (stable under the lock): free the node; it
                // may have been the last one.
                PENDING => {
                    waiters.remove(key);
                    self.leave_waiting_if_empty(&waiters);
                    None
                }
                // Received a notify_one it never returned: pass it on.
                SIGNAL_ONE => {
                    let next = waiters.front();
                    self.notify_or_store(&mut waiters, next)
                }
                _ => None,
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl OwnedNotified {
    /// Adds this future to the list of futures that are ready to receive
    /// wakeups from calls to `notify_one`; see [`Notified::enable`].
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Notify;
    ///
    /// use std::pin::pin;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let notify = Arc::new(Notify::new());
    /// let mut notified = pin!(notify.clone().notified_owned());
    /// notified.as_mut().enable();
    /// notify.notify_waiters();
    /// notified.await;
    /// # }
    /// ```
    pub fn enable(self: Pin<&mut Self>) -> bool {
        // SAFETY: nothing is moved out; `signal` stays where the queue
        // node points.
        let this = unsafe { self.get_unchecked_mut() };
        this.notify
            .poll_state(&mut this.state, &this.signal, None)
            .is_ready()
    }
}

impl Future for OwnedNotified {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: nothing is moved out; `signal` stays where the queue
        // node points.
        let this = unsafe { self.get_unchecked_mut() };
        this.notify
            .poll_state(&mut this.state, &this.signal, Some(cx.waker()))
    }
}

impl Drop for OwnedNotified {
    fn drop(&mut self) {
        self.notify.drop_state(self.state, &self.signal);
    }
}

impl fmt::Debug for OwnedNotified {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedNotified")
            .field("state", &self.state)
            .finish()
    }
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // SAFETY: nothing is moved out; `signal` stays where the queue
        // node points.
        let this = unsafe { self.get_unchecked_mut() };
        this.notify
            .poll_state(&mut this.state, &this.signal, Some(cx.waker()))
    }
}

impl Drop for Notified<'_> {
    fn drop(&mut self) {
        self.notify.drop_state(self.state, &self.signal);
    }
}

impl fmt::Debug for Notified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Notified")
            .field("state", &self.state)
            .finish()
    }
}

/// `notify_waiters` over several `Notify` queues, for channels where many
/// tasks wait at once (watch and broadcast receivers): each waiter queues
/// on one shard, chosen from its address, and a notification wakes every
/// shard. Waiters polled on different workers then rarely contend for one
/// queue lock: with one `Notify`, 100 watch receivers on two workers spent
/// a tenth of their time in that lock.
pub(crate) struct NotifyShards {
    shards: [Notify; NotifyShards::COUNT],
}

impl NotifyShards {
    // Two under loom, to keep the models small.
    const COUNT: usize = if cfg!(loom) { 2 } else { 8 };

    pub(crate) fn new() -> NotifyShards {
        NotifyShards {
            shards: std::array::from_fn(|_| Notify::new()),
        }
    }

    /// A `Notified` on the shard of the waiter that owns `key` (any field
    /// of the waiter: the shard is a hash of its address, fixed while the
    /// waiter stays put, and spread over waiters in separate allocations).
    /// (Always the first shard under loom, whose models must be
    /// deterministic, and addresses are not.)
    pub(crate) fn notified_for<K>(&self, key: &K) -> Notified<'_> {
        let addr = std::ptr::from_ref(key) as usize as u64;
        let hash = (addr >> 3).wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 61;
        let shard = if cfg!(loom) {
            0
        } else {
            hash as usize % Self::COUNT
        };
        self.shards[shard].notified()
    }

    /// Wakes every waiter of every shard (stores no permit).
    pub(crate) fn notify_waiters(&self) {
        for notify in &self.shards {
            notify.notify_waiters();
        }
    }
}

impl fmt::Debug for NotifyShards {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifyShards").finish_non_exhaustive()
    }
}
