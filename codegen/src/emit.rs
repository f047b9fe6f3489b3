//! Builds Rust tokens from the model, one `quote!` per construct.
//!
//! Generated code only describes: protocol tables, types, and one-line
//! methods that hand over to the runtime. Shared logic lives in the runtime.

use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};
use std::collections::BTreeSet;

mod session;

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

/// The `pub mod <provider> { ... }` item of one provider.
pub fn provider(p: &Provider, options: &EmitOptions) -> TokenStream {
    let cx = Emit {
        p,
        request_types: types_in_params(&p.types, &p.methods),
        options,
        rt: syn::parse_str(&options.runtime).unwrap_or_else(|_| quote!(::loginspec_runtime)),
    };
    cx.module()
}

struct Emit<'a> {
    p: &'a Provider,
    /// Shared structs that requests contain; they also derive `Serialize`.
    request_types: BTreeSet<String>,
    options: &'a EmitOptions,
    /// Tokens of the runtime path.
    rt: TokenStream,
}

/// `#[doc]` attributes, one per line, so rustdoc and prettyplease show `///` lines.
fn doc(text: &str) -> TokenStream {
    let text = markdown_safe(text);
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Spec docs are plain prose; rustdoc reads Markdown. Outside code spans,
/// bare URLs become autolinks and a `<` that starts no autolink is escaped,
/// so `https://<clientCode>.erply.com` is neither an HTML tag nor lost text.
fn markdown_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut rest = part;
        while let Some(at) = rest.find(['<', 'h']) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let already_linked = out.ends_with('<') || out.ends_with('(');
            if rest.starts_with('<') {
                let autolink =
                    rest[1..].starts_with("http://") || rest[1..].starts_with("https://");
                out.push_str(if autolink { "<" } else { "&lt;" });
                rest = &rest[1..];
            } else if !already_linked
                && (rest.starts_with("http://") || rest.starts_with("https://"))
            {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
                out.push_str(&format!(
                    "<{}>",
                    url.replace('<', "%3C").replace('>', "%3E")
                ));
                rest = &rest[url.len()..];
            } else {
                out.push('h');
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
    }
    out
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

fn str_lit(s: &str) -> Lit {
    Lit::string(s)
}

/// The first line of a doc text, without a trailing full stop.
fn summary(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_string()
}

impl Emit<'_> {
    fn serde_crate(&self) -> Lit {
        str_lit(&format!("{}::serde", self.options.runtime))
    }

    fn module(&self) -> TokenStream {
        let p = self.p;
        let name = ident(&p.name);
        let rt_path = &self.rt;
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
        let methods = p.methods.iter().map(|m| self.method_items(m));
        let examples = self.example_tests();
        quote! {
            #module_doc
            pub mod #name {
                use #rt_path as rt;
                #protocol
                #client
                #session
                #(#types)*
                #(#methods)*
                #examples
            }
        }
    }

    fn protocol(&self) -> TokenStream {
        let p = self.p;
        let pr = &p.protocol;
        let provider = &p.name;
        let base_url = &p.base_url;
        let encodings = pr.encodings.iter().map(|e| encoding(*e));
        let method_name = match &pr.method_name {
            MethodName::Path => quote!(rt::MethodName::Path),
            MethodName::Field(f) => quote!(rt::MethodName::Field(#f)),
            MethodName::SoapAction => quote!(rt::MethodName::SoapAction),
        };
        let pack = option_str(pr.pack_params.as_deref());
        let xml_root = pr.xml_root.as_deref().unwrap_or("");
        let namespace = pr.soap_namespace.as_deref().unwrap_or("");
        let payload = &pr.payload;
        let e = &pr.error;
        let code = option_str(e.code.as_deref());
        let code_optional = e.code_optional;
        let message = option_str(e.message.as_deref());
        let numeric = e.numeric;
        let success_int = e.success.iter().filter_map(|c| match c {
            CodeValue::Int(i) => Some(Lit::i64_unsuffixed(*i)),
            CodeValue::Str(_) => None,
        });
        let success_text = e.success.iter().filter_map(|c| match c {
            CodeValue::Str(s) => Some(s.as_str()),
            CodeValue::Int(_) => None,
        });
        let secrets = self.secret_fields();
        let session_key = self.session_carry();
        quote! {
            /// The wire protocol of this provider, as declared in its spec.
            /// Public (but hidden) for `rt::decode_example` and `rt::encode_example`.
            #[doc(hidden)]
            pub static PROTOCOL: rt::Protocol = rt::Protocol {
                provider: #provider,
                base_url: #base_url,
                encodings: &[#(#encodings),*],
                method_name: #method_name,
                pack_params: #pack,
                xml_root: #xml_root,
                soap_namespace: #namespace,
                payload: #payload,
                errors: rt::ErrorRule {
                    code: #code,
                    code_optional: #code_optional,
                    message: #message,
                    numeric: #numeric,
                    success_int: &[#(#success_int),*],
                    success_text: &[#(#success_text),*],
                },
                secret_fields: &[#(#secrets),*],
                session_key: #session_key,
            };
        }
    }

    /// Wire names of every secret field and parameter of the provider.
    fn secret_fields(&self) -> Vec<String> {
        let mut names = BTreeSet::new();
        let mut add = |fields: &[Field]| {
            for f in fields.iter().filter(|f| f.secret) {
                names.insert(f.wire.clone());
            }
        };
        for t in &self.p.types {
            if let TypeDef::Struct { fields, .. } = &t.def {
                add(fields);
            }
        }
        for m in &self.p.methods {
            add(&m.params);
            if let TypeDef::Struct { fields, .. } = &m.response.def {
                add(fields);
            }
        }
        names.into_iter().collect()
    }

    fn client(&self) -> TokenStream {
        let p = self.p;
        let title = &p.title;
        let vars = &p.variables;
        let args: Vec<TokenStream> = vars
            .iter()
            .map(|v| {
                let n = ident(&v.rust);
                quote!(#n: impl Into<String>)
            })
            .collect();
        let names: Vec<syn::Ident> = vars.iter().map(|v| ident(&v.rust)).collect();
        let mut new_doc = format!("Creates a client for `{}`.", p.base_url);
        if !vars.is_empty() {
            new_doc.push('\n');
            for v in vars {
                new_doc.push_str(&format!("\n* `{}`: {}", v.rust, v.doc.trim()));
            }
        }
        let new_doc = doc(&new_doc);
        let checks = vars.iter().map(|v| {
            let n = ident(&v.rust);
            let wire = &v.wire;
            let calls = v.checks.iter().map(|c| check_call(wire, c, quote!(&#n), false));
            quote!(#(#calls.map_err(|e| rt::ConfigError::Invalid { field: e.field, reason: e.reason })?;)*)
        });
        let variables = vars.iter().map(|v| {
            let n = ident(&v.rust);
            let wire = &v.wire;
            let send = v.send_as_field;
            quote!(rt::Variable { name: #wire, value: #n, send_as_field: #send })
        });
        let methods = p.methods.iter().map(|m| {
            let MethodNames {
                call: name,
                table: stat,
                request: req,
                response: resp,
                error: err,
            } = MethodNames::of(m);
            let mut text = format!("`{}`: {}", m.wire, m.doc.trim_end());
            if let Some(url) = &m.docs_url {
                text.push_str(&format!("\n\nVendor documentation: <{url}>"));
            }
            if m.session != MethodSession::None {
                text.push_str(
                    "\n\nThe call carries a session key from an earlier login; \
                     [`Session`] supplies it, and logs in again when it expires.",
                );
                let d = doc(&text);
                return quote! {
                    #d
                    pub async fn #name(&self, session_key: &rt::Secret, request: #req) -> Result<#resp, rt::Error<#err>> {
                        self.transport.call_in_session(&#stat, session_key, request).await
                    }
                };
            }
            let d = doc(&text);
            quote! {
                #d
                pub async fn #name(&self, request: #req) -> Result<#resp, rt::Error<#err>> {
                    self.transport.call(&#stat, request).await
                }
            }
        });
        let client_doc = doc(&format!(
            "A client for the {title}.\n\nCheap to clone: clones share one connection pool."
        ));
        quote! {
            #client_doc
            #[derive(Debug, Clone)]
            pub struct Client {
                transport: rt::Transport,
            }

            impl Client {
                #new_doc
                pub fn new(#(#args),*) -> Result<Self, rt::ConfigError> {
                    Self::with_options(#(#names,)* rt::ClientOptions::default())
                }

                /// Like [`Client::new`], with a base URL override, timeouts, a user agent or an HTTP client of your own.
                pub fn with_options(#(#args,)* options: rt::ClientOptions) -> Result<Self, rt::ConfigError> {
                    #(let #names: String = #names.into();)*
                    #(#checks)*
                    let transport = rt::Transport::new(&PROTOCOL, options, [#(#variables),*])?;
                    Ok(Client { transport })
                }

                /// The base URL calls go to.
                pub fn base_url(&self) -> &str {
                    self.transport.base_url()
                }

                #(#methods)*
            }
        }
    }

    fn named_type(&self, t: &NamedType) -> TokenStream {
        match &t.def {
            TypeDef::Struct {
                base,
                base_field_count,
                fields,
            } => {
                let serialize = self.request_types.contains(&t.name);
                self.struct_def(
                    t,
                    fields,
                    serialize,
                    base.as_deref().map(|b| (b, *base_field_count)),
                )
            }
            TypeDef::Enum { values } => self.enum_def(t, values),
            TypeDef::Flags { flags } => self.flags_def(t, flags),
        }
    }

    /// A response (or shared) struct: deserialized from answers.
    fn struct_def(
        &self,
        t: &NamedType,
        fields: &[Field],
        serialize: bool,
        base: Option<(&str, usize)>,
    ) -> TokenStream {
        let name = ident(&t.name);
        let d = doc(t
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` structure.", t.name)));
        let serde_crate = self.serde_crate();
        let with_crate = str_lit(&format!("{}::serde_with", self.options.runtime));
        let serde_as_path: TokenStream = {
            let rt = &self.rt;
            quote!(#rt::serde_with::serde_as)
        };
        let mut any_adapter = false;
        let members: Vec<TokenStream> = fields
            .iter()
            .map(|f| {
                let fd = doc(&f.doc);
                let n = ident(&f.rust);
                let ty = self.field_type(f);
                let rename = (f.wire != f.rust).then(|| {
                    let w = &f.wire;
                    quote!(#[serde(rename = #w)])
                });
                let adapter = self.adapter(f).map(|a| {
                    any_adapter = true;
                    let a = str_lit(&a);
                    quote!(#[serde_as(deserialize_as = #a)])
                });
                quote! {
                    #fd
                    #rename
                    #adapter
                    pub #n: #ty,
                }
            })
            .collect();
        let serde_as = any_adapter.then(|| quote!(#[#serde_as_path(crate = #with_crate)]));
        let derives = if serialize {
            quote!(#[derive(Debug, Clone, rt::serde::Serialize, rt::serde::Deserialize)])
        } else {
            quote!(#[derive(Debug, Clone, rt::serde::Deserialize)])
        };
        let from_base = base.map(|(base, count)| {
            let base = ident(base);
            let moved = fields[..count].iter().map(|f| {
                let n = ident(&f.rust);
                quote!(#n: value.#n)
            });
            let fd = doc(&format!(
                "Keeps the fields `{}` shares with [`{}`].",
                t.name, base
            ));
            quote! {
                impl From<#name> for #base {
                    #fd
                    fn from(value: #name) -> Self {
                        #base { #(#moved),* }
                    }
                }
            }
        });
        quote! {
            #d
            #serde_as
            #derives
            #[serde(crate = #serde_crate)]
            pub struct #name {
                #(#members)*
            }
            #from_base
        }
    }

    fn field_type(&self, f: &Field) -> TokenStream {
        let base = if f.secret {
            quote!(rt::Secret)
        } else {
            rust_type(&f.ty)
        };
        if f.is_optional() {
            quote!(Option<#base>)
        } else {
            base
        }
    }

    /// The `serde_as` type for a response field, when it needs one.
    fn adapter(&self, f: &Field) -> Option<String> {
        let rt = &self.options.runtime;
        let inner = if f.embedded_json {
            Some(format!("{rt}::serde_with::json::JsonString"))
        } else {
            adapter_for(&f.ty, f.lenient, rt)
        };
        let inner = inner?;
        Some(if f.is_optional() {
            format!("Option<{inner}>")
        } else {
            inner
        })
    }

    fn enum_def(&self, t: &NamedType, values: &[EnumValue]) -> TokenStream {
        let name = ident(&t.name);
        let d = doc(t
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` values.", t.name)));
        let serde_crate = self.serde_crate();
        let numeric = matches!(values.first().map(|v| &v.value), Some(CodeValue::Int(_)));
        if numeric {
            let variants = values.iter().map(|v| {
                let vd = doc(&format!("`{}`: {}", v.value, v.doc));
                let n = ident(&v.name);
                quote!(#vd #n,)
            });
            let to_int = values.iter().map(|v| {
                let n = ident(&v.name);
                let CodeValue::Int(i) = v.value else {
                    return quote!();
                };
                let i = Lit::i64_unsuffixed(i);
                quote!(#name::#n => #i,)
            });
            let from_int = values.iter().map(|v| {
                let n = ident(&v.name);
                let CodeValue::Int(i) = v.value else {
                    return quote!();
                };
                let i = Lit::i64_unsuffixed(i);
                quote!(#i => Ok(#name::#n),)
            });
            let unknown = format!("unknown {} value {{other}}", t.name);
            quote! {
                #d
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
                #[serde(crate = #serde_crate, into = "i64", try_from = "i64")]
                pub enum #name {
                    #(#variants)*
                }

                impl From<#name> for i64 {
                    fn from(value: #name) -> i64 {
                        match value {
                            #(#to_int)*
                        }
                    }
                }

                impl TryFrom<i64> for #name {
                    type Error = String;
                    fn try_from(value: i64) -> Result<Self, String> {
                        match value {
                            #(#from_int)*
                            other => Err(format!(#unknown)),
                        }
                    }
                }
            }
        } else {
            let variants = values.iter().map(|v| {
                let vd = doc(&format!("`{}`: {}", v.value, v.doc));
                let n = ident(&v.name);
                let wire = v.value.to_string();
                quote!(#vd #[serde(rename = #wire)] #n,)
            });
            quote! {
                #d
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
                #[serde(crate = #serde_crate)]
                pub enum #name {
                    #(#variants)*
                }
            }
        }
    }

    fn flags_def(&self, t: &NamedType, flags: &[Flag]) -> TokenStream {
        let name = ident(&t.name);
        let d = doc(t
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` bits.", t.name)));
        let consts = flags.iter().map(|f| {
            let fd = doc(&f.doc);
            let n = ident(&f.name);
            let v: syn::LitInt =
                syn::LitInt::new(&format!("{:#x}", f.value), proc_macro2::Span::call_site());
            quote!(#fd const #n = #v;)
        });
        quote! {
            rt::bitflags::bitflags! {
                #d
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
                pub struct #name: u64 {
                    #(#consts)*
                }
            }

            /// Sent as the plain integer of its bits.
            impl rt::serde::Serialize for #name {
                fn serialize<S: rt::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    serializer.serialize_u64(self.bits())
                }
            }

            /// Read from the plain integer; unknown bits are kept.
            impl<'de> rt::serde::Deserialize<'de> for #name {
                fn deserialize<D: rt::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <u64 as rt::serde::Deserialize>::deserialize(deserializer).map(Self::from_bits_retain)
                }
            }
        }
    }

    fn method_items(&self, m: &Method) -> TokenStream {
        let stat = MethodNames::of(m).table;
        let wire = &m.wire;
        let path = &m.path;
        let soap = match &m.soap {
            Some(s) => {
                let (a, q, r) = (&s.action, &s.request_element, &s.response_element);
                quote!(Some(rt::SoapOperation { action: #a, request_element: #q, response_element: #r }))
            }
            None => quote!(None),
        };
        let constants = m.constants.iter().map(|(name, value)| {
            let v = match value {
                Literal::Null => quote!(rt::Constant::Null),
                Literal::Bool(b) => quote!(rt::Constant::Bool(#b)),
                Literal::Int(i) => {
                    let i = Lit::i64_unsuffixed(*i);
                    quote!(rt::Constant::Int(#i))
                }
                Literal::Float(f) => {
                    let f = Lit::f64_unsuffixed(*f);
                    quote!(rt::Constant::Float(#f))
                }
                Literal::Str(s) => quote!(rt::Constant::Str(#s)),
            };
            quote!((#name, #v))
        });
        // Every status the method's errors document, with a code or without.
        let statuses = m
            .errors
            .iter()
            .filter_map(|e| e.http_status)
            .collect::<BTreeSet<u16>>()
            .into_iter()
            .map(Lit::u16_unsuffixed);
        let stat_doc = doc(&format!("Wire names of `{}`.", m.wire));
        let request = self.request(m);
        let response = match &m.response.def {
            // Nothing added to the base: the answer *is* the base type.
            TypeDef::Struct {
                base: Some(base),
                base_field_count,
                fields,
            } if fields.len() == *base_field_count => {
                let name = MethodNames::of(m).response;
                let base = ident(base);
                let d = doc(m
                    .response
                    .doc
                    .as_deref()
                    .unwrap_or(&format!("The answer to [`Client::{}`].", m.rust)));
                quote!(#d pub type #name = #base;)
            }
            TypeDef::Struct {
                base,
                base_field_count,
                fields,
            } => {
                let mut t = m.response.clone();
                if t.doc.is_none() {
                    t.doc = Some(format!("The answer to [`Client::{}`].", m.rust));
                }
                self.struct_def(
                    &t,
                    fields,
                    false,
                    base.as_deref().map(|b| (b, *base_field_count)),
                )
            }
            _ => quote!(),
        };
        let errors = self.error_enum(m);
        quote! {
            #stat_doc
            #[doc(hidden)]
            pub static #stat: rt::Method = rt::Method {
                name: #wire,
                path: #path,
                soap: #soap,
                constants: &[#(#constants),*],
                error_statuses: &[#(#statuses),*],
            };
            #request
            #response
            #errors
        }
    }

    fn request(&self, m: &Method) -> TokenStream {
        let name = MethodNames::of(m).request;
        let serde_crate = self.serde_crate();
        let rt = &self.options.runtime;
        let d = doc(&format!(
            "Parameters of [`Client::{}`]. [`{name}::new`] takes the required ones; setters add the others.",
            m.rust
        ));
        let members = m.params.iter().map(|f| {
            let fd = doc(&f.doc);
            let n = ident(&f.rust);
            let ty = self.field_type(f);
            let mut attrs = Vec::new();
            if f.wire != f.rust {
                let w = &f.wire;
                attrs.push(quote!(rename = #w));
            }
            if f.is_optional() {
                attrs.push(quote!(skip_serializing_if = "Option::is_none"));
            }
            if let Some(Transform::Sha256Base64) = f.transform {
                let path = str_lit(&format!("{rt}::transform::sha256_base64"));
                attrs.push(quote!(serialize_with = #path));
            }
            let attrs = (!attrs.is_empty()).then(|| quote!(#[serde(#(#attrs),*)]));
            quote! {
                #fd
                #attrs
                pub #n: #ty,
            }
        });
        let required: Vec<&Field> = m
            .params
            .iter()
            .filter(|f| f.presence == Presence::Required)
            .collect();
        let args = required.iter().map(|f| {
            let n = ident(&f.rust);
            let ty = self.arg_type(f);
            quote!(#n: #ty)
        });
        let inits = m.params.iter().map(|f| {
            let n = ident(&f.rust);
            match &f.presence {
                Presence::Required if self.converts(f) => quote!(#n: #n.into()),
                Presence::Required => quote!(#n),
                Presence::Default(default) => {
                    let v = literal_tokens(default, &f.ty);
                    quote!(#n: #v)
                }
                Presence::Optional => quote!(#n: None),
            }
        });
        let setters = m
            .params
            .iter()
            .filter(|f| f.presence != Presence::Required)
            .map(|f| {
                let n = ident(&f.rust);
                let ty = self.arg_type(f);
                let value = if self.converts(f) {
                    quote!(value.into())
                } else {
                    quote!(value)
                };
                let value = if f.is_optional() {
                    quote!(Some(#value))
                } else {
                    value
                };
                let sd = doc(&format!("Sets `{}`: {}", f.wire, f.doc.trim_end()));
                quote! {
                    #sd
                    pub fn #n(mut self, value: #ty) -> Self {
                        self.#n = #value;
                        self
                    }
                }
            });
        let mut new_doc = String::from("Creates the request from its required parameters.");
        if !required.is_empty() {
            new_doc.push('\n');
            for f in &required {
                new_doc.push_str(&format!(
                    "\n* `{}` (`{}` on the wire): {}",
                    f.rust,
                    f.wire,
                    summary(&f.doc)
                ));
            }
        }
        let new_doc = doc(&new_doc);
        let validations = m.params.iter().flat_map(|f| self.validations(f));
        // Nothing to pass to `new`, so the request has an obvious default.
        let default = required.is_empty().then(|| {
            quote! {
                impl Default for #name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        });
        quote! {
            #d
            #[derive(Debug, Clone, rt::serde::Serialize)]
            #[serde(crate = #serde_crate)]
            pub struct #name {
                #(#members)*
            }

            impl #name {
                #new_doc
                pub fn new(#(#args),*) -> Self {
                    #name { #(#inits),* }
                }

                #(#setters)*
            }

            #default

            impl rt::Request for #name {
                fn validate(&mut self) -> Result<(), rt::Invalid> {
                    #(#validations)*
                    Ok(())
                }
            }
        }
    }

    /// Strings and secrets are taken as `impl Into<..>` for convenience.
    fn converts(&self, f: &Field) -> bool {
        f.secret || f.ty == Ty::String
    }

    fn arg_type(&self, f: &Field) -> TokenStream {
        if f.secret {
            quote!(impl Into<rt::Secret>)
        } else if f.ty == Ty::String {
            quote!(impl Into<String>)
        } else {
            rust_type(&f.ty)
        }
    }

    /// Statements that check (or clamp) one parameter.
    fn validations(&self, f: &Field) -> Vec<TokenStream> {
        let n = ident(&f.rust);
        let wire = &f.wire;
        let optional = f.is_optional();
        f.checks
            .iter()
            .map(|c| {
                if let Check::Range { min, max, clamp: true } = c {
                    let ty = rust_type(&f.ty);
                    let bound = |v: Option<i64>, fallback: TokenStream| match v {
                        Some(v) => {
                            let v = Lit::i64_unsuffixed(v);
                            quote!(#v)
                        }
                        None => fallback,
                    };
                    let lo = bound(*min, quote!(#ty::MIN));
                    let hi = bound(*max, quote!(#ty::MAX));
                    return if optional {
                        quote!(if let Some(value) = self.#n.as_mut() { *value = (*value).clamp(#lo, #hi); })
                    } else {
                        quote!(self.#n = self.#n.clamp(#lo, #hi);)
                    };
                }
                let value = if optional { quote!(value) } else { quote!(self.#n) };
                let text = if f.secret {
                    quote!(#value.expose())
                } else if optional {
                    quote!(value)
                } else {
                    quote!(&self.#n)
                };
                let number = if optional { quote!(*value) } else { quote!(self.#n) };
                let call = match c {
                    Check::Range { .. } => check_call(wire, c, number, true),
                    _ => check_call(wire, c, text, false),
                };
                if optional {
                    quote!(if let Some(value) = &self.#n { #call?; })
                } else {
                    quote!(#call?;)
                }
            })
            .collect()
    }

    fn error_enum(&self, m: &Method) -> TokenStream {
        let name = MethodNames::of(m).error;
        let d = doc(&format!(
            "Errors the server documents for [`Client::{}`], and `Unknown` for any other code.",
            m.rust
        ));
        let variants = m.errors.iter().map(|e| {
            let n = ident(&e.name);
            let label = match (&e.code, e.http_status) {
                (Some(code), Some(status)) => format!("Code `{code}` (HTTP {status})."),
                (Some(code), None) => format!("Code `{code}`."),
                (None, Some(status)) => format!("HTTP status {status}."),
                (None, None) => String::new(),
            };
            let vd = doc(&format!("{}\n\n{label}", e.doc.trim_end()));
            quote!(#vd #n,)
        });
        // Code, class and text of each variant live in one table; the runtime
        // looks codes up and formats. Per variant only two short match arms
        // remain (row -> variant, variant -> row), instead of four blocks
        // that each repeat every code, class or text.
        let rows = m.errors.iter().map(|e| {
            let code = match (&e.code, e.http_status) {
                (Some(CodeValue::Int(i)), _) => {
                    let i = Lit::i64_unsuffixed(*i);
                    quote!(rt::DocumentedCode::Int(#i))
                }
                (Some(CodeValue::Str(s)), _) => quote!(rt::DocumentedCode::Text(#s)),
                (None, status) => {
                    let s = Lit::u16_unsuffixed(status.unwrap_or(0));
                    quote!(rt::DocumentedCode::HttpStatus(#s))
                }
            };
            let class = class_tokens(e.class);
            let text = summary(&e.doc);
            quote!(rt::ErrorEntry { code: #code, class: #class, text: #text },)
        });
        let from_row = m.errors.iter().enumerate().map(|(i, e)| {
            let n = ident(&e.name);
            let i = Lit::usize_unsuffixed(i);
            quote!(Some(#i) => #name::#n,)
        });
        let to_row = m.errors.iter().enumerate().map(|(i, e)| {
            let n = ident(&e.name);
            let i = Lit::usize_unsuffixed(i);
            quote!(#name::#n => #i,)
        });
        // A method without documented errors has only `Unknown`: no table.
        let (table, from_code) = if m.errors.is_empty() {
            (
                quote! {
                    impl #name {
                        fn view(&self) -> rt::ErrorView<'_> {
                            let #name::Unknown { code, message } = self;
                            rt::ErrorView::Unknown { code, message: message.as_deref() }
                        }
                    }
                },
                quote!(#name::Unknown { code, message }),
            )
        } else {
            (
                quote! {
                    impl #name {
                        /// Code, class and text of each documented variant, in declaration order.
                        const DOCUMENTED: &'static [rt::ErrorEntry] = &[#(#rows)*];

                        fn view(&self) -> rt::ErrorView<'_> {
                            let row = match self {
                                #(#to_row)*
                                #name::Unknown { code, message } => {
                                    return rt::ErrorView::Unknown { code, message: message.as_deref() }
                                }
                            };
                            rt::ErrorView::Documented(&Self::DOCUMENTED[row])
                        }
                    }
                },
                quote! {
                    match rt::ErrorEntry::find(Self::DOCUMENTED, &code) {
                        #(#from_row)*
                        _ => #name::Unknown { code, message },
                    }
                },
            )
        };
        let cooldowns: Vec<TokenStream> = m
            .errors
            .iter()
            .filter_map(|e| {
                let n = ident(&e.name);
                let secs = Lit::u64_unsuffixed(e.cooldown?);
                Some(quote!(#name::#n => Some(std::time::Duration::from_secs(#secs)),))
            })
            .collect();
        let cooldown = (!cooldowns.is_empty()).then(|| {
            quote! {
                fn cooldown(&self) -> Option<std::time::Duration> {
                    match self {
                        #(#cooldowns)*
                        _ => None,
                    }
                }
            }
        });
        quote! {
            #d
            #[derive(Debug, Clone, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A code this spec does not document.
                Unknown {
                    /// The code as the server sent it.
                    code: rt::ErrorCode,
                    /// The server's message, if it sent one.
                    message: Option<String>,
                },
            }

            #table

            impl rt::ApiErrorKind for #name {
                fn from_code(code: rt::ErrorCode, message: Option<String>) -> Self {
                    #from_code
                }

                fn code(&self) -> rt::ErrorCode {
                    self.view().code()
                }

                fn class(&self) -> rt::ErrorClass {
                    self.view().class()
                }

                #cooldown
            }

            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    std::fmt::Display::fmt(&self.view(), f)
                }
            }
        }
    }

    fn example_tests(&self) -> TokenStream {
        if !self.options.example_tests {
            return quote!();
        }
        let tests: Vec<TokenStream> = self
            .p
            .methods
            .iter()
            .flat_map(|m| m.examples.iter().map(move |x| (m, x)))
            .map(|(m, x)| {
                let test = ident(&format!("example_{}", x.name));
                let MethodNames {
                    table: stat,
                    response: resp,
                    error: err,
                    ..
                } = MethodNames::of(m);
                let enc = self.example_encoding(&x.body);
                let status = Lit::u16_unsuffixed(x.status);
                let body = &x.body;
                let check = match &x.error {
                    None => quote!(assert!(result.is_ok(), "{result:?}");),
                    Some(variant) => {
                        let v = ident(variant);
                        quote! {
                            match &result {
                                Err(rt::Error::Api { error, .. }) => assert_eq!(error.kind, #err::#v),
                                other => panic!("expected {}, got {other:?}", stringify!(#v)),
                            }
                        }
                    }
                };
                quote! {
                    #[test]
                    fn #test() {
                        let result: Result<#resp, rt::Error<#err>> = rt::decode_example(&PROTOCOL, &#stat, #enc, #status, #body);
                        #check
                    }
                }
            })
            .collect();
        if tests.is_empty() {
            return quote!();
        }
        quote! {
            /// The samples from the vendor docs, decoded as a real answer would be.
            #[cfg(test)]
            mod examples {
                use super::*;
                #(#tests)*
            }
        }
    }

    /// Samples that look like XML are decoded as XML when the provider speaks it.
    fn example_encoding(&self, body: &str) -> TokenStream {
        let encodings = &self.p.protocol.encodings;
        let looks_xml = body.trim_start().starts_with('<');
        let chosen = encodings
            .iter()
            .find(|e| matches!(e, Encoding::Xml | Encoding::Soap11) == looks_xml)
            .or(encodings.first())
            .copied()
            .unwrap_or(Encoding::Json);
        encoding(chosen)
    }
}

fn encoding(e: Encoding) -> TokenStream {
    match e {
        Encoding::Form => quote!(rt::Encoding::Form),
        Encoding::Query => quote!(rt::Encoding::Query),
        Encoding::Json => quote!(rt::Encoding::Json),
        Encoding::Xml => quote!(rt::Encoding::Xml),
        Encoding::Soap11 => quote!(rt::Encoding::Soap11),
    }
}

fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}

fn class_tokens(c: ErrorClass) -> TokenStream {
    match c {
        ErrorClass::BadCredentials => quote!(rt::ErrorClass::BadCredentials),
        ErrorClass::SessionExpired => quote!(rt::ErrorClass::SessionExpired),
        ErrorClass::RateLimited => quote!(rt::ErrorClass::RateLimited),
        ErrorClass::Locked => quote!(rt::ErrorClass::Locked),
        ErrorClass::InvalidInput => quote!(rt::ErrorClass::InvalidInput),
        ErrorClass::AccessDenied => quote!(rt::ErrorClass::AccessDenied),
        ErrorClass::Server => quote!(rt::ErrorClass::Server),
        ErrorClass::Other => quote!(rt::ErrorClass::Other),
    }
}

fn rust_type(ty: &Ty) -> TokenStream {
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::Int(i) => {
            let n = ident(i.name());
            quote!(#n)
        }
        Ty::Float(FloatTy::F32) => quote!(f32),
        Ty::Float(FloatTy::F64) => quote!(f64),
        Ty::Any => quote!(rt::serde_json::Value),
        Ty::Timestamp(_) => quote!(rt::time::OffsetDateTime),
        Ty::List(inner) => {
            let inner = rust_type(inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = rust_type(inner);
            quote!(std::collections::BTreeMap<String, #inner>)
        }
        Ty::Named(name, _) => {
            let n = ident(name);
            quote!(#n)
        }
    }
}

/// The `serde_as` adapter for a type, written as text for the attribute.
fn adapter_for(ty: &Ty, lenient: bool, rt: &str) -> Option<String> {
    match ty {
        Ty::Bool if lenient => Some(format!("{rt}::adapt::LenientBool")),
        Ty::Int(_) | Ty::Float(_) if lenient => Some(format!("{rt}::adapt::LenientNumber")),
        Ty::Timestamp(TimeFormat::UnixSeconds) => Some(format!("{rt}::adapt::UnixSeconds")),
        Ty::Timestamp(TimeFormat::UnixMillis) => Some(format!("{rt}::adapt::UnixMillis")),
        Ty::Timestamp(TimeFormat::DotNetDate) => Some(format!("{rt}::adapt::DotNetDate")),
        Ty::List(inner) => adapter_for(inner, lenient, rt).map(|a| format!("Vec<{a}>")),
        Ty::Map(inner) => {
            adapter_for(inner, lenient, rt).map(|a| format!("std::collections::BTreeMap<_, {a}>"))
        }
        _ => None,
    }
}

fn literal_tokens(value: &Literal, ty: &Ty) -> TokenStream {
    match (value, ty) {
        (Literal::Str(s), _) => quote!(#s.to_string()),
        (Literal::Bool(b), _) => quote!(#b),
        (Literal::Int(i), Ty::Float(_)) => {
            let f = Lit::f64_unsuffixed(*i as f64);
            quote!(#f)
        }
        (Literal::Int(i), _) => {
            let i = Lit::i64_unsuffixed(*i);
            quote!(#i)
        }
        (Literal::Float(f), _) => {
            let f = Lit::f64_unsuffixed(*f);
            quote!(#f)
        }
        (Literal::Null, _) => quote!(None),
    }
}

/// A call into `rt::validate` for one check.
fn check_call(wire: &str, check: &Check, value: TokenStream, number: bool) -> TokenStream {
    let opt = |v: Option<i64>| match v {
        Some(v) => {
            let v = Lit::i64_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    match check {
        Check::Length { min, max } => {
            let (min, max) = (opt(*min), opt(*max));
            quote!(rt::validate::length(#wire, #value, #min, #max))
        }
        Check::Range { min, max, .. } => {
            let (min, max) = (opt(*min), opt(*max));
            let value = if number {
                quote!(i128::from(#value))
            } else {
                value
            };
            quote!(rt::validate::range(#wire, #value, #min, #max))
        }
        Check::Pattern(p) => quote!(rt::validate::pattern(#wire, #value, #p)),
        Check::HexBytes(n) => {
            let n = Lit::usize_unsuffixed(*n as usize);
            quote!(rt::validate::hex_bytes(#wire, #value, #n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::markdown_safe;

    #[test]
    fn docs_are_made_markdown_safe() {
        assert_eq!(markdown_safe("see https://a.b/c."), "see <https://a.b/c>.");
        assert_eq!(
            markdown_safe("host https://<code>.erply.com/api/ ok"),
            "host <https://%3Ccode%3E.erply.com/api/> ok"
        );
        assert_eq!(markdown_safe("a <b> c"), "a &lt;b> c");
        assert_eq!(
            markdown_safe("keep `<x> https://y` and <https://z>"),
            "keep `<x> https://y` and <https://z>"
        );
        assert_eq!(markdown_safe("hash then hex"), "hash then hex");
    }
}
