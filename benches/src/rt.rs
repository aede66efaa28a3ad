//! One trait over both runtimes, so every workload is written once.
//!
//! The two implementations are produced by the same macro from the same
//! token stream with only the crate name swapped, which is also a check
//! that magpie's API is a drop-in copy of tokio's for what is used here.

use std::fmt;
use std::future::Future;

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
