//! Time error types.
//!
//! # Examples
//!
//! ```
//! use magpie::time::{error::Elapsed, timeout, Duration};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let res: Result<(), Elapsed> = timeout(Duration::from_millis(1), std::future::pending()).await;
//! assert!(res.is_err());
//! # }
//! ```

use std::error;
use std::fmt;
use std::io;

/// Errors encountered by the timer implementation.
///
/// Currently only a shut-down runtime is reported (as
/// [`is_shutdown`](Error::is_shutdown)); the other kinds exist for
/// source compatibility with tokio.
///
/// # Examples
///
/// ```
/// use magpie::time::error::Error;
///
/// let err = Error::shutdown();
/// assert!(err.is_shutdown());
/// println!("{err}");
/// ```
#[derive(Debug, Copy, Clone, PartialEq, Eq)]
pub struct Error(Kind);

#[derive(Debug, Clone, Copy, Eq, PartialEq)]
#[repr(u8)]
enum Kind {
    Shutdown = 1,
    AtCapacity = 2,
    Invalid = 3,
}

/// Errors returned by `Timeout`.
///
/// This error is returned when a timeout expires before the function was
/// able to finish.
///
/// # Examples
///
/// ```
/// use magpie::time::{error::Elapsed, timeout, Duration};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let res: Result<(), Elapsed> = timeout(Duration::from_millis(1), std::future::pending()).await;
/// let err = res.unwrap_err();
/// println!("{err}"); // deadline has elapsed
/// # }
/// ```
#[derive(Debug, PartialEq, Eq)]
pub struct Elapsed(());

impl Error {
    /// Creates an error representing a shutdown timer.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::time::error::Error::shutdown();
    /// assert!(err.is_shutdown());
    /// ```
    pub fn shutdown() -> Error {
        Error(Kind::Shutdown)
    }

    /// Returns `true` if the error was caused by the timer being shutdown.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::time::error::Error::shutdown();
    /// assert!(err.is_shutdown() && !err.is_at_capacity());
    /// ```
    pub fn is_shutdown(&self) -> bool {
        matches!(self.0, Kind::Shutdown)
    }

    /// Creates an error representing a timer at capacity.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::time::error::Error::at_capacity();
    /// assert!(err.is_at_capacity());
    /// ```
    pub fn at_capacity() -> Error {
        Error(Kind::AtCapacity)
    }

    /// Returns `true` if the error was caused by the timer being at capacity.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::time::error::Error::at_capacity();
    /// assert!(err.is_at_capacity() && !err.is_invalid());
    /// ```
    pub fn is_at_capacity(&self) -> bool {
        matches!(self.0, Kind::AtCapacity)
    }

    /// Creates an error representing a misconfigured timer.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::time::error::Error::invalid();
    /// assert!(err.is_invalid());
    /// ```
    pub fn invalid() -> Error {
        Error(Kind::Invalid)
    }

    /// Returns `true` if the error was caused by the timer being misconfigured.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::time::error::Error::invalid();
    /// assert!(err.is_invalid() && !err.is_shutdown());
    /// ```
    pub fn is_invalid(&self) -> bool {
        matches!(self.0, Kind::Invalid)
    }
}

impl error::Error for Error {}

impl fmt::Display for Error {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        let descr = match self.0 {
            Kind::Shutdown => {
                "the timer is shutdown, must be called from the context of a magpie runtime"
            }
            Kind::AtCapacity => "timer is at capacity and cannot create a new entry",
            Kind::Invalid => "timer duration exceeds maximum duration",
        };
        fmt.write_str(descr)
    }
}

impl From<magpie_reactor::time::Error> for Error {
    fn from(_: magpie_reactor::time::Error) -> Error {
        Error::shutdown()
    }
}

impl Elapsed {
    pub(crate) fn new() -> Self {
        Elapsed(())
    }
}

impl fmt::Display for Elapsed {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.write_str("deadline has elapsed")
    }
}

impl error::Error for Elapsed {}

impl From<Elapsed> for io::Error {
    fn from(_err: Elapsed) -> io::Error {
        io::ErrorKind::TimedOut.into()
    }
}
