//! A text error code where the protocol says codes are integers.

loginspec::client!("specs/string_code_in_int_provider/acme");

fn main() {}
