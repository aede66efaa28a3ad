//! `JoinSet`: a set of tasks awaited in completion order.
//!
//! Each entry's `JoinHandle` is polled with a waker of its own that, when
//! the task finishes, moves the entry's key to a shared ready list and
//! wakes the set's waker. `join_next` only polls ready entries, so it costs
//! O(1) per completed task however many tasks are in the set.

use super::{AbortHandle, Id, JoinError, JoinHandle};
use crate::loom::sync::Mutex;
use crate::runtime::Handle;
use slab::Slab;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

/// A collection of tasks spawned on a runtime (`tokio::task::JoinSet`).
///
/// Await them in the order they complete with [`join_next`](Self::join_next).
/// Dropping the set aborts every task in it.
///
/// ```
/// # magpie::runtime::Runtime::new().unwrap().block_on(async {
/// let mut set = magpie::task::JoinSet::new();
/// for i in 0..10u32 {
///     set.spawn(async move { i * 2 });
/// }
/// let mut total = 0;
/// while let Some(res) = set.join_next().await {
///     total += res.unwrap();
/// }
/// assert_eq!(total, 90);
/// # });
/// ```
pub struct JoinSet<T> {
    entries: Slab<Entry<T>>,
    ready: Arc<Ready>,
}

struct Entry<T> {
    handle: JoinHandle<T>,
    waker: Waker,
}

struct Ready {
    keys: Mutex<ReadyInner>,
}

struct ReadyInner {
    keys: Vec<usize>,
    waker: Option<Waker>,
}

struct EntryWaker {
    key: usize,
    ready: Arc<Ready>,
}

impl Wake for EntryWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut inner = self.ready.keys.lock();
        inner.keys.push(self.key);
        let waker = inner.waker.take();
        drop(inner);
        if let Some(w) = waker {
            w.wake();
        }
    }
}

impl<T> JoinSet<T> {
    /// An empty set.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::task::JoinSet;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = JoinSet::new();
    /// set.spawn(async { 1 });
    /// assert_eq!(set.join_next().await.unwrap().unwrap(), 1);
    /// # }
    /// ```
    pub fn new() -> JoinSet<T> {
        JoinSet {
            entries: Slab::new(),
            ready: Arc::new(Ready {
                keys: Mutex::new(ReadyInner {
                    keys: Vec::new(),
                    waker: None,
                }),
            }),
        }
    }

    /// Number of tasks in the set.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn(async {});
    /// set.spawn(async {});
    /// assert_eq!(set.len(), 2);
    /// # }
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the set is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::<()>::new();
    /// assert!(set.is_empty());
    /// set.spawn(async {});
    /// assert!(!set.is_empty());
    /// # }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    fn insert(&mut self, handle: JoinHandle<T>) -> AbortHandle {
        let abort = handle.abort_handle();
        let entry = self.entries.vacant_entry();
        let key = entry.key();
        let waker = Waker::from(Arc::new(EntryWaker {
            key,
            ready: self.ready.clone(),
        }));
        entry.insert(Entry { handle, waker });
        // Poll it once in `join_next` to register the waker.
        self.ready.keys.lock().keys.push(key);
        abort
    }

    /// Aborts every task; they stay in the set until joined (as cancelled).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::task::JoinSet;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = JoinSet::new();
    /// for _ in 0..3 {
    ///     set.spawn(std::future::pending::<()>());
    /// }
    /// set.abort_all();
    /// while let Some(res) = set.join_next().await {
    ///     assert!(res.unwrap_err().is_cancelled());
    /// }
    /// # }
    /// ```
    pub fn abort_all(&mut self) {
        for (_, e) in self.entries.iter() {
            e.handle.abort();
        }
    }

    /// Removes every task from the set without aborting them.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::oneshot;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let (tx, rx) = oneshot::channel();
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn(async move { tx.send(5).unwrap() });
    /// set.detach_all(); // the task keeps running without the set
    /// assert!(set.is_empty());
    /// assert_eq!(rx.await.unwrap(), 5);
    /// # }
    /// ```
    pub fn detach_all(&mut self) {
        self.entries.clear();
        self.ready.keys.lock().keys.clear();
    }

    /// Waits for one task to finish; `None` when the set is empty.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn(async { "done" });
    /// assert_eq!(set.join_next().await.unwrap().unwrap(), "done");
    /// assert!(set.join_next().await.is_none()); // the set is empty
    /// # }
    /// ```
    pub async fn join_next(&mut self) -> Option<Result<T, JoinError>> {
        std::future::poll_fn(|cx| self.poll_join_next(cx)).await
    }

    /// Like [`join_next`](Self::join_next), with the task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// let handle = set.spawn(async { 7 });
    /// let (id, value) = set.join_next_with_id().await.unwrap().unwrap();
    /// assert_eq!(id, handle.id());
    /// assert_eq!(value, 7);
    /// # }
    /// ```
    pub async fn join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        std::future::poll_fn(|cx| self.poll_join_next_with_id(cx)).await
    }

    /// A finished task's result, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn(async { 3 });
    /// assert!(set.try_join_next().is_none()); // not run yet
    /// magpie::task::yield_now().await;
    /// assert_eq!(set.try_join_next().unwrap().unwrap(), 3);
    /// # }
    /// ```
    pub fn try_join_next(&mut self) -> Option<Result<T, JoinError>> {
        self.try_join_next_with_id().map(|r| r.map(|(_, v)| v))
    }

    /// A finished task's result with its id, without waiting.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// let handle = set.spawn(async { 3 });
    /// magpie::task::yield_now().await;
    /// let (id, value) = set.try_join_next_with_id().unwrap().unwrap();
    /// assert_eq!((id, value), (handle.id(), 3));
    /// # }
    /// ```
    pub fn try_join_next_with_id(&mut self) -> Option<Result<(Id, T), JoinError>> {
        let waker = Waker::noop();
        let mut cx = Context::from_waker(waker);
        // Unconstrained: a non-blocking query must not be refused by budget.
        match crate::coop::with_unconstrained(|| self.poll_inner(&mut cx, false)) {
            Poll::Ready(r) => r,
            Poll::Pending => None,
        }
    }

    /// Aborts every task and waits for them all to stop.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn(std::future::pending::<()>());
    /// set.shutdown().await; // aborts the task and waits for it
    /// assert!(set.is_empty());
    /// # }
    /// ```
    pub async fn shutdown(&mut self) {
        self.abort_all();
        while self.join_next().await.is_some() {}
    }

    /// Waits for every task and returns their outputs, in completion order.
    ///
    /// # Panics
    ///
    /// Re-raises the panic of a task that panicked (after aborting the rest).
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// for i in 0..3 {
    ///     set.spawn(async move { i });
    /// }
    /// let mut all = set.join_all().await;
    /// all.sort();
    /// assert_eq!(all, [0, 1, 2]);
    /// # }
    /// ```
    pub async fn join_all(mut self) -> Vec<T> {
        let mut out = Vec::with_capacity(self.len());
        while let Some(res) = self.join_next().await {
            match res {
                Ok(v) => out.push(v),
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                Err(e) => panic!("{e}"),
            }
        }
        out
    }

    /// Polls for a finished task.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn(async { 4 });
    /// let res = poll_fn(|cx| set.poll_join_next(cx)).await;
    /// assert_eq!(res.unwrap().unwrap(), 4);
    /// # }
    /// ```
    pub fn poll_join_next(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<T, JoinError>>> {
        self.poll_join_next_with_id(cx)
            .map(|o| o.map(|r| r.map(|(_, v)| v)))
    }

    /// Polls for a finished task, with its id.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::future::poll_fn;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// let handle = set.spawn(async { 4 });
    /// let (id, value) = poll_fn(|cx| set.poll_join_next_with_id(cx)).await.unwrap().unwrap();
    /// assert_eq!((id, value), (handle.id(), 4));
    /// # }
    /// ```
    pub fn poll_join_next_with_id(
        &mut self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<(Id, T), JoinError>>> {
        self.poll_inner(cx, true)
    }

    fn poll_inner(
        &mut self,
        cx: &mut Context<'_>,
        register: bool,
    ) -> Poll<Option<Result<(Id, T), JoinError>>> {
        if self.entries.is_empty() {
            return Poll::Ready(None);
        }
        loop {
            let key = {
                let mut inner = self.ready.keys.lock();
                match inner.keys.pop() {
                    Some(k) => k,
                    None => {
                        if register {
                            inner.waker = Some(cx.waker().clone());
                        }
                        return Poll::Pending;
                    }
                }
            };
            let Some(entry) = self.entries.get_mut(key) else {
                continue;
            };
            let mut entry_cx = Context::from_waker(&entry.waker);
            match Pin::new(&mut entry.handle).poll(&mut entry_cx) {
                Poll::Ready(res) => {
                    let entry = self.entries.remove(key);
                    let id = entry.handle.id();
                    return Poll::Ready(Some(res.map(|v| (id, v))));
                }
                Poll::Pending => {
                    if !crate::coop::has_budget_remaining() {
                        // The JoinHandle refused for budget: try again later.
                        self.ready.keys.lock().keys.push(key);
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                }
            }
        }
    }
}

impl<T: Send + 'static> JoinSet<T> {
    /// Spawns a task on the current runtime and adds it to the set.
    ///
    /// # Panics
    ///
    /// Panics outside a runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// let abort = set.spawn(async { 1 + 1 });
    /// assert!(!abort.is_finished());
    /// assert_eq!(set.join_next().await.unwrap().unwrap(), 2);
    /// # }
    /// ```
    #[track_caller]
    pub fn spawn<F>(&mut self, task: F) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
    {
        self.insert(super::spawn(task))
    }

    /// Spawns a task on `handle`'s runtime and adds it to the set.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Runtime;
    /// use magpie::task::JoinSet;
    ///
    /// let rt = Runtime::new().unwrap();
    /// let mut set = JoinSet::new();
    /// set.spawn_on(async { 5 }, rt.handle());
    /// let res = rt.block_on(set.join_next()).unwrap();
    /// assert_eq!(res.unwrap(), 5);
    /// ```
    #[track_caller]
    pub fn spawn_on<F>(&mut self, task: F, handle: &Handle) -> AbortHandle
    where
        F: Future<Output = T> + Send + 'static,
    {
        self.insert(handle.spawn(task))
    }

    /// Runs a blocking closure on the blocking pool and adds it to the set.
    ///
    /// # Examples
    ///
    /// ```
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let mut set = magpie::task::JoinSet::new();
    /// set.spawn_blocking(|| std::thread::sleep(std::time::Duration::from_millis(1)));
    /// set.join_next().await.unwrap().unwrap();
    /// # }
    /// ```
    #[track_caller]
    pub fn spawn_blocking<F>(&mut self, f: F) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
    {
        self.insert(super::spawn_blocking(f))
    }

    /// `spawn_blocking` on `handle`'s runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::runtime::Runtime;
    /// use magpie::task::JoinSet;
    ///
    /// let rt = Runtime::new().unwrap();
    /// let mut set = JoinSet::new();
    /// set.spawn_blocking_on(|| 2 + 2, rt.handle());
    /// assert_eq!(rt.block_on(set.join_next()).unwrap().unwrap(), 4);
    /// ```
    #[track_caller]
    pub fn spawn_blocking_on<F>(&mut self, f: F, handle: &Handle) -> AbortHandle
    where
        F: FnOnce() -> T + Send + 'static,
    {
        self.insert(handle.spawn_blocking(f))
    }
}

impl<T> Default for JoinSet<T> {
    fn default() -> Self {
        JoinSet::new()
    }
}

impl<T> Drop for JoinSet<T> {
    fn drop(&mut self) {
        self.abort_all();
    }
}

impl<T> fmt::Debug for JoinSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JoinSet").field("len", &self.len()).finish()
    }
}

impl<T, F> std::iter::FromIterator<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    fn from_iter<I: IntoIterator<Item = F>>(iter: I) -> Self {
        let mut set = JoinSet::new();
        for f in iter {
            set.spawn(f);
        }
        set
    }
}

impl<T, F> std::iter::Extend<F> for JoinSet<T>
where
    F: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    fn extend<I: IntoIterator<Item = F>>(&mut self, iter: I) {
        for f in iter {
            self.spawn(f);
        }
    }
}
