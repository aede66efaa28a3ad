//! The channel shared by the bounded and unbounded flavours.
//!
//! # Design
//!
//! A `VecDeque` of messages under one mutex, plus, for the bounded flavour,
//! a fair [`batch_semaphore`](crate::sync::batch_semaphore) holding one
//! permit per free slot. A sender first acquires a permit (that is where it
//! waits when the channel is full, FIFO with the other senders, cancel-safe;
//! one CAS when there is room), then pushes under the lock; the receiver
//! gives the permit back as it receives the message.
//!
//! The receiver does not lock per message: it owns a second queue
//! ([`RxBuf`], inside the `Receiver`) and receives from it; only when that
//! runs dry does it lock the channel and *swap* the two, taking every
//! message sent so far at once (an O(1) swap; the senders continue in the
//! emptied buffer's allocation). Order is kept: everything in the
//! receiver's buffer was pushed before anything still in the shared queue.
//! Both buffers only grow to the largest number of messages queued at once
//! and are reused after that, so a message on a channel with room costs a
//! CAS, a lock and a push for the sender, no allocation.
//!
//! We chose this over a lock-free block list (tokio's) for being obviously
//! correct: every shared transition below happens under the channel lock,
//! which is held for a handful of instructions. The two locks nest only as
//! channel -> semaphore (the `idle` check reads the semaphore's word);
//! nothing takes them the other way.
//!
//! # State
//!
//! ```text
//!   queue       messages sent, not yet taken by the receiver (which
//!               holds the older ones in its RxBuf)
//!   tx_count    live Senders (+ OwnedPermits, which hold one); 0 = closed
//!   rx_closed   Receiver::close called or Receiver dropped; also closes the
//!               semaphore, so waiting and future reserves fail
//!   rx_waker    the receiver's waker, taken by whoever makes `recv` ready:
//!               a push, the last Sender leaving, or (once rx_closed) a
//!               Permit given back unused
//!
//!   recv: Some(msg)   if RxBuf or queue non-empty
//!         None        if both empty and (tx_count == 0
//!                                         or (rx_closed and every permit is
//!                                             back in the semaphore))
//!         Pending     otherwise (waker stored)
//! ```
//!
//! After `close`, permits already handed out can still send, and `recv`
//! drains the buffer and waits for them before reporting `None`.

use crate::loom::sync::{Arc, Mutex};
use crate::sync::Notify;
use crate::sync::batch_semaphore as ll;
use std::collections::VecDeque;
use std::fmt;
use std::task::{Context, Poll, Waker, ready};

pub(super) struct Chan<T> {
    state: Mutex<State<T>>,
    /// Free slots (bounded only; unused by the unbounded flavour).
    pub(super) sem: ll::Semaphore,
    /// `Some(capacity)` when bounded.
    bound: Option<usize>,
    notify_rx_closed: Notify,
}

struct State<T> {
    queue: VecDeque<T>,
    tx_count: usize,
    weak_count: usize,
    rx_closed: bool,
    rx_dropped: bool,
    rx_waker: Option<Waker>,
}

/// Result of trying to take messages.
pub(super) enum Recv {
    Got,
    Empty,
    Closed,
}

impl<T> Chan<T> {
    /// A channel with one live sender.
    pub(super) fn new(bound: Option<usize>) -> Arc<Chan<T>> {
        Arc::new(Chan {
            state: Mutex::new(State {
                queue: VecDeque::new(),
                tx_count: 1,
                weak_count: 0,
                rx_closed: false,
                rx_dropped: false,
                rx_waker: None,
            }),
            sem: ll::Semaphore::new(bound.unwrap_or(0)),
            bound,
            notify_rx_closed: Notify::new(),
        })
    }

    pub(super) fn bound(&self) -> Option<usize> {
        self.bound
    }

    // ===== senders =====

    /// Pushes a message the caller has room for (a permit, or unbounded).
    /// Hands it back if the receiver is gone (for the caller to drop).
    pub(super) fn push(&self, value: T) -> Result<(), T> {
        let waker = {
            let mut st = self.state.lock();
            if st.rx_dropped {
                return Err(value);
            }
            st.queue.push_back(value);
            st.rx_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }

    /// Unbounded send: fails once the receiver closed.
    pub(super) fn push_unbounded(&self, value: T) -> Result<(), T> {
        let waker = {
            let mut st = self.state.lock();
            if st.rx_closed {
                return Err(value);
            }
            st.queue.push_back(value);
            st.rx_waker.take()
        };
        if let Some(w) = waker {
            w.wake();
        }
        Ok(())
    }

    /// Gives back `n` unused permits (bounded only).
    pub(super) fn release_permits(&self, n: usize) {
        self.sem.release(n);
        // After `close`, the receiver may be waiting for the last permit.
        let waker = {
            let mut st = self.state.lock();
            if st.rx_closed {
                st.rx_waker.take()
            } else {
                None
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub(super) fn is_closed_for_tx(&self) -> bool {
        self.state.lock().rx_closed
    }

    /// Completes when the receiver has closed or been dropped.
    pub(super) async fn closed(&self) {
        loop {
            let notified = self.notify_rx_closed.notified();
            if self.is_closed_for_tx() {
                return;
            }
            notified.await;
        }
    }

    pub(super) fn add_tx(&self) {
        self.state.lock().tx_count += 1;
    }

    pub(super) fn drop_tx(&self) {
        let waker = {
            let mut st = self.state.lock();
            st.tx_count -= 1;
            if st.tx_count == 0 {
                st.rx_waker.take()
            } else {
                None
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    /// `WeakSender::upgrade`: a new sender unless all are gone.
    pub(super) fn try_add_tx(&self) -> bool {
        let mut st = self.state.lock();
        if st.tx_count == 0 {
            return false;
        }
        st.tx_count += 1;
        true
    }

    pub(super) fn add_weak(&self) {
        self.state.lock().weak_count += 1;
    }

    pub(super) fn drop_weak(&self) {
        self.state.lock().weak_count -= 1;
    }

    pub(super) fn strong_count(&self) -> usize {
        self.state.lock().tx_count
    }

    pub(super) fn weak_count(&self) -> usize {
        self.state.lock().weak_count
    }

    // ===== receiver =====

    /// Whether every permit is back (no send can still happen).
    fn idle(&self) -> bool {
        match self.bound {
            Some(bound) => self.sem.available_permits() == bound,
            None => true,
        }
    }

    /// Refills the receiver's `buf` from the shared queue, under the lock
    /// `st`: swaps the two when `buf` is empty (so the senders push into
    /// the emptied buffer's allocation), else tops `buf` up to `limit`.
    fn refill(st: &mut State<T>, buf: &mut VecDeque<T>, limit: usize) {
        if st.queue.is_empty() {
            // Nothing to take (and swapping two empty buffers would move
            // the grown allocation back to where the senders push).
        } else if buf.is_empty() {
            std::mem::swap(buf, &mut st.queue);
        } else {
            let more = st.queue.len().min(limit - buf.len());
            buf.extend(st.queue.drain(..more));
        }
    }

    /// Moves up to `limit` (>= 1) messages from `buf` into `out`, and gives
    /// their permits back.
    fn take(&self, buf: &mut VecDeque<T>, out: &mut impl Extend<T>, limit: usize) -> usize {
        let n = buf.len().min(limit);
        out.extend(buf.drain(..n));
        if self.bound.is_some() {
            self.sem.release(n);
        }
        n
    }

    /// Moves up to `limit` (>= 1) messages into `out`. `buf` is the
    /// receiver's own buffer (see [`RxBuf`]).
    pub(super) fn try_recv_into(
        &self,
        buf: &mut RxBuf<T>,
        out: &mut impl Extend<T>,
        limit: usize,
    ) -> Recv {
        let buf = &mut buf.0;
        if buf.len() < limit {
            let mut st = self.state.lock();
            Self::refill(&mut st, buf, limit);
            if buf.is_empty() {
                return if st.tx_count == 0 || (st.rx_closed && self.idle()) {
                    Recv::Closed
                } else {
                    Recv::Empty
                };
            }
        }
        self.take(buf, out, limit);
        Recv::Got
    }

    /// Polls for up to `limit` (>= 1) messages. `buf` is the receiver's
    /// own buffer (see [`RxBuf`]).
    pub(super) fn poll_recv_into(
        &self,
        cx: &mut Context<'_>,
        buf: &mut RxBuf<T>,
        out: &mut impl Extend<T>,
        limit: usize,
    ) -> Poll<usize> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let buf = &mut buf.0;
        if buf.len() < limit {
            let mut st = self.state.lock();
            Self::refill(&mut st, buf, limit);
            if buf.is_empty() {
                if st.tx_count == 0 || (st.rx_closed && self.idle()) {
                    coop.made_progress();
                    return Poll::Ready(0);
                }
                match &st.rx_waker {
                    Some(w) if w.will_wake(cx.waker()) => {}
                    _ => st.rx_waker = Some(cx.waker().clone()),
                }
                return Poll::Pending;
            }
        }
        let n = self.take(buf, out, limit);
        coop.made_progress();
        Poll::Ready(n)
    }

    /// `Receiver::close`: no new sends; buffered ones stay receivable.
    pub(super) fn close_rx(&self) {
        {
            let mut st = self.state.lock();
            if st.rx_closed {
                return;
            }
            st.rx_closed = true;
        }
        self.sem.close();
        self.notify_rx_closed.notify_waiters();
    }

    /// The receiver is dropped: close, and drop every buffered message.
    pub(super) fn drop_rx(&self, buf: &mut RxBuf<T>) {
        self.close_rx();
        let mut drained = {
            let mut st = self.state.lock();
            st.rx_dropped = true;
            std::mem::take(&mut st.queue)
        };
        drained.append(&mut buf.0);
        if self.bound.is_some() {
            self.sem.release(drained.len());
        }
        drop(drained);
    }

    pub(super) fn is_closed_for_rx(&self) -> bool {
        let st = self.state.lock();
        st.tx_count == 0 || st.rx_closed
    }

    /// Messages sent and not yet received (`buf`: the receiver's).
    pub(super) fn len(&self, buf: &RxBuf<T>) -> usize {
        buf.0.len() + self.state.lock().queue.len()
    }
}

impl<T> fmt::Debug for Chan<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.lock();
        f.debug_struct("Chan")
            .field("queued", &st.queue.len())
            .field("bound", &self.bound)
            .field("tx_count", &st.tx_count)
            .field("rx_closed", &st.rx_closed)
            .field("sem", &self.sem)
            .finish()
    }
}

/// The receiver's side of the queue, owned by the `Receiver` and only
/// touched through `&mut` (so without the lock).
///
/// The receiver takes messages from here; only when it runs dry does it
/// lock the channel and swap it with the shared queue, taking every message
/// sent so far in one go. Senders keep pushing into the other buffer
/// meanwhile, and each message still gives its permit back when it is
/// received, one by one, so `capacity()` is as before.
pub(super) struct RxBuf<T>(VecDeque<T>);

impl<T> RxBuf<T> {
    pub(super) fn new() -> Self {
        RxBuf(VecDeque::new())
    }
}

// SAFETY: a shared `&RxBuf` gives access to nothing but the queue's length
// (`Chan::len`); the messages themselves are only reached through
// `&mut RxBuf`, i.e. by the one thread owning the `Receiver` at the time.
// So sharing it between threads only needs `T: Send`, as tokio's
// `Receiver<T>: Sync` does.
unsafe impl<T: Send> Sync for RxBuf<T> {}

/// An `Extend` target holding at most one message (for `recv`).
pub(super) struct One<T>(pub(super) Option<T>);

impl<T> Extend<T> for One<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        for v in iter {
            debug_assert!(self.0.is_none());
            self.0 = Some(v);
        }
    }
}
