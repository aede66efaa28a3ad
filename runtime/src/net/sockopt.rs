//! Socket options that neither std nor mio expose on stable.

use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

/// Reads `SO_LINGER`.
pub(crate) fn linger(fd: RawFd) -> io::Result<Option<Duration>> {
    let mut value = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    let mut len = std::mem::size_of::<libc::linger>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid for writes of the sizes passed;
    // a bad `fd` makes the call fail, it cannot corrupt memory.
    let rc = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw mut value).cast(),
            &mut len,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok((value.l_onoff != 0).then(|| Duration::from_secs(value.l_linger as u64)))
}

/// Sets `SO_LINGER` (`None` turns it off).
pub(crate) fn set_linger(fd: RawFd, dur: Option<Duration>) -> io::Result<()> {
    let value = libc::linger {
        l_onoff: dur.is_some() as libc::c_int,
        l_linger: dur.map_or(0, |d| {
            d.as_secs().min(libc::c_int::MAX as u64) as libc::c_int
        }),
    };
    // SAFETY: `value` is a valid `linger` for the size passed.
    let rc = unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&raw const value).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
