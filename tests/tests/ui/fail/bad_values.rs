#[magpie::main(worker_threads = "four")]
async fn one() {}

#[magpie::test(start_paused = "yes")]
async fn two() {}

#[magpie::main(flavor = multi_thread)]
async fn three() {}

#[magpie::test(unhandled_panic = "abort")]
async fn four() {}

#[magpie::main(crate = "not a path")]
async fn five() {}

fn main() {
    one();
    three();
    five();
}
