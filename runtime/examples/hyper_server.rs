//! A hello-world HTTP/1.1 server: hyper on magpie.
//!
//! ```text
//! cargo run --example hyper_server --features hyper [ADDR]
//! MAGPIE_ADDR=0.0.0.0:8080 cargo run --example hyper_server --features hyper
//! curl http://127.0.0.1:3000/
//! ```
//!
//! The address comes from the first argument, else `MAGPIE_ADDR`, else
//! 127.0.0.1:3000. One task per connection; connections are kept alive
//! between requests; a client has 30 s to send a request head
//! (`header_read_timeout`, which needs the magpie [`Timer`]). magpie's
//! `TcpStream` implements hyper's I/O traits, so it is served as it is;
//! other streams would be wrapped in `magpie::compat::hyper::Io`.

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use magpie::compat::hyper::Timer;
use magpie::net::TcpListener;
use std::convert::Infallible;
use std::time::Duration;

async fn hello(req: Request<Incoming>) -> Result<Response<Full<Bytes>>, Infallible> {
    let body = format!("Hello, World! You asked for {}\n", req.uri().path());
    Ok(Response::new(Full::new(Bytes::from(body))))
}

#[magpie::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .or_else(|| std::env::var("MAGPIE_ADDR").ok())
        .unwrap_or_else(|| "127.0.0.1:3000".to_string());
    let listener = TcpListener::bind(&addr).await?;
    println!("listening on http://{}", listener.local_addr()?);

    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(conn) => conn,
            Err(e) => {
                // E.g. out of file descriptors: back off, keep serving.
                eprintln!("accept: {e}");
                magpie::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        stream.set_nodelay(true)?;
        magpie::spawn(async move {
            let conn = http1::Builder::new()
                .timer(Timer::new())
                .header_read_timeout(Duration::from_secs(30))
                .keep_alive(true)
                .serve_connection(stream, service_fn(hello));
            if let Err(e) = conn.await {
                eprintln!("connection from {peer}: {e}");
            }
        });
    }
}
