mod app {
    /// Runs the app on its own runtime.
    #[magpie::main(flavor = "current_thread")]
    #[allow(clippy::needless_return)]
    pub async fn run(count: u32) -> u32 {
        #![allow(unused_mut)]
        let mut total = count;
        return total + 1;
    }
}

fn main() {
    assert_eq!(app::run(1), 2);
}
