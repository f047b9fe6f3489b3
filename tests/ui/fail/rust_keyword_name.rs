//! A parameter whose Rust name would be a keyword.

loginspec::client!("specs/rust_keyword_name/acme");

fn main() {}
