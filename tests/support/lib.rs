//! Helpers shared by the cross-crate tests.

// The README's Rust example is compiled as a doctest, so it cannot go stale.
#[doc = include_str!("../../README.md")]
mod readme {}
