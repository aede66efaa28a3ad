//! Borrowed halves of a [`UnixStream`]: [`UnixStream::split`].

use crate::net::unix::SocketAddr;
use crate::net::unix::UnixStream;

crate::net::halves::borrowed_halves! {
    stream: UnixStream,
    addr: SocketAddr,
    read_extra: {},
}
