#[magpie::main]
struct NotAFunction;

fn main() {}
