//! How late do sleeping tasks wake? `cargo run --release -p magpie-benches --bin timer_lateness`
//!
//! Spawns 100 000 tasks, each sleeping a pseudo-random 1-20 ms, on magpie
//! and on tokio (2 workers, `enable_all`), alternating runtimes round by
//! round, and prints the total time and the p50/p99/max lateness (wake
//! time minus deadline) of each round and the median over rounds.

use magpie_benches::rt::{BenchRuntime, Flavor, Magpie, Tokio};
use std::time::{Duration, Instant};

const TASKS: usize = 100_000;
const ROUNDS: usize = 5;

fn round<R: BenchRuntime>(rt: &R) -> (Duration, u64, u64, u64) {
    let start = Instant::now();
    let mut late = rt.block_on(async { R::spawn(R::sleep_lateness(TASKS)).await.expect("task") });
    let total = start.elapsed();
    late.sort_unstable();
    let q = |p: f64| late[((late.len() - 1) as f64 * p) as usize];
    (total, q(0.5), q(0.99), *late.last().expect("empty"))
}

fn median(mut v: Vec<u64>) -> u64 {
    v.sort_unstable();
    v[v.len() / 2]
}

fn main() {
    let flavor = Flavor::MultiThread(2);
    let magpie = Magpie::new_with_io(flavor);
    let tokio = Tokio::new_with_io(flavor);
    // Warm-up: grow both runtimes' allocations once.
    round(&magpie);
    round(&tokio);
    let (mut m99, mut t99, mut mt, mut tt) = (vec![], vec![], vec![], vec![]);
    println!("{TASKS} tasks sleeping 1-20 ms, {flavor}; lateness in microseconds");
    println!("| round | runtime | total | p50 | p99 | max |");
    println!("|---|---|---:|---:|---:|---:|");
    for r in 0..ROUNDS {
        let run = |name: &str, res: (Duration, u64, u64, u64)| {
            println!(
                "| {r} | {name} | {:.1} ms | {} | {} | {} |",
                res.0.as_secs_f64() * 1e3,
                res.1,
                res.2,
                res.3
            );
            res
        };
        let (m, t) = if r % 2 == 0 {
            let m = run("magpie", round(&magpie));
            (m, run("tokio", round(&tokio)))
        } else {
            let t = run("tokio", round(&tokio));
            (run("magpie", round(&magpie)), t)
        };
        m99.push(m.2);
        t99.push(t.2);
        mt.push(m.0.as_micros() as u64);
        tt.push(t.0.as_micros() as u64);
    }
    println!(
        "median over {ROUNDS} rounds: magpie total {:.1} ms p99 {} us; tokio total {:.1} ms p99 {} us",
        median(mt) as f64 / 1e3,
        median(m99),
        median(tt) as f64 / 1e3,
        median(t99)
    );
}
