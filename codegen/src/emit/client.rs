//! The generated `Client` and each method's request type.

use super::checks::check_call;
use super::docs::{doc, summary};
use super::types::{compare_derives, literal_tokens, rust_type};
use super::{ident, str_lit, Emit, MethodNames};
use crate::model::*;
use proc_macro2::TokenStream;
use quote::quote;

impl Emit<'_> {
    pub(super) fn client(&self) -> TokenStream {
        let p = self.p;
        let title = &p.title;
        // Variables of a credential group come in through `Credentials`.
        let in_group = |i: usize| p.credential_groups.iter().any(|g| g.variables.contains(&i));
        let vars: Vec<&Variable> = p
            .variables
            .iter()
            .enumerate()
            .filter(|(i, _)| !in_group(*i))
            .map(|(_, v)| v)
            .collect();
        let grouped = !p.credential_groups.is_empty();
        let mut args: Vec<TokenStream> = vars
            .iter()
            .map(|v| {
                let n = ident(&v.rust);
                if v.secret {
                    quote!(#n: impl Into<rt::Secret>)
                } else {
                    quote!(#n: impl Into<String>)
                }
            })
            .collect();
        let mut names: Vec<syn::Ident> = vars.iter().map(|v| ident(&v.rust)).collect();
        if grouped {
            args.insert(0, quote!(credentials: Credentials));
            names.insert(0, ident("credentials"));
        }
        let mut new_doc = format!("Creates a client for `{}`.", p.base_url);
        if grouped {
            new_doc.push_str("\n\n* `credentials`: how the client authenticates; only the chosen group's values are sent.");
        }
        if !vars.is_empty() {
            new_doc.push('\n');
            for v in &vars {
                new_doc.push_str(&format!("\n* `{}`: {}", v.rust, v.doc.trim()));
            }
        }
        new_doc.push_str(
            "\n\n# Errors\n\n[`rt::ConfigError`] when a value or the HTTP client cannot be set up.",
        );
        let new_doc = doc(&new_doc);
        let converts = vars.iter().map(|v| {
            let n = ident(&v.rust);
            if v.secret {
                quote!(let #n: rt::Secret = #n.into();)
            } else {
                quote!(let #n: String = #n.into();)
            }
        });
        let checks = vars.iter().map(|v| {
            let n = ident(&v.rust);
            let value = if v.secret {
                quote!(#n.expose())
            } else {
                quote!(&#n)
            };
            // Errors name the argument the caller wrote.
            let calls = v.checks.iter().map(|c| check_call(&v.rust, c, value.clone(), false));
            quote!(#(#calls.map_err(|e| rt::ConfigError::Invalid { field: e.field, reason: e.reason })?;)*)
        });
        let variables = vars.iter().map(|v| {
            let n = ident(&v.rust);
            let wire = &v.wire;
            if v.secret {
                quote!(rt::Variable::secret(#wire, #n))
            } else {
                quote!(rt::Variable::plain(#wire, #n))
            }
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
            text.push_str(&format!(
                "\n\n# Errors\n\n[`{err}`] in [`rt::Error::Api`] when the server refuses \
                 the call; the other [`rt::Error`] variants when a check fails before \
                 sending, or the call or its answer fails."
            ));
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
        let group_variables = grouped.then(|| self.credential_variables());
        let credentials_enum = grouped.then(|| self.credentials_enum());
        let client_doc = doc(&format!(
            "A client for the {title}.\n\nCheap to clone: clones share one connection pool."
        ));
        quote! {
            #credentials_enum

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

                /// Like [`Client::new`], with a base URL override, timeouts, a user agent or
                /// an HTTP client of your own.
                ///
                /// # Errors
                ///
                /// [`rt::ConfigError`] when an option, a value or the HTTP client cannot be
                /// set up.
                pub fn with_options(#(#args,)* options: rt::ClientOptions) -> Result<Self, rt::ConfigError> {
                    #(#converts)*
                    #(#checks)*
                    #[allow(unused_mut)]
                    let mut variables = vec![#(#variables),*];
                    #group_variables
                    let transport = rt::Transport::new(&PROTOCOL, options, variables)?;
                    Ok(Client { transport })
                }

                /// The base URL calls go to.
                #[must_use]
                pub fn base_url(&self) -> &str {
                    self.transport.base_url()
                }

                #(#methods)*
            }
        }
    }

    /// `pub enum Credentials`: one variant per credential group, its fields
    /// the group's variables (secrets as `rt::Secret`).
    fn credentials_enum(&self) -> TokenStream {
        let p = self.p;
        let variants = p.credential_groups.iter().map(|g| {
            let n = ident(&g.variant);
            let d = doc(&g.doc);
            let fields = g.variables.iter().map(|&i| {
                let v = &p.variables[i];
                let f = ident(&v.rust);
                let fd = doc(&v.doc);
                if v.secret {
                    quote!(#fd #f: rt::Secret)
                } else {
                    quote!(#fd #f: String)
                }
            });
            quote!(#d #n { #(#fields),* },)
        });
        let d = doc("How the client authenticates: one of the provider's credential groups.\n\nOnly the chosen group's values are sent; the others' bindings are left out. `Debug` never shows a secret.");
        quote! {
            #d
            #[derive(Debug, Clone)]
            pub enum Credentials {
                #(#variants)*
            }
        }
    }

    /// In `Client::with_options`: the chosen group's variables (checked),
    /// and every other group variable as unset.
    fn credential_variables(&self) -> TokenStream {
        let p = self.p;
        let arms = p.credential_groups.iter().map(|g| {
            let n = ident(&g.variant);
            let fields: Vec<syn::Ident> = g.variables.iter().map(|&i| ident(&p.variables[i].rust)).collect();
            let pushes = g.variables.iter().map(|&i| {
                let v = &p.variables[i];
                let f = ident(&v.rust);
                let wire = &v.wire;
                let value = if v.secret { quote!(#f.expose()) } else { quote!(&#f) };
                let calls = v.checks.iter().map(|c| check_call(&v.rust, c, value.clone(), false));
                let make = if v.secret {
                    quote!(rt::Variable::secret(#wire, #f))
                } else {
                    quote!(rt::Variable::plain(#wire, #f))
                };
                quote! {
                    #(#calls.map_err(|e| rt::ConfigError::Invalid { field: e.field, reason: e.reason })?;)*
                    variables.push(#make);
                }
            });
            let unset = p
                .variables
                .iter()
                .enumerate()
                .filter(|(i, _)| {
                    !g.variables.contains(i)
                        && p.credential_groups.iter().any(|o| o.variables.contains(i))
                })
                .map(|(_, v)| {
                    let wire = &v.wire;
                    quote!(variables.push(rt::Variable::unset(#wire));)
                });
            quote! {
                Credentials::#n { #(#fields),* } => {
                    #(#pushes)*
                    #(#unset)*
                }
            }
        });
        quote! {
            match credentials {
                #(#arms)*
            }
        }
    }

    pub(super) fn request(&self, m: &Method) -> TokenStream {
        let name = MethodNames::of(m).request;
        let d = format!(
            "Parameters of [`Client::{}`]. [`{name}::new`] takes the required ones; setters add the others.",
            m.rust
        );
        self.request_struct(&name, &d, &m.params)
    }

    /// A struct of parameters: fields, `new` with the required ones, setters
    /// for the others, and the client-side checks.
    pub(super) fn request_struct(
        &self,
        name: &syn::Ident,
        text: &str,
        params: &[Field],
    ) -> TokenStream {
        let serde_crate = self.serde_crate();
        let rt = &self.options.runtime;
        let d = doc(text);
        let members = params.iter().map(|f| {
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
        let required: Vec<&Field> = params
            .iter()
            .filter(|f| f.presence == Presence::Required)
            .collect();
        let by_name = takes_args_struct(&required);
        let args_name = args_name(name);
        let args: Vec<TokenStream> = if by_name {
            vec![quote!(args: #args_name)]
        } else {
            required
                .iter()
                .map(|f| {
                    let n = ident(&f.rust);
                    let ty = self.arg_type(f);
                    quote!(#n: #ty)
                })
                .collect()
        };
        let inits = params.iter().map(|f| {
            let n = ident(&f.rust);
            match &f.presence {
                Presence::Required if by_name => quote!(#n: args.#n),
                Presence::Required if self.converts(f) => quote!(#n: #n.into()),
                Presence::Required => quote!(#n),
                Presence::Default(default) => {
                    let v = literal_tokens(default, &f.ty);
                    quote!(#n: #v)
                }
                Presence::Optional => quote!(#n: None),
            }
        });
        let setters = params
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
                    #[must_use]
                    pub fn #n(mut self, value: #ty) -> Self {
                        self.#n = #value;
                        self
                    }
                }
            });
        let mut new_doc = String::from("Creates the request from its required parameters.");
        if by_name {
            new_doc.push_str(&format!(
                " They come by name in [`{args_name}`], as several take the same kind of value."
            ));
        } else if !required.is_empty() {
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
        let validations = params.iter().flat_map(|f| self.validations(f));
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
        let args_struct = by_name.then(|| self.args_struct(name, &args_name, &required));
        let compare = compare_derives(Comparable::of_fields(&self.p.types, params));
        quote! {
            #args_struct

            #d
            #[derive(Debug, Clone, #compare rt::serde::Serialize)]
            #[serde(crate = #serde_crate)]
            #[non_exhaustive]
            pub struct #name {
                #(#members)*
            }

            impl #name {
                #new_doc
                #[must_use]
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

    /// `..Args`: the required parameters of `name`, by name. Exhaustive on
    /// purpose: a new required parameter must stop old code compiling.
    fn args_struct(
        &self,
        name: &syn::Ident,
        args_name: &syn::Ident,
        required: &[&Field],
    ) -> TokenStream {
        let d = doc(&format!(
            "The required parameters of [`{name}::new`], by name so that two of the same kind cannot be swapped."
        ));
        let members = required.iter().map(|f| {
            let n = ident(&f.rust);
            let ty = self.field_type(f);
            let fd = doc(&format!("`{}` on the wire: {}", f.wire, f.doc.trim_end()));
            quote!(#fd pub #n: #ty,)
        });
        let compare = compare_derives(Comparable::of_fields(
            &self.p.types,
            required.iter().copied(),
        ));
        quote! {
            #d
            #[derive(Debug, Clone, #compare)]
            pub struct #args_name {
                #(#members)*
            }
        }
    }

    /// A call of `request::new` in generated code, from the required
    /// parameters' values in order, whichever shape `new` has.
    pub(super) fn new_call(
        &self,
        request: &syn::Ident,
        required: Vec<(&Field, TokenStream)>,
    ) -> TokenStream {
        let fields: Vec<&Field> = required.iter().map(|(f, _)| *f).collect();
        if !takes_args_struct(&fields) {
            let values = required.iter().map(|(_, v)| v);
            return quote!(#request::new(#(#values),*));
        }
        let args = args_name(request);
        let members = required.iter().map(|(f, v)| {
            let n = ident(&f.rust);
            if self.converts(f) {
                quote!(#n: (#v).into())
            } else {
                quote!(#n: #v)
            }
        });
        // A value may already have the field's type; `.into()` is then a no-op.
        quote!({
            #[allow(clippy::useless_conversion)]
            let args = #args { #(#members),* };
            #request::new(args)
        })
    }

    /// Strings and secrets are taken as `impl Into<..>` for convenience.
    pub(super) fn converts(&self, f: &Field) -> bool {
        f.secret || f.ty == Ty::String
    }

    pub(super) fn arg_type(&self, f: &Field) -> TokenStream {
        if f.secret {
            quote!(impl Into<rt::Secret>)
        } else if f.ty == Ty::String {
            quote!(impl Into<String>)
        } else {
            rust_type(&f.ty)
        }
    }
}

/// `FooRequest` → `FooArgs`; any other name gets `Args` added.
fn args_name(request: &syn::Ident) -> syn::Ident {
    let name = request.to_string();
    let stem = name.strip_suffix("Request").unwrap_or(&name);
    quote::format_ident!("{stem}Args")
}
