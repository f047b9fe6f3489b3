//! `loginspec schema`: JSON Schemas of the two spec file kinds, derived from
//! the serde types in `loginspec_codegen::spec`, so they cannot drift from
//! what the parser accepts.
//!
//! Draft 7, because that is the draft yaml-language-server understands best.
//! The checked-in copies in `docs/schema/` are refreshed with
//! `cargo run -p loginspec-cli -- schema --out-dir docs/schema`.

use crate::Failure;
use loginspec_codegen::spec::{MethodSpec, ProviderSpec};
use schemars::generate::SchemaSettings;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// `provider.yaml`.
    Provider,
    /// Every other `*.yaml` in a provider folder.
    Method,
}

impl Kind {
    pub const ALL: [Kind; 2] = [Kind::Provider, Kind::Method];

    /// File name of the schema in `--out-dir`.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Provider => "provider.schema.json",
            Kind::Method => "method.schema.json",
        }
    }
}

/// The schema as pretty JSON with a final newline.
pub fn text(kind: Kind) -> String {
    let generator = SchemaSettings::draft07().into_generator();
    let (mut schema, title) = match kind {
        Kind::Provider => (
            generator.into_root_schema_for::<ProviderSpec>(),
            "loginspec provider.yaml",
        ),
        Kind::Method => (
            generator.into_root_schema_for::<MethodSpec>(),
            "loginspec method file",
        ),
    };
    schema.insert("title".into(), title.into());
    // Serializing a JSON value cannot fail; fall back to the compact form anyway.
    let mut out =
        serde_json::to_string_pretty(&schema).unwrap_or_else(|_| schema.to_value().to_string());
    out.push('\n');
    out
}

pub fn run(kind: Option<Kind>, out_dir: Option<&Path>) -> Result<(), Failure> {
    match (kind, out_dir) {
        (Some(kind), None) => {
            print!("{}", text(kind));
            Ok(())
        }
        (None, Some(dir)) => {
            std::fs::create_dir_all(dir)
                .map_err(|err| Failure::Other(format!("cannot create {}: {err}", dir.display())))?;
            for kind in Kind::ALL {
                let path = dir.join(kind.file_name());
                std::fs::write(&path, text(kind)).map_err(|err| {
                    Failure::Other(format!("cannot write {}: {err}", path.display()))
                })?;
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
        _ => Err(Failure::Other(
            "name a schema (`provider` or `method`) or give --out-dir".into(),
        )),
    }
}
