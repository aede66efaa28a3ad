//! The table of live registrations: a slab whose mio tokens carry a
//! generation, so that an event still queued for a freed slot is not
//! delivered to the registration that reuses it.
//!
//! Token layout: `index | generation << INDEX_BITS`. The generation counts
//! allocations and wraps before reaching all ones, so no token equals the
//! driver's wake-up token `usize::MAX`.

use crate::io::scheduled_io::ScheduledIo;
use crate::loom::sync::Arc;
use std::task::Waker;

/// Slab indices fit in 24 bits (16M registrations at once).
const INDEX_BITS: u32 = 24;
const INDEX_MAX: usize = (1 << INDEX_BITS) - 1;
/// One below all-ones so that no token equals the wake-up token.
const GENERATION_MAX: usize = (usize::MAX >> INDEX_BITS) - 1;

#[derive(Debug)]
struct Entry {
    generation: usize,
    io: Arc<ScheduledIo>,
}

/// All registrations of one driver, plus whether it was shut down.
#[derive(Debug, Default)]
pub(crate) struct RegistrationSet {
    slab: slab::Slab<Entry>,
    next_generation: usize,
    is_shutdown: bool,
}

/// Returned by [`RegistrationSet::allocate`] after shutdown.
#[derive(Debug)]
pub(crate) struct ShutDown;

impl RegistrationSet {
    /// Adds a registration; returns its token.
    pub(crate) fn allocate(&mut self, io: Arc<ScheduledIo>) -> Result<mio::Token, ShutDown> {
        if self.is_shutdown {
            return Err(ShutDown);
        }
        let generation = self.next_generation;
        self.next_generation = if generation == GENERATION_MAX {
            0
        } else {
            generation + 1
        };
        let index = self.slab.insert(Entry { generation, io });
        assert!(index <= INDEX_MAX, "too many I/O registrations");
        Ok(mio::Token(index | (generation << INDEX_BITS)))
    }

    /// The registration `token` names, unless it was freed (or its slot
    /// now belongs to a newer registration).
    pub(crate) fn get(&self, token: mio::Token) -> Option<&ScheduledIo> {
        let index = token.0 & INDEX_MAX;
        let generation = token.0 >> INDEX_BITS;
        match self.slab.get(index) {
            Some(entry) if entry.generation == generation => Some(&entry.io),
            _ => None,
        }
    }

    /// Frees `token`'s slot (no-op if already freed by shutdown).
    pub(crate) fn remove(&mut self, token: mio::Token) {
        if self.get(token).is_some() {
            self.slab.remove(token.0 & INDEX_MAX);
        }
    }

    /// Marks the set shut down, empties it and collects every waker.
    pub(crate) fn shutdown(&mut self, wake: &mut Vec<Waker>) {
        self.is_shutdown = true;
        for entry in self.slab.drain() {
            entry.io.shutdown(wake);
        }
    }

    pub(crate) fn is_shutdown(&self) -> bool {
        self.is_shutdown
    }

    #[cfg(all(test, not(loom)))]
    pub(crate) fn len(&self) -> usize {
        self.slab.len()
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    #[test]
    fn reused_slot_rejects_stale_token() {
        let mut set = RegistrationSet::default();
        let a = set.allocate(Arc::new(ScheduledIo::new())).unwrap();
        set.remove(a);
        let b = set.allocate(Arc::new(ScheduledIo::new())).unwrap();
        assert_eq!(a.0 & INDEX_MAX, b.0 & INDEX_MAX);
        assert!(set.get(a).is_none());
        assert!(set.get(b).is_some());
        set.remove(a);
        assert_eq!(set.len(), 1);
        let mut wake = Vec::new();
        set.shutdown(&mut wake);
        assert!(set.is_shutdown() && set.len() == 0);
        assert!(set.allocate(Arc::new(ScheduledIo::new())).is_err());
    }
}
