use std::process::ExitCode;

#[magpie::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    ExitCode::SUCCESS
}
