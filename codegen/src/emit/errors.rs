//! Each method's error enum and its table of documented codes.
//! The provider-wide errors are one enum, `ProviderError` (provider_errors.rs),
//! that each method's enum wraps in its `Provider` variant.

use super::docs::{doc, summary};
use super::{ident, str_lit, Emit, MethodNames};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    pub(super) fn error_enum(&self, m: &Method) -> TokenStream {
        let name = MethodNames::of(m).error;
        let shared = !self.p.errors.is_empty();
        let d = doc(&format!(
            "Errors the server documents for [`Client::{}`]{}, and `Unknown` for any other code.",
            m.rust,
            if shared {
                "; those every method can return are in `Provider`"
            } else {
                ""
            }
        ));
        // The method's own entries, in its order: one table row each. An entry
        // named as a provider-wide error re-documents that code here and is
        // still that `ProviderError` variant; the others are this enum's own.
        let own = &m.errors[..m.own_errors];
        let row_variant = |e: &ErrorVariant| {
            let n = ident(&e.name);
            if self.is_provider_wide(&e.name) {
                quote!(#name::Provider(ProviderError::#n))
            } else {
                quote!(#name::#n)
            }
        };
        let variants = own
            .iter()
            .filter(|e| !self.is_provider_wide(&e.name))
            .map(|e| {
                let vd = doc(&variant_doc(e));
                let n = ident(&e.name);
                quote!(#vd #n,)
            });
        let provider_variant = shared.then(|| {
            let mut text = "An error every method can return; see [`ProviderError`].".to_string();
            for e in own.iter().filter(|e| self.is_provider_wide(&e.name)) {
                text.push_str(&format!(
                    "\n\n[`ProviderError::{}`] here: {}",
                    e.name,
                    variant_doc(e)
                ));
            }
            let vd = doc(&text);
            quote!(#vd Provider(ProviderError),)
        });
        let rows = own.iter().map(entry_tokens);
        let from_row = own.iter().enumerate().map(|(i, e)| {
            let v = row_variant(e);
            let i = Lit::usize_unsuffixed(i);
            quote!(#i => #v,)
        });
        let to_row = own.iter().enumerate().map(|(i, e)| {
            let v = row_variant(e);
            let i = Lit::usize_unsuffixed(i);
            quote!(#v => #i,)
        });
        let matches = match_rows(own);
        let provider_matches = self.p.errors.iter().any(|e| e.refine.is_some());
        let unknown_view = quote! {
            #name::Unknown { code, message } => {
                return rt::ErrorView::Unknown { code, message: message.as_deref() }
            }
        };
        let provider_view = shared.then(|| quote!(#name::Provider(error) => return error.view(),));
        // Lookup: the method's rows, then the provider's, then `Unknown`.
        // With `match`es, every refined row (the method's first) comes
        // before any fallback, as one list of both would.
        let provider_find =
            shared.then(|| quote!(.or_else(|| ProviderError::find(&code).map(#name::Provider))));
        let (table, from_code) = if own.is_empty() {
            let view = match shared {
                true => quote! {
                    match self {
                        #name::Provider(error) => error.view(),
                        #name::Unknown { code, message } => rt::ErrorView::Unknown { code, message: message.as_deref() },
                    }
                },
                false => quote! {
                    let #name::Unknown { code, message } = self;
                    rt::ErrorView::Unknown { code, message: message.as_deref() }
                },
            };
            (
                quote! {
                    impl #name {
                        fn view(&self) -> rt::ErrorView<'_> {
                            #view
                        }
                    }
                },
                match shared {
                    true => quote! {
                        ProviderError::find(&code)
                            .map(#name::Provider)
                            .unwrap_or(#name::Unknown { code, message })
                    },
                    false => quote!(#name::Unknown { code, message }),
                },
            )
        } else {
            let find = if matches.is_empty() {
                quote!(rt::ErrorEntry::find(Self::DOCUMENTED, &code))
            } else {
                quote!(rt::ErrorEntry::find_unrefined(
                    Self::DOCUMENTED,
                    Self::MATCHES,
                    &code
                ))
            };
            (
                quote! {
                    impl #name {
                        /// Code, class and text of each of the method's own entries, in declaration order.
                        const DOCUMENTED: &'static [rt::ErrorEntry] = &[#(#rows)*];

                        fn from_row(row: usize) -> Option<Self> {
                            Some(match row {
                                #(#from_row)*
                                _ => return None,
                            })
                        }

                        fn view(&self) -> rt::ErrorView<'_> {
                            let row = match self {
                                #(#to_row)*
                                #provider_view
                                #unknown_view
                            };
                            rt::ErrorView::Documented(&Self::DOCUMENTED[row])
                        }
                    }
                },
                quote! {
                    #find
                        .and_then(Self::from_row)
                        #provider_find
                        .unwrap_or(#name::Unknown { code, message })
                },
            )
        };
        let matches_table = (!matches.is_empty()).then(|| {
            quote! {
                impl #name {
                    /// Rows of `DOCUMENTED` chosen only when the answer's message or a header says so.
                    const MATCHES: &'static [(usize, rt::ErrorMatch)] = &[#(#matches)*];
                }
            }
        });
        let from_answer = (!matches.is_empty() || provider_matches).then(|| {
            let own_matched = (!matches.is_empty()).then(|| {
                quote! {
                    if let Some(found) = rt::ErrorEntry::find_matched(Self::DOCUMENTED, Self::MATCHES, &code, facts).and_then(Self::from_row) {
                        return found;
                    }
                }
            });
            let provider_matched = provider_matches.then(|| {
                quote! {
                    if let Some(error) = ProviderError::find_matched(&code, facts) {
                        return #name::Provider(error);
                    }
                }
            });
            quote! {
                fn from_answer(code: rt::ErrorCode, message: Option<String>, facts: &rt::AnswerFacts<'_>) -> Self {
                    #own_matched
                    #provider_matched
                    Self::from_code(code, message)
                }
            }
        });
        let cooldown = self.method_cooldown(&name, own);
        quote! {
            #d
            #[derive(Debug, Clone, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                #provider_variant
                /// A code this spec does not document.
                Unknown {
                    /// The code as the server sent it.
                    code: rt::ErrorCode,
                    /// The server's message, if it sent one.
                    message: Option<String>,
                },
            }

            #table
            #matches_table

            impl rt::ApiErrorKind for #name {
                fn from_code(code: rt::ErrorCode, message: Option<String>) -> Self {
                    #from_code
                }

                #from_answer

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

            impl std::error::Error for #name {}
        }
    }

    /// Whether `name` is a variant of `ProviderError`.
    pub(super) fn is_provider_wide(&self, name: &str) -> bool {
        self.p.errors.iter().any(|e| e.name == name)
    }

    /// A method's `cooldown`: its own entries', then the provider's.
    fn method_cooldown(&self, name: &syn::Ident, own: &[ErrorVariant]) -> Option<TokenStream> {
        let provider_cools = self.p.errors.iter().any(|e| e.cooldown.is_some());
        let mut arms: Vec<TokenStream> = Vec::new();
        for e in own {
            let n = ident(&e.name);
            let secs = e.cooldown.map(|s| {
                let s = Lit::u64_unsuffixed(s);
                quote!(Some(std::time::Duration::from_secs(#s)))
            });
            if !self.is_provider_wide(&e.name) {
                if let Some(secs) = secs {
                    arms.push(quote!(#name::#n => #secs,));
                }
                continue;
            }
            // A re-documented provider-wide code keeps only its own cooldown.
            let inherited = self
                .p
                .errors
                .iter()
                .find(|p| p.name == e.name)
                .and_then(|p| p.cooldown);
            if inherited != e.cooldown {
                let secs = secs.unwrap_or_else(|| quote!(None));
                arms.push(quote!(#name::Provider(ProviderError::#n) => #secs,));
            }
        }
        if provider_cools {
            arms.push(quote!(#name::Provider(error) => error.cooldown(),));
        }
        (!arms.is_empty()).then(|| {
            quote! {
                fn cooldown(&self) -> Option<std::time::Duration> {
                    match self {
                        #(#arms)*
                        _ => None,
                    }
                }
            }
        })
    }
}

/// A variant's docs: the spec's doc, then its code and `match`.
pub(super) fn variant_doc(e: &ErrorVariant) -> String {
    let label = match (&e.code, e.http_status) {
        (Some(code), Some(status)) => format!("Code `{code}` (HTTP {status})."),
        (Some(code), None) => format!("Code `{code}`."),
        (None, Some(status)) => format!("HTTP status {status}."),
        (None, None) => String::new(),
    };
    let label = match &e.refine {
        Some(m) => format!("{label} {}", refine_label(m)),
        None => label,
    };
    format!("{}\n\n{label}", e.doc.trim_end())
}

/// An entry's row of a `DOCUMENTED` table: code, class and `Display` text.
/// The runtime looks codes up and formats; per variant only two short match
/// arms remain (row -> variant, variant -> row).
pub(super) fn entry_tokens(e: &ErrorVariant) -> TokenStream {
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
    let text = str_lit(&summary(&e.doc));
    quote!(rt::ErrorEntry { code: #code, class: #class, text: #text },)
}

pub(super) fn class_tokens(c: ErrorClass) -> TokenStream {
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

fn text_test_tokens(t: &TextTest) -> TokenStream {
    match t {
        TextTest::Contains(text) => {
            let text = str_lit(text);
            quote!(rt::TextTest::Contains(#text))
        }
        TextTest::Matches(pattern) => {
            let pattern = str_lit(pattern);
            quote!(rt::TextTest::Matches(#pattern))
        }
    }
}

/// The `MATCHES` rows of an error table: each refined entry's row and its
/// `match`, in declaration order.
pub(super) fn match_rows(errors: &[ErrorVariant]) -> Vec<TokenStream> {
    errors
        .iter()
        .enumerate()
        .filter_map(|(i, e)| {
            let row = Lit::usize_unsuffixed(i);
            let m = match_tokens(e.refine.as_ref()?);
            Some(quote!((#row, #m),))
        })
        .collect()
}

fn match_tokens(m: &ErrorMatch) -> TokenStream {
    let message = match &m.message {
        Some(t) => {
            let t = text_test_tokens(t);
            quote!(Some(#t))
        }
        None => quote!(None),
    };
    let header = match &m.header {
        Some((name, t)) => {
            let t = text_test_tokens(t);
            quote!(Some((#name, #t)))
        }
        None => quote!(None),
    };
    quote!(rt::ErrorMatch { message: #message, header: #header })
}

/// How a variant's docs say when it applies besides its code.
fn refine_label(m: &ErrorMatch) -> String {
    let test = |t: &TextTest| match t {
        TextTest::Contains(text) => format!("contains `{}`", text.replace('`', "'")),
        TextTest::Matches(p) => format!("matches `{}`", p.replace('`', "'")),
    };
    let mut parts = Vec::new();
    if let Some(t) = &m.message {
        parts.push(format!("the message {}", test(t)));
    }
    if let Some((name, t)) = &m.header {
        parts.push(format!("the header `{name}` {}", test(t)));
    }
    format!("Chosen when {}.", parts.join(" and "))
}
