//! TCP/UDP/Unix bindings.
//!
//! Every type here registers its socket with the reactor of the current
//! runtime; creating one outside a runtime panics, and using one after its
//! runtime shut down returns an error.

mod addr;
mod halves;
mod inq;
mod io_impls;
mod sockopt;
pub mod tcp;
mod udp;
pub mod unix;

pub use addr::{ToSocketAddrs, lookup_host};
pub use tcp::{TcpListener, TcpSocket, TcpStream};
pub use udp::UdpSocket;
pub use unix::{UnixDatagram, UnixListener, UnixStream};

#[cfg(all(test, not(loom)))]
mod tests;
