//! One provider folder straight to tokens, for code generated inline in the
//! calling crate (the `loginspec::client!` proc-macro).
//!
//! It runs the same stages as [`crate::Config`] (load, check, emit) on a
//! single provider folder, and stops before prettyplease: a macro hands
//! tokens to the compiler, so formatting would only cost time.

use crate::check;
use crate::diag::{Ctxt, Diagnostic, Diagnostics, Source};
use crate::emit::{self, EmitOptions};
use crate::load;
use proc_macro2::TokenStream;
use std::path::{Path, PathBuf};

/// The code of one provider and the files it was made from.
#[derive(Debug, Clone)]
pub struct Inline {
    /// Module name of the provider.
    pub name: String,
    /// The `pub mod <name> { ... }` item, token for token what
    /// [`crate::Config`] formats for the same folder and options.
    pub tokens: TokenStream,
    /// Every file read, as absolute paths (for rebuild tracking).
    pub inputs: Vec<PathBuf>,
}

/// Loads, checks and emits the provider folder `dir`.
///
/// `shown_as` is how messages name that folder, e.g. `specs/acme` for the
/// path a user wrote; diagnostics then name `specs/acme/login.yaml`. Every
/// problem is returned, never a panic, including a `dir` that is missing or
/// is not a folder.
pub fn provider(dir: &Path, shown_as: &str, options: &EmitOptions) -> Result<Inline, Diagnostics> {
    let shown_as = shown_as.trim_end_matches('/');
    // Resolving `..` and links gives the folder its real name, which must
    // equal the `provider` key, and absolute paths to track.
    let dir = match dir.canonicalize() {
        Ok(dir) if dir.is_dir() => dir,
        Ok(_) => return Err(folder_error(shown_as, "it is not a folder")),
        Err(err) => return Err(folder_error(shown_as, &err.to_string())),
    };
    // A whole specs folder is a likely mistake; name a provider in it.
    if !dir.join("provider.yaml").exists() {
        if let Some(provider) = first_provider_in(&dir) {
            return Err(diagnostic(
                shown_as,
                format!("`{shown_as}` holds provider folders but is not one itself"),
                format!(
                    "the macro takes one provider folder, such as `{shown_as}/{provider}`; \
                     call it once per provider"
                ),
            ));
        }
    }
    // Messages name files as `<shown_as without its last part>/<folder>/<file>`.
    let root = shown_as.rsplit_once('/').map_or("", |(root, _)| root);
    let mut cx = Ctxt::default();
    let files: Vec<load::ProviderFiles> = load::load_provider(&dir, root, &mut cx)
        .into_iter()
        .collect();
    let model = check::check(&files, &mut cx);
    if cx.has_errors() {
        let sources: Vec<Source> = files
            .iter()
            .flat_map(|f| std::iter::once(f.provider.clone()).chain(f.methods.iter().cloned()))
            .collect();
        return Err(cx.finish(&sources));
    }
    let Some(p) = model.providers.first() else {
        // load_provider reports why it returned nothing; this is a fallback.
        return Err(folder_error(shown_as, "it holds no provider"));
    };
    Ok(Inline {
        name: p.name.clone(),
        tokens: emit::provider(p, options),
        inputs: files.into_iter().flat_map(|f| f.paths).collect(),
    })
}

/// The first sub-folder (by name) that holds a provider.yaml.
fn first_provider_in(dir: &Path) -> Option<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.path().join("provider.yaml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names.into_iter().next()
}

fn folder_error(shown_as: &str, reason: &str) -> Diagnostics {
    diagnostic(
        shown_as,
        format!("cannot read the provider folder `{shown_as}`: {reason}"),
        "the path is relative to the folder of the crate's Cargo.toml \
         and names one provider folder (the one with provider.yaml)"
            .into(),
    )
}

fn diagnostic(shown_as: &str, message: String, hint: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: shown_as.to_string(),
        path: Vec::new(),
        pos: None,
        message,
        hint: Some(hint),
        line_text: None,
    }])
}
