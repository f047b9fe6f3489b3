//! provider.yaml without its `title`.

loginspec::client!("specs/missing_required_key/acme");

fn main() {}
