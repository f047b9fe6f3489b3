//! Finds the spec files of each provider and reads them.
//!
//! A specs folder holds one folder per provider; each has `provider.yaml`
//! and one `*.yaml` file per method. Order is by name, so output does not
//! depend on the file system.

use crate::diag::{Ctxt, Source};
use std::path::{Path, PathBuf};

/// The files of one provider folder.
#[derive(Debug, Clone)]
pub struct ProviderFiles {
    /// Folder name, which must equal the `provider` key.
    pub dir_name: String,
    pub provider: Source,
    pub methods: Vec<Source>,
    /// Paths on disk, for build scripts to watch.
    pub paths: Vec<PathBuf>,
}

/// Reads every provider folder below `specs_dir`.
pub fn load_dir(specs_dir: &Path, cx: &mut Ctxt) -> Vec<ProviderFiles> {
    let root_name = specs_dir
        .file_name()
        .map_or_else(|| "specs".to_string(), |n| n.to_string_lossy().into_owned());
    let root = Source {
        file: root_name.clone(),
        text: String::new(),
    };
    let mut dirs = match sorted_entries(specs_dir) {
        Ok(entries) => entries
            .into_iter()
            .filter(|p| p.is_dir())
            .collect::<Vec<_>>(),
        Err(err) => {
            cx.error(
                &root,
                &[],
                format!(
                    "cannot read the specs folder {}: {err}",
                    specs_dir.display()
                ),
                None,
            );
            return Vec::new();
        }
    };
    dirs.retain(|d| {
        d.file_name()
            .is_some_and(|n| !n.to_string_lossy().starts_with('.'))
    });
    if dirs.is_empty() {
        cx.error(
            &root,
            &[],
            format!("no provider folders in {}", specs_dir.display()),
            Some("create one folder per provider with a provider.yaml inside".into()),
        );
    }
    dirs.iter()
        .filter_map(|dir| load_provider(dir, &root_name, cx))
        .collect()
}

/// Reads one provider folder.
pub fn load_provider(dir: &Path, root_name: &str, cx: &mut Ctxt) -> Option<ProviderFiles> {
    let dir_name = dir.file_name()?.to_string_lossy().into_owned();
    let display = |file: &str| {
        if root_name.is_empty() {
            format!("{dir_name}/{file}")
        } else {
            format!("{root_name}/{dir_name}/{file}")
        }
    };
    let provider_path = dir.join("provider.yaml");
    let provider = match std::fs::read_to_string(&provider_path) {
        Ok(text) => Source {
            file: display("provider.yaml"),
            text,
        },
        Err(err) => {
            let source = Source {
                file: display("provider.yaml"),
                text: String::new(),
            };
            cx.error(
                &source,
                &[],
                // The location already names the file; a full path would
                // make messages differ between machines.
                format!("cannot read provider.yaml: {err}"),
                Some("every provider folder needs a provider.yaml".into()),
            );
            return None;
        }
    };
    let mut paths = vec![provider_path];
    let mut methods = Vec::new();
    let entries = match sorted_entries(dir) {
        Ok(entries) => entries,
        Err(err) => {
            cx.error(
                &provider,
                &[],
                format!("cannot list {}: {err}", dir.display()),
                None,
            );
            return None;
        }
    };
    for path in entries {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let is_yaml = name.ends_with(".yaml") || name.ends_with(".yml");
        if !is_yaml || name == "provider.yaml" || !path.is_file() {
            continue;
        }
        match std::fs::read_to_string(&path) {
            Ok(text) => methods.push(Source {
                file: display(&name),
                text,
            }),
            Err(err) => {
                let source = Source {
                    file: display(&name),
                    text: String::new(),
                };
                cx.error(&source, &[], format!("cannot read {name}: {err}"), None);
            }
        }
        paths.push(path);
    }
    Some(ProviderFiles {
        dir_name,
        provider,
        methods,
        paths,
    })
}

fn sorted_entries(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut entries = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    entries.sort();
    Ok(entries)
}
