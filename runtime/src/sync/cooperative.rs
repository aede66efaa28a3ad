//! Budget accounting for composite sync futures (`watch`, `broadcast`).

use std::future::Future;
use std::pin::pin;
use std::task::ready;

/// Runs `fut`, spending one unit of the task's budget per poll that
/// completes, and yielding (Pending + self-wake) when the budget is gone.
pub(crate) async fn cooperative<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    std::future::poll_fn(|cx| {
        let coop = ready!(crate::coop::poll_proceed(cx));
        let out = fut.as_mut().poll(cx);
        if out.is_ready() {
            coop.made_progress();
        }
        out
    })
    .await
}
