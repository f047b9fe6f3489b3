//! The generator's output depends on the spec texts only: not on the run,
//! not on where the specs live, not on the order files were created in.

use loginspec_codegen::{Config, GeneratedProvider};
use loginspec_tests::specs::{real_specs, sorted_entries};
use std::path::{Path, PathBuf};

fn generate(specs: &Path) -> Vec<GeneratedProvider> {
    match Config::new(specs).generate() {
        Ok(output) => output.providers,
        Err(diags) => panic!("generating {} failed:\n{diags}", specs.display()),
    }
}

/// One spec file, read into memory.
struct SpecFile {
    name: String,
    bytes: Vec<u8>,
}

/// One provider folder and its spec files.
struct ProviderFolder {
    name: String,
    files: Vec<SpecFile>,
}

/// The file or folder name at the end of `path`.
fn name_of(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

/// Every provider folder of `from`, with its files sorted by name.
fn spec_files(from: &Path) -> Vec<ProviderFolder> {
    sorted_entries(from, Path::is_dir)
        .into_iter()
        .map(|dir| ProviderFolder {
            name: name_of(&dir),
            files: sorted_entries(&dir, Path::is_file)
                .into_iter()
                .map(|f| SpecFile {
                    name: name_of(&f),
                    bytes: std::fs::read(&f).unwrap(),
                })
                .collect(),
        })
        .collect()
}

/// Writes the specs into `<tmp>/specs`, creating folders and files in the
/// given order (or the reverse).
fn copy_specs(from: &Path, reverse: bool) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let specs = tmp.path().join("specs");
    std::fs::create_dir(&specs).unwrap();
    let mut providers = spec_files(from);
    if reverse {
        providers.reverse();
    }
    for ProviderFolder { name, mut files } in providers {
        let dir = specs.join(&name);
        std::fs::create_dir(&dir).unwrap();
        if reverse {
            files.reverse();
        }
        for SpecFile { name, bytes } in files {
            std::fs::write(dir.join(name), bytes).unwrap();
        }
    }
    (tmp, specs)
}

#[track_caller]
fn assert_same(a: &[GeneratedProvider], b: &[GeneratedProvider], what: &str) {
    let names = |ps: &[GeneratedProvider]| ps.iter().map(|p| p.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(a), names(b), "{what}: provider lists differ");
    for (x, y) in a.iter().zip(b) {
        if x.code != y.code {
            let line = x
                .code
                .lines()
                .zip(y.code.lines())
                .position(|(l, r)| l != r)
                .map_or(x.code.lines().count().min(y.code.lines().count()), |i| i);
            panic!(
                "{what}: code of `{}` differs, first at line {}:\n  left:  {:?}\n  right: {:?}",
                x.name,
                line + 1,
                x.code.lines().nth(line),
                y.code.lines().nth(line)
            );
        }
        assert_eq!(
            x.sources, y.sources,
            "{what}: sources of `{}` differ",
            x.name
        );
    }
}

#[test]
fn real_specs_generate_every_provider() {
    let out = generate(&real_specs());
    let names: Vec<&str> = out.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["aktion", "aukro", "erply", "wialon"]);
    for p in &out {
        assert!(!p.code.trim().is_empty(), "`{}` generated no code", p.name);
        assert!(
            p.sources
                .iter()
                .all(|s| s.starts_with(&format!("specs/{}/", p.name))),
            "sources of `{}` are not relative to the specs folder's parent: {:?}",
            p.name,
            p.sources
        );
    }
}

#[test]
fn generating_twice_is_byte_identical() {
    let first = generate(&real_specs());
    let second = generate(&real_specs());
    assert_same(&first, &second, "second run");
    let combined = |ps: Vec<GeneratedProvider>| {
        loginspec_codegen::Output {
            providers: ps,
            inputs: Vec::new(),
        }
        .combined()
    };
    assert_eq!(combined(first), combined(second));
}

#[test]
fn output_does_not_depend_on_where_the_specs_live() {
    let original = generate(&real_specs());
    let (_tmp, copy) = copy_specs(&real_specs(), false);
    assert_same(&original, &generate(&copy), "copy in a temporary folder");
    // And a second copy elsewhere, generated from a relative-looking path.
    let (_tmp2, copy2) = copy_specs(&real_specs(), false);
    assert_same(&original, &generate(&copy2), "second copy");
}

#[test]
fn output_does_not_depend_on_file_creation_order() {
    let original = generate(&real_specs());
    let (_tmp, reversed) = copy_specs(&real_specs(), true);
    assert_same(
        &original,
        &generate(&reversed),
        "files created in reverse order",
    );
}

#[test]
fn generated_code_contains_no_machine_paths() {
    let (tmp, copy) = copy_specs(&real_specs(), false);
    let tmp_path = tmp.path().to_string_lossy().into_owned();
    let real = real_specs().canonicalize().unwrap();
    let real_parent = real.parent().unwrap().to_string_lossy().into_owned();
    let home = std::env::var("HOME").ok().filter(|h| h.len() > 1);
    for specs in [real_specs(), copy] {
        for p in generate(&specs) {
            for needle in ["/work/", "/tmp/", "/home/", "/root/", "/Users/", "C:\\"]
                .iter()
                .map(|s| s.to_string())
                .chain([tmp_path.clone(), real_parent.clone()])
                .chain(home.clone())
            {
                if let Some(i) = p.code.find(&needle) {
                    let line = p.code[..i].lines().count();
                    panic!(
                        "generated code of `{}` contains the machine path {needle:?} at line {line}: {:?}",
                        p.name,
                        p.code.lines().nth(line.saturating_sub(1))
                    );
                }
            }
        }
    }
}

#[test]
fn generating_a_subset_gives_the_same_code_per_provider() {
    let all = generate(&real_specs());
    for p in &all {
        let only = Config::new(real_specs())
            .providers([p.name.clone()])
            .generate()
            .unwrap_or_else(|d| panic!("{d}"));
        assert_eq!(only.providers.len(), 1);
        assert_same(std::slice::from_ref(p), &only.providers, "generated alone");
    }
}
