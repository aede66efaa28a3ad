//! `Builder::on_slow_poll`: blocked-worker reports, while stuck (watchdog)
//! and after the poll; tasks queued behind a stuck task still run.

use magpie::runtime::{Builder, Runtime, SlowPoll};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Debug)]
struct Report {
    id: magpie::task::Id,
    file: &'static str,
    line: u32,
    duration: Duration,
    worker: usize,
    running: bool,
}

type Reports = Arc<Mutex<Vec<Report>>>;

fn recorder() -> (Reports, impl Fn(&SlowPoll) + Send + Sync + 'static) {
    let reports: Reports = Arc::default();
    let r = reports.clone();
    let f = move |p: &SlowPoll| {
        r.lock().unwrap().push(Report {
            id: p.id(),
            file: p.spawned_at().file(),
            line: p.spawned_at().line(),
            duration: p.duration(),
            worker: p.worker_index(),
            running: p.is_running(),
        })
    };
    (reports, f)
}

const STUCK: Duration = Duration::from_millis(500);
const THRESHOLD: Duration = Duration::from_millis(50);
const CHILDREN: usize = 8;

/// The stuck task spawns children (queued behind it on its own worker),
/// sleeps, then says whether (a) all children had completed and (b) the
/// watchdog had reported it while it slept.
async fn stuck_task_body(reports: Reports, done: Arc<AtomicUsize>) -> (usize, bool) {
    for _ in 0..CHILDREN {
        let done = done.clone();
        magpie::spawn(async move {
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    let me = magpie::task::id();
    std::thread::sleep(STUCK);
    let reported_while_stuck = reports
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.id == me && r.running);
    (done.load(Ordering::SeqCst), reported_while_stuck)
}

#[test]
fn multi_thread_stuck_task_is_reported_and_others_keep_running() {
    let (reports, cb) = recorder();
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .on_slow_poll(THRESHOLD, cb)
        .build()
        .unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let line = line!() + 1;
    let stuck = rt.spawn(stuck_task_body(reports.clone(), done.clone()));
    let id = stuck.id();
    let (children_done, reported_while_stuck) = rt.block_on(stuck).unwrap();
    assert_eq!(
        children_done, CHILDREN,
        "tasks queued behind the stuck task must run on the other worker meanwhile"
    );
    assert!(
        reported_while_stuck,
        "no watchdog report during the stuck poll"
    );
    // The worker reports after the poll returned, which is after the
    // JoinHandle saw the output: wait for it (bounded).
    let deadline = Instant::now() + Duration::from_secs(5);
    while !reports
        .lock()
        .unwrap()
        .iter()
        .any(|r| r.id == id && !r.running)
        && Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(5));
    }
    let reports = reports.lock().unwrap().clone();
    let mine: Vec<_> = reports.iter().filter(|r| r.id == id).collect();
    let running: Vec<_> = mine.iter().filter(|r| r.running).collect();
    let after: Vec<_> = mine.iter().filter(|r| !r.running).collect();
    assert_eq!(running.len(), 1, "reported once while stuck: {mine:?}");
    assert_eq!(after.len(), 1, "reported once after: {mine:?}");
    for r in &mine {
        assert_eq!(r.file, file!());
        assert_eq!(r.line, line);
        assert!(r.worker < 2);
    }
    assert!(running[0].duration >= THRESHOLD);
    assert!(after[0].duration >= STUCK);
    assert_eq!(running[0].worker, after[0].worker);
    // The children were fast: only the stuck task is reported.
    assert!(reports.iter().all(|r| r.id == id), "{reports:?}");
}

#[test]
fn current_thread_reports_while_stuck_and_after() {
    let (reports, cb) = recorder();
    let rt = Builder::new_current_thread()
        .on_slow_poll(THRESHOLD, cb)
        .build()
        .unwrap();
    let done = Arc::new(AtomicUsize::new(0));
    let line = line!() + 1;
    let stuck = rt.spawn(stuck_task_body(reports.clone(), done.clone()));
    let id = stuck.id();
    let (_, reported_while_stuck) = rt.block_on(stuck).unwrap();
    assert!(
        reported_while_stuck,
        "no watchdog report during the stuck poll"
    );
    // One thread: the children ran after the stuck poll.
    rt.block_on(async {
        while done.load(Ordering::SeqCst) < CHILDREN {
            magpie::task::yield_now().await;
        }
    });
    let reports = reports.lock().unwrap().clone();
    let after: Vec<_> = reports
        .iter()
        .filter(|r| r.id == id && !r.running)
        .collect();
    assert_eq!(after.len(), 1, "{reports:?}");
    assert_eq!(
        (after[0].file, after[0].line, after[0].worker),
        (file!(), line, 0)
    );
    assert!(after[0].duration >= STUCK);
    assert_eq!(
        reports.iter().filter(|r| r.running).count(),
        1,
        "{reports:?}"
    );
}

#[test]
fn fast_polls_are_not_reported() {
    let (reports, cb) = recorder();
    // A threshold far above any poll here, even on a loaded machine.
    let rt = Builder::new_multi_thread()
        .worker_threads(2)
        .on_slow_poll(Duration::from_secs(2), cb)
        .build()
        .unwrap();
    rt.block_on(async {
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                magpie::spawn(async {
                    for _ in 0..3 {
                        magpie::task::yield_now().await;
                    }
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap();
        }
    });
    drop(rt);
    assert!(reports.lock().unwrap().is_empty());
}

/// Dropped when the callback is: the watchdog thread holds it until it
/// exits.
struct DropFlag(Arc<AtomicUsize>);

impl Drop for DropFlag {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

fn watchdog_exits(rt_builder: fn() -> Builder) {
    let dropped = Arc::new(AtomicUsize::new(0));
    let flag = DropFlag(dropped.clone());
    let rt = rt_builder()
        .on_slow_poll(Duration::from_millis(10), move |_| {
            let _ = &flag;
        })
        .build()
        .unwrap();
    rt.block_on(async { magpie::spawn(async {}).await.unwrap() });
    drop(rt);
    // `drop` joined the watchdog thread and released the runtime's
    // reference; allow a moment for the last handle clone to go.
    let deadline = Instant::now() + Duration::from_secs(5);
    while dropped.load(Ordering::SeqCst) == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(
        dropped.load(Ordering::SeqCst),
        1,
        "watchdog thread kept its callback"
    );
}

#[test]
fn watchdog_thread_exits_on_shutdown() {
    watchdog_exits(Builder::new_multi_thread);
    watchdog_exits(Builder::new_current_thread);
}

#[test]
fn every_spawn_path_reports_its_caller() {
    let (reports, cb) = recorder();
    let rt: Runtime = Builder::new_current_thread()
        .on_slow_poll(Duration::from_millis(10), cb)
        .build()
        .unwrap();
    let nap = || async { std::thread::sleep(Duration::from_millis(30)) };
    let mut lines = Vec::new();
    lines.push(line!() + 1);
    let a = rt.spawn(nap());
    lines.push(line!() + 1);
    let b = rt.handle().spawn(nap());
    rt.block_on(async {
        a.await.unwrap();
        b.await.unwrap();
        let mut set = magpie::task::JoinSet::new();
        lines.push(line!() + 1);
        set.spawn(nap());
        while let Some(r) = set.join_next().await {
            r.unwrap();
        }
        lines.push(line!() + 1);
        magpie::spawn(nap()).await.unwrap();
    });
    let reports = reports.lock().unwrap().clone();
    for line in lines {
        assert!(
            reports
                .iter()
                .any(|r| !r.running && r.file == file!() && r.line == line),
            "no report for the task spawned at line {line}: {reports:?}"
        );
    }
}
