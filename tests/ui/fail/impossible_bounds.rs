//! A length constraint whose minimum exceeds its maximum.

loginspec::client!("specs/impossible_bounds/acme");

fn main() {}
