//! Timer entries: the intrusive wheel node that lives inside the user's
//! pinned timer future, and its state word.
//!
//! # State word
//!
//! ```text
//!                  (1) owner: poll                   (3) driver: due
//!   new ──▶ UNREGISTERED ─────────────▶ REGISTERED ─────────────────▶ PENDING_FIRE
//!             │     ▲                    │  │  ▲  (4) owner: reset,       │
//!   (2) owner:│     │                    │  │  └─ relinked                │ (5) driver:
//!   poll, due │     │ (7) owner: reset   │  │                             │ wake(), then
//!   or shut   │     │                    │  │ (6) owner: drop             │ Release-store
//!   down      ▼     │                    │  ▼                             ▼
//!           FIRED ──┘ ◀──────────────────┘ CANCELLED (terminal)         FIRED
//!                  (4') owner: reset to a passed deadline
//!
//!   ERROR bit: set together with PENDING_FIRE / FIRED when the driver shut down.
//!   Owner's drop and reset wait (yielding) while the state is PENDING_FIRE.
//! ```
//!
//! | #    | transition                    | by     | wheel lock       |
//! |------|-------------------------------|--------|------------------|
//! | 1    | UNREGISTERED → REGISTERED     | owner  | held             |
//! | 2    | UNREGISTERED → FIRED          | owner  | held             |
//! | 3    | REGISTERED → PENDING_FIRE     | driver | held             |
//! | 4/4' | REGISTERED → REGISTERED/FIRED | owner  | held             |
//! | 5    | PENDING_FIRE → FIRED          | driver | not held (Release) |
//! | 6    | REGISTERED → CANCELLED        | owner  | held             |
//! | 7    | FIRED → UNREGISTERED          | owner  | not needed: nobody else refers to a FIRED node |
//! | 4''  | REGISTERED (reset, same tick) | owner  | not needed: only the owner's `deadline` changes |
//! | —    | REGISTERED, polled again with the waker it holds | owner | not needed: nothing changes |
//!
//! Rules (numbered so the code can cite them):
//!
//! 1. The owner (through `Pin<&mut TimerEntry>` or its `Drop`) makes every
//!    transition except the two driver ones, REGISTERED → PENDING_FIRE and
//!    PENDING_FIRE → FIRED.
//! 2. Every transition except PENDING_FIRE → FIRED and the owner's
//!    FIRED → UNREGISTERED happens with the wheel lock held. The lock-guarded
//!    fields (`pointers`, `location`, `when`, `waker`) are only touched with the
//!    wheel lock held.
//! 3. REGISTERED means the node is linked in exactly one wheel list (a slot or
//!    the pending list). Other states mean it is in none.
//! 4. While the state is REGISTERED or PENDING_FIRE the node's memory must stay
//!    valid: `Drop` (cancel) unlinks a REGISTERED node under the lock, and
//!    *waits* for a PENDING_FIRE node to become FIRED. The driver touches the
//!    node for the last time with the Release store of FIRED; the owner's
//!    Acquire load of FIRED orders its free after that store.
//! 5. The driver takes the waker out of a PENDING_FIRE node under the lock and
//!    wakes it after releasing it. Because cancel waits for FIRED (rule 4), the
//!    waker is never called after cancel (or `reset`) returns, and each waker
//!    is dropped exactly once: woken by the driver, or dropped by the owner
//!    after unlinking under the lock.
//!
//! 6. Two owner shortcuts skip the lock on a REGISTERED node, because the
//!    wheel would not change: a reset to a deadline that rounds to the tick
//!    the node is linked at (`registered_tick`, the owner's copy of
//!    `when`), and a poll whose waker has the identity of the stored one
//!    (`WakerId`). If the driver fires the node concurrently, it fires it at
//!    the same tick and wakes an equivalent waker, as with the lock.
//!    loom: `loom_same_tick_reset_races_fire`, `loom_repoll_same_waker_races_fire`.
//!
//! Consequence of rule 4: a waker must not synchronously drop or reset a
//! timer that the same driver turn is firing (it would wait for itself).
//! Task wakers only schedule, so this never happens in the runtime.
//!
//! Known hack, as in every intrusive list in Rust today: the owner takes
//! `&mut TimerEntry` (`reset`, `Drop`) while the driver may hold a raw
//! pointer into its `shared` field. This relies on `TimerEntry` being
//! `!Unpin` (through `PhantomPinned`), for which rustc emits no `noalias`
//! and Miri's aliasing model makes the same exception; `UnsafePinned` will
//! make it official once stable. The fields both sides touch are atomics
//! or `UnsafeCell`s.

use crate::loom::cell::UnsafeCell;
use crate::loom::sync::atomic::AtomicUsize;
use crate::loom::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use crate::loom::thread;
use crate::time::Error;
use std::marker::PhantomPinned;
use std::pin::Pin;
use std::ptr::NonNull;
use std::task::{Context, Poll, Waker};
use std::time::Instant;

const STATE_MASK: usize = 0b0111;
/// Not in the wheel; the owner may register it.
const UNREGISTERED: usize = 0;
/// Linked in the wheel; the driver may fire it, the owner may cancel it.
const REGISTERED: usize = 1;
/// Unlinked by the driver, whose waker call is in flight; must stay alive.
const PENDING_FIRE: usize = 2;
/// Elapsed; nobody but the owner refers to it.
const FIRED: usize = 3;
/// Unlinked by the owner's `Drop`; terminal.
const CANCELLED: usize = 4;
/// With PENDING_FIRE/FIRED: fired because the driver shut down.
const ERROR: usize = 0b1000;

/// A snapshot of the state word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Unregistered,
    Registered,
    PendingFire(Result<(), Error>),
    Fired(Result<(), Error>),
    Cancelled,
}

impl State {
    #[inline]
    fn decode(word: usize) -> State {
        let result = if word & ERROR == 0 {
            Ok(())
        } else {
            Err(Error::shutdown())
        };
        match word & STATE_MASK {
            UNREGISTERED => State::Unregistered,
            REGISTERED => State::Registered,
            PENDING_FIRE => State::PendingFire(result),
            FIRED => State::Fired(result),
            CANCELLED => State::Cancelled,
            other => unreachable!("invalid timer state {other}"),
        }
    }
}

/// Where a REGISTERED node is linked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Location {
    Nowhere,
    Slot { level: u8, slot: u8 },
    Pending,
}

impl Location {
    const fn encode(self) -> u64 {
        match self {
            Location::Nowhere => 0,
            Location::Pending => 1,
            Location::Slot { level, slot } => 2 | (level as u64) << 8 | (slot as u64) << 16,
        }
    }

    fn decode(word: u64) -> Location {
        match word & 0xff {
            0 => Location::Nowhere,
            1 => Location::Pending,
            _ => Location::Slot {
                level: (word >> 8) as u8,
                slot: (word >> 16) as u8,
            },
        }
    }
}

/// Links of the intrusive doubly linked list.
#[derive(Debug)]
pub(crate) struct Pointers {
    pub(crate) prev: Option<NonNull<TimerShared>>,
    pub(crate) next: Option<NonNull<TimerShared>>,
}

/// The wheel's node; lives inside a pinned [`TimerEntry`].
#[derive(Debug)]
pub(crate) struct TimerShared {
    state: AtomicUsize,
    // Fields below: wheel lock only (rule 2).
    pointers: UnsafeCell<Pointers>,
    /// A [`Location`], encoded (`Location::encode`): one full word, so
    /// that building an entry writes no single bytes (byte stores followed
    /// by the wide loads of a move stall store forwarding).
    location: UnsafeCell<u64>,
    /// Deadline in wheel ticks.
    when: UnsafeCell<u64>,
    waker: UnsafeCell<Option<Waker>>,
    _pin: PhantomPinned,
}

// SAFETY: the `UnsafeCell` fields are only accessed with the wheel lock held
// (rule 2), which serialises all threads; `state` is atomic. The raw list
// pointers are only followed under that same lock.
unsafe impl Send for TimerShared {}
// SAFETY: as for `Send`: shared access is mediated by the wheel lock.
unsafe impl Sync for TimerShared {}

impl TimerShared {
    #[inline]
    pub(crate) fn new() -> TimerShared {
        TimerShared {
            state: AtomicUsize::new(UNREGISTERED),
            pointers: UnsafeCell::new(Pointers {
                prev: None,
                next: None,
            }),
            location: UnsafeCell::new(Location::Nowhere.encode()),
            when: UnsafeCell::new(0),
            waker: UnsafeCell::new(None),
            _pin: PhantomPinned,
        }
    }

    /// Current state (Acquire: pairs with the driver's Release of FIRED).
    #[inline]
    pub(crate) fn state(&self) -> State {
        State::decode(self.state.load(Acquire))
    }

    fn set(&self, word: usize) {
        self.state.store(word, Release);
    }

    /// Spins (yielding) while the driver is firing this node; rule 4.
    pub(crate) fn wait_fired(&self) -> State {
        loop {
            match self.state() {
                State::PendingFire(_) => thread::yield_now(),
                other => return other,
            }
        }
    }

    /// UNREGISTERED/FIRED/REGISTERED → REGISTERED (owner, lock held).
    ///
    /// # Safety
    ///
    /// The caller holds the wheel lock and owns the entry.
    pub(crate) unsafe fn mark_registered(&self) {
        self.set(REGISTERED);
    }

    /// → FIRED, by the owner with the lock held (deadline already past,
    /// or driver shut down). Returns the waker to wake after unlocking.
    ///
    /// # Safety
    ///
    /// The caller holds the wheel lock, owns the entry, and the node is not
    /// linked (rule 3).
    #[must_use]
    pub(crate) unsafe fn fire_now(&self, result: Result<(), Error>) -> Option<Waker> {
        // SAFETY: lock held (caller's contract).
        let waker = unsafe { self.take_waker() };
        self.set(FIRED | if result.is_err() { ERROR } else { 0 });
        waker
    }

    /// REGISTERED → PENDING_FIRE by the driver; returns the waker it must
    /// call before [`complete_fire`](Self::complete_fire).
    ///
    /// # Safety
    ///
    /// The caller holds the wheel lock and has just unlinked this
    /// REGISTERED node.
    #[must_use]
    pub(crate) unsafe fn mark_pending_fire(&self, result: Result<(), Error>) -> Option<Waker> {
        debug_assert_eq!(self.state(), State::Registered);
        self.set(PENDING_FIRE | if result.is_err() { ERROR } else { 0 });
        // SAFETY: lock held (caller's contract).
        unsafe { self.take_waker() }
    }

    /// PENDING_FIRE → FIRED, without the lock: the driver's last access to
    /// this node (rule 4).
    ///
    /// # Safety
    ///
    /// The caller is the driver that marked this node PENDING_FIRE, and has
    /// finished with its waker.
    pub(crate) unsafe fn complete_fire(&self) {
        let word = self.state.load(Relaxed);
        debug_assert_eq!(word & STATE_MASK, PENDING_FIRE);
        self.set(FIRED | (word & ERROR));
    }

    /// REGISTERED → CANCELLED by the owner's drop; returns the waker to drop
    /// after unlocking.
    ///
    /// # Safety
    ///
    /// The caller holds the wheel lock, owns the entry and has just unlinked
    /// this node.
    #[must_use]
    pub(crate) unsafe fn mark_cancelled(&self) -> Option<Waker> {
        self.set(CANCELLED);
        // SAFETY: lock held (caller's contract).
        unsafe { self.take_waker() }
    }

    /// FIRED → UNREGISTERED by the owner (reset): the node is in no list and
    /// no one else refers to it, so no lock is needed.
    pub(crate) fn mark_unregistered(&self) {
        debug_assert!(matches!(self.state(), State::Fired(_)));
        self.set(UNREGISTERED);
    }

    /// # Safety
    ///
    /// The caller holds the wheel lock.
    pub(crate) unsafe fn take_waker(&self) -> Option<Waker> {
        // SAFETY: lock held (caller's contract; rule 2).
        self.waker.with_mut(|w| unsafe { (*w).take() })
    }

    /// Stores `waker` unless the stored one would wake the same task;
    /// returns the replaced waker to drop after unlocking.
    ///
    /// # Safety
    ///
    /// The caller holds the wheel lock.
    #[must_use]
    pub(crate) unsafe fn set_waker(&self, waker: &Waker) -> Option<Waker> {
        // SAFETY: lock held (caller's contract; rule 2).
        self.waker.with_mut(|w| unsafe {
            match &*w {
                Some(old) if old.will_wake(waker) => None,
                _ => (*w).replace(waker.clone()),
            }
        })
    }

    /// # Safety
    ///
    /// The caller holds the wheel lock.
    pub(crate) unsafe fn when(&self) -> u64 {
        // SAFETY: lock held (caller's contract; rule 2).
        self.when.with(|w| unsafe { *w })
    }

    /// # Safety
    ///
    /// The caller holds the wheel lock.
    pub(crate) unsafe fn set_when(&self, when: u64) {
        // SAFETY: lock held (caller's contract; rule 2).
        self.when.with_mut(|w| unsafe { *w = when })
    }

    /// # Safety
    ///
    /// The caller holds the wheel lock.
    pub(crate) unsafe fn location(&self) -> Location {
        // SAFETY: lock held (caller's contract; rule 2).
        Location::decode(self.location.with(|l| unsafe { *l }))
    }

    /// # Safety
    ///
    /// The caller holds the wheel lock.
    pub(crate) unsafe fn set_location(&self, location: Location) {
        // SAFETY: lock held (caller's contract; rule 2).
        self.location
            .with_mut(|l| unsafe { *l = location.encode() })
    }

    /// Runs `f` on the list links.
    ///
    /// # Safety
    ///
    /// The caller holds the wheel lock.
    pub(crate) unsafe fn with_pointers<R>(&self, f: impl FnOnce(&mut Pointers) -> R) -> R {
        // SAFETY: lock held (caller's contract; rule 2), so this is the only
        // reference to the links for the duration of `f`.
        self.pointers.with_mut(|p| f(unsafe { &mut *p }))
    }
}

/// A one-shot timer: the driver-side half of a `Sleep`.
///
/// Registers itself in the timer wheel on the first
/// [`poll_elapsed`](Self::poll_elapsed), completes once the driver's clock
/// reaches the deadline, and unregisters when dropped. It is `!Unpin`: the
/// wheel links point into it, so it must be pinned before it is polled;
/// nothing is allocated besides the entry itself.
#[derive(Debug)]
pub struct TimerEntry {
    /// The wheel (one `Arc`: the only reference count a timer touches).
    time: crate::time::Handle,
    deadline: Instant,
    /// Identity of the waker stored in `shared` by the last poll that left
    /// the entry REGISTERED. Owner-only data: written by the owner's poll,
    /// read by the owner's poll.
    waker_id: WakerId,
    /// The tick the node was last linked at (owner-only copy of the
    /// lock-guarded `when`); valid while the state is REGISTERED. A reset
    /// to a deadline of the same tick leaves the wheel alone.
    registered_tick: u64,
    shared: TimerShared,
}

/// The identity `Waker::will_wake` compares (data and vtable pointers),
/// kept as integers: only compared, never dereferenced.
///
/// While the entry is REGISTERED, the waker it names is the one in the
/// node (only the owner stores wakers there, and it updates this each
/// time; `set_waker` keeps the old waker only when it `will_wake` the new
/// one, i.e. has the same identity). That stored waker is alive, so its
/// data pointer cannot be reused by another waker in the meantime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct WakerId(usize, usize);

impl WakerId {
    /// Matches no real waker (vtable pointers are never null).
    const NONE: WakerId = WakerId(0, 0);

    fn of(waker: &Waker) -> WakerId {
        WakerId(
            waker.data() as usize,
            std::ptr::from_ref(waker.vtable()) as usize,
        )
    }
}

impl TimerEntry {
    /// A timer for `deadline` on `handle`'s driver. Nothing is registered
    /// until the first poll.
    ///
    /// # Panics
    ///
    /// Panics if the driver was built without time.
    #[track_caller]
    #[inline]
    pub fn new(handle: &crate::Handle, deadline: Instant) -> TimerEntry {
        let time = handle
            .time()
            .expect("the driver was built without the timer (enable_time)");
        TimerEntry::on_wheel(time.clone(), deadline)
    }

    /// A timer for `deadline` on the wheel behind `time`. Nothing is
    /// registered until the first poll.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie_reactor::time::TimerEntry;
    /// use magpie_reactor::{Config, Driver};
    /// use std::time::{Duration, Instant};
    ///
    /// let config = Config { enable_time: true, ..Config::default() };
    /// let (_driver, handle) = Driver::new(config).unwrap();
    /// let time = handle.time().unwrap().clone();
    /// let entry = TimerEntry::on_wheel(time, Instant::now() + Duration::from_millis(5));
    /// assert!(!entry.is_elapsed());
    /// ```
    #[inline]
    pub fn on_wheel(time: crate::time::Handle, deadline: Instant) -> TimerEntry {
        TimerEntry {
            time,
            deadline,
            waker_id: WakerId::NONE,
            registered_tick: 0,
            shared: TimerShared::new(),
        }
    }

    /// The instant the timer completes at.
    #[inline]
    pub fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Whether the timer fired (and was not reset since).
    pub fn is_elapsed(&self) -> bool {
        matches!(self.shared.state(), State::Fired(_) | State::PendingFire(_))
    }

    fn time(&self) -> &crate::time::Handle {
        &self.time
    }

    /// Ready once the deadline has passed (`Ok`) or the driver shut down
    /// (`Err`); otherwise arranges for `cx`'s waker to be woken.
    pub fn poll_elapsed(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Result<(), Error>> {
        // SAFETY: only `waker_id` (plain data, not structurally pinned) is
        // written through this reference; `shared` is not moved.
        let this = unsafe { self.get_unchecked_mut() };
        let waker = cx.waker();
        let poll = match this.shared.state() {
            State::Fired(result) | State::PendingFire(result) => return Poll::Ready(result),
            // Still linked with a waker that wakes the same task: nothing to
            // update, and no lock to take. Sound because while the state is
            // REGISTERED only the owner writes the stored waker, and
            // `waker_id` names the one it stored last (see `WakerId`); if
            // the driver fires the entry right after the load above, it
            // wakes that waker, which is as good as `waker`.
            State::Registered if this.waker_id == WakerId::of(waker) => return Poll::Pending,
            // SAFETY: `this.shared` is pinned inside `this` and `Drop` cancels
            // it (the contract of `register`); we are its owner.
            State::Unregistered => unsafe {
                this.registered_tick = this.time.deadline_to_tick(this.deadline);
                this.time
                    .register(&this.shared, this.registered_tick, waker)
            },
            // SAFETY: we are the owner of this registered node.
            State::Registered => unsafe { this.time.update_waker(&this.shared, waker) },
            State::Cancelled => unreachable!("polled a cancelled timer"),
        };
        if poll.is_pending() {
            this.waker_id = WakerId::of(waker);
        }
        poll
    }

    /// Pulls the deadline of a timer that is not registered yet in to
    /// `now + after` (by the wheel's clock) if that is earlier; does
    /// nothing once it is registered or fired. For a deadline first set
    /// from [`Clock::now_ceil`](crate::time::Clock::now_ceil) plus `after`:
    /// refined just before the first registration, it is as exact as a
    /// precise read at creation would have been, and never earlier.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie_reactor::time::TimerEntry;
    /// use magpie_reactor::{Config, Driver};
    /// use std::time::Duration;
    ///
    /// let config = Config { enable_time: true, ..Config::default() };
    /// let (_driver, handle) = Driver::new(config).unwrap();
    /// let time = handle.time().unwrap().clone();
    /// let after = Duration::from_secs(1);
    /// let mut entry = Box::pin(TimerEntry::on_wheel(time.clone(), time.clock().now_ceil() + after));
    /// entry.as_mut().refine_deadline(after);
    /// assert!(entry.deadline() <= time.clock().now() + after);
    /// ```
    pub fn refine_deadline(self: Pin<&mut Self>, after: std::time::Duration) {
        // SAFETY: only `deadline` (plain data, not structurally pinned) is
        // written through this reference; `shared` is not moved.
        let this = unsafe { self.get_unchecked_mut() };
        if !matches!(this.shared.state(), State::Unregistered) {
            return;
        }
        if let Some(precise) = this.time.clock().now().checked_add(after)
            && precise < this.deadline
        {
            this.deadline = precise;
        }
    }

    /// Moves the deadline. A registered timer is moved in the wheel at once
    /// and keeps its waker; a fired one is registered again on the next poll.
    pub fn reset(self: Pin<&mut Self>, deadline: Instant) {
        // SAFETY: only `deadline` (plain data, not structurally pinned) is
        // written through this reference; `shared` is not moved.
        let this = unsafe { self.get_unchecked_mut() };
        this.deadline = deadline;
        loop {
            match this.shared.state() {
                State::Unregistered => return,
                State::Fired(_) => return this.shared.mark_unregistered(),
                State::PendingFire(_) => {
                    this.shared.wait_fired();
                }
                State::Registered => {
                    let when = this.time.deadline_to_tick(deadline);
                    if when == this.registered_tick {
                        // Same tick: the wheel would fire it at the same
                        // time, so there is nothing to move and no lock to
                        // take. If the driver is firing it right now, that
                        // is on time for the new deadline too.
                        return;
                    }
                    // SAFETY: we own this pinned node, registered by
                    // `register` under the same contract.
                    let moved = unsafe { this.time.reregister(&this.shared, when) };
                    if moved {
                        this.registered_tick = when;
                        return;
                    }
                    // The driver fired it meanwhile; loop to reset a fired one.
                }
                State::Cancelled => unreachable!("reset a cancelled timer"),
            }
        }
    }

    /// Test hook: the node, for identity checks.
    #[cfg(all(test, not(loom)))]
    pub(crate) fn shared_ptr(self: Pin<&Self>) -> NonNull<TimerShared> {
        NonNull::from(&self.get_ref().shared)
    }
}

impl Drop for TimerEntry {
    #[inline]
    fn drop(&mut self) {
        // Cancel: after this returns the driver holds no reference to the
        // node and will never call its waker (rules 4 and 5). Never
        // registered or already fired (the common cases): nothing to do.
        if !matches!(
            self.shared.state(),
            State::Unregistered | State::Fired(_) | State::Cancelled
        ) {
            self.cancel();
        }
    }
}

impl TimerEntry {
    #[cold]
    fn cancel(&mut self) {
        loop {
            match self.shared.state() {
                State::Unregistered | State::Fired(_) | State::Cancelled => return,
                State::PendingFire(_) => {
                    self.shared.wait_fired();
                }
                State::Registered => {
                    // SAFETY: we own the node (we are dropping it).
                    if unsafe { self.time().cancel(&self.shared) } {
                        return;
                    }
                }
            }
        }
    }
}
