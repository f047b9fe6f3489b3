//! An error whose class loginspec does not know.

loginspec::client!("specs/unknown_error_class/acme");

fn main() {}
