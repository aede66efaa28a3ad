//! [`UCred`]: the credentials of the process at the other end of a Unix
//! socket.

use std::io;
use std::os::fd::RawFd;

/// Credentials of a process.
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
/// println!("peer uid {} gid {} pid {:?}", cred.uid(), cred.gid(), cred.pid());
/// # drop(b);
/// # Ok(())
/// # }
/// ```
#[derive(Copy, Clone, Eq, PartialEq, Hash, Debug)]
pub struct UCred {
    pid: Option<libc::pid_t>,
    uid: libc::uid_t,
    gid: libc::gid_t,
}

impl UCred {
    /// Gets the UID (user ID) of the process.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// let _uid = a.peer_cred()?.uid();
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn uid(&self) -> libc::uid_t {
        self.uid
    }

    /// Gets the GID (group ID) of the process.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// let _gid = a.peer_cred()?.gid();
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn gid(&self) -> libc::gid_t {
        self.gid
    }

    /// Gets the PID (process ID) of the process, where the platform
    /// reports it.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (a, b) = UnixStream::pair()?;
    /// assert_eq!(a.peer_cred()?.pid(), Some(std::process::id() as i32));
    /// # drop(b);
    /// # Ok(())
    /// # }
    /// ```
    pub fn pid(&self) -> Option<libc::pid_t> {
        self.pid
    }
}

/// `SO_PEERCRED`.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub(crate) fn peer_cred(fd: RawFd) -> io::Result<UCred> {
    let mut cred = libc::ucred {
        pid: 0,
        uid: 0,
        gid: 0,
    };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    // SAFETY: `cred` and `len` are valid for writes of the sizes passed.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            (&raw mut cred).cast(),
            &mut len,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(UCred {
        pid: Some(cred.pid),
        uid: cred.uid,
        gid: cred.gid,
    })
}

/// `getpeereid` (no PID on these platforms).
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub(crate) fn peer_cred(fd: RawFd) -> io::Result<UCred> {
    let (mut uid, mut gid) = (0, 0);
    // SAFETY: `uid` and `gid` are valid for writes.
    if unsafe { libc::getpeereid(fd, &mut uid, &mut gid) } == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(UCred {
        pid: None,
        uid,
        gid,
    })
}
