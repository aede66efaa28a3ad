#[magpie::main]
async fn main() -> Result<(), String> {
    let done = magpie::spawn(async { true })
        .await
        .map_err(|e| e.to_string())?;
    if done {
        return Ok(());
    }
    Err("not done".to_owned())
}
