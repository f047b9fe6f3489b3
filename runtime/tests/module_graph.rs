//! The runtime's top-level modules import each other without cycles: what
//! two modules both need lives in the one it belongs to (the `Request`
//! trait in `encode`, `Retry-After` parsing in `retry`).
//!
//! Reads `src/`: a file `src/a.rs` or `src/a/...` is module `a`, and a
//! `crate::b` path in its code (not in comments, not after its `mod tests`)
//! is an edge `a -> b`. Items named through the crate root (`crate::Secret`)
//! would hide an edge, so code names them by module (`crate::secret::Secret`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module names after `crate::` in one line of code.
fn targets(line: &str, out: &mut BTreeSet<String>) {
    let mut rest = line;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
            let end = group.find('}').unwrap_or(group.len());
            group[..end].split(',').collect()
        } else {
            vec![rest]
        };
        for name in names {
            let name: String = name
                .trim()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let module_of = |path: &Path| -> String {
        let relative = path.strip_prefix(&src).expect("under src");
        let first = relative.components().next().expect("a component");
        let name = first.as_os_str().to_string_lossy();
        name.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = all.iter().map(|p| module_of(p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &all {
        let name = path.file_name().unwrap().to_string_lossy();
        // Tests may use anything; only library code must form no cycle.
        if name == "tests.rs" || name.ends_with("_tests.rs") || name == "no_panic.rs" {
            continue;
        }
        if path.components().any(|c| c.as_os_str() == "tests") {
            continue;
        }
        let from = module_of(path);
        let text = std::fs::read_to_string(path).expect("read a source file");
        let mut to = BTreeSet::new();
        for line in text.lines() {
            if line.trim_start() == "mod tests {" {
                break;
            }
            let code = line.split("//").next().unwrap_or("");
            targets(code, &mut to);
        }
        let edges = graph.entry(from.clone()).or_default();
        for target in to {
            assert!(
                modules.contains(&target) || target.starts_with("__loginspec_"),
                "{} names `crate::{target}`: name items by their module",
                path.display()
            );
            if target != from && modules.contains(&target) {
                edges.insert(target);
            }
        }
    }
    graph
}

#[test]
fn runtime_modules_import_each_other_without_cycles() {
    let graph = graph();
    // Depth-first search; `path` is the chain being walked.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            panic!("import cycle: {}", cycle.join(" -> "));
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
    assert!(graph["transport"].contains("encode"), "the walk sees edges");
}
