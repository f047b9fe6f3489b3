//! Benchmark support for loginspec: the synthetic spec generator.
//!
//! The benches live in `benches/` (`cargo bench -p loginspec-bench`); the
//! `synth` binary writes specs (and optionally the generated code) for the
//! compile-cost script. See BENCHMARKS.md at the repository root.
#![forbid(unsafe_code)]

pub mod synth;
