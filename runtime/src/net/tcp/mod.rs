//! TCP utility types: the halves of a split [`TcpStream`].
//!
//! # Examples
//!
//! ```
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::{tcp, TcpListener, TcpStream};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let listener = TcpListener::bind("127.0.0.1:0").await?;
//! let stream = TcpStream::connect(listener.local_addr()?).await?;
//! let (mut peer, _) = listener.accept().await?;
//! let (mut reader, mut writer): (tcp::OwnedReadHalf, tcp::OwnedWriteHalf) = stream.into_split();
//! writer.write_all(b"hi").await?;
//! let mut buf = [0u8; 2];
//! peer.read_exact(&mut buf).await?;
//! peer.write_all(&buf).await?;
//! reader.read_exact(&mut buf).await?;
//! assert_eq!(&buf, b"hi");
//! # Ok(())
//! # }
//! ```

mod listener;
mod socket;
pub(crate) mod split;
pub(crate) mod split_owned;
mod stream;

pub use listener::TcpListener;
pub use socket::TcpSocket;
pub use split::{ReadHalf, WriteHalf};
pub use split_owned::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::TcpStream;
