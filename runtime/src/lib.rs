//! magpie: a work-stealing, multithreaded async runtime with tokio's API.
//!
//! An application puts `#[magpie::main]` on `async fn main` and gets many
//! cheap tasks on a few OS threads, I/O readiness from a mio reactor,
//! timers, a blocking pool, and tasks that can be cancelled, timed out and
//! joined. Paths, names and semantics follow tokio 1.x, so moving an
//! application over is a search-and-replace of `tokio::` by `magpie::`.
//!
//! ```
//! #[magpie::main]
//! async fn main() {
//!     let handles: Vec<_> = (0..10u64).map(|i| magpie::spawn(async move { i * i })).collect();
//!     let mut sum = 0;
//!     for h in handles {
//!         sum += h.await.unwrap();
//!     }
//!     assert_eq!(sum, 285);
//! }
//! ```
//!
//! # Quick start
//!
//! magpie is not published on crates.io; depend on it by path (or by git
//! URL) from your `Cargo.toml`:
//!
//! ```toml
//! [dependencies]
//! magpie = { path = "../magpie/runtime" }
//! ```
//!
//! A TCP echo server: each connection is served by its own task.
//!
//! ```no_run
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::TcpListener;
//!
//! #[magpie::main]
//! async fn main() -> std::io::Result<()> {
//!     let listener = TcpListener::bind("127.0.0.1:8080").await?;
//!     loop {
//!         let (mut socket, _) = listener.accept().await?;
//!         magpie::spawn(async move {
//!             let mut buf = [0u8; 1024];
//!             loop {
//!                 let n = match socket.read(&mut buf).await {
//!                     Ok(0) | Err(_) => return, // closed, or an error
//!                     Ok(n) => n,
//!                 };
//!                 if socket.write_all(&buf[..n]).await.is_err() {
//!                     return;
//!                 }
//!             }
//!         });
//!     }
//! }
//! ```
//!
//! The guide (`docs/guide.md` in the repository) walks through servers,
//! cancellation, blocking code, shutdown and testing;
//! `docs/migrating-from-tokio.md` lists what changes when moving from tokio.
//!
//! # Modules
//!
//! | module | what it holds | tokio's |
//! |---|---|---|
//! | [`task`] | [`spawn`], [`JoinHandle`](task::JoinHandle), [`JoinSet`](task::JoinSet), [`spawn_blocking`](task::spawn_blocking), [`block_in_place`](task::block_in_place), [`yield_now`](task::yield_now), abort handles | `tokio::task` |
//! | [`runtime`] | [`Builder`](runtime::Builder), [`Runtime`](runtime::Runtime), [`Handle`](runtime::Handle), metrics, scoped tasks ([`Handle::scope`](runtime::Handle::scope)) | `tokio::runtime` |
//! | [`time`] | [`sleep`](time::sleep), [`timeout`](time::timeout), [`interval`](time::interval), [`Instant`](time::Instant), paused time for tests | `tokio::time` |
//! | [`net`] | TCP, UDP and Unix sockets, [`lookup_host`](net::lookup_host) | `tokio::net` |
//! | [`io`] | the `futures-io` traits, the [`AsyncReadExt`](io::AsyncReadExt)/[`AsyncWriteExt`](io::AsyncWriteExt) extension traits, [`copy`](io::copy), [`split`](io::split), buffered readers and writers | `tokio::io` |
//! | [`sync`] | [`oneshot`](sync::oneshot), [`mpsc`](sync::mpsc), [`broadcast`](sync::broadcast), [`watch`](sync::watch), [`Mutex`](sync::Mutex), [`RwLock`](sync::RwLock), [`Semaphore`](sync::Semaphore), [`Notify`](sync::Notify), [`Barrier`](sync::Barrier) | `tokio::sync` |
//! | [`signal`] | [`ctrl_c`](signal::ctrl_c), Unix signals | `tokio::signal` |
//!
//! At the root: [`spawn`], and the attribute macros [`main`] and [`test`].
//!
//! # Feature flags
//!
//! | feature | default | what it adds |
//! |---|---|---|
//! | `macros` | yes | `#[magpie::main]` and `#[magpie::test]` |
//! | `hyper` | no | `magpie::compat::hyper`'s `Io`, `Executor` and `Timer`: wrappers that let hyper 1.x run on magpie (an I/O adapter for hyper's `rt::Read`/`rt::Write`, an executor for hyper's connection tasks, a timer) |
//! | `tokio-io` | no | magpie's `TcpStream`/`UnixStream` and their halves also implement `tokio::io::AsyncRead`/`AsyncWrite`, for libraries written against tokio's I/O traits (`magpie::compat::tokio_io`) |
//! | `tracing` | no | `tracing` spans for task spawn and poll, and events when a worker parks or steals |
//!
//! # Differences from tokio
//!
//! The task, time, sync, net, runtime and signal APIs are tokio's. The
//! main difference is I/O: magpie's streams implement the
//! [`futures-io`](https://docs.rs/futures-io) traits
//! [`AsyncRead`](io::AsyncRead)/[`AsyncWrite`](io::AsyncWrite) (shared by
//! most of the non-tokio ecosystem) instead of tokio's own traits with
//! `ReadBuf`. Importing [`magpie::io::AsyncReadExt`](io::AsyncReadExt) and
//! [`magpie::io::AsyncWriteExt`](io::AsyncWriteExt) gives the tokio-shaped
//! `read`, `read_exact`, `read_to_end`, `write_all`, `flush`, `shutdown`,
//! `read_u32`, ... so code using them reads as with tokio.
//!
//! ```
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::UnixStream;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let (mut a, mut b) = UnixStream::pair()?;
//! a.write_all(b"ping").await?;
//! let mut buf = [0u8; 4];
//! b.read_exact(&mut buf).await?;
//! assert_eq!(&buf, b"ping");
//! # Ok(())
//! # }
//! ```
//!
//! Not offered (yet): `LocalSet`/`spawn_local`, `tokio::fs`,
//! `tokio::process`, `tokio::io::{stdin, stdout, stderr}`, and `select!`/
//! `join!` (use the `futures` crate's, which work on any runtime).
//! magpie also has something tokio lacks: scoped tasks that borrow from the
//! caller's stack ([`Handle::scope`](runtime::Handle::scope)).
//!
//! # Implementation
//!
//! A task is one allocation (header, scheduler handle, future/output) with
//! one atomic state word (`task/state.rs`). The multi-thread scheduler
//! gives each worker a LIFO slot and a `crossbeam_deque` FIFO; remote
//! spawns go to a shared injector; idle workers steal half a sibling's
//! queue. One parked worker at a time blocks in the reactor
//! (`magpie-reactor`); the rest sleep on condvars. See `docs/architecture.md`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(unsafe_op_in_unsafe_fn)]
#![warn(missing_docs, missing_debug_implementations)]

mod loom;

pub(crate) mod blocking;
pub mod compat;
pub(crate) mod context;
pub(crate) mod coop;
pub mod io;
pub mod net;
pub mod runtime;
pub(crate) mod scheduler;
pub mod signal;
pub mod sync;
pub mod task;
pub mod time;
pub(crate) mod trace;

pub use task::spawn;

#[cfg(feature = "macros")]
pub use magpie_macros::{main, test};

/// The Rust blocks of `docs/guide.md` and `docs/migrating-from-tokio.md`,
/// compiled and run as doc tests so that the guides stay correct.
#[cfg(doctest)]
mod guides {
    #[doc = include_str!("../../docs/guide.md")]
    struct Guide;

    #[doc = include_str!("../../docs/migrating-from-tokio.md")]
    struct MigratingFromTokio;
}
