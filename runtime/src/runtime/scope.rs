//! Scoped tasks: [`Handle::scope`], tasks that may borrow from the caller's
//! stack, like [`std::thread::scope`] for threads.
//!
//! # How it stays sound
//!
//! A child's future is only `'scope`, but the runtime stores tasks as
//! `'static` (a task may outlive any stack frame: a queue, the owned list,
//! a waker may hold it). [`Scope::spawn`] therefore erases the lifetime of
//! the boxed child and spawns it through the normal path. That is sound
//! because of one invariant:
//!
//! > **`Handle::scope` does not return (or unwind) while any child future,
//! > or anything the child owns that may borrow `'scope` data (its output,
//! > its panic payload), still exists.**
//!
//! It is kept with a counter in [`ScopeData`], guarded by a mutex:
//!
//! ```text
//!   Scope::spawn            live += 1   (before the child exists)
//!   Child::drop             drop user future, publish result, drop packet
//!                           ... then, last of all: live -= 1, notify
//!   Handle::scope           run f (panic caught), then
//!                           wait until live == 0, then return / resume panic
//! ```
//!
//! The decrement is in the `Drop` of the erased child itself, not in a
//! completion callback, so every way a child can end counts: it completed
//! (the task harness drops the future), it was cancelled at runtime shutdown
//! (the future is dropped on the shutting-down thread), or it was refused
//! because the runtime was already closed (dropped inside `spawn`). A child
//! that is *leaked* (never dropped) makes `scope` wait forever: a hang, never
//! a use-after-free.
//!
//! Nothing reachable from outside the scope can spawn once `live` reached
//! zero after `f` returned: `&'scope Scope` cannot escape `f` (the closure is
//! higher-ranked over `'scope`, and `'scope` is shorter than `'env`), so
//! only `f` (finished) and live children (none) could hold it.
//!
//! There is deliberately no `async` scope: a future can be forgotten
//! (`mem::forget`) without being dropped, so an async scope could not block
//! its children's borrows from ending. Blocking the calling thread is what
//! makes this one sound.
//!
//! # Panics in children
//!
//! A child runs under `catch_unwind`. Its panic payload goes to its
//! [`ScopedJoinHandle`]; if the handle is dropped (or the child never
//! joined), the payload moves to the scope, and `scope` re-raises the first
//! such payload with [`std::panic::resume_unwind`] once every child is gone.
//! A panic from `f` itself takes precedence over children's panics.

use super::Handle;
use crate::context;
use crate::loom::sync::{Arc, Condvar, Mutex};
use crate::task::{Id, JoinError};
use std::any::Any;
use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};
use std::pin::Pin;
use std::task::{Context, Poll, Waker};

type Payload = Box<dyn Any + Send + 'static>;

const BLOCK_IN_RUNTIME: &str = "Cannot block inside a runtime: Handle::scope would stall the \
worker; call it from synchronous code, or use spawn_blocking";

const JOIN_IN_RUNTIME: &str = "Cannot block inside a runtime: ScopedJoinHandle::join would \
stall the worker; `.await` the handle instead";

/// A scope to spawn scoped tasks in; see [`Handle::scope`].
///
/// Like [`std::thread::Scope`]: `'scope` is the lifetime of the scope itself
/// (tasks may be spawned and joined within it), `'env` the lifetime of
/// whatever the tasks borrow (outliving the scope).
///
/// # Examples
///
/// ```
/// let rt = magpie::runtime::Runtime::new().unwrap();
/// let words = vec!["a", "bb", "ccc"];
/// let total = rt.handle().scope(|s| {
///     let lens: Vec<_> = words.iter().map(|w| s.spawn(async move { w.len() })).collect();
///     lens.into_iter().map(|h| h.join().unwrap()).sum::<usize>()
/// });
/// assert_eq!(total, 6);
/// ```
pub struct Scope<'scope, 'env: 'scope> {
    data: Arc<ScopeData>,
    handle: Handle,
    // Invariant in both lifetimes, as in std, so neither can be shortened
    // or lengthened to let a borrow escape.
    scope: PhantomData<&'scope mut &'scope ()>,
    env: PhantomData<&'env mut &'env ()>,
}

/// An owned permission to join a scoped task; see [`Scope::spawn`].
///
/// [`join`](Self::join) blocks the calling thread until the task has
/// finished; inside another scoped task, `.await` the handle instead.
/// Dropping the handle detaches the task (it still finishes before the
/// scope ends), and a panic it raises is then re-raised by
/// [`Handle::scope`].
///
/// # Examples
///
/// ```
/// let rt = magpie::runtime::Runtime::new().unwrap();
/// let data = [1, 2, 3];
/// rt.handle().scope(|s| {
///     let handle = s.spawn(async { data.iter().sum::<i32>() });
///     assert_eq!(handle.join().unwrap(), 6);
/// });
/// ```
pub struct ScopedJoinHandle<'scope, T> {
    packet: Arc<Packet<'scope, T>>,
}

/// Shared by the scope and all its children.
struct ScopeData {
    /// Children spawned and not yet dropped.
    live: Mutex<usize>,
    all_done: Condvar,
    /// The first panic of a child that nobody joined.
    panic: Mutex<Option<Payload>>,
}

/// One child's result slot, shared by the child and its join handle.
struct Packet<'scope, T> {
    id: Id,
    scope: Arc<ScopeData>,
    state: Mutex<PacketState<T>>,
    done: Condvar,
    _scope: PhantomData<&'scope ()>,
}

struct PacketState<T> {
    /// `Some` once the child has finished (taken by the join handle).
    result: Option<Result<T, JoinError>>,
    /// The child future is gone (completed or dropped).
    finished: bool,
    /// An `.await`ing join handle.
    waker: Option<Waker>,
}

/// The spawned future: runs the user's future, publishes its result, and
/// (in `Drop`) keeps the scope's `live` count honest.
struct Child<'scope, T> {
    /// The user's future; `None` once it completed (dropped at once).
    future: Option<Pin<Box<dyn Future<Output = T> + Send + 'scope>>>,
    /// `None` only during `Drop`.
    packet: Option<Arc<Packet<'scope, T>>>,
    scope: Arc<ScopeData>,
}

impl Handle {
    /// Creates a scope for spawning scoped tasks onto this runtime, like
    /// [`std::thread::scope`] does for threads.
    ///
    /// The function `f` receives a [`Scope`], through which tasks are
    /// spawned. Unlike [`Handle::spawn`], scoped tasks may borrow non-`'static`
    /// data from outside the scope, because all of them are guaranteed to
    /// have finished (completed, or been dropped at runtime shutdown) when
    /// `scope` returns. They run in parallel on the runtime's workers while
    /// the calling thread blocks.
    ///
    /// `scope` does not drive the runtime itself: on a current-thread
    /// runtime the tasks only run while another thread is inside
    /// [`Runtime::block_on`](super::Runtime::block_on) (as with
    /// [`Handle::block_on`]); otherwise `scope` waits forever.
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let mut data = vec![1, 2, 3, 4];
    /// let weights = [1, 10];
    /// let total = rt.handle().scope(|s| {
    ///     let (left, right) = data.split_at_mut(2);
    ///     s.spawn(async { left.iter_mut().for_each(|x| *x *= 10) });
    ///     s.spawn(async { right.iter_mut().for_each(|x| *x *= 100) });
    ///     // Join handles give the task's output back.
    ///     s.spawn(async { weights.iter().sum::<i32>() }).join().unwrap()
    /// });
    /// assert_eq!(data, [10, 20, 300, 400]);
    /// assert_eq!(total, 11);
    /// ```
    ///
    /// Borrowed data must outlive the scope:
    ///
    /// ```compile_fail
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.handle().scope(|s| {
    ///     let local = 5;
    ///     s.spawn(async { println!("{}", local) });
    /// });
    /// ```
    ///
    /// # Panics
    ///
    /// If a scoped task panicked and was not joined, `scope` re-raises the
    /// first such panic (with [`std::panic::resume_unwind`]) after all tasks
    /// have finished. If `f` panics, its panic is re-raised, also after all
    /// tasks have finished.
    ///
    /// Panics when called from a thread that drives a runtime (a worker, or
    /// inside `block_on`): blocking it could stall the very tasks `scope`
    /// waits for. Call it from synchronous code, or from
    /// [`spawn_blocking`](crate::task::spawn_blocking).
    #[track_caller]
    pub fn scope<'env, F, R>(&self, f: F) -> R
    where
        F: for<'scope> FnOnce(&'scope Scope<'scope, 'env>) -> R,
    {
        if context::is_entered() {
            panic!("{BLOCK_IN_RUNTIME}");
        }
        let scope = Scope {
            data: Arc::new(ScopeData {
                live: Mutex::new(0),
                all_done: Condvar::new(),
                panic: Mutex::new(None),
            }),
            handle: self.clone(),
            scope: PhantomData,
            env: PhantomData,
        };
        let result = catch_unwind(AssertUnwindSafe(|| f(&scope)));
        // The soundness invariant (module docs): no child may outlive this.
        scope.data.wait_all();
        match result {
            Err(payload) => resume_unwind(payload),
            Ok(value) => {
                if let Some(payload) = scope.data.panic.lock().take() {
                    resume_unwind(payload);
                }
                value
            }
        }
    }
}

impl<'scope> Scope<'scope, '_> {
    /// Spawns a task that may borrow from outside the scope
    /// (`std::thread::Scope::spawn` for tasks).
    ///
    /// The task starts at once on the runtime's workers. Join it with the
    /// returned handle, or let the scope wait for it.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let mut counter = 0;
    /// rt.handle().scope(|s| {
    ///     s.spawn(async { counter += 1 }); // borrows `counter` mutably
    /// });
    /// assert_eq!(counter, 1);
    /// ```
    #[track_caller]
    pub fn spawn<F, T>(&'scope self, future: F) -> ScopedJoinHandle<'scope, T>
    where
        F: Future<Output = T> + Send + 'scope,
        T: Send + 'scope,
    {
        let spawned_at = std::panic::Location::caller();
        let id = Id::next();
        let packet = Arc::new(Packet {
            id,
            scope: self.data.clone(),
            state: Mutex::new(PacketState {
                result: None,
                finished: false,
                waker: None,
            }),
            done: Condvar::new(),
            _scope: PhantomData,
        });
        // Count the child before it exists, so its Drop always has a count
        // to give back.
        *self.data.live.lock() += 1;
        let child: Pin<Box<dyn Future<Output = ()> + Send + 'scope>> = Box::pin(Child {
            future: Some(Box::pin(future)),
            packet: Some(packet.clone()),
            scope: self.data.clone(),
        });
        // SAFETY: only the lifetime bound of the trait object changes
        // ('scope to 'static); layout and vtable are identical. The runtime
        // may keep the erased future past 'scope only if `Handle::scope`
        // could return while it exists, and it cannot: `live` was raised
        // above for this child and is lowered only at the very end of
        // `Child::drop`, after the user future, its output and its packet
        // reference are gone, and `Handle::scope` waits for `live == 0`
        // before returning or unwinding (module docs). If the runtime leaks
        // the future instead, `scope` never returns, which is also sound.
        let child: Pin<Box<dyn Future<Output = ()> + Send + 'static>> =
            unsafe { std::mem::transmute(child) };
        // The task's output is `()`: the real output lives in the packet, so
        // the runtime never holds anything borrowing 'scope after the future
        // is dropped. Detaching the JoinHandle is fine for the same reason.
        drop(self.handle.inner.spawn(child, id, spawned_at));
        ScopedJoinHandle { packet }
    }
}

impl ScopeData {
    /// Blocks until every child has been dropped.
    fn wait_all(&self) {
        let mut live = self.live.lock();
        while *live > 0 {
            live = self.all_done.wait(live);
        }
    }

    fn record_panic(&self, payload: Payload) {
        let mut slot = self.panic.lock();
        if slot.is_none() {
            *slot = Some(payload);
        }
    }
}

impl<T> Packet<'_, T> {
    /// Publishes the child's end (at most once: later calls are ignored) and
    /// wakes the joiner.
    fn finish(&self, result: Result<T, JoinError>) {
        let waker = {
            let mut state = self.state.lock();
            if state.finished {
                return;
            }
            state.finished = true;
            state.result = Some(result);
            state.waker.take()
        };
        self.done.notify_all();
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

impl<T> Drop for Packet<'_, T> {
    fn drop(&mut self) {
        // Nobody joined a panicked child: the scope re-raises it.
        let result = self.state.lock().result.take();
        if let Some(Err(e)) = result {
            if let Ok(payload) = e.try_into_panic() {
                self.scope.record_panic(payload);
            }
        }
    }
}

impl<T> Future for Child<'_, T> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        let Some(future) = this.future.as_mut() else {
            return Poll::Ready(());
        };
        let result = match catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Pending) => return Poll::Pending,
            Ok(Poll::Ready(value)) => Ok(value),
            Err(payload) => Err(payload),
        };
        // Drop the finished future before publishing, so a joiner never sees
        // the result while the future still runs its destructor.
        let dropped = catch_unwind(AssertUnwindSafe(|| this.future = None));
        let packet = this.packet.as_ref().expect("packet is taken only in drop");
        let result = match (result, dropped) {
            (Ok(value), Ok(())) => Ok(value),
            (Err(payload), _) | (Ok(_), Err(payload)) => Err(JoinError::panic(packet.id, payload)),
        };
        packet.finish(result);
        Poll::Ready(())
    }
}

impl<T> Drop for Child<'_, T> {
    fn drop(&mut self) {
        let caught = catch_unwind(AssertUnwindSafe(|| {
            // Cancelled (runtime shutdown) if it did not complete: drop the
            // future, then tell the joiner.
            let dropped = catch_unwind(AssertUnwindSafe(|| self.future = None));
            if let Some(packet) = self.packet.take() {
                packet.finish(match dropped {
                    Ok(()) => Err(JoinError::cancelled(packet.id)),
                    Err(payload) => Err(JoinError::panic(packet.id, payload)),
                });
                // May drop the output or move an unjoined panic to the scope.
                drop(packet);
            }
        }));
        if let Err(payload) = caught {
            self.scope.record_panic(payload);
        }
        // Last: from here on `Handle::scope` may return and 'scope data die.
        // Only `self.scope` (an Arc, 'static) is touched after this.
        let mut live = self.scope.live.lock();
        *live -= 1;
        if *live == 0 {
            self.scope.all_done.notify_all();
        }
    }
}

impl<T> ScopedJoinHandle<'_, T> {
    /// Waits for the task to finish and returns its output, or a
    /// [`JoinError`] if it panicked or was cancelled by runtime shutdown
    /// (`std::thread::ScopedJoinHandle::join` for tasks). A panic returned
    /// here is not re-raised by the scope.
    ///
    /// # Panics
    ///
    /// Panics when called from a thread that drives a runtime (such as
    /// inside another scoped task): `.await` the handle there instead.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// let name = String::from("magpie");
    /// rt.handle().scope(|s| {
    ///     let handle = s.spawn(async { name.len() });
    ///     assert_eq!(handle.join().unwrap(), 6);
    /// });
    /// ```
    #[track_caller]
    pub fn join(self) -> Result<T, JoinError> {
        if context::is_entered() {
            panic!("{JOIN_IN_RUNTIME}");
        }
        let mut state = self.packet.state.lock();
        while !state.finished {
            state = self.packet.done.wait(state);
        }
        state
            .result
            .take()
            .expect("a scoped task's result is taken once")
    }

    /// Whether the task has finished (completed, panicked or been cancelled).
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.handle().scope(|s| {
    ///     let handle = s.spawn(async {});
    ///     while !handle.is_finished() {
    ///         std::thread::yield_now();
    ///     }
    /// });
    /// ```
    pub fn is_finished(&self) -> bool {
        self.packet.state.lock().finished
    }

    /// The task's id.
    ///
    /// # Examples
    ///
    /// ```
    /// let rt = magpie::runtime::Runtime::new().unwrap();
    /// rt.handle().scope(|s| {
    ///     let handle = s.spawn(async { magpie::task::id() });
    ///     let id = handle.id();
    ///     assert_eq!(handle.join().unwrap(), id);
    /// });
    /// ```
    pub fn id(&self) -> Id {
        self.packet.id
    }
}

/// Awaiting the handle gives the same result as [`join`](Self::join),
/// without blocking.
///
/// # Panics
///
/// Polling again after it returned `Ready` panics.
impl<T> Future for ScopedJoinHandle<'_, T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let coop = std::task::ready!(crate::coop::poll_proceed(cx));
        let mut state = self.packet.state.lock();
        if !state.finished {
            match &state.waker {
                Some(w) if w.will_wake(cx.waker()) => {}
                _ => state.waker = Some(cx.waker().clone()),
            }
            return Poll::Pending;
        }
        coop.made_progress();
        Poll::Ready(
            state
                .result
                .take()
                .expect("ScopedJoinHandle polled after completion"),
        )
    }
}

impl<T> fmt::Debug for ScopedJoinHandle<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ScopedJoinHandle")
            .field("id", &self.packet.id)
            .finish()
    }
}

impl fmt::Debug for Scope<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Scope")
            .field("live", &*self.data.live.lock())
            .finish()
    }
}
