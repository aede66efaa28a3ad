//! Public misuse gets a clear panic message, never a hang. Complements
//! `rt_misuse.rs` (runtime nesting, spawn/Handle outside a runtime,
//! block_in_place): here the resources (I/O, timers) used with no runtime
//! or a runtime that lacks their driver, builder arguments, paused time on
//! the wrong flavor, and the exact texts of messages tokio users grep for.

use std::any::Any;
use std::future::Future;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::pin::pin;
use std::sync::mpsc;
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;

use magpie::runtime::{Builder, Runtime};

fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("<not a string>")
}

/// Runs `f`, which must panic, on its own thread, and returns the panic
/// message; fails if `f` returns or takes more than 30 s (a hang).
fn panic_message<R: 'static>(f: impl FnOnce() -> R + Send + 'static) -> String {
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let out = catch_unwind(AssertUnwindSafe(|| drop(f())));
        let _ = tx.send(out.map_err(|p| message(&*p).to_owned()));
    });
    match rx.recv_timeout(Duration::from_secs(30)) {
        Ok(Ok(())) => panic!("expected a panic"),
        Ok(Err(msg)) => msg,
        Err(e) => panic!("no answer in 30 s: {e:?}"),
    }
}

/// Runs `f`, which must panic, on this thread (for misuse that depends on
/// the thread's context), and returns the panic message.
fn panic_message_here<R>(f: impl FnOnce() -> R) -> String {
    match catch_unwind(AssertUnwindSafe(|| drop(f()))) {
        Ok(()) => panic!("expected a panic"),
        Err(p) => message(&*p).to_owned(),
    }
}

/// Polls `fut` once on this thread, outside any runtime (the way a
/// hand-written executor or `futures::executor::block_on` would).
fn poll_once<F: Future>(fut: F) -> Poll<F::Output> {
    struct Noop;
    impl Wake for Noop {
        fn wake(self: std::sync::Arc<Self>) {}
    }
    let waker = Waker::from(std::sync::Arc::new(Noop));
    let mut fut = pin!(fut);
    fut.as_mut().poll(&mut Context::from_waker(&waker))
}

const NO_RUNTIME: &str = "must be called from within a magpie runtime";
const IO_DISABLED: &str = "I/O disabled";
const TIME_DISABLED: &str = "the timer is disabled";

fn without(io: bool, time: bool, multi: bool) -> Runtime {
    let mut b = if multi {
        let mut b = Builder::new_multi_thread();
        b.worker_threads(1);
        b
    } else {
        Builder::new_current_thread()
    };
    if io {
        b.enable_io();
    }
    if time {
        b.enable_time();
    }
    b.build().unwrap()
}

// --- I/O with no runtime -------------------------------------------------

#[test]
fn tcp_listener_bind_outside_a_runtime_panics() {
    let msg = panic_message(|| poll_once(magpie::net::TcpListener::bind("127.0.0.1:0")));
    assert!(msg.contains(NO_RUNTIME), "{msg}");
}

#[test]
fn io_from_std_outside_a_runtime_panics() {
    let msg = panic_message(|| {
        let std = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        std.set_nonblocking(true).unwrap();
        magpie::net::TcpListener::from_std(std)
    });
    assert!(msg.contains(NO_RUNTIME), "{msg}");
    let msg = panic_message(|| {
        let std = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
        std.set_nonblocking(true).unwrap();
        magpie::net::UdpSocket::from_std(std)
    });
    assert!(msg.contains(NO_RUNTIME), "{msg}");
}

#[test]
fn udp_bind_and_tcp_connect_outside_a_runtime_panic() {
    let msg = panic_message(|| poll_once(magpie::net::UdpSocket::bind("127.0.0.1:0")));
    assert!(msg.contains(NO_RUNTIME), "{msg}");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let msg = panic_message(move || poll_once(magpie::net::TcpStream::connect(addr)));
    assert!(msg.contains(NO_RUNTIME), "{msg}");
    drop(listener);
}

#[test]
fn io_type_created_on_a_plain_thread_inside_a_runtime_panics() {
    // A runtime elsewhere in the process does not count: threads do not
    // inherit it.
    let rt = without(true, true, true);
    let msg = rt.block_on(async {
        panic_message(|| {
            let std = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            std.set_nonblocking(true).unwrap();
            magpie::net::TcpListener::from_std(std)
        })
    });
    assert!(msg.contains(NO_RUNTIME), "{msg}");
}

// --- timers with no runtime ----------------------------------------------

#[test]
fn sleep_outside_a_runtime_panics() {
    let msg = panic_message(|| poll_once(magpie::time::sleep(Duration::from_millis(1))));
    assert!(msg.contains(NO_RUNTIME), "{msg}");
    let msg = panic_message(|| {
        poll_once(magpie::time::timeout(
            Duration::from_millis(1),
            std::future::pending::<()>(),
        ))
    });
    assert!(msg.contains(NO_RUNTIME), "{msg}");
    let msg = panic_message(|| magpie::time::interval(Duration::from_millis(1)));
    assert!(msg.contains(NO_RUNTIME), "{msg}");
}

// --- spawn with no runtime (the task-level ones are in rt_misuse.rs) -----

#[test]
fn join_set_spawn_outside_a_runtime_panics() {
    let msg = panic_message(|| {
        let mut set = magpie::task::JoinSet::new();
        set.spawn(async {});
        set
    });
    assert!(msg.contains(NO_RUNTIME), "{msg}");
}

#[test]
fn spawn_after_the_enter_guard_is_dropped_panics() {
    let rt = without(true, true, false);
    {
        let _guard = rt.enter();
        drop(magpie::spawn(async {}));
    }
    let msg = panic_message(|| magpie::spawn(async {}));
    assert!(msg.contains(NO_RUNTIME), "{msg}");
}

// --- a runtime without the driver ----------------------------------------

#[test]
fn io_type_on_a_runtime_without_enable_io_panics() {
    for multi in [false, true] {
        let rt = without(false, true, multi);
        let msg = panic_message(move || {
            rt.block_on(async {
                let _ = magpie::net::TcpListener::bind("127.0.0.1:0").await;
            })
        });
        assert!(msg.contains(IO_DISABLED), "{msg}");
        assert!(msg.contains("enable_io"), "{msg}");
    }
}

#[test]
fn timer_on_a_runtime_without_enable_time_panics() {
    for multi in [false, true] {
        let rt = without(true, false, multi);
        let msg = panic_message(move || {
            rt.block_on(async { magpie::time::sleep(Duration::from_millis(1)).await })
        });
        assert!(msg.contains(TIME_DISABLED), "{msg}");
        assert!(msg.contains("enable_time"), "{msg}");
        // Also from a spawned task: the JoinHandle reports the panic.
        let rt = without(true, false, multi);
        let err = rt
            .block_on(async {
                magpie::spawn(async {
                    magpie::time::timeout(Duration::from_millis(1), std::future::pending::<()>())
                        .await
                })
                .await
            })
            .unwrap_err();
        assert!(err.is_panic());
        assert!(message(&*err.into_panic()).contains(TIME_DISABLED));
    }
}

#[test]
fn a_runtime_without_drivers_still_runs_tasks() {
    // Not misuse: only the resources need the drivers.
    for multi in [false, true] {
        let rt = without(false, false, multi);
        assert_eq!(
            rt.block_on(async { magpie::spawn(async { 4 }).await.unwrap() }),
            4
        );
    }
}

// --- builder arguments ---------------------------------------------------

#[test]
fn builder_with_zero_workers_panics_with_tokios_message() {
    let msg = panic_message(|| {
        Builder::new_multi_thread().worker_threads(0);
    });
    assert_eq!(msg, "Worker threads cannot be set to 0");
    let msg = panic_message(|| {
        Builder::new_multi_thread().max_blocking_threads(0);
    });
    assert_eq!(msg, "Max blocking threads cannot be set to 0");
}

#[test]
fn builder_with_zero_intervals_panics() {
    let msg = panic_message(|| {
        Builder::new_multi_thread().global_queue_interval(0);
    });
    assert!(msg.contains("global_queue_interval"), "{msg}");
    let msg = panic_message(|| {
        Builder::new_current_thread().event_interval(0);
    });
    assert!(msg.contains("event_interval"), "{msg}");
}

// --- paused time on the wrong flavor --------------------------------------

#[test]
fn time_pause_on_a_multi_thread_runtime_panics() {
    let rt = without(true, true, true);
    let msg = panic_message(move || rt.block_on(async { magpie::time::pause() }));
    assert!(
        msg.contains("`time::pause()` requires the `current_thread`"),
        "{msg}"
    );
    let rt = without(true, true, true);
    let err = rt
        .block_on(async { magpie::spawn(async { magpie::time::pause() }).await })
        .unwrap_err();
    assert!(message(&*err.into_panic()).contains("requires the `current_thread`"));
}

#[test]
fn start_paused_on_a_multi_thread_builder_panics() {
    let msg = panic_message(|| {
        Builder::new_multi_thread()
            .enable_all()
            .start_paused(true)
            .build()
    });
    assert!(msg.contains("requires the `current_thread`"), "{msg}");
}

// --- block_on --------------------------------------------------------------

#[test]
fn block_on_inside_a_runtime_names_the_problem() {
    // rt_misuse.rs checks the nesting cases; this checks that the message
    // tells what to do instead, as tokio's does.
    let outer = without(true, true, false);
    let inner = without(true, true, false);
    let msg = outer.block_on(async move { panic_message_here(move || inner.block_on(async {})) });
    assert!(
        msg.contains(
            "attempted to block the current thread while the thread is being used to drive \
             asynchronous tasks"
        ),
        "{msg}"
    );
}

#[test]
fn block_on_under_an_enter_guard_is_allowed() {
    // `enter` is not `block_on`: tokio allows block_on while entered.
    for multi in [false, true] {
        let rt = without(true, true, multi);
        let _guard = rt.enter();
        assert_eq!(rt.block_on(async { 8 }), 8);
    }
}
