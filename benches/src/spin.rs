//! Calibrated CPU spinning for `uneven_cpu`.
//!
//! A task "of 50 us" runs a fixed number of loop iterations measured once
//! per process to take about 50 us here, so both runtimes get exactly the
//! same work (a time-based spin would hide a slow scheduler: preempted
//! time would count as work done).

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Instant;

static ITERS_PER_US: OnceLock<u64> = OnceLock::new();

fn work(iters: u64) -> u64 {
    let mut x = black_box(0x9E37_79B9_7F4A_7C15_u64);
    for _ in 0..iters {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x = black_box(x);
    }
    x
}

/// Loop iterations per microsecond on this machine (calibrated on first
/// call: best of several 2 ms runs, so a preempted run does not count).
pub fn iters_per_us() -> u64 {
    *ITERS_PER_US.get_or_init(|| {
        const PROBE: u64 = 200_000;
        let mut best = f64::INFINITY;
        for _ in 0..7 {
            let start = Instant::now();
            black_box(work(PROBE));
            best = best.min(start.elapsed().as_secs_f64());
        }
        ((PROBE as f64 / (best * 1e6)).round() as u64).max(1)
    })
}

/// Spins for about `us` microseconds of CPU work.
pub fn spin_us(us: u32) {
    black_box(work(u64::from(us) * iters_per_us()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calibration_is_positive_and_stable() {
        let a = iters_per_us();
        assert!(a >= 1);
        assert_eq!(iters_per_us(), a);
        spin_us(10);
    }
}
