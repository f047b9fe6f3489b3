//! A default value that the parameter's type cannot hold.

loginspec::client!("specs/default_does_not_fit/acme");

fn main() {}
