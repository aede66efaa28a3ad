//! Owned halves of a [`UnixStream`]: [`UnixStream::into_split`].

use crate::net::unix::SocketAddr;
use crate::net::unix::UnixStream;

crate::net::halves::owned_halves! {
    stream: UnixStream,
    addr: SocketAddr,
    read_extra: {},
}
