//! `spawn_blocking` and `block_in_place`.

use super::JoinHandle;
use crate::scheduler::Context as SchedContext;

/// Runs a blocking closure on a thread of the runtime's blocking pool and
/// returns a handle to await its result (`tokio::task::spawn_blocking`).
///
/// The pool grows on demand up to `max_blocking_threads` (default 512);
/// idle threads exit after 10 s. A panic in `f` becomes a [`JoinError`]
/// (`is_panic()`). Aborting works only before the closure starts.
///
/// ```
/// # magpie::runtime::Runtime::new().unwrap().block_on(async {
/// let sum = magpie::task::spawn_blocking(|| (1..=10u32).sum::<u32>()).await.unwrap();
/// assert_eq!(sum, 55);
/// # });
/// ```
///
/// [`JoinError`]: super::JoinError
///
/// # Panics
///
/// Panics when called outside a magpie runtime.
#[track_caller]
pub fn spawn_blocking<F, R>(f: F) -> JoinHandle<R>
where
    F: FnOnce() -> R + Send + 'static,
    R: Send + 'static,
{
    let mut f = Some(f);
    match crate::context::with_current(|h| h.spawn_blocking(f.take().expect("spawn_blocking"))) {
        Ok(join) => join,
        Err(e) => panic!("magpie::task::spawn_blocking {}", e),
    }
}

/// Runs blocking code on the current worker thread after handing the
/// worker's queue to a fresh thread, so other tasks keep running
/// (`tokio::task::block_in_place`). Outside a runtime it just calls `f`.
///
/// # Panics
///
/// Panics on a current-thread runtime.
///
/// # Examples
///
/// ```
/// # #[magpie::main]
/// # async fn main() {
/// let value = magpie::task::block_in_place(|| {
///     // Blocking work; the worker's other tasks move to another thread.
///     std::thread::sleep(std::time::Duration::from_millis(1));
///     42
/// });
/// assert_eq!(value, 42);
/// # }
/// ```
#[track_caller]
pub fn block_in_place<F, R>(f: F) -> R
where
    F: FnOnce() -> R,
{
    crate::context::with_scheduler(|cx| match cx {
        Some(SchedContext::MultiThread(cx)) => cx.hand_off_core(),
        Some(SchedContext::CurrentThread(_)) => {
            panic!("can call blocking only when running on the multi-threaded runtime")
        }
        None => {}
    });
    crate::context::exit_runtime(f)
}
