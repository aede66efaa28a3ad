//! The runtime: `Builder`, `Runtime`, `Handle` (`tokio::runtime`).
//!
//! ```
//! use magpie::runtime::Runtime;
//!
//! let rt = Runtime::new().unwrap();
//! let answer = rt.block_on(async {
//!     let task = magpie::spawn(async { 40 + 2 });
//!     task.await.unwrap()
//! });
//! assert_eq!(answer, 42);
//! ```

mod builder;
pub(crate) mod config;
mod handle;
pub(crate) mod metrics;
pub(crate) mod park;
#[allow(clippy::module_inception)]
mod runtime;
mod scope;
pub(crate) mod watchdog;

pub use builder::{Builder, UnhandledPanic};
pub use handle::{EnterGuard, Handle, TryCurrentError};
pub use metrics::RuntimeMetrics;
pub use runtime::is_rt_shutdown_err;

mod id;
pub use id::Id;
pub use runtime::{Runtime, RuntimeFlavor};
pub use scope::{Scope, ScopedJoinHandle};
pub use watchdog::SlowPoll;
#[cfg(feature = "tracing")]
pub use watchdog::log_slow_poll;
