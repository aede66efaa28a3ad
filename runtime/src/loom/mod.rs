//! The one place that names the concurrency primitives.
//!
//! Everything in this crate takes atomics, `Arc`, `UnsafeCell`, mutexes,
//! condvars, threads and thread-locals from here. Under `--cfg loom` they
//! come from [loom](https://docs.rs/loom), so one `RUSTFLAGS="--cfg loom"`
//! puts every protocol of the crate (and of `magpie-reactor`, which has the
//! same switch) under the model checker. Otherwise they come from std and
//! parking_lot, wrapped to take loom's API shape:
//!
//! * `UnsafeCell::with` / `with_mut` instead of `get`;
//! * `Mutex::lock()` returns the guard directly (no poisoning);
//! * `Condvar::wait(guard) -> guard`.
//!
//! `clippy.toml` forbids naming `std::sync` / `parking_lot` types anywhere
//! else; this module alone allows it.

#[cfg(not(loom))]
mod std_impl;
#[cfg(not(loom))]
pub(crate) use std_impl::*;

#[cfg(loom)]
mod mocked;
#[cfg(loom)]
pub(crate) use mocked::*;
