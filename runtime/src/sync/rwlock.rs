//! An asynchronous reader-writer lock on the fair batch semaphore.
//!
//! The semaphore holds `max_readers` permits. A reader takes one, a writer
//! takes all of them, so holding any guard is the right to touch the data:
//! readers share (`&T`), a writer is alone (`&mut T`). Requests are served
//! FIFO: a writer at the head of the queue collects permits as readers leave
//! and keeps later readers waiting, so writers cannot starve
//! (write-preferring, fair, as tokio's).

use super::TryLockError;
use super::batch_semaphore as ll;
use crate::loom::cell::UnsafeCell;
use std::fmt;
use std::sync::Arc;

mod guards;
mod owned_guards;

pub use guards::{RwLockMappedWriteGuard, RwLockReadGuard, RwLockWriteGuard};
pub use owned_guards::{OwnedRwLockMappedWriteGuard, OwnedRwLockReadGuard, OwnedRwLockWriteGuard};

/// The maximum number of concurrent readers (as tokio's).
const MAX_READS: u32 = u32::MAX >> 3;

/// An asynchronous reader-writer lock.
///
/// This type of lock allows a number of readers or at most one writer at
/// any point in time. The write portion of this lock typically allows
/// modification of the underlying data (exclusive access) and the read
/// portion of this lock typically allows for read-only access (shared
/// access).
///
/// In comparison, a [`Mutex`] does not distinguish between readers or
/// writers that acquire the lock, therefore causing any tasks waiting for
/// the lock to become available to yield. An `RwLock` will allow any number
/// of readers to acquire the lock as long as a writer is not holding the
/// lock.
///
/// The priority policy of this lock is fair (or write-preferring), in order
/// to ensure that readers cannot starve writers. Fairness is ensured using
/// a first-in, first-out queue for the tasks awaiting the lock; if a task
/// that wishes to acquire the write lock is at the head of the queue,
/// read locks will not be given out until the write lock has been released.
///
/// ```no_run
/// use magpie::sync::RwLock;
///
/// # async fn demo() {
/// let lock = RwLock::new(5);
/// {
///     let r1 = lock.read().await;
///     let r2 = lock.read().await;
///     assert_eq!(*r1 + *r2, 10);
/// }
/// {
///     let mut w = lock.write().await;
///     *w += 1;
/// }
/// # }
/// ```
///
/// [`Mutex`]: crate::sync::Mutex
pub struct RwLock<T: ?Sized> {
    mr: u32,
    s: ll::Semaphore,
    c: UnsafeCell<T>,
}

// SAFETY: guards hand out `&T` to many threads at once (needs `T: Sync`)
// and `&mut T` to one thread at a time (needs `T: Send`); the permit
// protocol (module doc) guarantees the two never overlap.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLock<T> {}

impl<T: ?Sized> RwLock<T> {
    /// Creates a new instance of an `RwLock<T>` which is unlocked.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// let lock = RwLock::new(5);
    /// ```
    pub fn new(value: T) -> RwLock<T>
    where
        T: Sized,
    {
        RwLock {
            mr: MAX_READS,
            s: ll::Semaphore::new(MAX_READS as usize),
            c: UnsafeCell::new(value),
        }
    }

    /// Creates a new instance of an `RwLock<T>` which is unlocked and
    /// allows a maximum of `max_reads` concurrent readers.
    ///
    /// # Panics
    ///
    /// Panics if `max_reads` is more than `u32::MAX >> 3`, or zero (a
    /// writer takes `max_reads` permits, so zero would let writers share).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::with_max_readers(0, 2);
    /// let _a = lock.read().await;
    /// let _b = lock.read().await;
    /// assert!(lock.try_read().is_err()); // at most 2 readers
    /// # }
    /// ```
    #[track_caller]
    pub fn with_max_readers(value: T, max_reads: u32) -> RwLock<T>
    where
        T: Sized,
    {
        assert!(
            max_reads <= MAX_READS,
            "a RwLock may not be created with more than {MAX_READS} readers"
        );
        assert!(max_reads > 0, "a RwLock needs at least one reader");
        RwLock {
            mr: max_reads,
            s: ll::Semaphore::new(max_reads as usize),
            c: UnsafeCell::new(value),
        }
    }

    /// Creates a new instance of an `RwLock<T>` which is unlocked, in a
    /// const context.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// static CONFIG: RwLock<u32> = RwLock::const_new(0);
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// *CONFIG.write().await = 3;
    /// assert_eq!(*CONFIG.read().await, 3);
    /// # }
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new(value: T) -> RwLock<T>
    where
        T: Sized,
    {
        RwLock {
            mr: MAX_READS,
            s: ll::Semaphore::const_new(MAX_READS as usize),
            c: UnsafeCell::new(value),
        }
    }

    /// Creates a new instance of an `RwLock<T>` which is unlocked and
    /// allows a maximum of `max_reads` concurrent readers, in a const
    /// context.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// static LOCK: RwLock<u32> = RwLock::const_with_max_readers(0, 8);
    /// ```
    #[cfg(not(loom))]
    pub const fn const_with_max_readers(value: T, max_reads: u32) -> RwLock<T>
    where
        T: Sized,
    {
        assert!(max_reads <= MAX_READS && max_reads > 0);
        RwLock {
            mr: max_reads,
            s: ll::Semaphore::const_new(max_reads as usize),
            c: UnsafeCell::new(value),
        }
    }

    /// Locks this `RwLock` with shared read access, causing the current
    /// task to yield until the lock has been acquired.
    ///
    /// The calling task will yield until there are no writers which hold
    /// the lock. There may be other readers inside the lock when the task
    /// resumes.
    ///
    /// Note that under the priority policy of `RwLock`, read locks are not
    /// granted until prior write locks, to prevent starvation. Therefore
    /// deadlock may occur if a read lock is held by the current task, a
    /// write lock attempt is made, and then a subsequent read lock attempt
    /// is made by the current task.
    ///
    /// Returns an RAII guard which will drop this read access of the
    /// `RwLock` when dropped.
    ///
    /// # Cancel safety
    ///
    /// This method uses a queue to fairly distribute locks in the order
    /// they were requested. Cancelling a call to `read` makes you lose your
    /// place in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(1);
    /// let a = lock.read().await;
    /// let b = lock.read().await; // many readers at once
    /// assert_eq!(*a + *b, 2);
    /// # }
    /// ```
    pub async fn read(&self) -> RwLockReadGuard<'_, T> {
        self.acquire(1).await;
        // SAFETY: we hold one permit, which is what `new` requires.
        unsafe { RwLockReadGuard::new(&self.s, self.c.with(|p| p)) }
    }

    /// Blockingly locks this `RwLock` with shared read access.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// let lock = RwLock::new(1);
    /// assert_eq!(*lock.blocking_read(), 1);
    /// ```
    #[track_caller]
    pub fn blocking_read(&self) -> RwLockReadGuard<'_, T> {
        super::blocking::block_on(self.read())
    }

    /// Locks this `RwLock` with shared read access, returning an owned
    /// guard.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `read_owned` makes you lose your place in the
    /// queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(1));
    /// let guard = lock.clone().read_owned().await;
    /// magpie::spawn(async move { assert_eq!(*guard, 1) }).await.unwrap();
    /// # }
    /// ```
    pub async fn read_owned(self: Arc<Self>) -> OwnedRwLockReadGuard<T> {
        self.acquire(1).await;
        let data = self.c.with(|p| p);
        // SAFETY: we hold one permit of `self`, and `data` points into it.
        unsafe { OwnedRwLockReadGuard::new(self, data) }
    }

    /// Attempts to acquire this `RwLock` with shared read access.
    ///
    /// If the access couldn't be acquired immediately, returns
    /// [`TryLockError`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(1);
    /// let w = lock.write().await;
    /// assert!(lock.try_read().is_err());
    /// drop(w);
    /// assert_eq!(*lock.try_read().unwrap(), 1);
    /// # }
    /// ```
    pub fn try_read(&self) -> Result<RwLockReadGuard<'_, T>, TryLockError> {
        self.s.try_acquire(1).map_err(|_| TryLockError(()))?;
        // SAFETY: we hold one permit.
        Ok(unsafe { RwLockReadGuard::new(&self.s, self.c.with(|p| p)) })
    }

    /// Attempts to acquire this `RwLock` with shared read access, returning
    /// an owned guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::RwLock;
    ///
    /// let lock = Arc::new(RwLock::new(1));
    /// let guard = lock.clone().try_read_owned().unwrap();
    /// assert_eq!(*guard, 1);
    /// ```
    pub fn try_read_owned(self: Arc<Self>) -> Result<OwnedRwLockReadGuard<T>, TryLockError> {
        self.s.try_acquire(1).map_err(|_| TryLockError(()))?;
        let data = self.c.with(|p| p);
        // SAFETY: we hold one permit of `self`, and `data` points into it.
        Ok(unsafe { OwnedRwLockReadGuard::new(self, data) })
    }

    /// Locks this `RwLock` with exclusive write access, causing the current
    /// task to yield until the lock has been acquired.
    ///
    /// The calling task will yield while other writers or readers currently
    /// have access to the lock.
    ///
    /// # Cancel safety
    ///
    /// This method uses a queue to fairly distribute locks in the order
    /// they were requested. Cancelling a call to `write` makes you lose
    /// your place in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(1);
    /// *lock.write().await += 1; // exclusive access
    /// assert_eq!(*lock.read().await, 2);
    /// # }
    /// ```
    pub async fn write(&self) -> RwLockWriteGuard<'_, T> {
        self.acquire(self.mr).await;
        // SAFETY: we hold all `mr` permits.
        unsafe { RwLockWriteGuard::new(&self.s, self.mr, self.c.with_mut(|p| p)) }
    }

    /// Blockingly locks this `RwLock` with exclusive write access.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// let lock = RwLock::new(1);
    /// *lock.blocking_write() = 2;
    /// assert_eq!(*lock.blocking_read(), 2);
    /// ```
    #[track_caller]
    pub fn blocking_write(&self) -> RwLockWriteGuard<'_, T> {
        super::blocking::block_on(self.write())
    }

    /// Locks this `RwLock` with exclusive write access, returning an owned
    /// guard.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `write_owned` makes you lose your place in the
    /// queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(1));
    /// let mut guard = lock.clone().write_owned().await;
    /// magpie::spawn(async move { *guard = 2 }).await.unwrap();
    /// assert_eq!(*lock.read().await, 2);
    /// # }
    /// ```
    pub async fn write_owned(self: Arc<Self>) -> OwnedRwLockWriteGuard<T> {
        self.acquire(self.mr).await;
        let (mr, data) = (self.mr, self.c.with_mut(|p| p));
        // SAFETY: we hold all `mr` permits of `self`; `data` points into it.
        unsafe { OwnedRwLockWriteGuard::new(self, mr, data) }
    }

    /// Attempts to acquire this `RwLock` with exclusive write access.
    ///
    /// If the access couldn't be acquired immediately, returns
    /// [`TryLockError`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(1);
    /// let r = lock.read().await;
    /// assert!(lock.try_write().is_err());
    /// drop(r);
    /// assert!(lock.try_write().is_ok());
    /// # }
    /// ```
    pub fn try_write(&self) -> Result<RwLockWriteGuard<'_, T>, TryLockError> {
        self.s
            .try_acquire(self.mr as usize)
            .map_err(|_| TryLockError(()))?;
        // SAFETY: we hold all `mr` permits.
        Ok(unsafe { RwLockWriteGuard::new(&self.s, self.mr, self.c.with_mut(|p| p)) })
    }

    /// Attempts to acquire this `RwLock` with exclusive write access,
    /// returning an owned guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::RwLock;
    ///
    /// let lock = Arc::new(RwLock::new(1));
    /// let mut guard = lock.clone().try_write_owned().unwrap();
    /// *guard = 5;
    /// ```
    pub fn try_write_owned(self: Arc<Self>) -> Result<OwnedRwLockWriteGuard<T>, TryLockError> {
        self.s
            .try_acquire(self.mr as usize)
            .map_err(|_| TryLockError(()))?;
        let (mr, data) = (self.mr, self.c.with_mut(|p| p));
        // SAFETY: we hold all `mr` permits of `self`; `data` points into it.
        Ok(unsafe { OwnedRwLockWriteGuard::new(self, mr, data) })
    }

    async fn acquire(&self, n: u32) {
        if self.s.acquire(n as usize).await.is_err() {
            // A lock's semaphore is never closed.
            unreachable!("rwlock semaphore closed");
        }
    }

    /// Returns a mutable reference to the underlying data.
    ///
    /// Since this call borrows the `RwLock` mutably, no actual locking
    /// needs to take place -- the mutable borrow statically guarantees no
    /// locks exist.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// let mut lock = RwLock::new(1);
    /// *lock.get_mut() = 2;
    /// assert_eq!(lock.into_inner(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` proves that no guard is alive.
        self.c.with_mut(|p| unsafe { &mut *p })
    }

    /// Consumes the lock, returning the underlying data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// let lock = RwLock::new(String::from("x"));
    /// assert_eq!(lock.into_inner(), "x");
    /// ```
    pub fn into_inner(self) -> T
    where
        T: Sized,
    {
        let this = std::mem::ManuallyDrop::new(self);
        // SAFETY: `self` is owned, so no guard exists; `this` is never used
        // or dropped again, so each field is moved out exactly once.
        let (s, value) = unsafe { (std::ptr::read(&this.s), this.c.with(|p| std::ptr::read(p))) };
        drop(s);
        value
    }
}

impl<T> From<T> for RwLock<T> {
    fn from(s: T) -> Self {
        Self::new(s)
    }
}

impl<T: Default> Default for RwLock<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for RwLock<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("RwLock");
        match self.try_read() {
            Ok(inner) => d.field("data", &&*inner),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.finish()
    }
}
