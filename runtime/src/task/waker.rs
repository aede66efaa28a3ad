//! Task wakers: the data pointer is the task header; one static vtable for
//! every task so `Waker::will_wake` compares cheaply. Cloning takes a
//! reference, dropping gives it back; nothing allocates.

use super::core::Header;
use super::raw::RawTask;
use std::marker::PhantomData;
use std::mem::ManuallyDrop;
use std::ops::Deref;
use std::ptr::NonNull;
use std::task::{RawWaker, RawWakerVTable, Waker};

static WAKER_VTABLE: RawWakerVTable =
    RawWakerVTable::new(clone_waker, wake_by_val, wake_by_ref, drop_waker);

fn raw(ptr: *const ()) -> RawTask {
    // SAFETY: every RawWaker with WAKER_VTABLE was built from a non-null
    // header pointer (see `raw_waker`).
    RawTask::from_raw(unsafe { NonNull::new_unchecked(ptr as *mut Header) })
}

fn raw_waker(header: NonNull<Header>) -> RawWaker {
    RawWaker::new(header.as_ptr() as *const (), &WAKER_VTABLE)
}

unsafe fn clone_waker(ptr: *const ()) -> RawWaker {
    let task = raw(ptr);
    task.ref_inc();
    raw_waker(task.ptr())
}

unsafe fn wake_by_val(ptr: *const ()) {
    // SAFETY: `wake` consumes the waker, and with it its reference.
    unsafe { raw(ptr).wake_by_val() }
}

unsafe fn wake_by_ref(ptr: *const ()) {
    raw(ptr).wake_by_ref()
}

unsafe fn drop_waker(ptr: *const ()) {
    // SAFETY: the waker owned one reference.
    unsafe { raw(ptr).drop_reference() }
}

/// A waker borrowed from a reference the poller holds: no refcount traffic
/// unless the future clones it.
pub(super) struct WakerRef<'a> {
    waker: ManuallyDrop<Waker>,
    _p: PhantomData<&'a Header>,
}

pub(super) fn waker_ref(header: &NonNull<Header>) -> WakerRef<'_> {
    // SAFETY: the vtable functions uphold the RawWaker contract; the waker
    // is never dropped (ManuallyDrop), so it does not give back a reference
    // it never took, and it lives no longer than the borrowed reference.
    let waker = unsafe { Waker::from_raw(raw_waker(*header)) };
    WakerRef {
        waker: ManuallyDrop::new(waker),
        _p: PhantomData,
    }
}

impl Deref for WakerRef<'_> {
    type Target = Waker;
    fn deref(&self) -> &Waker {
        &self.waker
    }
}
