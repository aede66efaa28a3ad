use std::error::Error;

#[magpie::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let n: u32 = "7".parse()?;
    let doubled = magpie::spawn(async move { n * 2 }).await?;
    assert_eq!(doubled, 14);
    Ok(())
}
