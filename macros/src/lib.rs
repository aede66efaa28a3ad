//! Attribute macros for [magpie]: `#[magpie::main]` and `#[magpie::test]`.
//!
//! Use them through the `magpie` crate (feature `macros`, on by default), not
//! by depending on this crate directly. The expansion names `::magpie` (or
//! the path given with `crate = "..."`) and nothing else.
//!
//! ```
//! #[magpie::main(flavor = "current_thread")]
//! async fn main() {
//!     let answer = magpie::spawn(async { 42 }).await.unwrap();
//!     assert_eq!(answer, 42);
//! }
//! ```
//!
//! Both macros take the options of tokio's `#[tokio::main]` and
//! `#[tokio::test]` (`flavor`, `worker_threads`, `start_paused`,
//! `unhandled_panic`, `crate`); a misuse is a compile error that points at
//! the offending token.
//!
//! [magpie]: https://docs.rs/magpie

#![warn(missing_docs)]
// The `main` docs show what the macro expands to: a plain `fn main`.
#![allow(clippy::needless_doctest_main)]

mod entry;

use proc_macro::TokenStream;

/// Marks an async function to be run on a magpie runtime built for it.
///
/// The function becomes a plain synchronous one that builds a runtime, runs
/// its body to completion with `block_on`, and returns the body's result, so
/// `async fn main() -> Result<(), E>` works, and so do `return` and `?` in the
/// body. It is made for `main`, where the runtime is the whole program, but
/// works on any async function; only `main` must take no arguments (a
/// function with arguments moves them into its body).
///
/// The multi-thread runtime is used unless `flavor = "current_thread"` is
/// given.
///
/// # Options
///
/// | option | values | default |
/// | --- | --- | --- |
/// | `flavor` | `"multi_thread"`, `"current_thread"` | `"multi_thread"` |
/// | `worker_threads` | a positive integer; `multi_thread` only | one per CPU |
/// | `start_paused` | `true`, `false`; `current_thread` only | `false` |
/// | `unhandled_panic` | `"ignore"`, `"shutdown_runtime"`; `current_thread` only | `"ignore"` |
/// | `crate` | a path in a string, e.g. `"::my_reexport::magpie"` | `"::magpie"` |
/// | `name` | a non-empty string: the runtime's name (`Handle::name`) | none |
///
/// A misuse is a compile error pointing at the offending token: the `async`
/// keyword missing, an unknown or repeated option, a bad value,
/// `worker_threads = 0`, an option that needs another flavor, or arguments
/// on `main`.
///
/// # Examples
///
/// ```
/// #[magpie::main]
/// async fn main() {
///     println!("Hello world");
/// }
/// ```
///
/// expands to
///
/// ```
/// fn main() {
///     let body = async {
///         println!("Hello world");
///     };
///     magpie::runtime::Builder::new_multi_thread()
///         .enable_all()
///         .build()
///         .expect("Failed building the Runtime")
///         .block_on(body)
/// }
/// ```
///
/// Choosing the flavor and the number of workers:
///
/// ```
/// #[magpie::main(flavor = "multi_thread", worker_threads = 10)]
/// async fn main() -> std::io::Result<()> {
///     let listener = magpie::net::TcpListener::bind("127.0.0.1:0").await?;
///     println!("listening on {}", listener.local_addr()?);
///     Ok(())
/// }
/// ```
///
/// A single-threaded runtime:
///
/// ```
/// #[magpie::main(flavor = "current_thread")]
/// async fn main() {
///     println!("Hello world");
/// }
/// ```
///
/// Using magpie through a re-export:
///
/// ```
/// mod my_framework {
///     pub use magpie;
/// }
///
/// #[my_framework::magpie::main(crate = "my_framework::magpie")]
/// async fn main() {}
/// ```
#[proc_macro_attribute]
pub fn main(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(entry::Kind::Main, args.into(), item.into()).into()
}

/// Marks an async function to be run as a test on a magpie runtime.
///
/// Like [`macro@main`], but the function also gets `#[test]`, and the
/// runtime defaults to the current-thread flavor: each test gets its own
/// runtime, and what the test spawns runs on the test's thread. Use
/// `flavor = "multi_thread"` to test on worker threads.
///
/// The options are those of [`macro@main`], with `flavor` defaulting to
/// `"current_thread"`. A test function cannot take arguments, and must not
/// carry a second `#[test]` attribute.
///
/// # Examples
///
/// ```
/// #[magpie::test]
/// async fn my_test() {
///     assert!(true);
/// }
/// ```
///
/// On the multi-thread runtime:
///
/// ```
/// #[magpie::test(flavor = "multi_thread", worker_threads = 2)]
/// async fn my_test() {
///     let answer = magpie::spawn(async { 42 }).await.unwrap();
///     assert_eq!(answer, 42);
/// }
/// ```
///
/// With time paused from the start (the clock advances only when every task
/// is idle, or through `magpie::time::advance`):
///
/// ```
/// #[magpie::test(start_paused = true)]
/// async fn timer_fires() {
///     magpie::time::sleep(std::time::Duration::from_secs(3600)).await;
/// }
/// ```
#[proc_macro_attribute]
pub fn test(args: TokenStream, item: TokenStream) -> TokenStream {
    entry::expand(entry::Kind::Test, args.into(), item.into()).into()
}
