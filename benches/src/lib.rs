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

/// Keeps freed memory inside glibc's allocator instead of handing it back
/// to the kernel between iterations, for both runtimes alike.
///
/// With glibc's defaults, a workload that frees a few megabytes at once
/// (100 000 boxed timers, say) makes `free` trim the arena with `madvise`,
/// and the next iteration faults the pages back in. Which runtime's arena
/// gets trimmed depends on what else sits above it in the heap, so the
/// cost lands on one side at random and can double a row's time. Fixing
/// the trim and mmap thresholds makes both sides reuse their memory, which
/// is also what a long-running server's steady state looks like. The
/// idle-memory measurement runs in a child process that does not call this.
pub fn steady_allocator() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` only changes allocator tuning parameters; it is
    // called before any runtime thread exists, and both values are valid
    // for these parameters (glibc clamps or rejects out-of-range ones).
    unsafe {
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
    }
}

pub use rt::{BenchRuntime, BenchStream, Flavor, Magpie, Tokio};
pub use workloads::Workload;
