//! "How much is still queued?" for stream reads: the kernel's `TCP_INQ`
//! (TCP) and `SO_INQ` (Unix streams, Linux 6.16+) hints.
//!
//! A stream read that returns less than the buffer drained the receive
//! queue, so the caller can clear the read readiness at once. A read that
//! fills the buffer says nothing, and without a hint the next read is a
//! `recv` that returns `EAGAIN` before the task waits. With the option on,
//! every `recvmsg` gets a control message with the bytes still queued; 0
//! means drained.
//!
//! The option is turned on lazily, at the second read that fills the
//! buffer: a stream whose reads are short (a big buffer) or a connection
//! that makes a single full read (connect, one request, close) never pays
//! the `setsockopt`.
//!
//! ```text
//!   UNTRIED --full read--> SEEN_FULL --full read--> setsockopt
//!                                          ok:  ON  (reads via recvmsg + hint)
//!                                          err: OFF (plain reads forever)
//! ```
//!
//! The state is a hint only: every state reads correctly, so relaxed loads
//! and stores in any interleaving (two tasks reading one stream) are fine;
//! at worst the option is set twice.

use crate::loom::sync::atomic::AtomicU32;
use crate::loom::sync::atomic::Ordering::Relaxed;
use std::io;
use std::os::fd::RawFd;

const UNTRIED: u32 = 0;
const SEEN_FULL: u32 = 1;
const ON: u32 = 2;
const OFF: u32 = 3;

/// Which option a stream type uses.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Kind {
    /// `TCP_INQ`, control message `SOL_TCP` / `TCP_CM_INQ`. After a FIN
    /// the kernel reports at least 1, so the read returning 0 is still
    /// made.
    Tcp,
    /// `SO_INQ`, control message `SOL_SOCKET` / `SCM_INQ`. The peer's
    /// close is not counted; it arrives as its own edge (read-closed),
    /// which is never cleared.
    Unix,
}

/// `SO_INQ` / `SCM_INQ` (asm-generic/socket.h; not in `libc` yet).
#[cfg(target_os = "linux")]
const SO_INQ: libc::c_int = 84;

impl Kind {
    #[cfg(target_os = "linux")]
    fn option(self) -> (libc::c_int, libc::c_int) {
        match self {
            Kind::Tcp => (libc::SOL_TCP, libc::TCP_INQ),
            Kind::Unix => (libc::SOL_SOCKET, SO_INQ),
        }
    }
}

/// Per-stream state of the hint; see the module docs.
#[derive(Debug)]
pub(crate) struct InqHint {
    state: AtomicU32,
    kind: Kind,
}

impl InqHint {
    pub(crate) fn new(kind: Kind) -> InqHint {
        InqHint {
            state: AtomicU32::new(UNTRIED),
            kind,
        }
    }

    /// One read into `buf` from `fd` (`plain` is the ordinary `recv`),
    /// returning the byte count and whether the receive queue is known to
    /// be empty afterwards.
    pub(crate) fn read(
        &self,
        fd: RawFd,
        buf: &mut [u8],
        plain: impl FnOnce(&mut [u8]) -> io::Result<usize>,
    ) -> io::Result<(usize, bool)> {
        let len = buf.len();
        #[cfg(target_os = "linux")]
        {
            let state = self.state.load(Relaxed);
            if state == ON {
                let (n, queued) = recv_with_inq(fd, buf, self.kind.option())?;
                let drained = match queued {
                    Some(queued) => n > 0 && queued == 0,
                    None => n > 0 && n < len,
                };
                return Ok((n, drained));
            }
            let n = plain(buf)?;
            if n == len && n > 0 && state != OFF {
                let next = if state == UNTRIED {
                    SEEN_FULL
                } else {
                    let (level, name) = self.kind.option();
                    match crate::net::sockopt::set_int(fd, level, name, 1) {
                        Ok(()) => ON,
                        Err(_) => OFF,
                    }
                };
                self.state.store(next, Relaxed);
            }
            Ok((n, n > 0 && n < len))
        }
        #[cfg(not(target_os = "linux"))]
        {
            let _ = (fd, &self.state, self.kind);
            let n = plain(buf)?;
            Ok((n, n > 0 && n < len))
        }
    }

    /// Whether reads use the kernel's hint (tests).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn is_on(&self) -> bool {
        self.state.load(Relaxed) == ON
    }
}

/// `recv` into `buf` through `recvmsg`, returning the byte count and, if
/// the kernel sent the `(level, type)` control message (the option is on),
/// how many bytes are still queued.
#[cfg(target_os = "linux")]
fn recv_with_inq(
    fd: RawFd,
    buf: &mut [u8],
    (level, ty): (libc::c_int, libc::c_int),
) -> io::Result<(usize, Option<usize>)> {
    // Room for one `cmsghdr` + `int`, 8-byte aligned as `cmsghdr` needs.
    let mut control = [0u64; 4];
    let mut iov = libc::iovec {
        iov_base: buf.as_mut_ptr().cast(),
        iov_len: buf.len(),
    };
    // SAFETY: all-zero is a valid `msghdr` (null pointers, zero lengths).
    let mut msg: libc::msghdr = unsafe { std::mem::zeroed() };
    msg.msg_iov = &raw mut iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control.as_mut_ptr().cast();
    msg.msg_controllen = std::mem::size_of_val(&control) as _;
    // SAFETY: `msg` points at `iov` (which covers exactly `buf`) and at
    // `control` with their true lengths; all three outlive the call. A bad
    // `fd` makes the call fail, it cannot corrupt memory.
    let n = unsafe { libc::recvmsg(fd, &mut msg, 0) };
    if n < 0 {
        return Err(io::Error::last_os_error());
    }
    let mut queued = None;
    // SAFETY: `msg` was filled by a successful `recvmsg`: its control
    // pointer and length describe the part of `control` the kernel wrote,
    // which is what CMSG_FIRSTHDR / CMSG_NXTHDR walk (they return null at
    // the end); the data of the header we look for holds an `int`, read
    // unaligned.
    unsafe {
        let mut cmsg = libc::CMSG_FIRSTHDR(&msg);
        while !cmsg.is_null() {
            if (*cmsg).cmsg_level == level && (*cmsg).cmsg_type == ty {
                let q = libc::CMSG_DATA(cmsg).cast::<libc::c_int>().read_unaligned();
                queued = Some(q.max(0) as usize);
            }
            cmsg = libc::CMSG_NXTHDR(&msg, cmsg);
        }
    }
    Ok((n as usize, queued))
}
