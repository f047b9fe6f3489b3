//! A parameter of a type that does not exist.

loginspec::client!("specs/unknown_type/acme");

fn main() {}
