#[magpie::main(flavor = "current_thread", worker_threads = 2)]
async fn one() {}

// #[magpie::test] defaults to current_thread.
#[magpie::test(worker_threads = 2)]
async fn two() {}

fn main() {
    one();
}
