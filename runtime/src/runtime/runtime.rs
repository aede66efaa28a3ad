//! `Runtime`: owns the scheduler, the driver and the blocking pool.

use super::Handle;
use crate::blocking::BlockingPool;
use crate::scheduler::{self, current_thread::CurrentThread};
use crate::task::JoinHandle;
use std::fmt;
use std::future::Future;
use std::io;
use std::time::Duration;

/// The magpie runtime (`tokio::runtime::Runtime`): a scheduler, an I/O and
/// timer driver, and a blocking pool.
///
/// Dropping it shuts it down: every task is cancelled (its future dropped),
/// then the call waits for the worker threads and any running
/// `spawn_blocking` work. Use [`shutdown_timeout`](Self::shutdown_timeout)
/// or [`shutdown_background`](Self::shutdown_background) not to wait.
///
/// ```
/// let rt = magpie::runtime::Runtime::new().unwrap();
/// let v = rt.block_on(async { magpie::spawn(async { 5 }).await.unwrap() });
/// assert_eq!(v, 5);
/// ```
pub struct Runtime {
    scheduler: Scheduler,
    handle: Handle,
    blocking_pool: BlockingPool,
}

pub(crate) enum Scheduler {
    CurrentThread(CurrentThread),
    MultiThread,
}

/// The flavor of a runtime (`tokio::runtime::RuntimeFlavor`).
///
/// # Examples
///
/// ```
/// use magpie::runtime::{Builder, RuntimeFlavor};
///
/// let rt = Builder::new_current_thread().build().unwrap();
/// assert_eq!(rt.handle().runtime_flavor(), RuntimeFlavor::CurrentThread);
/// ```
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[non_exhaustive]
pub enum RuntimeFlavor {
    /// All tasks run on the thread in `block_on`.
    CurrentThread,
    /// Work-stealing workers.
    MultiThread,
}

impl Runtime {
    pub(crate) fn from_parts(
        scheduler: Scheduler,
        handle: scheduler::Handle,
        blocking_pool: BlockingPool,
    ) -> Runtime {
        Runtime {
            scheduler,
            handle: Handle { inner: handle },
            blocking_pool,
        }
    }

    /// A multi-thread runtime with I/O and time enabled and one worker per
    /// CPU.
    ///
    /// # Errors
    ///
    /// As [`Builder::build`](super::Builder::build).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new()?; // multi-thread, everything enabled
    /// rt.block_on(async { println!("hello") });
    /// # Ok::<(), std::io::Error>(())
    /// ```
    pub fn new() -> io::Result<Runtime> {
        super::Builder::new_multi_thread().enable_all().build()
    }

    /// Runs `future` to completion on this thread, driving the runtime.
    ///
    /// On the current-thread flavor, spawned tasks run on this thread while
    /// `block_on` waits; on the multi-thread flavor they run on the workers
    /// and `future` itself is polled here.
    ///
    /// # Panics
    ///
    /// Panics when called from within a runtime (a thread that drives
    /// asynchronous tasks must not block), and, with
    /// `UnhandledPanic::ShutdownRuntime`, when a spawned task panics.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let answer = rt.block_on(async { magpie::spawn(async { 6 * 7 }).await.unwrap() });
    /// assert_eq!(answer, 42);
    /// ```
    #[track_caller]
    pub fn block_on<F: Future>(&self, future: F) -> F::Output {
        match &self.scheduler {
            Scheduler::CurrentThread(sched) => {
                let scheduler::Handle::CurrentThread(h) = &self.handle.inner else {
                    unreachable!()
                };
                sched.block_on(h, future)
            }
            Scheduler::MultiThread => self.handle.block_on(future),
        }
    }

    /// Spawns a task onto the runtime; see [`crate::spawn`].
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let task = rt.spawn(async { "from a worker" });
    /// assert_eq!(rt.block_on(task).unwrap(), "from a worker");
    /// ```
    #[track_caller]
    pub fn spawn<F>(&self, future: F) -> JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        self.handle.spawn(future)
    }

    /// Runs a blocking closure on the blocking pool; see
    /// [`crate::task::spawn_blocking`].
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let task = rt.spawn_blocking(|| (1..=4).product::<u32>());
    /// assert_eq!(rt.block_on(task).unwrap(), 24);
    /// ```
    #[track_caller]
    pub fn spawn_blocking<F, R>(&self, func: F) -> JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static,
    {
        self.handle.spawn_blocking(func)
    }

    /// The runtime's handle.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let handle = rt.handle().clone(); // cheap to clone, usable from any thread
    /// let task = handle.spawn(async { 1 });
    /// assert_eq!(rt.block_on(task).unwrap(), 1);
    /// ```
    pub fn handle(&self) -> &Handle {
        &self.handle
    }

    /// Makes this runtime current on this thread until the guard drops, so
    /// that `magpie::spawn` and resource constructors find it.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let _guard = rt.enter();
    /// let task = magpie::spawn(async { 1 });
    /// assert_eq!(rt.block_on(task).unwrap(), 1);
    /// ```
    pub fn enter(&self) -> super::EnterGuard<'_> {
        self.handle.enter()
    }

    /// Shuts down, waiting at most `duration` for tasks and blocking work
    /// to stop. Threads still busy after that are left to finish alone.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.spawn_blocking(|| std::thread::sleep(Duration::from_secs(10)));
    /// rt.shutdown_timeout(Duration::from_millis(10)); // does not wait 10 s
    /// ```
    pub fn shutdown_timeout(mut self, duration: Duration) {
        self.shutdown_scheduler();
        self.blocking_pool.shutdown(Some(duration));
    }

    /// Shuts down without waiting for anything.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.spawn_blocking(|| std::thread::sleep(std::time::Duration::from_secs(10)));
    /// rt.shutdown_background(); // returns at once
    /// ```
    pub fn shutdown_background(self) {
        self.shutdown_timeout(Duration::ZERO);
    }

    /// Runtime metrics.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Builder::new_current_thread().build().unwrap();
    /// assert_eq!(rt.metrics().num_workers(), 1);
    /// ```
    pub fn metrics(&self) -> super::RuntimeMetrics {
        self.handle.metrics()
    }

    fn shutdown_scheduler(&mut self) {
        if let Some(watchdog) = self.handle.inner.watchdog() {
            watchdog.stop();
        }
        match &self.scheduler {
            Scheduler::CurrentThread(sched) => {
                let scheduler::Handle::CurrentThread(h) = &self.handle.inner else {
                    unreachable!()
                };
                sched.shutdown(h);
            }
            Scheduler::MultiThread => self.handle.inner.shutdown(),
        }
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        self.shutdown_scheduler();
        // The blocking pool's own Drop then waits for the worker threads
        // and running blocking tasks (or returns at once after a timed
        // shutdown).
    }
}

impl fmt::Debug for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Runtime")
            .field("flavor", &self.handle.runtime_flavor())
            .finish_non_exhaustive()
    }
}

/// The message of the error an I/O resource reports once its runtime is gone
/// (written by `magpie-reactor`'s I/O driver).
const RUNTIME_SHUTDOWN_MSG: &str = "the I/O driver is gone: its runtime was shut down";

/// Checks whether the given error was emitted by magpie when shutting down
/// its runtime.
///
/// An I/O resource (socket, listener) whose runtime was dropped fails every
/// later operation with this error.
///
/// # Examples
///
/// ```
/// use magpie::net::TcpListener;
/// use magpie::runtime::Runtime;
///
/// let rt1 = Runtime::new().unwrap();
/// let rt2 = Runtime::new().unwrap();
///
/// let listener = rt1.block_on(async { TcpListener::bind("127.0.0.1:0").await.unwrap() });
///
/// drop(rt1);
///
/// rt2.block_on(async {
///     let res = listener.accept().await;
///     assert!(res.is_err());
///     assert!(magpie::runtime::is_rt_shutdown_err(res.as_ref().unwrap_err()));
/// });
/// ```
pub fn is_rt_shutdown_err(err: &io::Error) -> bool {
    match err.get_ref() {
        Some(inner) => {
            err.kind() == io::ErrorKind::Other
                && inner.source().is_none()
                && inner.to_string() == RUNTIME_SHUTDOWN_MSG
        }
        None => false,
    }
}
