//! Memory layout of a task: one allocation.
//!
//! ```text
//!  #[repr(C)] Cell<F, S>
//!  ┌────────────────────────────┐ ◀── NonNull<Header> (what every reference holds)
//!  │ Header (non-generic)       │   state word, vtable, id, owned-list key, join waker
//!  ├────────────────────────────┤
//!  │ scheduler: S               │   offset depends on S only
//!  ├────────────────────────────┤
//!  │ stage: Running(F) |        │
//!  │        Finished(output) |  │
//!  │        Consumed            │
//!  └────────────────────────────┘
//! ```
//!
//! `Header` is first (repr(C)), so a `*const Header` is a `*const Cell<F, S>`:
//! the vtable functions, generic over `F` and `S`, cast it back.

use super::JoinError;
use super::id::Id;
use super::state::State;
use crate::loom::cell::UnsafeCell;
use std::future::Future;
use std::panic::Location;
use std::ptr::NonNull;
use std::task::Waker;

/// Non-generic part; first field of every task allocation.
pub(crate) struct Header {
    pub(super) state: State,
    pub(super) vtable: &'static Vtable,
    pub(super) id: Id,
    /// Where the task was spawned (`#[track_caller]` on every spawn path),
    /// for panic reports.
    pub(super) spawned_at: &'static Location<'static>,
    /// Key in the owned-tasks list. Written once by `OwnedTasks::bind`
    /// before the task is published to any other thread; read-only after.
    pub(super) owned_key: UnsafeCell<usize>,
    /// Join waker; access governed by the JOIN_WAKER bit (see state.rs).
    pub(super) join_waker: UnsafeCell<Option<Waker>>,
}

// SAFETY: the UnsafeCell fields are only touched under the rules of the
// state word (JOIN_WAKER for `join_waker`; `owned_key` is written before the
// task is shared), and every other field is Sync.
unsafe impl Send for Header {}
// SAFETY: as above.
unsafe impl Sync for Header {}

/// Per-(F, S) functions, reached from a non-generic `RawTask`.
pub(super) struct Vtable {
    /// Polls (or cancels) the task. Consumes a `Notified` reference.
    pub(super) poll: unsafe fn(NonNull<Header>),
    /// Queues the task on its scheduler. Consumes a `Notified` reference.
    pub(super) schedule: unsafe fn(NonNull<Header>),
    /// Frees the allocation. Requires: no references left.
    pub(super) dealloc: unsafe fn(NonNull<Header>),
    /// Moves the output into `*dst` (a `Poll<Result<T, JoinError>>`) if
    /// complete, else registers the waker.
    pub(super) try_read_output: unsafe fn(NonNull<Header>, *mut (), &Waker),
    /// Drops the JoinHandle's reference (slow path).
    pub(super) drop_join_handle_slow: unsafe fn(NonNull<Header>),
    /// Shutdown: cancel if idle; consumes the `Task` reference.
    pub(super) shutdown: unsafe fn(NonNull<Header>),
}

pub(super) enum Stage<F: Future> {
    Running(F),
    Finished(Result<F::Output, JoinError>),
    Consumed,
}

#[repr(C)]
pub(super) struct Cell<F: Future, S> {
    pub(super) header: Header,
    pub(super) scheduler: S,
    /// Owned by whoever holds the RUNNING bit, or by the JoinHandle once
    /// COMPLETE with JOIN_INTEREST (or the runtime once interest is gone).
    pub(super) stage: UnsafeCell<Stage<F>>,
}

impl<F: Future, S> Cell<F, S> {
    pub(super) fn new(
        future: F,
        scheduler: S,
        id: Id,
        spawned_at: &'static Location<'static>,
        vtable: &'static Vtable,
    ) -> Box<Self> {
        Box::new(Cell {
            header: Header {
                state: State::new(),
                vtable,
                id,
                spawned_at,
                owned_key: UnsafeCell::new(usize::MAX),
                join_waker: UnsafeCell::new(None),
            },
            scheduler,
            stage: UnsafeCell::new(Stage::Running(future)),
        })
    }
}

impl Header {
    /// # Safety
    ///
    /// * `ptr` must point to a live task (the caller holds a reference).
    pub(super) unsafe fn from_raw<'a>(ptr: NonNull<Header>) -> &'a Header {
        // SAFETY: the caller holds a reference, so the allocation is live.
        unsafe { ptr.as_ref() }
    }

    pub(crate) fn id(&self) -> Id {
        self.id
    }

    pub(crate) fn spawned_at(&self) -> &'static Location<'static> {
        self.spawned_at
    }

    /// # Safety
    ///
    /// * Only the owned-tasks list calls this, before publishing the task.
    pub(super) unsafe fn set_owned_key(&self, key: usize) {
        // SAFETY: not yet shared with another thread (caller contract).
        self.owned_key.with_mut(|p| unsafe { *p = key });
    }

    pub(super) fn owned_key(&self) -> usize {
        // SAFETY: written once before the task was published; read-only now.
        self.owned_key.with(|p| unsafe { *p })
    }
}
