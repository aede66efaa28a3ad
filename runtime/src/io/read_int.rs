//! The futures behind `read_u32` & co. and `write_u32` & co.

use futures_io::{AsyncRead, AsyncWrite};
use std::future::Future;
use std::io;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

/// Future for `AsyncReadExt::read_u8` and the other integer readers.
///
/// # Examples
///
/// ```
/// use magpie::io::AsyncReadExt;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let mut reader: &[u8] = &[0, 0, 1, 0];
/// let fut: magpie::io::ReadInt<'_, &[u8], u32> = reader.read_u32();
/// assert_eq!(fut.await?, 256);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ReadInt<'a, R: ?Sized, T> {
    reader: &'a mut R,
    buf: [u8; 16],
    filled: usize,
    decode: fn(&[u8]) -> T,
    _out: PhantomData<fn() -> T>,
}

impl<'a, R: ?Sized, T> ReadInt<'a, R, T> {
    pub(crate) fn new(reader: &'a mut R, decode: fn(&[u8]) -> T) -> Self {
        ReadInt {
            reader,
            buf: [0; 16],
            filled: 0,
            decode,
            _out: PhantomData,
        }
    }
}

impl<R: AsyncRead + Unpin + ?Sized, T> Future for ReadInt<'_, R, T> {
    type Output = io::Result<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let this = self.get_mut();
        let len = size_of::<T>();
        while this.filled < len {
            let n =
                ready!(Pin::new(&mut *this.reader).poll_read(cx, &mut this.buf[this.filled..len]))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::UnexpectedEof.into()));
            }
            this.filled += n;
        }
        Poll::Ready(Ok((this.decode)(&this.buf[..len])))
    }
}

/// Future for `AsyncWriteExt::write_u8` and the other integer writers.
///
/// # Examples
///
/// ```
/// use magpie::io::AsyncWriteExt;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let mut out: Vec<u8> = Vec::new();
/// let fut: magpie::io::WriteInt<'_, Vec<u8>> = out.write_u32(256);
/// fut.await?;
/// assert_eq!(out, [0, 0, 1, 0]);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct WriteInt<'a, W: ?Sized> {
    writer: &'a mut W,
    buf: [u8; 16],
    len: usize,
    written: usize,
}

impl<'a, W: ?Sized> WriteInt<'a, W> {
    pub(crate) fn new(writer: &'a mut W, bytes: &[u8]) -> Self {
        let mut buf = [0; 16];
        buf[..bytes.len()].copy_from_slice(bytes);
        WriteInt {
            writer,
            buf,
            len: bytes.len(),
            written: 0,
        }
    }
}

impl<W: AsyncWrite + Unpin + ?Sized> Future for WriteInt<'_, W> {
    type Output = io::Result<()>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        while this.written < this.len {
            let n = ready!(
                Pin::new(&mut *this.writer).poll_write(cx, &this.buf[this.written..this.len])
            )?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            this.written += n;
        }
        Poll::Ready(Ok(()))
    }
}
