//! The unbounded channel: sending never waits.

use super::chan::{Chan, One, Recv, RxBuf};
use super::error::{SendError, TryRecvError};
use crate::loom::sync::Arc;
use std::fmt;
use std::task::{Context, Poll};

/// Send values to the associated `UnboundedReceiver`.
///
/// Instances are created by the [`unbounded_channel`] function.
pub struct UnboundedSender<T> {
    chan: Arc<Chan<T>>,
}

/// An unbounded sender that does not prevent the channel from being closed.
///
/// If all [`UnboundedSender`] instances of a channel were dropped and only
/// `WeakUnboundedSender` instances remain, the channel is closed.
pub struct WeakUnboundedSender<T> {
    chan: Arc<Chan<T>>,
}

/// Receive values from the associated `UnboundedSender`.
///
/// Instances are created by the [`unbounded_channel`] function.
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
    pub async fn recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        std::future::poll_fn(|cx| self.poll_recv_many(cx, buffer, limit)).await
    }

    /// Tries to receive the next value for this receiver.
    ///
    /// Returns [`TryRecvError::Empty`] if the channel is currently empty but
    /// senders remain, [`TryRecvError::Disconnected`] if it is empty and
    /// closed.
    pub fn try_recv(&mut self) -> Result<T, TryRecvError> {
        let mut slot = One(None);
        match self.chan.try_recv_into(&mut self.buf, &mut slot, 1) {
            Recv::Got => Ok(slot.0.take().expect("one message")),
            Recv::Empty => Err(TryRecvError::Empty),
            Recv::Closed => Err(TryRecvError::Disconnected),
        }
    }

    /// Blocking receive to call outside of asynchronous contexts.
    #[track_caller]
    pub fn blocking_recv(&mut self) -> Option<T> {
        crate::sync::blocking::block_on(self.recv())
    }

    /// Variant of [`Self::recv_many`] for blocking contexts.
    #[track_caller]
    pub fn blocking_recv_many(&mut self, buffer: &mut Vec<T>, limit: usize) -> usize {
        crate::sync::blocking::block_on(self.recv_many(buffer, limit))
    }

    /// Closes the receiving half of a channel, without dropping it.
    ///
    /// This prevents any further messages from being sent on the channel
    /// while still enabling the receiver to drain messages that are
    /// buffered.
    pub fn close(&mut self) {
        self.chan.close_rx();
    }

    /// Checks if a channel is closed.
    ///
    /// The channel is closed when all [`UnboundedSender`] have been
    /// dropped, or when [`UnboundedReceiver::close`] is called.
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed_for_rx()
    }

    /// Checks if a channel is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Returns the number of messages in the channel.
    pub fn len(&self) -> usize {
        self.chan.len(&self.buf)
    }

    /// Polls to receive the next message on this channel.
    ///
    /// Returns `Poll::Ready(None)` once the channel is closed and drained.
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut slot = One(None);
        match self.chan.poll_recv_into(cx, &mut self.buf, &mut slot, 1) {
            Poll::Ready(_) => Poll::Ready(slot.0),
            Poll::Pending => Poll::Pending,
        }
    }

    /// Polls to receive multiple messages on this channel, extending the
    /// provided buffer.
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
    pub fn sender_strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakUnboundedSender`] handles.
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
    pub fn send(&self, message: T) -> Result<(), SendError<T>> {
        self.chan.push_unbounded(message).map_err(SendError)
    }

    /// Completes when the receiver has dropped (or closed).
    ///
    /// # Cancel safety
    ///
    /// This method is cancel safe.
    pub async fn closed(&self) {
        self.chan.closed().await
    }

    /// Checks if the channel has been closed. This happens when the
    /// [`UnboundedReceiver`] is dropped, or when the
    /// [`UnboundedReceiver::close`] method is called.
    pub fn is_closed(&self) -> bool {
        self.chan.is_closed_for_tx()
    }

    /// Returns `true` if senders belong to the same channel.
    pub fn same_channel(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.chan, &other.chan)
    }

    /// Converts the `UnboundedSender` to a [`WeakUnboundedSender`] that does
    /// not count towards RAII semantics.
    #[must_use = "Downgrade creates a WeakSender without destroying the original non-weak sender."]
    pub fn downgrade(&self) -> WeakUnboundedSender<T> {
        self.chan.add_weak();
        WeakUnboundedSender {
            chan: self.chan.clone(),
        }
    }

    /// Returns the number of [`UnboundedSender`] handles.
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakUnboundedSender`] handles.
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
    pub fn upgrade(&self) -> Option<UnboundedSender<T>> {
        self.chan.try_add_tx().then(|| UnboundedSender {
            chan: self.chan.clone(),
        })
    }

    /// Returns the number of [`UnboundedSender`] handles.
    pub fn strong_count(&self) -> usize {
        self.chan.strong_count()
    }

    /// Returns the number of [`WeakUnboundedSender`] handles.
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
