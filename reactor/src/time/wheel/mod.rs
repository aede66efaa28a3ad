//! The hierarchical timing wheel (Varghese & Lauck, "Hashed and
//! Hierarchical Timing Wheels", SOSP 1987, scheme 7).
//!
//! Time is counted in ticks of 1 ms since the driver started. The wheel has
//! [`NUM_LEVELS`] levels of [`LEVEL_MULT`] slots; a slot of level `l` spans
//! `64^l` ticks:
//!
//! | level | slot width | level span   |
//! |-------|------------|--------------|
//! | 0     | 1 ms       | 64 ms        |
//! | 1     | 64 ms      | ~4 s         |
//! | 2     | ~4 s       | ~4.5 min     |
//! | 3     | ~4.5 min   | ~4.7 h       |
//! | 4     | ~4.7 h     | ~12.4 days   |
//! | 5     | ~12.4 days | ~2.2 years   |
//!
//! An entry due at tick `when` goes to the level of the highest 6-bit digit
//! in which `when` and `elapsed` (the wheel's current tick) differ, in the
//! slot given by `when`'s digit at that level. Invariant: every occupied slot
//! of a level lies *after* `elapsed`'s slot at that level, and all higher
//! digits agree, so the lowest non-empty level holds the earliest slot, and
//! finding it is one rotate + trailing-zeros per level. When `elapsed` reaches
//! a slot's start, the slot is processed: entries due by then move to the
//! pending list; the rest *cascade* down to a lower level. Deadlines more
//! than one top-level lap away go to the top level and cascade back into it
//! each lap until they are in range. Insert and remove are O(1); each entry
//! cascades at most `NUM_LEVELS - 1` times (plus once per extra lap).

mod level;
mod list;

pub(crate) use level::Expiration;
use level::Level;
use list::List;

use crate::time::entry::{Location, TimerShared};
use std::ptr::NonNull;

/// log2 of the slots per level.
const SLOT_BITS: usize = 6;
/// Slots per level: one `u64` bitmap.
pub(crate) const LEVEL_MULT: usize = 1 << SLOT_BITS;
/// Levels: 64^6 ms is about 2.2 years.
pub(crate) const NUM_LEVELS: usize = 6;

#[derive(Debug)]
pub(crate) struct Wheel {
    /// Current tick: everything due at or before it has been moved to
    /// `pending`.
    elapsed: u64,
    levels: [Level; NUM_LEVELS],
    /// Due entries, in deadline order, waiting for the driver to fire them.
    pending: List,
}

/// The level for an entry due at `when`, seen from `elapsed < when`.
pub(crate) fn level_for(elapsed: u64, when: u64) -> usize {
    // `| (LEVEL_MULT - 1)` makes a difference within the first digit map to
    // level 0 rather than to a negative level.
    let masked = (elapsed ^ when) | (LEVEL_MULT as u64 - 1);
    let significant = 63 - masked.leading_zeros() as usize;
    (significant / SLOT_BITS).min(NUM_LEVELS - 1)
}

impl Wheel {
    pub(crate) fn new() -> Wheel {
        Wheel {
            elapsed: 0,
            levels: std::array::from_fn(Level::new),
            pending: List::default(),
        }
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn elapsed(&self) -> u64 {
        self.elapsed
    }

    /// Links `node` (due at its `when`) into its slot, or returns `Err` if
    /// it is already due (the caller fires it itself).
    ///
    /// # Safety
    ///
    /// The wheel lock is held; `node` is valid and in no list, and stays
    /// valid until removed (entry.rs rule 4).
    pub(crate) unsafe fn insert(&mut self, node: NonNull<TimerShared>) -> Result<(), ()> {
        // SAFETY: lock held, node valid (contract).
        let when = unsafe { node.as_ref().when() };
        if when <= self.elapsed {
            return Err(());
        }
        let level = level_for(self.elapsed, when);
        let slot = self.levels[level].slot_for(when);
        // SAFETY: as above; the node is in no list.
        unsafe {
            self.levels[level].slot_mut(slot).push_back(node);
            node.as_ref().set_location(Location::Slot {
                level: level as u8,
                slot: slot as u8,
            });
        }
        self.levels[level].mark_occupied(slot);
        Ok(())
    }

    /// Unlinks `node` from wherever it is.
    ///
    /// # Safety
    ///
    /// The wheel lock is held and `node` is linked in this wheel.
    pub(crate) unsafe fn remove(&mut self, node: NonNull<TimerShared>) {
        // SAFETY: lock held; node is a member of the list its location names.
        unsafe {
            match node.as_ref().location() {
                Location::Slot { level, slot } => {
                    let level = &mut self.levels[level as usize];
                    level.slot_mut(slot as usize).remove(node);
                    level.update_occupied(slot as usize);
                }
                Location::Pending => self.pending.remove(node),
                Location::Nowhere => unreachable!("removing an unlinked timer"),
            }
            node.as_ref().set_location(Location::Nowhere);
        }
    }

    /// The earliest slot to process, if any.
    pub(crate) fn next_expiration(&self) -> Option<Expiration> {
        self.levels
            .iter()
            .find_map(|level| level.next_expiration(self.elapsed))
    }

    /// The tick at which the driver next has something to do: now if
    /// entries are pending, else the start of the earliest occupied slot.
    pub(crate) fn next_expiration_time(&self) -> Option<u64> {
        if !self.pending.is_empty() {
            return Some(self.elapsed);
        }
        self.next_expiration().map(|e| e.deadline)
    }

    /// Advances to tick `now`, moving everything due by then to the pending
    /// list in deadline order and cascading the rest.
    ///
    /// # Safety
    ///
    /// The wheel lock is held.
    pub(crate) unsafe fn poll(&mut self, now: u64) {
        while let Some(expiration) = self.next_expiration() {
            if expiration.deadline > now {
                break;
            }
            // SAFETY: lock held (contract).
            unsafe { self.process(expiration) };
        }
        self.elapsed = self.elapsed.max(now);
    }

    /// # Safety
    ///
    /// The wheel lock is held.
    unsafe fn process(&mut self, expiration: Expiration) {
        debug_assert!(expiration.deadline >= self.elapsed);
        self.elapsed = expiration.deadline;
        let mut slot = self.levels[expiration.level].take_slot(expiration.slot);
        // SAFETY: lock held; the taken nodes are valid (they were linked,
        // rule 4) and each is popped before being relinked.
        unsafe {
            while let Some(node) = slot.pop_front() {
                node.as_ref().set_location(Location::Nowhere);
                if self.insert(node).is_err() {
                    self.pending.push_back(node);
                    node.as_ref().set_location(Location::Pending);
                }
            }
        }
    }

    /// Moves every linked entry to the pending list (driver shutdown).
    ///
    /// # Safety
    ///
    /// The wheel lock is held.
    pub(crate) unsafe fn drain_all(&mut self) {
        for level in 0..NUM_LEVELS {
            for slot in 0..LEVEL_MULT {
                let mut list = self.levels[level].take_slot(slot);
                // SAFETY: lock held; nodes were linked, hence valid.
                unsafe {
                    while let Some(node) = list.pop_front() {
                        self.pending.push_back(node);
                        node.as_ref().set_location(Location::Pending);
                    }
                }
            }
        }
    }

    /// Unlinks the first pending entry.
    ///
    /// # Safety
    ///
    /// The wheel lock is held.
    pub(crate) unsafe fn pop_pending(&mut self) -> Option<NonNull<TimerShared>> {
        // SAFETY: lock held (contract).
        let node = unsafe { self.pending.pop_front()? };
        // SAFETY: it was a member, hence valid; lock held.
        unsafe { node.as_ref().set_location(Location::Nowhere) };
        Some(node)
    }

    /// Which level/slot `node` is in (tests).
    ///
    /// # Safety
    ///
    /// The wheel lock is held and `node` is valid.
    #[cfg(all(test, not(loom)))]
    pub(crate) unsafe fn location_of(&self, node: NonNull<TimerShared>) -> Location {
        // SAFETY: contract.
        unsafe { node.as_ref().location() }
    }
}
