//! `Handle`: a cloneable reference to a runtime, usable from any thread.

use super::{RuntimeFlavor, RuntimeMetrics};
use crate::context;
use crate::scheduler;
use crate::task::{Id, JoinHandle};
use std::error::Error;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

/// A handle to a runtime (`tokio::runtime::Handle`): spawn onto it, enter
/// it, or block on a future with it, from any thread.
///
/// ```
/// let rt = magpie::runtime::Runtime::new().unwrap();
/// let handle = rt.handle().clone();
/// let out = std::thread::spawn(move || {
///     handle.block_on(handle.spawn(async { "from a plain thread" })).unwrap()
/// })
/// .join()
/// .unwrap();
/// assert_eq!(out, "from a plain thread");
/// ```
#[derive(Clone)]
pub struct Handle {
    pub(crate) inner: scheduler::Handle,
}

/// Returned by [`Handle::enter`]; leaves the runtime when dropped.
///
/// # Examples
///
/// ```
/// let rt = magpie::runtime::Runtime::new().unwrap();
/// let guard = rt.enter();
/// let handle = magpie::spawn(async { 1 }); // spawn works: the runtime is entered
/// drop(guard);
/// assert_eq!(rt.block_on(handle).unwrap(), 1);
/// ```
#[must_use = "the runtime is only entered while the guard lives"]
pub struct EnterGuard<'a> {
    _guard: context::SetCurrentGuard,
    _handle_lifetime: PhantomData<&'a Handle>,
}

impl fmt::Debug for EnterGuard<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EnterGuard").finish()
    }
}

impl Handle {
    /// The handle of the runtime this thread is in.
    ///
    /// # Panics
    ///
    /// Panics outside a runtime; see [`try_current`](Self::try_current).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Handle;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let handle = Handle::current();
    /// let res = handle.spawn(async { 2 }).await.unwrap();
    /// assert_eq!(res, 2);
    /// # }
    /// ```
    #[track_caller]
    pub fn current() -> Handle {
        match Handle::try_current() {
            Ok(h) => h,
            Err(e) => panic!("{e}"),
        }
    }

    /// The handle of the runtime this thread is in, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::{Handle, Runtime};
    ///
    /// assert!(Handle::try_current().is_err()); // no runtime here
    /// let rt = Runtime::new().unwrap();
    /// rt.block_on(async { assert!(Handle::try_current().is_ok()) });
    /// ```
    pub fn try_current() -> Result<Handle, TryCurrentError> {
        context::with_current(|inner| Handle {
            inner: inner.clone(),
        })
    }

    /// Makes this runtime current on this thread until the guard drops.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Runtime;
    ///
    /// let rt = Runtime::new().unwrap();
    /// let _guard = rt.handle().enter();
    /// let task = magpie::spawn(async { "spawned from outside" });
    /// assert_eq!(rt.block_on(task).unwrap(), "spawned from outside");
    /// ```
    pub fn enter(&self) -> EnterGuard<'_> {
        EnterGuard {
            _guard: context::set_current(&self.inner),
            _handle_lifetime: PhantomData,
        }
    }

    /// Spawns a task onto this runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Runtime;
    ///
    /// let rt = Runtime::new().unwrap();
    /// let handle = rt.handle().clone();
    /// let task = std::thread::spawn(move || handle.spawn(async { 5 })).join().unwrap();
    /// assert_eq!(rt.block_on(task).unwrap(), 5);
    /// ```
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.inner
            .spawn(future, Id::next(), std::panic::Location::caller())
    }

    /// Runs a blocking closure on this runtime's blocking pool.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Runtime;
    ///
    /// let rt = Runtime::new().unwrap();
    /// let task = rt.handle().spawn_blocking(|| std::fs::metadata("/").is_ok());
    /// assert!(rt.block_on(task).unwrap());
    /// ```
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, func: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.inner.spawn_blocking(func)
    }

    /// Blocks this thread on `future` with the runtime entered (resources
    /// and `spawn` find it). The future is polled on this thread; on a
    /// current-thread runtime, spawned tasks run only while some thread is
    /// in [`Runtime::block_on`](super::Runtime::block_on).
    ///
    /// # Panics
    ///
    /// Panics when called from within a runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Runtime;
    ///
    /// let rt = Runtime::new().unwrap();
    /// let handle = rt.handle().clone();
    /// let answer = std::thread::spawn(move || handle.block_on(async { 6 * 7 })).join().unwrap();
    /// assert_eq!(answer, 42);
    /// ```
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        let _enter = context::enter_runtime(&self.inner);
        let signal = self.panic_signal();
        super::park::block_on(async {
            let mut future = std::pin::pin!(future);
            std::future::poll_fn(|cx| {
                if let Some(signal) = &signal {
                    signal.register(cx.waker());
                }
                if let Some(signal) = &signal {
                    signal.raise_if_panicked();
                }
                future.as_mut().poll(cx)
            })
            .await
        })
    }

    fn panic_signal(&self) -> Option<crate::loom::sync::Arc<super::config::PanicSignal>> {
        match &self.inner {
            scheduler::Handle::MultiThread(h) => h.panic_signal(),
            scheduler::Handle::CurrentThread(_) => None,
        }
    }

    /// The flavor of this runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::{Handle, RuntimeFlavor};
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(Handle::current().runtime_flavor(), RuntimeFlavor::CurrentThread);
    /// # }
    /// ```
    pub fn runtime_flavor(&self) -> RuntimeFlavor {
        match self.inner {
            scheduler::Handle::CurrentThread(_) => RuntimeFlavor::CurrentThread,
            scheduler::Handle::MultiThread(_) => RuntimeFlavor::MultiThread,
        }
    }

    /// Runtime metrics.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let metrics = magpie::runtime::Handle::current().metrics();
    /// assert_eq!(metrics.num_workers(), 1);
    /// # }
    /// ```
    pub fn metrics(&self) -> RuntimeMetrics {
        RuntimeMetrics::new(self.clone())
    }

    /// Returns the [`Id`](super::Id) of the current `Runtime`.
    ///
    /// Two handles of the same runtime have the same id; two runtimes that
    /// are alive at the same time have different ids.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Handle;
    ///
    /// #[magpie::main(flavor = "current_thread")]
    /// async fn main() {
    ///     println!("Current runtime id: {}", Handle::current().id());
    /// }
    /// ```
    pub fn id(&self) -> super::Id {
        let addr = match &self.inner {
            scheduler::Handle::CurrentThread(h) => crate::loom::sync::Arc::as_ptr(h).cast::<()>(),
            scheduler::Handle::MultiThread(h) => crate::loom::sync::Arc::as_ptr(h).cast::<()>(),
        };
        super::Id::from_addr(addr)
    }

    /// Returns the name of the current `Runtime`, as set with
    /// [`Builder::name`](super::Builder::name).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Builder;
    ///
    /// let rt = Builder::new_multi_thread().worker_threads(1).name("my-runtime").build().unwrap();
    /// assert_eq!(rt.block_on(async { magpie::runtime::Handle::current().name().map(String::from) }),
    ///     Some("my-runtime".to_string()));
    /// ```
    pub fn name(&self) -> Option<&str> {
        match &self.inner {
            scheduler::Handle::CurrentThread(h) => h.name(),
            scheduler::Handle::MultiThread(h) => h.name(),
        }
    }
}

impl fmt::Debug for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Handle")
            .field("flavor", &self.runtime_flavor())
            .finish()
    }
}

/// Why [`Handle::try_current`] failed.
///
/// # Examples
///
/// ```
/// let err = magpie::runtime::Handle::try_current().unwrap_err();
/// assert!(err.is_missing_context());
/// println!("{err}");
/// ```
pub struct TryCurrentError {
    kind: TryCurrentErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TryCurrentErrorKind {
    NoContext,
    ThreadLocalDestroyed,
}

impl TryCurrentError {
    pub(crate) fn no_context() -> TryCurrentError {
        TryCurrentError {
            kind: TryCurrentErrorKind::NoContext,
        }
    }

    pub(crate) fn thread_local_destroyed() -> TryCurrentError {
        TryCurrentError {
            kind: TryCurrentErrorKind::ThreadLocalDestroyed,
        }
    }

    /// True if no runtime was entered on this thread.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::runtime::Handle::try_current().unwrap_err();
    /// assert!(err.is_missing_context());
    /// ```
    pub fn is_missing_context(&self) -> bool {
        self.kind == TryCurrentErrorKind::NoContext
    }

    /// True if the thread-local context was already destroyed (thread exit).
    ///
    /// # Examples
    ///
    /// ```
    /// let err = magpie::runtime::Handle::try_current().unwrap_err();
    /// assert!(!err.is_thread_local_destroyed()); // only during thread exit
    /// ```
    pub fn is_thread_local_destroyed(&self) -> bool {
        self.kind == TryCurrentErrorKind::ThreadLocalDestroyed
    }
}

impl fmt::Debug for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TryCurrentError")
            .field("kind", &self.kind)
            .finish()
    }
}

impl fmt::Display for TryCurrentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            TryCurrentErrorKind::NoContext => {
                write!(f, "there is no runtime here: this {}", context::NO_RUNTIME)
            }
            TryCurrentErrorKind::ThreadLocalDestroyed => f.write_str(
                "the magpie runtime context was destroyed (the thread is exiting); \
                 it must be called from within a magpie runtime",
            ),
        }
    }
}

impl Error for TryCurrentError {}
