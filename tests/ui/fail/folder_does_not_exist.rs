//! A path that names no folder.

loginspec::client!("specs/folder_does_not_exist/acme");

fn main() {}
