//! Asynchronous I/O traits, helpers and readiness types.
//!
//! magpie's streams implement the [`futures-io`](https://docs.rs/futures-io)
//! traits [`AsyncRead`] and [`AsyncWrite`], shared by most of the async
//! ecosystem. Bring [`AsyncReadExt`] and [`AsyncWriteExt`] into scope for
//! `read`, `read_exact`, `read_to_end`, `write_all`, `flush` and `close`
//! (tokio's `shutdown`), as in tokio.
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
mod split;

pub(crate) use poll_evented::PollEvented;

pub use futures_io::{AsyncBufRead, AsyncRead, AsyncSeek, AsyncWrite};
pub use futures_util::io::{
    AllowStdIo, AsyncBufReadExt, AsyncReadExt, AsyncSeekExt, AsyncWriteExt, BufReader, BufWriter,
    Chain, Close, Copy, CopyBuf, Cursor, Empty, Error, ErrorKind, Flush, IoSlice, IoSliceMut,
    LineWriter, Lines, Read, ReadExact, ReadHalf, ReadLine, ReadToEnd, ReadToString, ReadUntil,
    ReadVectored, Repeat, Result, ReuniteError, SeekFrom, Sink, Take, Window, Write, WriteAll,
    WriteHalf, WriteVectored, copy, copy_buf, empty, repeat, sink,
};
pub use magpie_reactor::io::{Interest, Ready};
pub use split::split;
