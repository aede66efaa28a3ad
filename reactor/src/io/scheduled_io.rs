//! The shared state of one registration: a readiness word and two waker
//! lists (read, write).
//!
//! # The readiness word
//!
//! ```text
//!  bit 31      bits 16..=30        bits 6..=15   bits 0..=5
//! ┌────────┬──────────────────┬─────────────┬──────────────────────────────┐
//! │SHUTDOWN│ tick (15 bits,   │   unused    │ PRIORITY ERROR WRITE_CLOSED  │
//! │        │ wraps)           │             │ READ_CLOSED WRITABLE READABLE│
//! └────────┴──────────────────┴─────────────┴──────────────────────────────┘
//! ```
//!
//! Transitions (every one is a single CAS / fetch-or on the word):
//!
//! ```text
//!   set_readiness(R)   [driver]  ready |= R, tick += 1       (then wake)
//!   clear_readiness(E) [task]    if tick == E.tick: ready -= E.ready
//!                                (READ_CLOSED / WRITE_CLOSED are final and
//!                                 never cleared); else: no change
//!   shutdown()         [driver]  SHUTDOWN = 1                (then wake all)
//!                                terminal: every later poll gets an error
//! ```
//!
//! Why the tick: a task reads the word (tick t, READABLE), calls `read`,
//! gets `WouldBlock` and clears READABLE. If an edge arrived between that
//! `read` and the clear, the driver bumped the tick to t+1 and the clear is
//! refused, so the new edge (edge-triggered: it will not come again) is kept.
//!
//! # The waker lists
//!
//! One list per direction (read, write), behind a small mutex. The rule that
//! makes wake-ups impossible to lose:
//!
//! * a waiter stores its waker **under the lock**, then re-reads the word
//!   (still under the lock) before returning `Pending`;
//! * the driver publishes readiness in the word **before** taking the lock
//!   to take the wakers.
//!
//! So either the waiter's re-read sees the new readiness (and it returns
//! `Ready`), or its waker was stored before the driver took the lock (and the
//! driver takes and wakes it). Shutdown follows the same order (set the bit,
//! then lock and wake).
//!
//! Usually a list holds at most one waker (one reader task, one writer
//! task), but several tasks may wait in the same direction (e.g. acceptors
//! sharing a listener): each is kept (deduplicated with `will_wake`) and all
//! are woken by the next event in that direction. A waiter that gives up
//! leaves its waker behind until then: it costs one spurious wake at most.
//! Taking the wakers out keeps the lists' capacity, so steady-state waits
//! allocate nothing.

use crate::io::interest::Interest;
use crate::io::ready::Ready;
use crate::loom::sync::Mutex;
use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::Ordering::{AcqRel, Acquire};
use std::task::{Context, Poll, Waker};

const READINESS_MASK: usize = 0x3F;
const TICK_SHIFT: u32 = 16;
const TICK_MAX: usize = 0x7FFF;
const TICK_MASK: usize = TICK_MAX << TICK_SHIFT;
const SHUTDOWN: usize = 1 << 31;

/// What a waiter saw: the readiness that satisfied it and the tick it was
/// read at (for [`Registration::clear_readiness`](crate::io::Registration::clear_readiness)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadyEvent {
    pub(crate) ready: Ready,
    pub(crate) tick: u16,
}

impl ReadyEvent {
    /// The readiness bits (within the interest that was waited for).
    pub fn ready(&self) -> Ready {
        self.ready
    }
}

/// The reactor was shut down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Gone;

#[derive(Debug, Default)]
struct Waiters {
    reader: Vec<Waker>,
    writer: Vec<Waker>,
}

/// Per-registration state shared by the driver and the resource.
#[derive(Debug)]
pub(crate) struct ScheduledIo {
    readiness: AtomicUsize,
    waiters: Mutex<Waiters>,
}

fn tick_of(word: usize) -> u16 {
    ((word & TICK_MASK) >> TICK_SHIFT) as u16
}

/// Wakers parked for reading are woken by these bits, writers by the others.
const READ_WAKE: usize = Ready::READABLE.as_bits()
    | Ready::READ_CLOSED.as_bits()
    | Ready::ERROR.as_bits()
    | Ready::PRIORITY.as_bits();
const WRITE_WAKE: usize =
    Ready::WRITABLE.as_bits() | Ready::WRITE_CLOSED.as_bits() | Ready::ERROR.as_bits();

impl ScheduledIo {
    pub(crate) fn new() -> ScheduledIo {
        ScheduledIo {
            readiness: AtomicUsize::new(0),
            waiters: Mutex::new(Waiters::default()),
        }
    }

    /// Driver side: an event with readiness `ready` arrived. Publishes it
    /// (bumping the tick) and moves the wakers it concerns into `wake`.
    pub(crate) fn set_readiness(&self, ready: Ready, wake: &mut Vec<Waker>) {
        let mut cur = self.readiness.load(Acquire);
        loop {
            if cur & SHUTDOWN != 0 {
                return;
            }
            let tick = (tick_of(cur) as usize + 1) & TICK_MAX;
            let next = (cur & READINESS_MASK) | ready.as_bits() | (tick << TICK_SHIFT);
            match self
                .readiness
                .compare_exchange_weak(cur, next, AcqRel, Acquire)
            {
                Ok(_) => break,
                Err(actual) => cur = actual,
            }
        }
        let bits = ready.as_bits();
        let mut waiters = self.waiters.lock();
        if bits & READ_WAKE != 0 {
            wake.append(&mut waiters.reader);
        }
        if bits & WRITE_WAKE != 0 {
            wake.append(&mut waiters.writer);
        }
    }

    /// Driver side: the reactor is going away. Every present and future
    /// waiter gets an error.
    pub(crate) fn shutdown(&self, wake: &mut Vec<Waker>) {
        self.readiness.fetch_or(SHUTDOWN, AcqRel);
        let mut waiters = self.waiters.lock();
        wake.append(&mut waiters.reader);
        wake.append(&mut waiters.writer);
    }

    /// The current readiness within `interest`, without registering a waker.
    pub(crate) fn ready_event(&self, interest: Interest) -> Result<Option<ReadyEvent>, Gone> {
        Self::event_of(self.readiness.load(Acquire), interest)
    }

    fn event_of(word: usize, interest: Interest) -> Result<Option<ReadyEvent>, Gone> {
        if word & SHUTDOWN != 0 {
            return Err(Gone);
        }
        let ready = Ready::from_bits(word).intersection(interest.mask());
        if ready.is_empty() {
            Ok(None)
        } else {
            Ok(Some(ReadyEvent {
                ready,
                tick: tick_of(word),
            }))
        }
    }

    /// Task side: `Ready` with the readiness within `interest`, or stores
    /// the task's waker (in the list of every direction `interest` names)
    /// and returns `Pending`.
    pub(crate) fn poll_readiness(
        &self,
        cx: &mut Context<'_>,
        interest: Interest,
    ) -> Poll<Result<ReadyEvent, Gone>> {
        // Fast path, no lock.
        match self.ready_event(interest) {
            Ok(Some(ev)) => return Poll::Ready(Ok(ev)),
            Err(gone) => return Poll::Ready(Err(gone)),
            Ok(None) => {}
        }
        let mut waiters = self.waiters.lock();
        let store = |list: &mut Vec<Waker>| {
            if !list.iter().any(|w| w.will_wake(cx.waker())) {
                list.push(cx.waker().clone());
            }
        };
        if interest.is_readable() || interest.is_error() || interest.is_priority() {
            store(&mut waiters.reader);
        }
        if interest.is_writable() {
            store(&mut waiters.writer);
        }
        // Re-read under the lock: the driver publishes before it locks.
        match Self::event_of(self.readiness.load(Acquire), interest) {
            Ok(Some(ev)) => Poll::Ready(Ok(ev)),
            Err(gone) => Poll::Ready(Err(gone)),
            Ok(None) => Poll::Pending,
        }
    }

    /// Task side: the operation `event` allowed hit `WouldBlock`; forget
    /// that readiness unless a newer event arrived since (tick changed).
    pub(crate) fn clear_readiness(&self, event: ReadyEvent) {
        let clear = (event.ready - Ready::READ_CLOSED - Ready::WRITE_CLOSED).as_bits();
        let mut cur = self.readiness.load(Acquire);
        loop {
            #[cfg(not(magpie_break))]
            if tick_of(cur) != event.tick {
                return;
            }
            let next = cur & !clear;
            if next == cur {
                return;
            }
            match self
                .readiness
                .compare_exchange_weak(cur, next, AcqRel, Acquire)
            {
                Ok(_) => return,
                Err(actual) => cur = actual,
            }
        }
    }
}

// Test scaffolding (never under loom): counts wakes with std atomics.
#[cfg(all(test, not(loom)))]
#[allow(clippy::disallowed_types)]
mod tests {
    use super::*;
    use std::sync::Arc as StdArc;
    use std::sync::atomic::AtomicUsize as StdAtomicUsize; // shim-exempt: test waker counter (not under loom)
    use std::task::Wake;

    #[allow(clippy::disallowed_types)]
    struct Count(StdAtomicUsize);
    impl Wake for Count {
        fn wake(self: StdArc<Self>) {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst); // shim-exempt: test
        }
    }

    #[test]
    fn stale_clear_is_refused() {
        let io = ScheduledIo::new();
        let mut wake = Vec::new();
        io.set_readiness(Ready::READABLE, &mut wake);
        let ev = io.ready_event(Interest::READABLE).unwrap().unwrap();
        io.set_readiness(Ready::READABLE, &mut wake);
        io.clear_readiness(ev);
        assert!(io.ready_event(Interest::READABLE).unwrap().is_some());
        let ev = io.ready_event(Interest::READABLE).unwrap().unwrap();
        io.clear_readiness(ev);
        assert!(io.ready_event(Interest::READABLE).unwrap().is_none());
    }

    #[test]
    fn closed_is_final_and_tick_wraps() {
        let io = ScheduledIo::new();
        let mut wake = Vec::new();
        for _ in 0..(TICK_MAX + 3) {
            io.set_readiness(Ready::READ_CLOSED, &mut wake);
        }
        let ev = io.ready_event(Interest::READABLE).unwrap().unwrap();
        io.clear_readiness(ev);
        assert!(ev.ready().is_read_closed());
        assert!(io.ready_event(Interest::READABLE).unwrap().is_some());
        assert!(io.ready_event(Interest::WRITABLE).unwrap().is_none());
    }

    #[test]
    fn several_waiters_in_one_direction_are_all_woken() {
        let io = ScheduledIo::new();
        let counts: Vec<_> = (0..3)
            .map(|_| StdArc::new(Count(StdAtomicUsize::new(0))))
            .collect();
        for count in &counts {
            let waker = Waker::from(count.clone());
            let mut cx = Context::from_waker(&waker);
            // Polling twice with the same waker keeps one entry.
            assert!(io.poll_readiness(&mut cx, Interest::READABLE).is_pending());
            assert!(io.poll_readiness(&mut cx, Interest::READABLE).is_pending());
        }
        let mut wake = Vec::new();
        io.set_readiness(Ready::READABLE, &mut wake);
        assert_eq!(wake.len(), 3);
        wake.drain(..).for_each(Waker::wake);
        for count in &counts {
            assert_eq!(count.0.load(std::sync::atomic::Ordering::SeqCst), 1); // shim-exempt: test
        }
    }

    #[test]
    fn wakes_by_direction_and_on_shutdown() {
        let io = ScheduledIo::new();
        let count = StdArc::new(Count(StdAtomicUsize::new(0)));
        let waker = Waker::from(count.clone());
        let mut cx = Context::from_waker(&waker);
        assert!(io.poll_readiness(&mut cx, Interest::READABLE).is_pending());
        assert!(io.poll_readiness(&mut cx, Interest::WRITABLE).is_pending());
        let mut wake = Vec::new();
        io.set_readiness(Ready::WRITABLE, &mut wake);
        assert_eq!(wake.len(), 1);
        wake.drain(..).for_each(Waker::wake);
        io.shutdown(&mut wake);
        assert_eq!(wake.len(), 1);
        wake.drain(..).for_each(Waker::wake);
        assert_eq!(count.0.load(std::sync::atomic::Ordering::SeqCst), 2); // shim-exempt: test
        assert_eq!(
            io.poll_readiness(&mut cx, Interest::READABLE),
            Poll::Ready(Err(Gone))
        );
    }
}
