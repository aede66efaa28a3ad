//! Owned halves of a [`TcpStream`]: [`TcpStream::into_split`].

use crate::net::tcp::TcpStream;
use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};

crate::net::halves::owned_halves! {
    stream: TcpStream,
    addr: SocketAddr,
    read_extra: {
        /// Receives data without removing it from the queue.
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::{TcpListener, TcpStream};
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// let listener = TcpListener::bind("127.0.0.1:0").await?;
        /// let client = TcpStream::connect(listener.local_addr()?).await?;
        /// let (server, _) = listener.accept().await?;
        /// let mut client = client;
        /// client.write_all(b"hi").await?;
        /// let (mut reader, _writer) = server.into_split();
        /// let mut buf = [0u8; 2];
        /// assert_eq!(reader.peek(&mut buf).await?, 2);
        /// # Ok(())
        /// # }
        /// ```
        pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.inner.peek(buf).await
        }

        /// Attempts to peek (see [`TcpStream::poll_peek`]).
        ///
        /// # Examples
        ///
        /// ```
        /// use magpie::io::AsyncWriteExt;
        /// use magpie::net::{TcpListener, TcpStream};
        ///
        /// # #[magpie::main(flavor = "current_thread")]
        /// # async fn main() -> std::io::Result<()> {
        /// let listener = TcpListener::bind("127.0.0.1:0").await?;
        /// let client = TcpStream::connect(listener.local_addr()?).await?;
        /// let (server, _) = listener.accept().await?;
        /// use std::future::poll_fn;
        /// let mut client = client;
        /// client.write_all(b"hi").await?;
        /// let (mut reader, _writer) = server.into_split();
        /// let mut buf = [0u8; 2];
        /// poll_fn(|cx| reader.poll_peek(cx, &mut buf)).await?;
        /// # Ok(())
        /// # }
        /// ```
        pub fn poll_peek(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
            self.inner.poll_peek(cx, buf)
        }
    },
}
