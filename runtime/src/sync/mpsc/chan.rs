//! The channel shared by the bounded and unbounded flavours.
//!
//! # Design
//!
//! A `VecDeque` of messages under one mutex, plus, for the bounded flavour,
//! a fair [`batch_semaphore`](crate::sync::batch_semaphore) holding one
//! permit per free slot. A sender first acquires a permit (that is where it
//! waits when the channel is full, FIFO with the other senders, cancel-safe),
//! then pushes under the lock; the receiver pops under the lock and gives
//! the permit back. The queue only grows to the largest number of messages
//! buffered at once and is reused after that, so a message on a channel
//! with room costs a lock and a push, no allocation.
//!
//! We chose this over a lock-free block list (tokio's) for being obviously
//! correct: every transition below happens under the channel lock, and the
//! lock is held for a handful of instructions. The two locks nest only as
//! channel -> semaphore (the `idle` check); nothing takes them the other way.
//!
//! # State
//!
//! ```text
//!   queue       messages sent, not yet received
//!   tx_count    live Senders (+ OwnedPermits, which hold one); 0 = closed
//!   rx_closed   Receiver::close called or Receiver dropped; also closes the
//!               semaphore, so waiting and future reserves fail
//!   rx_waker    the receiver's waker, taken by whoever makes `recv` ready:
//!               a push, the last Sender leaving, or (once rx_closed) a
//!               Permit given back unused
//!
//!   recv: Some(msg)   if queue non-empty
//!         None        if queue empty and (tx_count == 0
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

    /// Moves up to `limit` (>= 1) messages into `out`.
    pub(super) fn try_recv_into(&self, out: &mut impl Extend<T>, limit: usize) -> Recv {
        let n = {
            let mut st = self.state.lock();
            let n = st.queue.len().min(limit);
            if n == 0 {
                return if st.tx_count == 0 || (st.rx_closed && self.idle()) {
                    Recv::Closed
                } else {
                    Recv::Empty
                };
            }
            out.extend(st.queue.drain(..n));
            n
        };
        if self.bound.is_some() {
            self.sem.release(n);
        }
        Recv::Got
    }

    /// Polls for up to `limit` (>= 1) messages.
    pub(super) fn poll_recv_into(
        &self,
        cx: &mut Context<'_>,
        out: &mut impl Extend<T>,
        limit: usize,
    ) -> Poll<usize> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let n = {
            let mut st = self.state.lock();
            let n = st.queue.len().min(limit);
            if n == 0 {
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
            out.extend(st.queue.drain(..n));
            n
        };
        if self.bound.is_some() {
            self.sem.release(n);
        }
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
    pub(super) fn drop_rx(&self) {
        self.close_rx();
        let drained = {
            let mut st = self.state.lock();
            st.rx_dropped = true;
            std::mem::take(&mut st.queue)
        };
        if self.bound.is_some() {
            self.sem.release(drained.len());
        }
        drop(drained);
    }

    pub(super) fn is_closed_for_rx(&self) -> bool {
        let st = self.state.lock();
        st.tx_count == 0 || st.rx_closed
    }

    pub(super) fn len(&self) -> usize {
        self.state.lock().queue.len()
    }
}

impl<T> fmt::Debug for Chan<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.lock();
        f.debug_struct("Chan")
            .field("len", &st.queue.len())
            .field("bound", &self.bound)
            .field("tx_count", &st.tx_count)
            .field("rx_closed", &st.rx_closed)
            .field("sem", &self.sem)
            .finish()
    }
}

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
