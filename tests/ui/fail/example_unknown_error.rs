//! A docs sample that expects an error the method does not have.

loginspec::client!("specs/example_unknown_error/acme");

fn main() {}
