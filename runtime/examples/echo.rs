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
//!
//! Ctrl-C shuts it down gracefully: it stops accepting, gives the open
//! connections a few seconds to finish (a client closing its side ends
//! its connection), drops those still open after that, and exits with 0.

use futures_util::future::{Either, select};
use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpListener, TcpStream};
use magpie::task::JoinSet;
use std::io;
use std::pin::pin;
use std::time::Duration;

/// How long open connections may take to finish after ctrl-c.
const GRACE: Duration = Duration::from_secs(5);

#[magpie::main]
async fn main() -> io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:7878".to_string());
    let listener = TcpListener::bind(&addr).await?;
    println!(
        "echo server listening on {} (ctrl-c to stop)",
        listener.local_addr()?
    );

    // Created once, outside the loop: a ctrl-c that arrives while we are
    // busy accepting is not lost.
    let mut ctrl_c = pin!(magpie::signal::ctrl_c());
    let mut connections = JoinSet::new();
    loop {
        // Reap finished connections so the set does not grow forever.
        while connections.try_join_next().is_some() {}

        let accept = pin!(listener.accept());
        match select(ctrl_c.as_mut(), accept).await {
            Either::Left((res, _)) => {
                res?;
                break;
            }
            Either::Right((Ok((socket, peer)), _)) => {
                connections.spawn(async move {
                    if let Err(e) = echo(socket).await {
                        eprintln!("{peer}: {e}");
                    }
                });
            }
            Either::Right((Err(e), _)) if is_transient(&e) => {
                eprintln!("accept failed: {e}; retrying shortly");
                magpie::time::sleep(Duration::from_millis(100)).await;
            }
            Either::Right((Err(e), _)) => return Err(e),
        }
    }

    // Stop accepting: new connection attempts are refused from here on.
    drop(listener);
    println!(
        "\nctrl-c: shutting down, waiting up to {GRACE:?} for {} open connection(s)",
        connections.len()
    );
    let drained = magpie::time::timeout(GRACE, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    match drained {
        Ok(()) => println!("all connections finished; bye"),
        Err(_) => {
            println!(
                "dropping {} connection(s) still open; bye",
                connections.len()
            );
            connections.shutdown().await;
        }
    }
    Ok(())
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
