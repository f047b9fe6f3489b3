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
        Ok(_) => return Err(folder_error(shown_as, "it is not a folder".into())),
        Err(err) => return Err(folder_error(shown_as, err.to_string())),
    };
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
        return Err(folder_error(shown_as, "it holds no provider".into()));
    };
    Ok(Inline {
        name: p.name.clone(),
        tokens: emit::provider(p, options),
        inputs: files.into_iter().flat_map(|f| f.paths).collect(),
    })
}

fn folder_error(shown_as: &str, reason: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic {
        file: shown_as.to_string(),
        path: Vec::new(),
        pos: None,
        message: format!("cannot read the provider folder `{shown_as}`: {reason}"),
        hint: Some(
            "the path is relative to the folder of the crate's Cargo.toml \
             and names one provider folder (the one with provider.yaml)"
                .into(),
        ),
        line_text: None,
    }])
}
