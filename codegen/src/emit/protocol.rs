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
        let xml_root = pr.xml_root.as_deref().unwrap_or("");
        let namespace = pr.soap_namespace.as_deref().unwrap_or("");
        let secrets = self.secret_fields();
        let handshake = match &pr.handshake {
            Some((status, header)) => {
                let status = Lit::u16_unsuffixed(*status);
                quote!(Some(rt::Handshake { status: #status, header: #header }))
            }
            None => quote!(None),
        };
        let id_check = match &pr.request_id_check {
            Some(at) => quote!(Some(#at)),
            None => quote!(None),
        };
        let rules = p.error_rules.iter().map(error_rule);
        let count = Lit::usize_unsuffixed(p.error_rules.len());
        quote! {
            /// The provider-wide error rules, which end every method's list;
            /// a method without rules of its own points here.
            #[doc(hidden)]
            pub static PROVIDER_ERROR_RULES: [rt::ErrorRule; #count] = [#(#rules),*];

            /// The wire protocol of this provider, as declared in its spec.
            /// Public (but hidden) for `rt::decode_example` and `rt::encode_example`.
            #[doc(hidden)]
            pub static PROTOCOL: rt::Protocol = rt::Protocol {
                provider: #provider,
                base_url: #base_url,
                encodings: &[#(#encodings),*],
                xml_root: #xml_root,
                soap_namespace: #namespace,
                secret_fields: &[#(#secrets),*],
                handshake: #handshake,
                request_id_check: #id_check,
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
        // Secret variables are sent like secret parameters, and blanked alike.
        for v in self.p.variables.iter().filter(|v| v.secret) {
            names.insert(v.wire.clone());
        }
        // A value computed from a secret is one.
        for m in &self.p.methods {
            for b in &m.bindings {
                if let ValueSource::Derived {
                    name, secret: true, ..
                } = &b.source
                {
                    names.insert(name.clone());
                }
            }
        }
        names.into_iter().collect()
    }

    pub(super) fn method_items(&self, m: &Method) -> TokenStream {
        let stat = MethodNames::of(m).table;
        let wire = &m.wire;
        let path = &m.path;
        let verb = verb(m.verb);
        let bindings = m.bindings.iter().map(binding);
        let json_strings = &m.json_strings;
        let payload = &m.payload;
        // A struct whose every field comes from a header, a cookie or a
        // pointer of the document (`from`) has no payload of its own
        // (qBittorrent's `Ok.`, Deluge's `true`): the runtime builds the
        // object from those alone.
        let from_headers_only = matches!(
            &m.response.def,
            TypeDef::Struct { base: None, fields, .. }
                if !fields.is_empty() && fields.len() == m.header_fields.len()
        );
        let payload_kind = match m.answer {
            Answer::Object if from_headers_only => quote!(rt::PayloadKind::Empty),
            Answer::Object | Answer::Value(_) | Answer::Secret => quote!(rt::PayloadKind::Document),
            Answer::Text => quote!(rt::PayloadKind::Text),
            Answer::Nothing => quote!(rt::PayloadKind::Empty),
        };
        let header_fields = m.header_fields.iter().map(|(name, source)| {
            let source = match source {
                HeaderSource::Header(h) => quote!(rt::HeaderSource::Header(#h)),
                HeaderSource::Cookie(c) => quote!(rt::HeaderSource::Cookie(#c)),
                HeaderSource::Document(p) => quote!(rt::HeaderSource::Document(#p)),
            };
            quote!((#name, #source))
        });
        let error_rules = if m.own_error_rules == 0 {
            quote!(&PROVIDER_ERROR_RULES)
        } else {
            let rules = m.error_rules.iter().map(error_rule);
            quote!(&[#(#rules),*])
        };
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
        let response_doc = || {
            doc(m
                .response
                .doc
                .as_deref()
                .unwrap_or(&format!("The answer to [`Client::{}`].", m.rust)))
        };
        let name = MethodNames::of(m).response;
        let response = match (&m.answer, &m.response.def) {
            (Answer::Value(ty), _) => {
                let d = response_doc();
                let ty = super::types::rust_type(ty);
                quote!(#d pub type #name = #ty;)
            }
            (Answer::Secret, _) => {
                let d = response_doc();
                quote!(#d pub type #name = rt::Secret;)
            }
            (Answer::Text, _) => {
                let d = response_doc();
                quote!(#d pub type #name = String;)
            }
            (Answer::Nothing, _) => {
                let d = response_doc();
                quote!(#d pub type #name = ();)
            }
            // Nothing added to the base: the answer *is* the base type.
            (
                Answer::Object,
                TypeDef::Struct {
                    base: Some(base),
                    base_field_count,
                    fields,
                },
            ) if fields.len() == *base_field_count => {
                let base = ident(base);
                let d = response_doc();
                quote!(#d pub type #name = #base;)
            }
            (
                Answer::Object,
                TypeDef::Struct {
                    base,
                    base_field_count,
                    fields,
                },
            ) => {
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
        let own_encoding = match m.encoding {
            Some(e) => {
                let e = encoding(e);
                quote!(Some(#e))
            }
            None => quote!(None),
        };
        quote! {
            #stat_doc
            #[doc(hidden)]
            pub static #stat: rt::Method = rt::Method {
                name: #wire,
                verb: #verb,
                path: #path,
                bindings: &[#(#bindings),*],
                json_strings: &[#(#json_strings),*],
                payload: #payload,
                payload_kind: #payload_kind,
                header_fields: &[#(#header_fields),*],
                error_rules: #error_rules,
                error_statuses: &[#(#statuses),*],
                encoding: #own_encoding,
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
        Encoding::None => quote!(rt::Encoding::None),
    }
}

fn verb(v: Verb) -> TokenStream {
    match v {
        Verb::Get => quote!(rt::Verb::Get),
        Verb::Post => quote!(rt::Verb::Post),
        Verb::Put => quote!(rt::Verb::Put),
        Verb::Patch => quote!(rt::Verb::Patch),
        Verb::Delete => quote!(rt::Verb::Delete),
    }
}

pub(super) fn constant(value: &Literal) -> TokenStream {
    match value {
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
    }
}

/// A `rt::derive::Derived` literal (promoted to a static by the `&` in front).
fn derived(d: &Derived) -> TokenStream {
    let hash = |h: &HashFn| match h {
        HashFn::Md5 => quote!(rt::derive::Hash::Md5),
        HashFn::Sha1 => quote!(rt::derive::Hash::Sha1),
        HashFn::Sha256 => quote!(rt::derive::Hash::Sha256),
        HashFn::Sha512 => quote!(rt::derive::Hash::Sha512),
    };
    let parts = d.parts.iter().map(|p| match p {
        DerivedPart::Param(n) => quote!(rt::derive::Part::Value(#n)),
        DerivedPart::Text(t) => quote!(rt::derive::Part::Literal(#t)),
        DerivedPart::Nonce { len, alphabet } => {
            let len = *len as usize;
            let alphabet = match alphabet {
                Alphabet::Hex => quote!(rt::derive::Alphabet::Hex),
                Alphabet::Alnum => quote!(rt::derive::Alphabet::Alphanumeric),
                Alphabet::Digits => quote!(rt::derive::Alphabet::Digits),
            };
            quote!(rt::derive::Part::Nonce { len: #len, alphabet: #alphabet })
        }
        DerivedPart::UnixTime => quote!(rt::derive::Part::UnixTime),
    });
    let steps = d.steps.iter().map(|s| match s {
        DerivedStep::Hash(h) => {
            let h = hash(h);
            quote!(rt::derive::Step::Hash(#h))
        }
        DerivedStep::Hmac { hash: h, key } => {
            let h = hash(h);
            quote!(rt::derive::Step::Hmac { hash: #h, key: rt::derive::Part::Value(#key) })
        }
        DerivedStep::Hex => quote!(rt::derive::Step::Hex),
        DerivedStep::Base64 => quote!(rt::derive::Step::Base64),
        DerivedStep::Base64Url => quote!(rt::derive::Step::Base64Url),
    });
    quote!(rt::derive::Derived { parts: &[#(#parts),*], steps: &[#(#steps),*] })
}

fn binding(b: &Binding) -> TokenStream {
    let source = match &b.source {
        ValueSource::Param(n) => quote!(rt::Source::Param(#n)),
        ValueSource::Constant(l) => {
            let c = constant(l);
            quote!(rt::Source::Constant(#c))
        }
        ValueSource::EmptyObject => quote!(rt::Source::Constant(rt::Constant::EmptyObject)),
        ValueSource::EmptyArray => quote!(rt::Source::Constant(rt::Constant::EmptyArray)),
        ValueSource::MethodName => quote!(rt::Source::MethodName),
        ValueSource::Variable(n) => quote!(rt::Source::Variable(#n)),
        ValueSource::SessionKey => quote!(rt::Source::SessionKey),
        ValueSource::RequestId => quote!(rt::Source::RequestId),
        ValueSource::Derived { name, pipeline, .. } => {
            let pipeline = derived(pipeline);
            quote!(rt::Source::Derived { name: #name, pipeline: &#pipeline })
        }
    };
    let location = match &b.location {
        Location::Body(p) => quote!(rt::Location::Body(#p)),
        Location::Query(n) => quote!(rt::Location::Query(#n)),
        Location::Path(n) => quote!(rt::Location::Path(#n)),
        Location::Header { name, template } => {
            quote!(rt::Location::Header { name: #name, template: #template })
        }
        Location::Cookie(n) => quote!(rt::Location::Cookie(#n)),
        Location::BasicUser => quote!(rt::Location::BasicUser),
        Location::BasicPassword => quote!(rt::Location::BasicPassword),
    };
    quote!(rt::Binding { source: #source, location: #location })
}

fn error_rule(r: &ErrorRule) -> TokenStream {
    let w = &r.when;
    let status = w.status.iter().map(|(lo, hi)| {
        let (lo, hi) = (Lit::u16_unsuffixed(*lo), Lit::u16_unsuffixed(*hi));
        quote!((#lo, #hi))
    });
    let present = option_str(w.present.as_deref());
    let absent = option_str(w.absent.as_deref());
    let equals = match &w.equals {
        Some((at, value)) => {
            let c = constant(value);
            quote!(Some((#at, #c)))
        }
        None => quote!(None),
    };
    let text = option_str(w.text.as_deref());
    let header = option_str(w.header.as_deref());
    let code = match &r.code {
        CodeSource::At(p) => quote!(rt::CodeSource::At(#p)),
        CodeSource::Int(i) => {
            let i = Lit::i64_unsuffixed(*i);
            quote!(rt::CodeSource::Int(#i))
        }
        CodeSource::Text(t) => quote!(rt::CodeSource::Text(#t)),
        CodeSource::Status => quote!(rt::CodeSource::Status),
    };
    let code_optional = r.code_optional;
    let numeric = r.numeric;
    let success_int = r.success.iter().filter_map(|c| match c {
        CodeValue::Int(i) => Some(Lit::i64_unsuffixed(*i)),
        CodeValue::Str(_) => None,
    });
    let success_text = r.success.iter().filter_map(|c| match c {
        CodeValue::Str(s) => Some(s.as_str()),
        CodeValue::Int(_) => None,
    });
    let message = &r.message;
    let retry_after = match &r.retry_after {
        Some((at, ms)) => quote!(Some((#at, #ms))),
        None => quote!(None),
    };
    quote! {
        rt::ErrorRule {
            when: rt::When {
                status: &[#(#status),*],
                present: #present,
                absent: #absent,
                equals: #equals,
                text: #text,
                header: #header,
            },
            code: #code,
            code_optional: #code_optional,
            numeric: #numeric,
            success_int: &[#(#success_int),*],
            success_text: &[#(#success_text),*],
            message: &[#(#message),*],
            retry_after: #retry_after,
        }
    }
}

pub(super) fn option_str(s: Option<&str>) -> TokenStream {
    match s {
        Some(s) => quote!(Some(#s)),
        None => quote!(None),
    }
}
