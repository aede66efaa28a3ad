//! TCP utility types: the halves of a split [`TcpStream`].

mod listener;
pub(crate) mod split;
pub(crate) mod split_owned;
mod stream;

pub use listener::TcpListener;
pub use split::{ReadHalf, WriteHalf};
pub use split_owned::{OwnedReadHalf, OwnedWriteHalf, ReuniteError};
pub use stream::TcpStream;
