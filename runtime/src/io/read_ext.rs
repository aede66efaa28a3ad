//! [`AsyncReadExt`]: tokio-shaped read helpers over `futures-io`.

use crate::io::read_int::ReadInt;
use futures_io::AsyncRead;
use futures_util::io::{Chain, Read, ReadExact, ReadToEnd, ReadToString, ReadVectored, Take};
use std::io::IoSliceMut;

macro_rules! read_ints {
    ($($(#[$doc:meta])* $name:ident -> $ty:ty, $from:ident;)*) => {$(
        $(#[$doc])*
        ///
        /// # Examples
        ///
        #[doc = concat!(
            "```\n",
            "use magpie::io::AsyncReadExt;\n\n",
            "# #[magpie::main(flavor = \"current_thread\")]\n",
            "# async fn main() -> std::io::Result<()> {\n",
            "let bytes: Vec<u8> = (1..=16).collect();\n",
            "let mut reader: &[u8] = &bytes; // any AsyncRead: a socket, a file, ...\n",
            "let n = reader.", stringify!($name), "().await?;\n",
            "let size = std::mem::size_of::<", stringify!($ty), ">();\n",
            "assert_eq!(n, ", stringify!($ty), "::", stringify!($from), "(bytes[..size].try_into().unwrap()));\n",
            "# Ok(())\n",
            "# }\n",
            "```",
        )]
        fn $name(&mut self) -> ReadInt<'_, Self, $ty>
        where
            Self: Unpin,
        {
            ReadInt::new(self, |b| <$ty>::$from(b.try_into().expect("exact length")))
        }
    )*};
}

/// Reads bytes from a source; implemented for every
/// [`AsyncRead`](futures_io::AsyncRead).
///
/// The methods mirror `tokio::io::AsyncReadExt` (`read`, `read_exact`,
/// `read_to_end`, `read_to_string`, `chain`, `take`, `read_u32`, ...).
/// Unlike `futures::io::AsyncReadExt` it has no by-value `split`, so that
/// `stream.split()` keeps meaning the socket's own borrowed split, as in
/// tokio; use [`magpie::io::split`](crate::io::split) for the generic one.
///
/// ```no_run
/// use magpie::io::AsyncReadExt;
/// # async fn dox(mut stream: magpie::net::TcpStream) -> std::io::Result<()> {
/// let len = stream.read_u32().await?;
/// let mut body = vec![0; len as usize];
/// stream.read_exact(&mut body).await?;
/// # Ok(()) }
/// ```
pub trait AsyncReadExt: AsyncRead {
    /// Creates a reader that reads all of `self`, then all of `next`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut both = (&b"hello "[..]).chain(&b"world"[..]);
    /// let mut s = String::new();
    /// both.read_to_string(&mut s).await?;
    /// assert_eq!(s, "hello world");
    /// # Ok(())
    /// # }
    /// ```
    fn chain<R: AsyncRead>(self, next: R) -> Chain<Self, R>
    where
        Self: Sized,
    {
        futures_util::io::AsyncReadExt::chain(self, next)
    }

    /// Pulls some bytes into `buf`; returns how many (0 at end of stream).
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut reader: &[u8] = b"abc";
    /// let mut buf = [0u8; 8];
    /// let n = reader.read(&mut buf).await?;
    /// assert_eq!(&buf[..n], b"abc");
    /// assert_eq!(reader.read(&mut buf).await?, 0); // end of stream
    /// # Ok(())
    /// # }
    /// ```
    fn read<'a>(&'a mut self, buf: &'a mut [u8]) -> Read<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read(self, buf)
    }

    /// Like [`read`](AsyncReadExt::read), into several buffers.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// use std::io::IoSliceMut;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut reader: &[u8] = b"abcdef";
    /// let (mut a, mut b) = ([0u8; 2], [0u8; 4]);
    /// let n = reader.read_vectored(&mut [IoSliceMut::new(&mut a), IoSliceMut::new(&mut b)]).await?;
    /// assert_eq!(n, 6);
    /// assert_eq!((&a, &b), (b"ab", b"cdef"));
    /// # Ok(())
    /// # }
    /// ```
    fn read_vectored<'a>(&'a mut self, bufs: &'a mut [IoSliceMut<'a>]) -> ReadVectored<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read_vectored(self, bufs)
    }

    /// Reads exactly `buf.len()` bytes; `UnexpectedEof` if the stream ends
    /// first.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut reader: &[u8] = b"abcdef";
    /// let mut head = [0u8; 4];
    /// reader.read_exact(&mut head).await?;
    /// assert_eq!(&head, b"abcd");
    /// assert!(reader.read_exact(&mut head).await.is_err()); // only 2 bytes left
    /// # Ok(())
    /// # }
    /// ```
    fn read_exact<'a>(&'a mut self, buf: &'a mut [u8]) -> ReadExact<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read_exact(self, buf)
    }

    /// Reads everything until end of stream, appending to `buf`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// use magpie::net::UnixStream;
    /// use magpie::io::AsyncWriteExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let (mut a, mut b) = UnixStream::pair()?;
    /// a.write_all(b"all of it").await?;
    /// a.shutdown().await?; // b then reads end of stream
    /// let mut data = Vec::new();
    /// b.read_to_end(&mut data).await?;
    /// assert_eq!(data, b"all of it");
    /// # Ok(())
    /// # }
    /// ```
    fn read_to_end<'a>(&'a mut self, buf: &'a mut Vec<u8>) -> ReadToEnd<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read_to_end(self, buf)
    }

    /// Reads everything until end of stream as UTF-8, appending to `buf`.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let mut reader: &[u8] = "héllo".as_bytes();
    /// let mut s = String::new();
    /// reader.read_to_string(&mut s).await?;
    /// assert_eq!(s, "héllo");
    /// # Ok(())
    /// # }
    /// ```
    fn read_to_string<'a>(&'a mut self, buf: &'a mut String) -> ReadToString<'a, Self>
    where
        Self: Unpin,
    {
        futures_util::io::AsyncReadExt::read_to_string(self, buf)
    }

    /// Creates a reader that reads at most `limit` bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// use magpie::io::AsyncReadExt;
    ///
    /// # #[magpie::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let reader: &[u8] = b"abcdef";
    /// let mut first = reader.take(3);
    /// let mut s = String::new();
    /// first.read_to_string(&mut s).await?;
    /// assert_eq!(s, "abc");
    /// # Ok(())
    /// # }
    /// ```
    fn take(self, limit: u64) -> Take<Self>
    where
        Self: Sized,
    {
        futures_util::io::AsyncReadExt::take(self, limit)
    }

    read_ints! {
        /// Reads an unsigned 8-bit integer.
        read_u8 -> u8, from_be_bytes;
        /// Reads a signed 8-bit integer.
        read_i8 -> i8, from_be_bytes;
        /// Reads an unsigned 16-bit integer in big-endian order.
        read_u16 -> u16, from_be_bytes;
        /// Reads a signed 16-bit integer in big-endian order.
        read_i16 -> i16, from_be_bytes;
        /// Reads an unsigned 32-bit integer in big-endian order.
        read_u32 -> u32, from_be_bytes;
        /// Reads a signed 32-bit integer in big-endian order.
        read_i32 -> i32, from_be_bytes;
        /// Reads an unsigned 64-bit integer in big-endian order.
        read_u64 -> u64, from_be_bytes;
        /// Reads a signed 64-bit integer in big-endian order.
        read_i64 -> i64, from_be_bytes;
        /// Reads an unsigned 128-bit integer in big-endian order.
        read_u128 -> u128, from_be_bytes;
        /// Reads a signed 128-bit integer in big-endian order.
        read_i128 -> i128, from_be_bytes;
        /// Reads a 32-bit float in big-endian order.
        read_f32 -> f32, from_be_bytes;
        /// Reads a 64-bit float in big-endian order.
        read_f64 -> f64, from_be_bytes;
        /// Reads an unsigned 16-bit integer in little-endian order.
        read_u16_le -> u16, from_le_bytes;
        /// Reads a signed 16-bit integer in little-endian order.
        read_i16_le -> i16, from_le_bytes;
        /// Reads an unsigned 32-bit integer in little-endian order.
        read_u32_le -> u32, from_le_bytes;
        /// Reads a signed 32-bit integer in little-endian order.
        read_i32_le -> i32, from_le_bytes;
        /// Reads an unsigned 64-bit integer in little-endian order.
        read_u64_le -> u64, from_le_bytes;
        /// Reads a signed 64-bit integer in little-endian order.
        read_i64_le -> i64, from_le_bytes;
        /// Reads an unsigned 128-bit integer in little-endian order.
        read_u128_le -> u128, from_le_bytes;
        /// Reads a signed 128-bit integer in little-endian order.
        read_i128_le -> i128, from_le_bytes;
        /// Reads a 32-bit float in little-endian order.
        read_f32_le -> f32, from_le_bytes;
        /// Reads a 64-bit float in little-endian order.
        read_f64_le -> f64, from_le_bytes;
    }
}

impl<R: AsyncRead + ?Sized> AsyncReadExt for R {}
