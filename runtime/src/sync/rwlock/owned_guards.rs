//! Guards that own an `Arc` of the `RwLock` (the `*_owned` methods).
//!
//! Same protocol as the borrowed guards: each owns permits of the lock's
//! semaphore and a pointer into its data; the `Arc` keeps both alive.

use super::RwLock;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use std::sync::Arc;

/// Owned RAII structure used to release the shared read access of a lock
/// when dropped.
///
/// This structure is created by the [`read_owned`] method on [`RwLock`].
///
/// [`read_owned`]: RwLock::read_owned
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
/// let guard = lock.clone().read_owned().await; // 'static: can move into a task
/// magpie::spawn(async move { assert_eq!(*guard, 1) }).await.unwrap();
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct OwnedRwLockReadGuard<T: ?Sized, U: ?Sized = T> {
    lock: Arc<RwLock<T>>,
    data: *const U,
    _p: PhantomData<T>,
}

/// Owned RAII structure used to release the exclusive write access of a
/// lock when dropped.
///
/// This structure is created by the [`write_owned`] method on [`RwLock`].
///
/// [`write_owned`]: RwLock::write_owned
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
/// magpie::spawn(async move { *guard += 1 }).await.unwrap();
/// assert_eq!(*lock.read().await, 2);
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct OwnedRwLockWriteGuard<T: ?Sized> {
    lock: Arc<RwLock<T>>,
    permits_acquired: u32,
    data: *mut T,
}

/// Owned RAII structure used to release the exclusive write access of a
/// lock when dropped, for a component of the locked data.
///
/// This structure is created by mapping an [`OwnedRwLockWriteGuard`].
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = Arc::new(RwLock::new((1, 2)));
/// let mut second = OwnedRwLockWriteGuard::map(lock.clone().write_owned().await, |p| &mut p.1);
/// *second = 3;
/// drop(second);
/// assert_eq!(*lock.read().await, (1, 3));
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct OwnedRwLockMappedWriteGuard<T: ?Sized, U: ?Sized = T> {
    lock: Arc<RwLock<T>>,
    permits_acquired: u32,
    data: *mut U,
}

// SAFETY: the guard shares `Arc<RwLock<T>>` (needs `T: Send + Sync`) and a
// `&U` shared with other readers (needs `U: Sync`).
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Sync> Send for OwnedRwLockReadGuard<T, U> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Sync> Sync for OwnedRwLockReadGuard<T, U> {}
// SAFETY: the guard shares `Arc<RwLock<T>>` and is a `&mut T` that may be
// downgraded to a shared one: `T: Send + Sync`.
unsafe impl<T: ?Sized + Send + Sync> Send for OwnedRwLockWriteGuard<T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for OwnedRwLockWriteGuard<T> {}
// SAFETY: as above, plus a `&mut U` (`U: Send + Sync`).
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Send
    for OwnedRwLockMappedWriteGuard<T, U>
{
}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync, U: ?Sized + Send + Sync> Sync
    for OwnedRwLockMappedWriteGuard<T, U>
{
}

/// Moves the `Arc` out of a guard that will not be dropped.
///
/// # Safety
///
/// `lock` must be a field of a guard wrapped in `ManuallyDrop` that is
/// never used or dropped afterwards.
unsafe fn take_lock<T: ?Sized>(lock: &Arc<RwLock<T>>) -> Arc<RwLock<T>> {
    // SAFETY: the caller guarantees the source is never used again, so the
    // Arc is moved, not duplicated.
    unsafe { std::ptr::read(lock) }
}

impl<T: ?Sized> OwnedRwLockReadGuard<T> {
    /// # Safety
    ///
    /// * the caller owns one permit of `lock`'s semaphore, which this guard
    ///   takes over;
    /// * `data` points to `lock`'s data.
    pub(super) unsafe fn new(lock: Arc<RwLock<T>>, data: *const T) -> Self {
        OwnedRwLockReadGuard {
            lock,
            data,
            _p: PhantomData,
        }
    }
}

impl<T: ?Sized, U: ?Sized> OwnedRwLockReadGuard<T, U> {
    /// Makes a new `OwnedRwLockReadGuard` for a component of the locked
    /// data.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new((1, 2)));
    /// let first = OwnedRwLockReadGuard::map(lock.clone().read_owned().await, |p| &p.0);
    /// assert_eq!(*first, 1);
    /// # }
    /// ```
    #[inline]
    pub fn map<F, V: ?Sized>(this: Self, f: F) -> OwnedRwLockReadGuard<T, V>
    where
        F: FnOnce(&U) -> &V,
    {
        let data = f(&*this) as *const V;
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        OwnedRwLockReadGuard {
            lock,
            data,
            _p: PhantomData,
        }
    }

    /// Attempts to make a new [`OwnedRwLockReadGuard`] for a component of
    /// the locked data. The original guard is returned if the closure
    /// returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(Some(1)));
    /// let g = OwnedRwLockReadGuard::try_map(lock.clone().read_owned().await, |o| o.as_ref());
    /// assert_eq!(*g.unwrap(), 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<F, V: ?Sized>(this: Self, f: F) -> Result<OwnedRwLockReadGuard<T, V>, Self>
    where
        F: FnOnce(&U) -> Option<&V>,
    {
        let data = match f(&*this) {
            Some(data) => data as *const V,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        Ok(OwnedRwLockReadGuard {
            lock,
            data,
            _p: PhantomData,
        })
    }

    /// Returns a reference to the original `Arc<RwLock>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(()));
    /// let guard = lock.clone().read_owned().await;
    /// assert!(Arc::ptr_eq(OwnedRwLockReadGuard::rwlock(&guard), &lock));
    /// # }
    /// ```
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockReadGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: we own a read permit (no writer); `data` points into the
        // lock, which `self.lock` keeps alive.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedRwLockReadGuard<T, U> {
    fn drop(&mut self) {
        self.lock.s.release(1);
    }
}

impl<T: ?Sized> OwnedRwLockWriteGuard<T> {
    /// # Safety
    ///
    /// * the caller owns all `permits_acquired` permits of `lock`'s
    ///   semaphore, which this guard takes over;
    /// * `data` points to `lock`'s data.
    pub(super) unsafe fn new(lock: Arc<RwLock<T>>, permits_acquired: u32, data: *mut T) -> Self {
        OwnedRwLockWriteGuard {
            lock,
            permits_acquired,
            data,
        }
    }

    /// Makes a new [`OwnedRwLockMappedWriteGuard`] for a component of the
    /// locked data.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new((1, 2)));
    /// let mut first = OwnedRwLockWriteGuard::map(lock.clone().write_owned().await, |p| &mut p.0);
    /// *first = 9;
    /// drop(first);
    /// assert_eq!(lock.read().await.0, 9);
    /// # }
    /// ```
    #[inline]
    pub fn map<F, U: ?Sized>(mut this: Self, f: F) -> OwnedRwLockMappedWriteGuard<T, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        OwnedRwLockMappedWriteGuard {
            lock,
            permits_acquired: this.permits_acquired,
            data,
        }
    }

    /// Attempts to make a new [`OwnedRwLockMappedWriteGuard`] for a
    /// component of the locked data. The original guard is returned if the
    /// closure returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(None::<i32>));
    /// let res = OwnedRwLockWriteGuard::try_map(lock.clone().write_owned().await, |o| o.as_mut());
    /// assert!(res.is_err());
    /// # }
    /// ```
    #[inline]
    pub fn try_map<F, U: ?Sized>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        Ok(OwnedRwLockMappedWriteGuard {
            lock,
            permits_acquired: this.permits_acquired,
            data,
        })
    }

    /// Makes a new [`OwnedRwLockReadGuard`] for a component of the locked
    /// data, atomically downgrading the write lock.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new((1, 2)));
    /// let guard = lock.clone().write_owned().await;
    /// let first = OwnedRwLockWriteGuard::downgrade_map(guard, |p| &p.0);
    /// assert_eq!(*first, 1);
    /// assert!(lock.try_read().is_ok());
    /// # }
    /// ```
    #[inline]
    pub fn downgrade_map<F, U: ?Sized>(this: Self, f: F) -> OwnedRwLockReadGuard<T, U>
    where
        F: FnOnce(&T) -> &U,
    {
        let data = f(&*this) as *const U;
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        // Keep one permit for the reader, give the rest back.
        lock.s.release(this.permits_acquired as usize - 1);
        OwnedRwLockReadGuard {
            lock,
            data,
            _p: PhantomData,
        }
    }

    /// Attempts [`downgrade_map`](Self::downgrade_map); the original write
    /// guard is returned if the closure returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(Some(1)));
    /// let guard = lock.clone().write_owned().await;
    /// let inner = OwnedRwLockWriteGuard::try_downgrade_map(guard, |o| o.as_ref()).unwrap();
    /// assert_eq!(*inner, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_downgrade_map<F, U: ?Sized>(
        this: Self,
        f: F,
    ) -> Result<OwnedRwLockReadGuard<T, U>, Self>
    where
        F: FnOnce(&T) -> Option<&U>,
    {
        let data = match f(&*this) {
            Some(data) => data as *const U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        lock.s.release(this.permits_acquired as usize - 1);
        Ok(OwnedRwLockReadGuard {
            lock,
            data,
            _p: PhantomData,
        })
    }

    /// Converts this `OwnedRwLockWriteGuard` into an
    /// `OwnedRwLockMappedWriteGuard`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(1));
    /// let mut mapped = OwnedRwLockWriteGuard::into_mapped(lock.clone().write_owned().await);
    /// *mapped = 2;
    /// drop(mapped);
    /// assert_eq!(*lock.read().await, 2);
    /// # }
    /// ```
    #[inline]
    pub fn into_mapped(this: Self) -> OwnedRwLockMappedWriteGuard<T> {
        Self::map(this, |me| me)
    }

    /// Atomically downgrades a write lock into a read lock without allowing
    /// any writers to take exclusive access of the lock in the meantime.
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
    /// let w = lock.clone().write_owned().await;
    /// let r = w.downgrade();
    /// assert_eq!(*r, 1);
    /// assert!(lock.try_read().is_ok());
    /// # }
    /// ```
    pub fn downgrade(self) -> OwnedRwLockReadGuard<T> {
        let this = ManuallyDrop::new(self);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        // Keep one permit for the reader, give the rest back.
        lock.s.release(this.permits_acquired as usize - 1);
        OwnedRwLockReadGuard {
            lock,
            data: this.data,
            _p: PhantomData,
        }
    }

    /// Returns a reference to the original `Arc<RwLock>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(()));
    /// let guard = lock.clone().write_owned().await;
    /// assert!(Arc::ptr_eq(OwnedRwLockWriteGuard::rwlock(&guard), &lock));
    /// # }
    /// ```
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }
}

impl<T: ?Sized> Deref for OwnedRwLockWriteGuard<T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: we own every permit; `data` points into the lock, which
        // `self.lock` keeps alive.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for OwnedRwLockWriteGuard<T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes the reference unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for OwnedRwLockWriteGuard<T> {
    fn drop(&mut self) {
        self.lock.s.release(self.permits_acquired as usize);
    }
}

impl<T: ?Sized, U: ?Sized> OwnedRwLockMappedWriteGuard<T, U> {
    /// Makes a new `OwnedRwLockMappedWriteGuard` for a component of the
    /// locked data.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockMappedWriteGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new(((1, 2), 3)));
    /// let inner = OwnedRwLockWriteGuard::map(lock.clone().write_owned().await, |t| &mut t.0);
    /// let two = OwnedRwLockMappedWriteGuard::map(inner, |p| &mut p.1);
    /// assert_eq!(*two, 2);
    /// # }
    /// ```
    #[inline]
    pub fn map<F, V: ?Sized>(mut this: Self, f: F) -> OwnedRwLockMappedWriteGuard<T, V>
    where
        F: FnOnce(&mut U) -> &mut V,
    {
        let data = f(&mut *this) as *mut V;
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        OwnedRwLockMappedWriteGuard {
            lock,
            permits_acquired: this.permits_acquired,
            data,
        }
    }

    /// Attempts to make a new `OwnedRwLockMappedWriteGuard` for a component
    /// of the locked data. The original guard is returned if the closure
    /// returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockMappedWriteGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new((Some(1), 2)));
    /// let first = OwnedRwLockWriteGuard::map(lock.clone().write_owned().await, |t| &mut t.0);
    /// let one = OwnedRwLockMappedWriteGuard::try_map(first, |o| o.as_mut()).unwrap();
    /// assert_eq!(*one, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<F, V: ?Sized>(
        mut this: Self,
        f: F,
    ) -> Result<OwnedRwLockMappedWriteGuard<T, V>, Self>
    where
        F: FnOnce(&mut U) -> Option<&mut V>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut V,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        // SAFETY: `this` is never used or dropped again.
        let lock = unsafe { take_lock(&this.lock) };
        Ok(OwnedRwLockMappedWriteGuard {
            lock,
            permits_acquired: this.permits_acquired,
            data,
        })
    }

    /// Returns a reference to the original `Arc<RwLock>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::{OwnedRwLockMappedWriteGuard, OwnedRwLockWriteGuard, RwLock};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = Arc::new(RwLock::new((1, 2)));
    /// let first = OwnedRwLockWriteGuard::map(lock.clone().write_owned().await, |t| &mut t.0);
    /// assert!(Arc::ptr_eq(OwnedRwLockMappedWriteGuard::rwlock(&first), &lock));
    /// # }
    /// ```
    pub fn rwlock(this: &Self) -> &Arc<RwLock<T>> {
        &this.lock
    }
}

impl<T: ?Sized, U: ?Sized> Deref for OwnedRwLockMappedWriteGuard<T, U> {
    type Target = U;
    fn deref(&self) -> &U {
        // SAFETY: we own every permit; `data` points into the lock, which
        // `self.lock` keeps alive.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized, U: ?Sized> DerefMut for OwnedRwLockMappedWriteGuard<T, U> {
    fn deref_mut(&mut self) -> &mut U {
        // SAFETY: as in `deref`; `&mut self` makes the reference unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized, U: ?Sized> Drop for OwnedRwLockMappedWriteGuard<T, U> {
    fn drop(&mut self) {
        self.lock.s.release(self.permits_acquired as usize);
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Debug> fmt::Debug for OwnedRwLockReadGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Display> fmt::Display for OwnedRwLockReadGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Debug> fmt::Debug for OwnedRwLockWriteGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized + fmt::Display> fmt::Display for OwnedRwLockWriteGuard<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Debug> fmt::Debug for OwnedRwLockMappedWriteGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl<T: ?Sized, U: ?Sized + fmt::Display> fmt::Display for OwnedRwLockMappedWriteGuard<T, U> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}
