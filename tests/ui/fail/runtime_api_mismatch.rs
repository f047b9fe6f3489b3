//! Code generated for another runtime API (here a future v2 from loginspec
//! 0.2.0) stops at its first line with a message naming both versions.

pub mod acme {
    loginspec::runtime::__generated::check_api!(2, "0.2.0");
}

fn main() {}
