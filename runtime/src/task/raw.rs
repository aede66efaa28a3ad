//! `RawTask`: a non-generic pointer to a task, dispatching through the vtable.
//!
//! A `RawTask` is `Copy` and does not own a reference by itself; the typed
//! wrappers (`Task`, `Notified`, `JoinHandle`, `AbortHandle`, wakers) each
//! own exactly one and say so.

use super::core::Header;
use super::state::TransitionToNotifiedByRef;
use super::state::TransitionToNotifiedByVal;
use std::ptr::NonNull;
use std::task::Waker;

#[derive(Clone, Copy)]
pub(crate) struct RawTask {
    ptr: NonNull<Header>,
}

impl RawTask {
    pub(super) fn from_raw(ptr: NonNull<Header>) -> RawTask {
        RawTask { ptr }
    }

    pub(super) fn ptr(self) -> NonNull<Header> {
        self.ptr
    }

    /// The header. Valid while the caller holds a reference.
    pub(crate) fn header(&self) -> &Header {
        // SAFETY: every holder of a RawTask holds (or borrows from the holder
        // of) a reference, so the allocation is live.
        unsafe { Header::from_raw(self.ptr) }
    }

    /// Polls or cancels the task; consumes one `Notified` reference.
    ///
    /// # Safety
    ///
    /// * The caller gives up a `Notified` reference.
    pub(super) unsafe fn poll(self) {
        // SAFETY: the vtable matches the allocation; the reference is passed on.
        unsafe { (self.header().vtable.poll)(self.ptr) }
    }

    /// # Safety
    ///
    /// * The caller gives up a reference, which becomes the queued `Notified`.
    pub(super) unsafe fn schedule(self) {
        // SAFETY: as `poll`.
        unsafe { (self.header().vtable.schedule)(self.ptr) }
    }

    /// # Safety
    ///
    /// * No reference to the task remains.
    pub(super) unsafe fn dealloc(self) {
        // SAFETY: the caller guarantees the task is unreachable.
        unsafe { (self.header().vtable.dealloc)(self.ptr) }
    }

    /// # Safety
    ///
    /// * The caller is the JoinHandle; `dst` points to a
    ///   `Poll<Result<T, JoinError>>` whose `T` is the task's output type.
    pub(super) unsafe fn try_read_output(self, dst: *mut (), waker: &Waker) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.try_read_output)(self.ptr, dst, waker) }
    }

    /// # Safety
    ///
    /// * The caller is the JoinHandle and gives up its reference.
    pub(super) unsafe fn drop_join_handle_slow(self) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.drop_join_handle_slow)(self.ptr) }
    }

    /// # Safety
    ///
    /// * The caller gives up the `Task` (owned-list) reference.
    pub(super) unsafe fn shutdown(self) {
        // SAFETY: forwarded contract.
        unsafe { (self.header().vtable.shutdown)(self.ptr) }
    }

    pub(super) fn drop_join_handle_fast(self) -> Result<(), ()> {
        self.header().state.drop_join_handle_fast()
    }

    pub(super) fn ref_inc(self) {
        self.header().state.ref_inc();
    }

    /// Drops one reference, deallocating on the last.
    ///
    /// # Safety
    ///
    /// * The caller gives up one reference it owns.
    pub(super) unsafe fn drop_reference(self) {
        if self.header().state.ref_dec() {
            // SAFETY: that was the last reference.
            unsafe { self.dealloc() }
        }
    }

    /// `Waker::wake`.
    ///
    /// # Safety
    ///
    /// * The caller gives up the waker's reference.
    pub(super) unsafe fn wake_by_val(self) {
        match self.header().state.transition_to_notified_by_val() {
            // SAFETY: the waker's reference becomes the queued Notified.
            TransitionToNotifiedByVal::Submit => unsafe { self.schedule() },
            // SAFETY: it was the last reference.
            TransitionToNotifiedByVal::Dealloc => unsafe { self.dealloc() },
            TransitionToNotifiedByVal::DoNothing => {}
        }
    }

    /// `Waker::wake_by_ref`. The caller keeps its reference.
    pub(super) fn wake_by_ref(self) {
        if let TransitionToNotifiedByRef::Submit =
            self.header().state.transition_to_notified_by_ref()
        {
            // SAFETY: the transition took a new reference for the Notified.
            unsafe { self.schedule() }
        }
    }

    /// Abort from a JoinHandle or AbortHandle (the caller keeps its reference).
    pub(super) fn remote_abort(self) {
        if self.header().state.transition_to_notified_and_cancel() {
            // SAFETY: the transition took a new reference for the Notified;
            // the task is cancelled (not polled) when the scheduler runs it.
            unsafe { self.schedule() }
        }
    }
}

// SAFETY: a RawTask is a pointer to a task whose shared parts are Sync
// (Header) and whose generic parts are only reached under the state-word
// rules; `Task`/`Notified` are only created for `F: Send` futures.
unsafe impl Send for RawTask {}
// SAFETY: as above.
unsafe impl Sync for RawTask {}
