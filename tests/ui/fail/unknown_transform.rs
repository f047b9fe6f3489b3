//! A parameter transform that does not exist.

loginspec::client!("specs/unknown_transform/acme");

fn main() {}
