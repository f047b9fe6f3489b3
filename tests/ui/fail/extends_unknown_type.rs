//! A response that extends a type nobody defined.

loginspec::client!("specs/extends_unknown_type/acme");

fn main() {}
