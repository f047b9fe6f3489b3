//! Rust names: which identifiers are usable, and which the generated code
//! already takes.

use super::At;
use crate::diag::Ctxt;
use heck::{ToSnakeCase, ToUpperCamelCase};

/// Names every provider module defines itself, and prelude names its code uses.
pub(super) const RESERVED_TYPES: &[&str] = &[
    "Client",
    "Session",
    "SessionInner",
    "LoginCredentials",
    "LoginStepFailure",
    "ProviderError",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Clone",
    "Debug",
    "From",
    "Into",
    "TryFrom",
    "Self",
];

/// Module names taken in the generated crate (`loginspec_client::runtime`),
/// the alias every provider module uses for the runtime (`rt`), and crates
/// that generated code, its derives or the crate around it name by path: a
/// module of the same name beside them makes those paths ambiguous.
pub(super) const RESERVED_MODULES: &[&str] = &[
    "runtime",
    "rt",
    "std",
    "core",
    "alloc",
    "proc_macro",
    "test",
    "serde",
    "serde_json",
    "serde_with",
    "reqwest",
    "tokio",
    "time",
    "bitflags",
    "tracing",
    "loginspec",
    "loginspec_runtime",
    "loginspec_client",
    "loginspec_macros",
    "loginspec_codegen",
];

/// Methods every generated `Client` and `Session` has.
/// (`protocol` would make a `static PROTOCOL` twice, `session` a `static SESSION`.)
pub(super) const RESERVED_METHODS: &[&str] = &[
    "new",
    "with_options",
    "base_url",
    "protocol",
    "session",
    "provider_error_rules",
    "with_clock",
    "client",
    "ensure_login",
    "login_count",
    "refresh_count",
    "set_credentials",
    "with_key",
    "with_store",
];

pub(super) fn rust_field_name(
    at: &At,
    wire: &str,
    explicit: Option<&str>,
    cx: &mut Ctxt,
) -> String {
    let name = explicit.map_or_else(|| wire.to_snake_case(), str::to_string);
    if !is_snake_ident(&name) {
        let at_n = if explicit.is_some() {
            at.key("rust_name")
        } else {
            at.key("name")
        };
        let (reason, suggestion) = if is_keyword(&name) {
            ("is a Rust keyword", format!("{name}_value"))
        } else {
            ("is not a snake_case Rust identifier", name.to_snake_case())
        };
        let hint = if is_snake_ident(&suggestion) {
            format!("set `rust_name` for `{wire}`, e.g. `{suggestion}`")
        } else {
            format!("set `rust_name` for `{wire}` to a snake_case identifier")
        };
        at_n.error_hint(cx, format!("`{name}` {reason}"), hint);
    }
    name
}

/// Letters, digits and `_`, not starting with a digit.
pub(super) fn ident_shaped(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c == '_' || c.is_ascii_alphabetic())
        && chars.all(|c| c == '_' || c.is_ascii_alphanumeric())
        && name != "_"
}

pub(super) fn is_ident(name: &str) -> bool {
    ident_shaped(name) && !is_keyword(name)
}

pub(super) fn is_snake_ident(name: &str) -> bool {
    is_ident(name) && name == name.to_snake_case()
}

pub(super) fn is_camel_ident(name: &str) -> bool {
    is_ident(name) && name == name.to_upper_camel_case()
}

pub(super) fn is_keyword(name: &str) -> bool {
    // `syn` knows the full, edition-aware list; `Self` and friends are not idents either.
    // Every keyword is 2 to 8 ASCII letters: other names skip the parse, which
    // is most of what checking a name costs.
    ident_shaped(name)
        && name.len() <= 8
        && name.bytes().all(|b| b.is_ascii_alphabetic())
        && (syn::parse_str::<syn::Ident>(name).is_err()
            || matches!(name, "self" | "Self" | "super" | "crate"))
}

#[cfg(test)]
mod tests {
    use super::is_keyword;

    #[test]
    fn keywords_of_every_length_are_found() {
        for k in [
            "as", "fn", "dyn", "Self", "crate", "unsafe", "unsized", "abstract", "continue",
        ] {
            assert!(is_keyword(k), "{k}");
        }
        for n in [
            "user_id",
            "r#type",
            "type_",
            "fn2",
            "continues",
            "email",
            "_",
        ] {
            assert!(!is_keyword(n), "{n}");
        }
    }
}
