//! A path to a spec file instead of its provider folder.

loginspec::client!("specs/unknown_type/acme/provider.yaml");

fn main() {}
