pub mod spec;
pub mod yaml;
