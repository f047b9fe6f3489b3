//! A method file that is not valid YAML.

loginspec::client!("specs/bad_yaml/acme");

fn main() {}
