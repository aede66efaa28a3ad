//! Downloads two `http://` URLs concurrently on one thread.
//!
//! ```text
//! cargo run --example download -- http://example.com/ http://example.org/
//! cargo run --example download          # two local servers on loopback
//! ```
//!
//! Both requests run inside one task, joined with
//! `futures_util::future::join`: while one waits for its server, the other
//! proceeds. For each URL it prints the status line, the number of body
//! bytes and the time taken. Plain HTTP/1.0 only (no TLS, no redirects).

use futures_util::future::join;
use magpie::io::{AsyncReadExt, AsyncWriteExt};
use magpie::net::{TcpListener, TcpStream};
use std::io;
use std::time::{Duration, Instant};

#[magpie::main(flavor = "current_thread")]
async fn main() -> io::Result<()> {
    let mut urls: Vec<String> = std::env::args().skip(1).collect();
    if urls.is_empty() {
        let a = serve_locally(64 * 1024, Duration::from_millis(200)).await?;
        let b = serve_locally(1024 * 1024, Duration::from_millis(100)).await?;
        urls = vec![format!("http://{a}/small"), format!("http://{b}/large")];
    }
    if urls.len() != 2 {
        eprintln!("usage: download [URL URL]");
        std::process::exit(2);
    }
    let started = Instant::now();
    let (first, second) = join(fetch(&urls[0]), fetch(&urls[1])).await;
    for (url, result) in [(&urls[0], first), (&urls[1], second)] {
        match result {
            Ok(r) => println!(
                "{url}: {} | {} body bytes | {:.1?}",
                r.status_line, r.body_len, r.elapsed
            ),
            Err(e) => println!("{url}: error: {e}"),
        }
    }
    println!("both done in {:.1?}", started.elapsed());
    Ok(())
}

struct Fetched {
    status_line: String,
    body_len: usize,
    elapsed: Duration,
}

/// `http://host[:port][/path]` split into its parts.
fn parse_url(url: &str) -> io::Result<(String, u16, String)> {
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("{url}: {why}"));
    let rest = url
        .strip_prefix("http://")
        .ok_or_else(|| invalid("only http:// URLs are supported"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => {
            (h, p.parse().map_err(|_| invalid("bad port"))?)
        }
        _ => (authority, 80),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    if host.is_empty() {
        return Err(invalid("no host"));
    }
    Ok((host.to_string(), port, path.to_string()))
}

async fn fetch(url: &str) -> io::Result<Fetched> {
    let started = Instant::now();
    let (host, port, path) = parse_url(url)?;
    let mut stream = TcpStream::connect((host.as_str(), port)).await?;
    let request = format!(
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nUser-Agent: magpie-download\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(request.as_bytes()).await?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response).await?;
    let header_end = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4)
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no end of headers"))?;
    let status_line = String::from_utf8_lossy(&response[..header_end])
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    Ok(Fetched {
        status_line,
        body_len: response.len() - header_end,
        elapsed: started.elapsed(),
    })
}

/// Starts a one-request HTTP server on loopback that answers, after
/// `delay`, with `body_len` bytes; returns its address.
async fn serve_locally(body_len: usize, delay: Duration) -> io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    magpie::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        magpie::time::sleep(delay).await;
        let head = format!(
            "HTTP/1.0 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {body_len}\r\n\r\n"
        );
        let body = vec![b'm'; body_len];
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&body).await;
        let _ = socket.shutdown().await;
    });
    Ok(addr)
}
