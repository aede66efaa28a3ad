//! Guards that borrow the `RwLock`.
//!
//! Each guard owns permits of the lock's semaphore (one for a reader, all
//! `max_readers` for a writer) and a pointer into the lock's data, and gives
//! the permits back on drop. Mapping a guard moves the permits to the new
//! guard without releasing them.

use crate::sync::batch_semaphore as ll;
use std::fmt;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};

/// RAII structure used to release the shared read access of a lock when
/// dropped.
///
/// This structure is created by the [`read`] method on
/// [`RwLock`](crate::sync::RwLock).
///
/// [`read`]: crate::sync::RwLock::read
///
/// # Examples
///
/// ```
/// use magpie::sync::RwLock;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = RwLock::new(vec![1, 2]);
/// let guard = lock.read().await; // released when dropped
/// assert_eq!(guard.len(), 2);
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockReadGuard<'a, T: ?Sized> {
    s: &'a ll::Semaphore,
    data: *const T,
    marker: PhantomData<&'a T>,
}

/// RAII structure used to release the exclusive write access of a lock
/// when dropped.
///
/// This structure is created by the [`write`] method on
/// [`RwLock`](crate::sync::RwLock).
///
/// [`write`]: crate::sync::RwLock::write
///
/// # Examples
///
/// ```
/// use magpie::sync::RwLock;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = RwLock::new(vec![1]);
/// let mut guard = lock.write().await;
/// guard.push(2);
/// drop(guard);
/// assert_eq!(*lock.read().await, [1, 2]);
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockWriteGuard<'a, T: ?Sized> {
    s: &'a ll::Semaphore,
    permits_acquired: u32,
    data: *mut T,
    marker: PhantomData<&'a mut T>,
}

/// RAII structure used to release the exclusive write access of a lock
/// when dropped, for a component of the locked data.
///
/// This structure is created by mapping an [`RwLockWriteGuard`].
///
/// # Examples
///
/// ```
/// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let lock = RwLock::new((1, 2));
/// let mut second = RwLockWriteGuard::map(lock.write().await, |p| &mut p.1);
/// *second = 3;
/// drop(second);
/// assert_eq!(*lock.read().await, (1, 3));
/// # }
/// ```
#[clippy::has_significant_drop]
#[must_use = "if unused the RwLock will immediately unlock"]
pub struct RwLockMappedWriteGuard<'a, T: ?Sized> {
    s: &'a ll::Semaphore,
    permits_acquired: u32,
    data: *mut T,
    marker: PhantomData<&'a mut T>,
}

// SAFETY: a read guard is a `&T` shared with other readers: sending or
// sharing it needs `T: Sync`.
unsafe impl<T: ?Sized + Sync> Send for RwLockReadGuard<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Sync> Sync for RwLockReadGuard<'_, T> {}
// SAFETY: a write guard is a `&mut T` (needs `T: Send` to move, `T: Sync`
// to share), and it may downgrade to a read guard.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockWriteGuard<'_, T> {}
// SAFETY: as above.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockWriteGuard<'_, T> {}
// SAFETY: as for `RwLockWriteGuard`.
unsafe impl<T: ?Sized + Send + Sync> Send for RwLockMappedWriteGuard<'_, T> {}
// SAFETY: as for `RwLockWriteGuard`.
unsafe impl<T: ?Sized + Send + Sync> Sync for RwLockMappedWriteGuard<'_, T> {}

impl<'a, T: ?Sized> RwLockReadGuard<'a, T> {
    /// # Safety
    ///
    /// * the caller owns one permit of `s`, which this guard takes over;
    /// * `data` points to the data that `s` protects, valid for `'a`.
    pub(super) unsafe fn new(s: &'a ll::Semaphore, data: *const T) -> Self {
        RwLockReadGuard {
            s,
            data,
            marker: PhantomData,
        }
    }

    /// Makes a new `RwLockReadGuard` for a component of the locked data.
    ///
    /// This operation cannot fail as the `RwLockReadGuard` passed in
    /// already locked the data.
    ///
    /// This is an associated function that needs to be used as
    /// `RwLockReadGuard::map(...)`. A method would interfere with methods of
    /// the same name on the contents of the locked data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new((1, 2));
    /// let first = RwLockReadGuard::map(lock.read().await, |p| &p.0);
    /// assert_eq!(*first, 1);
    /// # }
    /// ```
    #[inline]
    pub fn map<F, U: ?Sized>(this: Self, f: F) -> RwLockReadGuard<'a, U>
    where
        F: FnOnce(&T) -> &U,
    {
        let data = f(&*this) as *const U;
        let this = ManuallyDrop::new(this);
        RwLockReadGuard {
            s: this.s,
            data,
            marker: PhantomData,
        }
    }

    /// Attempts to make a new [`RwLockReadGuard`] for a component of the
    /// locked data. The original guard is returned if the closure returns
    /// `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(Some(1));
    /// let inner = RwLockReadGuard::try_map(lock.read().await, |o| o.as_ref()).unwrap();
    /// assert_eq!(*inner, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<F, U: ?Sized>(this: Self, f: F) -> Result<RwLockReadGuard<'a, U>, Self>
    where
        F: FnOnce(&T) -> Option<&U>,
    {
        let data = match f(&*this) {
            Some(data) => data as *const U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        Ok(RwLockReadGuard {
            s: this.s,
            data,
            marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockReadGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: we own a read permit, so no writer exists, and `data` is
        // valid for the borrow of the lock (`new`'s contract).
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> Drop for RwLockReadGuard<'_, T> {
    fn drop(&mut self) {
        self.s.release(1);
    }
}

impl<'a, T: ?Sized> RwLockWriteGuard<'a, T> {
    /// # Safety
    ///
    /// * the caller owns `permits_acquired` permits of `s`, all of them,
    ///   which this guard takes over;
    /// * `data` points to the data that `s` protects, valid for `'a`.
    pub(super) unsafe fn new(s: &'a ll::Semaphore, permits_acquired: u32, data: *mut T) -> Self {
        RwLockWriteGuard {
            s,
            permits_acquired,
            data,
            marker: PhantomData,
        }
    }

    /// Makes a new [`RwLockMappedWriteGuard`] for a component of the locked
    /// data.
    ///
    /// This operation cannot fail as the `RwLockWriteGuard` passed in
    /// already locked the data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new((1, 2));
    /// let mut first = RwLockWriteGuard::map(lock.write().await, |p| &mut p.0);
    /// *first = 5;
    /// drop(first);
    /// assert_eq!(lock.read().await.0, 5);
    /// # }
    /// ```
    #[inline]
    pub fn map<F, U: ?Sized>(mut this: Self, f: F) -> RwLockMappedWriteGuard<'a, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let this = ManuallyDrop::new(this);
        RwLockMappedWriteGuard {
            s: this.s,
            permits_acquired: this.permits_acquired,
            data,
            marker: PhantomData,
        }
    }

    /// Attempts to make a new [`RwLockMappedWriteGuard`] for a component of
    /// the locked data. The original guard is returned if the closure
    /// returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(None::<i32>);
    /// let res = RwLockWriteGuard::try_map(lock.write().await, |o| o.as_mut());
    /// assert!(res.is_err()); // the original guard comes back
    /// # }
    /// ```
    #[inline]
    pub fn try_map<F, U: ?Sized>(
        mut this: Self,
        f: F,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        Ok(RwLockMappedWriteGuard {
            s: this.s,
            permits_acquired: this.permits_acquired,
            data,
            marker: PhantomData,
        })
    }

    /// Makes a new [`RwLockReadGuard`] for a component of the locked data,
    /// atomically downgrading the write lock (no writer can get in
    /// between).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new((1, 2));
    /// let mut guard = lock.write().await;
    /// guard.0 = 10;
    /// let first = RwLockWriteGuard::downgrade_map(guard, |p| &p.0); // now shared
    /// assert_eq!(*first, 10);
    /// assert!(lock.try_read().is_ok());
    /// # }
    /// ```
    #[inline]
    pub fn downgrade_map<F, U: ?Sized>(this: Self, f: F) -> RwLockReadGuard<'a, U>
    where
        F: FnOnce(&T) -> &U,
    {
        let data = f(&*this) as *const U;
        let this = ManuallyDrop::new(this);
        // Keep one permit for the reader, give the rest back.
        this.s.release(this.permits_acquired as usize - 1);
        RwLockReadGuard {
            s: this.s,
            data,
            marker: PhantomData,
        }
    }

    /// Attempts [`downgrade_map`](Self::downgrade_map); the original write
    /// guard is returned if the closure returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(Some(1));
    /// let guard = lock.write().await;
    /// let inner = RwLockWriteGuard::try_downgrade_map(guard, |o| o.as_ref()).unwrap();
    /// assert_eq!(*inner, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_downgrade_map<F, U: ?Sized>(this: Self, f: F) -> Result<RwLockReadGuard<'a, U>, Self>
    where
        F: FnOnce(&T) -> Option<&U>,
    {
        let data = match f(&*this) {
            Some(data) => data as *const U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        this.s.release(this.permits_acquired as usize - 1);
        Ok(RwLockReadGuard {
            s: this.s,
            data,
            marker: PhantomData,
        })
    }

    /// Converts this `RwLockWriteGuard` into an `RwLockMappedWriteGuard`.
    /// This method can be used to store a non-mapped guard in a struct
    /// field that expects a mapped guard.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(1);
    /// let mut mapped = RwLockWriteGuard::into_mapped(lock.write().await);
    /// *mapped = 2;
    /// drop(mapped);
    /// assert_eq!(*lock.read().await, 2);
    /// # }
    /// ```
    #[inline]
    pub fn into_mapped(this: Self) -> RwLockMappedWriteGuard<'a, T> {
        RwLockWriteGuard::map(this, |me| me)
    }

    /// Atomically downgrades a write lock into a read lock without allowing
    /// any writers to take exclusive access of the lock in the meantime.
    ///
    /// **Note:** This won't *necessarily* allow any additional readers to
    /// acquire locks, since [`RwLock`] is fair and it is possible that a
    /// writer is next in line.
    ///
    /// Returns an RAII guard which will drop this read access of the
    /// `RwLock` when dropped.
    ///
    /// [`RwLock`]: crate::sync::RwLock
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::RwLock;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(1);
    /// let mut w = lock.write().await;
    /// *w = 2;
    /// let r = w.downgrade(); // keeps the lock, lets other readers in
    /// assert_eq!(*r, 2);
    /// assert_eq!(*lock.try_read().unwrap(), 2);
    /// # }
    /// ```
    pub fn downgrade(self) -> RwLockReadGuard<'a, T> {
        let this = ManuallyDrop::new(self);
        // Keep one permit for the reader, give the rest back.
        this.s.release(this.permits_acquired as usize - 1);
        RwLockReadGuard {
            s: this.s,
            data: this.data,
            marker: PhantomData,
        }
    }
}

impl<T: ?Sized> Deref for RwLockWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: we own every permit, so we are alone; `data` is valid for
        // the borrow of the lock (`new`'s contract).
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes the reference unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for RwLockWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.s.release(self.permits_acquired as usize);
    }
}

impl<'a, T: ?Sized> RwLockMappedWriteGuard<'a, T> {
    /// Makes a new `RwLockMappedWriteGuard` for a component of the locked
    /// data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockMappedWriteGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new(((1, 2), 3));
    /// let inner = RwLockWriteGuard::map(lock.write().await, |t| &mut t.0);
    /// let two = RwLockMappedWriteGuard::map(inner, |p| &mut p.1);
    /// assert_eq!(*two, 2);
    /// # }
    /// ```
    #[inline]
    pub fn map<F, U: ?Sized>(mut this: Self, f: F) -> RwLockMappedWriteGuard<'a, U>
    where
        F: FnOnce(&mut T) -> &mut U,
    {
        let data = f(&mut *this) as *mut U;
        let this = ManuallyDrop::new(this);
        RwLockMappedWriteGuard {
            s: this.s,
            permits_acquired: this.permits_acquired,
            data,
            marker: PhantomData,
        }
    }

    /// Attempts to make a new [`RwLockMappedWriteGuard`] for a component of
    /// the locked data. The original guard is returned if the closure
    /// returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::{RwLock, RwLockMappedWriteGuard, RwLockWriteGuard};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let lock = RwLock::new((Some(1), 2));
    /// let first = RwLockWriteGuard::map(lock.write().await, |t| &mut t.0);
    /// let one = RwLockMappedWriteGuard::try_map(first, |o| o.as_mut()).unwrap();
    /// assert_eq!(*one, 1);
    /// # }
    /// ```
    #[inline]
    pub fn try_map<F, U: ?Sized>(
        mut this: Self,
        f: F,
    ) -> Result<RwLockMappedWriteGuard<'a, U>, Self>
    where
        F: FnOnce(&mut T) -> Option<&mut U>,
    {
        let data = match f(&mut *this) {
            Some(data) => data as *mut U,
            None => return Err(this),
        };
        let this = ManuallyDrop::new(this);
        Ok(RwLockMappedWriteGuard {
            s: this.s,
            permits_acquired: this.permits_acquired,
            data,
            marker: PhantomData,
        })
    }
}

impl<T: ?Sized> Deref for RwLockMappedWriteGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: we own every permit; `data` points into the locked data.
        unsafe { &*self.data }
    }
}

impl<T: ?Sized> DerefMut for RwLockMappedWriteGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: as in `deref`; `&mut self` makes the reference unique.
        unsafe { &mut *self.data }
    }
}

impl<T: ?Sized> Drop for RwLockMappedWriteGuard<'_, T> {
    fn drop(&mut self) {
        self.s.release(self.permits_acquired as usize);
    }
}

macro_rules! fmt_via_deref {
    ($($guard:ident),*) => {$(
        impl<T: ?Sized + fmt::Debug> fmt::Debug for $guard<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Debug::fmt(&**self, f)
            }
        }

        impl<T: ?Sized + fmt::Display> fmt::Display for $guard<'_, T> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&**self, f)
            }
        }
    )*};
}

fmt_via_deref!(RwLockReadGuard, RwLockWriteGuard, RwLockMappedWriteGuard);
