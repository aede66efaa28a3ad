//! Behaviour where magpie deliberately does better than tokio (not part of
//! the suite that is also run against tokio).

use super::support::spawn;
use crate::sync::Semaphore;

/// tokio grants the waiter and then panics on the overflow without waking
/// it (its wake-up list is dropped by the unwind); we wake it.
#[test]
fn overflowing_add_still_wakes_granted_waiter() {
    let sem = Semaphore::new(0);
    let mut w = spawn(sem.acquire());
    w.pending();
    let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| sem.add_permits(usize::MAX)));
    assert!(r.is_err());
    assert!(w.is_woken());
    assert!(w.ready().is_ok());
}
