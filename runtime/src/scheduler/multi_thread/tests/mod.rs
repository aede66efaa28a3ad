//! loom models of the multi-thread scheduler's protocols.
//!
//! * `loom_runtime.rs`: whole runtimes (`Builder::new_multi_thread()
//!   .worker_threads(2)`, no I/O, no timers) built, used and dropped inside
//!   `loom::model`: the worker threads are loom threads (started by the
//!   blocking pool through the shim), so every park, wake, steal and the
//!   shutdown handshake run under the model checker.
//! * `loom_park.rs`: the worker parker (`park.rs`, on the driver or on a
//!   condvar) driven directly by two model threads.
//! * `loom_queue.rs`: a steal racing with the owner's pop. Under loom the
//!   deque is `queue.rs`'s `Mutex<VecDeque>` model, so this checks our
//!   facade (steal-half, hand back one), not crossbeam's internals.

mod loom_park;
mod loom_queue;
mod loom_runtime;
