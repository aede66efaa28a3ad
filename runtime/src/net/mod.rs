//! TCP/UDP/Unix bindings.
//!
//! Every type here registers its socket with the reactor of the current
//! runtime; creating one outside a runtime panics, and using one after its
//! runtime shut down returns an error.
//!
//! # Examples
//!
//! ```
//! use magpie::io::{AsyncReadExt, AsyncWriteExt};
//! use magpie::net::{TcpListener, TcpStream};
//!
//! # #[magpie::main(flavor = "current_thread")]
//! # async fn main() -> std::io::Result<()> {
//! let listener = TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! let server = magpie::spawn(async move {
//!     let (mut socket, _) = listener.accept().await?;
//!     let mut buf = [0u8; 5];
//!     socket.read_exact(&mut buf).await?;
//!     socket.write_all(&buf).await?; // echo
//!     Ok::<_, std::io::Error>(())
//! });
//! let mut client = TcpStream::connect(addr).await?;
//! client.write_all(b"hello").await?;
//! let mut buf = [0u8; 5];
//! client.read_exact(&mut buf).await?;
//! assert_eq!(&buf, b"hello");
//! server.await.unwrap()?;
//! # Ok(())
//! # }
//! ```

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
