//! One parameter listed twice.

loginspec::client!("specs/duplicate_param/acme");

fn main() {}
