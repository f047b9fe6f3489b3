//! `#[cfg(test)]` tests that decode the samples of the vendor docs.

use super::protocol::encoding;
use super::{ident, str_lit, Emit, MethodNames};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    pub(super) fn example_tests(&self) -> TokenStream {
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
                let body = str_lit(&x.body);
                let check = match &x.error {
                    None => quote!(assert!(result.is_ok(), "{result:?}");),
                    Some(variant) => {
                        let v = ident(variant);
                        let v = if self.is_provider_wide(variant) {
                            quote!(Provider(ProviderError::#v))
                        } else {
                            quote!(#v)
                        };
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
                        let body = #body;
                        let result = rt::decode_example::<#resp, #err>(&PROTOCOL, &#stat, #enc, #status, body);
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
    pub(super) fn example_encoding(&self, body: &str) -> TokenStream {
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
