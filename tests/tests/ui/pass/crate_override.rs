// The runtime reached through another name, as a framework re-exporting
// magpie would do.
use magpie as rt;

#[rt::main(crate = "rt")]
async fn main() {
    rt::spawn(async {}).await.unwrap();
}
