//! Builds Rust tokens from the model, one `quote!` per construct.
//!
//! Generated code only describes: protocol tables, types, and one-line
//! methods that hand over to the runtime. Shared logic lives in the runtime.

use crate::model::*;
use docs::doc;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

mod checks;
mod client;
mod docs;
mod errors;
mod examples;
mod protocol;
mod provider_errors;
mod session;
mod steps;
mod types;

/// Settings that change the emitted code.
#[derive(Debug, Clone)]
pub struct EmitOptions {
    /// Path of the runtime crate as the generated code sees it.
    pub runtime: String,
    /// Emit `#[cfg(test)]` tests that decode each spec example.
    pub example_tests: bool,
}

impl Default for EmitOptions {
    fn default() -> Self {
        EmitOptions {
            runtime: "::loginspec_runtime".into(),
            example_tests: true,
        }
    }
}

/// The runtime's generated-code API that emitted code targets: its module
/// `__generated::v{RUNTIME_API}`. Bump both together, in the runtime's
/// `__generated::API` and `check_api!`, when emitted code changes in a way an
/// older runtime cannot compile.
pub const RUNTIME_API: u32 = 1;

/// The loginspec version emitted files name in their `check_api!` call.
const GENERATOR_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The `pub mod <provider> { ... }` item of one provider.
pub fn provider(p: &Provider, options: &EmitOptions) -> TokenStream {
    let krate: TokenStream =
        syn::parse_str(&options.runtime).unwrap_or_else(|_| quote!(::loginspec_runtime));
    // Every path the emitters write (`rt::...` tokens and the paths inside
    // serde attributes) goes through the versioned module.
    let versioned = EmitOptions {
        runtime: format!("{}::__generated::v{RUNTIME_API}", options.runtime),
        ..options.clone()
    };
    let cx = Emit {
        p,
        request_types: types_in_params(&p.types, &p.methods),
        options: &versioned,
        rt: krate,
    };
    cx.module()
}

/// The runtime's cargo features a provider needs (`requires!` names them).
fn runtime_features(p: &Provider) -> Vec<syn::Ident> {
    let xml = p.protocol.reads_xml()
        || p.methods
            .iter()
            .any(|m| matches!(m.encoding, Some(Encoding::Xml | Encoding::Soap11)));
    let hashes = |b: &Binding| match &b.source {
        ValueSource::Derived { pipeline, .. } => pipeline
            .steps
            .iter()
            .any(|s| matches!(s, DerivedStep::Hash(_) | DerivedStep::Hmac { .. })),
        _ => false,
    };
    let hashing = p.methods.iter().any(|m| {
        m.bindings.iter().chain(&m.key_bindings).any(hashes)
            || m.params
                .iter()
                .any(|f| matches!(f.transform, Some(Transform::Sha256Base64)))
    });
    [
        (xml, "xml"),
        (hashing, "hashing"),
        (reads_timestamps(p), "timestamps"),
    ]
    .into_iter()
    .filter(|(needed, _)| *needed)
    .map(|(_, name)| ident(name))
    .collect()
}

/// Whether any field or answer of the provider is a timestamp (shared
/// types are scanned themselves, so names need not be followed).
fn reads_timestamps(p: &Provider) -> bool {
    fn is_timestamp(ty: &Ty) -> bool {
        match ty {
            Ty::Timestamp(_) => true,
            Ty::List(inner) | Ty::Map(inner) => is_timestamp(inner),
            _ => false,
        }
    }
    let in_fields = |fields: &[Field]| fields.iter().any(|f| is_timestamp(&f.ty));
    let in_type =
        |t: &NamedType| matches!(&t.def, TypeDef::Struct { fields, .. } if in_fields(fields));
    p.types.iter().any(in_type)
        || p.methods.iter().any(|m| {
            in_type(&m.response)
                || in_fields(&m.params)
                || matches!(&m.answer, Answer::Value(ty) if is_timestamp(ty))
        })
}

struct Emit<'a> {
    p: &'a Provider,
    /// Shared structs that requests contain; they also derive `Serialize`.
    request_types: BTreeSet<String>,
    options: &'a EmitOptions,
    /// Tokens of the runtime crate's path (`options.runtime` is the
    /// versioned module inside it).
    rt: TokenStream,
}

fn ident(name: &str) -> syn::Ident {
    format_ident!("{}", name)
}

/// The generated names of one method: its client method, its `static`
/// table, and its request, response and error types.
struct MethodNames {
    call: syn::Ident,
    table: syn::Ident,
    request: syn::Ident,
    response: syn::Ident,
    error: syn::Ident,
}

impl MethodNames {
    fn of(m: &Method) -> Self {
        MethodNames {
            call: ident(&m.rust),
            table: ident(&m.rust.to_uppercase()),
            request: format_ident!("{}Request", m.type_prefix),
            response: format_ident!("{}Response", m.type_prefix),
            error: format_ident!("{}Error", m.type_prefix),
        }
    }
}

/// A string literal, the same as `Literal::string` writes it. That escapes
/// character by character through `char::escape_debug`, about 60
/// instructions a character, which made string literals (doc text above
/// all) a sixth of emitting. ASCII text, nearly all of a spec's, is escaped
/// here in one plain pass instead and the literal read back from its source.
fn str_lit(s: &str) -> Lit {
    if s.is_ascii() {
        let mut repr = String::with_capacity(s.len() + 2);
        repr.push('"');
        for c in s.chars() {
            match c {
                '"' => repr.push_str("\\\""),
                '\\' => repr.push_str("\\\\"),
                '\n' => repr.push_str("\\n"),
                '\r' => repr.push_str("\\r"),
                '\t' => repr.push_str("\\t"),
                ' '..='~' => repr.push(c),
                // NUL and other controls: left to `Literal::string`.
                _ => return Lit::string(s),
            }
        }
        repr.push('"');
        if let Ok(literal) = repr.parse() {
            return literal;
        }
    }
    Lit::string(s)
}

impl Emit<'_> {
    fn serde_crate(&self) -> Lit {
        str_lit(&format!("{}::serde", self.options.runtime))
    }

    fn module(&self) -> TokenStream {
        let p = self.p;
        let name = ident(&p.name);
        let krate = &self.rt;
        let api = Lit::u32_unsuffixed(RUNTIME_API);
        let module = format_ident!("v{}", RUNTIME_API);
        let generator = str_lit(GENERATOR_VERSION);
        let features = runtime_features(p);
        let requires = (!features.is_empty()).then(|| quote!(rt::requires!(#(#features),*);));
        let mut text = format!("{}.\n", p.title.trim_end_matches('.'));
        if let Some(d) = &p.doc {
            text.push('\n');
            text.push_str(d.trim_end());
            text.push('\n');
        }
        if let Some(url) = &p.docs_url {
            text.push_str(&format!("\nVendor documentation: <{url}>\n"));
        }
        text.push_str(&format!(
            "\nGenerated by loginspec from {}.",
            p.sources.join(", ")
        ));
        let module_doc = doc(&text);
        let protocol = self.protocol();
        let client = self.client();
        let session = self.session();
        let types = p.types.iter().map(|t| self.named_type(t));
        let provider_errors = self.provider_error_enum();
        let methods = p.methods.iter().map(|m| self.method_items(m));
        let examples = self.example_tests();
        let time_formats = self.time_formats();
        quote! {
            #module_doc
            #[allow(
                clippy::doc_markdown,
                reason = "the docs quote the vendor's prose: product names and wire names as written"
            )]
            pub mod #name {
                #krate::__generated::check_api!(#api, #generator);
                use #krate::__generated::#module as rt;
                #requires
                #protocol
                #client
                #session
                #(#types)*
                #provider_errors
                #(#methods)*
                #time_formats
                #examples
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        for s in [
            "",
            "plain text, `code` & <tags> ~ {braces}",
            "say \"hi\" and 'bye'",
            "back\\slash \\n not a newline",
            "lines\nand\r\ntabs\there",
            "a NUL \0 and \0",
            "\x07 bell, \x7f delete",
            "é ünïcode ✓ \u{200b}",
            r#"{"status": {"request": "loginUser0", "errorCode": 0}}"#,
        ] {
            let ours = super::str_lit(s);
            assert_eq!(
                ours.to_string(),
                proc_macro2::Literal::string(s).to_string(),
                "{s:?}"
            );
        }
    }
}
