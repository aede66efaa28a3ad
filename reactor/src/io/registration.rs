//! [`Registration`]: one I/O resource's link to the reactor.
//!
//! # One reader, one writer (usually)
//!
//! A registration keeps a waker list per [`Direction`]. The expected use is
//! one task reading and one task writing (e.g. the two halves of a split
//! stream), which costs one waker per direction. Several tasks waiting in
//! the same direction (acceptors sharing a listener, receivers sharing a
//! UDP socket) are all woken by the next event in that direction and race
//! for it; the losers see `WouldBlock` and wait again. Nobody is forgotten.
//!
//! # Using readiness
//!
//! Readiness is edge-triggered: after an event the registration stays ready
//! until the caller sees `WouldBlock` and calls
//! [`clear_readiness`](Registration::clear_readiness) with the
//! [`ReadyEvent`] that told it to try. [`poll_io`](Registration::poll_io)
//! and [`try_io`](Registration::try_io) do this dance.

use crate::io::driver::{Handle as IoHandle, gone};
use crate::io::interest::Interest;
use crate::io::scheduled_io::{ReadyEvent, ScheduledIo};
use crate::loom::sync::Arc;
use std::io;
use std::task::{Context, Poll, ready};

/// Which waker list a wait uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Readable / read-closed readiness.
    Read,
    /// Writable / write-closed readiness.
    Write,
}

impl Direction {
    /// The interest this direction waits for.
    pub fn interest(self) -> Interest {
        match self {
            Direction::Read => Interest::READABLE,
            Direction::Write => Interest::WRITABLE,
        }
    }
}

/// A source registered with the reactor. Dropping it forgets the
/// registration (call [`deregister`](Registration::deregister) first to
/// also remove the source from the OS poller).
#[derive(Debug)]
pub struct Registration {
    handle: IoHandle,
    shared: Arc<ScheduledIo>,
    token: mio::Token,
}

impl Registration {
    /// Registers `source` for `interest` with the I/O driver of `handle`.
    ///
    /// Fails if the driver has I/O disabled or was shut down, or if the OS
    /// refuses the registration.
    pub fn new(
        source: &mut impl mio::event::Source,
        interest: Interest,
        handle: &crate::Handle,
    ) -> io::Result<Registration> {
        let io_handle = handle.io().ok_or_else(|| {
            io::Error::other(
                "the runtime has I/O disabled; enable it on the builder (enable_io / enable_all)",
            )
        })?;
        Registration::with_io_handle(source, interest, io_handle)
    }

    /// Like [`new`](Registration::new) with the I/O driver's own handle.
    pub fn with_io_handle(
        source: &mut impl mio::event::Source,
        interest: Interest,
        handle: &IoHandle,
    ) -> io::Result<Registration> {
        let shared = Arc::new(ScheduledIo::new());
        let token = handle
            .shared
            .set
            .lock()
            .allocate(shared.clone())
            .map_err(|_| gone())?;
        let registration = Registration {
            handle: handle.clone(),
            shared,
            token,
        };
        // On failure, dropping `registration` frees the slot.
        handle
            .shared
            .registry
            .register(source, token, interest.to_mio())?;
        Ok(registration)
    }

    /// Waits for readiness in `direction`; `Ready(Err)` once the driver is
    /// gone.
    pub fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.poll_interest(cx, direction.interest())
    }

    /// Waits for any readiness within `interest` (stores the waker in every
    /// direction `interest` names).
    pub fn poll_interest(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
    ) -> Poll<io::Result<ReadyEvent>> {
        self.shared
            .poll_readiness(cx, interest)
            .map(|r| r.map_err(|_| gone()))
    }

    /// The readiness within `interest` right now, without waiting.
    pub fn ready_now(&self, interest: Interest) -> io::Result<Option<ReadyEvent>> {
        self.shared.ready_event(interest).map_err(|_| gone())
    }

    /// Forgets `event`'s readiness (after an operation it allowed hit
    /// `WouldBlock`), unless a newer event has arrived since.
    pub fn clear_readiness(&self, event: ReadyEvent) {
        self.shared.clear_readiness(event);
    }

    /// Runs `op` when ready in `direction`; on `WouldBlock` clears the
    /// readiness and waits again.
    pub fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        loop {
            let event = ready!(self.poll_ready(cx, direction))?;
            match op() {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => self.clear_readiness(event),
                res => return Poll::Ready(res),
            }
        }
    }

    /// Runs `op` if the resource is ready within `interest`, else returns
    /// `WouldBlock` without calling it. `op` returning `WouldBlock` clears
    /// the readiness.
    pub fn try_io<R>(
        &self,
        interest: Interest,
        op: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        let Some(event) = self.ready_now(interest)? else {
            return Err(io::ErrorKind::WouldBlock.into());
        };
        let res = op();
        if let Err(e) = &res {
            if e.kind() == io::ErrorKind::WouldBlock {
                self.clear_readiness(event);
            }
        }
        res
    }

    /// Removes `source` from the OS poller.
    pub fn deregister(&mut self, source: &mut impl mio::event::Source) -> io::Result<()> {
        self.handle.shared.registry.deregister(source)
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        self.handle.shared.set.lock().remove(self.token);
    }
}
