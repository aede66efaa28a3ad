#[magpie::main(
    flavor = "current_thread",
    start_paused = true,
    unhandled_panic = "shutdown_runtime"
)]
async fn main() {
    magpie::time::sleep(std::time::Duration::from_secs(60)).await;
}
