#[magpie::main]
async fn answer() -> u32 {
    let text = "forty-two";
    text
}

fn main() {
    let _ = answer();
}
