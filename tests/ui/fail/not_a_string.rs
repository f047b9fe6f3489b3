//! An argument that is not a string literal.

loginspec::client!(specs::acme);

fn main() {}
