//! Runtime identity.

use std::fmt;
use std::num::NonZeroU64;

/// An opaque ID that uniquely identifies a runtime relative to all other
/// currently running runtimes.
///
/// # Notes
///
/// - Runtime IDs are unique relative to other *currently running* runtimes.
///   When a runtime completes, the same ID may be used for another runtime.
/// - Runtime IDs are *not* sequential, and do not indicate the order in which
///   runtimes are started or any other data.
/// - The runtime ID of the currently running task can be obtained from the
///   Handle.
///
/// # Examples
///
/// ```
/// use magpie::runtime::Handle;
///
/// #[magpie::main(flavor = "multi_thread", worker_threads = 2)]
/// async fn main() {
///     println!("Current runtime id: {}", Handle::current().id());
/// }
/// ```
#[derive(Clone, Copy, Debug, Hash, Eq, PartialEq)]
pub struct Id(NonZeroU64);

impl Id {
    /// The identity of a live scheduler: the address of its shared state,
    /// which no other live runtime can have.
    pub(crate) fn from_addr(addr: *const ()) -> Id {
        // A live allocation's address is never 0.
        Id(NonZeroU64::new(addr as usize as u64).expect("non-null scheduler address"))
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
