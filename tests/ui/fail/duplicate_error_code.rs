//! Two provider-wide errors with one code.

loginspec::client!("specs/duplicate_error_code/acme");

fn main() {}
