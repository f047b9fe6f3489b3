//! A login of several calls (`session.steps`): the credentials struct the
//! user fills once for every step, the error enum that says which step
//! failed, and the body of `SessionInner::login` that runs the steps in
//! turn, handing values from one answer to the next call.

use super::docs::doc;
use super::{ident, Emit, MethodNames};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::{format_ident, quote};

/// The type names a session logs in with: the login request and its error,
/// or, with steps, the credentials struct and the step error enum.
pub(super) fn login_types(s: &Session, login: &Method) -> (syn::Ident, syn::Ident) {
    if s.steps.is_empty() {
        let names = MethodNames::of(login);
        (names.request, names.error)
    } else {
        (
            format_ident!("LoginCredentials"),
            format_ident!("LoginStepFailure"),
        )
    }
}

impl Emit<'_> {
    /// `LoginCredentials` and `LoginStepFailure`; nothing without steps.
    pub(super) fn step_items(&self, s: &Session) -> TokenStream {
        if s.steps.is_empty() {
            return TokenStream::new();
        }
        let methods = &self.p.methods;
        let wires: Vec<&str> = s
            .steps
            .iter()
            .map(|st| methods[st.method].wire.as_str())
            .collect();
        let credentials = self.request_struct(
            &format_ident!("LoginCredentials"),
            &format!(
                "What [`Session`] logs in with: the parameters of the login steps ({}) \
                 that no step takes from an earlier answer, each given once. \
                 [`LoginCredentials::new`] takes the required ones; setters add the others.",
                wires
                    .iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            &s.credentials,
        );
        let variant = |st: &Step| ident(&methods[st.method].type_prefix);
        let variants = s.steps.iter().enumerate().map(|(i, st)| {
            let v = variant(st);
            let err = MethodNames::of(&methods[st.method]).error;
            let d = doc(&format!(
                "Step {} of the login, `{}`, failed.",
                i + 1,
                methods[st.method].wire
            ));
            quote!(#d #v(#err),)
        });
        let arms = |body: TokenStream| {
            let arms = s.steps.iter().map(move |st| {
                let v = variant(st);
                quote!(LoginStepFailure::#v(error) => #body,)
            });
            quote!(match self { #(#arms)* })
        };
        let steps = s.steps.iter().zip(&wires).map(|(st, w)| {
            let v = variant(st);
            quote!(LoginStepFailure::#v(_) => #w,)
        });
        let last = variant(s.steps.last().expect("checked: at least two steps"));
        let last_err = MethodNames::of(&methods[s.login]).error;
        let code = arms(quote!(rt::ApiErrorKind::code(error)));
        let class = arms(quote!(rt::ApiErrorKind::class(error)));
        let cooldown = arms(quote!(rt::ApiErrorKind::cooldown(error)));
        let display = arms(quote!(std::fmt::Display::fmt(error, f)));
        quote! {
            #credentials

            /// Why a login through its steps failed: the step, with that step's
            /// own error (and its class). The `rt::Error::Api` around it also names
            /// the step's method.
            #[derive(Debug, Clone, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum LoginStepFailure {
                #(#variants)*
            }

            impl LoginStepFailure {
                /// The wire name of the step's method.
                pub fn step(&self) -> &'static str {
                    match self { #(#steps)* }
                }
            }

            impl rt::ApiErrorKind for LoginStepFailure {
                /// Errors are built step by step; a code decoded on its own
                /// belongs to the last step, the login.
                fn from_code(code: rt::ErrorCode, message: Option<String>) -> Self {
                    LoginStepFailure::#last(#last_err::from_code(code, message))
                }

                fn code(&self) -> rt::ErrorCode {
                    #code
                }

                fn class(&self) -> rt::ErrorClass {
                    #class
                }

                fn cooldown(&self) -> Option<std::time::Duration> {
                    #cooldown
                }
            }

            impl std::fmt::Display for LoginStepFailure {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    write!(f, "login step `{}`: ", self.step())?;
                    #display
                }
            }
        }
    }

    /// Runs the steps in turn and leaves the last answer in `response`.
    pub(super) fn steps_run(&self, s: &Session) -> TokenStream {
        let methods = &self.p.methods;
        let calls = s.steps.iter().enumerate().map(|(i, st)| {
            let m = &methods[st.method];
            let MethodNames {
                call,
                request,
                error: _,
                ..
            } = MethodNames::of(m);
            let wire = &m.wire;
            let variant = ident(&m.type_prefix);
            let var = answer_var(i, s);
            let mut taken = Vec::new();
            let fields = m.params.iter().map(|p| {
                let n = ident(&p.rust);
                match st.takes.iter().position(|t| t.param.wire == p.wire) {
                    Some(k) => {
                        let t = &st.takes[k];
                        let local = format_ident!("taken_{k}");
                        let value = self.taken(t, s);
                        taken.push(quote!(let #local = #value;));
                        quote!(#n: #local)
                    }
                    None => {
                        let value = copied(quote!(credentials.#n), p);
                        quote!(#n: #value)
                    }
                }
            });
            let fields: Vec<TokenStream> = fields.collect();
            quote! {
                let #var = {
                    #(#taken)*
                    let request = #request { #(#fields),* };
                    self.client
                        .#call(request)
                        .await
                        .map_err(|error| rt::step_failed(error, #wire, LoginStepFailure::#variant))?
                };
            }
        });
        quote! {
            let credentials = self.credentials.get();
            #(#calls)*
        }
    }

    /// The value of a taken parameter, from the earlier answer.
    fn taken(&self, t: &Take, s: &Session) -> TokenStream {
        let from = answer_var(t.from, s);
        let f = ident(&t.field.rust);
        let source = copied(quote!(#from.#f), &t.field);
        let to_secret = t.param.secret && !t.field.secret;
        let convert = |v: TokenStream| {
            if to_secret {
                quote!(rt::Secret::from(#v))
            } else {
                v
            }
        };
        match (t.field.is_optional(), t.param.is_optional()) {
            (false, false) => convert(source),
            (false, true) => {
                let v = convert(source);
                quote!(Some(#v))
            }
            (true, true) if to_secret => quote!(#source.map(rt::Secret::from)),
            (true, true) => source,
            (true, false) => {
                let step = &self.p.methods[s.steps[t.from].method].wire;
                let field = &t.field.wire;
                let v = convert(quote!(value));
                quote! {
                    match #source {
                        Some(value) => #v,
                        None => return Err(rt::step_answer_lacks(#step, #field)),
                    }
                }
            }
        }
    }
}

/// The variable holding step `i`'s answer; the last is `response`, which
/// the key and lifetime are read from as for a login of one call.
fn answer_var(i: usize, s: &Session) -> syn::Ident {
    if i + 1 == s.steps.len() {
        format_ident!("response")
    } else {
        format_ident!("step_{}", Lit::usize_unsuffixed(i).to_string())
    }
}

/// `value`, cloned unless its type is `Copy`.
fn copied(value: TokenStream, f: &Field) -> TokenStream {
    let copy = !f.secret
        && matches!(
            f.ty,
            Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Timestamp(_)
        );
    if copy {
        value
    } else {
        quote!(#value.clone())
    }
}
