#[magpie::main(flavor = "current_thread")]
async fn main() {
    magpie::task::yield_now().await;
}
