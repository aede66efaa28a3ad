//! One trait over both runtimes, so every workload is written once.
//!
//! The two implementations are produced by the same macro from the same
//! token stream with only the crate name swapped, which is also a check
//! that magpie's API is a drop-in copy of tokio's for what is used here.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::SocketAddr;

/// Which scheduler a runtime is built with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavor {
    /// `Builder::new_multi_thread().worker_threads(n)`.
    MultiThread(usize),
    /// `Builder::new_current_thread()`.
    CurrentThread,
}

impl Flavor {
    /// Short label used in benchmark ids: `mt2`, `ct`.
    pub fn label(self) -> String {
        match self {
            Flavor::MultiThread(n) => format!("mt{n}"),
            Flavor::CurrentThread => "ct".to_string(),
        }
    }

    /// Parses [`label`](Flavor::label)'s output.
    pub fn parse(s: &str) -> Option<Flavor> {
        if s == "ct" {
            return Some(Flavor::CurrentThread);
        }
        let n = s.strip_prefix("mt")?.parse().ok()?;
        (n > 0).then_some(Flavor::MultiThread(n))
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label())
    }
}

/// What a workload needs from a runtime. Associated functions without
/// `&self` must be called from inside the runtime (like `tokio::spawn`).
pub trait BenchRuntime: Sized + 'static {
    /// `"magpie"` or `"tokio"`.
    const NAME: &'static str;

    /// The runtime's `task::JoinHandle<T>`.
    type JoinHandle<T: Send + 'static>: Future<Output = Result<T, Self::JoinError>>
        + Send
        + Unpin
        + 'static;

    /// The runtime's `task::JoinError`.
    type JoinError: fmt::Debug + Send + 'static;

    /// Builds a runtime of `flavor`, without I/O or time drivers (the
    /// workloads need neither; both runtimes then park on a condvar).
    fn new(flavor: Flavor) -> Self;

    /// The flavor this runtime was built with.
    fn flavor(&self) -> Flavor;

    /// `Runtime::block_on`.
    fn block_on<F: Future>(&self, future: F) -> F::Output;

    /// `Runtime::handle().spawn`: spawning from outside the runtime.
    fn spawn_remote<F>(&self, future: F) -> Self::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// `<crate>::spawn` from inside the runtime.
    fn spawn<F>(future: F) -> Self::JoinHandle<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static;

    /// `<crate>::task::spawn_blocking` from inside the runtime.
    fn spawn_blocking<F, R>(f: F) -> Self::JoinHandle<R>
    where
        F: FnOnce() -> R + Send + 'static,
        R: Send + 'static;

    /// `<crate>::task::yield_now`.
    fn yield_now() -> impl Future<Output = ()> + Send;

    /// Builds a runtime of `flavor` with `enable_all()`: I/O and time
    /// drivers, as the networking workloads and the HTTP server need.
    fn new_with_io(flavor: Flavor) -> Self;

    /// The runtime's `net::TcpListener`.
    type TcpListener: Send + Sync + 'static;

    /// The runtime's `net::TcpStream`.
    type TcpStream: Send + 'static;

    /// `TcpListener::bind`.
    fn bind(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpListener>> + Send;

    /// `TcpListener::local_addr`.
    fn local_addr(listener: &Self::TcpListener) -> io::Result<SocketAddr>;

    /// `TcpListener::accept`, without the peer address.
    fn accept(
        listener: &Self::TcpListener,
    ) -> impl Future<Output = io::Result<Self::TcpStream>> + Send + '_;

    /// `TcpStream::connect`.
    fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send;

    /// `TcpStream::set_nodelay`.
    fn set_nodelay(stream: &Self::TcpStream, nodelay: bool) -> io::Result<()>;

    /// `AsyncReadExt::read`.
    fn read<'a>(
        stream: &'a mut Self::TcpStream,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<usize>> + Send + 'a;

    /// `AsyncReadExt::read_exact` (the byte count is dropped: it is
    /// `buf.len()`).
    fn read_exact<'a>(
        stream: &'a mut Self::TcpStream,
        buf: &'a mut [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;

    /// `AsyncWriteExt::write_all`.
    fn write_all<'a>(
        stream: &'a mut Self::TcpStream,
        buf: &'a [u8],
    ) -> impl Future<Output = io::Result<()>> + Send + 'a;
}

macro_rules! bench_runtime {
    ($(#[$m:meta])* $ty:ident, $krate:ident) => {
        $(#[$m])*
        pub struct $ty {
            rt: $krate::runtime::Runtime,
            flavor: Flavor,
        }

        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_struct(stringify!($ty)).field("flavor", &self.flavor).finish()
            }
        }

        impl BenchRuntime for $ty {
            const NAME: &'static str = stringify!($krate);
            type JoinHandle<T: Send + 'static> = $krate::task::JoinHandle<T>;
            type JoinError = $krate::task::JoinError;

            fn new(flavor: Flavor) -> Self {
                let rt = match flavor {
                    Flavor::MultiThread(n) => $krate::runtime::Builder::new_multi_thread()
                        .worker_threads(n)
                        .build(),
                    Flavor::CurrentThread => $krate::runtime::Builder::new_current_thread().build(),
                }
                .expect(concat!("failed to build a ", stringify!($krate), " runtime"));
                $ty { rt, flavor }
            }

            fn flavor(&self) -> Flavor {
                self.flavor
            }

            fn block_on<F: Future>(&self, future: F) -> F::Output {
                self.rt.block_on(future)
            }

            fn spawn_remote<F>(&self, future: F) -> Self::JoinHandle<F::Output>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                self.rt.handle().spawn(future)
            }

            fn spawn<F>(future: F) -> Self::JoinHandle<F::Output>
            where
                F: Future + Send + 'static,
                F::Output: Send + 'static,
            {
                $krate::spawn(future)
            }

            fn spawn_blocking<F, R>(f: F) -> Self::JoinHandle<R>
            where
                F: FnOnce() -> R + Send + 'static,
                R: Send + 'static,
            {
                $krate::task::spawn_blocking(f)
            }

            fn yield_now() -> impl Future<Output = ()> + Send {
                $krate::task::yield_now()
            }

            fn new_with_io(flavor: Flavor) -> Self {
                let rt = match flavor {
                    Flavor::MultiThread(n) => $krate::runtime::Builder::new_multi_thread()
                        .worker_threads(n)
                        .enable_all()
                        .build(),
                    Flavor::CurrentThread => $krate::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build(),
                }
                .expect(concat!("failed to build a ", stringify!($krate), " runtime"));
                $ty { rt, flavor }
            }

            type TcpListener = $krate::net::TcpListener;
            type TcpStream = $krate::net::TcpStream;

            fn bind(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpListener>> + Send {
                $krate::net::TcpListener::bind(addr)
            }

            fn local_addr(listener: &Self::TcpListener) -> io::Result<SocketAddr> {
                listener.local_addr()
            }

            fn accept(
                listener: &Self::TcpListener,
            ) -> impl Future<Output = io::Result<Self::TcpStream>> + Send + '_ {
                async move { listener.accept().await.map(|(stream, _)| stream) }
            }

            fn connect(addr: SocketAddr) -> impl Future<Output = io::Result<Self::TcpStream>> + Send {
                $krate::net::TcpStream::connect(addr)
            }

            fn set_nodelay(stream: &Self::TcpStream, nodelay: bool) -> io::Result<()> {
                stream.set_nodelay(nodelay)
            }

            fn read<'a>(
                stream: &'a mut Self::TcpStream,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<usize>> + Send + 'a {
                $krate::io::AsyncReadExt::read(stream, buf)
            }

            fn read_exact<'a>(
                stream: &'a mut Self::TcpStream,
                buf: &'a mut [u8],
            ) -> impl Future<Output = io::Result<()>> + Send + 'a {
                async move { $krate::io::AsyncReadExt::read_exact(stream, buf).await.map(drop) }
            }

            fn write_all<'a>(
                stream: &'a mut Self::TcpStream,
                buf: &'a [u8],
            ) -> impl Future<Output = io::Result<()>> + Send + 'a {
                $krate::io::AsyncWriteExt::write_all(stream, buf)
            }
        }
    };
}

bench_runtime!(
    /// A magpie runtime under benchmark.
    Magpie,
    magpie
);
bench_runtime!(
    /// A tokio runtime under benchmark.
    Tokio,
    tokio
);
