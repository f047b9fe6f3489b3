//! `loginspec lint`: things the specs may legally say but probably should
//! not. Warnings are located and rendered like `check`'s errors.
//!
//! Rules:
//! - `missing-doc`: a field, parameter or type without a doc (or a blank one);
//! - `todo`: a value still holding a `TODO` placeholder from `loginspec new`;
//! - `error-class`: an error without `class` (it falls back to `other`, so
//!   callers cannot tell it from a server fault);
//! - `secret-name`: a name (of a parameter, a field or a variable sent with
//!   every call) that looks like a credential but lacks `secret: true`;
//! - `no-examples`: a method without any example, or without a success example;
//! - the rules on how values are bound to the wire, in [`bindings`]:
//!   `body-on-get`, `secret-in-url`, `plaintext-credential`,
//!   `login-bad-credentials`, `request-id-unchecked` and `weak-nonce`;
//! - `lint-allow`: a waiver (`lint_allow: {RULE: REASON}`) of an unknown
//!   rule or without a reason. A method file's waiver covers what that
//!   file says; `provider.yaml`'s covers the findings located there.

use crate::Failure;
use heck::ToSnakeCase;
use loginspec_codegen::diag::{Ctxt, Diagnostics, Severity, Source};
use loginspec_codegen::load::load_dir;
use loginspec_codegen::model::{Method, Provider};
use loginspec_codegen::spec::{
    ErrorSpec, FieldSpec, MethodSpec, ProviderSpec, TypeSpec, VariableSpec,
};
use loginspec_codegen::yaml::{self, Seg};
use std::collections::BTreeMap;
use std::path::Path;

mod bindings;

pub fn run(specs: &Path, deny_warnings: bool) -> Result<(), Failure> {
    // Lints assume valid specs; errors come first.
    loginspec_codegen::load_and_check(specs)?;
    let warnings = lint(specs);
    if warnings.0.is_empty() {
        eprintln!("no warnings");
        return Ok(());
    }
    eprint!("{}", crate::render(&warnings, Severity::Warning));
    if deny_warnings {
        Err(Failure::Check)
    } else {
        Ok(())
    }
}

/// Every warning for the specs in `specs`, in file order.
pub fn lint(specs: &Path) -> Diagnostics {
    let mut load_cx = Ctxt::default();
    let files = load_dir(specs, &mut load_cx);
    // The binding rules read the checked model (verbs, locations, secrets
    // resolved); specs that do not check get the other rules only.
    let model = loginspec_codegen::load_and_check(specs)
        .ok()
        .map(|(m, _)| m);
    let mut lints = Lints::default();
    let mut sources = Vec::new();
    for pf in &files {
        let mut provider = None;
        if let Ok(spec) = yaml::parse::<ProviderSpec>(&pf.provider.text) {
            provider = model
                .as_ref()
                .and_then(|m| m.providers.iter().find(|p| p.name == spec.provider));
            lints.provider(&pf.provider, &spec, provider);
        }
        sources.push(pf.provider.clone());
        for src in &pf.methods {
            if let Ok(spec) = yaml::parse::<MethodSpec>(&src.text) {
                let method = provider.and_then(|p| {
                    let m = p.methods.iter().find(|m| m.wire == spec.method)?;
                    Some((p, m))
                });
                lints.method(src, &spec, method);
            }
            sources.push(src.clone());
        }
    }
    lints.cx.finish(&sources)
}

/// The rules a method may waive.
const RULES: &[&str] = &[
    "missing-doc",
    "todo",
    "error-class",
    "secret-name",
    "no-examples",
    bindings::BODY_ON_GET,
    bindings::SECRET_IN_URL,
    bindings::PLAINTEXT_CREDENTIAL,
    bindings::LOGIN_BAD_CREDENTIALS,
    bindings::REQUEST_ID_UNCHECKED,
    bindings::WEAK_NONCE,
];

#[derive(Default)]
struct Lints {
    cx: Ctxt,
    /// Rules the method being linted waives.
    allowed: Vec<String>,
}

fn key(k: &str) -> Seg {
    Seg::Key(k.to_string())
}

fn with(path: &[Seg], more: impl IntoIterator<Item = Seg>) -> Vec<Seg> {
    path.iter().cloned().chain(more).collect()
}

impl Lints {
    fn warn(&mut self, src: &Source, path: Vec<Seg>, rule: &str, message: String, hint: &str) {
        if self.allowed.iter().any(|r| r == rule) {
            return;
        }
        self.cx.error(
            src,
            &path,
            format!("{message} [{rule}]"),
            Some(hint.to_string()),
        );
    }

    fn provider(&mut self, src: &Source, spec: &ProviderSpec, model: Option<&Provider>) {
        self.waivers(src, &spec.lint_allow);
        self.todo(src, vec![key("title")], &spec.title);
        self.todo(src, vec![key("doc")], spec.doc.as_deref().unwrap_or(""));
        self.todo(src, vec![key("base_url")], &spec.base_url);
        for (i, v) in spec.variables.iter().enumerate() {
            self.variable(src, vec![key("variables"), Seg::Index(i)], v);
        }
        for (i, (name, t)) in spec.types.0.iter().enumerate() {
            let nth = spec.types.0[..i].iter().filter(|(n, _)| n == name).count();
            let path = vec![key("types"), Seg::Repeated(name.clone(), nth)];
            self.type_spec(src, path, &format!("type `{name}`"), t);
        }
        self.errors(src, &[], &spec.errors);
        if let Some(p) = model {
            bindings::provider(self, src, spec, p);
        }
        self.allowed.clear();
    }

    fn variable(&mut self, src: &Source, path: Vec<Seg>, v: &VariableSpec) {
        if v.doc.trim().is_empty() {
            self.warn(
                src,
                with(&path, [key("doc")]),
                "missing-doc",
                format!("variable `{}` has no doc", v.name),
                "say what the value is and where users find it",
            );
        }
        self.todo(src, with(&path, [key("doc")]), &v.doc);
        // A variable that every call sends may be a client credential.
        let sent = v.in_.is_some() || v.at.is_some() || v.send_as_field;
        let rust = v.rust_name.as_deref().unwrap_or(&v.name);
        if sent && !v.secret && (looks_secret(&v.name) || looks_secret(rust)) {
            self.warn(
                src,
                with(&path, [key("name")]),
                "secret-name",
                format!(
                    "variable `{}` looks like a credential but is not secret",
                    v.name
                ),
                "add `secret: true`: `Client::new` then takes an `rt::Secret`, never shown",
            );
        }
    }

    fn method(&mut self, src: &Source, spec: &MethodSpec, model: Option<(&Provider, &Method)>) {
        self.waivers(src, &spec.lint_allow);
        self.method_rules(src, spec);
        if let Some((p, m)) = model {
            bindings::method(self, src, spec, p, m);
        }
        self.allowed.clear();
    }

    /// Reports bad waivers, and sets the good ones for the file being linted.
    fn waivers(&mut self, src: &Source, lint_allow: &BTreeMap<String, String>) {
        self.allowed.clear();
        for (rule, reason) in lint_allow {
            let path = vec![key("lint_allow"), key(rule)];
            if !RULES.contains(&rule.as_str()) {
                self.warn(
                    src,
                    path,
                    "lint-allow",
                    format!("`{rule}` is not a lint rule"),
                    &format!("waive one of: {}", RULES.join(", ")),
                );
            } else if reason.trim().is_empty() {
                self.warn(
                    src,
                    path,
                    "lint-allow",
                    format!("the waiver of `{rule}` gives no reason"),
                    "say why the rule does not apply here",
                );
            }
        }
        self.allowed = lint_allow
            .iter()
            .filter(|(r, reason)| RULES.contains(&r.as_str()) && !reason.trim().is_empty())
            .map(|(r, _)| r.clone())
            .collect();
    }

    fn method_rules(&mut self, src: &Source, spec: &MethodSpec) {
        self.todo(src, vec![key("doc")], &spec.doc);
        for (i, f) in spec.params.iter().enumerate() {
            self.field(src, vec![key("params"), Seg::Index(i)], "parameter", f);
        }
        self.type_spec(
            src,
            vec![key("response")],
            "the response",
            &spec.response.as_type(),
        );
        self.errors(src, &[], &spec.errors);
        for (i, e) in spec.examples.iter().enumerate() {
            self.todo(
                src,
                vec![key("examples"), Seg::Index(i), key("body")],
                &e.body,
            );
        }
        if spec.examples.is_empty() {
            self.warn(
                src,
                vec![key("method")],
                "no-examples",
                format!("method `{}` has no examples", spec.method),
                "copy sample responses from the vendor docs under `examples:`; they become tests",
            );
        } else if spec.examples.iter().all(|e| e.error.is_some()) {
            self.warn(
                src,
                vec![key("examples")],
                "no-examples",
                format!("method `{}` has no success example", spec.method),
                "add a sample of a successful response",
            );
        }
    }

    fn type_spec(&mut self, src: &Source, path: Vec<Seg>, what: &str, t: &TypeSpec) {
        if t.doc.as_deref().is_none_or(|d| d.trim().is_empty()) {
            self.warn(
                src,
                path.clone(),
                "missing-doc",
                format!("{what} has no doc"),
                "add `doc:`; it becomes the type's documentation",
            );
        }
        for (i, f) in t.fields.iter().flatten().enumerate() {
            self.field(src, with(&path, [key("fields"), Seg::Index(i)]), "field", f);
        }
    }

    fn field(&mut self, src: &Source, path: Vec<Seg>, noun: &str, f: &FieldSpec) {
        if f.doc.trim().is_empty() {
            self.warn(
                src,
                with(&path, [key("doc")]),
                "missing-doc",
                format!("{noun} `{}` has no doc", f.name),
                "say what the value means, with its unit or format",
            );
        }
        self.todo(src, with(&path, [key("name")]), &f.name);
        self.todo(src, with(&path, [key("doc")]), &f.doc);
        let name = f.rust_name.as_deref().unwrap_or(&f.name);
        // Only text can hold a credential; `isPasswordExpired: bool` does not.
        let text = f.ty == "string";
        // A derived value is secret when computed from a secret (check decides).
        if text && !f.secret && f.derived.is_none() && (looks_secret(&f.name) || looks_secret(name))
        {
            self.warn(
                src,
                with(&path, [key("name")]),
                "secret-name",
                format!(
                    "{noun} `{}` looks like a credential but is not secret",
                    f.name
                ),
                "add `secret: true` so the value is redacted in Debug output and logs",
            );
        }
    }

    fn errors(&mut self, src: &Source, path: &[Seg], errors: &[ErrorSpec]) {
        for (i, e) in errors.iter().enumerate() {
            let at = with(path, [key("errors"), Seg::Index(i)]);
            if e.class.is_none() {
                self.warn(
                    src,
                    with(&at, [key("name")]),
                    "error-class",
                    format!("error `{}` has no class", e.name),
                    "add `class:` (bad_credentials, session_expired, rate_limited, locked, invalid_input, access_denied, server or other)",
                );
            }
            self.todo(src, with(&at, [key("name")]), &e.name);
            self.todo(src, with(&at, [key("doc")]), &e.doc);
        }
    }

    fn todo(&mut self, src: &Source, path: Vec<Seg>, value: &str) {
        if value.contains("TODO") {
            self.warn(
                src,
                path,
                "todo",
                "a TODO placeholder is left".into(),
                "replace it with the value from the vendor docs",
            );
        }
    }
}

/// Whether a parameter or field name reads like a credential: it ends in
/// `password`, `token`, `sid`, `secret`..., or in `apiKey`, `sessionKey`,
/// `authHash`... (`tokenLifetime` names something about a token, not one).
pub fn looks_secret(name: &str) -> bool {
    let snake = name.to_snake_case();
    let words: Vec<&str> = snake.split('_').collect();
    let single = [
        "password",
        "passwd",
        "pwd",
        "passphrase",
        "secret",
        "token",
        "sid",
        "credential",
        "credentials",
        "apikey",
    ];
    let before_key = ["api", "session", "auth", "access", "private", "secret"];
    match words.as_slice() {
        [.., last] if single.contains(last) => true,
        [.., owner, last] => before_key.contains(owner) && (*last == "key" || *last == "hash"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::looks_secret;

    #[test]
    fn credential_names() {
        for name in [
            "password",
            "userPassword",
            "apiKey",
            "session_key",
            "authHash",
            "sid",
            "Token",
            "clientSecret",
            "identityToken",
        ] {
            assert!(looks_secret(name), "{name} should look secret");
        }
        for name in [
            "username",
            "tokenLifetime",
            "keyId",
            "inside",
            "considered",
            "sessionLength",
            "hashAlgorithm",
            "isPasswordExpired",
            "primaryKey",
        ] {
            assert!(!looks_secret(name), "{name} should not look secret");
        }
    }
}
