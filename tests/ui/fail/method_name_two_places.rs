//! The method name put in two places at once.

loginspec::client!("specs/method_name_two_places/acme");

fn main() {}
