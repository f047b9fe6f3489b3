//! A provider folder without provider.yaml.

loginspec::client!("specs/missing_provider_yaml/acme");

fn main() {}
