//! Side-by-side benchmarks of magpie and tokio.
//!
//! Every workload ([`Workload`]) is written once against [`BenchRuntime`],
//! which both [`Magpie`] and [`Tokio`] implement, and runs on both
//! runtimes with the same flavor and worker count in the same process.
//!
//! * `cargo bench -p magpie-benches`: criterion, one group per workload
//!   and flavor, functions `magpie` and `tokio`.
//! * `cargo run --release -p magpie-benches --bin compare`: alternates the
//!   two runtimes pair by pair and prints median times and the median of
//!   the per-pair time ratios (see `docs/benchmarks.md`).

pub mod http;
pub mod rss;
pub mod rt;
pub mod spin;
pub mod stats;
pub mod sync;
pub mod workloads;

pub use rt::{BenchRuntime, BenchStream, Flavor, Magpie, Tokio};
pub use workloads::Workload;
