//! Tests of the sync primitives: unit tests on a tiny test executor
//! (`support.rs`), and loom models (`--cfg loom`).
//!
//! Run: `cargo test -p magpie --lib sync`, and the models with
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 CARGO_TARGET_DIR=target/loom
//! cargo test --release -p magpie --lib loom` (`LOOM_LOG=info` prints the
//! number of interleavings explored; `LOOM_CHECKPOINT_FILE` and
//! `LOOM_CHECKPOINT_INTERVAL` resume a long run).
//!
//! The per-primitive files (`oneshot`, `notify`, `semaphore`, `mutex`,
//! `rwlock`, `mpsc`, `barrier`, `watch`, `broadcast`, `auto_traits`) name
//! the API only as `crate::sync::...` and the executor only as
//! `super::support`, so they also run unchanged against tokio (replace
//! `crate::sync` by `tokio::sync`): that is how their expectations were
//! checked. `coop`, `alloc` and `robustness` test magpie-specific
//! behaviour.

#[cfg(not(loom))]
mod support;

#[cfg(not(loom))]
mod alloc;
#[cfg(not(loom))]
mod auto_traits;
#[cfg(not(loom))]
mod barrier;
#[cfg(not(loom))]
mod broadcast;
#[cfg(not(loom))]
mod coop;
#[cfg(not(loom))]
mod mpsc;
#[cfg(not(loom))]
mod mutex;
#[cfg(not(loom))]
mod notify;
#[cfg(not(loom))]
mod oneshot;
#[cfg(not(loom))]
mod robustness;
#[cfg(not(loom))]
mod rwlock;
#[cfg(not(loom))]
mod semaphore;
#[cfg(not(loom))]
mod watch;

#[cfg(loom)]
mod loom_broadcast;
#[cfg(loom)]
mod loom_mpsc;
#[cfg(loom)]
mod loom_notify;
#[cfg(loom)]
mod loom_once_cell;
#[cfg(loom)]
mod loom_oneshot;
#[cfg(loom)]
mod loom_semaphore;
