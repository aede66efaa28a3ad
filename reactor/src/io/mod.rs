//! The I/O half of the reactor: readiness of mio sources, delivered to
//! wakers. See `driver.rs` for who polls, `scheduled_io.rs` for the
//! readiness word and `registration.rs` for the one-reader/one-writer rule.

pub(crate) mod driver;
mod interest;
mod ready;
mod registration;
mod registration_set;
mod scheduled_io;

#[cfg(all(test, loom))]
mod tests;

#[cfg(all(test, not(loom)))]
mod driver_tests;

pub use driver::{Driver, Handle};
pub use interest::Interest;
pub use ready::Ready;
pub use registration::{Direction, Registration};
pub use scheduled_io::ReadyEvent;
