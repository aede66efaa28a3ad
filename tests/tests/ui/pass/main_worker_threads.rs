#[magpie::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    assert_eq!(
        magpie::runtime::Handle::current().metrics().num_workers(),
        2
    );
}
