//! [`PollEvented`]: a mio source plus its reactor registration; every
//! socket type is built on it.
//!
//! The I/O methods follow one recipe: spend a unit of the cooperative
//! budget, wait for readiness, run the non-blocking operation, on
//! `WouldBlock` clear the readiness (tick-checked) and wait again. A
//! completed operation keeps its budget unit spent.

use magpie_reactor::io::{Direction, Interest, Ready, Registration};
use mio::event::Source;
use std::future::poll_fn;
use std::io;
use std::ops::Deref;
use std::task::{Context, Poll, ready};

/// A registered mio source.
#[derive(Debug)]
pub(crate) struct PollEvented<E: Source> {
    /// `None` only during `into_inner` / drop.
    io: Option<E>,
    registration: Registration,
}

impl<E: Source> PollEvented<E> {
    /// Registers `io` for reading and writing with the current runtime.
    ///
    /// # Panics
    ///
    /// Outside a magpie runtime.
    #[track_caller]
    pub(crate) fn new(io: E) -> io::Result<Self> {
        Self::new_with_interest(io, Interest::READABLE | Interest::WRITABLE)
    }

    /// Registers `io` for `interest` with the current runtime.
    ///
    /// # Panics
    ///
    /// Outside a magpie runtime, or in one built without I/O (as tokio).
    #[track_caller]
    pub(crate) fn new_with_interest(mut io: E, interest: Interest) -> io::Result<Self> {
        let handle = crate::context::expect_driver("creating an I/O resource");
        if handle.io().is_none() {
            panic!(
                "a magpie runtime was found, but it has I/O disabled; \
                 call `enable_io` (or `enable_all`) on the runtime builder"
            );
        }
        let registration = Registration::new(&mut io, interest, &handle)?;
        Ok(PollEvented {
            io: Some(io),
            registration,
        })
    }

    /// Deregisters and returns the source.
    pub(crate) fn into_inner(mut self) -> io::Result<E> {
        let mut io = self.io.take().expect("source present until into_inner");
        self.registration.deregister(&mut io)?;
        Ok(io)
    }

    /// Waits for readiness within `interest` (budgeted).
    pub(crate) fn poll_ready(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
    ) -> Poll<io::Result<Ready>> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let event = ready!(self.registration.poll_interest(cx, interest))?;
        coop.made_progress();
        Poll::Ready(Ok(event.ready()))
    }

    /// `readable()`, `writable()` and `ready()` of the socket types.
    pub(crate) async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        poll_fn(|cx| self.poll_ready(cx, interest)).await
    }

    /// Runs `op` once readable, retrying on `WouldBlock` (budgeted).
    pub(crate) fn poll_read_io<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(cx, Direction::Read, op)
    }

    /// Runs `op` once writable, retrying on `WouldBlock` (budgeted).
    pub(crate) fn poll_write_io<R>(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        self.poll_io(cx, Direction::Write, op)
    }

    /// Reads with `op` once readable (budgeted), like
    /// [`poll_read_io`](Self::poll_read_io); `op` returns the byte count
    /// and whether the receive queue is now known to be empty
    /// (`Ok((n, drained))`). `drained` clears the readiness, so the next
    /// read waits for the next edge instead of paying a `recv` that returns
    /// `WouldBlock`. On a stream socket a short read (`0 < n < len`) means
    /// drained (tokio uses the same rule); `TcpStream` also asks the kernel
    /// (`TCP_INQ`), which covers reads that fill the buffer. Data that
    /// arrives after the read is a new edge with a new tick, so the
    /// tick-checked clear keeps it.
    pub(crate) fn poll_read_drained(
        &self,
        cx: &mut Context<'_>,
        op: impl FnMut() -> io::Result<(usize, bool)>,
    ) -> Poll<io::Result<usize>> {
        self.poll_io_drained(cx, Direction::Read, op)
    }

    /// Writes a buffer of `len` bytes with `op` once writable (budgeted);
    /// a short write (`0 < n < len`) means the send buffer is full, so the
    /// readiness is cleared as after `WouldBlock` (see
    /// [`poll_read_drained`](Self::poll_read_drained)).
    pub(crate) fn poll_write_buf(
        &self,
        cx: &mut Context<'_>,
        len: usize,
        mut op: impl FnMut() -> io::Result<usize>,
    ) -> Poll<io::Result<usize>> {
        self.poll_io_drained(cx, Direction::Write, || op().map(|n| (n, n > 0 && n < len)))
    }

    /// The loop behind the sized reads and writes: `op` returns the byte
    /// count and whether the readiness it used is spent.
    fn poll_io_drained(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        mut op: impl FnMut() -> io::Result<(usize, bool)>,
    ) -> Poll<io::Result<usize>> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        loop {
            let event = ready!(self.registration.poll_ready(cx, direction))?;
            match op() {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                    self.registration.clear_readiness(event)
                }
                res => {
                    let res = res.map(|(n, spent)| {
                        if spent {
                            self.registration.clear_readiness(event);
                        }
                        n
                    });
                    coop.made_progress();
                    return Poll::Ready(res);
                }
            }
        }
    }

    fn poll_io<R>(
        &self,
        cx: &mut Context<'_>,
        direction: Direction,
        op: impl FnMut() -> io::Result<R>,
    ) -> Poll<io::Result<R>> {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let res = ready!(self.registration.poll_io(cx, direction, op));
        coop.made_progress();
        Poll::Ready(res)
    }

    /// Awaits readiness for `interest` and runs `op`, until `op` does not
    /// return `WouldBlock` (tokio's `async_io`).
    pub(crate) async fn async_io<R>(
        &self,
        interest: Interest,
        mut op: impl FnMut() -> io::Result<R>,
    ) -> io::Result<R> {
        poll_fn(|cx| {
            let coop = ready!(crate::coop::poll_proceed(cx));
            loop {
                let event = ready!(self.registration.poll_interest(cx, interest))?;
                match op() {
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                        self.registration.clear_readiness(event)
                    }
                    res => {
                        coop.made_progress();
                        return Poll::Ready(res);
                    }
                }
            }
        })
        .await
    }

    /// Runs `op` if ready for `interest`, else `WouldBlock` (tokio's
    /// `try_io`).
    pub(crate) fn try_io<R>(
        &self,
        interest: Interest,
        op: impl FnOnce() -> io::Result<R>,
    ) -> io::Result<R> {
        self.registration.try_io(interest, op)
    }
}

impl<E: Source> Deref for PollEvented<E> {
    type Target = E;

    fn deref(&self) -> &E {
        self.io.as_ref().expect("source present until into_inner")
    }
}

impl<E: Source> Drop for PollEvented<E> {
    fn drop(&mut self) {
        if let Some(mut io) = self.io.take() {
            // Errors (e.g. the driver is gone) do not matter: the source is
            // closed right after, which removes it from epoll anyway.
            let _ = self.registration.deregister(&mut io);
        }
    }
}
