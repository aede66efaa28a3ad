#[magpie::test]
async fn default_flavor() {
    magpie::task::yield_now().await;
}

#[magpie::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_thread() -> std::io::Result<()> {
    Ok(())
}

#[magpie::test(start_paused = true)]
async fn paused() {}

fn main() {}
