//! `loginspec diff` and values bound at several places (`also`, a method's
//! own `carry`): a spec compared with itself has no changes, although one
//! parameter has bindings at several locations.

use std::process::Command;

#[test]
fn a_value_at_several_places_is_not_a_move() {
    let specs = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/peers/specs");
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["diff", "--format", "json", specs, specs])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["changes"], serde_json::json!([]), "{report}");
    assert_eq!(report["bump"], "none");
}
