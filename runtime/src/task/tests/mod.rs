//! loom models of the task state protocol.
//!
//! Run with
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 CARGO_TARGET_DIR=target/loom
//! cargo test --release -p magpie --no-default-features --lib loom_task`.
//!
//! Every model drives real tasks (`task::new_task`) through a tiny test
//! scheduler ([`Sched`]) that keeps queued `Notified`s in a `Mutex<Vec>` and
//! owned `Task`s in another, so the whole path state word → harness →
//! `Schedule` is exercised, not a copy of it. Common checks, in every model:
//!
//! * the future and the output are each dropped exactly once (drop
//!   counters), so no path polls/drops the stage twice or forgets it;
//! * the task allocation is freed: the future holds a loom `Arc`, so a
//!   task whose reference count never reaches zero is reported by loom as a
//!   leak at the end of the execution, and a double free trips loom's
//!   checks on the `Arc`/`UnsafeCell`s inside it;
//! * a task is never queued twice at once ([`Sched::schedule`] asserts it).

mod loom_task;
