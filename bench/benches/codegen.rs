//! Generation cost by stage, for N synthetic methods (bench/src/synth.rs).
//!
//! Stages, as the pipeline runs them: `load` reads the files, `parse` is the
//! YAML → spec part of `check` on its own (for scale), `check` is parse +
//! rules + model, `emit` builds the tokens, then either `plain` (printing
//! them as build scripts do) or `format` (syn parses them, prettyplease
//! prints them). `total_build` is `Config::generate` as
//! generated-client's build script runs it (`pretty(false)`), `total_pretty`
//! with formatting (the CLI). Throughput is in methods, so criterion's
//! "elem/s" is methods per second.
//!
//! `BENCH_N=5,50` picks the sizes (default 5,50,500,2000).

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode, Throughput};
use loginspec_bench::synth;
use loginspec_codegen::diag::Ctxt;
use loginspec_codegen::{check, emit, load, spec, yaml, Config, EmitOptions};
use std::hint::black_box;
use std::time::Duration;

fn sizes() -> Vec<usize> {
    std::env::var("BENCH_N")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![5, 50, 500, 2000])
}

fn stages(c: &mut Criterion) {
    for n in sizes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let specs = dir.path().join("specs");
        synth::write_specs(&specs, n).expect("write specs");

        // Inputs of each stage, made once by the stage before it.
        let mut cx = Ctxt::default();
        let files = load::load_dir(&specs, &mut cx);
        let model = check::check(&files, &mut cx);
        assert!(!cx.has_errors(), "synthetic specs must pass check");
        let options = EmitOptions::default();
        let tokens: Vec<_> = model
            .providers
            .iter()
            .map(|p| emit::provider(p, &options))
            .collect();

        let mut g = c.benchmark_group(format!("generate/n={n}"));
        g.throughput(Throughput::Elements(n as u64));
        // Big inputs take long per iteration; fewer samples keep the run short.
        g.sample_size(if n >= 500 { 10 } else { 20 });
        if n >= 500 {
            // Same iteration count per sample: linear sampling would run a
            // one-second iteration 55 times for 10 samples.
            g.sampling_mode(SamplingMode::Flat);
        }
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(if n >= 500 { 4 } else { 2 }));

        g.bench_function("load", |b| {
            b.iter(|| {
                let mut cx = Ctxt::default();
                black_box(load::load_dir(&specs, &mut cx))
            })
        });
        g.bench_function("parse", |b| {
            b.iter(|| {
                for f in &files {
                    black_box(yaml::parse::<spec::ProviderSpec>(&f.provider.text).ok());
                    for m in &f.methods {
                        black_box(yaml::parse::<spec::MethodSpec>(&m.text).ok());
                    }
                }
            })
        });
        g.bench_function("check", |b| {
            b.iter(|| {
                let mut cx = Ctxt::default();
                black_box(check::check(&files, &mut cx))
            })
        });
        g.bench_function("emit", |b| {
            b.iter(|| {
                for p in &model.providers {
                    black_box(emit::provider(p, &options));
                }
            })
        });
        g.bench_function("plain", |b| {
            b.iter_batched(
                || tokens.clone(),
                |tokens| {
                    for t in tokens {
                        black_box(loginspec_codegen::plain(t));
                    }
                },
                BatchSize::PerIteration,
            )
        });
        g.bench_function("format", |b| {
            b.iter_batched(
                || tokens.clone(),
                |tokens| {
                    for t in tokens {
                        black_box(loginspec_codegen::format(t).ok());
                    }
                },
                BatchSize::PerIteration,
            )
        });
        g.bench_function("total_build", |b| {
            b.iter(|| black_box(Config::new(&specs).pretty(false).generate().ok()))
        });
        g.bench_function("total_pretty", |b| {
            b.iter(|| black_box(Config::new(&specs).generate().ok()))
        });
        g.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
