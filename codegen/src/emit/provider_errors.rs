//! The provider-wide errors (`errors` of provider.yaml), emitted once as
//! `ProviderError`: each method's error enum wraps it in its `Provider`
//! variant instead of repeating every provider-wide code as its own variant.

use super::docs::doc;
use super::errors::{entry_tokens, match_rows, variant_doc};
use super::{ident, Emit};
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    pub(super) fn provider_error_enum(&self) -> TokenStream {
        let errors = &self.p.errors;
        if errors.is_empty() {
            return quote!();
        }
        let d = doc(
            "Errors every method of this provider can answer with (`errors` of provider.yaml).\n\n\
             Each method's error enum holds one in its `Provider` variant. A method \
             may document a code again for itself (its doc, class or cooldown); \
             then the method's error says what that method's spec says.",
        );
        let variants = errors.iter().map(|e| {
            let vd = doc(&variant_doc(e));
            let n = ident(&e.name);
            quote!(#vd #n,)
        });
        let rows = errors.iter().map(entry_tokens);
        let from_row = errors.iter().enumerate().map(|(i, e)| {
            let n = ident(&e.name);
            let i = Lit::usize_unsuffixed(i);
            quote!(#i => ProviderError::#n,)
        });
        let to_row = errors.iter().enumerate().map(|(i, e)| {
            let n = ident(&e.name);
            let i = Lit::usize_unsuffixed(i);
            quote!(ProviderError::#n => #i,)
        });
        let matches = match_rows(errors);
        let (matches_table, find, find_matched) = if matches.is_empty() {
            (
                None,
                quote!(rt::ErrorEntry::find(Self::DOCUMENTED, code)),
                None,
            )
        } else {
            (
                Some(quote! {
                    /// Rows of `DOCUMENTED` chosen only when the answer's message or a header says so.
                    const MATCHES: &'static [(usize, rt::ErrorMatch)] = &[#(#matches)*];
                }),
                quote!(rt::ErrorEntry::find_unrefined(
                    Self::DOCUMENTED,
                    Self::MATCHES,
                    code
                )),
                Some(quote! {
                    /// The entry of `code` refined by a `match` that the answer passes.
                    fn find_matched(code: &rt::ErrorCode, facts: &rt::AnswerFacts<'_>) -> Option<Self> {
                        Self::from_row(rt::ErrorEntry::find_matched(Self::DOCUMENTED, Self::MATCHES, code, facts)?)
                    }
                }),
            )
        };
        let cooldowns: Vec<TokenStream> = errors
            .iter()
            .filter_map(|e| {
                let n = ident(&e.name);
                let secs = Lit::u64_unsuffixed(e.cooldown?);
                Some(quote!(ProviderError::#n => Some(std::time::Duration::from_secs(#secs)),))
            })
            .collect();
        let cooldown = if cooldowns.is_empty() {
            quote!(None)
        } else if cooldowns.len() == errors.len() {
            quote!(match self { #(#cooldowns)* })
        } else {
            quote!(match self { #(#cooldowns)* _ => None, })
        };
        quote! {
            #d
            #[derive(Debug, Clone, PartialEq, Eq)]
            #[non_exhaustive]
            pub enum ProviderError {
                #(#variants)*
            }

            impl ProviderError {
                /// Code, class and text of each variant, in declaration order.
                const DOCUMENTED: &'static [rt::ErrorEntry] = &[#(#rows)*];
                #matches_table

                fn from_row(row: usize) -> Option<Self> {
                    Some(match row {
                        #(#from_row)*
                        _ => return None,
                    })
                }

                /// The entry of `code` without a `match`.
                fn find(code: &rt::ErrorCode) -> Option<Self> {
                    Self::from_row(#find?)
                }

                #find_matched

                fn view(&self) -> rt::ErrorView<'static> {
                    let row = match self {
                        #(#to_row)*
                    };
                    rt::ErrorView::Documented(&Self::DOCUMENTED[row])
                }

                /// The code this error has on the wire.
                #[must_use]
                pub fn code(&self) -> rt::ErrorCode {
                    self.view().code()
                }

                /// What the error means for the caller, as provider.yaml says. A
                /// method that documents the code again may say otherwise: ask
                /// the method's error (`rt::ApiErrorKind::class`).
                #[must_use]
                pub fn class(&self) -> rt::ErrorClass {
                    self.view().class()
                }

                /// How long the spec says to wait before logging in again (`cooldown`).
                #[must_use]
                pub fn cooldown(&self) -> Option<std::time::Duration> {
                    #cooldown
                }
            }

            impl std::fmt::Display for ProviderError {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    std::fmt::Display::fmt(&self.view(), f)
                }
            }

            impl std::error::Error for ProviderError {}
        }
    }
}
