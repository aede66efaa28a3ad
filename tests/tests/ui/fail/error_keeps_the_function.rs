// The option is wrong, but the function is still emitted: only the option's
// error is reported, not "cannot find function `compute`".
#[magpie::main(flavor = "fast")]
async fn compute() -> u32 {
    1
}

fn main() {
    let value: u32 = compute();
    assert_eq!(value, 1);
}
