//! A barrier that lets a fixed number of tasks wait for each other.
//!
//! One mutex guards (arrived, generation). The task that completes a
//! generation bumps it and wakes the others with `Notify::notify_waiters`;
//! each waiter created its `Notified` under the same lock before the bump,
//! so `notify_waiters` reaches it even if it has not been polled yet.

use crate::loom::sync::Mutex;
use crate::sync::Notify;
use std::fmt;

/// A barrier enables multiple tasks to synchronize the beginning of some
/// computation.
///
/// ```no_run
/// use magpie::sync::Barrier;
///
/// # async fn demo() {
/// let barrier = Barrier::new(1);
/// // With n == 1 the single waiter is the leader and does not wait.
/// assert!(barrier.wait().await.is_leader());
/// # }
/// ```
pub struct Barrier {
    state: Mutex<BarrierState>,
    notify: Notify,
    n: usize,
}

struct BarrierState {
    arrived: usize,
    generation: usize,
}

impl Barrier {
    /// Creates a new barrier that can block a given number of tasks.
    ///
    /// A barrier will block `n-1` tasks which call [`Barrier::wait`] and
    /// then wake up all tasks at once when the `n`th task calls `wait`.
    /// A barrier of 0 behaves as a barrier of 1.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Barrier;
    ///
    /// let barrier = Barrier::new(3); // `wait` returns once 3 tasks are waiting
    /// ```
    pub fn new(n: usize) -> Barrier {
        Barrier {
            state: Mutex::new(BarrierState {
                arrived: 0,
                generation: 0,
            }),
            notify: Notify::new(),
            n: n.max(1),
        }
    }

    /// Does not resolve until all tasks have rendezvoused here.
    ///
    /// Barriers are re-usable after all tasks have rendezvoused once, and
    /// can be used continuously.
    ///
    /// A single (arbitrary) future will receive a [`BarrierWaitResult`]
    /// that returns `true` from [`BarrierWaitResult::is_leader`] when
    /// returning from this function, and all other tasks will receive a
    /// result that will return `false` from `is_leader`.
    ///
    /// # Cancel safety
    ///
    /// This method is not cancel safe: a cancelled `wait` still counts as
    /// having arrived.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use magpie::sync::Barrier;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let barrier = Arc::new(Barrier::new(3));
    /// let mut tasks = Vec::new();
    /// for _ in 0..3 {
    ///     let barrier = barrier.clone();
    ///     tasks.push(magpie::spawn(async move { barrier.wait().await.is_leader() }));
    /// }
    /// let mut leaders = 0;
    /// for t in tasks {
    ///     leaders += t.await.unwrap() as usize;
    /// }
    /// assert_eq!(leaders, 1);
    /// # }
    /// ```
    pub async fn wait(&self) -> BarrierWaitResult {
        let notified = {
            let mut st = self.state.lock();
            st.arrived += 1;
            if st.arrived == self.n {
                st.arrived = 0;
                st.generation = st.generation.wrapping_add(1);
                drop(st);
                self.notify.notify_waiters();
                return BarrierWaitResult(true);
            }
            // Created under the lock, before the leader's bump: the
            // leader's `notify_waiters` is guaranteed to complete it.
            self.notify.notified()
        };
        notified.await;
        BarrierWaitResult(false)
    }
}

impl fmt::Debug for Barrier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let st = self.state.lock();
        f.debug_struct("Barrier")
            .field("n", &self.n)
            .field("arrived", &st.arrived)
            .field("generation", &st.generation)
            .finish()
    }
}

/// A `BarrierWaitResult` is returned by `wait` when all tasks in the
/// `Barrier` have rendezvoused.
///
/// # Examples
///
/// ```
/// use magpie::sync::Barrier;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let barrier = Barrier::new(1);
/// let result = barrier.wait().await;
/// assert!(result.is_leader());
/// # }
/// ```
#[derive(Debug, Clone)]
pub struct BarrierWaitResult(bool);

impl BarrierWaitResult {
    /// Returns `true` if this task from wait is the "leader task".
    ///
    /// Only one task will have `true` returned from their result, all other
    /// tasks will have `false` returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::sync::Barrier;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() {
    /// let barrier = Barrier::new(1);
    /// assert!(barrier.wait().await.is_leader()); // exactly one waiter is the leader
    /// # }
    /// ```
    pub fn is_leader(&self) -> bool {
        self.0
    }
}
