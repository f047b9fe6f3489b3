//! The synthetic specs must be valid specs: every one passes `check`, and
//! the whole pipeline turns them into code with the expected items.

use loginspec_bench::synth;

fn checked(n: usize) -> (tempfile::TempDir, loginspec_codegen::model::Model) {
    let dir = tempfile::tempdir().expect("temp dir");
    let specs = dir.path().join("specs");
    synth::write_specs(&specs, n).expect("write specs");
    let (model, _) = loginspec_codegen::load_and_check(&specs)
        .unwrap_or_else(|diagnostics| panic!("synthetic specs are invalid:\n{diagnostics}"));
    (dir, model)
}

#[test]
fn fifty_methods_pass_check_and_generate() {
    let (dir, model) = checked(50);
    let methods: Vec<_> = model.providers.iter().flat_map(|p| &p.methods).collect();
    assert_eq!(methods.len(), 50);
    assert_eq!(model.providers.len(), 4);
    for m in &methods {
        assert_eq!(m.params.len(), 5, "{}", m.rust);
        assert_eq!(m.errors.len(), 6, "{}", m.rust);
        let loginspec_codegen::model::TypeDef::Struct { fields, .. } = &m.response.def else {
            panic!("{} has no struct response", m.rust);
        };
        assert_eq!(fields.len(), 12, "{}", m.rust);
        assert_eq!(m.examples.len(), 1, "{}", m.rust);
    }

    let output = loginspec_codegen::Config::new(dir.path().join("specs"))
        .generate()
        .unwrap_or_else(|d| panic!("{d}"));
    let code = output.combined();
    for m in 0..50 {
        assert!(
            code.contains(&format!("pub async fn op{m:05}(")),
            "method {m}"
        );
        assert!(
            code.contains(&format!("pub struct Op{m:05}Account")),
            "method {m}"
        );
    }
}

#[test]
fn every_protocol_shape_passes_check_at_small_n() {
    for n in [1, 2, 3, 4, 5] {
        let (_dir, model) = checked(n);
        let count: usize = model.providers.iter().map(|p| p.methods.len()).sum();
        assert_eq!(count, n);
    }
}

#[test]
fn generation_is_deterministic() {
    let a = synth::specs(20);
    let b = synth::specs(20);
    assert_eq!(a, b);
    let (d1, _) = checked(8);
    let (d2, _) = checked(8);
    let gen = |d: &tempfile::TempDir| {
        loginspec_codegen::Config::new(d.path().join("specs"))
            .generate()
            .unwrap_or_else(|e| panic!("{e}"))
            .combined()
    };
    assert_eq!(gen(&d1), gen(&d2));
}

#[test]
fn plain_output_is_the_same_code_as_pretty_output() {
    let (dir, _) = checked(12);
    let specs = dir.path().join("specs");
    let generate = |pretty: bool| {
        loginspec_codegen::Config::new(&specs)
            .pretty(pretty)
            .generate()
            .unwrap_or_else(|e| panic!("{e}"))
            .providers
    };
    let (pretty, plain) = (generate(true), generate(false));
    assert_eq!(pretty.len(), plain.len());
    for (a, b) in pretty.iter().zip(&plain) {
        assert_ne!(a.code, b.code, "plain output should not be pretty-printed");
        // Same items: both parse, and print the same once formatted (the
        // formatter also lays out long literals and `bitflags!` bodies).
        let a_tokens: proc_macro2::TokenStream = a.code.parse().expect("pretty output lexes");
        let b_tokens: proc_macro2::TokenStream = b.code.parse().expect("plain output lexes");
        assert_eq!(
            loginspec_codegen::format(a_tokens).expect("pretty output parses"),
            loginspec_codegen::format(b_tokens).expect("plain output parses")
        );
    }
}
