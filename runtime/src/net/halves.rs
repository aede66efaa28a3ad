//! The split halves of a connected stream socket, written once for
//! [`TcpStream`](crate::net::TcpStream) and
//! [`UnixStream`](crate::net::UnixStream).
//!
//! Both streams expose the same set of methods the halves forward to
//! (`ready`, `try_read`, `poll_read_priv`, `shutdown_std`, ...), so the
//! halves differ only in the stream type, the address type and a few
//! extra read-side methods (TCP's `peek`). The macros take those as
//! parameters and are invoked from `tcp::split{,_owned}` and
//! `unix::split{,_owned}`, so each public type keeps its path and docs.

/// Defines `ReadHalf<'a>`, `WriteHalf<'a>` and `split` in the calling
/// module. `read_extra` methods go first in `ReadHalf`'s impl block and
/// reach the stream as `self.0`.
macro_rules! borrowed_halves {
    (
        stream: $stream:ident,
        addr: $addr:ty,
        read_extra: { $($read_extra:tt)* } $(,)?
    ) => {
        #[doc = concat!("Borrowed read half of a [`", stringify!($stream), "`], created by")]
        #[doc = concat!("[`split`](", stringify!($stream), "::split).")]
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use magpie::io::{AsyncReadExt, AsyncWriteExt};\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "# macro_rules! connected {\n",
            "#     (TcpStream) => {{\n",
            "#         let listener = magpie::net::TcpListener::bind(\"127.0.0.1:0\").await?;\n",
            "#         let client = magpie::net::TcpStream::connect(listener.local_addr()?).await?;\n",
            "#         (client, listener.accept().await?.0)\n",
            "#     }};\n",
            "#     (UnixStream) => {{ magpie::net::UnixStream::pair()? }};\n",
            "# }\n",
            "# let (mut stream, mut peer) = connected!(", stringify!($stream), ");\n",
            "let (mut reader, _writer) = stream.split();\n",
            "peer.write_all(b\"hi\").await?;\n",
            "let mut buf = [0u8; 2];\n",
            "reader.read_exact(&mut buf).await?;\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        #[derive(Debug)]
        pub struct ReadHalf<'a>(&'a $stream);

        #[doc = concat!("Borrowed write half of a [`", stringify!($stream), "`], created by")]
        #[doc = concat!(
            "[`split`](", stringify!($stream), "::split). `close()` shuts down the write direction."
        )]
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use magpie::io::{AsyncReadExt, AsyncWriteExt};\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "# macro_rules! connected {\n",
            "#     (TcpStream) => {{\n",
            "#         let listener = magpie::net::TcpListener::bind(\"127.0.0.1:0\").await?;\n",
            "#         let client = magpie::net::TcpStream::connect(listener.local_addr()?).await?;\n",
            "#         (client, listener.accept().await?.0)\n",
            "#     }};\n",
            "#     (UnixStream) => {{ magpie::net::UnixStream::pair()? }};\n",
            "# }\n",
            "# let (mut stream, mut peer) = connected!(", stringify!($stream), ");\n",
            "let (_reader, mut writer) = stream.split();\n",
            "writer.write_all(b\"hi\").await?;\n",
            "let mut buf = [0u8; 2];\n",
            "peer.read_exact(&mut buf).await?;\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        #[derive(Debug)]
        pub struct WriteHalf<'a>(&'a $stream);

        pub(crate) fn split(stream: &mut $stream) -> (ReadHalf<'_>, WriteHalf<'_>) {
            (ReadHalf(&*stream), WriteHalf(&*stream))
        }

        impl ReadHalf<'_> {
            $($read_extra)*

            $crate::net::halves::forward_methods!(read, 0, $addr);
        }

        impl WriteHalf<'_> {
            $crate::net::halves::forward_methods!(write, 0, $addr);
        }

        $crate::net::halves::forward_methods!(async_read, ReadHalf<'_>, 0);
        $crate::compat::io_impls::compat_io_impls!(read, ReadHalf<'_>, |s| s.0);
        $crate::compat::io_impls::compat_io_impls!(write, WriteHalf<'_>);

        $crate::net::halves::forward_methods! {
            async_write, WriteHalf<'_>, 0,
            fn poll_close(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(self.0.shutdown_std(::std::net::Shutdown::Write))
            }
        }
    };
}

/// Defines `OwnedReadHalf`, `OwnedWriteHalf`, `ReuniteError`,
/// `split_owned` and `reunite` in the calling module. `read_extra`
/// methods follow `reunite` in `OwnedReadHalf`'s impl block and reach the
/// stream as `self.inner`.
macro_rules! owned_halves {
    (
        stream: $stream:ident,
        addr: $addr:ty,
        read_extra: { $($read_extra:tt)* } $(,)?
    ) => {
        #[doc = concat!("Owned read half of a [`", stringify!($stream), "`], created by")]
        #[doc = concat!("[`into_split`](", stringify!($stream), "::into_split).")]
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use magpie::io::{AsyncReadExt, AsyncWriteExt};\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "# macro_rules! connected {\n",
            "#     (TcpStream) => {{\n",
            "#         let listener = magpie::net::TcpListener::bind(\"127.0.0.1:0\").await?;\n",
            "#         let client = magpie::net::TcpStream::connect(listener.local_addr()?).await?;\n",
            "#         (client, listener.accept().await?.0)\n",
            "#     }};\n",
            "#     (UnixStream) => {{ magpie::net::UnixStream::pair()? }};\n",
            "# }\n",
            "# let (mut stream, mut peer) = connected!(", stringify!($stream), ");\n",
            "let (mut reader, _writer) = stream.into_split();\n",
            "peer.write_all(b\"hi\").await?;\n",
            "let mut buf = [0u8; 2];\n",
            "reader.read_exact(&mut buf).await?;\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        #[derive(Debug)]
        pub struct OwnedReadHalf {
            inner: $crate::loom::sync::Arc<$stream>,
        }

        #[doc = concat!("Owned write half of a [`", stringify!($stream), "`], created by")]
        #[doc = concat!("[`into_split`](", stringify!($stream), "::into_split).")]
        ///
        /// Dropping it (or `close()`) shuts down the write direction, unless
        /// [`forget`](OwnedWriteHalf::forget) was called.
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use magpie::io::{AsyncReadExt, AsyncWriteExt};\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "# macro_rules! connected {\n",
            "#     (TcpStream) => {{\n",
            "#         let listener = magpie::net::TcpListener::bind(\"127.0.0.1:0\").await?;\n",
            "#         let client = magpie::net::TcpStream::connect(listener.local_addr()?).await?;\n",
            "#         (client, listener.accept().await?.0)\n",
            "#     }};\n",
            "#     (UnixStream) => {{ magpie::net::UnixStream::pair()? }};\n",
            "# }\n",
            "# let (mut stream, mut peer) = connected!(", stringify!($stream), ");\n",
            "let (_reader, mut writer) = stream.into_split();\n",
            "writer.write_all(b\"hi\").await?;\n",
            "let mut buf = [0u8; 2];\n",
            "peer.read_exact(&mut buf).await?;\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        #[derive(Debug)]
        pub struct OwnedWriteHalf {
            inner: $crate::loom::sync::Arc<$stream>,
            shutdown_on_drop: bool,
        }

        /// Error returned by [`OwnedReadHalf::reunite`] when the halves come from
        /// different streams; it gives them back.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with a UnixStream; the TCP halves work the same.
        /// let (a, b) = UnixStream::pair()?;
        /// let (read_a, _write_a) = a.into_split();
        /// let (_read_b, write_b) = b.into_split();
        /// let err = read_a.reunite(write_b).unwrap_err();
        /// let (_read_a, _write_b) = (err.0, err.1); // the halves come back
        /// # Ok(())
        /// # }
        /// ```
        #[derive(Debug)]
        pub struct ReuniteError(pub OwnedReadHalf, pub OwnedWriteHalf);

        impl ::std::fmt::Display for ReuniteError {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str("tried to reunite halves that are not from the same socket")
            }
        }

        impl ::std::error::Error for ReuniteError {}

        pub(crate) fn split_owned(stream: $stream) -> (OwnedReadHalf, OwnedWriteHalf) {
            let inner = $crate::loom::sync::Arc::new(stream);
            (
                OwnedReadHalf {
                    inner: inner.clone(),
                },
                OwnedWriteHalf {
                    inner,
                    shutdown_on_drop: true,
                },
            )
        }

        fn reunite(
            read: OwnedReadHalf,
            mut write: OwnedWriteHalf,
        ) -> ::std::result::Result<$stream, ReuniteError> {
            if $crate::loom::sync::Arc::ptr_eq(&read.inner, &write.inner) {
                write.shutdown_on_drop = false;
                drop(write);
                // Only `read` holds the Arc now.
                Ok($crate::loom::sync::Arc::try_unwrap(read.inner)
                    .expect("the write half was dropped"))
            } else {
                Err(ReuniteError(read, write))
            }
        }

        impl OwnedReadHalf {
            /// Puts the halves back together; fails if they are not from the same
            /// stream.
            ///
            /// # Examples
            ///
            /// ```
            /// use magpie::net::UnixStream;
            ///
            /// # #[magpie::main(flavor = "current_thread")]
            /// # async fn main() -> std::io::Result<()> {
            /// // Shown with a UnixStream; the TCP halves work the same.
            /// let (a, _b) = UnixStream::pair()?;
            /// let (read, write) = a.into_split();
            /// let _stream: UnixStream = read.reunite(write).expect("halves of the same stream");
            /// # Ok(())
            /// # }
            /// ```
            pub fn reunite(
                self,
                other: OwnedWriteHalf,
            ) -> ::std::result::Result<$stream, ReuniteError> {
                reunite(self, other)
            }

            $($read_extra)*

            $crate::net::halves::forward_methods!(read, inner, $addr);
        }

        impl OwnedWriteHalf {
            /// Puts the halves back together; fails if they are not from the same
            /// stream.
            ///
            /// # Examples
            ///
            /// ```
            /// use magpie::net::UnixStream;
            ///
            /// # #[magpie::main(flavor = "current_thread")]
            /// # async fn main() -> std::io::Result<()> {
            /// // Shown with a UnixStream; the TCP halves work the same.
            /// let (a, b) = UnixStream::pair()?;
            /// let (read_a, write_a) = a.into_split();
            /// let (read_b, write_b) = b.into_split();
            /// assert!(write_a.reunite(read_b).is_err()); // not from the same stream
            /// # drop((read_a, write_b));
            /// # Ok(())
            /// # }
            /// ```
            pub fn reunite(
                self,
                other: OwnedReadHalf,
            ) -> ::std::result::Result<$stream, ReuniteError> {
                reunite(other, self)
            }

            /// Drops the half without shutting down the write direction.
            ///
            /// # Examples
            ///
            /// ```
            /// use magpie::net::UnixStream;
            ///
            /// # #[magpie::main(flavor = "current_thread")]
            /// # async fn main() -> std::io::Result<()> {
            /// // Shown with a UnixStream; the TCP halves work the same.
            /// let (a, _b) = UnixStream::pair()?;
            /// let (_read, write) = a.into_split();
            /// write.forget(); // the peer does not see end of stream
            /// # Ok(())
            /// # }
            /// ```
            pub fn forget(mut self) {
                self.shutdown_on_drop = false;
            }

            $crate::net::halves::forward_methods!(write, inner, $addr);
        }

        impl Drop for OwnedWriteHalf {
            fn drop(&mut self) {
                if self.shutdown_on_drop {
                    let _ = self.inner.shutdown_std(::std::net::Shutdown::Write);
                }
            }
        }

        $crate::net::halves::forward_methods!(async_read, OwnedReadHalf, inner);
        $crate::compat::io_impls::compat_io_impls!(read, OwnedReadHalf, |s| s.inner);
        $crate::compat::io_impls::compat_io_impls!(write, OwnedWriteHalf);

        $crate::net::halves::forward_methods! {
            async_write, OwnedWriteHalf, inner,
            /// Shuts down the write direction; the drop then does nothing more.
            fn poll_close(
                mut self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let res = self.inner.shutdown_std(::std::net::Shutdown::Write);
                if res.is_ok() {
                    self.shutdown_on_drop = false;
                }
                ::std::task::Poll::Ready(res)
            }
        }
    };
}

/// The parts of the halves that only forward to the stream, shared by the
/// borrowed and owned halves; `$f` is the field holding the stream (`0`
/// or `inner`). `read`/`write` expand to associated items, `async_read`
/// to an `AsyncRead` impl, `async_write` to an `AsyncWrite` impl whose
/// `poll_close` the caller supplies.
macro_rules! forward_methods {
    (read, $f:tt, $addr:ty) => {
        /// Waits for any of the requested ready states.
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
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"x").await?;
        /// let (read, _write) = a.split();
        /// let ready = read.ready(Interest::READABLE).await?;
        /// assert!(ready.is_readable());
        /// # Ok(())
        /// # }
        /// ```
        pub async fn ready(
            &self,
            interest: $crate::io::Interest,
        ) -> ::std::io::Result<$crate::io::Ready> {
            self.$f.ready(interest).await
        }

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
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"x").await?;
        /// let (read, _write) = a.split();
        /// read.readable().await?;
        /// # Ok(())
        /// # }
        /// ```
        pub async fn readable(&self) -> ::std::io::Result<()> {
            self.$f.readable().await
        }

        /// Tries to read without waiting.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"x").await?;
        /// let (read, _write) = a.split();
        /// read.readable().await?;
        /// let mut buf = [0u8; 4];
        /// assert_eq!(read.try_read(&mut buf)?, 1);
        /// # Ok(())
        /// # }
        /// ```
        pub fn try_read(&self, buf: &mut [u8]) -> ::std::io::Result<usize> {
            self.$f.try_read(buf)
        }

        /// Tries to read into several buffers without waiting.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// use std::io::IoSliceMut;
        ///
        /// let (mut a, mut b) = UnixStream::pair()?;
        /// b.write_all(b"abcd").await?;
        /// let (read, _write) = a.split();
        /// read.readable().await?;
        /// let (mut x, mut y) = ([0u8; 2], [0u8; 2]);
        /// let n = read.try_read_vectored(&mut [IoSliceMut::new(&mut x), IoSliceMut::new(&mut y)])?;
        /// assert_eq!(n, 4);
        /// # Ok(())
        /// # }
        /// ```
        pub fn try_read_vectored(
            &self,
            bufs: &mut [::std::io::IoSliceMut<'_>],
        ) -> ::std::io::Result<usize> {
            self.$f.try_read_vectored(bufs)
        }

        $crate::net::halves::forward_methods!(addrs, $f, $addr);
    };
    (write, $f:tt, $addr:ty) => {
        /// Waits for any of the requested ready states.
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
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, _b) = UnixStream::pair()?;
        /// let (_read, write) = a.split();
        /// assert!(write.ready(Interest::WRITABLE).await?.is_writable());
        /// # Ok(())
        /// # }
        /// ```
        pub async fn ready(
            &self,
            interest: $crate::io::Interest,
        ) -> ::std::io::Result<$crate::io::Ready> {
            self.$f.ready(interest).await
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
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, _b) = UnixStream::pair()?;
        /// let (_read, write) = a.split();
        /// write.writable().await?;
        /// # Ok(())
        /// # }
        /// ```
        pub async fn writable(&self) -> ::std::io::Result<()> {
            self.$f.writable().await
        }

        /// Tries to write without waiting.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, _b) = UnixStream::pair()?;
        /// let (_read, write) = a.split();
        /// write.writable().await?;
        /// assert_eq!(write.try_write(b"hi")?, 2);
        /// # Ok(())
        /// # }
        /// ```
        pub fn try_write(&self, buf: &[u8]) -> ::std::io::Result<usize> {
            self.$f.try_write(buf)
        }

        /// Tries to write several buffers without waiting.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// use std::io::IoSlice;
        ///
        /// let (mut a, _b) = UnixStream::pair()?;
        /// let (_read, write) = a.split();
        /// write.writable().await?;
        /// assert_eq!(write.try_write_vectored(&[IoSlice::new(b"a"), IoSlice::new(b"b")])?, 2);
        /// # Ok(())
        /// # }
        /// ```
        pub fn try_write_vectored(
            &self,
            bufs: &[::std::io::IoSlice<'_>],
        ) -> ::std::io::Result<usize> {
            self.$f.try_write_vectored(bufs)
        }

        $crate::net::halves::forward_methods!(addrs, $f, $addr);
    };
    (addrs, $f:tt, $addr:ty) => {
        /// Returns the remote address.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, _b) = UnixStream::pair()?;
        /// let (read, _write) = a.split();
        /// let _peer = read.peer_addr()?;
        /// # Ok(())
        /// # }
        /// ```
        pub fn peer_addr(&self) -> ::std::io::Result<$addr> {
            self.$f.peer_addr()
        }

        /// Returns the local address.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::UnixStream;
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// // Shown with the borrowed halves of a UnixStream; the owned halves
        /// // (`into_split`) and the TCP halves have the same methods.
        /// let (mut a, _b) = UnixStream::pair()?;
        /// let (read, _write) = a.split();
        /// let _local = read.local_addr()?;
        /// # Ok(())
        /// # }
        /// ```
        pub fn local_addr(&self) -> ::std::io::Result<$addr> {
            self.$f.local_addr()
        }
    };
    (async_read, $half:ty, $f:tt) => {
        impl ::futures_io::AsyncRead for $half {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &mut [u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.$f.poll_read_priv(cx, buf)
            }

            fn poll_read_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &mut [::std::io::IoSliceMut<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.$f.poll_read_vectored_priv(cx, bufs)
            }
        }
    };
    (async_write, $half:ty, $f:tt, $($poll_close:tt)*) => {
        impl ::futures_io::AsyncWrite for $half {
            fn poll_write(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                buf: &[u8],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.$f.poll_write_priv(cx, buf)
            }

            fn poll_write_vectored(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                bufs: &[::std::io::IoSlice<'_>],
            ) -> ::std::task::Poll<::std::io::Result<usize>> {
                self.$f.poll_write_vectored_priv(cx, bufs)
            }

            fn poll_flush(
                self: ::std::pin::Pin<&mut Self>,
                _cx: &mut ::std::task::Context<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                ::std::task::Poll::Ready(Ok(()))
            }

            $($poll_close)*
        }
    };
}

pub(crate) use {borrowed_halves, forward_methods, owned_halves};
