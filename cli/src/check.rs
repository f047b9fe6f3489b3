//! `loginspec check`: the specs are valid and, with `--out`, the checked-in
//! generated files are what `generate` would write now.

use crate::generate::{self, Options};
use crate::Failure;
use similar::TextDiff;
use std::path::Path;

pub fn run(specs: &Path, out: Option<&Path>, options: &Options) -> Result<(), Failure> {
    let expected = generate::files(specs, options)?;
    let Some(out) = out else {
        eprintln!("specs in {} are valid", specs.display());
        return Ok(());
    };
    let mut report = String::new();
    let mut stale = 0;
    for (name, want) in &expected {
        let path = out.join(name);
        let have = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(err) => {
                return Err(Failure::Other(format!(
                    "cannot read {}: {err}",
                    path.display()
                )))
            }
        };
        if &have != want {
            stale += 1;
            let shown = path.display().to_string();
            let diff = TextDiff::from_lines(have.as_str(), want.as_str());
            report.push_str(
                &diff
                    .unified_diff()
                    .context_radius(3)
                    .header(
                        &format!("{shown} (checked in)"),
                        &format!("{shown} (from the specs)"),
                    )
                    .to_string(),
            );
        }
    }
    for old in generate::previously_generated(out)? {
        if !expected.contains_key(&old) {
            stale += 1;
            report.push_str(&format!(
                "{}: generated for a provider that no longer exists\n",
                out.join(&old).display()
            ));
        }
    }
    if stale == 0 {
        eprintln!(
            "specs in {} are valid; {} is up to date",
            specs.display(),
            out.display()
        );
        return Ok(());
    }
    print!("{report}");
    eprintln!(
        "error: {stale} generated file{} in {} {} stale; run `loginspec generate --specs {} --out {}`",
        if stale == 1 { "" } else { "s" },
        out.display(),
        if stale == 1 { "is" } else { "are" },
        specs.display(),
        out.display()
    );
    Err(Failure::Check)
}
