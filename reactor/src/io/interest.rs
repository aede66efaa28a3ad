//! [`Interest`]: which readiness a registration (or a wait) is about.

use crate::io::ready::Ready;
use std::fmt;
use std::ops;

const READABLE: u8 = 0b0001;
const WRITABLE: u8 = 0b0010;
const ERROR: u8 = 0b0100;
const PRIORITY: u8 = 0b1000;

/// Readiness event interest.
///
/// Specifies the readiness events the caller is interested in when awaiting
/// on I/O resource readiness states. Never empty: it is built from the
/// constants below with `|` / [`add`](Interest::add).
#[derive(Clone, Copy, Eq, PartialEq, Hash)]
pub struct Interest(u8);

impl Interest {
    /// Interest in all readable events: readable data, a closed read half.
    pub const READABLE: Interest = Interest(READABLE);
    /// Interest in all writable events: write space, a closed write half.
    pub const WRITABLE: Interest = Interest(WRITABLE);
    /// Interest in error events (the socket has a pending error).
    pub const ERROR: Interest = Interest(ERROR);
    /// Interest in out-of-band ("priority") data (Linux only in effect).
    pub const PRIORITY: Interest = Interest(PRIORITY);

    /// Returns true if the value includes readable interest.
    pub const fn is_readable(self) -> bool {
        self.0 & READABLE != 0
    }

    /// Returns true if the value includes writable interest.
    pub const fn is_writable(self) -> bool {
        self.0 & WRITABLE != 0
    }

    /// Returns true if the value includes error interest.
    pub const fn is_error(self) -> bool {
        self.0 & ERROR != 0
    }

    /// Returns true if the value includes priority interest.
    pub const fn is_priority(self) -> bool {
        self.0 & PRIORITY != 0
    }

    /// Adds together two `Interest` values.
    ///
    /// ```
    /// use magpie_reactor::io::Interest;
    /// let both = Interest::READABLE.add(Interest::WRITABLE);
    /// assert!(both.is_readable() && both.is_writable());
    /// ```
    #[must_use]
    pub const fn add(self, other: Interest) -> Interest {
        Interest(self.0 | other.0)
    }

    /// Removes `other` from `self`; `None` if nothing would be left.
    #[must_use]
    pub fn remove(self, other: Interest) -> Option<Interest> {
        let left = self.0 & !other.0;
        (left != 0).then_some(Interest(left))
    }

    /// The readiness bits that satisfy this interest.
    pub(crate) fn mask(self) -> Ready {
        let mut ready = Ready::EMPTY;
        if self.is_readable() {
            ready |= Ready::READABLE | Ready::READ_CLOSED;
        }
        if self.is_writable() {
            ready |= Ready::WRITABLE | Ready::WRITE_CLOSED;
        }
        if self.is_error() {
            ready |= Ready::ERROR;
        }
        if self.is_priority() {
            ready |= Ready::PRIORITY | Ready::READ_CLOSED;
        }
        ready
    }

    /// The interest to give mio. mio has no error interest (errors are
    /// always reported) so an error-only interest registers as readable.
    pub(crate) fn to_mio(self) -> mio::Interest {
        let mut mio_interest: Option<mio::Interest> = None;
        let mut add = |i: mio::Interest| {
            mio_interest = Some(match mio_interest {
                Some(prev) => prev.add(i),
                None => i,
            });
        };
        if self.is_readable() {
            add(mio::Interest::READABLE);
        }
        if self.is_writable() {
            add(mio::Interest::WRITABLE);
        }
        #[cfg(any(target_os = "linux", target_os = "android"))]
        if self.is_priority() {
            add(mio::Interest::PRIORITY);
        }
        mio_interest.unwrap_or(mio::Interest::READABLE)
    }
}

impl ops::BitOr for Interest {
    type Output = Interest;

    fn bitor(self, other: Interest) -> Interest {
        self.add(other)
    }
}

impl ops::BitOrAssign for Interest {
    fn bitor_assign(&mut self, other: Interest) {
        *self = self.add(other);
    }
}

impl fmt::Debug for Interest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut sep = false;
        for (bit, name) in [
            (READABLE, "READABLE"),
            (WRITABLE, "WRITABLE"),
            (ERROR, "ERROR"),
            (PRIORITY, "PRIORITY"),
        ] {
            if self.0 & bit != 0 {
                if sep {
                    f.write_str(" | ")?;
                }
                f.write_str(name)?;
                sep = true;
            }
        }
        Ok(())
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn combine_and_remove() {
        let i = Interest::READABLE | Interest::WRITABLE;
        assert!(i.is_readable() && i.is_writable() && !i.is_error());
        assert_eq!(i.remove(Interest::READABLE), Some(Interest::WRITABLE));
        assert_eq!(Interest::READABLE.remove(Interest::READABLE), None);
        assert_eq!(format!("{i:?}"), "READABLE | WRITABLE");
        assert!(Interest::ERROR.to_mio().is_readable());
    }
}
