//! The runtime's per-part cargo features, held to the compiler: the code
//! generated from the seed specs (XML and SOAP answers, hashes, timestamp
//! fields), compiled against a runtime built without those parts, stops
//! with messages that name each feature to turn on, and nothing else.
//!
//! The scratch crate lives under `target/semver-proof` and shares that
//! test's target folder: both check against the runtime with its default
//! features, so it is checked once for the two.

use serde_json::Value;
use std::path::Path;
use std::process::Command;

mod support;
use support::write_if_changed as write;

/// What the runtime says for each part it was built without.
const MESSAGES: [&str; 3] = [
    "this provider speaks XML or SOAP: enable the `xml` feature of loginspec-runtime",
    "enable the `hashing` feature of loginspec-runtime",
    "this provider reads timestamp fields: enable the `timestamps` feature of loginspec-runtime",
];

#[test]
fn generated_code_names_the_runtime_features_it_lacks() {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let root = workspace.join("target/semver-proof");
    let project = root.join("gates");
    let code = loginspec_codegen::Config::new(workspace.join("specs"))
        .example_tests(false)
        .pretty(false)
        .generate()
        .unwrap_or_else(|d| panic!("{d}"))
        .combined();
    write(&project.join("src/code.rs"), &code);
    write(&project.join("src/lib.rs"), "include!(\"code.rs\");\n");
    let runtime = workspace.join("runtime");
    write(
        &project.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"gates\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n\
             [dependencies]\nloginspec-runtime = {{ path = {runtime:?} }}\n\n[workspace]\n"
        ),
    );
    let lock = std::fs::read_to_string(workspace.join("Cargo.lock")).unwrap();
    write(&project.join("Cargo.lock"), &lock);

    let out = Command::new(env!("CARGO"))
        .args(["check", "--offline", "--message-format=json"])
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let errors: Vec<String> = out
        .stdout
        .split(|&b| b == b'\n')
        .filter_map(|line| serde_json::from_slice::<Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-message" && m["message"]["level"] == "error")
        .map(|m| m["message"]["message"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(
        !out.status.success() && !errors.is_empty(),
        "the seed providers compiled without their runtime parts:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for message in MESSAGES {
        assert!(
            errors.iter().any(|e| e.contains(message)),
            "no error says `{message}`: {errors:#?}"
        );
    }
    // Nothing else: the compiler stops at the gates, so a user reads no
    // unresolved paths into the missing parts.
    let others: Vec<&String> = errors
        .iter()
        .filter(|e| !MESSAGES.iter().any(|m| e.contains(m)))
        .collect();
    assert!(others.is_empty(), "errors besides the gates: {others:#?}");
}
