//! Generated code is code people read: formatted, it stays within 100
//! columns wherever a line can be broken at all.

use loginspec_codegen::Config;
use std::path::Path;

/// The widest line of formatted generated code.
const WIDTH: usize = 100;

/// A line may run over only when one unbreakable run of text makes it
/// long: a URL in a doc, or an identifier (a test named after a spec
/// sample). String literals are broken by the formatter, so a line that is
/// part of one does not count as unbreakable.
fn breakable_and_too_long(line: &str) -> bool {
    let unbreakable = |word: &str| {
        word.len() >= 60
            && (word.starts_with("<http")
                || word
                    .chars()
                    .all(|c| c.is_alphanumeric() || matches!(c, '_' | '(' | ')')))
    };
    line.chars().count() > WIDTH && !line.split_whitespace().any(unbreakable)
}

#[test]
fn generated_lines_fit_in_100_columns() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut checked = 0;
    for folder in ["specs", "tests/peers/specs", "tests/corpus"] {
        let output = Config::new(root.join(folder))
            .generate()
            .unwrap_or_else(|d| panic!("{folder}: {d}"));
        for provider in &output.providers {
            let too_long: Vec<&str> = provider
                .code
                .lines()
                .filter(|line| breakable_and_too_long(line))
                .collect();
            assert!(
                too_long.is_empty(),
                "{folder}/{}: {} lines over {WIDTH} columns:\n{}",
                provider.name,
                too_long.len(),
                too_long.join("\n")
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} providers generated");
}
