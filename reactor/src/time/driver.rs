//! The parking half of the time driver: sleeps until the nearest deadline
//! and fires what expired.

use crate::time::entry::TimerShared;
use crate::time::{Error, Handle};
use std::collections::VecDeque;
use std::ptr::NonNull;
use std::task::Waker;
use std::time::Duration;

/// Entries fired per lock acquisition: the waker calls happen after the
/// lock is released, and a cancel of an entry in the batch waits for them,
/// so the batch is kept short.
const BATCH: usize = 32;

/// Fires expired timers; owned by whoever owns the driver stack.
#[derive(Debug)]
pub struct Driver {
    /// Reused buffer of entries marked PENDING_FIRE and their wakers;
    /// empty between calls.
    batch: VecDeque<(EntryPtr, Option<Waker>)>,
}

#[derive(Debug)]
struct EntryPtr(NonNull<TimerShared>);

// SAFETY: `TimerShared` is `Sync`, and the driver only follows this pointer
// while the node is PENDING_FIRE, which keeps it alive (entry.rs rule 4).
unsafe impl Send for EntryPtr {}

impl Default for Driver {
    fn default() -> Self {
        Self::new()
    }
}

impl Driver {
    /// A driver for the wheel behind a [`Handle`].
    pub fn new() -> Driver {
        Driver {
            batch: VecDeque::with_capacity(BATCH),
        }
    }

    /// Parks the layer below (`park_below(timeout)`) until the nearest
    /// deadline or `limit`, whichever is first, then fires what expired.
    ///
    /// With a paused clock that may auto-advance, it does not block: it
    /// polls the layer below, and unless something woke the driver
    /// meanwhile ([`crate::Handle::unpark`]) it advances the clock to the
    /// timeout instead, as if it had slept.
    pub fn park(
        &mut self,
        handle: &Handle,
        limit: Option<Duration>,
        park_below: impl FnOnce(Option<Duration>),
    ) {
        let next = {
            let mut lock = handle.lock();
            let next = lock.wheel.next_expiration_time();
            lock.next_wake = next;
            next
        };
        let timeout = match (next.map(|tick| handle.until_tick(tick)), limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let clock = handle.clock();
        match timeout {
            Some(timeout) if !timeout.is_zero() && clock.can_auto_advance() => {
                park_below(Some(Duration::ZERO));
                if !handle.take_did_wake() {
                    // Cannot fail: can_auto_advance said paused, and only
                    // the driver's owner resumes the clock (from a task).
                    let _ = clock.advance(timeout);
                }
            }
            timeout => park_below(timeout),
        }
        self.process(handle);
    }

    /// Fires every timer due at the clock's current time, in deadline
    /// order, waking their wakers outside the lock.
    pub fn process(&mut self, handle: &Handle) {
        let now = handle.now_tick();
        {
            let mut lock = handle.lock();
            // SAFETY: lock held.
            unsafe { lock.wheel.poll(now) };
        }
        self.fire_pending(handle, Ok(()));
    }

    /// Marks the wheel shut down and fires every timer with an error; later
    /// registrations fail at once.
    pub fn shutdown(&mut self, handle: &Handle) {
        {
            let mut lock = handle.lock();
            lock.is_shutdown = true;
            // SAFETY: lock held.
            unsafe { lock.wheel.drain_all() };
        }
        self.fire_pending(handle, Err(Error::shutdown()));
    }

    fn fire_pending(&mut self, handle: &Handle, result: Result<(), Error>) {
        loop {
            {
                let mut lock = handle.lock();
                while self.batch.len() < BATCH {
                    // SAFETY: lock held.
                    let Some(node) = (unsafe { lock.wheel.pop_pending() }) else {
                        break;
                    };
                    // SAFETY: lock held; `node` was linked, so REGISTERED and
                    // valid, and we just unlinked it.
                    let waker = unsafe { node.as_ref().mark_pending_fire(result) };
                    self.batch.push_back((EntryPtr(node), waker));
                }
            }
            let full = self.batch.len() == BATCH;
            if self.batch.is_empty() {
                return;
            }
            // Completes the rest of the batch even if a waker panics, so
            // that no owner waits forever for FIRED.
            let guard = Completer(&mut self.batch);
            while let Some((node, waker)) = guard.0.pop_front() {
                if let Some(waker) = waker {
                    waker.wake();
                }
                // SAFETY: we marked it PENDING_FIRE and are done with its
                // waker; this is our last access (rule 4).
                unsafe { node.0.as_ref().complete_fire() };
            }
            drop(guard);
            if !full {
                return;
            }
        }
    }
}

/// Drains the batch front to back; on drop (e.g. unwinding from a waker)
/// completes what is left.
struct Completer<'a>(&'a mut VecDeque<(EntryPtr, Option<Waker>)>);

impl Drop for Completer<'_> {
    fn drop(&mut self) {
        for (node, waker) in self.0.drain(..) {
            drop(waker);
            // SAFETY: marked PENDING_FIRE by us; last access (rule 4).
            unsafe { node.0.as_ref().complete_fire() };
        }
    }
}
