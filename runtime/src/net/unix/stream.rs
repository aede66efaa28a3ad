//! [`UnixStream`].

use crate::io::{Interest, PollEvented, Ready};
use crate::net::inq::{self, InqHint};
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
///
/// # Examples
///
/// ```
/// use magpie::io::{AsyncReadExt, AsyncWriteExt};
/// use magpie::net::UnixStream;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let (mut a, mut b) = UnixStream::pair()?;
/// a.write_all(b"ping").await?;
/// let mut buf = [0u8; 4];
/// b.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"ping");
/// # Ok(())
/// # }
/// ```
pub struct UnixStream {
    io: PollEvented<mio::net::UnixStream>,
    /// Whether the receive queue is drained after a read (`SO_INQ`).
    inq: InqHint,
}

impl UnixStream {
    /// Connects to the socket named by `path`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{UnixListener, UnixStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-connect-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let listener = UnixListener::bind(&path)?;
    /// let stream = UnixStream::connect(&path).await?;
    /// let (_server, _) = listener.accept().await?;
    /// assert_eq!(stream.peer_addr()?.as_pathname(), Some(path.as_path()));
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// assert!(a.peer_addr()?.is_unnamed());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn pair() -> io::Result<(UnixStream, UnixStream)> {
        let (a, b) = mio::net::UnixStream::pair()?;
        Ok((UnixStream::new(a)?, UnixStream::new(b)?))
    }

    #[track_caller]
    pub(crate) fn new(sys: mio::net::UnixStream) -> io::Result<UnixStream> {
        Ok(UnixStream {
            io: PollEvented::new(sys)?,
            inq: InqHint::new(inq::Kind::Unix),
        })
    }

    /// Creates a `UnixStream` from a `std::os::unix::net::UnixStream`
    /// (switched to non-blocking mode).
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (std_a, _std_b) = std::os::unix::net::UnixStream::pair()?;
    /// std_a.set_nonblocking(true)?;
    /// let a = UnixStream::from_std(std_a)?;
    /// # let _ = a;
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn from_std(stream: std::os::unix::net::UnixStream) -> io::Result<UnixStream> {
        stream.set_nonblocking(true)?;
        UnixStream::new(mio::net::UnixStream::from_std(stream))
    }

    /// Turns this stream into a std one (still in non-blocking mode).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// let std_a: std::os::unix::net::UnixStream = a.into_std()?;
    /// # drop((std_a, b));
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixStream> {
        let fd = self.io.into_inner()?.into_raw_fd();
        // SAFETY: `fd` was just released by the mio stream that owned it.
        Ok(unsafe { std::os::unix::net::UnixStream::from_raw_fd(fd) })
    }

    /// Returns the socket address of the local half of this connection.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// assert!(a.local_addr()?.is_unnamed());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr().map(SocketAddr)
    }

    /// Returns the socket address of the remote half of this connection.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// assert!(a.peer_addr()?.as_pathname().is_none());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr().map(SocketAddr)
    }

    /// Returns effective credentials of the process which called `connect`
    /// or `pair`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// let cred = a.peer_cred()?;
    /// assert_eq!(cred.pid(), Some(std::process::id() as i32));
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn peer_cred(&self) -> io::Result<crate::net::unix::UCred> {
        crate::net::unix::ucred::peer_cred(self.as_raw_fd())
    }

    /// Returns the value of `SO_ERROR` (and clears it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// assert!(a.take_error()?.is_none());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }

    /// Waits for any of the requested ready states.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::Interest;
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// let ready = a.ready(Interest::WRITABLE).await?;
    /// assert!(ready.is_writable());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    crate::net::io_impls::readiness_methods!(poll_read_ready, poll_write_ready);

    /// Tries to read without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, mut b) = UnixStream::pair()?;
    /// b.write_all(b"hi").await?;
    /// a.readable().await?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(a.try_read(&mut buf)?, 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_read(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, || (&*self.io).read(buf))
    }

    /// Tries to read into several buffers without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::IoSliceMut;
    /// use magpie::io::AsyncWriteExt;
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, mut b) = UnixStream::pair()?;
    /// b.write_all(b"abcd").await?;
    /// a.readable().await?;
    /// let (mut x, mut y) = ([0u8; 2], [0u8; 2]);
    /// assert_eq!(a.try_read_vectored(&mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)])?, 4);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::READABLE, || (&*self.io).read_vectored(bufs))
    }

    /// Tries to write without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// a.writable().await?;
    /// assert_eq!(a.try_write(b"hi")?, 2);
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write(buf))
    }

    /// Tries to write several buffers without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::io::IoSlice;
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// a.writable().await?;
    /// assert_eq!(a.try_write_vectored(&[IoSlice::new(b"a"), IoSlice::new(b"b")])?, 2);
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write_vectored(bufs))
    }

    crate::net::io_impls::user_io_methods!();

    /// Splits into borrowed read and write halves.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::{AsyncReadExt, AsyncWriteExt};
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (mut a, mut b) = UnixStream::pair()?;
    /// b.write_all(b"echo").await?;
    /// let (mut reader, mut writer) = a.split();
    /// let mut buf = [0u8; 4];
    /// reader.read_exact(&mut buf).await?;
    /// writer.write_all(&buf).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        crate::net::unix::split::split(self)
    }

    /// Splits into owned halves that can move to different tasks; the
    /// write half shuts down the write direction when dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::{AsyncReadExt, AsyncWriteExt};
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, mut b) = UnixStream::pair()?;
    /// let (mut reader, mut writer) = a.into_split();
    /// let echo = magpie::spawn(async move {
    ///     let mut buf = [0u8; 4];
    ///     reader.read_exact(&mut buf).await?;
    ///     writer.write_all(&buf).await
    /// });
    /// b.write_all(b"ping").await?;
    /// echo.await.unwrap()?;
    /// # Ok(())
    /// # }
    /// ```
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

impl UnixStream {
    /// One `recv` into `buf`, returning the byte count and whether the
    /// receive queue is known to be empty afterwards (a short read, or
    /// the kernel's `SO_INQ` count where supported; see `net::inq`).
    pub(crate) fn read_hinted(&self, buf: &mut [u8]) -> io::Result<(usize, bool)> {
        self.inq
            .read(self.as_raw_fd(), buf, |buf| (&*self.io).read(buf))
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn inq_is_on(&self) -> bool {
        self.inq.is_on()
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
