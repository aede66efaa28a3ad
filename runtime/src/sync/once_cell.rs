//! An async cell that is written at most once.
//!
//! Protocol: `value_set` (an atomic flag) guards `value`; a semaphore with one
//! permit elects the single writer.
//!
//! ```text
//!   EMPTY (flag false, 1 permit)
//!     | a caller takes the permit (try_acquire in `set`, acquire in
//!     | `get_or_init`/`get_or_try_init`)
//!     v
//!   INITIALIZING (flag false, 0 permits) --permit dropped (init failed or
//!     |                                     cancelled)--> EMPTY
//!     | the holder writes `value`, stores flag = true (Release), then
//!     | closes the semaphore and forgets the permit
//!     v
//!   SET (flag true, semaphore closed): readers load the flag (Acquire) and
//!   then read `value`; waiters in `acquire` get `Closed` and read it too.
//! ```
//!
//! `value` is written only by the permit holder while the flag is false, and
//! never written again once the flag is true (except through `&mut self`).

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use crate::sync::{Semaphore, SemaphorePermit, TryAcquireError};
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::mem::MaybeUninit;

/// A thread-safe cell that can be written to only once.
///
/// A `OnceCell` is typically used for global variables that need to be
/// initialized once on first use, but need no further changes. The
/// `OnceCell` in magpie allows the initialization procedure to be
/// asynchronous.
///
/// # Examples
///
/// ```
/// use magpie::sync::OnceCell;
///
/// async fn some_computation() -> u32 {
///     1 + 1
/// }
///
/// static ONCE: OnceCell<u32> = OnceCell::const_new();
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let result = ONCE.get_or_init(some_computation).await;
/// assert_eq!(*result, 2);
/// # }
/// ```
pub struct OnceCell<T> {
    value_set: AtomicBool,
    value: UnsafeCell<MaybeUninit<T>>,
    semaphore: Semaphore,
}

// SAFETY: the value is shared between threads as `&T` once set (needs
// `T: Sync`) and may be moved into the cell by one thread and out by another
// (needs `T: Send`).
unsafe impl<T: Sync + Send> Sync for OnceCell<T> {}
// SAFETY: sending the cell sends the `T` it may hold.
unsafe impl<T: Send> Send for OnceCell<T> {}

impl<T> Default for OnceCell<T> {
    fn default() -> OnceCell<T> {
        OnceCell::new()
    }
}

impl<T: fmt::Debug> fmt::Debug for OnceCell<T> {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt.debug_struct("OnceCell")
            .field("value", &self.get())
            .finish()
    }
}

impl<T: Clone> Clone for OnceCell<T> {
    fn clone(&self) -> OnceCell<T> {
        OnceCell::new_with(self.get().cloned())
    }
}

impl<T: PartialEq> PartialEq for OnceCell<T> {
    fn eq(&self, other: &OnceCell<T>) -> bool {
        self.get() == other.get()
    }
}

impl<T: Eq> Eq for OnceCell<T> {}

impl<T> Drop for OnceCell<T> {
    fn drop(&mut self) {
        if self.initialized_mut() {
            // SAFETY: the flag is true, so `value` holds an initialized `T`,
            // and `&mut self` means nobody else can observe it any more.
            self.value.with_mut(|p| unsafe { (*p).assume_init_drop() });
        }
    }
}

impl<T> From<T> for OnceCell<T> {
    fn from(value: T) -> Self {
        OnceCell::new_with(Some(value))
    }
}

impl<T> OnceCell<T> {
    /// Creates a new empty `OnceCell` instance.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let cell: OnceCell<u32> = OnceCell::new();
    /// assert!(cell.get().is_none());
    /// ```
    pub fn new() -> Self {
        OnceCell {
            value_set: AtomicBool::new(false),
            value: UnsafeCell::new(MaybeUninit::uninit()),
            semaphore: Semaphore::new(1),
        }
    }

    /// Creates a new empty `OnceCell` instance, usable in a `static`.
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// static CELL: OnceCell<u32> = OnceCell::const_new();
    /// assert!(CELL.get().is_none());
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new() -> Self {
        OnceCell {
            value_set: AtomicBool::new(false),
            value: UnsafeCell::new(MaybeUninit::uninit()),
            semaphore: Semaphore::const_new(1),
        }
    }

    /// Creates a new `OnceCell` that contains the provided value, if any.
    ///
    /// If the `Option` is `None`, this is equivalent to `OnceCell::new`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let cell = OnceCell::new_with(Some(3));
    /// assert_eq!(cell.get(), Some(&3));
    /// assert!(OnceCell::<u32>::new_with(None).get().is_none());
    /// ```
    pub fn new_with(value: Option<T>) -> Self {
        match value {
            Some(v) => {
                let cell = OnceCell::new();
                cell.value_set.store(true, Ordering::Relaxed);
                cell.semaphore.close();
                // SAFETY: the cell is not shared yet.
                cell.value.with_mut(|p| unsafe { (*p).write(v) });
                cell
            }
            None => OnceCell::new(),
        }
    }

    /// Creates a new `OnceCell` that contains the provided value, usable in a
    /// `static`.
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// static CELL: OnceCell<u32> = OnceCell::const_new_with(1);
    /// assert_eq!(CELL.get(), Some(&1));
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new_with(value: T) -> Self {
        let semaphore = Semaphore::const_new(0);
        // A closed semaphore is what marks the cell as set for waiters; a
        // const constructor cannot call `close`, so the zero-permit semaphore
        // is never acquirable: the flag is checked before any acquire.
        OnceCell {
            value_set: AtomicBool::new(true),
            value: UnsafeCell::new(MaybeUninit::new(value)),
            semaphore,
        }
    }

    /// Returns `true` if the `OnceCell` currently contains a value, and
    /// `false` otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let cell = OnceCell::new();
    /// assert!(!cell.initialized());
    /// cell.set(1).unwrap();
    /// assert!(cell.initialized());
    /// ```
    pub fn initialized(&self) -> bool {
        // Acquire pairs with the Release store in `set_value`.
        self.value_set.load(Ordering::Acquire)
    }

    fn initialized_mut(&mut self) -> bool {
        self.value_set.load(Ordering::Relaxed)
    }

    // SAFETY (for callers): the flag must have been observed true.
    unsafe fn get_unchecked(&self) -> &T {
        // SAFETY: per the caller, `value` is initialized and never written
        // again while `&self` lives.
        self.value.with(|p| unsafe { (*p).assume_init_ref() })
    }

    /// Writes the value; the caller holds the only permit.
    fn set_value(&self, value: T, permit: SemaphorePermit<'_>) -> &T {
        // SAFETY: the permit holder is the only writer, and the flag is still
        // false, so no reader looks at `value`.
        self.value.with_mut(|p| unsafe { (*p).write(value) });
        self.value_set.store(true, Ordering::Release);
        self.semaphore.close();
        permit.forget();
        // SAFETY: the flag was just set by this thread.
        unsafe { self.get_unchecked() }
    }

    /// Returns a reference to the value currently stored in the `OnceCell`,
    /// or `None` if the `OnceCell` is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let cell = OnceCell::new();
    /// assert_eq!(cell.get(), None);
    /// cell.get_or_init(|| async { 10 }).await;
    /// assert_eq!(cell.get(), Some(&10));
    /// # }
    /// ```
    pub fn get(&self) -> Option<&T> {
        if self.initialized() {
            // SAFETY: the flag is true.
            Some(unsafe { self.get_unchecked() })
        } else {
            None
        }
    }

    /// Returns a mutable reference to the value currently stored in the
    /// `OnceCell`, or `None` if the `OnceCell` is empty.
    ///
    /// Since this call borrows the `OnceCell` mutably, it is safe to mutate
    /// the value inside the `OnceCell` — the mutable borrow statically
    /// guarantees no other references exist.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let mut cell = OnceCell::from(1);
    /// *cell.get_mut().unwrap() += 1;
    /// assert_eq!(cell.get(), Some(&2));
    /// ```
    pub fn get_mut(&mut self) -> Option<&mut T> {
        if self.initialized_mut() {
            // SAFETY: the flag is true and `&mut self` is exclusive.
            Some(self.value.with_mut(|p| unsafe { (*p).assume_init_mut() }))
        } else {
            None
        }
    }

    /// Sets the value of the `OnceCell` to the given value if the `OnceCell`
    /// is empty.
    ///
    /// If the `OnceCell` already has a value, this call will fail with a
    /// [`SetError::AlreadyInitializedError`].
    ///
    /// If the `OnceCell` is empty, but some other task is currently trying to
    /// set the value, this call will fail with
    /// [`SetError::InitializingError`].
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let cell = OnceCell::new();
    /// assert!(cell.set(1).is_ok());
    /// assert!(cell.set(2).unwrap_err().is_already_init_err());
    /// assert_eq!(cell.get(), Some(&1));
    /// ```
    pub fn set(&self, value: T) -> Result<(), SetError<T>> {
        if self.initialized() {
            return Err(SetError::AlreadyInitializedError(value));
        }
        match self.semaphore.try_acquire() {
            Ok(permit) => {
                debug_assert!(!self.initialized());
                self.set_value(value, permit);
                Ok(())
            }
            Err(TryAcquireError::NoPermits) => {
                if self.initialized() {
                    Err(SetError::AlreadyInitializedError(value))
                } else {
                    Err(SetError::InitializingError(value))
                }
            }
            Err(TryAcquireError::Closed) => Err(SetError::AlreadyInitializedError(value)),
        }
    }

    /// Gets the value currently in the `OnceCell`, or initializes it with the
    /// given asynchronous operation.
    ///
    /// If some other task is currently working on initializing the
    /// `OnceCell`, this call will wait for that other task to finish, then
    /// return the value that the other task produced.
    ///
    /// If the provided operation is cancelled or panics, the initialization
    /// attempt is cancelled. If there are other tasks waiting for the value
    /// to be initialized, one of them will start another attempt at
    /// initializing the value.
    ///
    /// This will deadlock if `f` tries to initialize the cell recursively.
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let cell = OnceCell::new();
    /// assert_eq!(*cell.get_or_init(|| async { 5 }).await, 5);
    /// assert_eq!(*cell.get_or_init(|| async { 6 }).await, 5);
    /// # }
    /// ```
    pub async fn get_or_init<F, Fut>(&self, f: F) -> &T
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = T>,
    {
        if let Some(v) = self.get() {
            return v;
        }
        match self.semaphore.acquire().await {
            Ok(permit) => {
                if let Some(v) = self.get() {
                    // Defensive: a set cell never hands out its permit.
                    drop(permit);
                    return v;
                }
                let value = f().await;
                self.set_value(value, permit)
            }
            Err(_) => {
                debug_assert!(self.initialized());
                // SAFETY: the semaphore is closed only after the flag is set.
                unsafe { self.get_unchecked() }
            }
        }
    }

    /// Gets the value currently in the `OnceCell`, or initializes it with the
    /// given asynchronous operation.
    ///
    /// If some other task is currently working on initializing the
    /// `OnceCell`, this call will wait for that other task to finish, then
    /// return the value that the other task produced.
    ///
    /// If the provided operation returns an error, is cancelled or panics,
    /// the initialization attempt is cancelled. If there are other tasks
    /// waiting for the value to be initialized, one of them will start
    /// another attempt at initializing the value.
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let cell = OnceCell::new();
    /// assert!(cell.get_or_try_init(|| async { Err::<u8, _>("no") }).await.is_err());
    /// assert_eq!(cell.get_or_try_init(|| async { Ok::<_, ()>(3) }).await, Ok(&3));
    /// # }
    /// ```
    pub async fn get_or_try_init<E, F, Fut>(&self, f: F) -> Result<&T, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, E>>,
    {
        if let Some(v) = self.get() {
            return Ok(v);
        }
        match self.semaphore.acquire().await {
            Ok(permit) => {
                if let Some(v) = self.get() {
                    drop(permit);
                    return Ok(v);
                }
                let value = f().await?;
                Ok(self.set_value(value, permit))
            }
            Err(_) => {
                debug_assert!(self.initialized());
                // SAFETY: the semaphore is closed only after the flag is set.
                Ok(unsafe { self.get_unchecked() })
            }
        }
    }

    /// Takes the value from the cell, destroying the cell in the process.
    /// Returns `None` if the cell is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let cell = OnceCell::new();
    /// cell.set(String::from("hello")).unwrap();
    /// assert_eq!(cell.into_inner().as_deref(), Some("hello"));
    /// ```
    pub fn into_inner(mut self) -> Option<T> {
        self.take()
    }

    /// Takes ownership of the current value, leaving the cell empty. Returns
    /// `None` if the cell is empty.
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let mut cell = OnceCell::from(1);
    /// assert_eq!(cell.take(), Some(1));
    /// assert!(!cell.initialized());
    /// assert!(cell.set(2).is_ok());
    /// ```
    pub fn take(&mut self) -> Option<T> {
        if self.initialized_mut() {
            // SAFETY: the flag is true; clearing it below hands ownership of
            // the value to the caller.
            let value = self.value.with_mut(|p| unsafe { (*p).assume_init_read() });
            self.value_set.store(false, Ordering::Relaxed);
            // Reopen the cell: a fresh semaphore with one permit.
            self.semaphore = Semaphore::new(1);
            Some(value)
        } else {
            None
        }
    }
}

/// Errors that can be returned from [`OnceCell::set`].
///
/// # Examples
///
/// ```
/// use magpie::sync::{OnceCell, SetError};
///
/// let cell = OnceCell::new();
/// cell.set(1).unwrap();
/// assert_eq!(cell.set(2), Err(SetError::AlreadyInitializedError(2)));
/// ```
#[derive(Debug, PartialEq, Eq)]
pub enum SetError<T> {
    /// The cell was already initialized when [`OnceCell::set`] was called.
    AlreadyInitializedError(T),

    /// The cell is currently being initialized.
    InitializingError(T),
}

impl<T> fmt::Display for SetError<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SetError::AlreadyInitializedError(_) => write!(f, "AlreadyInitializedError"),
            SetError::InitializingError(_) => write!(f, "InitializingError"),
        }
    }
}

impl<T: fmt::Debug> Error for SetError<T> {}

impl<T> SetError<T> {
    /// Whether `SetError` is `SetError::AlreadyInitializedError`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// let cell = OnceCell::from(1);
    /// let err = cell.set(2).unwrap_err();
    /// assert!(err.is_already_init_err());
    /// ```
    pub fn is_already_init_err(&self) -> bool {
        matches!(self, SetError::AlreadyInitializedError(_))
    }

    /// Whether `SetError` is `SetError::InitializingError`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::OnceCell;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// static CELL: OnceCell<u32> = OnceCell::const_new();
    ///
    /// let (tx, rx) = magpie::sync::oneshot::channel::<()>();
    /// let init = magpie::spawn(async move {
    ///     // While this runs, the cell is being initialized.
    ///     *CELL.get_or_init(|| async { rx.await.map_or(0, |()| 1) }).await
    /// });
    /// magpie::task::yield_now().await; // let the task start initializing
    /// let err = CELL.set(2).unwrap_err();
    /// assert!(err.is_initializing_err());
    /// tx.send(()).unwrap();
    /// assert_eq!(init.await.unwrap(), 1);
    /// # }
    /// ```
    pub fn is_initializing_err(&self) -> bool {
        matches!(self, SetError::InitializingError(_))
    }
}
