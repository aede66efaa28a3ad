//! A minimal HTTP/1.1 hello-world server on magpie or tokio, for `wrk`.
//!
//! ```text
//! cargo run --release -p magpie-benches --bin http_server -- \
//!     --runtime magpie|tokio [--workers N] [--addr 127.0.0.1:8080] [--exit-after N]
//!
//!   --runtime RT      magpie or tokio (required)
//!   --workers N       worker threads of the multi-thread runtime (default 2)
//!   --addr ADDR       listening address (default 127.0.0.1:8080; port 0
//!                     picks a free port)
//!   --exit-after N    exit once N responses have been sent (for counting
//!                     syscalls over a fixed number of requests)
//! ```
//!
//! Prints `listening on ADDR` once bound. Keep-alive, one task per
//! connection, a fixed 13-byte body; the server code is written once
//! against `BenchRuntime` (`src/http.rs`), so both runtimes run the same
//! code. See `scripts/http.sh` and `docs/benchmarks.md`.

use magpie_benches::http::{self, Served};
use magpie_benches::{BenchRuntime, Flavor, Magpie, Tokio};
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

struct Options {
    runtime: String,
    workers: usize,
    addr: SocketAddr,
    exit_after: Option<u64>,
}

fn parse() -> Result<Options, String> {
    let mut runtime = None;
    let mut workers = 2;
    let mut addr: SocketAddr = ([127, 0, 0, 1], 8080).into();
    let mut exit_after = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--runtime" => runtime = Some(value("--runtime")?),
            "--workers" => {
                workers = value("--workers")?
                    .parse()
                    .map_err(|e| format!("--workers: {e}"))?;
                if workers == 0 {
                    return Err("--workers must be > 0".into());
                }
            }
            "--addr" => {
                addr = value("--addr")?
                    .parse()
                    .map_err(|e| format!("--addr: {e}"))?
            }
            "--exit-after" => {
                exit_after = Some(
                    value("--exit-after")?
                        .parse()
                        .map_err(|e| format!("--exit-after: {e}"))?,
                )
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let runtime = runtime.ok_or("--runtime is required")?;
    if runtime != "magpie" && runtime != "tokio" {
        return Err(format!(
            "--runtime: expected magpie or tokio, got {runtime:?}"
        ));
    }
    Ok(Options {
        runtime,
        workers,
        addr,
        exit_after,
    })
}

fn run<R: BenchRuntime>(o: &Options) -> ExitCode {
    let rt = R::new_with_io(Flavor::MultiThread(o.workers));
    let served = Served::new(o.exit_after);
    let addr = o.addr;
    let workers = o.workers;
    let result = rt.block_on(async move {
        let listener = R::bind(addr).await?;
        let local = R::local_addr(&listener)?;
        println!("listening on {local} ({}, {workers} workers)", R::NAME);
        std::io::stdout().flush()?;
        // The accept loop runs as a task on a worker, like everything else.
        let _ = R::spawn(http::serve::<R>(listener, served)).await;
        Ok::<(), std::io::Error>(())
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("http_server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn main() -> ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("http_server: {e}");
            eprintln!(
                "usage: http_server --runtime magpie|tokio [--workers N] [--addr ADDR] \
                 [--exit-after N]"
            );
            return ExitCode::from(2);
        }
    };
    match o.runtime.as_str() {
        "magpie" => run::<Magpie>(&o),
        _ => run::<Tokio>(&o),
    }
}
