//! loom models of the reactor's protocols. Run with
//! `RUSTFLAGS="--cfg loom" LOOM_MAX_PREEMPTIONS=2 CARGO_TARGET_DIR=target/loom
//! cargo test --release -p magpie-reactor --lib loom`.

mod loom_park;
