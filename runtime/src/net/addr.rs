//! [`ToSocketAddrs`]: what `bind`, `connect` and `send_to` accept.
//!
//! Literal addresses (`"127.0.0.1:8080"`, `(ip, port)`, `SocketAddr`, ...)
//! resolve at once, without blocking. Host names go through
//! [`resolve_blocking`], the one place that calls the OS resolver.

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::vec;

/// Converts or resolves without blocking to one or more `SocketAddr`
/// values.
///
/// Implemented for the same shapes as `tokio::net::ToSocketAddrs`:
/// `SocketAddr`, `SocketAddrV4`, `SocketAddrV6`, `(IpAddr, u16)`,
/// `(Ipv4Addr, u16)`, `(Ipv6Addr, u16)`, `(&str, u16)`, `(String, u16)`,
/// `&str`, `String`, `&[SocketAddr]`, and references to any of them.
/// This trait is sealed: it cannot be implemented outside magpie.
///
/// # Examples
///
/// ```
/// use std::net::{Ipv4Addr, SocketAddr};
/// use magpie::net::TcpListener;
///
/// # #[magpie::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// // All of these name an address to bind or connect to.
/// let a = TcpListener::bind("127.0.0.1:0").await?;
/// let b = TcpListener::bind(("127.0.0.1", 0)).await?;
/// let c = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
/// let d = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
/// let candidates = [SocketAddr::from(([127, 0, 0, 1], 0))];
/// let e = TcpListener::bind(&candidates[..]).await?; // the first that works
/// # drop((a, b, c, d, e));
/// # Ok(())
/// # }
/// ```
pub trait ToSocketAddrs: sealed::ToSocketAddrsPriv {}

/// Future of the addresses an [`ToSocketAddrs`] value resolves to.
pub(crate) struct Resolve(ResolveState);

enum ResolveState {
    Ready(Option<io::Result<vec::IntoIter<SocketAddr>>>),
    Pending(Pin<Box<dyn Future<Output = io::Result<vec::IntoIter<SocketAddr>>> + Send>>),
}

impl Resolve {
    fn ready(res: io::Result<Vec<SocketAddr>>) -> Resolve {
        Resolve(ResolveState::Ready(Some(res.map(Vec::into_iter))))
    }

    fn one(addr: SocketAddr) -> Resolve {
        Resolve::ready(Ok(vec![addr]))
    }
}

impl Future for Resolve {
    type Output = io::Result<vec::IntoIter<SocketAddr>>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            ResolveState::Ready(res) => {
                Poll::Ready(res.take().expect("Resolve polled after completion"))
            }
            ResolveState::Pending(fut) => fut.as_mut().poll(cx),
        }
    }
}

/// Resolves `host` (with `port`, or as `"host:port"` when `port` is
/// `None`) with the operating system's resolver.
///
/// **This blocks the calling thread** (it calls std's `to_socket_addrs`,
/// i.e. `getaddrinfo`) for as long as the lookup takes. It must therefore
/// run on the blocking pool, never on a worker: [`resolve_host`] is its only
/// caller and is where that hand-off belongs.
pub(crate) fn resolve_blocking(host: &str, port: Option<u16>) -> io::Result<Vec<SocketAddr>> {
    use std::net::ToSocketAddrs as _;
    match port {
        Some(port) => (host, port).to_socket_addrs().map(Iterator::collect),
        None => host.to_socket_addrs().map(Iterator::collect),
    }
}

/// Host-name resolution as a future: the lookup runs on the blocking pool
/// of the current runtime (inline only when no runtime is current, where
/// there is no worker to stall).
fn resolve_host(host: String, port: Option<u16>) -> Resolve {
    let job = move || resolve_blocking(&host, port).map(Vec::into_iter);
    if crate::runtime::Handle::try_current().is_err() {
        return Resolve(ResolveState::Ready(Some(job())));
    }
    let handle = crate::task::spawn_blocking(job);
    Resolve(ResolveState::Pending(Box::pin(async move {
        match handle.await {
            Ok(res) => res,
            Err(e) => Err(io::Error::other(format!("host name lookup failed: {e}"))),
        }
    })))
}

/// Performs a DNS resolution (`tokio::net::lookup_host`).
///
/// The returned iterator may not actually yield any values depending on the
/// outcome of any resolution performed. Host names are resolved on the
/// blocking pool; literal addresses are returned at once.
///
/// ```
/// # magpie::runtime::Runtime::new().unwrap().block_on(async {
/// for addr in magpie::net::lookup_host("127.0.0.1:80").await.unwrap() {
///     assert_eq!(addr.port(), 80);
/// }
/// # });
/// ```
pub async fn lookup_host<T>(host: T) -> io::Result<impl Iterator<Item = SocketAddr>>
where
    T: ToSocketAddrs,
{
    sealed::ToSocketAddrsPriv::to_socket_addrs(&host, sealed::Internal).await
}

/// Resolves `addr` and runs `f` on each address in turn until one
/// succeeds; otherwise returns the last error.
pub(crate) async fn each_addr<A, T, F, Fut>(addr: A, mut f: F) -> io::Result<T>
where
    A: ToSocketAddrs,
    F: FnMut(SocketAddr) -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let addrs = sealed::ToSocketAddrsPriv::to_socket_addrs(&addr, sealed::Internal).await?;
    let mut last_err = None;
    for addr in addrs {
        match f(addr).await {
            Ok(v) => return Ok(v),
            Err(e) => last_err = Some(e),
        }
    }
    Err(last_err.unwrap_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            "could not resolve to any address",
        )
    }))
}

/// The first address `addr` resolves to (for `send_to`).
pub(crate) async fn first_addr<A: ToSocketAddrs>(addr: A) -> io::Result<SocketAddr> {
    let mut addrs = sealed::ToSocketAddrsPriv::to_socket_addrs(&addr, sealed::Internal).await?;
    addrs
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no addresses to send data to"))
}

pub(crate) mod sealed {
    use super::Resolve;

    /// Keeps the method uncallable from outside the crate.
    #[derive(Debug, Clone, Copy)]
    pub struct Internal;

    /// The sealed part of [`ToSocketAddrs`](super::ToSocketAddrs).
    pub trait ToSocketAddrsPriv {
        #[doc(hidden)]
        #[allow(private_interfaces)]
        fn to_socket_addrs(&self, _: Internal) -> Resolve;
    }
}

macro_rules! literal {
    ($($ty:ty => |$this:ident| $addr:expr;)*) => {$(
        impl ToSocketAddrs for $ty {}
        impl sealed::ToSocketAddrsPriv for $ty {
            #[allow(private_interfaces)]
            fn to_socket_addrs(&self, _: sealed::Internal) -> Resolve {
                let $this = self;
                Resolve::one($addr)
            }
        }
    )*};
}

literal! {
    SocketAddr => |a| *a;
    SocketAddrV4 => |a| SocketAddr::V4(*a);
    SocketAddrV6 => |a| SocketAddr::V6(*a);
    (IpAddr, u16) => |a| SocketAddr::new(a.0, a.1);
    (Ipv4Addr, u16) => |a| SocketAddr::new(IpAddr::V4(a.0), a.1);
    (Ipv6Addr, u16) => |a| SocketAddr::new(IpAddr::V6(a.0), a.1);
}

impl ToSocketAddrs for [SocketAddr] {}
impl sealed::ToSocketAddrsPriv for [SocketAddr] {
    #[allow(private_interfaces)]
    fn to_socket_addrs(&self, _: sealed::Internal) -> Resolve {
        Resolve::ready(Ok(self.to_vec()))
    }
}

impl ToSocketAddrs for str {}
impl sealed::ToSocketAddrsPriv for str {
    #[allow(private_interfaces)]
    fn to_socket_addrs(&self, _: sealed::Internal) -> Resolve {
        match self.parse::<SocketAddr>() {
            Ok(addr) => Resolve::one(addr),
            Err(_) => resolve_host(self.to_owned(), None),
        }
    }
}

impl ToSocketAddrs for String {}
impl sealed::ToSocketAddrsPriv for String {
    #[allow(private_interfaces)]
    fn to_socket_addrs(&self, i: sealed::Internal) -> Resolve {
        self.as_str().to_socket_addrs(i)
    }
}

impl ToSocketAddrs for (&str, u16) {}
impl sealed::ToSocketAddrsPriv for (&str, u16) {
    #[allow(private_interfaces)]
    fn to_socket_addrs(&self, _: sealed::Internal) -> Resolve {
        let (host, port) = *self;
        match host.parse::<IpAddr>() {
            Ok(ip) => Resolve::one(SocketAddr::new(ip, port)),
            Err(_) => resolve_host(host.to_owned(), Some(port)),
        }
    }
}

impl ToSocketAddrs for (String, u16) {}
impl sealed::ToSocketAddrsPriv for (String, u16) {
    #[allow(private_interfaces)]
    fn to_socket_addrs(&self, i: sealed::Internal) -> Resolve {
        (self.0.as_str(), self.1).to_socket_addrs(i)
    }
}

impl<T: ToSocketAddrs + ?Sized> ToSocketAddrs for &T {}
impl<T: sealed::ToSocketAddrsPriv + ?Sized> sealed::ToSocketAddrsPriv for &T {
    #[allow(private_interfaces)]
    fn to_socket_addrs(&self, i: sealed::Internal) -> Resolve {
        (**self).to_socket_addrs(i)
    }
}

#[cfg(all(test, not(loom)))]
mod tests {
    use super::*;

    fn resolve<A: ToSocketAddrs>(a: A) -> io::Result<Vec<SocketAddr>> {
        let fut = sealed::ToSocketAddrsPriv::to_socket_addrs(&a, sealed::Internal);
        // Literals are ready on the first poll.
        let mut fut = std::pin::pin!(fut);
        let mut cx = Context::from_waker(std::task::Waker::noop());
        match fut.as_mut().poll(&mut cx) {
            Poll::Ready(r) => r.map(Iterator::collect),
            Poll::Pending => panic!("literal resolution must not be pending"),
        }
    }

    #[test]
    #[allow(clippy::needless_borrows_for_generic_args)]
    fn literal_shapes() {
        let want: SocketAddr = "127.0.0.1:80".parse().unwrap();
        assert_eq!(resolve("127.0.0.1:80").unwrap(), vec![want]);
        assert_eq!(resolve(String::from("127.0.0.1:80")).unwrap(), vec![want]);
        assert_eq!(resolve(("127.0.0.1", 80)).unwrap(), vec![want]);
        assert_eq!(
            resolve((String::from("127.0.0.1"), 80)).unwrap(),
            vec![want]
        );
        assert_eq!(resolve((Ipv4Addr::LOCALHOST, 80)).unwrap(), vec![want]);
        assert_eq!(
            resolve((IpAddr::V4(Ipv4Addr::LOCALHOST), 80)).unwrap(),
            vec![want]
        );
        assert_eq!(resolve(want).unwrap(), vec![want]);
        assert_eq!(resolve(&want).unwrap(), vec![want]);
        let v6: SocketAddr = "[::1]:80".parse().unwrap();
        assert_eq!(resolve(("::1", 80)).unwrap(), vec![v6]);
        assert_eq!(resolve(&[want, v6][..]).unwrap(), vec![want, v6]);
        assert!(
            resolve("localhost:80")
                .unwrap()
                .iter()
                .all(|a| a.port() == 80)
        );
        assert!(resolve("no port here").is_err());
    }
}
