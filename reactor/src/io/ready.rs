//! [`Ready`]: a set of readiness bits reported by the OS.

use std::fmt;
use std::ops;

const READABLE: u8 = 0b00_0001;
const WRITABLE: u8 = 0b00_0010;
const READ_CLOSED: u8 = 0b00_0100;
const WRITE_CLOSED: u8 = 0b00_1000;
const ERROR: u8 = 0b01_0000;
const PRIORITY: u8 = 0b10_0000;
const ALL: u8 = 0b11_1111;

/// Describes the readiness state of an I/O resource.
///
/// `Ready` tracks which operations an I/O resource is ready to perform.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ready(u8);

impl Ready {
    /// Returns the empty `Ready` set.
    pub const EMPTY: Ready = Ready(0);
    /// Returns a `Ready` representing readable readiness.
    pub const READABLE: Ready = Ready(READABLE);
    /// Returns a `Ready` representing writable readiness.
    pub const WRITABLE: Ready = Ready(WRITABLE);
    /// Returns a `Ready` representing read closed readiness.
    pub const READ_CLOSED: Ready = Ready(READ_CLOSED);
    /// Returns a `Ready` representing write closed readiness.
    pub const WRITE_CLOSED: Ready = Ready(WRITE_CLOSED);
    /// Returns a `Ready` representing error readiness.
    pub const ERROR: Ready = Ready(ERROR);
    /// Returns a `Ready` representing priority readiness.
    pub const PRIORITY: Ready = Ready(PRIORITY);
    /// Returns a `Ready` representing readiness for all operations.
    pub const ALL: Ready = Ready(ALL);

    /// Translates a mio event.
    pub(crate) fn from_mio(event: &mio::event::Event) -> Ready {
        let mut ready = Ready::EMPTY;
        if event.is_readable() {
            ready |= Ready::READABLE;
        }
        if event.is_writable() {
            ready |= Ready::WRITABLE;
        }
        if event.is_read_closed() {
            ready |= Ready::READ_CLOSED;
        }
        if event.is_write_closed() {
            ready |= Ready::WRITE_CLOSED;
        }
        if event.is_error() {
            ready |= Ready::ERROR;
        }
        if event.is_priority() {
            ready |= Ready::PRIORITY;
        }
        ready
    }

    pub(crate) const fn as_bits(self) -> usize {
        self.0 as usize
    }

    pub(crate) const fn from_bits(bits: usize) -> Ready {
        Ready(bits as u8 & ALL)
    }

    /// Returns true if `Ready` is the empty set.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Returns `true` if the value includes `readable` (or read closed).
    pub fn is_readable(self) -> bool {
        self.0 & (READABLE | READ_CLOSED) != 0
    }

    /// Returns `true` if the value includes writable `readiness` (or write closed).
    pub fn is_writable(self) -> bool {
        self.0 & (WRITABLE | WRITE_CLOSED) != 0
    }

    /// Returns `true` if the value includes read-closed `readiness`.
    pub fn is_read_closed(self) -> bool {
        self.0 & READ_CLOSED != 0
    }

    /// Returns `true` if the value includes write-closed `readiness`.
    pub fn is_write_closed(self) -> bool {
        self.0 & WRITE_CLOSED != 0
    }

    /// Returns `true` if the value includes error `readiness`.
    pub fn is_error(self) -> bool {
        self.0 & ERROR != 0
    }

    /// Returns `true` if the value includes priority `readiness`.
    pub fn is_priority(self) -> bool {
        self.0 & PRIORITY != 0
    }

    /// The bits of `self` that are also in `other`.
    #[must_use]
    pub(crate) fn intersection(self, other: Ready) -> Ready {
        Ready(self.0 & other.0)
    }
}

impl ops::BitOr for Ready {
    type Output = Ready;
    fn bitor(self, other: Ready) -> Ready {
        Ready(self.0 | other.0)
    }
}

impl ops::BitOrAssign for Ready {
    fn bitor_assign(&mut self, other: Ready) {
        self.0 |= other.0;
    }
}

impl ops::BitAnd for Ready {
    type Output = Ready;
    fn bitand(self, other: Ready) -> Ready {
        Ready(self.0 & other.0)
    }
}

impl ops::Sub for Ready {
    type Output = Ready;
    fn sub(self, other: Ready) -> Ready {
        Ready(self.0 & !other.0)
    }
}

impl fmt::Debug for Ready {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ready")
            .field("is_readable", &self.is_readable())
            .field("is_writable", &self.is_writable())
            .field("is_read_closed", &self.is_read_closed())
            .field("is_write_closed", &self.is_write_closed())
            .field("is_error", &self.is_error())
            .field("is_priority", &self.is_priority())
            .finish()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn set_operations() {
        let r = Ready::READABLE | Ready::WRITE_CLOSED;
        assert!(r.is_readable() && r.is_writable() && r.is_write_closed());
        assert!(!r.is_read_closed() && !r.is_error());
        assert_eq!(r - Ready::READABLE, Ready::WRITE_CLOSED);
        assert_eq!(r & Ready::READABLE, Ready::READABLE);
        assert!(Ready::EMPTY.is_empty());
        assert_eq!(Ready::from_bits(0xFF), Ready::ALL);
    }
}
