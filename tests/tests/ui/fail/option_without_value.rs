#[magpie::main(multi_thread)]
async fn one() {}

#[magpie::main(worker_threads)]
async fn two() {}

#[magpie::main(core_threads = 2)]
async fn three() {}

fn main() {
    one();
    two();
    three();
}
