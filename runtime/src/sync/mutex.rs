//! An asynchronous mutual-exclusion lock: a one-permit fair semaphore
//! guarding an `UnsafeCell`.
//!
//! Holding the semaphore's single permit is the right to touch the data:
//! every guard owns that permit (and gives it back on drop), so at most one
//! guard exists at a time, which is what makes the `unsafe` accesses below
//! sound. Waiters queue FIFO in the semaphore, so the lock is fair.

use super::batch_semaphore as ll;
use crate::loom::cell::UnsafeCell;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// An asynchronous `Mutex`-like type.
///
/// This type acts similarly to [`std::sync::Mutex`], with two major
/// differences: [`lock`] is an async method so does not block, and the lock
/// guard is designed to be held across `.await` points.
///
/// This mutex is fair: tasks calling [`lock`] acquire it in the order they
/// asked for it.
///
/// ```no_run
/// use magpie::sync::Mutex;
/// use std::sync::Arc;
///
/// # async fn demo() {
/// let data1 = Arc::new(Mutex::new(0));
/// let data2 = Arc::clone(&data1);
/// *data2.lock().await += 1;
/// let mut lock = data1.lock().await;
/// *lock += 1;
/// assert_eq!(*lock, 2);
/// # }
/// ```
///
/// [`lock`]: Mutex::lock
pub struct Mutex<T: ?Sized> {
    s: ll::Semaphore,
    c: UnsafeCell<T>,
}

/// A handle to a held `Mutex`. The guard can be held across any `.await`
/// point as it is [`Send`].
///
/// As long as you have this guard, you have exclusive access to the
/// underlying `T`. The guard internally borrows the `Mutex`, so the mutex
/// will not be dropped while a guard exists.
///
/// The lock is automatically released whenever the guard is dropped, at
/// which point `lock` will succeed yet again.
///
/// # Examples
///
/// ```
/// use magpie::sync::Mutex;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = Mutex::new(1);
/// let mut guard = lock.lock().await;
/// *guard += 1; // held across awaits if needed; unlocks when dropped
/// drop(guard);
/// assert_eq!(*lock.lock().await, 2);
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MutexGuard<'a, T: ?Sized> {
    lock: &'a Mutex<T>,
}

/// An owned handle to a held `Mutex`.
///
/// This guard is only available from a `Mutex` that is wrapped in an
/// [`Arc`]. It is identical to `MutexGuard`, except that rather than
/// borrowing the `Mutex`, it clones the `Arc`, incrementing the reference
/// count. This means that unlike `MutexGuard`, it will have the `'static`
/// lifetime.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use magpie::sync::Mutex;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = Arc::new(Mutex::new(0));
/// let mut guard = lock.clone().lock_owned().await; // not tied to a borrow
/// magpie::spawn(async move { *guard += 1 }).await.unwrap();
/// assert_eq!(*lock.lock().await, 1);
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct OwnedMutexGuard<T: ?Sized> {
    lock: Arc<Mutex<T>>,
}

/// A handle to a held `Mutex` that has had a function applied to it via
/// [`MutexGuard::map`].
///
/// This can be used to hold a subfield of the protected data.
///
/// # Examples
///
/// ```
/// use magpie::sync::Mutex;
///
/// use magpie::sync::MutexGuard;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = Mutex::new((1, 2));
/// let mut second = MutexGuard::map(lock.lock().await, |pair| &mut pair.1);
/// *second = 5;
/// drop(second);
/// assert_eq!(*lock.lock().await, (1, 5));
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct MappedMutexGuard<'a, T: ?Sized> {
    s: &'a ll::Semaphore,
    data: *mut T,
    marker: PhantomData<&'a mut T>,
}

/// An owned handle to a held `Mutex` that has had a function applied to it
/// via [`OwnedMutexGuard::map`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use magpie::sync::Mutex;
///
/// use magpie::sync::OwnedMutexGuard;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = Arc::new(Mutex::new(vec![1, 2]));
/// let mut first = OwnedMutexGuard::map(lock.clone().lock_owned().await, |v| &mut v[0]);
/// *first = 10;
/// drop(first);
/// assert_eq!(*lock.lock().await, [10, 2]);
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the Mutex will immediately unlock"]
pub struct OwnedMappedMutexGuard<T: ?Sized, U: ?Sized = T> {
    data: *mut U,
    lock: Arc<Mutex<T>>,
}

// SAFETY: the data is only reached through a guard, and a guard exists only
// while its holder owns the single permit: at most one thread touches `T` at
// a time, so `T: Send` suffices (as for `std::sync::Mutex`).
unsafe impl<T: ?Sized + Send> Sync for Mutex<T> {}

// SAFETY: `&MutexGuard` hands out `&T`; sharing it across threads needs
// `T: Sync`, and the guard may be dropped elsewhere (unlocking), so `T: Send`.
unsafe impl<T: ?Sized + Send + Sync> Sync for MutexGuard<'_, T> {}

// SAFETY: as for `MutexGuard`.
unsafe impl<T: ?Sized + Send + Sync> Sync for OwnedMutexGuard<T> {}

// SAFETY: the raw pointer is a `&mut T` borrowed from the locked mutex: the
// guard is `Send`/`Sync` exactly when `&mut T` is.
unsafe impl<'a, T: ?Sized + Sync + 'a> Sync for MappedMutexGuard<'a, T> {}
// SAFETY: as above.
unsafe impl<'a, T: ?Sized + Send + 'a> Send for MappedMutexGuard<'a, T> {}

// SAFETY: the guard holds the `Arc<Mutex<T>>` (shared, hence `T: Send +
// Sync` for `Sync`) and a `&mut U` into it.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync for OwnedMappedMutexGuard<T, U> {}
// SAFETY: sending the guard sends the `Arc<Mutex<T>>` (needs `Mutex<T>:
// Send + Sync`, i.e. `T: Send`) and the `&mut U` (needs `U: Send`).
unsafe impl<T: ?Sized + Send, U: ?Sized + Send> Send for OwnedMappedMutexGuard<T, U> {}

/// Error returned from the [`Mutex::try_lock`], [`RwLock::try_read`] and
/// [`RwLock::try_write`] functions.
///
/// `Mutex::try_lock` operation will only fail if the mutex is already
/// locked.
///
/// [`RwLock::try_read`]: crate::sync::RwLock::try_read
/// [`RwLock::try_write`]: crate::sync::RwLock::try_write
///
/// # Examples
///
/// ```
/// use magpie::sync::Mutex;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = Mutex::new(());
/// let _guard = lock.lock().await;
/// let err = lock.try_lock().unwrap_err();
/// println!("{err}");
/// # }
/// ```
#[derive(Debug)]
pub struct TryLockError(pub(super) ());

impl fmt::Display for TryLockError {
    fn fmt(&self, fmt: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(fmt, "operation would block")
    }
}

impl std::error::Error for TryLockError {}

impl<T: ?Sized> Mutex<T> {
    /// Creates a new lock in an unlocked state ready for use.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// let lock = Mutex::new(5);
    /// ```
    pub fn new(t: T) -> Self
    where
        T: Sized,
    {
        Mutex {
            s: ll::Semaphore::new(1),
            c: UnsafeCell::new(t),
        }
    }

    /// Creates a new lock in an unlocked state ready for use, in a const
    /// context (e.g. a `static`).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// static COUNT: Mutex<u32> = Mutex::const_new(0);
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// *COUNT.lock().await += 1;
    /// assert_eq!(*COUNT.lock().await, 1);
    /// # }
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new(t: T) -> Self
    where
        T: Sized,
    {
        Mutex {
            s: ll::Semaphore::const_new(1),
            c: UnsafeCell::new(t),
        }
    }

    /// Locks this mutex, causing the current task to yield until the lock
    /// has been acquired. When the lock has been acquired, function returns
    /// a [`MutexGuard`].
    ///
    /// # Cancel safety
    ///
    /// This method uses a queue to fairly distribute locks in the order they
    /// were requested. Cancelling a call to `lock` makes you lose your place
    /// in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new(1);
    /// *lock.lock().await += 1;
    /// assert_eq!(*lock.lock().await, 2);
    /// # }
    /// ```
    pub async fn lock(&self) -> MutexGuard<'_, T> {
        self.acquire().await;
        MutexGuard { lock: self }
    }

    /// Blockingly locks this `Mutex`. When the lock has been acquired,
    /// function returns a [`MutexGuard`].
    ///
    /// This method is intended for use cases where you need to use this
    /// mutex in asynchronous code as well as in synchronous code.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// let lock = Arc::new(Mutex::new(1));
    /// let lock2 = lock.clone();
    /// std::thread::spawn(move || *lock2.blocking_lock() += 1).join().unwrap();
    /// assert_eq!(*lock.blocking_lock(), 2);
    /// ```
    pub fn blocking_lock(&self) -> MutexGuard<'_, T> {
        super::blocking::block_on(self.lock())
    }

    /// Blockingly locks this `Mutex`, returning an owned guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// let lock = Arc::new(Mutex::new(1));
    /// let mut guard = lock.clone().blocking_lock_owned();
    /// *guard = 3;
    /// drop(guard);
    /// assert_eq!(*lock.blocking_lock(), 3);
    /// ```
    pub fn blocking_lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        super::blocking::block_on(self.lock_owned())
    }

    /// Locks this mutex, causing the current task to yield until the lock
    /// has been acquired. When the lock has been acquired, this returns an
    /// [`OwnedMutexGuard`].
    ///
    /// This method is identical to [`Mutex::lock`], except that the returned
    /// guard references the `Mutex` with an [`Arc`] rather than by
    /// borrowing it.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `lock_owned` makes you lose your place in the
    /// queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new(1));
    /// let mut guard = lock.clone().lock_owned().await;
    /// *guard = 2;
    /// drop(guard);
    /// assert_eq!(*lock.lock().await, 2);
    /// # }
    /// ```
    pub async fn lock_owned(self: Arc<Self>) -> OwnedMutexGuard<T> {
        self.acquire().await;
        OwnedMutexGuard { lock: self }
    }

    async fn acquire(&self) {
        if self.s.acquire(1).await.is_err() {
            // A mutex's semaphore is never closed.
            unreachable!("mutex semaphore closed");
        }
    }

    /// Attempts to acquire the lock, and returns [`TryLockError`] if the
    /// lock is currently held somewhere else.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new(1);
    /// let guard = lock.try_lock().unwrap();
    /// assert!(lock.try_lock().is_err()); // already locked
    /// drop(guard);
    /// # }
    /// ```
    pub fn try_lock(&self) -> Result<MutexGuard<'_, T>, TryLockError> {
        match self.s.try_acquire(1) {
            Ok(()) => Ok(MutexGuard { lock: self }),
            Err(_) => Err(TryLockError(())),
        }
    }

    /// Attempts to acquire the lock, and returns [`TryLockError`] if the
    /// lock is currently held somewhere else.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new(1));
    /// let guard = lock.clone().try_lock_owned().unwrap();
    /// assert!(lock.clone().try_lock_owned().is_err());
    /// drop(guard);
    /// # }
    /// ```
    pub fn try_lock_owned(self: Arc<Self>) -> Result<OwnedMutexGuard<T>, TryLockError> {
        match self.s.try_acquire(1) {
            Ok(()) => Ok(OwnedMutexGuard { lock: self }),
            Err(_) => Err(TryLockError(())),
        }
    }

    /// Returns a mutable reference to the underlying data.
    ///
    /// Since this call borrows the `Mutex` mutably, no actual locking needs
    /// to take place -- the mutable borrow statically guarantees no locks
    /// exist.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// let mut lock = Mutex::new(1);
    /// *lock.get_mut() = 2; // no locking needed with `&mut`
    /// assert_eq!(lock.into_inner(), 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut T {
        // SAFETY: `&mut self` proves no guard (which borrows or owns an Arc
        // to `self`) is alive, so nobody else can reach the data.
        self.c.with_mut(|p| unsafe { &mut *p })
    }

    /// Consumes the mutex, returning the underlying data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// let lock = Mutex::new(vec![1]);
    /// assert_eq!(lock.into_inner(), [1]);
    /// ```
    pub fn into_inner(self) -> T
    where
        T: Sized,
    {
        let this = ManuallyDrop::new(self);
        // SAFETY: `self` is owned, so no guard exists; `this` is never used
        // or dropped again, so each field is moved out exactly once.
        let (s, value) = unsafe { (std::ptr::read(&this.s), this.c.with(|p| std::ptr::read(p))) };
        drop(s);
        value
    }
}

impl<T> From<T> for Mutex<T> {
    fn from(s: T) -> Self {
        Self::new(s)
    }
}

impl<T: Default> Default for Mutex<T> {
    fn default() -> Self {
        Self::new(T::default())
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for Mutex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Mutex");
        match self.try_lock() {
            Ok(inner) => d.field("data", &&*inner),
            Err(_) => d.field("data", &format_args!("<locked>")),
        };
        d.finish()
    }
}

// ===== MutexGuard =====

impl<'a, T: ?Sized> MutexGuard<'a, T> {
    /// Makes a new [`MappedMutexGuard`] for a component of the locked data.
    ///
    /// This operation cannot fail as the `MutexGuard` passed in already
    /// locked the mutex.
    ///
    /// This is an associated function that needs to be used as
    /// `MutexGuard::map(...)`. A method would interfere with methods of the
    /// same name on the contents of the locked data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::MutexGuard;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new((0, String::new()));
    /// let mut name = MutexGuard::map(lock.lock().await, |pair| &mut pair.1);
    /// name.push_str("magpie");
    /// drop(name);
    /// assert_eq!(lock.lock().await.1, "magpie");
    /// # }
    /// ```
    #[inline]
    pub fn map<U: ?Sized, F>(mut this: Self, f: F) -> MappedMutexGuard<'a, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let this = ManuallyDrop::new(this);
        MappedMutexGuard {
            s: &this.lock.s,
            data,
            marker: PhantomData,
        }
    }

    /// Attempts to make a new [`MappedMutexGuard`] for a component of the
    /// locked data. The original guard is returned if the closure returns
    /// `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::MutexGuard;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new(Some(1));
    /// let inner = MutexGuard::try_map(lock.lock().await, |opt| opt.as_mut()).unwrap();
    /// assert_eq!(*inner, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<U: ?Sized, F>(mut this: Self, f: F) -> Result<MappedMutexGuard<'a, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        Ok(MappedMutexGuard {
            s: &this.lock.s,
            data,
            marker: PhantomData,
        })
    }

    /// Returns a reference to the original `Mutex`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::MutexGuard;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new(());
    /// let guard = lock.lock().await;
    /// assert!(std::ptr::eq(MutexGuard::mutex(&guard), &lock));
    /// # }
    /// ```
    pub fn mutex(this: &Self) -> &'a Mutex<T> {
        this.lock
    }
}

impl<T: ?Sized> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.s.release(1);
    }
}

impl<T: ?Sized> Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard owns the mutex's only permit (module doc).
        self.lock.c.with(|p| unsafe { &*p })
    }
}

impl<T: ?Sized> DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard owns the mutex's only permit, and `&mut self`
        // makes this the only reference derived from it.
        self.lock.c.with_mut(|p| unsafe { &mut *p })
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

// ===== OwnedMutexGuard =====

impl<T: ?Sized> OwnedMutexGuard<T> {
    /// Makes a new [`OwnedMappedMutexGuard`] for a component of the locked
    /// data.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::OwnedMutexGuard;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new((1, 2)));
    /// let second = OwnedMutexGuard::map(lock.clone().lock_owned().await, |p| &mut p.1);
    /// assert_eq!(*second, 2);
    /// # }
    /// ```
    #[inline]
    pub fn map<U: ?Sized, F>(mut this: Self, f: F) -> OwnedMappedMutexGuard<T, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again, so the Arc is moved
        // out exactly once.
        let lock = unsafe { std::ptr::read(&this.lock) };
        OwnedMappedMutexGuard { data, lock }
    }

    /// Attempts to make a new [`OwnedMappedMutexGuard`] for a component of
    /// the locked data. The original guard is returned if the closure
    /// returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::OwnedMutexGuard;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new(None::<i32>));
    /// let res = OwnedMutexGuard::try_map(lock.clone().lock_owned().await, |o| o.as_mut());
    /// assert!(res.is_err()); // the original guard comes back
    /// # }
    /// ```
    #[inline]
    pub fn try_map<U: ?Sized, F>(mut this: Self, f: F) -> Result<OwnedMappedMutexGuard<T, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        // SAFETY: as in `map`.
        let lock = unsafe { std::ptr::read(&this.lock) };
        Ok(OwnedMappedMutexGuard { data, lock })
    }

    /// Returns a reference to the original `Arc<Mutex>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::OwnedMutexGuard;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new(()));
    /// let guard = lock.clone().lock_owned().await;
    /// assert!(Arc::ptr_eq(OwnedMutexGuard::mutex(&guard), &lock));
    /// # }
    /// ```
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.lock
    }
}

impl<T: ?Sized> Drop for OwnedMutexGuard<T> {
    fn drop(&mut self) {
        self.lock.s.release(1);
    }
}

impl<T: ?Sized> Deref for OwnedMutexGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: this guard owns the mutex's only permit.
        self.lock.c.with(|p| unsafe { &*p })
    }
}

impl<T: ?Sized> DerefMut for OwnedMutexGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: this guard owns the mutex's only permit; `&mut self`.
        self.lock.c.with_mut(|p| unsafe { &mut *p })
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for OwnedMutexGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

// ===== MappedMutexGuard =====

impl<'a, T: ?Sized> MappedMutexGuard<'a, T> {
    /// Makes a new [`MappedMutexGuard`] for a component of the locked data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::{MappedMutexGuard, MutexGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new(((1, 2), 3));
    /// let inner = MutexGuard::map(lock.lock().await, |t| &mut t.0);
    /// let two = MappedMutexGuard::map(inner, |pair| &mut pair.1);
    /// assert_eq!(*two, 2);
    /// # }
    /// ```
    #[inline]
    pub fn map<U: ?Sized, F>(mut this: Self, f: F) -> MappedMutexGuard<'a, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let this = ManuallyDrop::new(this);
        MappedMutexGuard {
            s: this.s,
            data,
            marker: PhantomData,
        }
    }

    /// Attempts to make a new [`MappedMutexGuard`] for a component of the
    /// locked data. The original guard is returned if the closure returns
    /// `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::{MappedMutexGuard, MutexGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Mutex::new((Some(1), 2));
    /// let first = MutexGuard::map(lock.lock().await, |t| &mut t.0);
    /// let one = MappedMutexGuard::try_map(first, |o| o.as_mut()).unwrap();
    /// assert_eq!(*one, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<U: ?Sized, F>(mut this: Self, f: F) -> Result<MappedMutexGuard<'a, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        Ok(MappedMutexGuard {
            s: this.s,
            data,
            marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Drop for MappedMutexGuard<'_, T> {
    fn drop(&mut self) {
        self.s.release(1);
    }
}

impl<T: ?Sized> Deref for MappedMutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: `data` points into the locked mutex, whose permit this
        // guard owns; the `'a` borrow keeps the mutex alive.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for MappedMutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`, and `&mut self` makes this reference unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for MappedMutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for MappedMutexGuard<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

// ===== OwnedMappedMutexGuard =====

impl<T: ?Sized, U: ?Sized> OwnedMappedMutexGuard<T, U> {
    /// Makes a new [`OwnedMappedMutexGuard`] for a component of the locked
    /// data.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::{OwnedMappedMutexGuard, OwnedMutexGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new(((1, 2), 3)));
    /// let inner = OwnedMutexGuard::map(lock.clone().lock_owned().await, |t| &mut t.0);
    /// let two = OwnedMappedMutexGuard::map(inner, |pair| &mut pair.1);
    /// assert_eq!(*two, 2);
    /// # }
    /// ```
    #[inline]
    pub fn map<S: ?Sized, F>(mut this: Self, f: F) -> OwnedMappedMutexGuard<T, S>
    where
        F: FnOnce(&mut U) -> &mut S,
    {
        let data = f(&mut *this) as *mut S;
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again, so the Arc is moved
        // out exactly once.
        let lock = unsafe { std::ptr::read(&this.lock) };
        OwnedMappedMutexGuard { data, lock }
    }

    /// Attempts to make a new [`OwnedMappedMutexGuard`] for a component of
    /// the locked data. The original guard is returned if the closure
    /// returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::{OwnedMappedMutexGuard, OwnedMutexGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new((Some(1), 2)));
    /// let first = OwnedMutexGuard::map(lock.clone().lock_owned().await, |t| &mut t.0);
    /// let one = OwnedMappedMutexGuard::try_map(first, |o| o.as_mut()).unwrap();
    /// assert_eq!(*one, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<S: ?Sized, F>(mut this: Self, f: F) -> Result<OwnedMappedMutexGuard<T, S>, Self>
    where
        F: FnOnce(&mut U) -> Option<&mut S>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut S,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        // SAFETY: as in `map`.
        let lock = unsafe { std::ptr::read(&this.lock) };
        Ok(OwnedMappedMutexGuard { data, lock })
    }

    /// Returns a reference to the original `Arc<Mutex>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Mutex;
    ///
    /// use magpie::sync::{OwnedMappedMutexGuard, OwnedMutexGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(Mutex::new((1, 2)));
    /// let first = OwnedMutexGuard::map(lock.clone().lock_owned().await, |t| &mut t.0);
    /// assert!(Arc::ptr_eq(OwnedMappedMutexGuard::mutex(&first), &lock));
    /// # }
    /// ```
    pub fn mutex(this: &Self) -> &Arc<Mutex<T>> {
        &this.lock
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedMappedMutexGuard<T, U> {
    fn drop(&mut self) {
        self.lock.s.release(1);
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedMappedMutexGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: `data` points into the locked mutex, kept alive by `lock`,
        // whose permit this guard owns.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedMappedMutexGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as in `deref`, and `&mut self` makes this reference unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Debug> fmt::Debug for OwnedMappedMutexGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Display> fmt::Display for OwnedMappedMutexGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
