//! The xml encoding without the name of the request's root element.

loginspec::client!("specs/xml_without_root/acme");

fn main() {}
