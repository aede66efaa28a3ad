//! A TCP echo server.
//!
//! ```text
//! cargo run --example echo [ADDR]        # default 127.0.0.1:7878
//! nc 127.0.0.1 7878                      # type lines, get them back
//! ```
//!
//! The accept loop survives the errors a busy server meets: running out of
//! file descriptors (`EMFILE`/`ENFILE`) or memory, and connections reset
//! before they were accepted (`ECONNABORTED`). It logs them, waits a moment
//! (so that finishing connections can free descriptors) and keeps serving.

use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpListener, TcpStream};
use std::io;
use std::time::Duration;

#[magpie::main]
async fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&addr).await?;
    println!("echo server listening on {}", listener.local_addr()?);

    loop {
        match listener.accept().await {
            Ok((socket, peer)) => {
                magpie::spawn(async move {
                    if let Err(e) = echo(socket).await {
                        eprintln!("{peer}: {e}");
                    }
                });
            }
            Err(e) if is_transient(&e) => {
                eprintln!("accept failed: {e}; retrying shortly");
                magpie::time::sleep(Duration::from_millis(100)).await;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Errors that concern one connection attempt or a passing shortage, not
/// the listener itself.
fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EMFILE | libc::ENFILE | libc::ECONNABORTED | libc::ENOBUFS | libc::ENOMEM)
    ) || matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::Interrupted
    )
}

async fn echo(mut socket: TcpStream) -> io::Result<()> {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = socket.read(&mut buf).await?;
        if n == 0 {
            return Ok(());
        }
        socket.write_all(&buf[..n]).await?;
    }
}
