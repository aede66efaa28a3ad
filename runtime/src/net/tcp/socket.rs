//! [`TcpSocket`]: a TCP socket not yet connected or listening.

use crate::net::sockopt;
use crate::net::tcp::{TcpListener, TcpStream};
use std::fmt;
use std::io;
use std::mem::ManuallyDrop;
use std::net::SocketAddr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};
use std::time::Duration;

/// A TCP socket that has not yet been converted to a [`TcpStream`] or
/// [`TcpListener`], for setting options before `connect` or `listen`.
///
/// ```no_run
/// use magpie::net::TcpSocket;
///
/// # async fn dox() -> std::io::Result<()> {
/// let addr = "127.0.0.1:8080".parse().unwrap();
/// let socket = TcpSocket::new_v4()?;
/// socket.set_nodelay(true)?;
/// let stream = socket.connect(addr).await?;
/// # drop(stream); Ok(()) }
/// ```
pub struct TcpSocket {
    fd: OwnedFd,
}

impl TcpSocket {
    /// Creates a new socket configured for IPv4 (non-blocking,
    /// close-on-exec).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.bind("127.0.0.1:0".parse().unwrap())?;
    /// let listener = socket.listen(1024)?;
    /// # let _ = listener;
    /// # Ok(())
    /// # }
    /// ```
    pub fn new_v4() -> io::Result<TcpSocket> {
        TcpSocket::new(libc::AF_INET)
    }

    /// Creates a new socket configured for IPv6.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v6()?;
    /// # let _ = socket;
    /// # Ok(())
    /// # }
    /// ```
    pub fn new_v6() -> io::Result<TcpSocket> {
        TcpSocket::new(libc::AF_INET6)
    }

    fn new(domain: libc::c_int) -> io::Result<TcpSocket> {
        #[cfg(any(target_os = "linux", target_os = "android"))]
        let ty = libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        let ty = libc::SOCK_STREAM;
        // SAFETY: plain syscall; the result is checked below.
        let fd = unsafe { libc::socket(domain, ty, 0) };
        if fd == -1 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: `fd` is a freshly created descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        {
            let std = ManuallyDrop::new(
                // SAFETY: borrowed view of `fd`, never dropped (ManuallyDrop).
                unsafe { std::net::TcpStream::from_raw_fd(fd.as_raw_fd()) },
            );
            std.set_nonblocking(true)?;
            // SAFETY: plain syscall on a descriptor we own.
            if unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) } == -1 {
                return Err(io::Error::last_os_error());
            }
        }
        Ok(TcpSocket { fd })
    }

    /// A std view of the socket for the getters std already has.
    fn as_std(&self) -> ManuallyDrop<std::net::TcpStream> {
        // SAFETY: the std stream borrows `self.fd` and is never dropped
        // (ManuallyDrop), so the descriptor is not closed twice.
        ManuallyDrop::new(unsafe { std::net::TcpStream::from_raw_fd(self.fd.as_raw_fd()) })
    }

    fn set_bool(&self, level: libc::c_int, name: libc::c_int, on: bool) -> io::Result<()> {
        sockopt::set_int(self.fd.as_raw_fd(), level, name, on as libc::c_int)
    }

    fn get_bool(&self, level: libc::c_int, name: libc::c_int) -> io::Result<bool> {
        sockopt::get_int(self.fd.as_raw_fd(), level, name).map(|v| v != 0)
    }

    /// Sets `SO_KEEPALIVE`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_keepalive(true)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_keepalive(&self, keepalive: bool) -> io::Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_KEEPALIVE, keepalive)
    }

    /// Gets `SO_KEEPALIVE`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_keepalive(true)?;
    /// assert!(socket.keepalive()?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn keepalive(&self) -> io::Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_KEEPALIVE)
    }

    /// Sets `SO_REUSEADDR`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_reuseaddr(true)?; // before bind
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_reuseaddr(&self, reuseaddr: bool) -> io::Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_REUSEADDR, reuseaddr)
    }

    /// Gets `SO_REUSEADDR`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_reuseaddr(true)?;
    /// assert!(socket.reuseaddr()?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn reuseaddr(&self) -> io::Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_REUSEADDR)
    }

    /// Sets `SO_REUSEPORT`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_reuseport(true)?; // several listeners on one port
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_reuseport(&self, reuseport: bool) -> io::Result<()> {
        self.set_bool(libc::SOL_SOCKET, libc::SO_REUSEPORT, reuseport)
    }

    /// Gets `SO_REUSEPORT`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_reuseport(true)?;
    /// assert!(socket.reuseport()?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn reuseport(&self) -> io::Result<bool> {
        self.get_bool(libc::SOL_SOCKET, libc::SO_REUSEPORT)
    }

    /// Sets `SO_SNDBUF` (the kernel may round or double it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_send_buffer_size(64 * 1024)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_send_buffer_size(&self, size: u32) -> io::Result<()> {
        let size = size.min(libc::c_int::MAX as u32) as libc::c_int;
        sockopt::set_int(self.fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_SNDBUF, size)
    }

    /// Gets `SO_SNDBUF`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_send_buffer_size(64 * 1024)?;
    /// assert!(socket.send_buffer_size()? >= 64 * 1024); // the kernel may double it
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_buffer_size(&self) -> io::Result<u32> {
        sockopt::get_int(self.fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_SNDBUF).map(|v| v as u32)
    }

    /// Sets `SO_RCVBUF` (the kernel may round or double it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_recv_buffer_size(64 * 1024)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_recv_buffer_size(&self, size: u32) -> io::Result<()> {
        let size = size.min(libc::c_int::MAX as u32) as libc::c_int;
        sockopt::set_int(self.fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_RCVBUF, size)
    }

    /// Gets `SO_RCVBUF`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_recv_buffer_size(64 * 1024)?;
    /// assert!(socket.recv_buffer_size()? >= 64 * 1024);
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv_buffer_size(&self) -> io::Result<u32> {
        sockopt::get_int(self.fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_RCVBUF).map(|v| v as u32)
    }

    /// Sets `SO_LINGER`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_linger(Some(std::time::Duration::from_secs(1)))?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_linger(&self, dur: Option<Duration>) -> io::Result<()> {
        sockopt::set_linger(self.fd.as_raw_fd(), dur)
    }

    /// Gets `SO_LINGER`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// assert_eq!(socket.linger()?, None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn linger(&self) -> io::Result<Option<Duration>> {
        sockopt::linger(self.fd.as_raw_fd())
    }

    /// Sets `TCP_NODELAY`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_nodelay(true)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_nodelay(&self, nodelay: bool) -> io::Result<()> {
        self.as_std().set_nodelay(nodelay)
    }

    /// Gets `TCP_NODELAY`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_nodelay(true)?;
    /// assert!(socket.nodelay()?);
    /// # Ok(())
    /// # }
    /// ```
    pub fn nodelay(&self) -> io::Result<bool> {
        self.as_std().nodelay()
    }

    /// Returns the local address this socket is bound to.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.bind("127.0.0.1:0".parse().unwrap())?;
    /// assert!(socket.local_addr()?.port() != 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.as_std().local_addr()
    }

    /// Returns the value of `SO_ERROR` (and clears it).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// assert!(socket.take_error()?.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub fn take_error(&self) -> io::Result<Option<io::Error>> {
        self.as_std().take_error()
    }

    /// Binds the socket to `addr`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.bind("127.0.0.1:0".parse().unwrap())?;
    /// let _listener = socket.listen(128)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn bind(&self, addr: SocketAddr) -> io::Result<()> {
        let (raw, len) = sockopt::raw_addr(&addr);
        // SAFETY: `raw` holds a valid socket address of `len` bytes.
        let rc = unsafe { libc::bind(self.fd.as_raw_fd(), (&raw const raw).cast(), len) };
        if rc == -1 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }

    /// Connects the socket to `addr`, turning it into a [`TcpStream`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::{TcpListener, TcpSocket};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let listener = TcpListener::bind("127.0.0.1:0").await?;
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_nodelay(true)?;
    /// let stream = socket.connect(listener.local_addr()?).await?;
    /// assert_eq!(stream.peer_addr()?, listener.local_addr()?);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn connect(self, addr: SocketAddr) -> io::Result<TcpStream> {
        let (raw, len) = sockopt::raw_addr(&addr);
        // SAFETY: `raw` holds a valid socket address of `len` bytes.
        let rc = unsafe { libc::connect(self.fd.as_raw_fd(), (&raw const raw).cast(), len) };
        if rc == -1 {
            let err = io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::EINPROGRESS) {
                return Err(err);
            }
        }
        let std = std::net::TcpStream::from(self.fd);
        TcpStream::connect_mio(mio::net::TcpStream::from_std(std)).await
    }

    /// Starts listening with the given backlog, turning the socket into a
    /// [`TcpListener`].
    ///
    /// # Panics
    ///
    /// When called outside a magpie runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_reuseaddr(true)?;
    /// socket.bind("127.0.0.1:0".parse().unwrap())?;
    /// let listener = socket.listen(1024)?;
    /// assert!(listener.local_addr()?.port() != 0);
    /// # Ok(())
    /// # }
    /// ```
    #[track_caller]
    pub fn listen(self, backlog: u32) -> io::Result<TcpListener> {
        let backlog = backlog.min(libc::c_int::MAX as u32) as libc::c_int;
        // SAFETY: plain syscall on a descriptor we own.
        if unsafe { libc::listen(self.fd.as_raw_fd(), backlog) } == -1 {
            return Err(io::Error::last_os_error());
        }
        TcpListener::from_std(std::net::TcpListener::from(self.fd))
    }

    /// Wraps a `std::net::TcpStream` (e.g. one configured elsewhere).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let std_listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    /// let std_stream = std::net::TcpStream::connect(std_listener.local_addr()?)?;
    /// let socket = TcpSocket::from_std_stream(std_stream);
    /// assert!(socket.local_addr().is_ok());
    /// # Ok(())
    /// # }
    /// ```
    pub fn from_std_stream(std_stream: std::net::TcpStream) -> TcpSocket {
        TcpSocket {
            fd: OwnedFd::from(std_stream),
        }
    }
    /// Sets the value for the `IP_TOS` option on this socket.
    ///
    /// This value sets the type-of-service field that is used in every
    /// packet sent from this socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_tos_v4(0x10)?; // IPTOS_LOWDELAY
    /// assert_eq!(socket.tos_v4()?, 0x10);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_tos_v4(&self, tos: u32) -> io::Result<()> {
        sockopt::set_int(
            self.fd.as_raw_fd(),
            libc::IPPROTO_IP,
            libc::IP_TOS,
            tos as libc::c_int,
        )
    }

    /// Gets the value of the `IP_TOS` option for this socket.
    ///
    /// For more information about this option, see [`set_tos_v4`](Self::set_tos_v4).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_tos_v4(0x10)?;
    /// assert_eq!(socket.tos_v4()?, 0x10);
    /// # Ok(())
    /// # }
    /// ```
    pub fn tos_v4(&self) -> io::Result<u32> {
        sockopt::get_int(self.fd.as_raw_fd(), libc::IPPROTO_IP, libc::IP_TOS).map(|v| v as u32)
    }

    /// Deprecated name of [`set_tos_v4`](Self::set_tos_v4).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// #[allow(deprecated)]
    /// socket.set_tos(0x10)?;
    /// assert_eq!(socket.tos_v4()?, 0x10);
    /// # Ok(())
    /// # }
    /// ```
    #[deprecated = "use `set_tos_v4()`"]
    pub fn set_tos(&self, tos: u32) -> io::Result<()> {
        self.set_tos_v4(tos)
    }

    /// Deprecated name of [`tos_v4`](Self::tos_v4).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_tos_v4(0x10)?;
    /// #[allow(deprecated)]
    /// let tos = socket.tos()?;
    /// assert_eq!(tos, 0x10);
    /// # Ok(())
    /// # }
    /// ```
    #[deprecated = "use `tos_v4()`"]
    pub fn tos(&self) -> io::Result<u32> {
        self.tos_v4()
    }

    /// Sets the value for the `IPV6_TCLASS` option on this socket.
    ///
    /// Specifies the traffic class field that is used in every packet sent
    /// from this socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v6()?;
    /// socket.set_tclass_v6(0x10)?;
    /// assert_eq!(socket.tclass_v6()?, 0x10);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_tclass_v6(&self, tclass: u32) -> io::Result<()> {
        sockopt::set_int(
            self.fd.as_raw_fd(),
            libc::IPPROTO_IPV6,
            libc::IPV6_TCLASS,
            tclass as libc::c_int,
        )
    }

    /// Gets the value of the `IPV6_TCLASS` option for this socket.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v6()?;
    /// socket.set_tclass_v6(0x10)?;
    /// assert_eq!(socket.tclass_v6()?, 0x10);
    /// # Ok(())
    /// # }
    /// ```
    pub fn tclass_v6(&self) -> io::Result<u32> {
        sockopt::get_int(self.fd.as_raw_fd(), libc::IPPROTO_IPV6, libc::IPV6_TCLASS)
            .map(|v| v as u32)
    }

    /// Gets the value for the `SO_BINDTODEVICE` option on this socket.
    ///
    /// This value gets the socket binded device's interface name.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// // A new socket is not bound to any interface.
    /// assert_eq!(socket.device()?, None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn device(&self) -> io::Result<Option<Vec<u8>>> {
        sockopt::device(self.fd.as_raw_fd())
    }

    /// Sets the value for the `SO_BINDTODEVICE` option on this socket.
    ///
    /// If a socket is bound to an interface, only packets received from
    /// that particular interface are processed by the socket. Note that this
    /// only works for some socket types, particularly `AF_INET` sockets.
    ///
    /// If `interface` is `None` or an empty string it removes the binding.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// // Needs `CAP_NET_RAW` and an interface named `eth0`.
    /// socket.bind_device(Some(b"eth0"))?;
    /// assert_eq!(socket.device()?.as_deref(), Some(&b"eth0"[..]));
    /// # Ok(())
    /// # }
    /// ```
    pub fn bind_device(&self, interface: Option<&[u8]>) -> io::Result<()> {
        sockopt::bind_device(self.fd.as_raw_fd(), interface)
    }

    /// Sets a linger duration of zero on this socket by setting the
    /// `SO_LINGER` option: on close, the connection is reset (RST) and any
    /// unsent data is discarded, instead of a graceful shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::TcpSocket;
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let socket = TcpSocket::new_v4()?;
    /// socket.set_zero_linger()?;
    /// assert_eq!(socket.linger()?, Some(std::time::Duration::ZERO));
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_zero_linger(&self) -> io::Result<()> {
        sockopt::set_linger(self.fd.as_raw_fd(), Some(Duration::ZERO))
    }
}

impl fmt::Debug for TcpSocket {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TcpSocket").field("fd", &self.fd).finish()
    }
}

impl AsRawFd for TcpSocket {
    fn as_raw_fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }
}

impl AsFd for TcpSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl FromRawFd for TcpSocket {
    /// # Safety
    ///
    /// `fd` must be an open TCP socket that nothing else owns.
    unsafe fn from_raw_fd(fd: RawFd) -> TcpSocket {
        TcpSocket {
            // SAFETY: the caller hands over ownership of an open socket.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
        }
    }
}

impl IntoRawFd for TcpSocket {
    fn into_raw_fd(self) -> RawFd {
        self.fd.into_raw_fd()
    }
}
