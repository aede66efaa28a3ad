#[magpie::main]
async fn main() {
    let value = magpie::spawn(async { 1 }).await.unwrap();
    assert_eq!(value, 1);
}
