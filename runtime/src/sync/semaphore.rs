//! Counting semaphore performing asynchronous permit acquisition.

use super::batch_semaphore as ll;
use std::fmt;
use std::sync::Arc;

/// Counting semaphore performing asynchronous permit acquisition.
///
/// A semaphore maintains a set of permits. Permits are used to synchronize
/// access to a shared resource. A semaphore differs from a mutex in that it
/// can allow more than one concurrent caller to access the shared resource at
/// a time.
///
/// When `acquire` is called and the semaphore has remaining permits, the
/// function immediately returns a permit. However, if no remaining permits
/// are available, `acquire` (asynchronously) waits until an outstanding
/// permit is dropped. At this point, the freed permit is assigned to the
/// caller.
///
/// This `Semaphore` is fair, which means that permits are given out in the
/// order they were requested. This fairness is also applied when
/// `acquire_many` gets involved, so if a call to `acquire_many` at the front
/// of the queue requests more permits than currently available, this can
/// prevent a call to `acquire` from completing, even if the semaphore has
/// enough permits to complete the call to `acquire`.
///
/// # Examples
///
/// ```no_run
/// use magpie::sync::Semaphore;
///
/// # async fn demo() {
/// let semaphore = Semaphore::new(3);
/// let a_permit = semaphore.acquire().await.unwrap();
/// let two_permits = semaphore.acquire_many(2).await.unwrap();
/// assert_eq!(semaphore.available_permits(), 0);
/// assert!(semaphore.try_acquire().is_err());
/// # }
/// ```
pub struct Semaphore {
    ll_sem: ll::Semaphore,
}

/// A permit from the semaphore.
///
/// This type is created by the [`acquire`] method and related methods.
///
/// [`acquire`]: Semaphore::acquire
///
/// # Examples
///
/// ```
/// use magpie::sync::Semaphore;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let sem = Semaphore::new(1);
/// let permit = sem.acquire().await.unwrap();
/// assert_eq!(sem.available_permits(), 0);
/// drop(permit); // gives the permit back
/// assert_eq!(sem.available_permits(), 1);
/// # }
/// ```
#[must_use]
#[clippy::has_significant_drop]
pub struct SemaphorePermit<'a> {
    sem: &'a Semaphore,
    permits: u32,
}

/// An owned permit from the semaphore.
///
/// This type is created by the [`acquire_owned`] method and related methods.
///
/// [`acquire_owned`]: Semaphore::acquire_owned
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use magpie::sync::Semaphore;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let sem = Arc::new(Semaphore::new(2));
/// let permit = sem.clone().acquire_owned().await.unwrap();
/// magpie::spawn(async move {
///     // ... work limited by the semaphore ...
///     drop(permit);
/// })
/// .await
/// .unwrap();
/// assert_eq!(sem.available_permits(), 2);
/// # }
/// ```
#[must_use]
#[clippy::has_significant_drop]
pub struct OwnedSemaphorePermit {
    sem: Arc<Semaphore>,
    permits: u32,
}

/// Error returned from the [`Semaphore::acquire`] function.
///
/// An `acquire` operation can only fail if the semaphore has been closed.
///
/// # Examples
///
/// ```
/// use magpie::sync::Semaphore;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let sem = Semaphore::new(0);
/// sem.close();
/// let err = sem.acquire().await.unwrap_err();
/// println!("{err}");
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcquireError(());

impl fmt::Display for AcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("semaphore closed")
    }
}

impl std::error::Error for AcquireError {}

/// Error returned from the [`Semaphore::try_acquire`] function.
///
/// # Examples
///
/// ```
/// use magpie::sync::Semaphore;
///
/// use magpie::sync::TryAcquireError;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let sem = Semaphore::new(0);
/// assert_eq!(sem.try_acquire().unwrap_err(), TryAcquireError::NoPermits);
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TryAcquireError {
    /// The semaphore has been closed and cannot issue new permits.
    Closed,
    /// The semaphore has no available permits.
    NoPermits,
}

impl TryAcquireError {
    /// Returns `true` if the error was caused by a closed semaphore.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Semaphore::new(1);
    /// sem.close();
    /// assert!(sem.try_acquire().unwrap_err().is_closed());
    /// # }
    /// ```
    pub fn is_closed(&self) -> bool {
        matches!(self, TryAcquireError::Closed)
    }

    /// Returns `true` if the error was caused by calling `try_acquire` on a
    /// semaphore with no available permits.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Semaphore::new(0);
    /// assert!(sem.try_acquire().unwrap_err().is_no_permits());
    /// # }
    /// ```
    pub fn is_no_permits(&self) -> bool {
        matches!(self, TryAcquireError::NoPermits)
    }
}

impl fmt::Display for TryAcquireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TryAcquireError::Closed => f.write_str("semaphore closed"),
            TryAcquireError::NoPermits => f.write_str("no permits available"),
        }
    }
}

impl std::error::Error for TryAcquireError {}

impl From<ll::TryAcquireError> for TryAcquireError {
    fn from(e: ll::TryAcquireError) -> Self {
        match e {
            ll::TryAcquireError::Closed => TryAcquireError::Closed,
            ll::TryAcquireError::NoPermits => TryAcquireError::NoPermits,
        }
    }
}

impl Semaphore {
    /// The maximum number of permits which a semaphore can hold. It is
    /// `usize::MAX >> 3`.
    ///
    /// Exceeding this limit typically results in a panic.
    pub const MAX_PERMITS: usize = ll::Semaphore::MAX_PERMITS;

    /// Creates a new semaphore with the initial number of permits.
    ///
    /// Panics if `permits` exceeds [`Semaphore::MAX_PERMITS`].
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(3);
    /// assert_eq!(sem.available_permits(), 3);
    /// ```
    #[track_caller]
    pub fn new(permits: usize) -> Self {
        Semaphore {
            ll_sem: ll::Semaphore::new(permits),
        }
    }

    /// Creates a new semaphore with the initial number of permits, usable in
    /// `static`s.
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// static SEM: Semaphore = Semaphore::const_new(10);
    /// assert_eq!(SEM.available_permits(), 10);
    /// ```
    #[cfg(not(loom))]
    pub const fn const_new(permits: usize) -> Self {
        Semaphore {
            ll_sem: ll::Semaphore::const_new(permits),
        }
    }

    /// Returns the current number of available permits.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Semaphore::new(3);
    /// let _p = sem.acquire_many(2).await.unwrap();
    /// assert_eq!(sem.available_permits(), 1);
    /// # }
    /// ```
    pub fn available_permits(&self) -> usize {
        self.ll_sem.available_permits()
    }

    /// Adds `n` new permits to the semaphore.
    ///
    /// The maximum number of permits is [`Semaphore::MAX_PERMITS`], and this
    /// function will panic if the limit is exceeded.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(0);
    /// sem.add_permits(2);
    /// assert_eq!(sem.available_permits(), 2);
    /// ```
    #[track_caller]
    pub fn add_permits(&self, n: usize) {
        self.ll_sem.release(n);
    }

    /// Decreases the semaphore's permits by a maximum of `n`.
    ///
    /// If there are insufficient permits and it's not possible to reduce by
    /// `n`, returns the number of permits that were actually reduced.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(5);
    /// assert_eq!(sem.forget_permits(2), 2);
    /// assert_eq!(sem.available_permits(), 3);
    /// ```
    pub fn forget_permits(&self, n: usize) -> usize {
        self.ll_sem.forget_permits(n)
    }

    /// Acquires a permit from the semaphore.
    ///
    /// If the semaphore has been closed, this returns an [`AcquireError`].
    /// Otherwise, this returns a [`SemaphorePermit`] representing the
    /// acquired permit.
    ///
    /// # Cancel safety
    ///
    /// This method uses a queue to fairly distribute permits in the order
    /// they were requested. Cancelling a call to `acquire` makes you lose
    /// your place in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// // At most 2 of the 5 tasks run their critical part at a time.
    /// let sem = Arc::new(Semaphore::new(2));
    /// let mut tasks = Vec::new();
    /// for _ in 0..5 {
    ///     let sem = sem.clone();
    ///     tasks.push(magpie::spawn(async move {
    ///         let _permit = sem.acquire().await.unwrap();
    ///         magpie::task::yield_now().await;
    ///     }));
    /// }
    /// for t in tasks {
    ///     t.await.unwrap();
    /// }
    /// # }
    /// ```
    pub async fn acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.acquire_many(1).await
    }

    /// Acquires `n` permits from the semaphore.
    ///
    /// If the semaphore has been closed, this returns an [`AcquireError`].
    ///
    /// # Cancel safety
    ///
    /// This method uses a queue to fairly distribute permits in the order
    /// they were requested. Cancelling a call to `acquire_many` makes you
    /// lose your place in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Semaphore::new(5);
    /// let permit = sem.acquire_many(3).await.unwrap();
    /// assert_eq!(permit.num_permits(), 3);
    /// # }
    /// ```
    pub async fn acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        match self.ll_sem.acquire(n as usize).await {
            Ok(()) => Ok(SemaphorePermit {
                sem: self,
                permits: n,
            }),
            Err(ll::Closed) => Err(AcquireError(())),
        }
    }

    /// Tries to acquire a permit from the semaphore.
    ///
    /// If the semaphore has been closed, this returns a
    /// [`TryAcquireError::Closed`] and a [`TryAcquireError::NoPermits`] if
    /// there are no permits left.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(1);
    /// let permit = sem.try_acquire().unwrap();
    /// assert!(sem.try_acquire().is_err());
    /// drop(permit);
    /// ```
    pub fn try_acquire(&self) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.try_acquire_many(1)
    }

    /// Tries to acquire `n` permits from the semaphore.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(2);
    /// assert!(sem.try_acquire_many(3).is_err());
    /// assert!(sem.try_acquire_many(2).is_ok());
    /// ```
    pub fn try_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, TryAcquireError> {
        self.ll_sem.try_acquire(n as usize)?;
        Ok(SemaphorePermit {
            sem: self,
            permits: n,
        })
    }

    /// Blockingly acquires a permit, for use outside of asynchronous
    /// contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(1);
    /// let permit = sem.blocking_acquire().unwrap();
    /// assert_eq!(sem.available_permits(), 0);
    /// drop(permit);
    /// ```
    #[track_caller]
    pub fn blocking_acquire(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        super::blocking::block_on(self.acquire())
    }

    /// Blockingly acquires `n` permits, for use outside of asynchronous
    /// contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(4);
    /// let permit = sem.blocking_acquire_many(3).unwrap();
    /// assert_eq!(permit.num_permits(), 3);
    /// ```
    #[track_caller]
    pub fn blocking_acquire_many(&self, n: u32) -> Result<SemaphorePermit<'_>, AcquireError> {
        super::blocking::block_on(self.acquire_many(n))
    }

    /// Blockingly acquires an owned permit, for use outside of asynchronous
    /// contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(1));
    /// let permit = sem.clone().blocking_acquire_owned().unwrap();
    /// std::thread::spawn(move || drop(permit)).join().unwrap();
    /// assert_eq!(sem.available_permits(), 1);
    /// ```
    #[track_caller]
    pub fn blocking_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        super::blocking::block_on(self.acquire_owned())
    }

    /// Blockingly acquires `n` owned permits, for use outside of
    /// asynchronous contexts.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(3));
    /// let permit = sem.clone().blocking_acquire_many_owned(2).unwrap();
    /// assert_eq!(permit.num_permits(), 2);
    /// ```
    #[track_caller]
    pub fn blocking_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        super::blocking::block_on(self.acquire_many_owned(n))
    }

    /// Acquires a permit from the semaphore, owning an `Arc` to it.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `acquire_owned` makes you lose your place in the
    /// queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Arc::new(Semaphore::new(1));
    /// let permit = sem.clone().acquire_owned().await.unwrap();
    /// magpie::spawn(async move { drop(permit) }).await.unwrap();
    /// assert_eq!(sem.available_permits(), 1);
    /// # }
    /// ```
    pub async fn acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, AcquireError> {
        self.acquire_many_owned(1).await
    }

    /// Acquires `n` permits from the semaphore, owning an `Arc` to it.
    ///
    /// # Cancel safety
    ///
    /// Cancelling a call to `acquire_many_owned` makes you lose your place
    /// in the queue.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Arc::new(Semaphore::new(3));
    /// let permit = sem.clone().acquire_many_owned(2).await.unwrap();
    /// assert_eq!(permit.num_permits(), 2);
    /// # }
    /// ```
    pub async fn acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, AcquireError> {
        match self.ll_sem.acquire(n as usize).await {
            Ok(()) => Ok(OwnedSemaphorePermit {
                sem: self,
                permits: n,
            }),
            Err(ll::Closed) => Err(AcquireError(())),
        }
    }

    /// Tries to acquire a permit from the semaphore, owning an `Arc` to it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(1));
    /// let _permit = sem.clone().try_acquire_owned().unwrap();
    /// assert!(sem.clone().try_acquire_owned().is_err());
    /// ```
    pub fn try_acquire_owned(self: Arc<Self>) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.try_acquire_many_owned(1)
    }

    /// Tries to acquire `n` permits from the semaphore, owning an `Arc` to
    /// it.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(2));
    /// let permit = sem.clone().try_acquire_many_owned(2).unwrap();
    /// assert_eq!(permit.num_permits(), 2);
    /// ```
    pub fn try_acquire_many_owned(
        self: Arc<Self>,
        n: u32,
    ) -> Result<OwnedSemaphorePermit, TryAcquireError> {
        self.ll_sem.try_acquire(n as usize)?;
        Ok(OwnedSemaphorePermit {
            sem: self,
            permits: n,
        })
    }

    /// Closes the semaphore.
    ///
    /// This prevents the semaphore from issuing new permits and notifies all
    /// pending waiters.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let sem = Semaphore::new(0);
    /// sem.close();
    /// assert!(sem.acquire().await.is_err()); // waiters fail instead of waiting
    /// # }
    /// ```
    pub fn close(&self) {
        self.ll_sem.close();
    }

    /// Returns true if the semaphore is closed.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(1);
    /// assert!(!sem.is_closed());
    /// sem.close();
    /// assert!(sem.is_closed());
    /// ```
    pub fn is_closed(&self) -> bool {
        self.ll_sem.is_closed()
    }
}

impl fmt::Debug for Semaphore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Semaphore")
            .field("ll_sem", &self.ll_sem)
            .finish()
    }
}

impl<'a> SemaphorePermit<'a> {
    /// Forgets the permit **without** releasing it back to the semaphore.
    /// This can be used to reduce the amount of permits available from a
    /// semaphore.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(2);
    /// sem.try_acquire().unwrap().forget(); // the permit is never given back
    /// assert_eq!(sem.available_permits(), 1);
    /// ```
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// Merges two [`SemaphorePermit`] instances together, consuming `other`
    /// without releasing the permits it holds.
    ///
    /// # Panics
    ///
    /// This function panics if permits from different [`Semaphore`]
    /// instances are merged.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(3);
    /// let mut a = sem.try_acquire().unwrap();
    /// a.merge(sem.try_acquire_many(2).unwrap());
    /// assert_eq!(a.num_permits(), 3);
    /// ```
    #[track_caller]
    pub fn merge(&mut self, mut other: Self) {
        assert!(
            std::ptr::eq(self.sem, other.sem),
            "merging permits from different semaphore instances"
        );
        self.permits += other.permits;
        other.permits = 0;
    }

    /// Splits `n` permits from `self` and returns a new [`SemaphorePermit`]
    /// instance that holds `n` permits.
    ///
    /// If there are insufficient permits and it's not possible to reduce by
    /// `n`, returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(3);
    /// let mut p = sem.try_acquire_many(3).unwrap();
    /// let q = p.split(1).unwrap();
    /// assert_eq!((p.num_permits(), q.num_permits()), (2, 1));
    /// ```
    pub fn split(&mut self, n: usize) -> Option<Self> {
        let n = u32::try_from(n).ok()?;
        if n > self.permits {
            return None;
        }
        self.permits -= n;
        Some(SemaphorePermit {
            sem: self.sem,
            permits: n,
        })
    }

    /// Returns the number of permits held by `self`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(3);
    /// assert_eq!(sem.try_acquire_many(2).unwrap().num_permits(), 2);
    /// ```
    pub fn num_permits(&self) -> usize {
        self.permits as usize
    }

    /// Returns the [`Semaphore`] from which this permit was acquired.
    ///
    /// ```
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Semaphore::new(1);
    /// let permit = sem.try_acquire().unwrap();
    /// assert!(std::ptr::eq(permit.semaphore(), &sem));
    /// ```
    pub fn semaphore(&self) -> &Semaphore {
        self.sem
    }
}

impl OwnedSemaphorePermit {
    /// Forgets the permit **without** releasing it back to the semaphore.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(2));
    /// sem.clone().try_acquire_owned().unwrap().forget();
    /// assert_eq!(sem.available_permits(), 1);
    /// ```
    pub fn forget(mut self) {
        self.permits = 0;
    }

    /// Merges two [`OwnedSemaphorePermit`] instances together, consuming
    /// `other` without releasing the permits it holds.
    ///
    /// # Panics
    ///
    /// This function panics if permits from different [`Semaphore`]
    /// instances are merged.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(2));
    /// let mut a = sem.clone().try_acquire_owned().unwrap();
    /// a.merge(sem.clone().try_acquire_owned().unwrap());
    /// assert_eq!(a.num_permits(), 2);
    /// ```
    #[track_caller]
    pub fn merge(&mut self, mut other: Self) {
        assert!(
            Arc::ptr_eq(&self.sem, &other.sem),
            "merging permits from different semaphore instances"
        );
        self.permits += other.permits;
        other.permits = 0;
    }

    /// Splits `n` permits from `self` and returns a new
    /// [`OwnedSemaphorePermit`] instance that holds `n` permits.
    ///
    /// If there are insufficient permits and it's not possible to reduce by
    /// `n`, returns `None`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(3));
    /// let mut p = sem.clone().try_acquire_many_owned(3).unwrap();
    /// let q = p.split(2).unwrap();
    /// assert_eq!((p.num_permits(), q.num_permits()), (1, 2));
    /// ```
    pub fn split(&mut self, n: usize) -> Option<Self> {
        let n = u32::try_from(n).ok()?;
        if n > self.permits {
            return None;
        }
        self.permits -= n;
        Some(OwnedSemaphorePermit {
            sem: self.sem.clone(),
            permits: n,
        })
    }

    /// Returns the [`Semaphore`] from which this permit was acquired.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(1));
    /// let p = sem.clone().try_acquire_owned().unwrap();
    /// assert!(Arc::ptr_eq(p.semaphore(), &sem));
    /// ```
    pub fn semaphore(&self) -> &Arc<Semaphore> {
        &self.sem
    }

    /// Returns the number of permits held by `self`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Semaphore;
    ///
    /// let sem = Arc::new(Semaphore::new(2));
    /// assert_eq!(sem.try_acquire_many_owned(2).unwrap().num_permits(), 2);
    /// ```
    pub fn num_permits(&self) -> usize {
        self.permits as usize
    }
}

impl Drop for SemaphorePermit<'_> {
    fn drop(&mut self) {
        self.sem.add_permits(self.permits as usize);
    }
}

impl Drop for OwnedSemaphorePermit {
    fn drop(&mut self) {
        self.sem.add_permits(self.permits as usize);
    }
}

impl fmt::Debug for SemaphorePermit<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SemaphorePermit")
            .field("sem", &self.sem)
            .field("permits", &self.permits)
            .finish()
    }
}

impl fmt::Debug for OwnedSemaphorePermit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OwnedSemaphorePermit")
            .field("sem", &self.sem)
            .field("permits", &self.permits)
            .finish()
    }
}
