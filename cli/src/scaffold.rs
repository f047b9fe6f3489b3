use crate::Failure;
pub fn run(_: &std::path::Path, _: &str, _: Option<&str>) -> Result<(), Failure> {
    Ok(())
}
