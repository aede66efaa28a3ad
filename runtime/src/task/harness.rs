//! The generic half of a task: the vtable functions for one `(F, S)`.
//!
//! Every function states which reference it consumes.

use super::core::{Cell, Header, Stage, Vtable};
use super::state::{Snapshot, TransitionToIdle, TransitionToRunning};
use super::waker::waker_ref;
use super::{JoinError, Notified, Schedule, Task};
use std::future::Future;
use std::mem;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::Pin;
use std::ptr::{self, NonNull};
use std::task::{Context, Poll, Waker};

pub(super) fn vtable<F: Future, S: Schedule>() -> &'static Vtable {
    &Vtable {
        poll: poll::<F, S>,
        schedule: schedule::<F, S>,
        dealloc: dealloc::<F, S>,
        try_read_output: try_read_output::<F, S>,
        drop_join_handle_slow: drop_join_handle_slow::<F, S>,
        shutdown: shutdown::<F, S>,
    }
}

/// # Safety
///
/// * `ptr` points to a live `Cell<F, S>` (the caller holds a reference).
unsafe fn cell<'a, F: Future, S>(ptr: NonNull<Header>) -> &'a Cell<F, S> {
    // SAFETY: Header is the first field of the repr(C) Cell<F, S>, and the
    // vtable that led here was built for exactly this F and S.
    unsafe { ptr.cast::<Cell<F, S>>().as_ref() }
}

/// Consumes a `Notified` reference.
unsafe fn poll<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller gives us a Notified reference, so the task is live.
    let cell = unsafe { cell::<F, S>(ptr) };
    match cell.header.state.transition_to_running() {
        TransitionToRunning::Success => {
            let waker = waker_ref(&ptr);
            let mut cx = Context::from_waker(&waker);
            // SAFETY: we hold RUNNING, which grants exclusive access to the stage.
            if let Poll::Ready(()) = unsafe { poll_future(cell, &mut cx) } {
                // SAFETY: still RUNNING; our reference is the poller's.
                unsafe { complete(ptr, cell) };
                return;
            }
            match cell.header.state.transition_to_idle() {
                TransitionToIdle::Ok => {}
                TransitionToIdle::OkNotified => {
                    // Our reference becomes the Notified; the task goes to
                    // the back of the queue (it was woken while running).
                    cell.scheduler
                        .yield_now(Notified(Task::from_raw(super::RawTask::from_raw(ptr))));
                }
                // SAFETY: that was the last reference.
                TransitionToIdle::OkDealloc => unsafe { dealloc::<F, S>(ptr) },
                TransitionToIdle::Cancelled => {
                    // SAFETY: still RUNNING (cancelled transitions keep it).
                    unsafe {
                        cancel_task(cell);
                        complete(ptr, cell);
                    }
                }
            }
        }
        TransitionToRunning::Cancelled => {
            // SAFETY: RUNNING is ours; the poller's reference is ours.
            unsafe {
                cancel_task(cell);
                complete(ptr, cell);
            }
        }
        TransitionToRunning::Failed => {}
        // SAFETY: that was the last reference.
        TransitionToRunning::Dealloc => unsafe { dealloc::<F, S>(ptr) },
    }
}

/// Polls the future, catching a panic. On `Ready` the stage holds the output.
///
/// # Safety
///
/// * The caller holds RUNNING.
unsafe fn poll_future<F: Future, S: Schedule>(cell: &Cell<F, S>, cx: &mut Context<'_>) -> Poll<()> {
    let id = cell.header.id;
    let _id_guard = super::spawn::TaskIdGuard::enter(id);
    let res = catch_unwind(AssertUnwindSafe(|| {
        cell.stage.with_mut(|stage| {
            // SAFETY: RUNNING gives exclusive access to the stage; a task's
            // future is never moved once the allocation exists (pinned).
            let stage = unsafe { &mut *stage };
            let Stage::Running(future) = stage else {
                unreachable!("polled a task whose future is gone")
            };
            // SAFETY: see above: the future stays in place until dropped.
            let future = unsafe { Pin::new_unchecked(future) };
            future.poll(cx)
        })
    }));
    let output = match res {
        Ok(Poll::Pending) => return Poll::Pending,
        Ok(Poll::Ready(out)) => Ok(out),
        Err(payload) => {
            // Drop the future first (it may hold locks); a second panic
            // from its Drop is swallowed: the first payload wins.
            // SAFETY: still RUNNING.
            let _ = catch_unwind(AssertUnwindSafe(|| unsafe {
                set_stage(cell, Stage::Consumed)
            }));
            cell.scheduler.unhandled_panic(id, cell.header.spawned_at);
            Err(JoinError::panic(id, payload))
        }
    };
    // Storing the output drops the future in place; a panicking Drop of the
    // future becomes the task's panic.
    // SAFETY: still RUNNING.
    let stored = catch_unwind(AssertUnwindSafe(|| unsafe {
        set_stage(cell, Stage::Consumed)
    }));
    let output = match stored {
        Ok(()) => output,
        Err(payload) => {
            // Unhandled like a panic in poll (tokio reports it too).
            cell.scheduler.unhandled_panic(id, cell.header.spawned_at);
            Err(JoinError::panic(id, payload))
        }
    };
    // SAFETY: still RUNNING.
    unsafe { set_stage(cell, Stage::Finished(output)) };
    Poll::Ready(())
}

/// Drops the future and stores a cancellation (or the panic of its Drop).
///
/// # Safety
///
/// * The caller holds RUNNING.
unsafe fn cancel_task<F: Future, S>(cell: &Cell<F, S>) {
    let id = cell.header.id;
    let _id_guard = super::spawn::TaskIdGuard::enter(id);
    // SAFETY: RUNNING gives exclusive access to the stage.
    let res = catch_unwind(AssertUnwindSafe(|| unsafe {
        set_stage(cell, Stage::Consumed)
    }));
    let err = match res {
        Ok(()) => JoinError::cancelled(id),
        Err(payload) => JoinError::panic(id, payload),
    };
    // SAFETY: as above.
    unsafe { set_stage(cell, Stage::Finished(Err(err))) };
}

/// # Safety
///
/// * The caller has exclusive access to the stage (RUNNING, or the
///   output rights after COMPLETE).
unsafe fn set_stage<F: Future, S>(cell: &Cell<F, S>, stage: Stage<F>) {
    /// Leaves the slot holding `Consumed` once the old stage is dropped,
    /// also when that drop unwinds (so it is never dropped twice).
    struct Refill<F: Future>(*mut Stage<F>);
    impl<F: Future> Drop for Refill<F> {
        fn drop(&mut self) {
            // SAFETY: the slot's previous value has just been dropped in
            // place; writing without dropping it again is what is needed.
            unsafe { ptr::write(self.0, Stage::Consumed) };
        }
    }
    cell.stage.with_mut(|ptr| {
        let refill = Refill(ptr);
        // SAFETY: exclusive access (caller contract). The old stage is
        // dropped in place, never moved out first: the future is pinned,
        // and a future that registered its own address (an intrusive timer
        // entry or wait-list node) unlinks itself in Drop by that address.
        unsafe { ptr::drop_in_place(ptr) };
        drop(refill);
        // SAFETY: exclusive access; the slot holds `Consumed`.
        unsafe { *ptr = stage };
    });
}

/// RUNNING → COMPLETE, notify the JoinHandle, release from the owned list,
/// drop the poller's reference (and the list's).
///
/// # Safety
///
/// * The caller holds RUNNING, the output is stored, and the caller gives up
///   the poller's reference.
unsafe fn complete<F: Future, S: Schedule>(ptr: NonNull<Header>, cell: &Cell<F, S>) {
    let snapshot = cell.header.state.transition_to_complete();
    // A panic while dropping the output or waking must not unwind through
    // the scheduler; swallow it (the task is complete either way).
    let _ = catch_unwind(AssertUnwindSafe(|| {
        if !snapshot.is_join_interested() {
            // Nobody will read the output: drop it now.
            // SAFETY: COMPLETE without JOIN_INTEREST: the runtime owns it.
            unsafe { set_stage(cell, Stage::Consumed) };
        } else if snapshot.is_join_waker_set() {
            // SAFETY: JOIN_WAKER is set: only we may read the slot.
            cell.header.join_waker.with(|w| unsafe {
                if let Some(w) = &*w {
                    w.wake_by_ref();
                }
            });
            let snapshot = cell.header.state.unset_waker_after_complete();
            if !snapshot.is_join_interested() {
                // The JoinHandle went away meanwhile and left the slot to us.
                // SAFETY: JOIN_WAKER is now unset and interest gone: ours.
                cell.header.join_waker.with_mut(|w| unsafe { *w = None });
            }
        }
    }));
    let task = Task::<S>::from_raw(super::RawTask::from_raw(ptr));
    let num_release = match cell.scheduler.release(&task) {
        Some(owned) => {
            mem::forget(owned);
            2
        }
        None => 1,
    };
    mem::forget(task);
    if cell.header.state.transition_to_terminal(num_release) {
        // SAFETY: those were the last references.
        unsafe { dealloc::<F, S>(ptr) };
    }
}

/// Consumes a reference, which becomes the queued `Notified`.
unsafe fn schedule<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller gives us a live reference.
    let cell = unsafe { cell::<F, S>(ptr) };
    cell.scheduler
        .schedule(Notified(Task::from_raw(super::RawTask::from_raw(ptr))));
}

/// Requires: no reference remains.
unsafe fn dealloc<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: created by Box::new(Cell<F, S>) in `new_task`; no reference
    // remains, so nobody else can touch it.
    drop(unsafe { Box::from_raw(ptr.cast::<Cell<F, S>>().as_ptr()) });
}

/// Called by the JoinHandle (which keeps its reference).
unsafe fn try_read_output<F: Future, S: Schedule>(
    ptr: NonNull<Header>,
    dst: *mut (),
    waker: &Waker,
) {
    // SAFETY: the JoinHandle holds a reference.
    let cell = unsafe { cell::<F, S>(ptr) };
    if can_read_output(&cell.header, waker) {
        // SAFETY: COMPLETE with JOIN_INTEREST: the JoinHandle owns the output.
        let out = cell
            .stage
            .with_mut(|p| unsafe { mem::replace(&mut *p, Stage::Consumed) });
        let Stage::Finished(out) = out else {
            panic!("JoinHandle polled after completion")
        };
        // SAFETY: the caller passes a `Poll<Result<F::Output, JoinError>>`.
        unsafe { *(dst as *mut Poll<Result<F::Output, JoinError>>) = Poll::Ready(out) };
    }
}

/// True if complete (output readable); otherwise makes sure `waker` is the
/// registered join waker.
fn can_read_output(header: &Header, waker: &Waker) -> bool {
    let snapshot = header.state.load();
    debug_assert!(snapshot.is_join_interested());
    if snapshot.is_complete() {
        return true;
    }
    let res = if !snapshot.is_join_waker_set() {
        set_join_waker(header, waker.clone(), snapshot)
    } else {
        // SAFETY: JOIN_WAKER set: the slot is read-only for everyone.
        let same = header
            .join_waker
            .with(|w| unsafe { (*w).as_ref().is_some_and(|w| w.will_wake(waker)) });
        if same {
            return false;
        }
        header
            .state
            .unset_join_waker()
            .and_then(|snapshot| set_join_waker(header, waker.clone(), snapshot))
    };
    match res {
        Ok(_) => false,
        Err(snapshot) => {
            debug_assert!(snapshot.is_complete());
            true
        }
    }
}

fn set_join_waker(header: &Header, waker: Waker, snapshot: Snapshot) -> Result<Snapshot, Snapshot> {
    debug_assert!(snapshot.is_join_interested() && !snapshot.is_join_waker_set());
    // SAFETY: JOIN_WAKER is unset: the JoinHandle (us) owns the slot.
    header.join_waker.with_mut(|w| unsafe { *w = Some(waker) });
    let res = header.state.set_join_waker();
    if res.is_err() {
        // Completed meanwhile: the slot is still ours; clear it.
        // SAFETY: the bit was never set, so the slot is still ours.
        header.join_waker.with_mut(|w| unsafe { *w = None });
    }
    res
}

/// Consumes the JoinHandle's reference.
unsafe fn drop_join_handle_slow<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the JoinHandle holds a reference.
    let cell = unsafe { cell::<F, S>(ptr) };
    let (drop_output, drop_waker) = cell.header.state.transition_to_join_handle_dropped();
    if drop_output {
        // The output may panic on drop; the JoinHandle's drop must not.
        // SAFETY: COMPLETE and we had JOIN_INTEREST: the output is ours.
        let _ = catch_unwind(AssertUnwindSafe(|| unsafe {
            set_stage(cell, Stage::Consumed)
        }));
    }
    if drop_waker {
        // SAFETY: JOIN_WAKER unset: the slot is ours.
        cell.header.join_waker.with_mut(|w| unsafe { *w = None });
    }
    // SAFETY: giving up the JoinHandle's reference.
    unsafe { super::RawTask::from_raw(ptr).drop_reference() };
}

/// Consumes the `Task` (owned-list) reference.
unsafe fn shutdown<F: Future, S: Schedule>(ptr: NonNull<Header>) {
    // SAFETY: the caller gives us a live reference.
    let cell = unsafe { cell::<F, S>(ptr) };
    if !cell.header.state.transition_to_shutdown() {
        // Running elsewhere: the poller sees CANCELLED when it returns.
        // SAFETY: giving up our reference.
        unsafe { super::RawTask::from_raw(ptr).drop_reference() };
        return;
    }
    // SAFETY: we claimed RUNNING; our reference acts as the poller's.
    unsafe {
        cancel_task(cell);
        complete(ptr, cell);
    }
}
