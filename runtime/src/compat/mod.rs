//! Adapters to other parts of the async ecosystem, each behind a feature.
//!
//! - `hyper`: the `hyper` module implements `hyper::rt`'s I/O, executor
//!   and timer traits on top of magpie, so hyper 1.x servers and clients
//!   run on a magpie runtime; magpie's stream sockets implement hyper's
//!   I/O traits themselves.
//! - `tokio-io`: `tokio::io::AsyncRead`/`AsyncWrite` for magpie's stream
//!   sockets and their halves, so libraries written against tokio's I/O
//!   traits (`tokio-util`'s codecs, `hyper-util`'s `TokioIo`, ...) accept
//!   magpie streams; see the `tokio_io` module.
//!
//! Turn them on in `Cargo.toml`, e.g.
//! `magpie = { path = "../magpie/runtime", features = ["hyper", "tokio-io"] }`:
//!
//! ```
//! # #[cfg(feature = "tokio-io")]
//! # fn main() {
//! // With `tokio-io`, a magpie stream is a `tokio::io::AsyncRead`.
//! fn takes_tokio_reader(_: impl tokio::io::AsyncRead) {}
//!
//! magpie::runtime::Runtime::new().unwrap().block_on(async {
//!     let (a, _b) = magpie::net::UnixStream::pair().unwrap();
//!     takes_tokio_reader(a);
//! });
//! # }
//! # #[cfg(not(feature = "tokio-io"))]
//! # fn main() {}
//! ```

#[cfg(feature = "hyper")]
#[cfg_attr(docsrs, doc(cfg(feature = "hyper")))]
pub mod hyper;

#[cfg(feature = "tokio-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "tokio-io")))]
pub mod tokio_io;

/// The tokio and hyper I/O impls of the stream sockets (used by `net`).
pub(crate) mod io_impls;
