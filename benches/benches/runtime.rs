//! Criterion: every workload on magpie and tokio side by side.
//!
//! One group per `workload/flavor` with the functions `magpie` and `tokio`;
//! short measurement (2 s, 20 samples) so the whole run takes minutes. For
//! ratios that cancel machine noise, prefer the `compare` binary.

use criterion::{BenchmarkGroup, Criterion, SamplingMode, measurement::WallTime};
use magpie_benches::{BenchRuntime, Flavor, Magpie, Tokio, Workload};
use std::time::Duration;

fn bench_one<R: BenchRuntime>(group: &mut BenchmarkGroup<'_, WallTime>, rt: &R, w: Workload) {
    group.bench_function(R::NAME, |b| b.iter(|| w.run(rt)));
}

fn runtimes(c: &mut Criterion) {
    magpie_benches::spin::iters_per_us();
    let flavors = [Flavor::MultiThread(2), Flavor::CurrentThread];
    // One runtime of each kind for the whole run, like an application.
    let built: Vec<(Flavor, Magpie, Tokio)> = flavors
        .iter()
        .map(|&f| (f, Magpie::new(f), Tokio::new(f)))
        .collect();
    // With I/O and time drivers, for the networking workloads.
    let built_io: Vec<(Magpie, Tokio)> = flavors
        .iter()
        .map(|&f| (Magpie::new_with_io(f), Tokio::new_with_io(f)))
        .collect();
    for w in Workload::ALL {
        for ((flavor, magpie, tokio), (magpie_io, tokio_io)) in built.iter().zip(&built_io) {
            let (magpie, tokio) = if w.needs_io() {
                (magpie_io, tokio_io)
            } else {
                (magpie, tokio)
            };
            if !w.supports(*flavor) {
                continue;
            }
            let mut group = c.benchmark_group(format!("{}/{}", w.name(), flavor));
            group
                .sampling_mode(SamplingMode::Flat)
                .sample_size(20)
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(2));
            bench_one(&mut group, magpie, w);
            bench_one(&mut group, tokio, w);
            group.finish();
        }
    }
}

fn main() {
    magpie_benches::steady_allocator();
    let mut c = Criterion::default().configure_from_args();
    runtimes(&mut c);
    c.final_summary();
}
