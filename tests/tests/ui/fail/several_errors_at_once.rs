#[magpie::main(threads = 4, workers = 2)]
async fn main() {}
