//! One level of the wheel: 64 slots, each `64^level` ticks wide, and a
//! bitmap of the occupied ones.

use super::list::List;
use super::{LEVEL_MULT, SLOT_BITS};

#[derive(Debug)]
pub(crate) struct Level {
    level: usize,
    /// Bit `i` set iff `slots[i]` is non-empty.
    occupied: u64,
    slots: [List; LEVEL_MULT],
}

/// The next slot of a level to process and the tick at which it starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Expiration {
    pub(crate) level: usize,
    pub(crate) slot: usize,
    pub(crate) deadline: u64,
}

/// Ticks covered by one slot of `level`.
pub(crate) fn slot_range(level: usize) -> u64 {
    1 << (SLOT_BITS * level)
}

/// Ticks covered by the whole of `level`.
pub(crate) fn level_range(level: usize) -> u64 {
    1 << (SLOT_BITS * (level + 1))
}

impl Level {
    pub(crate) fn new(level: usize) -> Level {
        Level {
            level,
            occupied: 0,
            slots: std::array::from_fn(|_| List::default()),
        }
    }

    /// The slot `when` falls in at this level.
    pub(crate) fn slot_for(&self, when: u64) -> usize {
        ((when >> (SLOT_BITS * self.level)) % LEVEL_MULT as u64) as usize
    }

    /// The first occupied slot at or after `now`'s, and its start tick.
    ///
    /// Occupied slots normally lie strictly after `now`'s slot (wheel
    /// invariant); only the top level may hold a slot that wrapped around
    /// (deadline more than one lap away), which then starts one lap later.
    pub(crate) fn next_expiration(&self, now: u64) -> Option<Expiration> {
        if self.occupied == 0 {
            return None;
        }
        let now_slot = self.slot_for(now);
        let distance = self.occupied.rotate_right(now_slot as u32).trailing_zeros() as usize;
        let slot = (now_slot + distance) % LEVEL_MULT;
        let level_start = now & !(level_range(self.level) - 1);
        let mut deadline = level_start + slot as u64 * slot_range(self.level);
        if deadline <= now {
            deadline += level_range(self.level);
        }
        Some(Expiration {
            level: self.level,
            slot,
            deadline,
        })
    }

    pub(crate) fn slot_mut(&mut self, slot: usize) -> &mut List {
        &mut self.slots[slot]
    }

    pub(crate) fn mark_occupied(&mut self, slot: usize) {
        self.occupied |= 1 << slot;
    }

    /// Clears `slot`'s bit if it became empty.
    pub(crate) fn update_occupied(&mut self, slot: usize) {
        if self.slots[slot].is_empty() {
            self.occupied &= !(1 << slot);
        }
    }

    /// Takes the whole list of `slot`.
    pub(crate) fn take_slot(&mut self, slot: usize) -> List {
        self.occupied &= !(1 << slot);
        self.slots[slot].take()
    }
}
