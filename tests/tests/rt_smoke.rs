use magpie::runtime::Builder;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

#[test]
fn smoke_multi() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let n = rt.block_on(async {
        let mut hs = Vec::new();
        for i in 0..100_000u64 {
            hs.push(magpie::spawn(async move { i }));
        }
        let mut s = 0;
        for h in hs {
            s += h.await.unwrap();
        }
        s
    });
    assert_eq!(n, (0..100_000u64).sum());
}

#[test]
fn smoke_current() {
    let rt = Builder::new_current_thread().enable_all().build().unwrap();
    let n = rt.block_on(async {
        let mut hs = Vec::new();
        for i in 0..10_000u64 {
            hs.push(magpie::spawn(async move {
                magpie::task::yield_now().await;
                i
            }));
        }
        let mut s = 0;
        for h in hs {
            s += h.await.unwrap();
        }
        s
    });
    assert_eq!(n, (0..10_000u64).sum());
}

#[test]
fn drop_pending() {
    struct D(Arc<AtomicUsize>);
    impl Drop for D {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    for flavor in 0..2 {
        let drops = Arc::new(AtomicUsize::new(0));
        let rt = if flavor == 0 {
            Builder::new_multi_thread()
                .worker_threads(2)
                .build()
                .unwrap()
        } else {
            Builder::new_current_thread().build().unwrap()
        };
        rt.block_on(async {
            for _ in 0..10_000 {
                let d = D(drops.clone());
                magpie::spawn(async move {
                    let _d = d;
                    std::future::pending::<()>().await;
                });
            }
            magpie::task::yield_now().await;
        });
        drop(rt);
        assert_eq!(drops.load(Ordering::SeqCst), 10_000);
    }
}

#[test]
fn panics_and_abort() {
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .unwrap();
    rt.block_on(async {
        let e = magpie::spawn(async { panic!("boom") }).await.unwrap_err();
        assert!(e.is_panic());
        let h = magpie::spawn(std::future::pending::<()>());
        h.abort();
        assert!(h.await.unwrap_err().is_cancelled());
        let b = magpie::task::spawn_blocking(|| 7).await.unwrap();
        assert_eq!(b, 7);
    });
}
