//! The driver against real sockets (loopback UDP).

use crate::io::{Direction, Interest, Registration};
use crate::{Config, Driver};
use std::sync::Arc as StdArc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

#[allow(clippy::disallowed_types)]
struct Flag(std::sync::atomic::AtomicBool);

impl Wake for Flag {
    fn wake(self: StdArc<Self>) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

fn flag() -> (StdArc<Flag>, Waker) {
    #[allow(clippy::disallowed_types)]
    let f = StdArc::new(Flag(std::sync::atomic::AtomicBool::new(false)));
    (f.clone(), Waker::from(f))
}

fn is_set(f: &Flag) -> bool {
    f.0.swap(false, std::sync::atomic::Ordering::SeqCst)
}

fn io_driver() -> (Driver, crate::Handle) {
    Driver::new(Config {
        enable_io: true,
        ..Config::default()
    })
    .unwrap()
}

#[test]
fn readable_after_send_then_cleared_then_shutdown() {
    let (mut driver, handle) = io_driver();
    let mut rx = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let tx = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let reg = Registration::new(&mut rx, Interest::READABLE, &handle).unwrap();
    let (woken, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    let mut buf = [0u8; 16];

    // Nothing to read yet.
    assert!(
        reg.poll_io(&mut cx, Direction::Read, || rx.recv(&mut buf))
            .is_pending()
    );
    tx.send_to(b"hi", rx.local_addr().unwrap()).unwrap();
    for _ in 0..100 {
        driver.park_timeout(&handle, Duration::from_millis(50));
        if is_set(&woken) {
            break;
        }
    }
    match reg.poll_io(&mut cx, Direction::Read, || rx.recv(&mut buf)) {
        Poll::Ready(Ok(n)) => assert_eq!(&buf[..n], b"hi"),
        other => panic!("unexpected {other:?}"),
    }
    // Drained: the next attempt clears readiness and waits.
    assert!(
        reg.poll_io(&mut cx, Direction::Read, || rx.recv(&mut buf))
            .is_pending()
    );
    assert!(reg.ready_now(Interest::READABLE).unwrap().is_none());

    driver.shutdown(&handle);
    assert!(is_set(&woken), "shutdown wakes waiters");
    match reg.poll_ready(&mut cx, Direction::Read) {
        Poll::Ready(Err(e)) => assert!(e.to_string().contains("gone")),
        other => panic!("unexpected {other:?}"),
    }
    assert!(Registration::new(&mut rx, Interest::READABLE, &handle).is_err());
}

#[test]
fn unpark_wakes_a_blocked_park() {
    let (mut driver, handle) = io_driver();
    handle.unpark();
    // Returns at once because of the earlier unpark.
    driver.park(&handle);
    let h = handle.clone();
    let t = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(20));
        h.unpark();
    });
    driver.park(&handle);
    t.join().unwrap();
    driver.park_timeout(&handle, Duration::ZERO);
}

#[test]
fn dropped_driver_fails_registrations() {
    let (driver, handle) = io_driver();
    let mut sock = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let reg = Registration::new(&mut sock, Interest::WRITABLE, &handle).unwrap();
    drop(driver);
    let (_f, waker) = flag();
    let mut cx = Context::from_waker(&waker);
    assert!(matches!(
        reg.poll_ready(&mut cx, Direction::Write),
        Poll::Ready(Err(_))
    ));
}

#[test]
fn disabled_io_has_no_io_handle() {
    let (mut driver, handle) = Driver::new(Config::default()).unwrap();
    assert!(handle.io().is_none());
    let mut sock = mio::net::UdpSocket::bind("127.0.0.1:0".parse().unwrap()).unwrap();
    assert!(Registration::new(&mut sock, Interest::READABLE, &handle).is_err());
    handle.unpark();
    driver.park(&handle);
}
