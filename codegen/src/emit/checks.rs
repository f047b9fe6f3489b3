//! Client-side checks of parameters, as calls into `rt::validate`.

use super::types::rust_type;
use super::{ident, Emit};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    /// Statements that check (or clamp) one parameter.
    pub(super) fn validations(&self, f: &Field) -> Vec<TokenStream> {
        let n = ident(&f.rust);
        // Errors name the field as the caller wrote it, not its wire name.
        let wire = &f.rust;
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
}

/// A call into `rt::validate` for one check.
pub(super) fn check_call(
    wire: &str,
    check: &Check,
    value: TokenStream,
    number: bool,
) -> TokenStream {
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
