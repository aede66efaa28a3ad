use magpie::sync::oneshot;
use magpie::time::{self, Duration, Instant};

#[magpie::test(start_paused = true)]
async fn an_hour_passes_at_once() {
    let start = Instant::now();
    time::sleep(Duration::from_secs(3600)).await;
    assert!(start.elapsed() >= Duration::from_secs(3600));
}

#[magpie::test(start_paused = true)]
async fn a_late_answer_times_out() {
    let (tx, rx) = oneshot::channel::<u32>();
    let waiter = magpie::spawn(time::timeout(Duration::from_secs(5), rx));

    time::advance(Duration::from_secs(4)).await;
    assert!(!waiter.is_finished());

    time::advance(Duration::from_secs(2)).await;
    assert!(waiter.await.unwrap().is_err()); // Elapsed after 5 s
    drop(tx);
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn runs_on_two_workers() {
    let handles: Vec<_> = (0..4u32)
        .map(|i| magpie::spawn(async move { i * 2 }))
        .collect();
    let mut sum = 0;
    for h in handles {
        sum += h.await.unwrap();
    }
    assert_eq!(sum, 12);
}
