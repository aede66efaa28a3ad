//! Expansion tests on token strings. Error spans and the compiler's view of
//! the expansion are checked by the trybuild cases of the `magpie-tests`
//! crate.

use super::{Kind, expand};
use proc_macro2::TokenStream;

fn run(kind: Kind, args: &str, item: &str) -> String {
    let args: TokenStream = args.parse().expect("args tokenize");
    let item: TokenStream = item.parse().expect("item tokenizes");
    // Normalise spacing so that assertions can be written naturally.
    expand(kind, args, item)
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The expansion with all whitespace removed, for substring checks.
fn main_of(args: &str, item: &str) -> String {
    compact(&run(Kind::Main, args, item))
}

fn test_of(args: &str, item: &str) -> String {
    compact(&run(Kind::Test, args, item))
}

/// The single error message of an expansion, if any.
fn error_of(kind: Kind, args: &str, item: &str) -> Option<String> {
    let out = run(kind, args, item);
    let start = out.find("compile_error")?;
    let rest = &out[start..];
    let open = rest.find('"')?;
    let close = rest[open + 1..].find("\" }")?;
    Some(rest[open + 1..open + 1 + close].replace("\\\"", "\""))
}

#[test]
fn main_defaults_to_multi_thread() {
    let out = main_of("", "async fn main() { println!(\"hi\"); }");
    assert!(out.starts_with("fnmain(){"), "{out}");
    assert!(out.contains("letbody=async{println!(\"hi\");};"), "{out}");
    assert!(
        out.contains(
            "return::magpie::runtime::Builder::new_multi_thread().enable_all().build()\
             .expect(\"FailedbuildingtheRuntime\").block_on(body);"
        ),
        "{out}"
    );
    assert!(!out.contains("test]"), "{out}");
    assert!(!out.contains("compile_error"), "{out}");
}

#[test]
fn test_defaults_to_current_thread_and_adds_test_attribute() {
    let out = test_of("", "async fn it_works() { assert!(true); }");
    assert!(
        out.starts_with("#[::core::prelude::v1::test]fnit_works(){"),
        "{out}"
    );
    assert!(out.contains("::magpie::runtime::Builder::new_current_thread().enable_all()"));
    assert!(
        out.contains("letbody:::core::pin::Pin<&mutdyn::core::future::Future<Output=()>>=body;"),
        "{out}"
    );
    assert!(!out.contains("compile_error"), "{out}");
}

#[test]
fn options_become_builder_calls() {
    let out = main_of("worker_threads = 4", "async fn main() {}");
    assert!(
        out.contains("new_multi_thread().enable_all().worker_threads(4).build()"),
        "{out}"
    );

    let out = test_of(
        "flavor = \"multi_thread\", worker_threads = 2",
        "async fn t() {}",
    );
    assert!(
        out.contains("new_multi_thread().enable_all().worker_threads(2).build()"),
        "{out}"
    );

    let out = main_of("flavor = \"current_thread\"", "async fn main() {}");
    assert!(
        out.contains("new_current_thread().enable_all().build()"),
        "{out}"
    );

    let out = test_of("start_paused = true", "async fn t() {}");
    assert!(out.contains("new_current_thread().enable_all().start_paused(true).build()"));
    let out = test_of("start_paused = false", "async fn t() {}");
    assert!(
        out.contains("new_current_thread().enable_all().build()"),
        "{out}"
    );

    let out = test_of("unhandled_panic = \"shutdown_runtime\"", "async fn t() {}");
    assert!(
        out.contains(
            ".enable_all().unhandled_panic(::magpie::runtime::UnhandledPanic::ShutdownRuntime)\
             .build()"
        ),
        "{out}"
    );
    let out = test_of("unhandled_panic = \"ignore\"", "async fn t() {}");
    assert!(
        out.contains("new_current_thread().enable_all().build()"),
        "{out}"
    );
}

#[test]
fn crate_override_replaces_every_path() {
    let out = test_of(
        "crate = \"my::rt\", unhandled_panic = \"shutdown_runtime\"",
        "async fn t() {}",
    );
    assert!(
        out.contains("my::rt::runtime::Builder::new_current_thread()"),
        "{out}"
    );
    assert!(
        out.contains("my::rt::runtime::UnhandledPanic::ShutdownRuntime"),
        "{out}"
    );
    assert!(!out.contains("magpie"), "{out}");
}

#[test]
fn signature_attributes_and_visibility_are_kept() {
    let out = main_of(
        "",
        "/// docs\n#[allow(unused)] pub(crate) async fn main() -> Result<(), Box<dyn std::error::Error>> \
         { #![allow(dead_code)] let x = f()?; Ok(x) }",
    );
    assert!(
        out.starts_with(
            "#[doc=\"docs\"]#[allow(unused)]#[allow(dead_code)]pub(crate)fnmain()\
             ->Result<(),Box<dynstd::error::Error>>{letbody=async{letx=f()?;Ok(x)};"
        ),
        "{out}"
    );
    // No other statement between the body and the runtime: a type mismatch
    // is reported once, at the user's last statement.
    assert!(out.contains("Ok(x)};#[allow("), "{out}");
}

#[test]
fn impl_trait_and_never_outputs_are_not_pinned_as_dyn_future() {
    let out = test_of("", "async fn t() -> impl std::fmt::Debug { 1 }");
    assert!(!out.contains("pin!"), "{out}");
    let out = test_of("", "async fn t() -> ! { loop {} }");
    assert!(!out.contains("pin!"), "{out}");
}

#[test]
fn arguments_are_moved_into_the_body_of_a_non_main_function() {
    let out = main_of("", "async fn run(n: u32) -> u32 { n + 1 }");
    assert!(
        out.starts_with("fnrun(n:u32)->u32{letbody=asyncmove{n+1};"),
        "{out}"
    );
}

#[test]
fn misuse_is_reported_and_the_function_still_emitted() {
    let cases: &[(Kind, &str, &str, &str)] = &[
        (
            Kind::Main,
            "",
            "fn main() {}",
            "the `async` keyword is missing from the function declaration",
        ),
        (
            Kind::Main,
            "",
            "async fn main(x: u32) {}",
            "the main function cannot accept arguments",
        ),
        (
            Kind::Test,
            "",
            "async fn t(x: u32) {}",
            "the test function cannot accept arguments",
        ),
        (
            Kind::Test,
            "",
            "#[test] async fn t() {}",
            "second test attribute is supplied, consider removing or changing the order of your test attributes",
        ),
        (
            Kind::Main,
            "threads = 4",
            "async fn main() {}",
            "unknown option `threads`; expected one of: `flavor`, `worker_threads`, `start_paused`, `crate`, `unhandled_panic`, `name`",
        ),
        (
            Kind::Main,
            "flavor = \"current_thread\", flavor = \"multi_thread\"",
            "async fn main() {}",
            "the `flavor` option is set more than once",
        ),
        (
            Kind::Main,
            "flavor = \"fast\"",
            "async fn main() {}",
            "no such runtime flavor `fast`; the runtime flavors are `current_thread` and `multi_thread`",
        ),
        (
            Kind::Main,
            "flavor = multi_thread",
            "async fn main() {}",
            "the value of `flavor` must be a literal",
        ),
        (
            Kind::Main,
            "worker_threads = \"4\"",
            "async fn main() {}",
            "the value of `worker_threads` must be an integer literal",
        ),
        (
            Kind::Main,
            "worker_threads = 0",
            "async fn main() {}",
            "`worker_threads` may not be 0",
        ),
        (
            Kind::Main,
            "flavor = \"current_thread\", worker_threads = 2",
            "async fn main() {}",
            "the `worker_threads` option requires the `multi_thread` runtime flavor. Use `#[magpie::main(flavor = \"multi_thread\")]`",
        ),
        (
            Kind::Test,
            "worker_threads = 2",
            "async fn t() {}",
            "the `worker_threads` option requires the `multi_thread` runtime flavor. Use `#[magpie::test(flavor = \"multi_thread\")]`",
        ),
        (
            Kind::Main,
            "start_paused = true",
            "async fn main() {}",
            "the `start_paused` option requires the `current_thread` runtime flavor. Use `#[magpie::main(flavor = \"current_thread\")]`",
        ),
        (
            Kind::Test,
            "start_paused = 1",
            "async fn t() {}",
            "the value of `start_paused` must be `true` or `false`",
        ),
        (
            Kind::Test,
            "flavor = \"multi_thread\", unhandled_panic = \"shutdown_runtime\"",
            "async fn t() {}",
            "the `unhandled_panic` option requires the `current_thread` runtime flavor. Use `#[magpie::test(flavor = \"current_thread\")]`",
        ),
        (
            Kind::Test,
            "unhandled_panic = \"abort\"",
            "async fn t() {}",
            "no such unhandled panic behavior `abort`; the behaviors are `ignore` and `shutdown_runtime`",
        ),
        (
            Kind::Main,
            "crate = \"not a path\"",
            "async fn main() {}",
            "the value of `crate` must be a path, found \"not a path\"",
        ),
        (
            Kind::Main,
            "multi_thread",
            "async fn main() {}",
            "set the runtime flavor with `flavor = \"multi_thread\"`",
        ),
        (
            Kind::Main,
            "worker_threads",
            "async fn main() {}",
            "the `worker_threads` option requires a value: `worker_threads = ...`",
        ),
        (
            Kind::Main,
            "core_threads = 2",
            "async fn main() {}",
            "`core_threads` is called `worker_threads`",
        ),
    ];
    for (kind, args, item, expected) in cases {
        let message = error_of(*kind, args, item)
            .unwrap_or_else(|| panic!("no error for {args:?} on {item:?}"));
        assert_eq!(
            squash(&message),
            squash(expected),
            "for {args:?} on {item:?}"
        );
        let out = run(*kind, args, item);
        // The user's function is still there, rewritten with the defaults.
        assert!(out.contains("fn "), "{out}");
        assert!(out.contains("block_on"), "{out}");
    }
}

#[test]
fn every_bad_option_is_reported() {
    let out = run(Kind::Main, "foo = 1, bar = 2", "async fn main() {}");
    assert_eq!(out.matches("compile_error").count(), 2, "{out}");
}

#[test]
fn a_non_function_is_given_back_with_an_error() {
    let out = run(Kind::Main, "", "struct S;");
    assert!(out.starts_with("struct S ;"), "{out}");
    assert!(out.contains("compile_error"), "{out}");
}

#[test]
fn empty_body_expands() {
    let out = main_of("", "async fn main() {}");
    assert!(out.starts_with("fnmain(){letbody=async{};"), "{out}");
}
