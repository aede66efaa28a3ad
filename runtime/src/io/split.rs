//! The free function [`split`], as in `tokio::io::split`.

use futures_io::{AsyncRead, AsyncWrite};
use futures_util::io::{AsyncReadExt, ReadHalf, WriteHalf};

/// Splits a single value implementing `AsyncRead + AsyncWrite` into
/// separate `AsyncRead` and `AsyncWrite` handles.
///
/// The halves share the value through a lock; they can be
/// [`reunite`](ReadHalf::reunite)d. For sockets prefer their own
/// `into_split`, which needs no lock.
///
/// # Examples
///
/// ```
/// use magpie::io::{self, AsyncReadExt, AsyncWriteExt};
/// use magpie::net::UnixStream;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let (a, mut b) = UnixStream::pair()?;
/// let (mut reader, mut writer) = io::split(a);
/// writer.write_all(b"ping").await?;
/// let mut buf = [0u8; 4];
/// b.read_exact(&mut buf).await?;
/// b.write_all(&buf).await?;
/// reader.read_exact(&mut buf).await?;
/// assert_eq!(&buf, b"ping");
/// # Ok(())
/// # }
/// ```
pub fn split<T: AsyncRead + AsyncWrite>(stream: T) -> (ReadHalf<T>, WriteHalf<T>) {
    AsyncReadExt::split(stream)
}
