//! `magpie::signal`: delivery to every listener, no delivery from before a
//! listener existed, coalescing, `ctrl_c`, several runtimes, refusals.
//!
//! Signals are process-wide: each test uses its own signal number, so the
//! tests of this binary can run in parallel without seeing each other's
//! deliveries. Every listener is created (which installs the handler)
//! before its signal is raised, so no default action ever runs.

use magpie::signal::unix::{Signal, SignalKind, signal};
use magpie::sync::mpsc;
use magpie::time::{Duration, timeout};
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;

/// Long enough never to fire on a healthy run; only bounds a broken one.
const PATIENCE: Duration = Duration::from_secs(10);

/// Sends `sig` to the whole process (any thread may run the handler).
fn kill_self(sig: libc::c_int) {
    // SAFETY: kill(2) with our own pid; the handler for `sig` is installed.
    assert_eq!(unsafe { libc::kill(libc::getpid(), sig) }, 0);
}

/// Raises `sig` on this thread (the handler has run when it returns).
fn raise(sig: libc::c_int) {
    // SAFETY: raise(3); the handler for `sig` is installed.
    assert_eq!(unsafe { libc::raise(sig) }, 0);
}

async fn recv_soon(sig: &mut Signal) {
    timeout(PATIENCE, sig.recv())
        .await
        .expect("signal not received")
        .expect("listener closed");
}

/// Polls `sig.recv()` once: whether a delivery is waiting right now.
async fn has_delivery(sig: &mut Signal) -> bool {
    poll_fn(|cx| Poll::Ready(sig.poll_recv(cx).is_ready())).await
}

#[magpie::test]
async fn sigusr1_reaches_two_listeners() {
    let mut a = signal(SignalKind::user_defined1()).unwrap();
    let mut b = signal(SignalKind::user_defined1()).unwrap();
    raise(libc::SIGUSR1);
    recv_soon(&mut a).await;
    recv_soon(&mut b).await;

    // Now with both listeners parked in their own tasks, the signal sent
    // from another thread.
    let (tx, mut rx) = mpsc::channel(2);
    let tasks: Vec<_> = [a, b]
        .into_iter()
        .map(|mut sig| {
            let tx = tx.clone();
            magpie::spawn(async move {
                recv_soon(&mut sig).await;
                tx.send(()).await.unwrap();
            })
        })
        .collect();
    magpie::time::sleep(Duration::from_millis(20)).await;
    std::thread::spawn(|| kill_self(libc::SIGUSR1))
        .join()
        .unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(rx.recv().await, Some(()));
    assert_eq!(rx.recv().await, Some(()));
}

#[magpie::test]
async fn listener_created_after_a_delivery_does_not_see_it() {
    let mut early = signal(SignalKind::user_defined2()).unwrap();
    raise(libc::SIGUSR2);
    // Not drained by anyone yet: the new listener must still not see it.
    let mut late = signal(SignalKind::user_defined2()).unwrap();
    assert!(!has_delivery(&mut late).await);
    recv_soon(&mut early).await;
    assert!(!has_delivery(&mut late).await);

    raise(libc::SIGUSR2);
    recv_soon(&mut late).await;
    recv_soon(&mut early).await;
    assert!(!has_delivery(&mut late).await);
    assert!(!has_delivery(&mut early).await);
}

#[magpie::test]
async fn deliveries_before_a_poll_coalesce() {
    let mut sig = signal(SignalKind::window_change()).unwrap();
    raise(libc::SIGWINCH);
    raise(libc::SIGWINCH);
    raise(libc::SIGWINCH);
    recv_soon(&mut sig).await;
    assert!(!has_delivery(&mut sig).await);
    // Once polled, a further signal is seen again.
    raise(libc::SIGWINCH);
    recv_soon(&mut sig).await;
}

#[magpie::test]
async fn ctrl_c_completes_on_sigint() {
    let mut ctrl_c = pin!(magpie::signal::ctrl_c());
    // The first poll installs the listener (and the handler, so SIGINT no
    // longer terminates this process).
    let first = poll_fn(|cx| Poll::Ready(ctrl_c.as_mut().poll(cx).is_pending())).await;
    assert!(first, "ctrl_c completed before any SIGINT");
    raise(libc::SIGINT);
    timeout(PATIENCE, ctrl_c)
        .await
        .expect("ctrl_c did not complete")
        .unwrap();
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn sighup_on_multi_thread_runtime() {
    const LISTENERS: usize = 4;
    let (ready_tx, mut ready_rx) = mpsc::channel(LISTENERS);
    let tasks: Vec<_> = (0..LISTENERS)
        .map(|_| {
            let ready_tx = ready_tx.clone();
            magpie::spawn(async move {
                let mut sig = signal(SignalKind::hangup()).unwrap();
                ready_tx.send(()).await.unwrap();
                recv_soon(&mut sig).await;
            })
        })
        .collect();
    for _ in 0..LISTENERS {
        ready_rx.recv().await.unwrap();
    }
    kill_self(libc::SIGHUP);
    for t in tasks {
        t.await.unwrap();
    }
}

#[test]
fn every_runtime_gets_the_signal() {
    // Two runtimes, each on its own thread, each with a listener.
    let (ready_tx, ready_rx) = std::sync::mpsc::channel();
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let ready_tx = ready_tx.clone();
            std::thread::spawn(move || {
                let rt = magpie::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    let mut sig = signal(SignalKind::alarm()).unwrap();
                    ready_tx.send(()).unwrap();
                    recv_soon(&mut sig).await;
                });
            })
        })
        .collect();
    ready_rx.recv().unwrap();
    ready_rx.recv().unwrap();
    kill_self(libc::SIGALRM);
    for t in threads {
        t.join().expect("a runtime did not get the signal");
    }
}

#[magpie::test]
async fn forbidden_and_invalid_signals_are_errors() {
    for sig in [
        libc::SIGILL,
        libc::SIGFPE,
        libc::SIGKILL,
        libc::SIGSEGV,
        libc::SIGSTOP,
    ] {
        let err = signal(SignalKind::from_raw(sig)).unwrap_err();
        assert_eq!(
            err.to_string(),
            format!("Refusing to register signal {sig}")
        );
    }
    assert!(signal(SignalKind::from_raw(-1)).is_err());
    assert!(signal(SignalKind::from_raw(100_000)).is_err());
}

#[test]
#[should_panic(expected = "must be called from within a magpie runtime")]
fn signal_outside_a_runtime_panics() {
    let _ = signal(SignalKind::terminate());
}

#[test]
fn signal_kind_round_trips() {
    assert_eq!(SignalKind::interrupt().as_raw_value(), libc::SIGINT);
    assert_eq!(SignalKind::terminate().as_raw_value(), libc::SIGTERM);
    assert_eq!(SignalKind::quit().as_raw_value(), libc::SIGQUIT);
    assert_eq!(SignalKind::pipe().as_raw_value(), libc::SIGPIPE);
    assert_eq!(SignalKind::child().as_raw_value(), libc::SIGCHLD);
    assert_eq!(SignalKind::io().as_raw_value(), libc::SIGIO);
    assert_eq!(SignalKind::from(libc::SIGUSR1), SignalKind::user_defined1());
    assert_eq!(libc::c_int::from(SignalKind::hangup()), libc::SIGHUP);
    assert_eq!(SignalKind::from_raw(7).as_raw_value(), 7);
}

#[test]
fn signal_is_send_and_sync() {
    fn check<T: Send + Sync + Unpin>() {}
    check::<Signal>();
}
