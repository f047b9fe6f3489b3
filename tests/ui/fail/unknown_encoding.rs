//! A wire encoding that loginspec does not have.

loginspec::client!("specs/unknown_encoding/acme");

fn main() {}
