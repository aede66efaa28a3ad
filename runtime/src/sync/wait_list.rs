//! A FIFO queue of waiters, kept under its owner's mutex.
//!
//! Every primitive in `sync` that makes futures wait keeps them in a
//! `WaitList` inside the mutex that guards its state. A waiter is a slot in a
//! slab, linked into a doubly linked list by slab keys, so that:
//!
//! * push to the back, pop from the front and removal from the middle (a
//!   cancelled future) are O(1);
//! * no allocation happens once the slab has grown to the largest number of
//!   simultaneous waiters (an uncontended operation never gets here at all);
//! * it is plain safe code: no intrusive pointers into pinned futures.
//!
//! Ownership rule: a slot belongs to the future that pushed it. A notifier
//! only *unlinks* a slot (it leaves the queue, keeps its data and the
//! notifier's verdict), it never frees it; the future frees its slot with
//! [`WaitList::remove`] when it completes or is dropped. Hence a key is never
//! reused while the future that holds it is alive. The exception is a
//! waiter with a [`Signal`] (the semaphore's and `Notify`'s): its notifier
//! frees the slot and stores its verdict into an atomic in the future
//! itself, which the future checks before it ever touches its key again.

use crate::loom::sync::atomic::{AtomicUsize, Ordering::Acquire, Ordering::Release};
use slab::Slab;
use std::ptr::NonNull;
use std::task::Waker;

/// A waiter's verdict slot: an atomic inside the pinned future, pointed to
/// from its node, so that a woken future learns its verdict with one load
/// instead of taking its owner's lock again.
///
/// Protocol (each user's module docs give its verdict values):
///
/// ```text
///   future's atomic       node in the slab
///   PENDING (0)           yes, holding a Signal that points to the atomic
///   any other verdict     freed; the atomic never changes again
///
///   the notifier, under the owner's lock: unlink, remove the node, then
///   Signal::set (its last access to the future's memory);
///   the future: load (no lock) -> a verdict: done, never touch the key;
///   PENDING: take the lock and load again (stable while held) before
///   using the key (update the waker, or free the node when dropped)
/// ```
///
/// So "node present <=> PENDING" holds for whoever holds the lock, and the
/// pointer is valid while the node exists: a future that is dropped while
/// PENDING frees its node under the lock first.
#[derive(Debug)]
pub(crate) struct Signal(NonNull<AtomicUsize>);

/// The value of a future's atomic while it is queued.
pub(crate) const PENDING: usize = 0;

// SAFETY: the pointer is dereferenced only by `set`, under the owner's
// lock, while the node is in the slab (see the type's docs), which is while
// the future it points into is alive and pinned; `AtomicUsize` is `Sync`.
unsafe impl Send for Signal {}

impl Signal {
    /// Points at `slot`, the atomic of a pinned future that is queueing
    /// (and holds `PENDING`).
    pub(crate) fn new(slot: &AtomicUsize) -> Signal {
        Signal(NonNull::from(slot))
    }

    /// Stores the verdict (not `PENDING`). Call under the owner's lock,
    /// right after removing the node from the slab.
    pub(crate) fn set(self, verdict: usize) {
        debug_assert_ne!(verdict, PENDING);
        // SAFETY: the node holding `self` was in the slab until just now
        // and the caller holds the owner's lock, so the future is alive
        // and pinned (its drop needs that lock while PENDING). Once the
        // store is visible the future may complete and be freed; nothing
        // here touches it again.
        unsafe { self.0.as_ref() }.store(verdict, Release);
    }
}

/// A future's own view of its atomic: the verdict, or `PENDING`.
pub(crate) fn verdict(slot: &AtomicUsize) -> usize {
    slot.load(Acquire)
}

/// Key of a slot, held by the waiting future.
pub(crate) type Key = usize;

#[derive(Debug)]
pub(crate) struct Node<T> {
    pub(crate) data: T,
    pub(crate) waker: Option<Waker>,
    prev: Option<Key>,
    next: Option<Key>,
    linked: bool,
}

impl<T> Node<T> {
    /// Whether the slot is still queued (not yet taken by a notifier).
    #[cfg(all(test, not(loom)))]
    pub(crate) fn is_linked(&self) -> bool {
        self.linked
    }

    /// Stores `waker` unless the one already stored would wake the same task.
    pub(crate) fn set_waker(&mut self, waker: &Waker) {
        match &self.waker {
            Some(w) if w.will_wake(waker) => {}
            _ => self.waker = Some(waker.clone()),
        }
    }
}

#[derive(Debug)]
pub(crate) struct WaitList<T> {
    slots: Slab<Node<T>>,
    head: Option<Key>,
    tail: Option<Key>,
    len: usize,
}

impl<T> WaitList<T> {
    pub(crate) const fn new() -> Self {
        WaitList {
            slots: Slab::new(),
            head: None,
            tail: None,
            len: 0,
        }
    }

    /// Number of linked (queued) waiters.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Queues a new waiter at the back; returns its key.
    pub(crate) fn push_back(&mut self, data: T, waker: Option<Waker>) -> Key {
        let key = self.slots.insert(Node {
            data,
            waker,
            prev: self.tail,
            next: None,
            linked: true,
        });
        match self.tail {
            Some(t) => self.slots[t].next = Some(key),
            None => self.head = Some(key),
        }
        self.tail = Some(key);
        self.len += 1;
        key
    }

    /// Key of the first queued waiter.
    pub(crate) fn front(&self) -> Option<Key> {
        self.head
    }

    /// Key of the last queued waiter.
    pub(crate) fn back(&self) -> Option<Key> {
        self.tail
    }

    pub(crate) fn get_mut(&mut self, key: Key) -> &mut Node<T> {
        &mut self.slots[key]
    }

    /// Takes the slot out of the queue but keeps it allocated for its owner.
    /// Returns its waker. No-op (returns `None`) if already unlinked.
    pub(crate) fn unlink(&mut self, key: Key) -> Option<Waker> {
        let node = &mut self.slots[key];
        if !node.linked {
            return None;
        }
        node.linked = false;
        let (prev, next) = (node.prev.take(), node.next.take());
        let waker = node.waker.take();
        match prev {
            Some(p) => self.slots[p].next = next,
            None => self.head = next,
        }
        match next {
            Some(n) => self.slots[n].prev = prev,
            None => self.tail = prev,
        }
        self.len -= 1;
        waker
    }

    /// Frees the slot (unlinking it first if needed); called by its owner.
    pub(crate) fn remove(&mut self, key: Key) -> T {
        self.unlink(key);
        self.slots.remove(key).data
    }

    /// Unlinks and frees the slot, returning its data and its waker: for a
    /// notifier that completes a waiter with a [`Signal`] (see the module
    /// docs).
    pub(crate) fn take(&mut self, key: Key) -> (T, Option<Waker>) {
        let waker = self.unlink(key);
        (self.slots.remove(key).data, waker)
    }
}

/// Wakers collected under a lock, to be woken once it is released.
///
/// Holds a few inline so that waking one or two waiters never allocates.
/// Declare it *before* taking the lock, so that it is dropped (and wakes)
/// after the guard.
#[derive(Debug, Default)]
pub(crate) struct WakeList {
    inline: [Option<Waker>; 2],
    rest: Vec<Waker>,
}

impl WakeList {
    pub(crate) const fn new() -> Self {
        WakeList {
            inline: [None, None],
            rest: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, waker: Option<Waker>) {
        let Some(waker) = waker else { return };
        for slot in &mut self.inline {
            if slot.is_none() {
                *slot = Some(waker);
                return;
            }
        }
        self.rest.push(waker);
    }

    /// Wakes everything collected. Call with no lock held.
    pub(crate) fn wake_all(self) {
        drop(self);
    }
}

/// Dropping wakes: even if the code that collected the wakers panics (an
/// `add_permits` overflow), the waiters it had already granted are woken
/// once the unwinding has released the lock.
///
/// `push` fills the inline slots in order and uses `rest` only once they
/// are full, so an empty first slot means an empty list: that case (most
/// `Semaphore::release` calls, e.g. one per message received on a bounded
/// channel) returns after one check instead of walking the slots and
/// draining the empty `Vec`.
impl Drop for WakeList {
    fn drop(&mut self) {
        for slot in &mut self.inline {
            match slot.take() {
                Some(waker) => waker.wake(),
                None => return,
            }
        }
        for waker in self.rest.drain(..) {
            waker.wake();
        }
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;
    use crate::loom::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    #[test]
    fn fifo_and_middle_removal() {
        let mut list = WaitList::new();
        let a = list.push_back('a', None);
        let b = list.push_back('b', None);
        let c = list.push_back('c', None);
        assert_eq!(list.len(), 3);
        assert_eq!(list.remove(b), 'b');
        assert_eq!(list.front(), Some(a));
        list.unlink(a);
        assert!(!list.get_mut(a).is_linked());
        assert_eq!(list.front(), Some(c));
        assert_eq!(list.back(), Some(c));
        assert_eq!(list.len(), 1);
        // The unlinked slot stays until its owner removes it.
        assert_eq!(list.get_mut(a).data, 'a');
        let d = list.push_back('d', None);
        assert_ne!(d, a);
        let mut seen = Vec::new();
        while let Some(key) = list.front() {
            seen.push(list.take(key).0);
        }
        assert_eq!(seen, ['c', 'd']);
        assert!(list.is_empty());
        assert_eq!(list.front(), None);
        assert_eq!(list.remove(a), 'a');
    }

    struct CountWake(AtomicUsize);

    impl std::task::Wake for CountWake {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, Relaxed);
        }
    }

    #[test]
    fn wake_list_wakes_every_pushed_waker_once() {
        for n in 0..5 {
            let count = std::sync::Arc::new(CountWake(Default::default()));
            let mut list = WakeList::new();
            list.push(None);
            for _ in 0..n {
                list.push(Some(Waker::from(count.clone())));
                list.push(None);
            }
            list.wake_all();
            assert_eq!(count.0.load(Relaxed), n, "n = {n}");
        }
    }
}
