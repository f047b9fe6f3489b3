//! `loginspec diff`: what changed for users of the generated crate between
//! two versions of the specs, compared on the checked model.
//!
//! Each change gets one of three classes:
//!
//! * **breaking**: code that compiled against the old generated crate may
//!   not compile, or may silently mean something else, against the new one
//!   (an item removed or renamed, a type changed, `new(..)` taking other
//!   arguments, a field added to a shared struct that requests hold, which
//!   users build with a struct literal, a `PartialEq`/`Eq` derive lost);
//! * **additive**: new API that old code does not see (a method, an optional
//!   parameter with its setter, a response field, an enum value, an error
//!   variant). Request, response and read-only shared structs are
//!   `#[non_exhaustive]` (users build requests with `new`, `..Args` and
//!   setters, and read answers field by field), and enums and error enums
//!   are `#[non_exhaustive]` with a catch-all (`Unknown(raw)`, `Unknown`),
//!   so a new value that used to land there gets its own variant;
//! * **patch**: the Rust API is unchanged but the wire or the behaviour is
//!   not (a wire name, a code number, a default value, an error's class, the
//!   base URL, the protocol, constants, client-side checks).
//!
//! `cli/tests/semver_proof.rs` holds these rules to the compiler: user code
//! written against the old generated crate must compile against the new one
//! exactly when no change is breaking. The suggested bump is the largest
//! class: breaking → major, additive → minor, patch → patch.

use crate::{Failure, Format};
use loginspec_codegen::model::{
    types_in_params, Arg, Binding, Comparable, ErrorVariant, Field, Lifetime, Method,
    MethodSession, Model, NamedType, Presence, Provider, Session, Ty, TypeDef, ValueSource,
};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
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

mod bindings;
mod compare;
mod members;

pub use compare::compare;
