//! The process-wide signal registry: one slot per signal number, one
//! self-pipe shared by every signal, and the per-signal broadcast that
//! listeners wait on.
//!
//! # Delivery protocol
//!
//! The OS handler (installed once per signal through `signal-hook-registry`,
//! never removed) runs no user code and takes no lock; it only does
//!
//! ```text
//! handler(sig):   pending[sig] := true        (1) record
//!                 write(pipe, 1 byte)         (2) wake: a full pipe is fine,
//!                                                 it is already readable
//! ```
//!
//! Every listener (`Signal`) owns a duplicate of the pipe's read end,
//! registered with its own runtime's reactor, so every runtime in the
//! process hears every write. Whoever sees the pipe readable drains it:
//!
//! ```text
//! drain:          read(pipe) until WouldBlock (3) consume the wake-ups
//!                 for each sig:
//!                   if swap(pending[sig], false):   (4) take
//!                     lock; generation[sig] += 1; wake all waiters
//! ```
//!
//! Per signal, the flag moves `clear --(1)--> set --(4)--> clear`. Because
//! (1) comes before (2) and (3) before (4), a set flag always has a byte in
//! the pipe after it, unless a drain that will take the flag has already
//! passed (3): if (4) misses a flag, its (2) has not happened yet, and that
//! byte makes the pipe readable again, so the next drain takes it. A
//! delivery is never stranded with a set flag and an empty pipe. Several
//! deliveries between two drains coalesce into one generation bump (as in
//! tokio). `loom_signal.rs` checks this with a handler thread and a drainer.
//!
//! A listener remembers the generation it has seen; `recv` completes when
//! the signal's generation moved past it. A new listener drains the pipe
//! before it reads the generation, so deliveries that arrived before it
//! existed go to the older listeners, not to it.

use crate::loom::sync::Mutex;
use crate::loom::sync::atomic::{AtomicBool, Ordering};
use slab::Slab;
use std::io::{self, Read};
use std::os::fd::AsRawFd;
use std::os::unix::net::UnixStream;
use std::sync::{Once, OnceLock};
use std::task::Waker;

/// Which signals have been delivered but not yet broadcast.
#[derive(Debug)]
pub(crate) struct Pending {
    flags: Box<[AtomicBool]>,
}

impl Pending {
    pub(crate) fn new(len: usize) -> Pending {
        Pending {
            flags: (0..len).map(|_| AtomicBool::new(false)).collect(),
        }
    }

    /// Handler side: (1) record `sig`, then (2) `wake` the drainers.
    /// Async-signal-safe as long as `wake` is.
    pub(crate) fn record(&self, sig: usize, wake: impl FnOnce()) {
        self.flags[sig].store(true, Ordering::Release);
        wake();
    }

    /// Drainer side: (3) `drain` the wake-ups, then (4) take every recorded
    /// signal and hand it to `deliver`.
    pub(crate) fn drain_then_take(&self, drain: impl FnOnce(), mut deliver: impl FnMut(usize)) {
        drain();
        for (sig, flag) in self.flags.iter().enumerate() {
            // Cheap check first: most signals are never pending.
            if flag.load(Ordering::Relaxed) && flag.swap(false, Ordering::AcqRel) {
                deliver(sig);
            }
        }
    }

    /// Whether `sig` is recorded and not yet taken.
    #[cfg(all(test, loom))]
    pub(crate) fn is_set(&self, sig: usize) -> bool {
        self.flags[sig].load(Ordering::Acquire)
    }
}

/// Listeners of one signal.
#[derive(Debug, Default)]
pub(crate) struct Broadcast {
    /// Bumped once per drain that found the signal pending.
    pub(crate) generation: u64,
    /// One entry per live listener: its waker while it waits.
    pub(crate) waiters: Slab<Option<Waker>>,
}

/// One signal number's slot.
#[derive(Debug)]
pub(crate) struct Slot {
    install: Once,
    installed: AtomicBool,
    pub(crate) state: Mutex<Broadcast>,
}

/// The process-wide registry.
#[derive(Debug)]
pub(crate) struct Globals {
    pending: Pending,
    slots: Box<[Slot]>,
    /// Written by the handlers (non-blocking).
    sender: UnixStream,
    /// Listeners register duplicates of this read end (non-blocking).
    receiver: UnixStream,
}

/// Number of slots: every signal number the platform has (0 unused).
fn signal_count() -> usize {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let max = libc::SIGRTMAX();
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let max = 33;
    max as usize + 1
}

pub(crate) fn globals() -> &'static Globals {
    static GLOBALS: OnceLock<Globals> = OnceLock::new();
    GLOBALS.get_or_init(|| {
        let (sender, receiver) = UnixStream::pair().expect("failed to create the signal pipe");
        sender
            .set_nonblocking(true)
            .expect("failed to set the signal pipe non-blocking");
        receiver
            .set_nonblocking(true)
            .expect("failed to set the signal pipe non-blocking");
        let len = signal_count();
        Globals {
            pending: Pending::new(len),
            slots: (0..len)
                .map(|_| Slot {
                    install: Once::new(),
                    installed: AtomicBool::new(false),
                    state: Mutex::new(Broadcast::default()),
                })
                .collect(),
            sender,
            receiver,
        }
    })
}

impl Globals {
    /// The slot of `signal`, installing its OS handler on first use.
    pub(crate) fn enable(&'static self, signal: libc::c_int) -> io::Result<&'static Slot> {
        if signal < 0 || signal_hook_registry::FORBIDDEN.contains(&signal) {
            return Err(io::Error::other(format!(
                "Refusing to register signal {signal}"
            )));
        }
        let Some(slot) = self.slots.get(signal as usize) else {
            return Err(io::Error::other("signal too large"));
        };
        let mut result = Ok(());
        slot.install.call_once(|| {
            let sig = signal as usize;
            let fd = self.sender.as_raw_fd();
            let action = move || {
                self.pending.record(sig, || {
                    // SAFETY: `fd` is open for the life of the process (the
                    // sender lives in a static) and the buffer is one valid
                    // byte. A full pipe (EAGAIN) is fine: it is readable
                    // already.
                    unsafe { libc::write(fd, [1u8].as_ptr().cast(), 1) };
                })
            };
            // SAFETY: `action` is async-signal-safe: it stores to an atomic
            // and calls write(2) on a non-blocking descriptor. It takes no
            // lock, allocates nothing and runs no user code.
            // signal-hook-registry saves and restores errno around it.
            let registered = unsafe { signal_hook_registry::register(signal, action) };
            match registered {
                Ok(_) => slot.installed.store(true, Ordering::Release),
                Err(e) => result = Err(e),
            }
        });
        result?;
        if slot.installed.load(Ordering::Acquire) {
            Ok(slot)
        } else {
            Err(io::Error::other("Failed to register signal handler"))
        }
    }

    /// A fresh duplicate of the pipe's read end, for one listener.
    pub(crate) fn receiver(&self) -> io::Result<UnixStream> {
        self.receiver.try_clone()
    }

    /// Empties the pipe (through `receiver`, any duplicate of the read end)
    /// and broadcasts every pending signal to its listeners.
    pub(crate) fn drain(&self, mut receiver: impl Read) {
        let mut wakers = Vec::new();
        self.pending.drain_then_take(
            || {
                let mut buf = [0u8; 128];
                loop {
                    match receiver.read(&mut buf) {
                        Ok(0) => break,
                        Ok(_) => continue,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        // WouldBlock: empty. Any other error cannot happen on
                        // a socket pair we own; the flags are checked anyway.
                        Err(_) => break,
                    }
                }
            },
            |sig| {
                let mut state = self.slots[sig].state.lock();
                state.generation = state.generation.wrapping_add(1);
                wakers.extend(state.waiters.iter_mut().filter_map(|(_, w)| w.take()));
            },
        );
        for waker in wakers {
            waker.wake();
        }
    }
}
