//! Misuse gets a clear panic, never a hang.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use magpie::runtime::{Builder, Handle, Runtime};
use magpie::task;

/// True when these tests run against magpie itself (they are also run
/// against tokio, to check that they encode tokio's behaviour).
fn is_magpie() -> bool {
    std::any::type_name::<Runtime>().starts_with("magpie::")
}

fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| payload.downcast_ref::<&str>().copied())
        .unwrap_or("<not a string>")
}

/// Runs `f`, which must panic, and returns the panic message.
fn panic_message<R>(f: impl FnOnce() -> R) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(_) => panic!("expected a panic"),
        Err(payload) => message(&*payload).to_owned(),
    }
}

/// Checks the "no runtime" message: tokio's and magpie's share this part,
/// and magpie's names itself.
fn assert_no_runtime_message(msg: &str) {
    assert!(msg.contains("must be called from"), "{msg}");
    if is_magpie() {
        assert!(
            msg.contains("must be called from within a magpie runtime"),
            "{msg}"
        );
    }
}

const NESTED: &str = "Cannot start a runtime from within a runtime";

fn current_thread() -> Runtime {
    Builder::new_current_thread().enable_all().build().unwrap()
}

fn threaded() -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn handle_current_outside_a_runtime_panics() {
    let msg = panic_message(Handle::current);
    assert_no_runtime_message(&msg);
}

#[test]
fn handle_try_current_outside_a_runtime_is_an_error() {
    let err = Handle::try_current().unwrap_err();
    assert_no_runtime_message(&err.to_string());
    // It is a real error type.
    fn is_error<E: std::error::Error + Send + Sync + 'static>(_: &E) {}
    is_error(&err);
}

#[test]
fn handle_current_on_a_plain_thread_spawned_from_a_runtime_panics() {
    let rt = threaded();
    rt.block_on(async {
        // Threads do not inherit the runtime.
        let result = std::thread::spawn(|| Handle::try_current().is_err()).join();
        assert!(result.unwrap());
    });
}

#[test]
fn spawn_outside_a_runtime_panics() {
    let msg = panic_message(|| magpie::spawn(async {}));
    assert_no_runtime_message(&msg);
    let msg = panic_message(|| task::spawn(async {}));
    assert_no_runtime_message(&msg);
}

#[test]
fn spawn_blocking_outside_a_runtime_panics() {
    let msg = panic_message(|| task::spawn_blocking(|| ()));
    assert_no_runtime_message(&msg);
}

#[test]
fn nested_runtime_block_on_panics() {
    for outer in [current_thread(), threaded()] {
        let inner = current_thread();
        let msg = outer.block_on(async { panic_message(|| inner.block_on(async {})) });
        assert!(msg.contains(NESTED), "{msg}");
        // The outer runtime is still usable.
        assert_eq!(outer.block_on(async { 3 }), 3);
    }
}

#[test]
fn nested_block_on_of_the_same_runtime_panics() {
    for rt in [current_thread(), threaded()] {
        let handle = rt.handle().clone();
        let msg = rt.block_on(async { panic_message(|| handle.block_on(async {})) });
        assert!(msg.contains(NESTED), "{msg}");
    }
}

#[test]
fn block_on_inside_a_spawned_task_panics() {
    for rt in [current_thread(), threaded()] {
        let err = rt.block_on(async {
            magpie::spawn(async {
                Handle::current().block_on(async {});
            })
            .await
            .unwrap_err()
        });
        assert!(err.is_panic());
        let payload = err.into_panic();
        assert!(
            message(&*payload).contains(NESTED),
            "{}",
            message(&*payload)
        );
    }
}

#[test]
fn block_on_from_a_blocking_thread_is_allowed() {
    for rt in [current_thread(), threaded()] {
        let out = rt.block_on(async {
            task::spawn_blocking(|| Handle::current().block_on(async { 12 }))
                .await
                .unwrap()
        });
        assert_eq!(out, 12);
    }
}

#[test]
fn zero_worker_threads_panics() {
    let result = catch_unwind(|| {
        let mut builder = Builder::new_multi_thread();
        builder.worker_threads(0);
    });
    assert!(result.is_err(), "worker_threads(0) was accepted");
}

#[test]
fn zero_max_blocking_threads_panics() {
    let result = catch_unwind(|| {
        let mut builder = Builder::new_multi_thread();
        builder.max_blocking_threads(0);
    });
    assert!(result.is_err(), "max_blocking_threads(0) was accepted");
}

#[test]
fn block_in_place_on_current_thread_panics() {
    let rt = current_thread();
    let result = rt.block_on(async { catch_unwind(|| task::block_in_place(|| ())) });
    assert!(
        result.is_err(),
        "block_in_place ran on a current_thread runtime"
    );
}

#[test]
fn block_in_place_outside_a_runtime_just_runs() {
    assert_eq!(task::block_in_place(|| 5), 5);
}

#[test]
fn dropping_a_runtime_inside_an_async_context_panics() {
    let outer = current_thread();
    let inner = current_thread();
    let result = outer.block_on(async move { catch_unwind(AssertUnwindSafe(move || drop(inner))) });
    assert!(result.is_err(), "a runtime was dropped inside async code");
}

#[test]
fn a_panicking_block_on_future_propagates_and_the_runtime_survives() {
    for rt in [current_thread(), threaded()] {
        let msg = panic_message(|| rt.block_on(async { panic!("in block_on") }));
        assert_eq!(msg, "in block_on");
        assert_eq!(
            rt.block_on(async { magpie::spawn(async { 1 }).await.unwrap() }),
            1
        );
    }
}

const BLOCKING: &str = "Cannot block the current thread from within a runtime";

#[test]
fn blocking_sync_methods_inside_a_task_panic() {
    for rt in [current_thread(), threaded()] {
        let err = rt.block_on(async {
            magpie::spawn(async {
                let (_tx, mut rx) = magpie::sync::mpsc::channel::<u8>(1);
                rx.blocking_recv();
            })
            .await
            .unwrap_err()
        });
        let payload = err.into_panic();
        assert!(
            message(&*payload).contains(BLOCKING),
            "{}",
            message(&*payload)
        );

        // The same inside `block_on`'s own future, for a lock that is free:
        // the check comes before any attempt to acquire.
        let msg = panic_message(|| {
            rt.block_on(async {
                let m = magpie::sync::Mutex::new(0);
                *m.blocking_lock() += 1;
            })
        });
        assert!(msg.contains(BLOCKING), "{msg}");
    }
}

#[test]
fn blocking_sync_methods_in_spawn_blocking_and_block_in_place_are_allowed() {
    let rt = threaded();
    let out = rt.block_on(async {
        let (tx, rx) = magpie::sync::oneshot::channel();
        let (mtx, mut mrx) = magpie::sync::mpsc::unbounded_channel();
        let waiter = task::spawn_blocking(move || rx.blocking_recv().unwrap());
        tx.send(7u32).unwrap();
        mtx.send(5u32).unwrap();
        let in_place = task::block_in_place(|| mrx.blocking_recv().unwrap());
        waiter.await.unwrap() + in_place
    });
    assert_eq!(out, 12);
}
