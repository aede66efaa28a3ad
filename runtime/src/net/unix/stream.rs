//! [`UnixStream`].

use crate::io::{Interest, PollEvented, Ready};
use crate::net::unix::SocketAddr;
use crate::net::unix::split::{ReadHalf, WriteHalf};
use crate::net::unix::split_owned::{OwnedReadHalf, OwnedWriteHalf};
use std::fmt;
use std::future::poll_fn;
use std::io::{self, IoSlice, IoSliceMut, Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
use std::path::Path;

/// A structure representing a connected Unix socket.
///
/// Read and write through [`AsyncReadExt`](crate::io::AsyncReadExt) /
/// [`AsyncWriteExt`](crate::io::AsyncWriteExt); `close()` shuts down the
/// write direction.
pub struct UnixStream {
    io: PollEvented<mio::net::UnixStream>,
}

impl UnixStream {
    /// Connects to the socket named by `path`.
    pub async fn connect<P: AsRef<Path>>(path: P) -> io::Result<UnixStream> {
        let stream = UnixStream::new(mio::net::UnixStream::connect(path)?)?;
        poll_fn(|cx| stream.io.poll_ready(cx, Interest::WRITABLE)).await?;
        if let Some(e) = stream.io.take_error()? {
            return Err(e);
        }
        Ok(stream)
    }

    /// Creates an unnamed pair of connected sockets.
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    #[track_caller]
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = mio::net::UnixStream::pair()?;
        Ok((UnixStream::new(a)?, UnixStream::new(b)?))
    }

    #[track_caller]
    pub(crate) fn new(sys: mio::net::UnixStream) -> io::Result<UnixStream> {
        Ok(UnixStream {
            io: PollEvented::new(sys)?,
        })
    }

    /// Creates a `UnixStream` from a `std::os::unix::net::UnixStream`
    /// (switched to non-blocking mode).
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    #[track_caller]
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::new(mio::net::UnixStream::from_std(stream))
    }

    /// Turns this stream into a std one (still in non-blocking mode).
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixStream> {
        let fd = self.io.into_inner()?.into_raw_fd();
        // SAFETY: `fd` was just released by the mio stream that owned it.
        Ok(unsafe { std::os::unix::net::UnixStream::from_raw_fd(fd) })
    }

    /// Returns the socket address of the local half of this connection.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr().map(SocketAddr)
    }

    /// Returns the socket address of the remote half of this connection.
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr().map(SocketAddr)
    }

    /// Returns effective credentials of the process which called `connect`
    /// or `pair`.
    pub fn peer_cred(&self) -> io::Result<crate::net::unix::UCred> {
        crate::net::unix::ucred::peer_cred(self.as_raw_fd())
    }

    /// Returns the value of `SO_ERROR` (and clears it).
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }

    /// Waits for any of the requested ready states.
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    crate::net::io_impls::readiness_methods!(poll_read_ready, poll_write_ready);

    /// Tries to read without waiting.
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, || (&*self.io).read(buf))
    }

    /// Tries to read into several buffers without waiting.
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::READABLE, || (&*self.io).read_vectored(bufs))
    }

    /// Tries to write without waiting.
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write(buf))
    }

    /// Tries to write several buffers without waiting.
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write_vectored(bufs))
    }

    crate::net::io_impls::user_io_methods!();

    /// Splits into borrowed read and write halves.
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        crate::net::unix::split::split(self)
    }

    /// Splits into owned halves that can move to different tasks; the
    /// write half shuts down the write direction when dropped.
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        crate::net::unix::split_owned::split_owned(self)
    }

    /// Connects to the socket named by `addr` (which may be a pathname or,
    /// on Linux, an abstract-namespace address).
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::net::UnixStream;
    /// use std::os::unix::net::SocketAddr;
    ///
    /// # async fn dox() -> std::io::Result<()> {
    /// let addr = SocketAddr::from_pathname("/tmp/sock")?;
    /// let stream = UnixStream::connect_addr(&addr).await?;
    /// # drop(stream);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect_addr(addr: &std::os::unix::net::SocketAddr) -> io::Result<UnixStream> {
        let stream = UnixStream::new(mio::net::UnixStream::connect_addr(addr)?)?;
        poll_fn(|cx| stream.io.poll_ready(cx, Interest::WRITABLE)).await?;
        if let Some(e) = stream.io.take_error()? {
            return Err(e);
        }
        Ok(stream)
    }
}

crate::net::io_impls::stream_io_impls!(UnixStream);

impl TryFrom<std::os::unix::net::UnixStream> for UnixStream {
    type Error = io::Error;

    /// Same as [`UnixStream::from_std`].
    fn try_from(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        UnixStream::from_std(stream)
    }
}

impl fmt::Debug for UnixStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixStream")
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

crate::net::io_impls::fd_impls!(UnixStream);
