//! A minimal HTTP/1.1 hello-world server, written once against
//! [`BenchRuntime`] (see `src/bin/http_server.rs` and
//! `scripts/http.sh`).
//!
//! It parses just enough HTTP/1.1 to be a fair keep-alive target for
//! `wrk`: the request line, `Content-Length` (a body is skipped) and
//! `Connection` (`close`, or `keep-alive` on HTTP/1.0). Pipelined requests
//! are answered in one write. Every request gets the same response,
//! [`RESPONSE`], with the 13-byte body `Hello, World!`.

use crate::rt::BenchRuntime;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The response to every request.
pub const RESPONSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 13\r\n\r\nHello, World!";

/// The response to a request that cannot be parsed (the connection is then
/// closed).
pub const BAD_REQUEST: &[u8] =
    b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";

/// Largest request head plus body a connection buffers.
pub const MAX_REQUEST: usize = 8192;

/// What [`parse_request`] found at the start of a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parsed {
    /// A whole request of `len` bytes (head and body); `close` if the
    /// connection must be closed after the response.
    Complete {
        /// Bytes the request occupies.
        len: usize,
        /// Whether the client asked for the connection to be closed.
        close: bool,
    },
    /// The request is not complete yet: read more.
    Partial,
    /// Not an HTTP/1.x request this server understands.
    Invalid,
}

fn find_head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// Parses the request at the start of `buf`.
pub fn parse_request(buf: &[u8]) -> Parsed {
    let Some(head_len) = find_head_end(buf) else {
        return if buf.len() >= MAX_REQUEST {
            Parsed::Invalid
        } else {
            Parsed::Partial
        };
    };
    let Ok(head) = std::str::from_utf8(&buf[..head_len - 4]) else {
        return Parsed::Invalid;
    };
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or("");
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Parsed::Invalid;
    };
    if method.is_empty() || !target.starts_with('/') {
        return Parsed::Invalid;
    }
    let mut close = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Parsed::Invalid,
    };
    let mut body = 0usize;
    for line in lines {
        let Some((name, value)) = line.split_once(':') else {
            return Parsed::Invalid;
        };
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            match value.parse() {
                Ok(n) => body = n,
                Err(_) => return Parsed::Invalid,
            }
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            // Chunked bodies are not supported.
            return Parsed::Invalid;
        } else if name.eq_ignore_ascii_case("connection") {
            if value.eq_ignore_ascii_case("close") {
                close = true;
            } else if value.eq_ignore_ascii_case("keep-alive") {
                close = false;
            }
        }
    }
    let len = head_len + body;
    if len > MAX_REQUEST {
        Parsed::Invalid
    } else if buf.len() < len {
        Parsed::Partial
    } else {
        Parsed::Complete { len, close }
    }
}

/// Counts responses; calls `std::process::exit(0)` once `exit_after`
/// have been sent (for measuring a fixed number of requests).
#[derive(Debug)]
pub struct Served {
    count: AtomicU64,
    exit_after: Option<u64>,
}

impl Served {
    /// A counter that exits the process after `exit_after` responses (never
    /// if `None`).
    pub fn new(exit_after: Option<u64>) -> Arc<Served> {
        Arc::new(Served {
            count: AtomicU64::new(0),
            exit_after,
        })
    }

    /// Responses sent so far.
    pub fn get(&self) -> u64 {
        self.count.load(Ordering::Relaxed)
    }

    fn add(&self, n: u64) {
        let total = self.count.fetch_add(n, Ordering::Relaxed) + n;
        if let Some(limit) = self.exit_after
            && total >= limit
        {
            println!("served {total} requests, exiting");
            std::process::exit(0);
        }
    }
}

/// Serves one connection until the client closes it, asks to close, or
/// sends something that is not a request.
pub async fn serve_conn<R: BenchRuntime>(
    mut stream: R::TcpStream,
    served: Arc<Served>,
) -> io::Result<()> {
    let mut buf = vec![0u8; MAX_REQUEST];
    let mut filled = 0;
    let mut out = Vec::with_capacity(RESPONSE.len() * 4);
    loop {
        let n = R::read(&mut stream, &mut buf[filled..]).await?;
        if n == 0 {
            return Ok(());
        }
        filled += n;
        let mut start = 0;
        let mut close = false;
        let mut responses = 0;
        while !close {
            match parse_request(&buf[start..filled]) {
                Parsed::Complete { len, close: c } => {
                    out.extend_from_slice(RESPONSE);
                    responses += 1;
                    start += len;
                    close = c;
                }
                Parsed::Partial => break,
                Parsed::Invalid => {
                    out.extend_from_slice(BAD_REQUEST);
                    close = true;
                }
            }
        }
        if !out.is_empty() {
            R::write_all(&mut stream, &out).await?;
            out.clear();
        }
        if responses > 0 {
            served.add(responses);
        }
        if close {
            return Ok(());
        }
        buf.copy_within(start..filled, 0);
        filled -= start;
    }
}

/// Accepts connections on `listener` forever, one task per connection
/// (`TCP_NODELAY` set, as HTTP servers do).
pub async fn serve<R: BenchRuntime>(listener: R::TcpListener, served: Arc<Served>) {
    loop {
        let stream = match R::accept(&listener).await {
            Ok(stream) => stream,
            Err(e) => {
                // E.g. EMFILE: this attempt fails, the listener stays.
                eprintln!("accept: {e}");
                continue;
            }
        };
        let _ = R::set_nodelay(&stream, true);
        let served = served.clone();
        drop(R::spawn(async move {
            let _ = serve_conn::<R>(stream, served).await;
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rt::{Flavor, Magpie, Tokio};
    use std::io::{Read, Write};

    #[test]
    fn parses_requests() {
        let get = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n";
        assert_eq!(
            parse_request(get),
            Parsed::Complete {
                len: get.len(),
                close: false
            }
        );
        assert_eq!(parse_request(&get[..get.len() - 1]), Parsed::Partial);
        let close = b"GET /a HTTP/1.1\r\nconnection: Close\r\n\r\nGET";
        assert_eq!(
            parse_request(close),
            Parsed::Complete {
                len: close.len() - 3,
                close: true
            }
        );
        let old = b"GET / HTTP/1.0\r\n\r\n";
        assert_eq!(
            parse_request(old),
            Parsed::Complete {
                len: old.len(),
                close: true
            }
        );
        let post = b"POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(
            parse_request(post),
            Parsed::Complete {
                len: post.len(),
                close: false
            }
        );
        assert_eq!(parse_request(&post[..post.len() - 2]), Parsed::Partial);
        assert_eq!(parse_request(b"GARBAGE\r\n\r\n"), Parsed::Invalid);
        assert_eq!(parse_request(b"GET / HTTP/2\r\n\r\n"), Parsed::Invalid);
        assert_eq!(
            parse_request(b"GET / HTTP/1.1\r\nbroken header\r\n\r\n"),
            Parsed::Invalid
        );
        assert_eq!(parse_request(&[b'a'; MAX_REQUEST]), Parsed::Invalid);
    }

    #[test]
    fn response_body_is_13_bytes() {
        let head_end = find_head_end(RESPONSE).unwrap();
        assert_eq!(RESPONSE.len() - head_end, 13);
    }

    /// Keep-alive, pipelining and `Connection: close` over a real socket.
    fn serves_on<R: BenchRuntime>() {
        let rt = R::new_with_io(Flavor::MultiThread(2));
        let served = Served::new(None);
        let s = served.clone();
        let addr = rt.block_on(async move {
            let listener = R::bind(([127, 0, 0, 1], 0).into()).await.unwrap();
            let addr = R::local_addr(&listener).unwrap();
            drop(R::spawn(serve::<R>(listener, s)));
            addr
        });
        let mut c = std::net::TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        // Two requests, the second split across writes and pipelined with a
        // third that closes.
        c.write_all(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n").unwrap();
        let mut one = vec![0u8; RESPONSE.len()];
        c.read_exact(&mut one).unwrap();
        assert_eq!(one, RESPONSE);
        c.write_all(b"GET / HTTP/1.1\r\n").unwrap();
        c.write_all(b"\r\nGET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut rest = Vec::new();
        c.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, [RESPONSE, RESPONSE].concat());
        assert_eq!(served.get(), 3);
        // A bad request gets a 400 and a close.
        let mut c = std::net::TcpStream::connect(addr).unwrap();
        c.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        c.write_all(b"nonsense\r\n\r\n").unwrap();
        let mut rest = Vec::new();
        c.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, BAD_REQUEST);
    }

    #[test]
    fn serves_keep_alive_on_magpie() {
        serves_on::<Magpie>();
    }

    #[test]
    fn serves_keep_alive_on_tokio() {
        serves_on::<Tokio>();
    }
}
