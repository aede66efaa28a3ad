//! [`TcpStream`].

use crate::io::{Interest, PollEvented, Ready};
use crate::net::ToSocketAddrs;
use crate::net::addr::each_addr;
use crate::net::sockopt;
use crate::net::tcp::split::{ReadHalf, WriteHalf};
use crate::net::tcp::split_owned::{OwnedReadHalf, OwnedWriteHalf};
use std::fmt;
use std::future::poll_fn;
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::net::SocketAddr;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
use std::task::{Context, Poll};
use std::time::Duration;

/// A TCP stream between a local and a remote socket.
///
/// Created by [`connect`](TcpStream::connect)ing to a remote host, or by
/// [`accept`](crate::net::TcpListener::accept)ing on a listener. Reading
/// and writing go through [`AsyncReadExt`](crate::io::AsyncReadExt) and
/// [`AsyncWriteExt`](crate::io::AsyncWriteExt); `close()` shuts down the
/// write half (tokio's `shutdown()`). Dropping the stream closes it.
///
/// ```no_run
/// use magpie::io::AsyncWriteExt;
/// use magpie::net::TcpStream;
///
/// # async fn dox() -> std::io::Result<()> {
/// let mut stream = TcpStream::connect("127.0.0.1:8080").await?;
/// stream.write_all(b"hello world!").await?;
/// # Ok(()) }
/// ```
pub struct TcpStream {
    io: PollEvented<mio::net::TcpStream>,
}

impl TcpStream {
    /// Opens a TCP connection to a remote host.
    ///
    /// `addr` may resolve to several addresses; each is tried in order and
    /// the first that connects is returned, else the last error.
    pub async fn connect<A: ToSocketAddrs>(addr: A) -> io::Result<TcpStream> {
        each_addr(addr, TcpStream::connect_addr).await
    }

    async fn connect_addr(addr: SocketAddr) -> io::Result<TcpStream> {
        let sys = mio::net::TcpStream::connect(addr)?;
        TcpStream::connect_mio(sys).await
    }

    /// Waits for a non-blocking connect started on `sys` to finish.
    pub(crate) async fn connect_mio(sys: mio::net::TcpStream) -> io::Result<TcpStream> {
        let stream = TcpStream::new(sys)?;
        // Writable (or write-closed, on failure) once the connect resolved.
        poll_fn(|cx| stream.io.poll_ready(cx, Interest::WRITABLE)).await?;
        if let Some(e) = stream.io.take_error()? {
            return Err(e);
        }
        Ok(stream)
    }

    #[track_caller]
    pub(crate) fn new(sys: mio::net::TcpStream) -> io::Result<TcpStream> {
        Ok(TcpStream {
            io: PollEvented::new(sys)?,
        })
    }

    /// Creates a new `TcpStream` from a `std::net::TcpStream` (which is
    /// switched to non-blocking mode).
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    #[track_caller]
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::new(mio::net::TcpStream::from_std(stream))
    }

    /// Turns this stream into a `std::net::TcpStream` (still in
    /// non-blocking mode; use `set_nonblocking(false)` if needed).
    pub fn into_std(self) -> io::Result<std::net::TcpStream> {
        let fd = self.io.into_inner()?.into_raw_fd();
        // SAFETY: `fd` was just released by the mio stream that owned it,
        // so the new std stream is its only owner.
        Ok(unsafe { std::net::TcpStream::from_raw_fd(fd) })
    }

    /// Returns the local address that this stream is bound to.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr()
    }

    /// Returns the remote address that this stream is connected to.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr()
    }

    /// Returns the value of the `SO_ERROR` option (and clears it).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }

    /// Receives data without removing it from the queue; waits until some
    /// is available. Returns 0 at end of stream.
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io
            .async_io(Interest::READABLE, || self.io.peek(buf))
            .await
    }

    /// Attempts to peek: `Pending` (waker stored) if nothing is available.
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.io.poll_read_io(cx, || self.io.peek(buf))
    }

    /// Waits for any of the requested ready states.
    ///
    /// Usually paired with the `try_*` methods; the readiness can be a
    /// false positive, in which case they return `WouldBlock`.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    crate::net::io_impls::readiness_methods!(poll_read_ready, poll_write_ready);

    /// Tries to read without waiting; `WouldBlock` if nothing is there.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, || (&*self.io).read(buf))
    }

    /// Tries to read into several buffers without waiting.
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::READABLE, || (&*self.io).read_vectored(bufs))
    }

    /// Tries to write without waiting; `WouldBlock` if the send buffer is
    /// full.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write(buf))
    }

    /// Tries to write several buffers without waiting (`writev`).
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write_vectored(bufs))
    }

    crate::net::io_impls::user_io_methods!();

    /// Gets the value of the `TCP_NODELAY` option.
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.nodelay()
    }

    /// Sets `TCP_NODELAY` (disables Nagle's algorithm when true).
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.set_nodelay(nodelay)
    }

    /// Reads the `SO_LINGER` option.
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        sockopt::linger(self.as_raw_fd())
    }

    /// Sets `SO_LINGER`: with `Some`, closing waits (up to the duration)
    /// for unsent data; `Some(ZERO)` resets the connection on close.
    pub fn set_linger(&self, dur: Option<Duration>) -> io::Result<()> {
        sockopt::set_linger(self.as_raw_fd(), dur)
    }

    /// Gets the value of the `IP_TTL` option.
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.ttl()
    }

    /// Sets the value of the `IP_TTL` option.
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.set_ttl(ttl)
    }

    /// Splits into a borrowed read half and write half (no lock, no
    /// allocation); they can be used concurrently within one task.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        crate::net::tcp::split::split(self)
    }

    /// Splits into owned halves that can move to different tasks; the
    /// write half shuts down the write direction when dropped.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        crate::net::tcp::split_owned::split_owned(self)
    }
    /// Sets a linger duration of zero on this socket by setting the
    /// `SO_LINGER` option: on close, the connection is reset (RST) and any
    /// unsent data is discarded, instead of a graceful shutdown.
    pub fn set_zero_linger(&self) -> io::Result<()> {
        sockopt::set_linger(std::os::fd::AsRawFd::as_raw_fd(self), Some(Duration::ZERO))
    }

    /// Enables or disables `TCP_QUICKACK`.
    ///
    /// This flag causes Linux to eagerly send `ACK`s rather than delaying
    /// them. Linux may reset this flag after further operations on the
    /// socket.
    pub fn set_quickack(&self, quickack: bool) -> io::Result<()> {
        sockopt::set_int(
            std::os::fd::AsRawFd::as_raw_fd(self),
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
            quickack as libc::c_int,
        )
    }

    /// Gets the value of the `TCP_QUICKACK` option on this socket.
    ///
    /// For more information about this option, see [`set_quickack`](Self::set_quickack).
    pub fn quickack(&self) -> io::Result<bool> {
        sockopt::get_int(
            std::os::fd::AsRawFd::as_raw_fd(self),
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
        )
        .map(|v| v != 0)
    }
}

crate::net::io_impls::stream_io_impls!(TcpStream);

impl TryFrom<std::net::TcpStream> for TcpStream {
    type Error = io::Error;

    /// Same as [`TcpStream::from_std`].
    fn try_from(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        TcpStream::from_std(stream)
    }
}

impl fmt::Debug for TcpStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpStream")
            .field("local_addr", &self.local_addr().ok())
            .field("peer_addr", &self.peer_addr().ok())
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

crate::net::io_impls::fd_impls!(TcpStream);
