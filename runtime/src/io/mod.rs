//! Asynchronous I/O traits, helpers and readiness types.
//!
//! magpie's streams implement the [`futures-io`](https://docs.rs/futures-io)
//! traits [`AsyncRead`] and [`AsyncWrite`], shared by most of the async
//! ecosystem. Bring [`AsyncReadExt`] and [`AsyncWriteExt`] into scope for
//! `read`, `read_exact`, `read_to_end`, `write_all`, `flush`, `shutdown`,
//! `read_u32`, ... as in tokio. These two extension traits are magpie's own
//! (delegating to `futures-util`), so that they have tokio's method names
//! and no by-value `split` that would shadow the sockets' own `split`; the
//! other helpers are re-exported from `futures-util`.
//!
//! ```no_run
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::TcpStream;
//!
//! # async fn dox() -> std::io::Result<()> {
//! let mut stream = TcpStream::connect("127.0.0.1:8080").await?;
//! stream.write_all(b"hello").await?;
//! let mut buf = [0u8; 5];
//! stream.read_exact(&mut buf).await?;
//! # Ok(()) }
//! ```

mod poll_evented;
mod read_ext;
mod read_int;
mod split;
mod write_ext;

pub(crate) use poll_evented::PollEvented;

pub use futures_io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite};
pub use futures_util::io::{
    AllowStdIo, AsyncBufReadExt, AsyncSeekExt, BufReader, BufWriter, Chain, Close, Copy, CopyBuf,
    Cursor, Empty, Error, ErrorKind, Flush, IoSlice, IoSliceMut, LineWriter, Lines, Read,
    ReadExact, ReadHalf, ReadLine, ReadToEnd, ReadToString, ReadUntil, ReadVectored, Repeat,
    Result, ReuniteError, SeekFrom, Sink, Take, Window, Write, WriteAll, WriteHalf, WriteVectored,
    copy, copy_buf, empty, repeat, sink,
};
pub use magpie_reactor::io::{Interest, Ready};
pub use read_ext::AsyncReadExt;
pub use read_int::{ReadInt, WriteInt};
pub use split::split;
pub use write_ext::AsyncWriteExt;
