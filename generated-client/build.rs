//! Generates one module per provider folder in ../specs.
//!
//! A provider is left out only when the crate declares a cargo feature of
//! the same name and that feature is off, so a new spec folder shows up as
//! a new module without touching this file.

use std::path::PathBuf;

fn main() {
    let manifest =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out =
        PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("providers.rs");
    let specs = manifest.join("../specs");
    println!("cargo::rerun-if-changed={}", specs.display());
    println!("cargo::rerun-if-changed=Cargo.toml");

    let declared = declared_features(&manifest.join("Cargo.toml"));
    let (model, inputs) = match loginspec_codegen::load_and_check(&specs) {
        Ok(checked) => checked,
        Err(diagnostics) => fail(&diagnostics.to_string()),
    };
    let enabled: Vec<String> = model
        .providers
        .iter()
        .map(|p| p.name.clone())
        .filter(|name| {
            !declared.contains(name)
                || std::env::var_os(format!("CARGO_FEATURE_{}", name.to_uppercase())).is_some()
        })
        .collect();
    // Only `include!` reads this file: skip the pretty-printing, which is most
    // of the generator's time (BENCHMARKS.md).
    let providers = match loginspec_codegen::Config::new(&specs)
        .pretty(false)
        .providers(enabled)
        .emit(&model)
    {
        Ok(providers) => providers,
        Err(diagnostics) => fail(&diagnostics.to_string()),
    };
    let output = loginspec_codegen::Output { providers, inputs };
    if let Err(err) = output.write(&out) {
        fail(&format!("cannot write {}: {err}", out.display()));
    }
}

/// Names under `[features]` in our Cargo.toml.
fn declared_features(manifest: &std::path::Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap_or_default();
    let table: toml::Table = toml::from_str(&text).unwrap_or_default();
    table
        .get("features")
        .and_then(|f| f.as_table())
        .map(|f| f.keys().cloned().collect())
        .unwrap_or_default()
}

/// Spec problems become readable `cargo::error` lines instead of a panic.
fn fail(report: &str) -> ! {
    // Cargo already starts each line with "error:".
    for line in report.lines() {
        println!(
            "cargo::error={}",
            line.strip_prefix("error: ").unwrap_or(line)
        );
    }
    std::process::exit(1);
}
