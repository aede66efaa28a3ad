//! tokio's I/O traits for magpie's streams.
//!
//! With the `tokio-io` feature, [`tokio::io::AsyncRead`] and
//! [`tokio::io::AsyncWrite`] are implemented, next to the `futures-io`
//! traits, for
//!
//! - [`TcpStream`](crate::net::TcpStream) and
//!   [`UnixStream`](crate::net::UnixStream);
//! - their borrowed halves ([`tcp::ReadHalf`](crate::net::tcp::ReadHalf),
//!   [`tcp::WriteHalf`](crate::net::tcp::WriteHalf) and the `unix` ones,
//!   from `split`) and owned halves
//!   ([`tcp::OwnedReadHalf`](crate::net::tcp::OwnedReadHalf),
//!   [`tcp::OwnedWriteHalf`](crate::net::tcp::OwnedWriteHalf) and the
//!   `unix` ones, from `into_split`).
//!
//! So code written against tokio's traits accepts magpie streams:
//! `tokio_util::codec::Framed`, `tokio::io::copy`, `hyper_util::rt::TokioIo`,
//! `tokio-rustls`, ... None of it needs tokio's runtime: tokio is used
//! without any feature, for the trait definitions only.
//!
//! Reads go straight into the unfilled, possibly uninitialised, part of
//! tokio's [`tokio::io::ReadBuf`] (`recv(2)` only writes to it),
//! so nothing is zeroed. `poll_shutdown` shuts down the write direction,
//! like `poll_close` of the `futures-io` impl; `poll_flush` does nothing
//! (writes go straight to the kernel); vectored writes are `writev(2)`.
//!
//! The types of [`magpie::io`](crate::io) itself (e.g. the halves of
//! [`magpie::io::split`](crate::io::split)) are `futures-util` types, which
//! magpie cannot implement tokio's traits for; wrap them with
//! `tokio_util::compat` if needed.
//!
//! # Importing the extension traits
//!
//! A magpie stream now implements two sets of I/O traits, so the method
//! call `stream.read(&mut buf)` is ambiguous (error E0034) when *both*
//! magpie's [`AsyncReadExt`](crate::io::AsyncReadExt) and tokio's
//! `AsyncReadExt` are in scope; likewise for `write_all` and the other
//! `AsyncWriteExt` methods. Import only one set per module (an anonymous
//! `use ... as _` import counts too), normally magpie's, and reach tokio's
//! traits through the libraries that need them. Where one module needs
//! both, call the other set by path, without importing it:
//!
//! ```
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::UnixStream;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let (mut a, mut b) = UnixStream::pair()?;
//! a.write_all(b"magpie").await?; // magpie's AsyncWriteExt
//! tokio::io::AsyncWriteExt::write_all(&mut a, b" tokio").await?; // tokio's, by path
//! drop(a);
//! let mut s = String::new();
//! b.read_to_string(&mut s).await?;
//! assert_eq!(s, "magpie tokio");
//! # Ok(()) }
//! ```
//!
//! With both imported, the call does not compile:
//!
//! ```compile_fail,E0034
//! use magpie::io::AsyncWriteExt;
//! use tokio::io::AsyncWriteExt as _;
//!
//! # async fn dox(mut stream: magpie::net::TcpStream) -> std::io::Result<()> {
//! stream.write_all(b"which one?").await?;
//! # Ok(()) }
//! ```
//!
//! # Examples
//!
//! `tokio::io::copy` between magpie sockets:
//!
//! ```
//! use magpie::net::UnixStream;
//! use tokio::io::{AsyncReadExt, AsyncWriteExt};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let (mut src_tx, mut src_rx) = UnixStream::pair()?;
//! let (mut dst_tx, mut dst_rx) = UnixStream::pair()?;
//! src_tx.write_all(b"hello").await?;
//! src_tx.shutdown().await?;
//! let copied = tokio::io::copy(&mut src_rx, &mut dst_tx).await?;
//! assert_eq!(copied, 5);
//! drop(dst_tx);
//! let mut out = Vec::new();
//! dst_rx.read_to_end(&mut out).await?;
//! assert_eq!(out, b"hello");
//! # Ok(()) }
//! ```

use std::io;
use std::mem::MaybeUninit;
use std::task::{Poll, ready};
use tokio::io::ReadBuf;

/// Reads into the unfilled part of `buf` with `read`, which gets that part
/// as uninitialised memory and returns how many bytes it wrote.
///
/// # Safety
///
/// - `read` writes only initialised bytes into the slice it gets (it never
///   de-initialises a byte), and
/// - when it returns `Ok(n)`, it has written the first `n` bytes of that
///   slice.
pub(crate) unsafe fn poll_read_uninit(
    buf: &mut ReadBuf<'_>,
    read: impl FnOnce(&mut [MaybeUninit<u8>]) -> Poll<io::Result<usize>>,
) -> Poll<io::Result<()>> {
    // SAFETY: `unfilled_mut` requires that no initialised byte becomes
    // uninitialised through the slice: `read` only writes initialised
    // bytes (this function's first safety bullet).
    let dst = unsafe { buf.unfilled_mut() };
    let len = dst.len();
    let n = ready!(read(dst))?;
    assert!(n <= len, "read {n} bytes into a buffer of {len}");
    // SAFETY: the first `n` unfilled bytes were written by `read` (second
    // bullet), and `n` is within the unfilled part (checked above).
    unsafe { buf.assume_init(n) };
    buf.advance(n);
    Poll::Ready(Ok(()))
}

/// tokio's `AsyncRead` (`read` arm) or `AsyncWrite` (`write` arm) for a
/// stream socket or one of its halves. `read` needs an expression giving
/// the stream (`|s| s.0` binds `s` to `&Self`); the stream provides
/// `poll_read_uninit_priv`. `write` forwards to the type's own
/// `futures_io::AsyncWrite` impl, so both traits behave the same.
macro_rules! tokio_io_impls {
    (read, $ty:ty, |$s:ident| $stream:expr) => {
        impl ::tokio::io::AsyncRead for $ty {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut ::tokio::io::ReadBuf<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let $s = &*self;
                // SAFETY: `poll_read_uninit_priv` only `recv`s into the
                // slice (initialised bytes) and returns how many it wrote.
                unsafe {
                    $crate::compat::tokio_io::poll_read_uninit(buf, |dst| {
                        $stream.poll_read_uninit_priv(cx, dst)
                    })
                }
            }
        }
    };
    (write, $ty:ty) => {
        $crate::compat::io_impls::forward_write!(::tokio::io::AsyncWrite, $ty);
    };
}

pub(crate) use tokio_io_impls;
