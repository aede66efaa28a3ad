//! `#[magpie::main]` and `#[magpie::test]` at run time. The compile-time
//! side (spans, messages) is pinned by the trybuild cases in `ui/`.

use std::time::Duration;

use magpie::runtime::{Handle, RuntimeFlavor};

fn flavor() -> RuntimeFlavor {
    Handle::current().runtime_flavor()
}

fn workers() -> usize {
    Handle::current().metrics().num_workers()
}

#[magpie::test]
async fn test_defaults_to_current_thread() {
    assert_eq!(flavor(), RuntimeFlavor::CurrentThread);
    assert_eq!(workers(), 1);
    // Spawned tasks run on the test's own thread.
    let here = std::thread::current().id();
    let there = magpie::spawn(async { std::thread::current().id() })
        .await
        .unwrap();
    assert_eq!(here, there);
}

#[magpie::test(flavor = "current_thread")]
async fn explicit_current_thread() {
    assert_eq!(flavor(), RuntimeFlavor::CurrentThread);
}

#[magpie::test(flavor = "multi_thread", worker_threads = 3)]
async fn multi_thread_with_three_workers() {
    assert_eq!(flavor(), RuntimeFlavor::MultiThread);
    assert_eq!(workers(), 3);
    let here = std::thread::current().id();
    let there = magpie::spawn(async { std::thread::current().id() })
        .await
        .unwrap();
    assert_ne!(here, there);
}

#[magpie::test(flavor = "multi_thread")]
async fn multi_thread_defaults_to_one_worker_per_cpu() {
    let cpus = std::thread::available_parallelism().map_or(1, |n| n.get());
    assert_eq!(workers(), cpus);
}

#[magpie::test]
async fn question_mark_works_in_a_result_test() -> Result<(), std::num::ParseIntError> {
    let n: u32 = "41".parse()?;
    assert_eq!(n + 1, 42);
    Ok(())
}

#[magpie::test]
async fn io_result_test() -> std::io::Result<()> {
    let value = magpie::task::spawn_blocking(|| 5).await?;
    assert_eq!(value, 5);
    Ok(())
}

#[magpie::test]
async fn boxed_error_test() -> Result<(), Box<dyn std::error::Error>> {
    let n: i64 = "-3".parse()?;
    assert_eq!(n, -3);
    Ok(())
}

#[magpie::test]
async fn early_return_leaves_the_body() {
    let stop = magpie::spawn(async { true }).await.unwrap();
    if stop {
        return;
    }
    panic!("the early return did not leave the body");
}

/// Doc comments and attributes on the test survive the expansion.
#[magpie::test]
#[allow(clippy::bool_assert_comparison)]
async fn attributes_are_kept() {
    #![allow(unused_variables)]
    let unused = 1;
    assert_eq!(true, true);
}

#[magpie::test(start_paused = true)]
async fn start_paused_auto_advances_time() {
    let real = std::time::Instant::now();
    let start = magpie::time::Instant::now();
    magpie::time::sleep(Duration::from_secs(3600)).await;
    assert!(start.elapsed() >= Duration::from_secs(3600));
    // An hour of paused time took far less than an hour.
    assert!(real.elapsed() < Duration::from_secs(600));
}

#[magpie::test(start_paused = false)]
async fn start_paused_false_is_accepted() {
    assert_eq!(flavor(), RuntimeFlavor::CurrentThread);
}

#[magpie::test(crate = "magpie")]
async fn crate_override_with_the_crate_name() {
    assert_eq!(flavor(), RuntimeFlavor::CurrentThread);
}

mod reexport {
    pub(crate) use magpie as rt;
}

#[magpie::test(
    crate = "crate::reexport::rt",
    flavor = "multi_thread",
    worker_threads = 2
)]
async fn crate_override_through_a_reexport() {
    assert_eq!(workers(), 2);
}

#[magpie::test(unhandled_panic = "ignore")]
async fn unhandled_panic_ignore_keeps_the_runtime() {
    let err = magpie::spawn(async { panic!("ignored") })
        .await
        .unwrap_err();
    assert!(err.is_panic());
    assert_eq!(magpie::spawn(async { 2 }).await.unwrap(), 2);
}

#[magpie::test(unhandled_panic = "shutdown_runtime")]
#[should_panic]
async fn unhandled_panic_shutdown_runtime_stops_the_test() {
    let _detached = magpie::spawn(async { panic!("shuts the runtime down") });
    // The runtime shuts down and block_on panics; if it does not, the loop
    // ends and the test fails for not panicking.
    for _ in 0..1_000_000 {
        magpie::task::yield_now().await;
    }
}

mod imported_attribute {
    use magpie::test;

    #[test]
    async fn test_can_be_imported() {
        assert_eq!(
            super::flavor(),
            magpie::runtime::RuntimeFlavor::CurrentThread
        );
    }
}

// `#[magpie::main]` on functions other than `main`: each call builds a
// runtime, runs the body, and returns its value.

#[magpie::main]
async fn compute() -> u32 {
    magpie::spawn(async { 40 }).await.unwrap() + 2
}

#[magpie::main(flavor = "current_thread")]
async fn add(a: u32, b: u32) -> u32 {
    magpie::spawn(async move { a + b }).await.unwrap()
}

#[magpie::main(worker_threads = 2)]
async fn flavor_and_workers() -> (RuntimeFlavor, usize) {
    (flavor(), workers())
}

#[magpie::main(flavor = "current_thread")]
async fn fallible(input: &'static str) -> Result<u8, std::num::ParseIntError> {
    let n: u8 = input.parse()?;
    Ok(n * 2)
}

mod visibility {
    #[magpie::main(flavor = "current_thread")]
    pub(crate) async fn exported() -> &'static str {
        "visible"
    }
}

#[test]
fn main_on_a_plain_function_returns_its_value() {
    assert_eq!(compute(), 42);
    assert_eq!(add(2, 3), 5);
}

#[test]
fn main_defaults_to_multi_thread() {
    assert_eq!(flavor_and_workers(), (RuntimeFlavor::MultiThread, 2));
}

#[test]
fn main_propagates_errors_through_question_mark() {
    assert_eq!(fallible("21"), Ok(42));
    assert!(fallible("x").is_err());
}

#[test]
fn main_keeps_visibility() {
    assert_eq!(visibility::exported(), "visible");
}

#[test]
fn main_leaves_no_runtime_behind() {
    assert_eq!(compute(), 42);
    assert!(Handle::try_current().is_err());
}
