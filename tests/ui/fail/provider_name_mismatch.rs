//! A provider key that differs from its folder's name.

loginspec::client!("specs/provider_name_mismatch/acme");

fn main() {}
