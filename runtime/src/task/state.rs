//! The task state word: the only file that does bit arithmetic on it.
//!
//! ```text
//!  bit:   63 ..................... 6   5          4          3              2         1         0
//!        [        ref count        | CANCELLED | JOIN_WAKER | JOIN_INTEREST | NOTIFIED | COMPLETE | RUNNING ]
//! ```
//!
//! Lifecycle (see `task/mod.rs` for who holds which reference):
//!
//! ```text
//!                 spawn
//!                   │  (NOTIFIED, JOIN_INTEREST, refs = 3)
//!                   ▼
//!   ┌──────────▶ Notified ──transition_to_running──▶ Running ──poll Ready──▶ Complete
//!   │               ▲   (CANCELLED set: cancel       │  │                       │
//!   │               │    instead of polling)         │  │ poll Pending          │ refs → 0
//!   │   wake /      │                                │  ▼                       ▼
//!   │   abort       └──── transition_to_idle ◀───────┘ (NOTIFIED while running: Dealloc
//!   │                     returns OkNotified               re-queued at once)
//!   │                                                      (CANCELLED while running:
//!  Idle ◀──── transition_to_idle (not notified) ───────────  cancelled at once)
//! ```
//!
//! Every transition is a method returning a `#[must_use]` outcome that tells
//! the caller what it now owns and must do.

use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::Ordering::{AcqRel, Acquire, Release};
use std::fmt;

/// The task is being polled (or cancelled) by exactly one thread, which has
/// exclusive access to the future/output stage. Excludes COMPLETE.
const RUNNING: usize = 0b00_0001;
/// The future has finished (or was cancelled) and the output is stored.
/// Terminal for the lifecycle bits. Excludes RUNNING.
const COMPLETE: usize = 0b00_0010;
/// A `Notified` reference for this task exists in some queue, or (while
/// RUNNING) the task must be re-queued when the poll returns.
const NOTIFIED: usize = 0b00_0100;
/// A `JoinHandle` exists. While set and COMPLETE, the output belongs to the
/// JoinHandle; once unset, the runtime drops the output itself.
const JOIN_INTEREST: usize = 0b00_1000;
/// The join waker slot in the header holds a waker. Set: only the runtime
/// (the completer) may read it. Unset: only the JoinHandle may touch it.
const JOIN_WAKER: usize = 0b01_0000;
/// The task must be cancelled at its next scheduling point.
const CANCELLED: usize = 0b10_0000;

const LIFECYCLE_MASK: usize = RUNNING | COMPLETE;
const STATE_MASK: usize = LIFECYCLE_MASK | NOTIFIED | JOIN_INTEREST | JOIN_WAKER | CANCELLED;
const REF_COUNT_SHIFT: u32 = STATE_MASK.count_ones();
const REF_ONE: usize = 1 << REF_COUNT_SHIFT;
const REF_COUNT_MASK: usize = !STATE_MASK;

/// Three references: the owned-tasks list (`Task`), the first run-queue
/// entry (`Notified`), and the `JoinHandle`. Notified because it is about
/// to be queued.
const INITIAL_STATE: usize = (REF_ONE * 3) | JOIN_INTEREST | NOTIFIED;

pub(super) struct State {
    val: AtomicUsize,
}

/// A copy of the state word, for pure queries.
#[derive(Copy, Clone, PartialEq, Eq)]
pub(super) struct Snapshot(usize);

#[must_use]
pub(super) enum TransitionToRunning {
    /// The caller polls the future.
    Success,
    /// The caller cancels the task (drops the future) instead of polling.
    Cancelled,
    /// Someone else runs it or it is done; the caller's reference was dropped.
    Failed,
    /// As `Failed`, and it was the last reference: deallocate.
    Dealloc,
}

#[must_use]
pub(super) enum TransitionToIdle {
    /// Parked; the poller's reference was dropped.
    Ok,
    /// Woken while running: the poller's reference becomes the new
    /// `Notified`, to be queued (at the back).
    OkNotified,
    /// Parked and the poller's reference was the last: deallocate.
    OkDealloc,
    /// Aborted while running: still RUNNING, the caller cancels it.
    Cancelled,
}

#[must_use]
pub(super) enum TransitionToNotifiedByVal {
    /// Nothing to do; the waker's reference was dropped.
    DoNothing,
    /// The waker's reference becomes a `Notified`: queue it.
    Submit,
    /// The waker's reference was the last: deallocate.
    Dealloc,
}

#[must_use]
pub(super) enum TransitionToNotifiedByRef {
    DoNothing,
    /// A new reference was taken for a `Notified`: queue it.
    Submit,
}

impl State {
    pub(super) fn new() -> State {
        State {
            val: AtomicUsize::new(INITIAL_STATE),
        }
    }

    pub(super) fn load(&self) -> Snapshot {
        Snapshot(self.val.load(Acquire))
    }

    /// CAS loop: `f` returns the action and, optionally, the next state.
    fn fetch_update_action<T>(&self, mut f: impl FnMut(Snapshot) -> (T, Option<Snapshot>)) -> T {
        let mut curr = self.load();
        loop {
            let (action, next) = f(curr);
            let Some(next) = next else { return action };
            match self.val.compare_exchange(curr.0, next.0, AcqRel, Acquire) {
                Ok(_) => return action,
                Err(actual) => curr = Snapshot(actual),
            }
        }
    }

    fn fetch_update(
        &self,
        mut f: impl FnMut(Snapshot) -> Option<Snapshot>,
    ) -> Result<Snapshot, Snapshot> {
        let mut curr = self.load();
        loop {
            let Some(next) = f(curr) else {
                return Err(curr);
            };
            match self.val.compare_exchange(curr.0, next.0, AcqRel, Acquire) {
                Ok(_) => return Ok(next),
                Err(actual) => curr = Snapshot(actual),
            }
        }
    }

    /// Called with a `Notified` reference, which this consumes on failure.
    pub(super) fn transition_to_running(&self) -> TransitionToRunning {
        self.fetch_update_action(|mut next| {
            debug_assert!(next.is_notified(), "running a task that is not notified");
            let action = if !next.is_idle() {
                next.ref_dec();
                if next.ref_count() == 0 {
                    TransitionToRunning::Dealloc
                } else {
                    TransitionToRunning::Failed
                }
            } else {
                next.0 |= RUNNING;
                next.0 &= !NOTIFIED;
                if next.is_cancelled() {
                    TransitionToRunning::Cancelled
                } else {
                    TransitionToRunning::Success
                }
            };
            (action, Some(next))
        })
    }

    /// After a poll returned `Pending`. Consumes the poller's reference
    /// (except for `OkNotified`, where it becomes the new `Notified`, and
    /// `Cancelled`, where the caller still owns it).
    pub(super) fn transition_to_idle(&self) -> TransitionToIdle {
        self.fetch_update_action(|curr| {
            debug_assert!(curr.is_running());
            if curr.is_cancelled() {
                return (TransitionToIdle::Cancelled, None);
            }
            let mut next = curr;
            next.0 &= !RUNNING;
            let action = if next.is_notified() {
                TransitionToIdle::OkNotified
            } else {
                next.ref_dec();
                if next.ref_count() == 0 {
                    TransitionToIdle::OkDealloc
                } else {
                    TransitionToIdle::Ok
                }
            };
            (action, Some(next))
        })
    }

    /// RUNNING → COMPLETE. The output must be stored before this.
    pub(super) fn transition_to_complete(&self) -> Snapshot {
        const DELTA: usize = RUNNING | COMPLETE;
        let prev = Snapshot(self.val.fetch_xor(DELTA, AcqRel));
        debug_assert!(prev.is_running() && !prev.is_complete());
        Snapshot(prev.0 ^ DELTA)
    }

    /// Drops `count` references after completion; true if they were the last.
    pub(super) fn transition_to_terminal(&self, count: usize) -> bool {
        let prev = Snapshot(self.val.fetch_sub(count * REF_ONE, AcqRel));
        assert!(
            prev.ref_count() >= count,
            "task reference count underflow: {} < {}",
            prev.ref_count(),
            count
        );
        prev.ref_count() == count
    }

    /// `wake()` on a waker: consumes the waker's reference.
    pub(super) fn transition_to_notified_by_val(&self) -> TransitionToNotifiedByVal {
        self.fetch_update_action(|mut next| {
            let action = if next.is_running() {
                // The poller re-queues it (transition_to_idle sees NOTIFIED).
                next.0 |= NOTIFIED;
                next.ref_dec();
                debug_assert!(next.ref_count() > 0);
                TransitionToNotifiedByVal::DoNothing
            } else if next.is_complete() || next.is_notified() {
                next.ref_dec();
                if next.ref_count() == 0 {
                    TransitionToNotifiedByVal::Dealloc
                } else {
                    TransitionToNotifiedByVal::DoNothing
                }
            } else {
                // Idle: the waker's reference becomes the Notified.
                next.0 |= NOTIFIED;
                TransitionToNotifiedByVal::Submit
            };
            (action, Some(next))
        })
    }

    /// `wake_by_ref()`: takes a new reference when submitting.
    pub(super) fn transition_to_notified_by_ref(&self) -> TransitionToNotifiedByRef {
        self.fetch_update_action(|mut next| {
            if next.is_complete() || next.is_notified() {
                (TransitionToNotifiedByRef::DoNothing, None)
            } else if next.is_running() {
                // `--cfg magpie_break` drops this store so that the loom
                // model `loom_task_wake_by_ref_while_running` can be seen
                // to fail (docs/loom.md); never set outside that check.
                if cfg!(not(magpie_break)) {
                    next.0 |= NOTIFIED;
                }
                (TransitionToNotifiedByRef::DoNothing, Some(next))
            } else {
                next.0 |= NOTIFIED;
                next.ref_inc();
                (TransitionToNotifiedByRef::Submit, Some(next))
            }
        })
    }

    /// Abort from a JoinHandle/AbortHandle. True: a new reference was taken
    /// for a `Notified` that the caller must queue (the task was idle).
    pub(super) fn transition_to_notified_and_cancel(&self) -> bool {
        self.fetch_update_action(|mut next| {
            if next.is_cancelled() || next.is_complete() {
                (false, None)
            } else if next.is_running() || next.is_notified() {
                // The poller (or the queued entry's run) sees CANCELLED.
                next.0 |= NOTIFIED | CANCELLED;
                (false, Some(next))
            } else {
                next.0 |= NOTIFIED | CANCELLED;
                next.ref_inc();
                (true, Some(next))
            }
        })
    }

    /// Runtime shutdown: marks the task cancelled and, if it was idle,
    /// claims it (sets RUNNING) so the caller cancels it. True if claimed.
    pub(super) fn transition_to_shutdown(&self) -> bool {
        let mut claimed = false;
        let _ = self.fetch_update(|mut next| {
            claimed = false;
            if next.is_idle() {
                next.0 |= RUNNING;
                claimed = true;
            }
            next.0 |= CANCELLED;
            Some(next)
        });
        claimed
    }

    /// Fast path of dropping a JoinHandle of a task that never ran.
    pub(super) fn drop_join_handle_fast(&self) -> Result<(), ()> {
        self.val
            .compare_exchange_weak(
                INITIAL_STATE,
                (INITIAL_STATE - REF_ONE) & !JOIN_INTEREST,
                Release,
                Acquire,
            )
            .map(|_| ())
            .map_err(|_| ())
    }

    /// Drops join interest. Returns (drop_output, drop_waker): whether the
    /// JoinHandle must drop the stored output (it is complete) and whether it
    /// now owns the join waker slot (and must clear it).
    pub(super) fn transition_to_join_handle_dropped(&self) -> (bool, bool) {
        self.fetch_update_action(|mut next| {
            debug_assert!(next.is_join_interested());
            next.0 &= !JOIN_INTEREST;
            if !next.is_complete() {
                // Take the waker slot back: the completer will not read it.
                next.0 &= !JOIN_WAKER;
            }
            let drop_output = next.is_complete();
            let drop_waker = !next.is_join_waker_set();
            ((drop_output, drop_waker), Some(next))
        })
    }

    /// The JoinHandle publishes the waker it wrote into the slot.
    /// Fails (returns the snapshot) if the task completed meanwhile.
    pub(super) fn set_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.fetch_update(|curr| {
            debug_assert!(curr.is_join_interested() && !curr.is_join_waker_set());
            if curr.is_complete() {
                return None;
            }
            Some(Snapshot(curr.0 | JOIN_WAKER))
        })
    }

    /// The JoinHandle takes the slot back to store a different waker.
    /// Fails if the task completed meanwhile.
    pub(super) fn unset_join_waker(&self) -> Result<Snapshot, Snapshot> {
        self.fetch_update(|curr| {
            debug_assert!(curr.is_join_interested());
            if curr.is_complete() {
                return None;
            }
            // Only checked once not complete: the completer clears
            // JOIN_WAKER after waking (`unset_waker_after_complete`), which
            // can happen between the caller's snapshot and this update.
            debug_assert!(curr.is_join_waker_set());
            Some(Snapshot(curr.0 & !JOIN_WAKER))
        })
    }

    /// After completion the completer hands the slot back once it has
    /// woken the waker.
    pub(super) fn unset_waker_after_complete(&self) -> Snapshot {
        let prev = Snapshot(self.val.fetch_and(!JOIN_WAKER, AcqRel));
        debug_assert!(prev.is_complete() && prev.is_join_waker_set());
        Snapshot(prev.0 & !JOIN_WAKER)
    }

    pub(super) fn ref_inc(&self) {
        use crate::loom::sync::atomic::Ordering::Relaxed;
        // Relaxed: a new reference can only be made from an existing one,
        // which already orders us (as `Arc::clone`).
        let prev = self.val.fetch_add(REF_ONE, Relaxed);
        if prev > isize::MAX as usize {
            std::process::abort();
        }
    }

    /// True if this was the last reference.
    pub(super) fn ref_dec(&self) -> bool {
        let prev = Snapshot(self.val.fetch_sub(REF_ONE, AcqRel));
        assert!(prev.ref_count() >= 1, "task reference count underflow");
        prev.ref_count() == 1
    }
}

impl Snapshot {
    pub(super) fn is_idle(self) -> bool {
        self.0 & LIFECYCLE_MASK == 0
    }
    pub(super) fn is_running(self) -> bool {
        self.0 & RUNNING != 0
    }
    pub(super) fn is_complete(self) -> bool {
        self.0 & COMPLETE != 0
    }
    pub(super) fn is_notified(self) -> bool {
        self.0 & NOTIFIED != 0
    }
    pub(super) fn is_cancelled(self) -> bool {
        self.0 & CANCELLED != 0
    }
    pub(super) fn is_join_interested(self) -> bool {
        self.0 & JOIN_INTEREST != 0
    }
    pub(super) fn is_join_waker_set(self) -> bool {
        self.0 & JOIN_WAKER != 0
    }
    pub(super) fn ref_count(self) -> usize {
        (self.0 & REF_COUNT_MASK) >> REF_COUNT_SHIFT
    }
    fn ref_inc(&mut self) {
        self.0 += REF_ONE;
    }
    fn ref_dec(&mut self) {
        debug_assert!(self.ref_count() > 0);
        self.0 -= REF_ONE;
    }
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("running", &self.is_running())
            .field("complete", &self.is_complete())
            .field("notified", &self.is_notified())
            .field("cancelled", &self.is_cancelled())
            .field("join_interest", &self.is_join_interested())
            .field("join_waker", &self.is_join_waker_set())
            .field("refs", &self.ref_count())
            .finish()
    }
}

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.load().fmt(f)
    }
}
