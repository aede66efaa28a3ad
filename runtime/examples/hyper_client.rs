//! Fetches one URL path with hyper's HTTP/1.1 client on magpie and prints
//! the status, the headers and the body.
//!
//! ```text
//! cargo run --example hyper_client --features hyper HOST:PORT [PATH]
//! cargo run --example hyper_client --features hyper 127.0.0.1:3000 /hello
//! ```

use http_body_util::{BodyExt, Empty};
use hyper::Request;
use hyper::body::Bytes;
use magpie::compat::hyper::Io;
use magpie::net::TcpStream;
use std::io::Write;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[magpie::main]
async fn main() -> Result<(), Error> {
    let mut args = std::env::args().skip(1);
    let Some(host) = args.next() else {
        eprintln!("usage: hyper_client HOST:PORT [PATH]");
        std::process::exit(2);
    };
    let path = args.next().unwrap_or_else(|| "/".to_string());

    let stream = TcpStream::connect(&host).await?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(Io::new(stream)).await?;
    // The connection future does the I/O; it ends when `sender` is dropped.
    let conn = magpie::spawn(conn);

    let req = Request::get(path.as_str())
        .header(hyper::header::HOST, host.as_str())
        .body(Empty::<Bytes>::new())?;
    let mut res = sender.send_request(req).await?;
    println!("{:?} {}", res.version(), res.status());
    for (name, value) in res.headers() {
        println!("{name}: {}", value.to_str().unwrap_or("<binary>"));
    }
    println!();
    let mut out = std::io::stdout();
    while let Some(frame) = res.body_mut().frame().await {
        if let Some(chunk) = frame?.data_ref() {
            out.write_all(chunk)?;
        }
    }
    out.flush()?;
    drop(sender);
    conn.await??;
    Ok(())
}
