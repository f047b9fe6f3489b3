//! The `static` wire tables: the provider's `PROTOCOL` and one `rt::Method` per method.

use super::docs::doc;
use super::{ident, Emit, MethodNames};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;
use std::collections::BTreeSet;

impl Emit<'_> {
    pub(super) fn protocol(&self) -> TokenStream {
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
    pub(super) fn secret_fields(&self) -> Vec<String> {
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

    pub(super) fn method_items(&self, m: &Method) -> TokenStream {
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
}

pub(super) fn encoding(e: Encoding) -> TokenStream {
    match e {
        Encoding::Form => quote!(rt::Encoding::Form),
        Encoding::Query => quote!(rt::Encoding::Query),
        Encoding::Json => quote!(rt::Encoding::Json),
        Encoding::Xml => quote!(rt::Encoding::Xml),
        Encoding::Soap11 => quote!(rt::Encoding::Soap11),
    }
}

pub(super) fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}
