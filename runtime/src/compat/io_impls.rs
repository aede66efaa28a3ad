//! The foreign I/O trait impls of magpie's stream sockets and their
//! halves, expanded by the `net` macros next to the `futures-io` impls.
//!
//! [`compat_io_impls!`] is invoked unconditionally by
//! `net::io_impls::stream_io_impls!` and `net::halves`; it expands to
//! tokio's traits with the `tokio-io` feature, hyper's with `hyper`, and
//! to nothing without either.

#[cfg(any(feature = "tokio-io", feature = "hyper"))]
use std::{io, mem::MaybeUninit, os::fd::AsRawFd};

/// `recv(2)` into possibly uninitialised memory; returns the number of
/// bytes received, which are then initialised. Writes nothing else to
/// `buf`: the tokio and hyper read buffers rely on that (no byte they know
/// as initialised is de-initialised).
#[cfg(any(feature = "tokio-io", feature = "hyper"))]
pub(crate) fn recv_uninit(fd: &impl AsRawFd, buf: &mut [MaybeUninit<u8>]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the whole
    // call; `recv` writes at most that many (initialised) bytes and never
    // reads from it.
    let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// `read` arm: tokio's `AsyncRead` and hyper's `Read` for `$ty`; the
/// expression after `|s|` gives the stream from `s: &$ty`, and the stream
/// provides `poll_read_uninit_priv`. `write` arm: tokio's `AsyncWrite` and
/// hyper's `Write`, forwarding to `$ty`'s own `futures_io::AsyncWrite`.
macro_rules! compat_io_impls {
    (read, $ty:ty, |$s:ident| $stream:expr) => {
        #[cfg(feature = "tokio-io")]
        $crate::compat::tokio_io::tokio_io_impls!(read, $ty, |$s| $stream);
        #[cfg(feature = "hyper")]
        $crate::compat::hyper::hyper_io_impls!(read, $ty, |$s| $stream);
    };
    (write, $ty:ty) => {
        #[cfg(feature = "tokio-io")]
        $crate::compat::tokio_io::tokio_io_impls!(write, $ty);
        #[cfg(feature = "hyper")]
        $crate::compat::hyper::hyper_io_impls!(write, $ty);
    };
}

pub(crate) use compat_io_impls;

/// `impl $trait for $ty`, forwarding every method to `$ty`'s own
/// `futures_io::AsyncWrite` impl: tokio's `AsyncWrite` and hyper's `Write`
/// have the same five methods (`poll_shutdown` is futures-io's
/// `poll_close`: it shuts down the write direction).
#[cfg(any(feature = "tokio-io", feature = "hyper"))]
macro_rules! forward_write {
    ($trait:path, $ty:ty) => {
        impl $trait for $ty {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                ::futures_io::AsyncWrite::poll_write(self, cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                ::futures_io::AsyncWrite::poll_write_vectored(self, cx, bufs)
            }

            fn is_write_vectored(&self) -> bool {
                true
            }

            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::futures_io::AsyncWrite::poll_flush(self, cx)
            }

            /// Shuts down the write direction.
            fn poll_shutdown(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::futures_io::AsyncWrite::poll_close(self, cx)
            }
        }
    };
}

#[cfg(any(feature = "tokio-io", feature = "hyper"))]
pub(crate) use forward_write;
