//! A cell that is set once and can be awaited until it is.
//!
//! Built from an [`OnceCell`] (which elects the single writer and publishes
//! the value, see its protocol) and a [`Notify`] that wakes the waiters of
//! [`SetOnce::wait`] after the value is published. A waiter registers its
//! `Notified` (`enable`) before re-checking the cell, so a `set` between the
//! check and the registration cannot be missed.

use crate::sync::{Notify, OnceCell};
use std::error::Error;
use std::fmt;

/// A thread-safe cell that can be written to only once.
///
/// A `SetOnce` is inspired from python's `asyncio.Event` type. It can be
/// used to wait until the value of the `SetOnce` is set like a "Event"
/// mechanism.
///
/// # Examples
///
/// ```
/// use magpie::sync::SetOnce;
/// use std::sync::Arc;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let once = Arc::new(SetOnce::new());
/// let waiter = {
///     let once = once.clone();
///     magpie::spawn(async move { *once.wait().await })
/// };
/// once.set(20).unwrap();
/// assert_eq!(waiter.await.unwrap(), 20);
/// assert!(once.set(21).is_err());
/// # }
/// ```
pub struct SetOnce<T> {
    cell: OnceCell<T>,
    notify: Notify,
}

impl<T> Default for SetOnce<T> {
    fn default() -> SetOnce<T> {
        SetOnce::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for SetOnce<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("SetOnce")
            .field("value", &self.get())
            .finish()
    }
}

impl<T: Clone> Clone for SetOnce<T> {
    fn clone(&self) -> SetOnce<T> {
        SetOnce::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for SetOnce<T> {
    fn eq(&self, other: &SetOnce<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for SetOnce<T> {}

impl<T> From<T> for SetOnce<T> {
    fn from(value: T) -> Self {
        SetOnce::new_with(Some(value))
    }
}

impl<T> SetOnce<T> {
    /// Creates a new empty `SetOnce` instance.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// let once: SetOnce<u32> = SetOnce::new();
    /// assert!(once.get().is_none());
    /// ```
    pub fn new() -> Self {
        SetOnce {
            cell: OnceCell::new(),
            notify: Notify::new(),
        }
    }

    /// Creates a new empty `SetOnce` instance, usable in a `static`.
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// static ONCE: SetOnce<u32> = SetOnce::const_new();
    /// assert!(ONCE.get().is_none());
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new() -> Self {
        SetOnce {
            cell: OnceCell::const_new(),
            notify: Notify::const_new(),
        }
    }

    /// Creates a new `SetOnce` that contains the provided value, if any.
    ///
    /// If the `Option` is `None`, this is equivalent to `SetOnce::new`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// let once = SetOnce::new_with(Some(3));
    /// assert_eq!(once.get(), Some(&3));
    /// ```
    pub fn new_with(value: Option<T>) -> Self {
        SetOnce {
            cell: OnceCell::new_with(value),
            notify: Notify::new(),
        }
    }

    /// Creates a new `SetOnce` that contains the provided value, usable in a
    /// `static`.
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// static ONCE: SetOnce<u32> = SetOnce::const_new_with(1);
    /// assert_eq!(ONCE.get(), Some(&1));
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new_with(value: T) -> Self {
        SetOnce {
            cell: OnceCell::const_new_with(value),
            notify: Notify::const_new(),
        }
    }

    /// Returns `true` if the `SetOnce` currently contains a value, and
    /// `false` otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// let once = SetOnce::new();
    /// assert!(!once.initialized());
    /// once.set(1).unwrap();
    /// assert!(once.initialized());
    /// ```
    pub fn initialized(&self) -> bool {
        self.cell.initialized()
    }

    /// Returns a reference to the value currently stored in the `SetOnce`,
    /// or `None` if the `SetOnce` is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// let once = SetOnce::new();
    /// assert_eq!(once.get(), None);
    /// once.set(10).unwrap();
    /// assert_eq!(once.get(), Some(&10));
    /// ```
    pub fn get(&self) -> Option<&T> {
        self.cell.get()
    }

    /// Sets the value of the `SetOnce` to the given value if the `SetOnce`
    /// is empty, and wakes every task waiting in [`wait`](SetOnce::wait).
    ///
    /// If the `SetOnce` already has a value, this call will fail with a
    /// [`SetOnceError`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{SetOnce, SetOnceError};
    ///
    /// let once = SetOnce::new();
    /// assert_eq!(once.set(1), Ok(()));
    /// assert_eq!(once.set(2), Err(SetOnceError(2)));
    /// assert_eq!(once.get(), Some(&1));
    /// ```
    pub fn set(&self, value: T) -> Result<(), SetOnceError<T>> {
        match self.cell.set(value) {
            Ok(()) => {
                self.notify.notify_waiters();
                Ok(())
            }
            Err(err) => Err(SetOnceError(match err {
                crate::sync::SetError::AlreadyInitializedError(v) => v,
                crate::sync::SetError::InitializingError(v) => v,
            })),
        }
    }

    /// Takes the value from the cell, destroying the cell in the process.
    /// Returns `None` if the cell is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    ///
    /// let once = SetOnce::new();
    /// once.set(String::from("hello")).unwrap();
    /// assert_eq!(once.into_inner().as_deref(), Some("hello"));
    /// ```
    pub fn into_inner(self) -> Option<T> {
        self.cell.into_inner()
    }

    /// Waits until the value is set.
    ///
    /// If the `SetOnce` is already initialized, it will return the value
    /// immediately.
    ///
    /// # Note
    ///
    /// This will keep waiting until the `SetOnce` is initialized, so it
    /// should be used with care to avoid blocking the current task
    /// indefinitely.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::SetOnce;
    /// use std::sync::Arc;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let once = Arc::new(SetOnce::new());
    /// let waiter = magpie::spawn({
    ///     let once = once.clone();
    ///     async move { *once.wait().await }
    /// });
    /// once.set(5).unwrap();
    /// assert_eq!(waiter.await.unwrap(), 5);
    /// # }
    /// ```
    pub async fn wait(&self) -> &T {
        loop {
            if let Some(v) = self.get() {
                return v;
            }
            let notified = self.notify.notified();
            let mut notified = std::pin::pin!(notified);
            notified.as_mut().enable();
            if let Some(v) = self.get() {
                return v;
            }
            notified.await;
        }
    }
}

/// Error that can be returned from [`SetOnce::set`].
///
/// This error means that the `SetOnce` was already initialized when
/// set was called
///
/// # Examples
///
/// ```
/// use magpie::sync::{SetOnce, SetOnceError};
///
/// let once = SetOnce::from(1);
/// let SetOnceError(rejected) = once.set(2).unwrap_err();
/// assert_eq!(rejected, 2);
/// ```
#[derive(Debug, PartialEq, Eq)]
pub struct SetOnceError<T>(pub T);

impl<T> fmt::Display for SetOnceError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SetOnceError")
    }
}

impl<T: fmt::Debug> Error for SetOnceError<T> {}
