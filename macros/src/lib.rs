//! The proc-macro behind `loginspec::client!`. Use it through the
//! `loginspec` crate, which also brings the runtime the generated code
//! calls; this crate is a thin shell over
//! [`loginspec_codegen::inline::provider`].
#![forbid(unsafe_code)]

use loginspec_codegen::diag::Diagnostics;
use loginspec_codegen::EmitOptions;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use std::path::Path;

/// Path under which the expansion reaches the runtime: the `loginspec`
/// facade re-exports `loginspec-runtime` there, so users need one dependency.
const RUNTIME: &str = "::loginspec::runtime";

/// Generates the client module of one provider from its spec folder.
///
/// ```ignore
/// loginspec::client!("specs/acme");
/// // expands to `pub mod acme { ... }`: Client, one request, response and
/// // error type per method, exactly what loginspec-client has per provider.
/// ```
///
/// The path is relative to the folder of the calling crate's `Cargo.toml`
/// and names one provider folder (`provider.yaml` plus one YAML file per
/// method). Spec problems become compile errors on the path, all at once,
/// each with `file:line:col`, the YAML path, the offending line and a hint.
///
/// Editing any spec file the provider was made from makes cargo rebuild the
/// crate. A method file added to the folder is not noticed until something
/// else changes (touch `provider.yaml` or the calling source file): stable
/// Rust lets a macro track files, not folders.
#[proc_macro]
pub fn client(input: proc_macro::TokenStream) -> proc_macro::TokenStream {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR");
    expand(input.into(), manifest_dir.as_deref().map(Path::new)).into()
}

/// The whole macro, on proc_macro2 tokens so tests can call it.
fn expand(input: TokenStream, manifest_dir: Option<&Path>) -> TokenStream {
    let lit: syn::LitStr = match syn::parse2(input) {
        Ok(lit) => lit,
        Err(err) => {
            // syn's error points at the first offending token.
            return error(
                err.span(),
                "expected the path of a provider folder as a string literal, \
                 e.g. `loginspec::client!(\"specs/acme\")`",
            );
        }
    };
    let span = lit.span();
    let Some(manifest_dir) = manifest_dir else {
        return error(
            span,
            "CARGO_MANIFEST_DIR is not set; build the crate with cargo so the path can be resolved",
        );
    };
    let shown_as = lit.value();
    let options = EmitOptions {
        runtime: RUNTIME.into(),
        ..EmitOptions::default()
    };
    match loginspec_codegen::inline::provider(&manifest_dir.join(&shown_as), &shown_as, &options) {
        Ok(inline) => {
            let tokens = inline.tokens;
            // include_bytes! puts each spec file into cargo's dep-info, so an
            // edit reruns the macro; the bytes themselves are discarded. A
            // path that is not UTF-8 cannot be written as a literal and
            // goes untracked.
            let tracked = inline
                .inputs
                .iter()
                .filter_map(|p| p.to_str())
                .map(|p| quote_spanned!(span=> const _: &[u8] = include_bytes!(#p);));
            quote!(#tokens #(#tracked)*)
        }
        Err(diagnostics) => errors(span, &diagnostics),
    }
}

/// One `compile_error!` per problem, all on the path literal.
fn errors(span: Span, diagnostics: &Diagnostics) -> TokenStream {
    diagnostics
        .0
        .iter()
        .map(|d| {
            let text = d.render(false);
            // rustc prints its own `error: ` before the message.
            error(span, text.strip_prefix("error: ").unwrap_or(&text))
        })
        .collect()
}

fn error(span: Span, message: &str) -> TokenStream {
    quote_spanned!(span=> ::core::compile_error! { #message })
}

#[cfg(test)]
mod tests {
    //! The macro must expand to exactly what the build script of
    //! loginspec-client generates for the same folder.

    use super::*;
    use quote::ToTokens;
    use std::path::PathBuf;

    fn repo() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    fn provider_names() -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(repo().join("specs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn expansion_equals_build_script_output_for_every_provider() {
        let names = provider_names();
        assert_eq!(names, ["aktion", "aukro", "erply", "wialon"]);
        // The build script's path, with the facade's runtime path.
        let output = loginspec_codegen::Config::new(repo().join("specs"))
            .runtime_path(RUNTIME)
            .generate()
            .unwrap();
        assert_eq!(output.providers.len(), names.len());
        for (name, generated) in names.iter().zip(&output.providers) {
            assert_eq!(&generated.name, name);
            let arg = format!("specs/{name}");
            let expanded: syn::File = syn::parse2(expand(quote!(#arg), Some(&repo()))).unwrap();
            let (module, tracked) = expanded.items.split_at(1);
            // The build script formats its tokens; formatting the macro's
            // tokens the same way must give the same text, byte for byte.
            let module = quote!(#(#module)*);
            assert_eq!(
                loginspec_codegen::format(module).unwrap(),
                generated.code,
                "provider {name}"
            );
            // The rest tracks each spec file of the provider, by absolute path.
            let mut expected: Vec<String> = generated
                .sources
                .iter()
                .map(|s| {
                    let path = repo().join(s).canonicalize().unwrap();
                    format!(
                        "const _ : & [u8] = include_bytes ! ({:?}) ;",
                        path.to_str().unwrap()
                    )
                })
                .collect();
            expected.sort();
            let mut got: Vec<String> = tracked
                .iter()
                .map(|item| item.to_token_stream().to_string())
                .collect();
            got.sort();
            assert_eq!(got, expected, "provider {name}");
        }
    }

    #[test]
    fn diagnostics_name_files_as_written_and_all_at_once() {
        let dir = std::env::temp_dir().join(format!("loginspec-macros-{}", std::process::id()));
        let acme = dir.join("specs/acme");
        std::fs::create_dir_all(&acme).unwrap();
        std::fs::write(
            acme.join("provider.yaml"),
            "provider: acme\ntitle: Acme\nbase_url: https://api.acme.test/\nprotocol:\n  encodings: [json]\n  method_name:\n    path: true\n  error:\n    code: /code\n    code_type: int\n",
        )
        .unwrap();
        std::fs::write(
            acme.join("login.yaml"),
            "method: login\ndoc: Logs in.\nparams:\n  - name: user\n    type: strng\n    doc: User.\nresponse:\n  fields:\n    - name: token\n      type: Tokn\n      doc: Token.\n",
        )
        .unwrap();
        let out = expand(quote!("specs/acme"), Some(&dir)).to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        let errors: Vec<&str> = out.split(":: core :: compile_error !").skip(1).collect();
        assert_eq!(errors.len(), 2, "{out}");
        assert!(errors[0].contains("unknown type `strng`"), "{out}");
        assert!(
            errors[0].contains("--> specs/acme/login.yaml:5:11"),
            "{out}"
        );
        assert!(errors[1].contains("unknown type `Tokn`"), "{out}");
        assert!(
            errors[1].contains("--> specs/acme/login.yaml:10:13"),
            "{out}"
        );
        assert!(
            !out.contains(dir.to_str().unwrap()),
            "absolute path in {out}"
        );
    }

    #[test]
    fn missing_folder_and_wrong_argument_are_errors() {
        let out = expand(quote!("specs/nope"), Some(&repo())).to_string();
        assert_eq!(
            out,
            quote!(::core::compile_error! { "cannot read the provider folder `specs/nope`: No such file or directory (os error 2)\n--> specs/nope\n = help: the path is relative to the folder of the crate's Cargo.toml and names one provider folder (the one with provider.yaml)" }).to_string()
        );
        let out = expand(quote!(specs), Some(&repo())).to_string();
        assert!(
            out.contains("expected the path of a provider folder"),
            "{out}"
        );
        let out = expand(quote!("specs/erply"), None).to_string();
        assert!(out.contains("CARGO_MANIFEST_DIR is not set"), "{out}");
    }
}
