//! Paired comparison of magpie and tokio.
//!
//! ```text
//! cargo run --release -p magpie-benches --bin compare [-- OPTIONS] [FILTER]
//!
//!   FILTER            only rows whose `workload/flavor` contains FILTER
//!   --quick           3 pairs, 10 ms samples (CI smoke run)
//!   --pairs N         measured pairs per row (default 15)
//!   --workers N       worker threads of the multi-thread runtimes (default 2)
//!   --no-rss          skip the idle-task memory measurement
//!   --run RT ROW      run only RT (magpie|tokio) on ROW (e.g.
//!                     spawn_many_local/mt2), for perf/callgrind
//!   --iters N         with --run: iterations (default 100)
//! ```
//!
//! One runtime of each kind is built once. For each row, both sides warm
//! up, then each *pair* times one sample of magpie and one of tokio (the
//! order alternates pair by pair) of the same iteration count. Reported:
//! the median time per iteration of each side, the median of the per-pair
//! ratios magpie/tokio (< 1: magpie faster) and their interquartile range.
//! Pairing makes the ratio robust to the machine's load drifting during
//! the run; the IQR says how much to trust it.

use magpie_benches::rss::{self, IdleRss};
use magpie_benches::stats::Summary;
use magpie_benches::{BenchRuntime, Flavor, Magpie, Tokio, Workload};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

const IDLE_TASKS: usize = 200_000;

struct Options {
    pairs: usize,
    workers: usize,
    warmup: usize,
    sample: Duration,
    filter: Option<String>,
    rss: bool,
    run: Option<(String, String)>,
    iters: usize,
    rss_child: Option<String>,
}

fn usage() -> ExitCode {
    eprintln!(
        "usage: compare [--quick] [--pairs N] [--workers N] [--no-rss] [FILTER]\n       \
         compare --run magpie|tokio WORKLOAD/FLAVOR [--iters N]"
    );
    ExitCode::from(2)
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        pairs: 15,
        workers: 2,
        warmup: 3,
        sample: Duration::from_millis(50),
        filter: None,
        rss: true,
        run: None,
        iters: 100,
        rss_child: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--quick" => {
                o.pairs = 3;
                o.warmup = 1;
                o.sample = Duration::from_millis(10);
            }
            "--pairs" => {
                o.pairs = value("--pairs")?
                    .parse()
                    .map_err(|e| format!("--pairs: {e}"))?;
                if o.pairs == 0 {
                    return Err("--pairs must be > 0".into());
                }
            }
            "--workers" => {
                o.workers = value("--workers")?
                    .parse()
                    .map_err(|e| format!("--workers: {e}"))?;
                if o.workers == 0 {
                    return Err("--workers must be > 0".into());
                }
            }
            "--no-rss" => o.rss = false,
            "--run" => o.run = Some((value("--run")?, value("--run")?)),
            "--iters" => {
                o.iters = value("--iters")?
                    .parse()
                    .map_err(|e| format!("--iters: {e}"))?
            }
            "--rss-child" => o.rss_child = Some(value("--rss-child")?),
            // cargo bench passes this to every target; ignore it.
            "--bench" => {}
            f if !f.starts_with('-') && o.filter.is_none() => o.filter = Some(f.to_string()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(o)
}

fn time_iters<R: BenchRuntime>(rt: &R, w: Workload, iters: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..iters {
        w.run(rt);
    }
    start.elapsed() / iters as u32
}

struct Row {
    name: String,
    magpie: Summary,
    tokio: Summary,
    ratio: Summary,
}

fn compare_row<M: BenchRuntime, T: BenchRuntime>(m: &M, t: &T, w: Workload, o: &Options) -> Row {
    // Warm-up, which also sizes the samples: the same iteration count for
    // both sides, enough for the slower one to fill `o.sample`.
    let mut slowest = Duration::ZERO;
    for _ in 0..o.warmup {
        slowest = slowest.max(time_iters(m, w, 1)).max(time_iters(t, w, 1));
    }
    let iters =
        (o.sample.as_secs_f64() / slowest.as_secs_f64().max(1e-9)).clamp(1.0, 10_000.0) as usize;
    let (mut ms, mut ts, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for pair in 0..o.pairs {
        let (mt, tt) = if pair % 2 == 0 {
            let mt = time_iters(m, w, iters);
            (mt, time_iters(t, w, iters))
        } else {
            let tt = time_iters(t, w, iters);
            (time_iters(m, w, iters), tt)
        };
        ms.push(mt.as_secs_f64());
        ts.push(tt.as_secs_f64());
        ratios.push(mt.as_secs_f64() / tt.as_secs_f64());
    }
    Row {
        name: format!("{}/{}", w.name(), m.flavor()),
        magpie: Summary::of(&ms),
        tokio: Summary::of(&ts),
        ratio: Summary::of(&ratios),
    }
}

fn fmt_time(secs: f64) -> String {
    if secs >= 1e-1 {
        format!("{:.3} s", secs)
    } else if secs >= 1e-3 {
        format!("{:.3} ms", secs * 1e3)
    } else {
        format!("{:.1} us", secs * 1e6)
    }
}

fn run_compare(o: &Options) {
    let calib = magpie_benches::spin::iters_per_us();
    let flavors = [Flavor::MultiThread(o.workers), Flavor::CurrentThread];
    let built: Vec<(Flavor, Magpie, Tokio)> = flavors
        .iter()
        .map(|&f| (f, Magpie::new(f), Tokio::new(f)))
        .collect();
    // Runtimes with the I/O and time drivers, for the networking rows.
    let built_io: Vec<(Magpie, Tokio)> = flavors
        .iter()
        .map(|&f| (Magpie::new_with_io(f), Tokio::new_with_io(f)))
        .collect();
    println!(
        "magpie vs tokio: {} pairs per row, samples of ~{} ms, spin calibration {calib} iters/us",
        o.pairs,
        o.sample.as_millis()
    );
    println!();
    println!(
        "| {:<24} | {:>12} | {:>12} | {:>7} | {:>15} | {:>12} |",
        "workload/flavor", "magpie", "tokio", "ratio", "ratio p25-p75", "magpie/op"
    );
    println!(
        "|{:-<26}|{:->14}|{:->14}|{:->9}|{:->17}|{:->14}|",
        "", "", "", "", "", ""
    );
    let started = Instant::now();
    for w in Workload::ALL {
        for ((flavor, m, t), (m_io, t_io)) in built.iter().zip(&built_io) {
            let (m, t) = if w.needs_io() { (m_io, t_io) } else { (m, t) };
            let name = format!("{}/{}", w.name(), flavor);
            if !w.supports(*flavor)
                || o.filter
                    .as_ref()
                    .is_some_and(|f| !name.contains(f.as_str()))
            {
                continue;
            }
            let r = compare_row(m, t, w, o);
            println!(
                "| {:<24} | {:>12} | {:>12} | {:>7.3} | {:>15} | {:>12} |",
                r.name,
                fmt_time(r.magpie.median),
                fmt_time(r.tokio.median),
                r.ratio.median,
                format!("{:.3}-{:.3}", r.ratio.p25, r.ratio.p75),
                format!(
                    "{} ns",
                    (r.magpie.median * 1e9 / w.ops_per_iter() as f64).round()
                ),
            );
        }
    }
    println!();
    println!(
        "ratio = magpie time / tokio time per pair (< 1: magpie faster); \
         magpie/op = per spawn+join, yield, spawn, round trip, task, message, lock or acquire"
    );
    println!("measured in {:.1} s", started.elapsed().as_secs_f64());
}

fn rss_child(name: &str) -> ExitCode {
    let flavor = Flavor::MultiThread(2);
    let r = match name {
        "magpie" => rss::idle_tasks::<Magpie>(flavor, IDLE_TASKS),
        "tokio" => rss::idle_tasks::<Tokio>(flavor, IDLE_TASKS),
        _ => return usage(),
    };
    match r {
        Some(r) => {
            println!("{} {} {}", r.tasks, r.before, r.after);
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("cannot read /proc/self/status");
            ExitCode::FAILURE
        }
    }
}

fn measure_rss_in_child(name: &str) -> Result<IdleRss, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .args(["--rss-child", name])
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let v: Vec<u64> = text
        .split_whitespace()
        .filter_map(|s| s.parse().ok())
        .collect();
    match v[..] {
        [tasks, before, after] => Ok(IdleRss {
            tasks: tasks as usize,
            before,
            after,
        }),
        _ => Err(format!("unexpected child output {text:?}")),
    }
}

fn run_rss() {
    println!();
    println!(
        "idle tasks: {IDLE_TASKS} tasks polled once, waiting forever (mt2, fresh process each)"
    );
    println!();
    println!("| runtime | RSS before | RSS after | bytes/task |");
    println!("|---------|-----------:|----------:|-----------:|");
    for name in ["magpie", "tokio"] {
        match measure_rss_in_child(name) {
            Ok(r) => println!(
                "| {name:<7} | {:>7.1} MiB | {:>6.1} MiB | {:>10.0} |",
                r.before as f64 / 1048576.0,
                r.after as f64 / 1048576.0,
                r.bytes_per_task()
            ),
            Err(e) => println!("| {name:<7} | failed: {} |", e.trim()),
        }
    }
}

/// `--run`: `rows` is `workload/flavor` or several workloads separated by
/// commas on one flavor (`a,b,c/mt2`), run in that order on one runtime, so
/// that state left behind by one workload shows up in the next.
fn run_one(rt_name: &str, rows: &str, iters: usize) -> ExitCode {
    let Some((ws, f)) = rows.rsplit_once('/') else {
        return usage();
    };
    let Some(flavor) = Flavor::parse(f) else {
        return usage();
    };
    let Some(ws) = ws
        .split(',')
        .map(Workload::from_name)
        .collect::<Option<Vec<_>>>()
    else {
        return usage();
    };
    magpie_benches::spin::iters_per_us();
    fn go<R: BenchRuntime>(flavor: Flavor, ws: &[Workload], iters: usize) {
        let rt = if ws.iter().any(|w| w.needs_io()) {
            R::new_with_io(flavor)
        } else {
            R::new(flavor)
        };
        for &w in ws {
            let per_iter = time_iters(&rt, w, iters);
            println!(
                "{} {}/{flavor}: {iters} iterations, {} per iteration",
                R::NAME,
                w.name(),
                fmt_time(per_iter.as_secs_f64())
            );
        }
    }
    match rt_name {
        "magpie" => go::<Magpie>(flavor, &ws, iters),
        "tokio" => go::<Tokio>(flavor, &ws, iters),
        _ => return usage(),
    }
    ExitCode::SUCCESS
}

fn main() -> ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("compare: {e}");
            return usage();
        }
    };
    if let Some(name) = &o.rss_child {
        return rss_child(name);
    }
    magpie_benches::steady_allocator();
    if let Some((rt, row)) = &o.run {
        return run_one(rt, row, o.iters);
    }
    run_compare(&o);
    if o.rss && o.filter.is_none() {
        run_rss();
    }
    ExitCode::SUCCESS
}
