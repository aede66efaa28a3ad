//! Intrusive doubly linked list of timer nodes (the wheel's slots and its
//! pending list). Links live in the nodes; every operation requires the
//! wheel lock (entry.rs, rule 2).

use crate::time::entry::TimerShared;
use std::ptr::NonNull;

#[derive(Debug, Default)]
pub(crate) struct List {
    head: Option<NonNull<TimerShared>>,
    tail: Option<NonNull<TimerShared>>,
}

// SAFETY: a `List` is only reached through the wheel mutex, and the nodes it
// points to are `Sync` and only accessed under that mutex.
unsafe impl Send for List {}

impl List {
    pub(crate) fn is_empty(&self) -> bool {
        self.head.is_none()
    }

    /// Appends `node`.
    ///
    /// # Safety
    ///
    /// The wheel lock is held; `node` is valid and in no list.
    pub(crate) unsafe fn push_back(&mut self, node: NonNull<TimerShared>) {
        // SAFETY: `node` is valid and the lock is held (contract).
        unsafe {
            node.as_ref().with_pointers(|p| {
                p.prev = self.tail;
                p.next = None;
            });
            match self.tail {
                // SAFETY: list members are valid (entry.rs rule 4).
                Some(tail) => tail.as_ref().with_pointers(|p| p.next = Some(node)),
                None => self.head = Some(node),
            }
        }
        self.tail = Some(node);
    }

    /// Unlinks and returns the first node.
    ///
    /// # Safety
    ///
    /// The wheel lock is held.
    pub(crate) unsafe fn pop_front(&mut self) -> Option<NonNull<TimerShared>> {
        let head = self.head?;
        // SAFETY: `head` is a member, hence valid; lock held (contract).
        unsafe { self.remove(head) };
        Some(head)
    }

    /// Unlinks `node`.
    ///
    /// # Safety
    ///
    /// The wheel lock is held and `node` is a member of this list.
    pub(crate) unsafe fn remove(&mut self, node: NonNull<TimerShared>) {
        // SAFETY: `node` and its neighbours are members, hence valid (rule
        // 4); the lock is held (contract).
        unsafe {
            let (prev, next) = node.as_ref().with_pointers(|p| {
                let links = (p.prev, p.next);
                p.prev = None;
                p.next = None;
                links
            });
            match prev {
                Some(prev) => prev.as_ref().with_pointers(|p| p.next = next),
                None => {
                    debug_assert_eq!(self.head, Some(node));
                    self.head = next;
                }
            }
            match next {
                Some(next) => next.as_ref().with_pointers(|p| p.prev = prev),
                None => {
                    debug_assert_eq!(self.tail, Some(node));
                    self.tail = prev;
                }
            }
        }
    }

    /// Takes all nodes, leaving `self` empty.
    pub(crate) fn take(&mut self) -> List {
        std::mem::take(self)
    }
}
