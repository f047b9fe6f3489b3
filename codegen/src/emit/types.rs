//! Structs, enums and flags, shared or per method, and the Rust spelling of spec types.

use super::docs::doc;
use super::{ident, str_lit, Emit};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    pub(super) fn named_type(&self, t: &NamedType) -> TokenStream {
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
    pub(super) fn struct_def(
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
                // `serde_with::As` in a plain serde attribute, not
                // `#[serde_as]`: users' builds need no serde_with macros.
                // `#[serde_as]` adds `default` to `Option` fields; so do we.
                let adapter = self.adapter(f).map(|a| {
                    let path = str_lit(&format!(
                        "{}::serde_with::As::<{a}>::deserialize",
                        self.options.runtime
                    ));
                    if f.is_optional() {
                        quote!(#[serde(default, deserialize_with = #path)])
                    } else {
                        quote!(#[serde(deserialize_with = #path)])
                    }
                });
                quote! {
                    #fd
                    #rename
                    #adapter
                    pub #n: #ty,
                }
            })
            .collect();
        let compare = compare_derives(Comparable::of_fields(&self.p.types, fields));
        // Users build request-side shared structs with a literal, so they
        // stay exhaustive; the others are only read, and may grow fields.
        let derives = if serialize {
            quote!(#[derive(Debug, Clone, #compare rt::serde::Serialize, rt::serde::Deserialize)])
        } else {
            quote!(
                #[derive(Debug, Clone, #compare rt::serde::Deserialize)]
                #[non_exhaustive]
            )
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
            #derives
            #[serde(crate = #serde_crate)]
            pub struct #name {
                #(#members)*
            }
            #from_base
        }
    }

    pub(super) fn field_type(&self, f: &Field) -> TokenStream {
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

    /// The `serde_with` adapter type for a response field, when it needs one.
    pub(super) fn adapter(&self, f: &Field) -> Option<String> {
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

    pub(super) fn enum_def(&self, t: &NamedType, values: &[EnumValue]) -> TokenStream {
        let name = ident(&t.name);
        let d = doc(t
            .doc
            .as_deref()
            .unwrap_or(&format!("The `{}` values.", t.name)));
        let serde_crate = self.serde_crate();
        let numeric = matches!(values.first().map(|v| &v.value), Some(CodeValue::Int(_)));
        let unknown_doc = doc(
            "A value this version does not know, as it was on the wire. Decoding \
             never fails on a new value; sending one passes it on as it is. \
             Decoded values that a variant names never land here.",
        );
        if numeric {
            let variants = values.iter().map(|v| {
                let vd = doc(&format!("`{}`: {}", v.value, v.doc));
                let n = ident(&v.name);
                quote!(#vd #n,)
            });
            let ints = || {
                values.iter().filter_map(|v| match v.value {
                    CodeValue::Int(i) => Some((ident(&v.name), Lit::i64_unsuffixed(i))),
                    _ => None,
                })
            };
            let to_int = ints().map(|(n, i)| quote!(#name::#n => #i,));
            let from_int = ints().map(|(n, i)| quote!(#i => #name::#n,));
            quote! {
                #d
                #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
                #[serde(crate = #serde_crate, into = "i64", from = "i64")]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #unknown_doc
                    Unknown(i64),
                }

                impl From<#name> for i64 {
                    fn from(value: #name) -> i64 {
                        match value {
                            #(#to_int)*
                            #name::Unknown(other) => other,
                        }
                    }
                }

                impl From<i64> for #name {
                    fn from(value: i64) -> Self {
                        match value {
                            #(#from_int)*
                            other => #name::Unknown(other),
                        }
                    }
                }
            }
        } else {
            let variants = values.iter().map(|v| {
                let vd = doc(&format!("`{}`: {}", v.value, v.doc));
                let n = ident(&v.name);
                quote!(#vd #n,)
            });
            let texts = || {
                values
                    .iter()
                    .map(|v| (ident(&v.name), str_lit(&v.value.to_string())))
            };
            let to_text = texts().map(|(n, w)| quote!(#name::#n => #w,));
            let from_text = texts().map(|(n, w)| quote!(#w => #name::#n,));
            quote! {
                #d
                #[derive(Debug, Clone, PartialEq, Eq, Hash, rt::serde::Serialize, rt::serde::Deserialize)]
                #[serde(crate = #serde_crate, into = "String", from = "String")]
                #[non_exhaustive]
                pub enum #name {
                    #(#variants)*
                    #unknown_doc
                    Unknown(String),
                }

                impl #name {
                    /// The value as it goes on the wire.
                    pub fn as_str(&self) -> &str {
                        match self {
                            #(#to_text)*
                            #name::Unknown(other) => other,
                        }
                    }
                }

                impl From<#name> for String {
                    fn from(value: #name) -> String {
                        match value {
                            #name::Unknown(other) => other,
                            known => known.as_str().to_string(),
                        }
                    }
                }

                impl From<String> for #name {
                    fn from(value: String) -> Self {
                        match value.as_str() {
                            #(#from_text)*
                            _ => #name::Unknown(value),
                        }
                    }
                }
            }
        }
    }

    pub(super) fn flags_def(&self, t: &NamedType, flags: &[Flag]) -> TokenStream {
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
}

/// The comparison derives of a struct, each followed by a comma.
pub(super) fn compare_derives(c: Comparable) -> TokenStream {
    match c {
        Comparable::No => quote!(),
        Comparable::PartialEq => quote!(PartialEq,),
        Comparable::Eq => quote!(PartialEq, Eq,),
    }
}

pub(super) fn rust_type(ty: &Ty) -> TokenStream {
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

/// The `serde_with` adapter for a type, written as text for the attribute.
pub(super) fn adapter_for(ty: &Ty, lenient: bool, rt: &str) -> Option<String> {
    match ty {
        Ty::Bool if lenient => Some(format!("{rt}::adapt::LenientBool")),
        Ty::Int(_) | Ty::Float(_) if lenient => Some(format!("{rt}::adapt::LenientNumber")),
        Ty::Timestamp(TimeFormat::UnixSeconds) => Some(format!("{rt}::adapt::UnixSeconds")),
        Ty::Timestamp(TimeFormat::UnixMillis) => Some(format!("{rt}::adapt::UnixMillis")),
        Ty::Timestamp(TimeFormat::DotNetDate) => Some(format!("{rt}::adapt::DotNetDate")),
        Ty::Timestamp(TimeFormat::Rfc3339) => Some(format!("{rt}::adapt::Rfc3339")),
        Ty::Timestamp(TimeFormat::Iso8601) => Some(format!("{rt}::adapt::Iso8601")),
        Ty::Timestamp(TimeFormat::Custom(pattern)) => Some(format!(
            "{rt}::adapt::Custom<time_formats::{}>",
            time_format_name(pattern)
        )),
        Ty::List(inner) => adapter_for(inner, lenient, rt).map(|a| format!("Vec<{a}>")),
        Ty::Map(inner) => {
            // `Same` keeps the keys as they are (`#[serde_as]` wrote `_`).
            adapter_for(inner, lenient, rt)
                .map(|a| format!("std::collections::BTreeMap<{rt}::serde_with::Same, {a}>"))
        }
        _ => None,
    }
}

pub(super) fn literal_tokens(value: &Literal, ty: &Ty) -> TokenStream {
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

/// The name of the generated type that carries a custom timestamp format:
/// `F` and a hash of the description, so that each field names it without
/// a table, and the output does not depend on the order of the specs.
pub(super) fn time_format_name(pattern: &str) -> String {
    // FNV-1a, 64 bits: stable across runs and platforms.
    let hash = pattern.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("F{hash:016x}")
}

impl super::Emit<'_> {
    /// `mod time_formats`: one type per custom timestamp format of the
    /// provider, naming its description for `rt::adapt::Custom`.
    pub(super) fn time_formats(&self) -> Option<TokenStream> {
        let fields = self
            .p
            .types
            .iter()
            .chain(self.p.methods.iter().map(|m| &m.response))
            .filter_map(|t| match &t.def {
                TypeDef::Struct { fields, .. } => Some(fields),
                _ => None,
            })
            .flatten();
        let patterns: std::collections::BTreeSet<&str> = fields
            .filter_map(|f| match &f.ty {
                Ty::Timestamp(TimeFormat::Custom(p)) => Some(p.as_str()),
                _ => None,
            })
            .collect();
        if patterns.is_empty() {
            return None;
        }
        let items = patterns.iter().map(|p| {
            let name = ident(&time_format_name(p));
            quote! {
                pub struct #name;
                impl super::rt::adapt::TimeDescription for #name {
                    const DESCRIPTION: &'static str = #p;
                }
            }
        });
        Some(quote! {
            /// The custom timestamp formats of this provider's answers.
            #[doc(hidden)]
            mod time_formats {
                #(#items)*
            }
        })
    }
}
