//! Several problems in several files, all reported in one build.

loginspec::client!("specs/many_problems/acme");

fn main() {}
