#[magpie::main(flavor = "current_thread", unhandled_panic = "ignore")]
async fn main() {
    let err = magpie::spawn(async { panic!("ignored") })
        .await
        .unwrap_err();
    assert!(err.is_panic());
}
