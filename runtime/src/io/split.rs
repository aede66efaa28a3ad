//! The free function [`split`], as in `tokio::io::split`.

use futures_io::{AsyncRead, AsyncWrite};
use futures_util::io::{AsyncReadExt, ReadHalf, WriteHalf};

/// Splits a single value implementing `AsyncRead + AsyncWrite` into
/// separate `AsyncRead` and `AsyncWrite` handles.
///
/// The halves share the value through a lock; they can be
/// [`reunite`](ReadHalf::reunite)d. For sockets prefer their own
/// `into_split`, which needs no lock.
pub fn split<T: AsyncRead + AsyncWrite>(stream: T) -> (ReadHalf<T>, WriteHalf<T>) {
    AsyncReadExt::split(stream)
}
