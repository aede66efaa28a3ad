//! Run [hyper](https://docs.rs/hyper) 1.x on magpie.
//!
//! hyper does no I/O and spawns nothing by itself: it asks the caller for
//! an I/O object implementing [`hyper::rt::Read`] and [`hyper::rt::Write`],
//! an executor for background tasks (HTTP/2 streams, client connection
//! drivers) and a timer (timeouts such as `header_read_timeout`). This
//! module provides the three for a magpie runtime:
//!
//! - magpie's [`TcpStream`](crate::net::TcpStream),
//!   [`UnixStream`](crate::net::UnixStream) and their borrowed and owned
//!   halves implement [`hyper::rt::Read`] and [`hyper::rt::Write`]
//!   themselves: give them to hyper as they are. Reads go straight into
//!   hyper's uninitialised buffer (`recv(2)`), writes are vectored
//!   (`writev(2)`);
//! - [`Io`] wraps any other magpie stream (anything implementing magpie's
//!   [`AsyncRead`] and [`AsyncWrite`], e.g. a `BufReader` or a TLS
//!   stream) into hyper's I/O traits, and hyper's I/O objects (an
//!   upgraded connection) into magpie's;
//! - [`Executor`] spawns hyper's tasks with [`magpie::spawn`](crate::spawn);
//! - [`Timer`] serves hyper's sleeps from magpie's timer
//!   ([`magpie::time::sleep`](crate::time::sleep)), so paused time applies.
//!
//! They play the role of `hyper_util::rt::{TokioIo, TokioExecutor,
//! TokioTimer}` in a tokio application.
//!
//! hyper's I/O traits and magpie's share method names (`poll_read`,
//! `poll_write`, ...): in a module that calls them by hand, import only
//! one of `hyper::rt::{Read, Write}` and `magpie::io::{AsyncRead,
//! AsyncWrite}` (an anonymous `use ... as _` import counts too) and call
//! the other by path, e.g. `hyper::rt::Read::poll_read(stream, cx, buf)`.
//! Code that only hands streams to hyper needs neither.
//!
//! # Examples
//!
//! A server and a client on one runtime, one keep-alive connection (the
//! server hands hyper the `TcpStream` itself, the client wraps it in `Io`,
//! as any other stream would be):
//!
//! ```
//! use http_body_util::{BodyExt, Empty, Full};
//! use hyper::body::{Bytes, Incoming};
//! use hyper::{Request, Response};
//! use magpie::compat::hyper::{Executor, Io, Timer};
//! use magpie::net::{TcpListener, TcpStream};
//! use std::convert::Infallible;
//! use std::time::Duration;
//!
//! async fn hello(_: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
//!     Ok(Response::new(Full::new(Bytes::from("Hello, World!"))))
//! }
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! let listener = TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! magpie::spawn(async move {
//!     loop {
//!         let (stream, _) = listener.accept().await.unwrap();
//!         magpie::spawn(async move {
//!             let conn = hyper::server::conn::http1::Builder::new()
//!                 .timer(Timer::new())
//!                 .header_read_timeout(Duration::from_secs(5))
//!                 .serve_connection(stream, hyper::service::service_fn(hello));
//!             let _ = conn.await;
//!         });
//!     }
//! });
//!
//! let stream = TcpStream::connect(addr).await?;
//! let (mut sender, conn) = hyper::client::conn::http1::handshake(Io::new(stream)).await?;
//! magpie::spawn(conn);
//! let req = Request::get("/").header("host", "localhost").body(Empty::<Bytes>::new())?;
//! let res = sender.send_request(req).await?;
//! assert_eq!(res.status(), 200);
//! let body = res.into_body().collect().await?.to_bytes();
//! assert_eq!(body, "Hello, World!");
//! # Ok(()) }
//! ```
//!
//! With hyper's executor-taking builders (e.g. `http2::Builder::new(exec)`)
//! pass [`Executor::new()`].

use crate::io::{AsyncRead, AsyncWrite};
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

/// Adapts a magpie stream (anything implementing magpie's
/// [`AsyncRead`] and/or [`AsyncWrite`]) to hyper's
/// [`Read`](hyper::rt::Read) and [`Write`](hyper::rt::Write).
///
/// magpie's sockets implement hyper's traits themselves and do not need
/// it (see the [module docs](self)); `Io` serves every other stream, at
/// the cost of zeroing hyper's read buffer.
///
/// Reads: magpie's `AsyncRead` (the `futures-io` trait) reads into
/// initialised memory, while hyper hands out a possibly uninitialised
/// buffer, so `Io` zeroes the part of hyper's buffer that was never
/// initialised before each read (hyper's `ReadBufCursor` remembers what is
/// initialised, so no byte is zeroed twice within one buffer).
///
/// Writes: `poll_write`, `poll_write_vectored` and `poll_flush` forward to
/// the stream; hyper's `poll_shutdown` is `AsyncWrite::poll_close` (for a
/// socket: shut down the write direction).
///
/// The other way round, `Io<T>` is a magpie [`AsyncRead`]/[`AsyncWrite`]
/// when `T` implements hyper's `Read`/`Write`, e.g. for the
/// `hyper::upgrade::Upgraded` stream of an HTTP upgrade, so magpie's
/// [`AsyncReadExt`](crate::io::AsyncReadExt) and
/// [`AsyncWriteExt`](crate::io::AsyncWriteExt) apply to it.
///
/// # Examples
///
/// ```no_run
/// use magpie::compat::hyper::Io;
/// use magpie::net::TcpStream;
///
/// # async fn dox() -> Result<(), Box<dyn std::error::Error>> {
/// let stream = TcpStream::connect("127.0.0.1:3000").await?;
/// let (mut sender, conn) = hyper::client::conn::http1::handshake::<_, String>(Io::new(stream)).await?;
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct Io<T> {
    inner: T,
    write_vectored: bool,
}

impl<T> Io<T> {
    /// Wraps a magpie stream.
    ///
    /// hyper's [`is_write_vectored`](hyper::rt::Write::is_write_vectored)
    /// returns `false` (`futures-io` cannot tell whether `T` has real
    /// vectored writes), so hyper gathers headers and body into one buffer
    /// and writes it with `poll_write`; see
    /// [`with_write_vectored`](Io::with_write_vectored).
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::compat::hyper::Io;
    /// use magpie::net::TcpStream;
    ///
    /// # async fn dox() -> std::io::Result<()> {
    /// let io = Io::new(TcpStream::connect("127.0.0.1:3000").await?);
    /// # Ok(()) }
    /// ```
    pub fn new(inner: T) -> Io<T> {
        Io {
            inner,
            write_vectored: false,
        }
    }

    /// Sets what [`is_write_vectored`](hyper::rt::Write::is_write_vectored)
    /// reports to hyper. With `true`, hyper queues headers and body
    /// buffers and writes them with `poll_write_vectored` (no copy of the
    /// body); say so only if `T`'s `poll_write_vectored` writes several
    /// buffers at once, as magpie's sockets do (`writev`). The `futures-io`
    /// default writes only the first buffer per call.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::compat::hyper::Io;
    /// use magpie::net::TcpStream;
    ///
    /// # async fn dox() -> std::io::Result<()> {
    /// let stream = TcpStream::connect("127.0.0.1:3000").await?;
    /// let io = Io::new(stream).with_write_vectored(true);
    /// # Ok(()) }
    /// ```
    pub fn with_write_vectored(mut self, vectored: bool) -> Io<T> {
        self.write_vectored = vectored;
        self
    }

    /// Returns a shared reference to the wrapped stream.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::compat::hyper::Io;
    /// use magpie::net::TcpStream;
    ///
    /// # async fn dox() -> std::io::Result<()> {
    /// let io = Io::new(TcpStream::connect("127.0.0.1:3000").await?);
    /// println!("connected to {}", io.inner().peer_addr()?);
    /// # Ok(()) }
    /// ```
    pub fn inner(&self) -> &T {
        &self.inner
    }

    /// Returns a mutable reference to the wrapped stream.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::compat::hyper::Io;
    /// use magpie::net::TcpStream;
    ///
    /// # async fn dox() -> std::io::Result<()> {
    /// let mut io = Io::new(TcpStream::connect("127.0.0.1:3000").await?);
    /// io.inner_mut().set_nodelay(true)?;
    /// # Ok(()) }
    /// ```
    pub fn inner_mut(&mut self) -> &mut T {
        &mut self.inner
    }

    /// Consumes the `Io`, returning the wrapped stream.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use magpie::compat::hyper::Io;
    /// use magpie::net::TcpStream;
    ///
    /// # async fn dox() -> std::io::Result<()> {
    /// let io = Io::new(TcpStream::connect("127.0.0.1:3000").await?);
    /// let stream: TcpStream = io.into_inner();
    /// # Ok(()) }
    /// ```
    pub fn into_inner(self) -> T {
        self.inner
    }

    fn project(self: Pin<&mut Self>) -> Pin<&mut T> {
        // SAFETY: `inner` is structurally pinned: `Io` has no `Drop` impl,
        // is `Unpin` only when `T` is (auto trait), and hands out `&mut T`
        // only from `&mut Io` (`inner_mut`), which a pinned `Io<T: !Unpin>`
        // never gives.
        unsafe { self.map_unchecked_mut(|io| &mut io.inner) }
    }
}

impl<T: AsyncRead> hyper::rt::Read for Io<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        mut buf: hyper::rt::ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        // `futures-io` needs `&mut [u8]`: zero what was never initialised
        // (the cursor tracks it) and read into that.
        let dst = buf.initialize_unfilled();
        let len = dst.len();
        let n = ready!(self.project().poll_read(cx, dst))?;
        // `AsyncRead` is a safe trait: a broken impl could claim more bytes
        // than it was given, and `advance` trusts its count.
        assert!(
            n <= len,
            "AsyncRead::poll_read returned {n} for a buffer of {len} bytes"
        );
        // SAFETY: `advance(n)` requires the first `n` unfilled bytes to be
        // initialised: `initialize_unfilled` initialised all `len` of them
        // and `n <= len` was just checked.
        unsafe { buf.advance(n) };
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite> hyper::rt::Write for Io<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.project().poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().poll_close(cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.write_vectored
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.project().poll_write_vectored(cx, bufs)
    }
}

/// The other direction: a hyper I/O object (e.g. `hyper::upgrade::Upgraded`
/// after an HTTP upgrade) as a magpie stream.
impl<T: hyper::rt::Read> AsyncRead for Io<T> {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut [u8],
    ) -> Poll<io::Result<usize>> {
        let mut read_buf = hyper::rt::ReadBuf::new(buf);
        ready!(self.project().poll_read(cx, read_buf.unfilled()))?;
        Poll::Ready(Ok(read_buf.filled().len()))
    }
}

impl<T: hyper::rt::Write> AsyncWrite for Io<T> {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        self.project().poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        self.project().poll_write_vectored(cx, bufs)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().poll_flush(cx)
    }

    fn poll_close(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.project().poll_shutdown(cx)
    }
}

/// Spawns hyper's background tasks on the current magpie runtime with
/// [`magpie::spawn`](crate::spawn).
///
/// hyper's HTTP/2 builders (`hyper::server::conn::http2::Builder::new`,
/// `hyper::client::conn::http2::handshake`) take an executor; this is the
/// magpie one, like `hyper_util::rt::TokioExecutor` for tokio.
///
/// # Panics
///
/// [`execute`](hyper::rt::Executor::execute) panics if called outside a
/// magpie runtime, as [`magpie::spawn`](crate::spawn) does.
///
/// # Examples
///
/// ```
/// use hyper::rt::Executor as _;
/// use magpie::compat::hyper::Executor;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let (tx, rx) = magpie::sync::oneshot::channel();
/// Executor::new().execute(async move { tx.send(7).unwrap() });
/// assert_eq!(rx.await.unwrap(), 7);
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Executor {
    _priv: (),
}

impl Executor {
    /// Creates an executor spawning on the current magpie runtime.
    ///
    /// # Examples
    ///
    /// ```
    /// let exec = magpie::compat::hyper::Executor::new();
    /// ```
    pub fn new() -> Executor {
        Executor { _priv: () }
    }
}

impl<F> hyper::rt::Executor<F> for Executor
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    fn execute(&self, fut: F) {
        // Detached, as hyper expects: the task runs to completion on its own.
        drop(crate::spawn(fut));
    }
}

/// hyper's timer on magpie's timer wheel: hyper's sleeps are
/// [`magpie::time::Sleep`](crate::time::Sleep)s.
///
/// Needed by hyper's timeouts, e.g. `header_read_timeout` of
/// `hyper::server::conn::http1::Builder`, which fails without a timer.
/// [`now`](hyper::rt::Timer::now) reads magpie's clock, so
/// [paused time](crate::time::pause) applies to hyper too; `reset` moves
/// the existing timer instead of allocating a new one.
///
/// # Panics
///
/// The sleeps panic if created outside a magpie runtime with the time
/// driver enabled, as [`magpie::time::sleep`](crate::time::sleep) does.
///
/// # Examples
///
/// ```
/// use hyper::rt::Timer as _;
/// use magpie::compat::hyper::Timer;
/// use std::time::Duration;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() {
/// let start = magpie::time::Instant::now();
/// Timer::new().sleep(Duration::from_millis(10)).await;
/// assert!(start.elapsed() >= Duration::from_millis(10));
/// # }
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Timer {
    _priv: (),
}

impl Timer {
    /// Creates a timer using the current magpie runtime's time driver.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    ///
    /// let builder = hyper::server::conn::http1::Builder::new()
    ///     .timer(magpie::compat::hyper::Timer::new())
    ///     .header_read_timeout(Duration::from_secs(30))
    ///     .clone();
    /// ```
    pub fn new() -> Timer {
        Timer { _priv: () }
    }
}

impl hyper::rt::Timer for Timer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(HyperSleep {
            inner: crate::time::sleep(duration),
        })
    }

    fn sleep_until(&self, deadline: std::time::Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        Box::pin(HyperSleep {
            inner: crate::time::sleep_until(crate::time::Instant::from_std(deadline)),
        })
    }

    fn now(&self) -> std::time::Instant {
        crate::time::Instant::now().into_std()
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn hyper::rt::Sleep>>, new_deadline: std::time::Instant) {
        match sleep.as_mut().downcast_mut_pin::<HyperSleep>() {
            Some(ours) => ours
                .project()
                .reset(crate::time::Instant::from_std(new_deadline)),
            None => *sleep = self.sleep_until(new_deadline),
        }
    }
}

/// A magpie [`Sleep`](crate::time::Sleep) as a hyper
/// [`Sleep`](hyper::rt::Sleep).
#[derive(Debug)]
struct HyperSleep {
    inner: crate::time::Sleep,
}

impl HyperSleep {
    fn project(self: Pin<&mut Self>) -> Pin<&mut crate::time::Sleep> {
        // SAFETY: `inner` is structurally pinned: `HyperSleep` has no `Drop`
        // impl, is `!Unpin` like `inner`, and never moves `inner` out.
        unsafe { self.map_unchecked_mut(|s| &mut s.inner) }
    }
}

impl Future for HyperSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        self.project().poll(cx)
    }
}

impl hyper::rt::Sleep for HyperSleep {}

/// hyper's `Read` (`read` arm) or `Write` (`write` arm) for a magpie
/// stream socket or one of its halves, so they can be given to hyper
/// without [`Io`]. `read` needs an expression giving the stream (`|s| s.0`
/// binds `s` to `&Self`), which provides `poll_read_uninit_priv`: it reads
/// straight into hyper's uninitialised buffer, nothing is zeroed. `write`
/// forwards to the type's own `futures_io::AsyncWrite` impl, with real
/// vectored writes.
macro_rules! hyper_io_impls {
    (read, $ty:ty, |$s:ident| $stream:expr) => {
        impl ::hyper::rt::Read for $ty {
            fn poll_read(
                self: ::std::pin::Pin<&mut Self>,
                cx: &mut ::std::task::Context<'_>,
                mut buf: ::hyper::rt::ReadBufCursor<'_>,
            ) -> ::std::task::Poll<::std::io::Result<()>> {
                let $s = &*self;
                // SAFETY: `as_mut` requires that no initialised byte is
                // de-initialised through the slice: `poll_read_uninit_priv`
                // only `recv`s into it, which writes initialised bytes.
                let dst = unsafe { buf.as_mut() };
                let len = dst.len();
                let n = ::std::task::ready!($stream.poll_read_uninit_priv(cx, dst))?;
                assert!(n <= len, "recv returned {n} for a buffer of {len} bytes");
                // SAFETY: `advance(n)` requires the first `n` unfilled bytes to
                // be initialised: `recv` wrote them (`n <= len` checked).
                unsafe { buf.advance(n) };
                ::std::task::Poll::Ready(Ok(()))
            }
        }
    };
    (write, $ty:ty) => {
        $crate::compat::io_impls::forward_write!(::hyper::rt::Write, $ty);
    };
}

pub(crate) use hyper_io_impls;
