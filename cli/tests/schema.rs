//! The JSON Schemas stay in step with the spec format: the checked-in copies
//! equal `loginspec schema`, every repository spec validates against them,
//! and their keys are the keys docs/spec-format.md documents.
//!
//! After a change to the spec types, refresh the copies with
//! `cargo run -p loginspec-cli -- schema --out-dir docs/schema`.

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn schema_output(kind: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_loginspec"))
        .args(["schema", kind])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).unwrap()
}

fn schema(kind: &str) -> Value {
    serde_json::from_str(&schema_output(kind)).unwrap()
}

#[test]
fn checked_in_schemas_equal_the_command_output() {
    for kind in ["provider", "method"] {
        let path = repo().join(format!("docs/schema/{kind}.schema.json"));
        let checked_in = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            checked_in == schema_output(kind),
            "{} is stale; run `cargo run -p loginspec-cli -- schema --out-dir docs/schema`",
            path.display()
        );
    }
}

/// A validator for the part of JSON Schema draft 7 that schemars emits.
/// Errors name the instance path, like `/params/0/type`.
fn validate(root: &Value, schema: &Value, value: &Value, at: &str, errors: &mut Vec<String>) {
    let Some(schema) = schema.as_object() else {
        if schema == &Value::Bool(false) {
            errors.push(format!("{at}: not allowed"));
        }
        return;
    };
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let name = reference
            .strip_prefix("#/definitions/")
            .expect("local $ref");
        validate(root, &root["definitions"][name], value, at, errors);
    }
    if let Some(types) = schema.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            other => panic!("unexpected type keyword {other}"),
        };
        let fits = types.iter().any(|t| match *t {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "null" => value.is_null(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            other => panic!("unexpected type {other}"),
        });
        if !fits {
            errors.push(format!("{at}: {value} is not {}", types.join(" or ")));
            return;
        }
    }
    if let (Some(min), Some(n)) = (
        schema.get("minimum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n < min {
            errors.push(format!("{at}: {n} is below {min}"));
        }
    }
    if let (Some(max), Some(n)) = (
        schema.get("maximum").and_then(Value::as_f64),
        value.as_f64(),
    ) {
        if n > max {
            errors.push(format!("{at}: {n} is above {max}"));
        }
    }
    for key in ["enum"] {
        if let Some(allowed) = schema.get(key).and_then(Value::as_array) {
            if !allowed.contains(value) {
                errors.push(format!("{at}: {value} is not one of {allowed:?}"));
            }
        }
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for s in all {
            validate(root, s, value, at, errors);
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = schema.get(key).and_then(Value::as_array) {
            let passing = options
                .iter()
                .filter(|s| {
                    let mut e = Vec::new();
                    validate(root, s, value, at, &mut e);
                    e.is_empty()
                })
                .count();
            if passing == 0 || (key == "oneOf" && passing > 1) {
                errors.push(format!(
                    "{at}: {value} matches {passing} of the {key} options"
                ));
            }
        }
    }
    if let Some(object) = value.as_object() {
        let properties = schema.get("properties").and_then(Value::as_object);
        for required in schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = required.as_str().unwrap();
            if !object.contains_key(name) {
                errors.push(format!("{at}: missing `{name}`"));
            }
        }
        for (key, item) in object {
            let path = format!("{at}/{key}");
            match properties.and_then(|p| p.get(key)) {
                Some(s) => validate(root, s, item, &path, errors),
                None => match schema.get("additionalProperties") {
                    Some(Value::Bool(false)) => errors.push(format!("{path}: unknown key")),
                    Some(s) => validate(root, s, item, &path, errors),
                    None => {}
                },
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, item) in array.iter().enumerate() {
            validate(root, items, item, &format!("{at}/{i}"), errors);
        }
    }
}

fn errors_for(kind: &str, yaml: &str) -> Vec<String> {
    let value: Value = loginspec_codegen::yaml::parse(yaml).unwrap();
    let schema = schema(kind);
    let mut errors = Vec::new();
    validate(&schema, &schema, &value, "", &mut errors);
    errors
}

#[test]
fn every_repository_spec_validates_and_names_its_schema() {
    let mut checked = 0;
    let mut providers: Vec<PathBuf> = std::fs::read_dir(repo().join("specs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    providers.sort();
    for dir in providers {
        for file in std::fs::read_dir(&dir).unwrap() {
            let file = file.unwrap().path();
            let text = std::fs::read_to_string(&file).unwrap();
            let kind = if file.ends_with("provider.yaml") {
                "provider"
            } else {
                "method"
            };
            let first = text.lines().next().unwrap_or_default();
            assert_eq!(
                first,
                format!("# yaml-language-server: $schema=../../docs/schema/{kind}.schema.json"),
                "first line of {}",
                file.display()
            );
            assert_eq!(
                errors_for(kind, &text),
                Vec::<String>::new(),
                "{}",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked >= 9, "only {checked} spec files found");
}

#[test]
fn the_validator_rejects_what_the_parser_rejects() {
    let method = "method: login\ndoc: Logs in.\nparams:\n  - name: user\n    type: string\n    doc: U.\n    requird: false\nresponse:\n  fields: []\nerrors:\n  - code: [1]\n    name: X\n    doc: X.\n";
    assert_eq!(
        errors_for("method", method),
        [
            "/params/0/requird: unknown key",
            "/errors/0/code: [1] matches 0 of the anyOf options",
        ]
    );
    let provider = "provider: acme\ntitle: A\nbase_url: https://a.test/\nprotocol:\n  encodings: json\n  method_name: {path: true}\ntypes:\n  T:\n    flags:\n      - name: A\n        value: -1\n        doc: A.\n";
    assert_eq!(
        errors_for("provider", provider),
        [
            "/protocol/encodings: \"json\" is not array",
            "/types/T/flags/0/value: -1 is below 0",
        ]
    );
}

/// Every property name anywhere in a schema.
fn property_names(schema: &Value, out: &mut BTreeSet<String>) {
    match schema {
        Value::Object(map) => {
            for (key, value) in map {
                if key == "properties" {
                    for (name, sub) in value.as_object().unwrap() {
                        out.insert(name.clone());
                        property_names(sub, out);
                    }
                } else {
                    property_names(value, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|i| property_names(i, out)),
        _ => {}
    }
}

#[test]
fn schema_keys_are_the_documented_keys() {
    let mut in_schema = BTreeSet::new();
    property_names(&schema("provider"), &mut in_schema);
    property_names(&schema("method"), &mut in_schema);
    let reference = std::fs::read_to_string(repo().join("docs/spec-format.md")).unwrap();

    // Every key of a `| Key |` table in the reference is in the schema.
    let mut in_tables = BTreeSet::new();
    let mut in_table = false;
    for line in reference.lines() {
        if line.starts_with("| Key ") {
            in_table = true;
            continue;
        }
        in_table &= line.starts_with('|');
        if let Some(key) = line
            .strip_prefix("| `")
            .and_then(|rest| rest.split('`').next())
            .filter(|_| in_table)
        {
            in_tables.insert(key.to_string());
        }
    }
    assert!(
        in_tables.len() > 40,
        "only {} keys found in tables",
        in_tables.len()
    );
    let undocumented_in_schema: Vec<&String> = in_tables.difference(&in_schema).collect();
    assert!(
        undocumented_in_schema.is_empty(),
        "documented but missing from the schema: {undocumented_in_schema:?}"
    );

    // And every schema key is documented somewhere in the reference.
    let missing: Vec<&String> = in_schema
        .iter()
        .filter(|k| {
            !reference.contains(&format!("`{k}`")) && !reference.contains(&format!("`{k}:"))
        })
        .collect();
    assert!(
        missing.is_empty(),
        "in the schema but not in docs/spec-format.md: {missing:?}"
    );
}

/// The `enum` list at `pointer` in a schema, without the `null` that
/// optional keys allow.
fn enum_at(schema: &Value, pointer: &str) -> Vec<String> {
    schema
        .pointer(pointer)
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no enum at {pointer}"))
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[test]
fn value_lists_in_the_schema_are_the_checker_s() {
    use loginspec_codegen::check::{
        ENCODINGS, ERROR_CLASSES, LOCATIONS, PARAM_LOCATIONS, TIME_FORMATS, TRANSFORMS,
        V1_ENCODINGS, VERBS,
    };
    let provider = schema("provider");
    let lists = [
        (
            "/definitions/ProtocolSpec/properties/encodings/items/enum",
            V1_ENCODINGS,
        ),
        (
            "/definitions/RequestSpec/properties/encodings/items/enum",
            ENCODINGS,
        ),
        ("/definitions/RequestSpec/properties/http/enum", VERBS),
        ("/definitions/LocationSpec/properties/in/enum", LOCATIONS),
        ("/definitions/FieldSpec/properties/in/enum", PARAM_LOCATIONS),
        (
            "/definitions/ErrorRuleSpec/properties/code_type/enum",
            &["int", "string"],
        ),
        (
            "/definitions/ErrorSpec/properties/class/enum",
            ERROR_CLASSES,
        ),
        ("/definitions/FormatName/enum", TIME_FORMATS),
        (
            "/definitions/FieldSpec/properties/transform/enum",
            TRANSFORMS,
        ),
    ];
    for (pointer, expected) in lists {
        assert_eq!(enum_at(&provider, pointer), expected, "{pointer}");
    }
}
