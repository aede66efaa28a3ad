//! magpie: a work-stealing, multithreaded async runtime with tokio's API.
//!
//! An application puts `#[magpie::main]` on `async fn main` and gets many
//! cheap tasks on a few OS threads, I/O readiness from a mio reactor,
//! timers, a blocking pool, and tasks that can be cancelled, timed out and
//! joined. Paths, names and semantics follow tokio 1.x, so moving an
//! application over is a search-and-replace of `tokio::` by `magpie::`.
//!
//! ```
//! #[magpie::main]
//! async fn main() {
//!     let handles: Vec<_> = (0..10u64).map(|i| magpie::spawn(async move { i * i })).collect();
//!     let mut sum = 0;
//!     for h in handles {
//!         sum += h.await.unwrap();
//!     }
//!     assert_eq!(sum, 285);
//! }
//! ```
//!
//! # Implementation
//!
//! A task is one allocation (header, scheduler handle, future/output) with
//! one atomic state word (`task/state.rs`). The multi-thread scheduler
//! gives each worker a LIFO slot and a `crossbeam_deque` FIFO; remote
//! spawns go to a shared injector; idle workers steal half a sibling's
//! queue. One parked worker at a time blocks in the reactor
//! (`magpie-reactor`); the rest sleep on condvars. See `docs/architecture.md`.
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, missing_debug_implementations)]

mod loom;

pub(crate) mod blocking;
pub(crate) mod context;
pub(crate) mod coop;
pub mod io;
pub mod net;
pub mod runtime;
pub(crate) mod scheduler;
pub mod signal;
pub mod sync;
pub mod task;
pub mod time;
pub(crate) mod trace;

pub use task::spawn;

#[cfg(feature = "macros")]
pub use magpie_macros::{main, test};
