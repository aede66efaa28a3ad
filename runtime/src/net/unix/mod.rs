//! Unix domain socket utility types.
//!
//! # Examples
//!
//! ```
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::{unix, UnixStream};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let (a, mut b) = UnixStream::pair()?;
//! let (mut reader, mut writer): (unix::OwnedReadHalf, unix::OwnedWriteHalf) = a.into_split();
//! writer.write_all(b"hi").await?;
//! let mut buf = [0u8; 2];
//! b.read_exact(&mut buf).await?;
//! b.write_all(&buf).await?;
//! reader.read_exact(&mut buf).await?;
//! assert_eq!(&buf, b"hi");
//! # Ok(())
//! # }
//! ```

mod datagram;
mod listener;
mod socket_addr;
pub(crate) mod split;
pub(crate) mod split_owned;
mod stream;
mod ucred;

pub use datagram::UnixDatagram;
pub use listener::UnixListener;
pub use socket_addr::SocketAddr;
pub use split::{ReadHalf, WriteHalf};
pub use split_owned::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::UnixStream;
pub use ucred::UCred;
