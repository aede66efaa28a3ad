//! [`SocketAddr`]: the address of a Unix socket.

use std::fmt;
use std::path::Path;

/// An address associated with a Unix socket: a path, an abstract name
/// (Linux) or unnamed.
///
/// # Examples
///
/// ```
/// use magpie::net::UnixStream;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let (a, b) = UnixStream::pair()?;
/// let addr: magpie::net::unix::SocketAddr = a.local_addr()?;
/// assert!(addr.is_unnamed());
/// # drop(b);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct SocketAddr(pub(crate) std::os::unix::net::SocketAddr);

impl SocketAddr {
    /// Returns `true` if the address is unnamed (e.g. a socket from
    /// `pair()` or an unbound one).
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
    pub fn is_unnamed(&self) -> bool {
        self.0.is_unnamed()
    }

    /// Returns the path this address refers to, if it is a path name.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixListener;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let path = std::env::temp_dir().join(format!("magpie-doc-as-pathname-{}.sock", std::process::id()));
    /// # let _ = std::fs::remove_file(&path);
    /// let listener = UnixListener::bind(&path)?;
    /// assert_eq!(listener.local_addr()?.as_pathname(), Some(path.as_path()));
    /// # std::fs::remove_file(&path)?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn as_pathname(&self) -> Option<&Path> {
        self.0.as_pathname()
    }

    /// Returns the abstract name (Linux), if the address is in the
    /// abstract namespace.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// assert_eq!(a.local_addr()?.as_abstract_name(), None);
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(any(target_os = "linux", target_os = "android"))]
    pub fn as_abstract_name(&self) -> Option<&[u8]> {
        #[cfg(target_os = "android")]
        use std::os::android::net::SocketAddrExt;
        #[cfg(target_os = "linux")]
        use std::os::linux::net::SocketAddrExt;
        self.0.as_abstract_name()
    }
}

impl fmt::Debug for SocketAddr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl From<std::os::unix::net::SocketAddr> for SocketAddr {
    fn from(value: std::os::unix::net::SocketAddr) -> Self {
        SocketAddr(value)
    }
}

impl From<SocketAddr> for std::os::unix::net::SocketAddr {
    fn from(value: SocketAddr) -> Self {
        value.0
    }
}
