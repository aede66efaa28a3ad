//! A hyper 1.x hello-world HTTP/1.1 server on magpie or tokio, for `wrk`.
//!
//! ```text
//! cargo run --release -p magpie-benches --bin hyper_server -- \
//!     --runtime magpie|tokio [--io direct|compat|tokio-io] [--workers N] [--addr ADDR]
//!
//!   --runtime RT   magpie or tokio (required)
//!   --io IO        magpie only: how hyper reaches the socket;
//!                  direct   = the TcpStream's own hyper::rt impls (default)
//!                  compat   = magpie::compat::hyper::Io (generic adapter
//!                             over futures-io, zeroes the read buffer)
//!                  tokio-io = hyper_util::rt::TokioIo over magpie's
//!                             tokio-io trait impls
//!   --workers N    worker threads of the multi-thread runtime (default 2)
//!   --addr ADDR    listening address (default 127.0.0.1:3000)
//! ```
//!
//! Prints `listening on ADDR` once bound. Both runtimes run the same
//! server: `hyper::server::conn::http1::Builder` with keep-alive and the
//! runtime's timer (so hyper's default 30 s header-read timeout is armed
//! for every request head), `service_fn` answering `Hello, World!`, one task
//! per connection spawned through the runtime's hyper `Executor`,
//! `TCP_NODELAY` set. On tokio: `hyper_util::rt::{TokioIo, TokioExecutor,
//! TokioTimer}`; on magpie: `magpie::compat::hyper::{Executor, Timer}` and
//! the I/O chosen by `--io`.
//! See `scripts/hyper.sh` and `docs/benchmarks.md`.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::rt::Executor as _;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use std::convert::Infallible;
use std::io::Write;
use std::net::SocketAddr;
use std::process::ExitCode;

struct Options {
    runtime: String,
    io: String,
    workers: usize,
    addr: SocketAddr,
}

fn parse() -> Result<Options, String> {
    let mut o = Options {
        runtime: String::new(),
        io: "direct".into(),
        workers: 2,
        addr: ([127, 0, 0, 1], 3000).into(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match a.as_str() {
            "--runtime" => o.runtime = value("--runtime")?,
            "--io" => o.io = value("--io")?,
            "--workers" => {
                o.workers = value("--workers")?
                    .parse()
                    .map_err(|e| format!("--workers: {e}"))?;
                if o.workers == 0 {
                    return Err("--workers must be > 0".into());
                }
            }
            "--addr" => {
                o.addr = value("--addr")?
                    .parse()
                    .map_err(|e| format!("--addr: {e}"))?
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    match (o.runtime.as_str(), o.io.as_str()) {
        ("magpie", "direct" | "compat" | "tokio-io") => Ok(o),
        // tokio's own TcpStream through hyper-util's TokioIo.
        ("tokio", "direct" | "tokio-io") => Ok(o),
        ("magpie" | "tokio", io) => Err(format!("--io {io:?} is not available on {}", o.runtime)),
        (rt, _) => Err(format!("--runtime: expected magpie or tokio, got {rt:?}")),
    }
}

async fn hello(_: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(Response::new(Full::new(Bytes::from_static(
        b"Hello, World!",
    ))))
}

fn announce(addr: SocketAddr, what: &str) -> std::io::Result<()> {
    println!("listening on {addr} ({what})");
    std::io::stdout().flush()
}

/// The accept loop, written once: `$krate` is `magpie` or `tokio`,
/// `$wrap` turns an accepted stream into hyper's I/O, `$exec` and
/// `$timer` are the runtime's hyper executor and timer.
macro_rules! serve {
    ($krate:ident, $o:expr, $what:expr, $wrap:expr, $exec:expr, $timer:expr) => {{
        let o: &Options = $o;
        let rt = $krate::runtime::Builder::new_multi_thread()
            .worker_threads(o.workers)
            .enable_all()
            .build()?;
        rt.block_on(async {
            let listener = $krate::net::TcpListener::bind(o.addr).await?;
            announce(listener.local_addr()?, $what)?;
            // The accept loop runs as a task on a worker, like the connections.
            $krate::spawn(async move {
                let exec = $exec;
                loop {
                    let stream = match listener.accept().await {
                        Ok((stream, _)) => stream,
                        Err(e) => {
                            eprintln!("accept: {e}");
                            continue;
                        }
                    };
                    let _ = stream.set_nodelay(true);
                    exec.execute(async move {
                        let _ = http1::Builder::new()
                            .timer($timer)
                            .keep_alive(true)
                            .serve_connection($wrap(stream), service_fn(hello))
                            .await;
                    });
                }
            })
            .await
            .map_err(std::io::Error::other)
        })
    }};
}

fn run(o: &Options) -> std::io::Result<()> {
    use hyper_util::rt as hu;
    use magpie::compat::hyper as mh;
    let what = format!("{}, io {}, {} workers", o.runtime, o.io, o.workers);
    match (o.runtime.as_str(), o.io.as_str()) {
        ("magpie", "direct") => serve!(
            magpie,
            o,
            &what,
            |s| s,
            mh::Executor::new(),
            mh::Timer::new()
        ),
        ("magpie", "compat") => serve!(
            magpie,
            o,
            &what,
            |s| mh::Io::new(s).with_write_vectored(true),
            mh::Executor::new(),
            mh::Timer::new()
        ),
        ("magpie", _) => serve!(
            magpie,
            o,
            &what,
            hu::TokioIo::new,
            mh::Executor::new(),
            mh::Timer::new()
        ),
        _ => serve!(
            tokio,
            o,
            &what,
            hu::TokioIo::new,
            hu::TokioExecutor::new(),
            hu::TokioTimer::new()
        ),
    }
}

fn main() -> ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("hyper_server: {e}");
            eprintln!(
                "usage: hyper_server --runtime magpie|tokio [--io direct|compat|tokio-io] \
                 [--workers N] [--addr ADDR]"
            );
            return ExitCode::from(2);
        }
    };
    match run(&o) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hyper_server: {e}");
            ExitCode::FAILURE
        }
    }
}
