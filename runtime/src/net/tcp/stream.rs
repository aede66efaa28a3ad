//! [`TcpStream`].

use crate::io::{Interest, PollEvented, Ready};
use crate::net::ToSocketAddrs;
use crate::net::addr::each_addr;
use crate::net::inq::{self, InqHint};
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
    /// Whether the receive queue is drained after a read (`TCP_INQ`).
    inq: InqHint,
}

impl TcpStream {
    /// Opens a TCP connection to a remote host.
    ///
    /// `addr` may resolve to several addresses; each is tried in order and
    /// the first that connects is returned, else the last error.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// let mut client = client; // connected above with `TcpStream::connect(addr)`
    /// use magpie::io::AsyncWriteExt;
    /// client.write_all(b"hello").await?;
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
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
            inq: InqHint::new(inq::Kind::Tcp),
        })
    }

    /// Creates a new `TcpStream` from a `std::net::TcpStream` (which is
    /// switched to non-blocking mode).
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let std_stream = std::net::TcpStream::connect(std_listener.local_addr()?)?;
    /// std_stream.set_nonblocking(true)?; // required, as in tokio
    /// let stream = TcpStream::from_std(std_stream)?;
    /// # let _ = stream;
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn from_std(stream: std::net::TcpStream) -> io::Result<TcpStream> {
        stream.set_nonblocking(true)?;
        TcpStream::new(mio::net::TcpStream::from_std(stream))
    }

    /// Turns this stream into a `std::net::TcpStream` (still in
    /// non-blocking mode; use `set_nonblocking(false)` if needed).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// let std_stream: std::net::TcpStream = client.into_std()?;
    /// std_stream.set_nonblocking(false)?;
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_std(self) -> io::Result<std::net::TcpStream> {
        let fd = self.io.into_inner()?.into_raw_fd();
        // SAFETY: `fd` was just released by the mio stream that owned it,
        // so the new std stream is its only owner.
        Ok(unsafe { std::net::TcpStream::from_raw_fd(fd) })
    }

    /// Returns the local address that this stream is bound to.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// assert_eq!(client.local_addr()?, server.peer_addr()?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr()
    }

    /// Returns the remote address that this stream is connected to.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// assert_eq!(client.peer_addr()?, listener.local_addr()?);
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr()
    }

    /// Returns the value of the `SO_ERROR` option (and clears it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// assert!(client.take_error()?.is_none());
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }

    /// Receives data without removing it from the queue; waits until some
    /// is available. Returns 0 at end of stream.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// let mut server = server;
    /// use magpie::io::{AsyncReadExt, AsyncWriteExt};
    /// let mut client = client;
    /// client.write_all(b"hi").await?;
    /// let mut buf = [0u8; 2];
    /// server.peek(&mut buf).await?; // the data stays queued
    /// server.read_exact(&mut buf).await?;
    /// assert_eq!(&buf, b"hi");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn peek(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io
            .async_io(Interest::READABLE, || self.io.peek(buf))
            .await
    }

    /// Attempts to peek: `Pending` (waker stored) if nothing is available.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use std::future::poll_fn;
    /// use magpie::io::AsyncWriteExt;
    /// let mut client = client;
    /// client.write_all(b"x").await?;
    /// let mut buf = [0u8; 1];
    /// let n = poll_fn(|cx| server.poll_peek(cx, &mut buf)).await?;
    /// assert_eq!(n, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn poll_peek(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.io.poll_read_io(cx, || self.io.peek(buf))
    }

    /// Waits for any of the requested ready states.
    ///
    /// Usually paired with the `try_*` methods; the readiness can be a
    /// false positive, in which case they return `WouldBlock`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use magpie::io::Interest;
    /// let ready = client.ready(Interest::READABLE | Interest::WRITABLE).await?;
    /// assert!(ready.is_writable());
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    crate::net::io_impls::readiness_methods!(poll_read_ready, poll_write_ready);

    /// Tries to read without waiting; `WouldBlock` if nothing is there.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use std::io::ErrorKind;
    /// use magpie::io::AsyncWriteExt;
    /// let mut client = client;
    /// client.write_all(b"data").await?;
    /// let mut buf = [0u8; 16];
    /// loop {
    ///     server.readable().await?;
    ///     match server.try_read(&mut buf) {
    ///         Ok(n) => break assert_eq!(&buf[..n], b"data"),
    ///         Err(e) if e.kind() == ErrorKind::WouldBlock => continue, // spurious wakeup
    ///         Err(e) => return Err(e),
    ///     }
    /// }
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
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use std::io::IoSliceMut;
    /// use magpie::io::AsyncWriteExt;
    /// let mut client = client;
    /// client.write_all(b"abcd").await?;
    /// server.readable().await?;
    /// let (mut a, mut b) = ([0u8; 2], [0u8; 2]);
    /// let n = server.try_read_vectored(&mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)])?;
    /// assert_eq!(n, 4);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_read_vectored(&self, bufs: &mut [IoSliceMut<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::READABLE, || (&*self.io).read_vectored(bufs))
    }

    /// Tries to write without waiting; `WouldBlock` if the send buffer is
    /// full.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// client.writable().await?;
    /// let n = client.try_write(b"hello")?;
    /// assert_eq!(n, 5);
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_write(&self, buf: &[u8]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write(buf))
    }

    /// Tries to write several buffers without waiting (`writev`).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use std::io::IoSlice;
    /// client.writable().await?;
    /// let n = client.try_write_vectored(&[IoSlice::new(b"he"), IoSlice::new(b"llo")])?;
    /// assert_eq!(n, 5);
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_write_vectored(&self, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || (&*self.io).write_vectored(bufs))
    }

    crate::net::io_impls::user_io_methods!();

    /// Gets the value of the `TCP_NODELAY` option.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// client.set_nodelay(true)?;
    /// assert!(client.nodelay()?);
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.io.nodelay()
    }

    /// Sets `TCP_NODELAY` (disables Nagle's algorithm when true).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// client.set_nodelay(true)?; // send small writes at once (no Nagle)
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.io.set_nodelay(nodelay)
    }

    /// Reads the `SO_LINGER` option.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// assert_eq!(client.linger()?, None);
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        sockopt::linger(self.as_raw_fd())
    }

    /// Sets `SO_LINGER`: with `Some`, closing waits (up to the duration)
    /// for unsent data; `Some(ZERO)` resets the connection on close.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use std::time::Duration;
    /// client.set_linger(Some(Duration::from_secs(1)))?;
    /// assert_eq!(client.linger()?, Some(Duration::from_secs(1)));
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_linger(&self, dur: Option<Duration>) -> io::Result<()> {
        sockopt::set_linger(self.as_raw_fd(), dur)
    }

    /// Gets the value of the `IP_TTL` option.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// client.set_ttl(64)?;
    /// assert_eq!(client.ttl()?, 64);
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn ttl(&self) -> io::Result<u32> {
        self.io.ttl()
    }

    /// Sets the value of the `IP_TTL` option.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// client.set_ttl(100)?;
    /// # drop(server);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_ttl(&self, ttl: u32) -> io::Result<()> {
        self.io.set_ttl(ttl)
    }

    /// Splits into a borrowed read half and write half (no lock, no
    /// allocation); they can be used concurrently within one task.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use magpie::io::{AsyncReadExt, AsyncWriteExt};
    /// let mut client = client;
    /// let mut server = server;
    /// server.write_all(b"echo").await?;
    /// let (mut reader, mut writer) = client.split(); // borrows `client`
    /// let mut buf = [0u8; 4];
    /// reader.read_exact(&mut buf).await?;
    /// writer.write_all(&buf).await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn split(&mut self) -> (ReadHalf<'_>, WriteHalf<'_>) {
        crate::net::tcp::split::split(self)
    }

    /// Splits into owned halves that can move to different tasks; the
    /// write half shuts down the write direction when dropped.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let client = TcpStream::connect(listener.local_addr()?).await?;
    /// let (server, _) = listener.accept().await?;
    /// use magpie::io::{AsyncReadExt, AsyncWriteExt};
    /// let (mut reader, mut writer) = client.into_split();
    /// // The halves are owned: each can move into its own task.
    /// let echo = magpie::spawn(async move {
    ///     let mut buf = [0u8; 4];
    ///     reader.read_exact(&mut buf).await?;
    ///     writer.write_all(&buf).await
    /// });
    /// let mut server = server;
    /// server.write_all(b"ping").await?;
    /// echo.await.unwrap()?;
    /// let mut buf = [0u8; 4];
    /// server.read_exact(&mut buf).await?;
    /// assert_eq!(&buf, b"ping");
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_split(self) -> (OwnedReadHalf, OwnedWriteHalf) {
        crate::net::tcp::split_owned::split_owned(self)
    }
    /// Sets a linger duration of zero on this socket by setting the
    /// `SO_LINGER` option: on close, the connection is reset (RST) and any
    /// unsent data is discarded, instead of a graceful shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_zero_linger()?;
    /// assert_eq!(stream.linger()?, Some(std::time::Duration::ZERO));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_zero_linger(&self) -> io::Result<()> {
        sockopt::set_linger(std::os::fd::AsRawFd::as_raw_fd(self), Some(Duration::ZERO))
    }

    /// Enables or disables `TCP_QUICKACK`.
    ///
    /// This flag causes Linux to eagerly send `ACK`s rather than delaying
    /// them. Linux may reset this flag after further operations on the
    /// socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_quickack(true)?;
    /// # Ok(())
    /// # }
    /// ```
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
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpStream};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let stream = TcpStream::connect(listener.local_addr()?).await?;
    /// stream.set_quickack(true)?;
    /// // Linux may turn it off again by itself, so only read it here.
    /// let _enabled: bool = stream.quickack()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn quickack(&self) -> io::Result<bool> {
        sockopt::get_int(
            std::os::fd::AsRawFd::as_raw_fd(self),
            libc::IPPROTO_TCP,
            libc::TCP_QUICKACK,
        )
        .map(|v| v != 0)
    }
}

impl TcpStream {
    /// One `recv` into `buf`, returning the byte count and whether the
    /// receive queue is known to be empty afterwards (a short read, or
    /// the kernel's `TCP_INQ` count; see `net::inq`).
    pub(crate) fn read_hinted(&self, buf: &mut [u8]) -> io::Result<(usize, bool)> {
        self.inq
            .read(self.as_raw_fd(), buf, |buf| (&*self.io).read(buf))
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn inq_is_on(&self) -> bool {
        self.inq.is_on()
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
