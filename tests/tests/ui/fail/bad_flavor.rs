#[magpie::main(flavor = "single_thread")]
async fn one() {}

#[magpie::main(flavor = "fast")]
async fn two() {}

fn main() {
    one();
    two();
}
