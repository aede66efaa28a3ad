//! Compile-time checks of `#[magpie::main]` and `#[magpie::test]`: what must
//! compile (`ui/pass`) and the exact errors for misuse (`ui/fail`, pinned by
//! the `.stderr` files; regenerate with `TRYBUILD=overwrite`).

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.pass("tests/ui/pass/*.rs");
    cases.compile_fail("tests/ui/fail/*.rs");
}
