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
        pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.inner.peek(buf).await
        }

        /// Attempts to peek (see [`TcpStream::poll_peek`]).
        pub fn poll_peek(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
            self.inner.poll_peek(cx, buf)
        }
    },
}
