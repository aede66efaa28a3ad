//! [`AsyncWriteExt`]: tokio-shaped write helpers over `futures-io`.

use crate::io::read_int::WriteInt;
use futures_io::AsyncWrite;
use futures_util::io::{Close, Flush, Write, WriteAll, WriteVectored};
use std::io::IoSlice;

macro_rules! write_ints {
    ($($(#[$doc:meta])* $name:ident($ty:ty), $to:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use magpie::io::AsyncWriteExt;\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "let mut buf: Vec<u8> = Vec::new(); // any AsyncWrite: a socket, a file, ...\n",
            "buf.", stringify!($name), "(42 as ", stringify!($ty), ").await?;\n",
            "assert_eq!(buf, (42 as ", stringify!($ty), ").", stringify!($to), "());\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        fn $name(&mut self, n: $ty) -> WriteInt<'_, Self>
        where
            Self: Unpin,
        {
            WriteInt::new(self, &n.$to())
        }
    )*};
}

/// Writes bytes to a sink; implemented for every
/// [`AsyncWrite`](futures_io::AsyncWrite).
///
/// The methods mirror `tokio::io::AsyncWriteExt`: `write`, `write_all`,
/// `write_vectored`, `flush`, `shutdown` (also known as `close`, its
/// `futures-io` name: on sockets both shut down the write direction) and
/// `write_u32` & co.
///
/// # Examples
///
/// ```
/// use magpie::io::AsyncWriteExt;
///
/// use magpie::io::AsyncReadExt;
/// use magpie::net::UnixStream;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let (mut a, mut b) = UnixStream::pair()?;
/// a.write_u16(3).await?;
/// a.write_all(b"abc").await?;
/// let len = b.read_u16().await?;
/// let mut body = vec![0; len as usize];
/// b.read_exact(&mut body).await?;
/// assert_eq!(body, b"abc");
/// # Ok(())
/// # }
/// ```
pub trait AsyncWriteExt: AsyncWrite {
    /// Writes some bytes from `buf`; returns how many.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut out: Vec<u8> = Vec::new();
    /// let n = out.write(b"hello").await?;
    /// assert_eq!(&out[..n], &b"hello"[..n]);
    /// # Ok(())
    /// # }
    /// ```
    fn write<'a>(&'a mut self, buf: &'a [u8]) -> Write<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::write(self, buf)
    }

    /// Like [`write`](AsyncWriteExt::write), from several buffers.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    ///
    /// use std::io::IoSlice;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut out: Vec<u8> = Vec::new();
    /// let n = out.write_vectored(&[IoSlice::new(b"ab"), IoSlice::new(b"cd")]).await?;
    /// assert_eq!(&out[..n], &b"abcd"[..n]);
    /// # Ok(())
    /// # }
    /// ```
    fn write_vectored<'a>(&'a mut self, bufs: &'a [IoSlice<'a>]) -> WriteVectored<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::write_vectored(self, bufs)
    }

    /// Writes all of `buf`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut out: Vec<u8> = Vec::new();
    /// out.write_all(b"every byte").await?;
    /// assert_eq!(out, b"every byte");
    /// # Ok(())
    /// # }
    /// ```
    fn write_all<'a>(&'a mut self, buf: &'a [u8]) -> WriteAll<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::write_all(self, buf)
    }

    /// Flushes buffered data.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    ///
    /// use magpie::io::BufWriter;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut out = BufWriter::new(Vec::new());
    /// out.write_all(b"buffered").await?;
    /// out.flush().await?; // pushes the buffer into the Vec
    /// assert_eq!(out.get_ref().as_slice(), b"buffered");
    /// # Ok(())
    /// # }
    /// ```
    fn flush(&mut self) -> Flush<'_, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::flush(self)
    }

    /// Shuts down the writer (for a socket: `shutdown(Write)`; the peer
    /// then reads end of stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    ///
    /// use magpie::io::AsyncReadExt;
    /// use magpie::net::UnixStream;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (mut a, mut b) = UnixStream::pair()?;
    /// a.shutdown().await?;
    /// let mut buf = [0u8; 1];
    /// assert_eq!(b.read(&mut buf).await?, 0); // the peer sees end of stream
    /// # Ok(())
    /// # }
    /// ```
    fn shutdown(&mut self) -> Close<'_, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::close(self)
    }

    /// Same as [`shutdown`](AsyncWriteExt::shutdown) (the `futures-io`
    /// name).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncWriteExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut out: Vec<u8> = Vec::new();
    /// out.write_all(b"x").await?;
    /// out.close().await?;
    /// # Ok(())
    /// # }
    /// ```
    fn close(&mut self) -> Close<'_, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncWriteExt::close(self)
    }

    write_ints! {
        /// Writes an unsigned 8-bit integer.
        write_u8(u8), to_be_bytes;
        /// Writes a signed 8-bit integer.
        write_i8(i8), to_be_bytes;
        /// Writes an unsigned 16-bit integer in big-endian order.
        write_u16(u16), to_be_bytes;
        /// Writes a signed 16-bit integer in big-endian order.
        write_i16(i16), to_be_bytes;
        /// Writes an unsigned 32-bit integer in big-endian order.
        write_u32(u32), to_be_bytes;
        /// Writes a signed 32-bit integer in big-endian order.
        write_i32(i32), to_be_bytes;
        /// Writes an unsigned 64-bit integer in big-endian order.
        write_u64(u64), to_be_bytes;
        /// Writes a signed 64-bit integer in big-endian order.
        write_i64(i64), to_be_bytes;
        /// Writes an unsigned 128-bit integer in big-endian order.
        write_u128(u128), to_be_bytes;
        /// Writes a signed 128-bit integer in big-endian order.
        write_i128(i128), to_be_bytes;
        /// Writes a 32-bit float in big-endian order.
        write_f32(f32), to_be_bytes;
        /// Writes a 64-bit float in big-endian order.
        write_f64(f64), to_be_bytes;
        /// Writes an unsigned 16-bit integer in little-endian order.
        write_u16_le(u16), to_le_bytes;
        /// Writes a signed 16-bit integer in little-endian order.
        write_i16_le(i16), to_le_bytes;
        /// Writes an unsigned 32-bit integer in little-endian order.
        write_u32_le(u32), to_le_bytes;
        /// Writes a signed 32-bit integer in little-endian order.
        write_i32_le(i32), to_le_bytes;
        /// Writes an unsigned 64-bit integer in little-endian order.
        write_u64_le(u64), to_le_bytes;
        /// Writes a signed 64-bit integer in little-endian order.
        write_i64_le(i64), to_le_bytes;
        /// Writes an unsigned 128-bit integer in little-endian order.
        write_u128_le(u128), to_le_bytes;
        /// Writes a signed 128-bit integer in little-endian order.
        write_i128_le(i128), to_le_bytes;
        /// Writes a 32-bit float in little-endian order.
        write_f32_le(f32), to_le_bytes;
        /// Writes a 64-bit float in little-endian order.
        write_f64_le(f64), to_le_bytes;
    }
}

impl<W: AsyncWrite + ?Sized> AsyncWriteExt for W {}
