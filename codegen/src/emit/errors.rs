//! Each method's error enum and its table of documented codes.

use super::docs::{doc, summary};
use super::{ident, str_lit, Emit, MethodNames};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    pub(super) fn error_enum(&self, m: &Method) -> TokenStream {
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
            let label = match &e.refine {
                Some(m) => format!("{label} {}", refine_label(m)),
                None => label,
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
            let text = str_lit(&summary(&e.doc));
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
        // Entries refined by `match`: a second table, and `from_answer`.
        let matches: Vec<TokenStream> = m
            .errors
            .iter()
            .enumerate()
            .filter_map(|(i, e)| {
                let row = Lit::usize_unsuffixed(i);
                let m = match_tokens(e.refine.as_ref()?);
                Some(quote!((#row, #m),))
            })
            .collect();
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
        let (from_code, from_answer, matches_table) = if matches.is_empty() {
            (from_code, None, None)
        } else {
            let from_row = m.errors.iter().enumerate().map(|(i, e)| {
                let n = ident(&e.name);
                let i = Lit::usize_unsuffixed(i);
                quote!(Some(#i) => #name::#n,)
            });
            (
                quote!(Self::from_answer(
                    code,
                    message,
                    &rt::AnswerFacts::default()
                )),
                Some(quote! {
                    fn from_answer(code: rt::ErrorCode, message: Option<String>, facts: &rt::AnswerFacts<'_>) -> Self {
                        match rt::ErrorEntry::find_refined(Self::DOCUMENTED, Self::MATCHES, &code, facts) {
                            #(#from_row)*
                            _ => #name::Unknown { code, message },
                        }
                    }
                }),
                Some(quote! {
                    impl #name {
                        /// Rows of `DOCUMENTED` chosen only when the answer's message or a header says so.
                        const MATCHES: &'static [(usize, rt::ErrorMatch)] = &[#(#matches)*];
                    }
                }),
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
        TextTest::Contains(text) => quote!(rt::TextTest::Contains(#text)),
        TextTest::Matches(pattern) => quote!(rt::TextTest::Matches(#pattern)),
    }
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
