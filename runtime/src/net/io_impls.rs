//! Methods and trait impls that every socket type built on a
//! [`PollEvented`](crate::io::PollEvented) field named `io` spells the
//! same way, written once as macros.
//!
//! The `*_methods!` macros expand to associated items and are invoked
//! inside the type's own `impl` block, so the rendered docs keep their
//! order and wording; the others expand to whole `impl` blocks.

/// `readable`, `writable` and the two readiness polls. The poll names are
/// parameters: streams say `poll_read_ready`/`poll_write_ready`, datagram
/// sockets `poll_recv_ready`/`poll_send_ready`. Expects a `ready` method.
macro_rules! readiness_methods {
    ($poll_read_ready:ident, $poll_write_ready:ident) => {
        /// Waits for the socket to become readable.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with a UnixStream pair; every socket type has this method.
        /// let (a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"x").await?;
        /// a.readable().await?;
        /// let mut buf = [0u8; 1];
        /// assert_eq!(a.try_read(&mut buf)?, 1);
        /// # Ok(())
        /// # }
        /// ```
        pub async fn readable(&self) -> ::std::io::Result<()> {
            self.ready($crate::io::Interest::READABLE).await.map(|_| ())
        }

        /// Waits for the socket to become writable.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with a UnixStream pair; every socket type has this method.
        /// let (a, _b) = UnixStream::pair()?;
        /// a.writable().await?;
        /// assert_eq!(a.try_write(b"hello")?, 5);
        /// # Ok(())
        /// # }
        /// ```
        pub async fn writable(&self) -> ::std::io::Result<()> {
            self.ready($crate::io::Interest::WRITABLE).await.map(|_| ())
        }

        /// Polls for read readiness.
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use std::future::poll_fn;\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "# macro_rules! socket_with_data {\n",
            "#     (poll_read_ready) => {{\n",
            "#         let (a, b) = magpie::net::UnixStream::pair()?;\n",
            "#         b.writable().await?;\n",
            "#         b.try_write(b\"x\")?;\n",
            "#         (a, b)\n",
            "#     }};\n",
            "#     (poll_recv_ready) => {{\n",
            "#         let (a, b) = magpie::net::UnixDatagram::pair()?;\n",
            "#         b.send(b\"x\").await?;\n",
            "#         (a, b)\n",
            "#     }};\n",
            "# }\n",
            "# let (socket, _peer) = socket_with_data!(", stringify!($poll_read_ready), ");\n",
            "poll_fn(|cx| socket.", stringify!($poll_read_ready), "(cx)).await?;\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        pub fn $poll_read_ready(
            &self,
            cx: &mut ::std::task::Context<'_>,
        ) -> ::std::task::Poll<::std::io::Result<()>> {
            self.io
                .poll_ready(cx, $crate::io::Interest::READABLE)
                .map_ok(|_| ())
        }

        /// Polls for write readiness.
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use std::future::poll_fn;\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "# macro_rules! socket_with_data {\n",
            "#     (poll_read_ready) => {{\n",
            "#         let (a, b) = magpie::net::UnixStream::pair()?;\n",
            "#         b.writable().await?;\n",
            "#         b.try_write(b\"x\")?;\n",
            "#         (a, b)\n",
            "#     }};\n",
            "#     (poll_recv_ready) => {{\n",
            "#         let (a, b) = magpie::net::UnixDatagram::pair()?;\n",
            "#         b.send(b\"x\").await?;\n",
            "#         (a, b)\n",
            "#     }};\n",
            "# }\n",
            "# let (socket, _peer) = socket_with_data!(", stringify!($poll_read_ready), ");\n",
            "poll_fn(|cx| socket.", stringify!($poll_write_ready), "(cx)).await?;\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        pub fn $poll_write_ready(
            &self,
            cx: &mut ::std::task::Context<'_>,
        ) -> ::std::task::Poll<::std::io::Result<()>> {
            self.io
                .poll_ready(cx, $crate::io::Interest::WRITABLE)
                .map_ok(|_| ())
        }
    };
}

/// `try_io` and `async_io`: run a caller's I/O operation under the
/// socket's readiness tracking.
macro_rules! user_io_methods {
    () => {
        /// Runs a user I/O operation if the socket is ready for `interest`,
        /// clearing the readiness if it returns `WouldBlock`.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::io::Interest;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with a UnixStream pair; every socket type has this method.
        /// let (a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"hi").await?;
        /// a.readable().await?;
        /// let mut buf = [0u8; 2];
        /// // Any non-blocking operation on the socket (here its own try_read).
        /// let n = a.try_io(Interest::READABLE, || a.try_read(&mut buf))?;
        /// assert_eq!(&buf[..n], b"hi");
        /// # Ok(())
        /// # }
        /// ```
        pub fn try_io<R>(
            &self,
            interest: $crate::io::Interest,
            f: impl FnOnce() -> ::std::io::Result<R>,
        ) -> ::std::io::Result<R> {
            self.io.try_io(interest, f)
        }

        /// Waits for `interest` and runs `f` until it does not return
        /// `WouldBlock`.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::io::Interest;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with a UnixStream pair; every socket type has this method.
        /// let (a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"hi").await?;
        /// let mut buf = [0u8; 2];
        /// let n = a.async_io(Interest::READABLE, || a.try_read(&mut buf)).await?;
        /// assert_eq!(&buf[..n], b"hi");
        /// # Ok(())
        /// # }
        /// ```
        pub async fn async_io<R>(
            &self,
            interest: $crate::io::Interest,
            mut f: impl FnMut() -> ::std::io::Result<R>,
        ) -> ::std::io::Result<R> {
            self.io.async_io(interest, &mut f).await
        }
    };
}

/// The crate-private poll/shutdown entry points of a connected stream
/// (shared with its split halves) and its `AsyncRead`/`AsyncWrite` impls
/// (futures-io here, tokio's and hyper's from `compat::io_impls`).
/// Expects a `read_hinted(&self, &mut [u8]) -> io::Result<(usize, bool)>`
/// method: one `recv` and whether the receive queue is now empty.
/// `close()` shuts down the write direction.
macro_rules! stream_io_impls {
    ($stream:ident) => {
        impl $stream {
            pub(crate) fn shutdown_std(&self, how: ::std::net::Shutdown) -> ::std::io::Result<()> {
                self.io.shutdown(how)
            }

            pub(crate) fn poll_read_priv(
                &self,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_read_drained(cx, || self.read_hinted(buf))
            }

            /// Reads into possibly uninitialised memory (see
            /// `compat::io_impls::recv_uninit`).
            #[cfg(any(feature = "tokio-io", feature = "hyper"))]
            pub(crate) fn poll_read_uninit_priv(
                &self,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [::std::mem::MaybeUninit<u8>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                let len = buf.len();
                // A short read drained the receive queue (the rule of
                // `poll_read_drained`); the kernel hint is not asked here.
                self.io.poll_read_drained(cx, || {
                    $crate::compat::io_impls::recv_uninit(&*self.io, buf)
                        .map(|n| (n, n > 0 && n < len))
                })
            }

            pub(crate) fn poll_read_vectored_priv(
                &self,
                cx: &mut ::std::task::Context<'_>,
                bufs: &mut [::std::io::IoSliceMut<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io
                    .poll_read_io(cx, || ::std::io::Read::read_vectored(&mut &*self.io, bufs))
            }

            pub(crate) fn poll_write_priv(
                &self,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_write_buf(cx, buf.len(), || {
                    ::std::io::Write::write(&mut &*self.io, buf)
                })
            }

            pub(crate) fn poll_write_vectored_priv(
                &self,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.io.poll_write_io(cx, || {
                    ::std::io::Write::write_vectored(&mut &*self.io, bufs)
                })
            }
        }

        impl ::futures_io::AsyncRead for $stream {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.poll_read_priv(cx, buf)
            }

            fn poll_read_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &mut [::std::io::IoSliceMut<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.poll_read_vectored_priv(cx, bufs)
            }
        }

        impl ::futures_io::AsyncWrite for $stream {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.poll_write_priv(cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.poll_write_vectored_priv(cx, bufs)
            }

            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                // Writes go straight to the kernel.
                ::std::task::Poll::Ready(Ok(()))
            }

            /// Shuts down the write direction (`shutdown(Write)`).
            fn poll_close(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(self.shutdown_std(::std::net::Shutdown::Write))
            }
        }

        $crate::compat::io_impls::compat_io_impls!(read, $stream, |s| s);
        $crate::compat::io_impls::compat_io_impls!(write, $stream);
    };
}

/// `AsRawFd` and `AsFd` for a type whose `io` field owns the descriptor.
macro_rules! fd_impls {
    ($ty:ident) => {
        impl ::std::os::fd::AsRawFd for $ty {
            fn as_raw_fd(&self) -> ::std::os::fd::RawFd {
                ::std::os::fd::AsRawFd::as_raw_fd(&*self.io)
            }
        }

        impl ::std::os::fd::AsFd for $ty {
            fn as_fd(&self) -> ::std::os::fd::BorrowedFd<'_> {
                // SAFETY: the fd is owned by `self.io` and stays open while `self`
                // (and so the returned borrow) lives.
                unsafe {
                    ::std::os::fd::BorrowedFd::borrow_raw(::std::os::fd::AsRawFd::as_raw_fd(self))
                }
            }
        }
    };
}

pub(crate) use {fd_impls, readiness_methods, stream_io_impls, user_io_methods};
