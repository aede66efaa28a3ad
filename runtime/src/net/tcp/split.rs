//! Borrowed halves of a [`TcpStream`]: [`TcpStream::split`].

use crate::net::tcp::TcpStream;
use std::io;
use std::net::SocketAddr;
use std::task::{Context, Poll};

crate::net::halves::borrowed_halves! {
    stream: TcpStream,
    addr: SocketAddr,
    read_extra: {
        /// Receives data without removing it from the queue.
        pub async fn peek(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            self.0.peek(buf).await
        }

        /// Attempts to peek (see [`TcpStream::poll_peek`]).
        pub fn poll_peek(&mut self, cx: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
            self.0.poll_peek(cx, buf)
        }
    },
}
