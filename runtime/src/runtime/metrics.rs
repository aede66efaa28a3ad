//! `RuntimeMetrics`: counters about a running runtime.

use super::Handle;

/// A view of a runtime's counters (`tokio::runtime::RuntimeMetrics`).
///
/// # Examples
///
/// ```
/// let rt = magpie::runtime::Builder::new_multi_thread().worker_threads(2).build().unwrap();
/// let metrics = rt.metrics();
/// assert_eq!(metrics.num_workers(), 2);
/// println!("{} tasks alive", metrics.num_alive_tasks());
/// ```
#[derive(Clone, Debug)]
pub struct RuntimeMetrics {
    handle: Handle,
}

impl RuntimeMetrics {
    pub(crate) fn new(handle: Handle) -> RuntimeMetrics {
        RuntimeMetrics { handle }
    }

    /// Number of worker threads (1 for the current-thread flavor).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// assert_eq!(magpie::runtime::Handle::current().metrics().num_workers(), 1);
    /// # }
    /// ```
    pub fn num_workers(&self) -> usize {
        self.handle.inner.num_workers()
    }

    /// Number of tasks alive (spawned and not yet completed).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let metrics = magpie::runtime::Handle::current().metrics();
    /// let task = magpie::spawn(async {});
    /// assert_eq!(metrics.num_alive_tasks(), 1);
    /// task.await.unwrap();
    /// assert_eq!(metrics.num_alive_tasks(), 0);
    /// # }
    /// ```
    pub fn num_alive_tasks(&self) -> usize {
        self.handle.inner.num_alive_tasks()
    }

    /// Tasks waiting in the global (injection) queue.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let metrics = magpie::runtime::Handle::current().metrics();
    /// println!("{} tasks in the global queue", metrics.global_queue_depth());
    /// # }
    /// ```
    pub fn global_queue_depth(&self) -> usize {
        self.handle.inner.global_queue_depth()
    }

    /// Threads of the blocking pool (workers of the multi-thread flavor
    /// included, since they run there).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let metrics = magpie::runtime::Handle::current().metrics();
    /// magpie::task::spawn_blocking(|| {}).await.unwrap();
    /// assert!(metrics.num_blocking_threads() >= 1);
    /// # }
    /// ```
    pub fn num_blocking_threads(&self) -> usize {
        self.handle.inner.blocking_spawner().num_threads()
    }

    /// Idle threads of the blocking pool.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let metrics = magpie::runtime::Handle::current().metrics();
    /// magpie::task::spawn_blocking(|| {}).await.unwrap();
    /// println!("{} idle blocking threads", metrics.num_idle_blocking_threads());
    /// # }
    /// ```
    pub fn num_idle_blocking_threads(&self) -> usize {
        self.handle.inner.blocking_spawner().num_idle_threads()
    }

    /// Blocking tasks waiting for a thread.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let metrics = magpie::runtime::Handle::current().metrics();
    /// println!("{} blocking tasks waiting", metrics.blocking_queue_depth());
    /// # }
    /// ```
    pub fn blocking_queue_depth(&self) -> usize {
        self.handle.inner.blocking_spawner().queue_depth()
    }
}
