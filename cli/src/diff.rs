//! `loginspec diff`: what changed for users of the generated crate between
//! two versions of the specs, compared on the checked model.
//!
//! Each change gets one of three classes:
//!
//! * **breaking**: code that compiled against the old generated crate may
//!   not compile, or may silently mean something else, against the new one
//!   (an item removed or renamed, a type changed, `new(..)` taking other
//!   arguments, a variant added to a plain enum that callers may match);
//! * **additive**: new API that old code does not see (a method, an optional
//!   parameter with its setter, a response field, an error variant: the
//!   generated error enums are `#[non_exhaustive]`, so callers already have a
//!   wildcard arm and a new code, formerly `Unknown`, gets its own variant);
//! * **patch**: the Rust API is unchanged but the wire or the behaviour is
//!   not (a wire name, a code number, a default value, an error's class, the
//!   base URL, the protocol, constants, client-side checks).
//!
//! Request and response structs have public fields but are meant to be built
//! with `new` and setters and read field by field, so new fields count as
//! additive. The suggested bump is the largest class: breaking → major,
//! additive → minor, patch → patch.

use crate::{Failure, Format};
use loginspec_codegen::model::{
    Arg, Binding, ErrorVariant, Field, Lifetime, Method, MethodSession, Model, NamedType, Presence,
    Provider, Session, Ty, TypeDef, ValueSource,
};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Class {
    Patch,
    Additive,
    Breaking,
}

impl Class {
    fn word(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Additive => "additive",
            Class::Breaking => "breaking",
        }
    }

    /// The semver part to bump for a change of this class.
    fn bump(self) -> &'static str {
        match self {
            Class::Patch => "patch",
            Class::Additive => "minor",
            Class::Breaking => "major",
        }
    }
}

/// One API change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub class: Class,
    /// A stable identifier of the kind of change (`param_added_required`).
    pub kind: &'static str,
    pub provider: String,
    /// The client method, by its Rust name in the new version (old if removed).
    pub method: Option<String>,
    /// What changed, in words.
    pub message: String,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// `major`, `minor`, `patch` or `none`.
    pub bump: &'static str,
    pub changes: Vec<Change>,
}

impl Report {
    pub fn new(changes: Vec<Change>) -> Report {
        let bump = changes
            .iter()
            .map(|c| c.class)
            .max()
            .map_or("none", Class::bump);
        Report { bump, changes }
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        if self.changes.is_empty() {
            out.push_str("no API changes\n");
        }
        for c in &self.changes {
            let at = match &c.method {
                Some(m) => format!("{}::{m}", c.provider),
                None => c.provider.clone(),
            };
            // Writing to a String cannot fail.
            let _ = writeln!(out, "{:<9} {at}: {}", c.class.word(), c.message);
        }
        let count = |class| self.changes.iter().filter(|c| c.class == class).count();
        let _ = writeln!(
            out,
            "\n{} change{}: {} breaking, {} additive, {} patch\nsuggested version bump: {}",
            self.changes.len(),
            if self.changes.len() == 1 { "" } else { "s" },
            count(Class::Breaking),
            count(Class::Additive),
            count(Class::Patch),
            self.bump
        );
        if self.bump == "major" {
            out.push_str("(for a 0.x crate, breaking changes bump the minor version)\n");
        }
        out
    }
}

pub fn run(
    old: &str,
    new: Option<&str>,
    git: Option<&Path>,
    format: Format,
) -> Result<(), Failure> {
    let report = match (git, new) {
        (None, Some(new)) => compare_dirs(Path::new(old), Path::new(new), [old, new])?,
        (None, None) => {
            return Err(Failure::Other(
                "name the NEW specs folder, or use --git to compare revisions".into(),
            ))
        }
        (Some(specs), new) => {
            let temp = tempfile::tempdir().map_err(|err| {
                Failure::Other(format!("cannot create a temporary folder: {err}"))
            })?;
            let old_dir = checkout(old, specs, &temp.path().join("old"))?;
            match new {
                Some(rev) => {
                    let new_dir = checkout(rev, specs, &temp.path().join("new"))?;
                    compare_dirs(&old_dir, &new_dir, [old, rev])?
                }
                // The working tree as it is, uncommitted edits included.
                None => compare_dirs(&old_dir, specs, [old, "the working tree"])?,
            }
        }
    };
    match format {
        Format::Text => print!("{}", report.text()),
        Format::Json => {
            let json = serde_json::to_string_pretty(&report)
                .map_err(|err| Failure::Other(format!("cannot write JSON: {err}")))?;
            println!("{json}");
        }
    }
    Ok(())
}

/// Compares two specs folders; `labels` name the sides in error reports
/// (a folder, a revision, or the working tree).
pub fn compare_dirs(old: &Path, new: &Path, labels: [&str; 2]) -> Result<Report, Failure> {
    let load = |dir: &Path, side: &str, label: &str| {
        loginspec_codegen::load_and_check(dir).map_err(|diagnostics| {
            eprintln!("the {side} specs ({label}) do not pass `loginspec check`:\n");
            Failure::Specs(diagnostics)
        })
    };
    let (old, _) = load(old, "old", labels[0])?;
    let (new, _) = load(new, "new", labels[1])?;
    Ok(Report::new(compare(&old, &new)))
}

/// Writes the files of `specs` at revision `rev` of the git repository
/// around the working directory into `into/<specs folder name>`.
fn checkout(rev: &str, specs: &Path, into: &Path) -> Result<PathBuf, Failure> {
    let git = |args: &[&str]| -> Result<Vec<u8>, Failure> {
        let output = Command::new("git")
            .args(args)
            .output()
            .map_err(|err| Failure::Other(format!("cannot run git: {err}")))?;
        if !output.status.success() {
            return Err(Failure::Other(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(output.stdout)
    };
    let specs_arg = specs.to_string_lossy();
    let listing = git(&["ls-tree", "-r", "-z", "--name-only", rev, "--", &specs_arg])?;
    let name = specs
        .file_name()
        .map_or_else(|| "specs".into(), |n| n.to_string_lossy().into_owned());
    let root = into.join(name);
    let mut any = false;
    for path in listing.split(|&b| b == 0).filter(|p| !p.is_empty()) {
        let path = String::from_utf8_lossy(path).into_owned();
        // ls-tree prints paths relative to the working directory, as given.
        let Ok(relative) = Path::new(&path).strip_prefix(specs) else {
            continue;
        };
        let bytes = git(&["show", &format!("{rev}:./{path}")])?;
        let target = root.join(relative);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|err| {
                Failure::Other(format!("cannot create {}: {err}", parent.display()))
            })?;
        }
        std::fs::write(&target, bytes)
            .map_err(|err| Failure::Other(format!("cannot write {}: {err}", target.display())))?;
        any = true;
    }
    if !any {
        return Err(Failure::Other(format!(
            "revision {rev} has no files under {}",
            specs.display()
        )));
    }
    Ok(root)
}

/// Every change from `old` to `new`, providers and methods in name order.
pub fn compare(old: &Model, new: &Model) -> Vec<Change> {
    let mut out = Changes::default();
    let olds: BTreeMap<&str, &Provider> =
        old.providers.iter().map(|p| (p.name.as_str(), p)).collect();
    let news: BTreeMap<&str, &Provider> =
        new.providers.iter().map(|p| (p.name.as_str(), p)).collect();
    let names: std::collections::BTreeSet<&str> = olds.keys().chain(news.keys()).copied().collect();
    for name in names {
        out.provider = name.to_string();
        out.method = None;
        match (olds.get(name), news.get(name)) {
            (Some(_), None) => out.push(
                Class::Breaking,
                "provider_removed",
                format!("provider module `{name}` removed"),
            ),
            (None, Some(_)) => out.push(
                Class::Additive,
                "provider_added",
                format!("provider module `{name}` added"),
            ),
            (Some(a), Some(b)) => provider(&mut out, a, b),
            (None, None) => {}
        }
    }
    out.changes
}

/// Collects changes, remembering where they are.
#[derive(Default)]
struct Changes {
    provider: String,
    method: Option<String>,
    changes: Vec<Change>,
    /// The provider's wire changed for every method: reported once, not per method.
    provider_wide_wire: bool,
}

impl Changes {
    fn push(&mut self, class: Class, kind: &'static str, message: String) {
        self.changes.push(Change {
            class,
            kind,
            provider: self.provider.clone(),
            method: self.method.clone(),
            message,
        });
    }
}

fn provider(out: &mut Changes, a: &Provider, b: &Provider) {
    if a.base_url != b.base_url {
        out.push(
            Class::Patch,
            "base_url_changed",
            format!(
                "default base URL changed from `{}` to `{}`",
                a.base_url, b.base_url
            ),
        );
    }
    // Variables are the arguments of `Client::new`, in order.
    let args = |p: &Provider| {
        p.variables
            .iter()
            .map(|v| v.rust.clone())
            .collect::<Vec<_>>()
    };
    if args(a) != args(b) {
        out.push(
            Class::Breaking,
            "client_arguments_changed",
            format!(
                "`Client::new` takes ({}) instead of ({})",
                args(b).join(", "),
                args(a).join(", ")
            ),
        );
    }
    // The model's protocol types have no PartialEq; their Debug text holds
    // every setting, so it serves for "anything changed". A provider-wide
    // answer setting (payload, error rules) lives in every method's table:
    // changed in all of them, it is one protocol change.
    let methods_wire: Vec<(&Method, &Method)> = a
        .methods
        .iter()
        .filter_map(|x| b.methods.iter().find(|y| y.wire == x.wire).map(|y| (x, y)))
        .collect();
    let all_wire = !methods_wire.is_empty() && methods_wire.iter().all(|(x, y)| wire_changed(x, y));
    out.provider_wide_wire = all_wire;
    if format!("{:?}", a.protocol) != format!("{:?}", b.protocol) || all_wire {
        out.push(
            Class::Patch,
            "protocol_changed",
            "wire protocol changed (encodings, method name, payload or error rule)".into(),
        );
    }
    named_types(out, &a.types, &b.types);
    session(out, a, b);

    let pairs = pair_up(
        &a.methods,
        &b.methods,
        |m| m.wire.clone(),
        |m| m.rust.clone(),
    );
    for item in pairs {
        match item {
            Pair::Removed(m) => {
                out.method = Some(m.rust.clone());
                out.push(
                    Class::Breaking,
                    "method_removed",
                    format!("method `{}` (`{}`) removed", m.rust, m.wire),
                );
            }
            Pair::Added(m) => {
                out.method = Some(m.rust.clone());
                out.push(
                    Class::Additive,
                    "method_added",
                    format!("method `{}` (`{}`) added", m.rust, m.wire),
                );
            }
            Pair::Both(x, y) => {
                out.method = Some(y.rust.clone());
                method(out, x, y);
            }
        }
    }
    out.method = None;
}

/// Whether how a method's call is made or its answer read changed, beyond its parameters.
fn wire_changed(a: &Method, b: &Method) -> bool {
    a.verb != b.verb
        || a.payload != b.payload
        || a.answer != b.answer
        || a.error_rules != b.error_rules
        || a.json_strings != b.json_strings
}

fn method(out: &mut Changes, a: &Method, b: &Method) {
    if a.rust != b.rust {
        out.push(
            Class::Breaking,
            "method_renamed",
            format!(
                "method `{}` renamed to `{}` (wire name `{}`)",
                a.rust, b.rust, b.wire
            ),
        );
    } else if a.wire != b.wire {
        out.push(
            Class::Patch,
            "method_wire_renamed",
            format!("wire name changed from `{}` to `{}`", a.wire, b.wire),
        );
    }
    if a.path != b.path && a.wire == b.wire {
        out.push(
            Class::Patch,
            "method_path_changed",
            format!("path changed from `{}` to `{}`", a.path, b.path),
        );
    }
    let constants = |m: &Method| -> Vec<Binding> {
        m.bindings
            .iter()
            .filter(|b| matches!(b.source, ValueSource::Constant(_)))
            .cloned()
            .collect()
    };
    if constants(a) != constants(b) {
        out.push(
            Class::Patch,
            "constants_changed",
            "the constant fields sent on every call changed".into(),
        );
    }
    // A server reads a value where the spec said; moving it breaks callers of that server.
    for new in &b.bindings {
        let ValueSource::Param(name) = &new.source else {
            continue;
        };
        let old = a
            .bindings
            .iter()
            .find(|o| o.source == new.source && o.location != new.location);
        if let Some(old) = old {
            out.push(
                Class::Breaking,
                "param_location_changed",
                format!(
                    "parameter `{name}` moved from {:?} to {:?}",
                    old.location, new.location
                ),
            );
        }
    }
    if wire_changed(a, b) && !out.provider_wide_wire {
        out.push(
            Class::Patch,
            "wire_changed",
            "the HTTP method, payload, answer kind, error rules or JSON-text members changed"
                .into(),
        );
    }
    if a.session != b.session {
        let uses = |m: &Method| m.session != MethodSession::None;
        let (class, kind, message) = match (uses(a), uses(b)) {
            (false, true) => (
                Class::Breaking,
                "method_session_added",
                "now carries the session key: the `Client` method takes it as its first argument".to_string(),
            ),
            (true, false) => (
                Class::Breaking,
                "method_session_removed",
                "no longer carries the session key: the `Client` method drops that argument and `Session` loses the method".to_string(),
            ),
            _ => (
                Class::Patch,
                "method_session_changed",
                format!("session use changed from {:?} to {:?}", a.session, b.session),
            ),
        };
        out.push(class, kind, message);
    }
    params(out, &a.params, &b.params);
    fields(out, "response field", &a.response.def, &b.response.def);
    errors(out, &a.errors, &b.errors);
}

/// The provider's `Session`: whether it exists, what `Session::new` takes,
/// and the session rules (which only change behaviour).
fn session(out: &mut Changes, a: &Provider, b: &Provider) {
    let login = |p: &Provider| {
        p.session
            .as_ref()
            .map(|s| p.methods[s.login].type_prefix.clone())
    };
    match (&a.session, &b.session) {
        (None, None) => {}
        (Some(_), None) => out.push(
            Class::Breaking,
            "session_removed",
            "`Session` removed (the spec no longer declares a session)".into(),
        ),
        (None, Some(_)) => out.push(
            Class::Additive,
            "session_added",
            "`Session` added (the spec declares a session)".into(),
        ),
        (Some(x), Some(y)) => {
            if login(a) != login(b) {
                out.push(
                    Class::Breaking,
                    "session_login_changed",
                    format!(
                        "`Session::new` takes `{}Request` instead of `{}Request`",
                        login(b).unwrap_or_default(),
                        login(a).unwrap_or_default()
                    ),
                );
            }
            // The login is compared by name above, not by its position.
            if session_rules(x) != session_rules(y) {
                out.push(
                    Class::Patch,
                    "session_rules_changed",
                    "session rules changed (key, carry, lifetime, margin or refresh)".into(),
                );
            }
        }
    }
}

fn params(out: &mut Changes, a: &[Field], b: &[Field]) {
    for item in pair_up(a, b, |f| f.wire.clone(), |f| f.rust.clone()) {
        match item {
            Pair::Removed(f) => out.push(
                Class::Breaking,
                "param_removed",
                format!("parameter `{}` removed", f.rust),
            ),
            Pair::Added(f) if f.presence == Presence::Required => out.push(
                Class::Breaking,
                "param_added_required",
                format!(
                    "required parameter `{}` ({}) added: `new(..)` takes another argument",
                    f.rust,
                    ty_name(&f.ty)
                ),
            ),
            Pair::Added(f) => out.push(
                Class::Additive,
                "param_added_optional",
                format!(
                    "optional parameter `{}` ({}) added, with a setter",
                    f.rust,
                    ty_name(&f.ty)
                ),
            ),
            Pair::Both(x, y) => {
                field_renames(out, "parameter", "param", x, y);
                let what = format!("parameter `{}`", y.rust);
                match (&x.presence, &y.presence) {
                    (Presence::Required, Presence::Required) => {}
                    (Presence::Required, _) => out.push(
                        Class::Breaking,
                        "param_became_optional",
                        format!("{what} is no longer required: it moved from `new(..)` to a setter"),
                    ),
                    (_, Presence::Required) => out.push(
                        Class::Breaking,
                        "param_became_required",
                        format!("{what} became required: `new(..)` takes another argument"),
                    ),
                    (Presence::Default(d1), Presence::Default(d2)) if d1 != d2 => out.push(
                        Class::Patch,
                        "param_default_changed",
                        if x.secret || y.secret {
                            // Never print a secret's value (check rejects such defaults today).
                            format!("{what}: default changed")
                        } else {
                            format!("{what}: default changed from {} to {}", literal(d1), literal(d2))
                        },
                    ),
                    (Presence::Optional, Presence::Default(_)) | (Presence::Default(_), Presence::Optional) => out.push(
                        Class::Breaking,
                        "param_default_changed",
                        format!("{what}: the field changed between `Option<T>` and a value with a default"),
                    ),
                    _ => {}
                }
                type_change(out, "param", &what, x, y);
                if x.checks != y.checks {
                    // Values accepted before may now be rejected before sending, or the reverse.
                    out.push(
                        Class::Patch,
                        "param_constraints_changed",
                        format!("{what}: client-side checks changed"),
                    );
                }
            }
        }
    }
}

/// Struct fields: response fields or fields of a shared struct type.
fn fields(out: &mut Changes, noun: &str, a: &TypeDef, b: &TypeDef) {
    let (TypeDef::Struct { fields: a, .. }, TypeDef::Struct { fields: b, .. }) = (a, b) else {
        return;
    };
    for item in pair_up(a, b, |f| f.wire.clone(), |f| f.rust.clone()) {
        match item {
            Pair::Removed(f) => out.push(
                Class::Breaking,
                "field_removed",
                format!("{noun} `{}` removed", f.rust),
            ),
            Pair::Added(f) => out.push(
                Class::Additive,
                "field_added",
                format!(
                    "{noun} `{}` ({}{}) added",
                    f.rust,
                    if f.is_optional() { "optional " } else { "" },
                    ty_name(&f.ty)
                ),
            ),
            Pair::Both(x, y) => {
                field_renames(out, noun, "field", x, y);
                let what = format!("{noun} `{}`", y.rust);
                match (x.is_optional(), y.is_optional()) {
                    (false, true) => out.push(
                        Class::Breaking,
                        "field_became_optional",
                        format!("{what} became optional: `{}` is now `Option<{0}>`", ty_name(&y.ty)),
                    ),
                    (true, false) => out.push(
                        Class::Breaking,
                        "field_became_required",
                        format!("{what} became required: `Option<{}>` is now `{0}` (and a reply without it fails to decode)", ty_name(&y.ty)),
                    ),
                    _ => {}
                }
                type_change(out, "field", &what, x, y);
            }
        }
    }
}

fn field_renames(out: &mut Changes, noun: &str, kind: &str, x: &Field, y: &Field) {
    if x.rust != y.rust {
        out.push(
            Class::Breaking,
            if kind == "param" {
                "param_renamed"
            } else {
                "field_renamed"
            },
            format!(
                "{noun} `{}` renamed to `{}` (wire name `{}`)",
                x.rust, y.rust, y.wire
            ),
        );
    } else if x.wire != y.wire {
        out.push(
            Class::Patch,
            if kind == "param" {
                "param_wire_renamed"
            } else {
                "field_wire_renamed"
            },
            format!(
                "{noun} `{}`: wire name changed from `{}` to `{}`",
                y.rust, x.wire, y.wire
            ),
        );
    }
}

fn type_change(out: &mut Changes, kind: &str, what: &str, x: &Field, y: &Field) {
    if x.ty != y.ty {
        out.push(
            Class::Breaking,
            if kind == "param" {
                "param_type_changed"
            } else {
                "field_type_changed"
            },
            format!(
                "{what}: type changed from {} to {}",
                ty_name(&x.ty),
                ty_name(&y.ty)
            ),
        );
    }
    if x.secret != y.secret {
        out.push(
            Class::Breaking,
            if kind == "param" {
                "param_secret_changed"
            } else {
                "field_secret_changed"
            },
            format!(
                "{what} {} `Secret`",
                if y.secret {
                    "is now held in"
                } else {
                    "is no longer held in"
                }
            ),
        );
    }
}

fn errors(out: &mut Changes, a: &[ErrorVariant], b: &[ErrorVariant]) {
    let code = |e: &ErrorVariant| match (&e.code, e.http_status) {
        (Some(c), _) => format!("code {c}"),
        (None, Some(s)) => format!("HTTP {s}"),
        (None, None) => "no code".into(),
    };
    // Variants are what callers name, so they pair by name; a new name for
    // the same code is a rename.
    for item in pair_up(a, b, |e| e.name.clone(), code) {
        match item {
            Pair::Removed(e) => out.push(
                Class::Breaking,
                "error_removed",
                format!("error `{}` ({}) removed", e.name, code(e)),
            ),
            Pair::Added(e) => out.push(
                Class::Additive,
                "error_added",
                format!(
                    "error `{}` ({}) added; the error enum is #[non_exhaustive]",
                    e.name,
                    code(e)
                ),
            ),
            Pair::Both(x, y) => {
                if x.name != y.name {
                    out.push(
                        Class::Breaking,
                        "error_renamed",
                        format!("error `{}` renamed to `{}` ({})", x.name, y.name, code(y)),
                    );
                } else if code(x) != code(y) {
                    out.push(
                        Class::Patch,
                        "error_code_changed",
                        format!("error `{}`: {} instead of {}", y.name, code(y), code(x)),
                    );
                }
                if x.class != y.class {
                    out.push(
                        Class::Patch,
                        "error_class_changed",
                        format!(
                            "error `{}`: class changed from {:?} to {:?}",
                            y.name, x.class, y.class
                        ),
                    );
                }
                if x.cooldown != y.cooldown {
                    let secs = |c: Option<u64>| c.map_or("none".to_string(), |s| format!("{s} s"));
                    out.push(
                        Class::Patch,
                        "error_cooldown_changed",
                        format!(
                            "error `{}`: cooldown {} instead of {}",
                            y.name,
                            secs(y.cooldown),
                            secs(x.cooldown)
                        ),
                    );
                }
            }
        }
    }
}

fn named_types(out: &mut Changes, a: &[NamedType], b: &[NamedType]) {
    for item in pair_up(a, b, |t| t.name.clone(), |t| t.name.clone()) {
        match item {
            Pair::Removed(t) => out.push(
                Class::Breaking,
                "type_removed",
                format!("type `{}` removed", t.name),
            ),
            Pair::Added(t) => out.push(
                Class::Additive,
                "type_added",
                format!("type `{}` added", t.name),
            ),
            Pair::Both(x, y) => match (&x.def, &y.def) {
                (TypeDef::Struct { .. }, TypeDef::Struct { .. }) => {
                    fields(out, &format!("field of `{}`", y.name), &x.def, &y.def)
                }
                (TypeDef::Enum { values: v1 }, TypeDef::Enum { values: v2 }) => {
                    for p in pair_up(v1, v2, |v| v.name.clone(), |v| v.value.to_string()) {
                        match p {
                            Pair::Removed(v) => out.push(
                                Class::Breaking,
                                "enum_value_removed",
                                format!("enum `{}`: variant `{}` removed", y.name, v.name),
                            ),
                            // Plain enums are exhaustive: a caller's match stops compiling.
                            Pair::Added(v) => out.push(
                                Class::Breaking,
                                "enum_value_added",
                                format!("enum `{}`: variant `{}` added; the enum is exhaustive, so matches on it break", y.name, v.name),
                            ),
                            Pair::Both(v, w) if v.name != w.name => out.push(
                                Class::Breaking,
                                "enum_value_renamed",
                                format!("enum `{}`: variant `{}` renamed to `{}`", y.name, v.name, w.name),
                            ),
                            Pair::Both(v, w) if v.value != w.value => out.push(
                                Class::Patch,
                                "enum_value_changed",
                                format!("enum `{}`: `{}` is {} on the wire instead of {}", y.name, w.name, w.value, v.value),
                            ),
                            Pair::Both(..) => {}
                        }
                    }
                }
                (TypeDef::Flags { flags: f1 }, TypeDef::Flags { flags: f2 }) => {
                    for p in pair_up(f1, f2, |f| f.name.clone(), |f| f.value.to_string()) {
                        match p {
                            Pair::Removed(f) => out.push(
                                Class::Breaking,
                                "flag_removed",
                                format!("flags `{}`: `{}` removed", y.name, f.name),
                            ),
                            Pair::Added(f) => out.push(
                                Class::Additive,
                                "flag_added",
                                format!("flags `{}`: `{}` added", y.name, f.name),
                            ),
                            Pair::Both(f, g) if f.name != g.name => out.push(
                                Class::Breaking,
                                "flag_renamed",
                                format!("flags `{}`: `{}` renamed to `{}`", y.name, f.name, g.name),
                            ),
                            Pair::Both(f, g) if f.value != g.value => out.push(
                                Class::Patch,
                                "flag_value_changed",
                                format!(
                                    "flags `{}`: `{}` is {:#x} instead of {:#x}",
                                    y.name, g.name, g.value, f.value
                                ),
                            ),
                            Pair::Both(..) => {}
                        }
                    }
                }
                _ => out.push(
                    Class::Breaking,
                    "type_kind_changed",
                    format!("type `{}` changed between struct, enum and flags", y.name),
                ),
            },
        }
    }
}

enum Pair<'a, T> {
    Removed(&'a T),
    Added(&'a T),
    Both(&'a T, &'a T),
}

/// Pairs old and new items by `key`; items left over on both sides that
/// share `alt` are paired too (a rename). Output follows the new order,
/// with removed items first.
fn pair_up<'a, T>(
    old: &'a [T],
    new: &'a [T],
    key: impl Fn(&T) -> String,
    alt: impl Fn(&T) -> String,
) -> Vec<Pair<'a, T>> {
    let mut old_left: Vec<Option<&T>> = old.iter().map(Some).collect();
    let mut matched: Vec<Option<&T>> = new
        .iter()
        .map(|n| {
            let k = key(n);
            let slot = old_left
                .iter_mut()
                .find(|o| o.is_some_and(|o| key(o) == k))?;
            slot.take()
        })
        .collect();
    for (i, n) in new.iter().enumerate() {
        if matched[i].is_some() {
            continue;
        }
        let a = alt(n);
        if let Some(slot) = old_left.iter_mut().find(|o| o.is_some_and(|o| alt(o) == a)) {
            matched[i] = slot.take();
        }
    }
    let mut out: Vec<Pair<'a, T>> = old_left.into_iter().flatten().map(Pair::Removed).collect();
    for (n, m) in new.iter().zip(matched) {
        out.push(match m {
            Some(o) => Pair::Both(o, n),
            None => Pair::Added(n),
        });
    }
    out
}

/// A type as a spec writes it.
fn ty_name(ty: &Ty) -> String {
    match ty {
        Ty::String => "string".into(),
        Ty::Bool => "bool".into(),
        Ty::Int(i) => i.name().into(),
        Ty::Float(f) => format!("{f:?}").to_lowercase(),
        Ty::Any => "any".into(),
        Ty::Timestamp(f) => format!("timestamp ({f:?})"),
        Ty::List(inner) => format!("list<{}>", ty_name(inner)),
        Ty::Map(inner) => format!("map<{}>", ty_name(inner)),
        Ty::Named(name, _) => name.clone(),
    }
}

fn literal(l: &loginspec_codegen::model::Literal) -> String {
    use loginspec_codegen::model::Literal;
    match l {
        Literal::Null => "null".into(),
        Literal::Bool(b) => b.to_string(),
        Literal::Int(i) => i.to_string(),
        Literal::Float(f) => f.to_string(),
        Literal::Str(s) => format!("{s:?}"),
    }
}

/// Every session rule by wire names and values, leaving docs out.
fn session_rules(s: &Session) -> String {
    let lifetime = match &s.lifetime {
        Lifetime::Unknown => "unknown".to_string(),
        Lifetime::Seconds(n) => format!("{n} s"),
        Lifetime::Response(f, unit) => format!("response `{}` ({unit:?})", f.wire),
        Lifetime::Param(f, unit) => format!("param `{}` ({unit:?})", f.wire),
    };
    // A new, dropped or changed refresh method changes how the session renews.
    let renewal = s.refresh.as_ref().map(|r| {
        format!(
            "token {} param {} rotated {}",
            r.token.wire,
            r.param.wire,
            r.rotated.is_some()
        )
    });
    let refresh = s.refresh_param.as_ref().map(|r| {
        let args: Vec<String> = r
            .args
            .iter()
            .map(|(f, arg)| match arg {
                Arg::Param(p) => format!("{}={{param: {}}}", f.wire, p.wire),
                Arg::Value(v) => format!("{}={}", f.wire, literal(v)),
            })
            .collect();
        format!(
            "{} on {} from {} {:?}",
            r.param.wire, r.on, r.field.wire, args
        )
    });
    format!(
        "key {} carry {:?} lifetime {lifetime} sliding {} margin {} refresh {refresh:?} renewal {renewal:?}",
        s.key.wire, s.carry, s.sliding, s.refresh_margin
    )
}
