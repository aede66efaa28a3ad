//! A multi-producer, single-consumer queue for sending values between
//! asynchronous tasks.
//!
//! This module provides two variants of the channel: bounded and unbounded.
//! The bounded variant has a limit on the number of messages that the
//! channel can store, and if this limit is reached, trying to send another
//! message will wait until a message is received from the channel. An
//! unbounded channel has an infinite capacity, so the `send` method will
//! always complete immediately. This makes the [`UnboundedSender`] usable
//! from both synchronous and asynchronous code.
//!
//! Similar to the `mpsc` channels provided by `std`, the channel constructor
//! functions provide separate send and receive handles, [`Sender`] and
//! [`Receiver`] for the bounded channel, [`UnboundedSender`] and
//! [`UnboundedReceiver`] for the unbounded channel. If there is no message
//! to read, the current task will be notified when a new value is sent.
//! [`Sender`] and [`UnboundedSender`] allow sending values into the channel.
//! If the bounded channel is at capacity, the send is rejected and the task
//! will be notified when additional capacity is available. In other words,
//! the channel provides backpressure.
//!
//! # Disconnection
//!
//! When all [`Sender`] handles have been dropped, it is no longer possible
//! to send values into the channel. This is considered the termination
//! event of the stream: `recv` returns `None` once the buffer is drained.
//!
//! If the [`Receiver`] handle is dropped, then messages can no longer be
//! read out of the channel. In this case, all further attempts to send will
//! result in an error. Additionally, all unread messages will be drained
//! from the channel and dropped.
//!
//! # Implementation
//!
//! See `chan.rs`: a `VecDeque` under a mutex, with a fair semaphore of free
//! slots for the bounded flavour.
//!
//! # Examples
//!
//! ```
//! use magpie::sync::mpsc;
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() {
//! let (tx, mut rx) = mpsc::channel(32);
//! for i in 0..3 {
//!     let tx = tx.clone();
//!     magpie::spawn(async move { tx.send(i).await.unwrap() });
//! }
//! drop(tx); // `recv` returns `None` once every sender is gone
//! let mut got = Vec::new();
//! while let Some(i) = rx.recv().await {
//!     got.push(i);
//! }
//! got.sort();
//! assert_eq!(got, [0, 1, 2]);
//! # }
//! ```

mod bounded;
mod chan;
pub mod error;
mod unbounded;

pub use bounded::{OwnedPermit, Permit, PermitIterator, Receiver, Sender, WeakSender, channel};
pub use unbounded::{UnboundedReceiver, UnboundedSender, WeakUnboundedSender, unbounded_channel};
