//! Items of tokio's public API that round out the contract: `OnceCell`,
//! `task_local!`, `mpsc::Sender::send_timeout`, `task::coop`, `SetOnce`.
//! Expectations follow tokio's documented behaviour.

use magpie::sync::mpsc::{self, error::SendTimeoutError};
use magpie::sync::{OnceCell, SetError};
use magpie::time::Duration;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

// ---- mpsc::Sender::send_timeout ----

#[magpie::test(start_paused = true)]
async fn send_timeout_times_out_when_full_then_succeeds() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.send_timeout(1, Duration::from_millis(10)).await.unwrap();
    let err = tx
        .send_timeout(2, Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(matches!(err, SendTimeoutError::Timeout(2)));
    assert_eq!(err.to_string(), "timed out waiting on send operation");
    assert!(format!("{err:?}").contains("Timeout(..)"));
    assert_eq!(rx.recv().await, Some(1));
    tx.send_timeout(3, Duration::from_millis(10)).await.unwrap();
    assert_eq!(rx.recv().await, Some(3));
}

#[magpie::test]
async fn send_timeout_reports_closed() {
    let (tx, rx) = mpsc::channel::<u8>(1);
    drop(rx);
    let err = tx
        .send_timeout(5, Duration::from_secs(10))
        .await
        .unwrap_err();
    assert!(matches!(err, SendTimeoutError::Closed(5)));
    assert_eq!(err.to_string(), "channel closed");
    assert_eq!(err.into_inner(), 5);
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_timeout_waits_for_capacity() {
    let (tx, mut rx) = mpsc::channel(1);
    tx.send(0u32).await.unwrap();
    let recv = magpie::spawn(async move {
        magpie::time::sleep(Duration::from_millis(20)).await;
        let mut got = vec![];
        while let Some(v) = rx.recv().await {
            got.push(v);
        }
        got
    });
    tx.send_timeout(1, Duration::from_secs(10)).await.unwrap();
    drop(tx);
    assert_eq!(recv.await.unwrap(), vec![0, 1]);
}

// ---- sync::OnceCell ----

static GLOBAL: OnceCell<u32> = OnceCell::const_new();

#[magpie::test]
async fn once_cell_static_get_or_init() {
    assert_eq!(*GLOBAL.get_or_init(|| async { 7 }).await, 7);
    assert_eq!(*GLOBAL.get_or_init(|| async { 8 }).await, 7);
    assert_eq!(GLOBAL.get(), Some(&7));
    assert!(GLOBAL.initialized());
}

#[test]
fn once_cell_set_errors_and_take() {
    let cell = OnceCell::new();
    assert_eq!(cell.get(), None);
    assert!(!cell.initialized());
    cell.set(1).unwrap();
    let err = cell.set(2).unwrap_err();
    assert!(err.is_already_init_err());
    assert!(!err.is_initializing_err());
    assert_eq!(err, SetError::AlreadyInitializedError(2));
    assert_eq!(err.to_string(), "AlreadyInitializedError");
    let mut cell = cell;
    *cell.get_mut().unwrap() += 10;
    assert_eq!(cell.take(), Some(11));
    assert_eq!(cell.get(), None);
    cell.set(3).unwrap();
    assert_eq!(cell.clone().into_inner(), Some(3));
    assert_eq!(cell, OnceCell::from(3));
    assert_eq!(format!("{cell:?}"), "OnceCell { value: Some(3) }");
    static WITH: OnceCell<&str> = OnceCell::const_new_with("x");
    assert_eq!(WITH.get(), Some(&"x"));
    assert!(WITH.set("y").unwrap_err().is_already_init_err());
    assert_eq!(OnceCell::new_with(Some(4)).get(), Some(&4));
    assert_eq!(OnceCell::<u8>::new_with(None).get(), None);
    assert_eq!(OnceCell::<u8>::default().get(), None);
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn once_cell_runs_init_once_under_contention() {
    let cell = Arc::new(OnceCell::new());
    let calls = Arc::new(AtomicUsize::new(0));
    let mut handles = vec![];
    for i in 0..16 {
        let cell = cell.clone();
        let calls = calls.clone();
        handles.push(magpie::spawn(async move {
            *cell
                .get_or_init(|| async move {
                    calls.fetch_add(1, SeqCst);
                    magpie::time::sleep(Duration::from_millis(5)).await;
                    i
                })
                .await
        }));
    }
    let mut seen = vec![];
    for h in handles {
        seen.push(h.await.unwrap());
    }
    assert_eq!(calls.load(SeqCst), 1);
    assert!(seen.iter().all(|v| *v == seen[0]));
}

#[magpie::test]
async fn once_cell_set_while_initializing_and_retry_after_error() {
    let cell = Arc::new(OnceCell::new());
    let (started_tx, started_rx) = magpie::sync::oneshot::channel();
    let (go_tx, go_rx) = magpie::sync::oneshot::channel::<()>();
    let c2 = cell.clone();
    let init = magpie::spawn(async move {
        let r: Result<&u32, &str> = c2
            .get_or_try_init(|| async move {
                started_tx.send(()).unwrap();
                go_rx.await.unwrap();
                Err("failed")
            })
            .await;
        assert_eq!(r, Err("failed"));
    });
    started_rx.await.unwrap();
    assert!(cell.set(1).unwrap_err().is_initializing_err());
    go_tx.send(()).unwrap();
    init.await.unwrap();
    // The failed attempt released the cell.
    assert_eq!(
        cell.get_or_try_init(|| async { Ok::<_, ()>(9) }).await,
        Ok(&9)
    );
}

#[magpie::test]
async fn once_cell_cancelled_init_lets_another_try() {
    let cell = OnceCell::new();
    let attempt = magpie::time::timeout(
        Duration::from_millis(5),
        cell.get_or_init(std::future::pending::<u8>),
    )
    .await;
    assert!(attempt.is_err());
    assert!(!cell.initialized());
    assert_eq!(*cell.get_or_init(|| async { 2 }).await, 2);
}

// ---- task_local! ----

magpie::task_local! {
    static NUMBER: u32;
    pub static NAME: String;
}

#[magpie::test]
async fn task_local_scope_nesting_and_errors() {
    assert!(NUMBER.try_with(|n| *n).is_err());
    assert!(NUMBER.try_get().is_err());
    let err = NUMBER.try_get().unwrap_err();
    assert_eq!(err.to_string(), "task-local value not set");
    NUMBER
        .scope(1, async {
            assert_eq!(NUMBER.get(), 1);
            magpie::task::yield_now().await;
            NUMBER
                .scope(2, async {
                    magpie::task::yield_now().await;
                    assert_eq!(NUMBER.get(), 2);
                })
                .await;
            assert_eq!(NUMBER.get(), 1);
            NAME.scope("n".to_string(), async {
                assert_eq!(NAME.with(|s| s.clone()), "n");
                assert_eq!(NUMBER.get(), 1);
            })
            .await;
        })
        .await;
    assert!(NUMBER.try_with(|_| ()).is_err());
    assert_eq!(NUMBER.sync_scope(5, || NUMBER.get()), 5);
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn task_local_is_per_task() {
    let mut handles = vec![];
    for i in 0..8u32 {
        handles.push(magpie::spawn(NUMBER.scope(i, async move {
            for _ in 0..10 {
                magpie::task::yield_now().await;
                assert_eq!(NUMBER.get(), i);
            }
            i
        })));
    }
    for (i, h) in handles.into_iter().enumerate() {
        assert_eq!(h.await.unwrap(), i as u32);
    }
}

#[magpie::test]
async fn task_local_take_value_and_drop_in_scope() {
    let mut fut = Box::pin(NUMBER.scope(42, async {}));
    fut.as_mut().await;
    assert_eq!(fut.as_mut().take_value(), Some(42));
    assert_eq!(fut.as_mut().take_value(), None);

    // The inner future's destructor sees the value.
    struct SeesValue(Arc<AtomicUsize>);
    impl Drop for SeesValue {
        fn drop(&mut self) {
            if NUMBER.try_get() == Ok(3) {
                self.0.fetch_add(1, SeqCst);
            }
        }
    }
    let seen = Arc::new(AtomicUsize::new(0));
    let guard = SeesValue(seen.clone());
    let fut = NUMBER.scope(3, async move {
        let _g = guard;
        std::future::pending::<()>().await;
    });
    let _ = magpie::time::timeout(Duration::from_millis(1), fut).await;
    assert_eq!(seen.load(SeqCst), 1);
}

#[test]
#[should_panic(expected = "cannot access a task-local storage value without setting it first")]
fn task_local_with_panics_outside_scope() {
    NUMBER.with(|_| ());
}

// ---- task::coop ----

#[magpie::test]
async fn coop_budget_is_spent_and_refunded() {
    use magpie::task::coop;
    let spent = magpie::spawn(async {
        // A refunded unit does not count.
        for _ in 0..1000 {
            let restore = std::future::poll_fn(|cx| coop::poll_proceed(cx).map(Some)).await;
            drop(restore);
        }
        assert!(coop::has_budget_remaining());
        let mut spent = 0u32;
        while coop::has_budget_remaining() {
            coop::consume_budget().await;
            spent += 1;
            assert!(spent < 100_000, "budget never ran out");
        }
        spent
    })
    .await
    .unwrap();
    assert!(spent > 0);
    // Inside `unconstrained` the budget never runs out.
    magpie::spawn(coop::unconstrained(async {
        for _ in 0..10_000 {
            coop::consume_budget().await;
        }
        assert!(coop::has_budget_remaining());
    }))
    .await
    .unwrap();
}

#[magpie::test]
async fn coop_cooperative_yields_when_budget_is_gone() {
    use magpie::task::coop;
    let other_ran = Arc::new(AtomicUsize::new(0));
    let o2 = other_ran.clone();
    let spinner = magpie::spawn(async move {
        // Always-ready futures: without the budget this loop would never
        // yield, and the other task could not run on the current thread.
        let mut n = 0u32;
        while o2.load(SeqCst) == 0 {
            coop::cooperative(async {}).await;
            n += 1;
            assert!(n < 1_000_000, "cooperative never yielded");
        }
    });
    let o3 = other_ran.clone();
    magpie::spawn(async move {
        o3.store(1, SeqCst);
    });
    spinner.await.unwrap();
    assert_eq!(other_ran.load(SeqCst), 1);
}

// ---- sync::SetOnce ----

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn set_once_wakes_all_waiters() {
    use magpie::sync::{SetOnce, SetOnceError};
    let once = Arc::new(SetOnce::new());
    let mut waiters = vec![];
    for _ in 0..8 {
        let once = once.clone();
        waiters.push(magpie::spawn(async move { *once.wait().await }));
    }
    magpie::time::sleep(Duration::from_millis(5)).await;
    assert!(!once.initialized());
    once.set(11u32).unwrap();
    for w in waiters {
        assert_eq!(w.await.unwrap(), 11);
    }
    assert_eq!(once.set(12), Err(SetOnceError(12)));
    assert_eq!(once.set(12).unwrap_err().to_string(), "SetOnceError");
    assert_eq!(*once.wait().await, 11);
    assert_eq!(format!("{once:?}"), "SetOnce { value: Some(11) }");
}

#[test]
fn set_once_constructors() {
    use magpie::sync::SetOnce;
    static S: SetOnce<u8> = SetOnce::const_new();
    static T: SetOnce<u8> = SetOnce::const_new_with(3);
    assert_eq!(S.get(), None);
    assert_eq!(T.get(), Some(&3));
    assert_eq!(SetOnce::from(4).into_inner(), Some(4));
    assert_eq!(SetOnce::<u8>::new_with(None).into_inner(), None);
    assert_eq!(SetOnce::<u8>::default().clone(), SetOnce::new());
}

// ---- net socket options ----

#[magpie::test]
async fn tcp_and_udp_socket_options() {
    use magpie::net::{TcpListener, TcpSocket, TcpStream, UdpSocket};
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_tos_v4(0x10).unwrap();
    assert_eq!(socket.tos_v4().unwrap(), 0x10);
    socket.set_zero_linger().unwrap();
    assert_eq!(socket.linger().unwrap(), Some(Duration::ZERO));
    assert_eq!(socket.device().unwrap(), None);
    if let Ok(v6) = TcpSocket::new_v6() {
        v6.set_tclass_v6(0x20).unwrap();
        assert_eq!(v6.tclass_v6().unwrap(), 0x20);
    }

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let stream = TcpStream::connect(listener.local_addr().unwrap())
        .await
        .unwrap();
    stream.set_quickack(true).unwrap();
    assert!(stream.quickack().unwrap());
    stream.set_zero_linger().unwrap();
    assert_eq!(stream.linger().unwrap(), Some(Duration::ZERO));

    let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
    udp.set_tos_v4(0x08).unwrap();
    assert_eq!(udp.tos_v4().unwrap(), 0x08);
    assert_eq!(udp.device().unwrap(), None);
}

// ---- Unix sockets by std SocketAddr ----

#[magpie::test]
async fn unix_bind_addr_connect_addr() {
    use magpie::net::{UnixListener, UnixStream};
    use std::os::unix::net::SocketAddr;
    let dir = std::env::temp_dir().join(format!("magpie-contract-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("addr.sock");
    let _ = std::fs::remove_file(&path);
    let addr = SocketAddr::from_pathname(&path).unwrap();
    let listener = UnixListener::bind_addr(&addr).unwrap();
    let client = UnixStream::connect_addr(&addr).await.unwrap();
    let (server, _) = listener.accept().await.unwrap();
    client.writable().await.unwrap();
    assert_eq!(client.try_write(b"hi").unwrap(), 2);
    server.readable().await.unwrap();
    let mut buf = [0u8; 2];
    assert_eq!(server.try_read(&mut buf).unwrap(), 2);
    assert_eq!(&buf, b"hi");
    drop(listener);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- macro options tokio accepts ----

#[magpie::test(
    crate = "magpie",
    flavor = "current_thread",
    unhandled_panic = "ignore"
)]
async fn macro_accepts_crate_and_unhandled_panic() {
    let h = magpie::spawn(async { panic!("boom") });
    assert!(h.await.unwrap_err().is_panic());
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2, crate = "magpie")]
async fn macro_accepts_crate_on_multi_thread() {
    assert_eq!(magpie::spawn(async { 1 }).await.unwrap(), 1);
}

// ---- runtime::is_rt_shutdown_err ----

#[test]
fn is_rt_shutdown_err_matches_only_the_shutdown_error() {
    use magpie::runtime::{Builder, is_rt_shutdown_err};
    let rt1 = Builder::new_current_thread().enable_all().build().unwrap();
    let rt2 = Builder::new_current_thread().enable_all().build().unwrap();
    let listener =
        rt1.block_on(async { magpie::net::TcpListener::bind("127.0.0.1:0").await.unwrap() });
    drop(rt1);
    rt2.block_on(async {
        let err = listener.accept().await.unwrap_err();
        assert!(is_rt_shutdown_err(&err), "{err}");
    });
    assert!(!is_rt_shutdown_err(&std::io::Error::other("other")));
    assert!(!is_rt_shutdown_err(&std::io::ErrorKind::Other.into()));
}

// ---- auto traits of the new types ----

#[test]
fn new_types_are_send_sync_debug() {
    fn send_sync<T: Send + Sync>() {}
    fn send<T: Send>() {}
    fn debug<T: std::fmt::Debug>() {}
    fn error<T: std::error::Error + Send + Sync + 'static>() {}
    send_sync::<OnceCell<String>>();
    send_sync::<magpie::sync::SetOnce<String>>();
    debug::<OnceCell<String>>();
    debug::<magpie::sync::SetOnce<String>>();
    error::<SetError<String>>();
    error::<magpie::sync::SetOnceError<String>>();
    error::<SendTimeoutError<String>>();
    error::<magpie::task::AccessError>();
    send::<magpie::task::TaskLocalFuture<String, std::future::Ready<()>>>();
    debug::<magpie::task::TaskLocalFuture<String, std::future::Ready<()>>>();
    debug::<&'static magpie::task::LocalKey<u8>>();
    debug::<magpie::task::coop::Coop<std::future::Ready<()>>>();
    debug::<magpie::task::coop::RestoreOnPending>();
    fn unpin<T: Unpin>() {}
    unpin::<magpie::task::TaskLocalFuture<std::cell::Cell<u8>, std::future::Ready<()>>>();
}

#[test]
fn semaphore_permit_semaphore() {
    let sem = magpie::sync::Semaphore::new(2);
    let permit = sem.try_acquire().unwrap();
    assert!(std::ptr::eq(permit.semaphore(), &sem));
    assert_eq!(permit.semaphore().available_permits(), 1);
}

// ---- runtime::Id ----

#[test]
fn runtime_ids_are_stable_per_runtime_and_distinct_across_live_runtimes() {
    use magpie::runtime::{Builder, Handle};
    let rt1 = Builder::new_current_thread().build().unwrap();
    let rt2 = Builder::new_multi_thread()
        .worker_threads(1)
        .build()
        .unwrap();
    let id1 = rt1.handle().id();
    assert_eq!(id1, rt1.handle().clone().id());
    assert_eq!(rt1.block_on(async { Handle::current().id() }), id1);
    assert_eq!(
        rt2.block_on(async { magpie::spawn(async { Handle::current().id() }).await })
            .unwrap(),
        rt2.handle().id()
    );
    assert_ne!(id1, rt2.handle().id());
    assert_eq!(id1.to_string(), format!("{id1}"));
}

// ---- Builder::name / Handle::name ----

#[test]
fn runtime_name() {
    use magpie::runtime::{Builder, Handle};
    let rt = Builder::new_current_thread().name("ct").build().unwrap();
    assert_eq!(rt.handle().name(), Some("ct"));
    let rt = Builder::new_multi_thread()
        .worker_threads(1)
        .name("mt")
        .build()
        .unwrap();
    let name = rt
        .block_on(async {
            magpie::spawn(async { Handle::current().name().map(String::from) }).await
        })
        .unwrap();
    assert_eq!(name.as_deref(), Some("mt"));
    let rt = Builder::new_current_thread().build().unwrap();
    assert_eq!(rt.handle().name(), None);
}

#[test]
#[should_panic(expected = "runtime name shouldn't be empty")]
fn runtime_name_rejects_empty() {
    magpie::runtime::Builder::new_current_thread().name("  ");
}

#[magpie::test(name = "named-test-runtime")]
async fn macro_accepts_name() {
    assert_eq!(
        magpie::runtime::Handle::current().name(),
        Some("named-test-runtime")
    );
}
