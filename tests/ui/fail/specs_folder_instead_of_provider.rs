//! A folder of providers where one provider folder belongs.

loginspec::client!("specs/unknown_type");

fn main() {}
