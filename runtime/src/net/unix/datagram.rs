//! [`UnixDatagram`].

use crate::io::{Interest, PollEvented, Ready};
use crate::net::unix::SocketAddr;
use std::fmt;
use std::io;
use std::net::Shutdown;
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd};
use std::path::Path;
use std::task::{Context, Poll};

/// An I/O object representing a Unix datagram socket.
///
/// Like [`UdpSocket`](crate::net::UdpSocket), all methods take `&self`, so
/// the socket can be shared between tasks.
///
/// # Examples
///
/// ```
/// use magpie::net::UnixDatagram;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let (a, b) = UnixDatagram::pair()?;
/// a.send(b"one message").await?;
/// let mut buf = [0u8; 32];
/// let n = b.recv(&mut buf).await?;
/// assert_eq!(&buf[..n], b"one message");
/// # Ok(())
/// # }
/// ```
pub struct UnixDatagram {
    io: PollEvented<mio::net::UnixDatagram>,
}

impl UnixDatagram {
    /// Creates a new `UnixDatagram` bound to the specified path.
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-dgram-bind-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// client.send_to(b"hi", &path).await?;
    /// let mut buf = [0u8; 2];
    /// server.recv(&mut buf).await?;
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn bind<P: AsRef<Path>>(path: P) -> io::Result<UnixDatagram> {
        UnixDatagram::new(mio::net::UnixDatagram::bind(path)?)
    }

    /// Creates an unnamed pair of connected sockets.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.send(b"x").await?;
    /// let mut buf = [0u8; 1];
    /// assert_eq!(b.recv(&mut buf).await?, 1);
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn pair() -> io::Result<(UnixDatagram, UnixDatagram)> {
        let (a, b) = mio::net::UnixDatagram::pair()?;
        Ok((UnixDatagram::new(a)?, UnixDatagram::new(b)?))
    }

    /// Creates a new `UnixDatagram` which is not bound to any address.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = UnixDatagram::unbound()?;
    /// assert!(socket.local_addr()?.is_unnamed());
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn unbound() -> io::Result<UnixDatagram> {
        UnixDatagram::new(mio::net::UnixDatagram::unbound()?)
    }

    #[track_caller]
    fn new(sys: mio::net::UnixDatagram) -> io::Result<UnixDatagram> {
        Ok(UnixDatagram {
            io: PollEvented::new(sys)?,
        })
    }

    /// Creates a `UnixDatagram` from a std one (switched to non-blocking).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (std_a, _std_b) = std::os::unix::net::UnixDatagram::pair()?;
    /// std_a.set_nonblocking(true)?;
    /// let a = UnixDatagram::from_std(std_a)?;
    /// # let _ = a;
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn from_std(datagram: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        datagram.set_nonblocking(true)?;
        UnixDatagram::new(mio::net::UnixDatagram::from_std(datagram))
    }

    /// Turns this socket into a std one (still in non-blocking mode).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// let std_a: std::os::unix::net::UnixDatagram = a.into_std()?;
    /// # drop((std_a, b));
    /// # Ok(())
    /// # }
    /// ```
    pub fn into_std(self) -> io::Result<std::os::unix::net::UnixDatagram> {
        let fd = self.io.into_inner()?.into_raw_fd();
        // SAFETY: `fd` was just released by the mio socket that owned it.
        Ok(unsafe { std::os::unix::net::UnixDatagram::from_raw_fd(fd) })
    }

    /// Connects the socket to the specified address.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-dgram-connect-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// client.connect(&path)?;
    /// client.send(b"hi").await?; // no address needed once connected
    /// let mut buf = [0u8; 2];
    /// server.recv(&mut buf).await?;
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn connect<P: AsRef<Path>>(&self, path: P) -> io::Result<()> {
        self.io.connect(path)
    }

    /// Returns the local address that this socket is bound to.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// assert!(a.local_addr()?.is_unnamed());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.io.local_addr().map(SocketAddr)
    }

    /// Returns the address of this socket's peer.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// assert!(a.peer_addr()?.is_unnamed());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn peer_addr(&self) -> io::Result<SocketAddr> {
        self.io.peer_addr().map(SocketAddr)
    }

    /// Returns the value of `SO_ERROR` (and clears it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// assert!(a.take_error()?.is_none());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.io.take_error()
    }

    /// Shuts down the read, write, or both halves of this connection.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// use std::net::Shutdown;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.shutdown(Shutdown::Write)?;
    /// assert!(a.send(b"x").await.is_err());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        self.io.shutdown(how)
    }

    /// Waits for any of the requested ready states.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// use magpie::io::Interest;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// assert!(a.ready(Interest::WRITABLE).await?.is_writable());
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn ready(&self, interest: Interest) -> io::Result<Ready> {
        self.io.ready(interest).await
    }

    crate::net::io_impls::readiness_methods!(poll_recv_ready, poll_send_ready);

    /// Sends data on the socket to the socket's peer.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// assert_eq!(a.send(b"hello").await?, 5);
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io
            .async_io(Interest::WRITABLE, || self.io.send(buf))
            .await
    }

    /// Tries to send to the peer without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.writable().await?;
    /// assert_eq!(a.try_send(b"hello")?, 5);
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_send(&self, buf: &[u8]) -> io::Result<usize> {
        self.io.try_io(Interest::WRITABLE, || self.io.send(buf))
    }

    /// Polls to send to the peer.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// let n = poll_fn(|cx| a.poll_send(cx, b"hi")).await?;
    /// assert_eq!(n, 2);
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn poll_send(&self, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        self.io.poll_write_io(cx, || self.io.send(buf))
    }

    /// Receives data from the socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.send(b"hi").await?;
    /// let mut buf = [0u8; 8];
    /// let n = b.recv(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"hi");
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io
            .async_io(Interest::READABLE, || self.io.recv(buf))
            .await
    }

    /// Tries to receive without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.send(b"hi").await?;
    /// b.readable().await?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(b.try_recv(&mut buf)?, 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_recv(&self, buf: &mut [u8]) -> io::Result<usize> {
        self.io.try_io(Interest::READABLE, || self.io.recv(buf))
    }

    /// Polls to receive.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.send(b"hi").await?;
    /// let mut buf = [0u8; 8];
    /// assert_eq!(poll_fn(|cx| b.poll_recv(cx, &mut buf)).await?, 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn poll_recv(&self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
        self.io.poll_read_io(cx, || self.io.recv(buf))
    }

    /// Sends data on the socket to the specified path.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-send-to-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// assert_eq!(client.send_to(b"hi", &path).await?, 2);
    /// # drop(server);
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn send_to<P: AsRef<Path>>(&self, buf: &[u8], target: P) -> io::Result<usize> {
        let target = target.as_ref();
        self.io
            .async_io(Interest::WRITABLE, || self.io.send_to(buf, target))
            .await
    }

    /// Tries to send to `target` without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-try-send-to-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// client.writable().await?;
    /// assert_eq!(client.try_send_to(b"hi", &path)?, 2);
    /// # drop(server);
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_send_to<P: AsRef<Path>>(&self, buf: &[u8], target: P) -> io::Result<usize> {
        self.io
            .try_io(Interest::WRITABLE, || self.io.send_to(buf, target))
    }

    /// Receives a datagram and the address it came from.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-recv-from-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let server = UnixDatagram::bind(&path)?;
    /// let client = UnixDatagram::unbound()?;
    /// client.send_to(b"hi", &path).await?;
    /// let mut buf = [0u8; 8];
    /// let (n, from) = server.recv_from(&mut buf).await?;
    /// assert_eq!(n, 2);
    /// assert!(from.is_unnamed()); // the client has no path
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let (n, addr) = self
            .io
            .async_io(Interest::READABLE, || self.io.recv_from(buf))
            .await?;
        Ok((n, SocketAddr(addr)))
    }

    /// Tries to receive a datagram without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.send(b"hi").await?;
    /// b.readable().await?;
    /// let mut buf = [0u8; 8];
    /// let (n, _from) = b.try_recv_from(&mut buf)?;
    /// assert_eq!(n, 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn try_recv_from(&self, buf: &mut [u8]) -> io::Result<(usize, SocketAddr)> {
        let (n, addr) = self
            .io
            .try_io(Interest::READABLE, || self.io.recv_from(buf))?;
        Ok((n, SocketAddr(addr)))
    }

    /// Polls to receive a datagram and its sender.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixDatagram;
    ///
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixDatagram::pair()?;
    /// a.send(b"hi").await?;
    /// let mut buf = [0u8; 8];
    /// let (n, _from) = poll_fn(|cx| b.poll_recv_from(cx, &mut buf)).await?;
    /// assert_eq!(n, 2);
    /// # Ok(())
    /// # }
    /// ```
    pub fn poll_recv_from(
        &self,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<(usize, SocketAddr)>> {
        self.io
            .poll_read_io(cx, || self.io.recv_from(buf))
            .map_ok(|(n, addr)| (n, SocketAddr(addr)))
    }

    crate::net::io_impls::user_io_methods!();
}

impl TryFrom<std::os::unix::net::UnixDatagram> for UnixDatagram {
    type Error = io::Error;

    /// Same as [`UnixDatagram::from_std`].
    fn try_from(datagram: std::os::unix::net::UnixDatagram) -> io::Result<UnixDatagram> {
        UnixDatagram::from_std(datagram)
    }
}

impl fmt::Debug for UnixDatagram {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnixDatagram")
            .field("fd", &self.as_raw_fd())
            .finish()
    }
}

crate::net::io_impls::fd_impls!(UnixDatagram);
