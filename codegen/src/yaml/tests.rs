use super::*;

const DOC: &str = "a: 1\nlist:\n  - name: x\n    type: string\n  - name: y\n    type: u8\nmap:\n  K:\n    doc: hi\n";

fn key(k: &str) -> Seg {
    Seg::Key(k.into())
}

fn pos(line: usize, col: usize) -> Option<Pos> {
    Some(Pos { line, col })
}

#[test]
fn locates_keys_and_indexes() {
    assert_eq!(locate(DOC, &[key("a")]), pos(1, 4));
    assert_eq!(
        locate(DOC, &[key("list"), Seg::Index(1), key("type")]),
        pos(6, 11)
    );
    assert_eq!(locate(DOC, &[key("map"), key("K"), key("doc")]), pos(9, 10));
    // A block mapping is where its first key is.
    assert_eq!(locate(DOC, &[key("list"), Seg::Index(0)]), pos(3, 5));
    assert_eq!(locate(DOC, &[]), pos(1, 1));
}

#[test]
fn columns_count_characters() {
    assert_eq!(locate("äö: ü\nb: x\n", &[key("b")]), pos(2, 4));
    assert_eq!(locate("äö: ü\nb: x\n", &[key("äö")]), pos(1, 5));
}

#[test]
fn repeated_keys_are_told_apart() {
    let doc = "m:\n  X: 1\n  Y: 2\n  X: 3\n";
    let nth = |n| locate(doc, &[key("m"), Seg::Repeated("X".into(), n)]);
    assert_eq!(nth(0), pos(2, 6));
    assert_eq!(nth(1), pos(4, 6));
}

#[test]
fn missing_path_falls_back_to_parent() {
    assert_eq!(
        locate(DOC, &[key("list"), Seg::Index(0), key("nope")]),
        pos(3, 5)
    );
    // A block sequence is where its first `-` is.
    assert_eq!(locate(DOC, &[key("list"), Seg::Index(7)]), pos(3, 3));
}

#[test]
fn an_empty_value_is_shown_at_its_key() {
    let p = locate("a: 1\nb:\nc: 2\n", &[key("b")]).unwrap();
    assert_eq!(p.line, 2, "{p:?}");
}

// The parser options, each as a spec author would meet it.

use crate::spec::{Entries, Literal};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Doc {
    #[serde(default)]
    flag: Option<bool>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    consts: Entries<Literal>,
    #[serde(default)]
    status: Option<u16>,
}

fn doc(src: &str) -> Result<Doc, ParseError> {
    parse(src)
}

#[test]
fn booleans_are_yaml_1_2() {
    assert_eq!(doc("flag: true\n").unwrap().flag, Some(true));
    for word in ["yes", "on", "y", "\"yes\""] {
        let err = doc(&format!("flag: {word}\n")).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::WrongType, "{word}: {err:?}");
        assert_eq!(err.pos, pos(1, 7));
        assert_eq!(err.path, vec![key("flag")]);
        assert_eq!(
            err.message,
            format!(
                "invalid type: string {:?}, expected a boolean",
                word.trim_matches('"')
            )
        );
    }
    // Where a string is wanted, `yes` is the word.
    assert_eq!(doc("name: yes\n").unwrap().name.as_deref(), Some("yes"));
}

#[test]
fn repeated_keys_reach_entries() {
    let d = doc("consts:\n  X: 1\n  X: 2\n").unwrap();
    assert_eq!(
        d.consts.0,
        vec![("X".into(), Literal::Int(1)), ("X".into(), Literal::Int(2))]
    );
}

#[test]
fn non_finite_numbers_reach_check() {
    let d = doc("consts:\n  X: .inf\n  Y: -.inf\n").unwrap();
    assert_eq!(d.consts.0[0].1, Literal::Float(f64::INFINITY));
    assert_eq!(d.consts.0[1].1, Literal::Float(f64::NEG_INFINITY));
}

#[test]
fn merge_keys_are_refused() {
    let err = parse::<Entries<Entries<i64>>>("a: &c\n  X: 1\nb:\n  <<: *c\n").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::Syntax, "{err:?}");
    assert!(err.message.contains("merge"), "{err:?}");
    assert_eq!(err.pos.map(|p| p.line), Some(4), "{err:?}");
}

#[test]
fn unknown_tags_are_refused() {
    let err = doc("name: !secret x\n").unwrap_err();
    assert_eq!(err.pos.map(|p| p.line), Some(1), "{err:?}");
    assert!(err.message.contains("tag"), "{err:?}");
}

#[test]
fn numbers_with_leading_zeros_or_underscores_stay_text() {
    let d = doc("consts:\n  A: 017\n  B: 1_000\n  C: 17\n  D: 0x1F\n").unwrap();
    let values: Vec<_> = d.consts.0.into_iter().map(|(_, v)| v).collect();
    assert_eq!(
        values,
        vec![
            Literal::Str("017".into()),
            Literal::Str("1_000".into()),
            Literal::Int(17),
            Literal::Int(31),
        ]
    );
}

#[test]
fn unknown_keys_are_named_in_the_error() {
    let err = doc("flag: true\nnmae: x\n").unwrap_err();
    assert_eq!(
        err.kind,
        ParseErrorKind::UnknownField {
            field: "nmae".into(),
            expected: vec![
                "flag".into(),
                "name".into(),
                "consts".into(),
                "status".into()
            ],
        }
    );
    assert_eq!(
        err.message,
        "unknown field `nmae`, expected one of `flag`, `name`, `consts`, `status`"
    );
    assert!(err.path.is_empty(), "{err:?}");
    assert_eq!(err.pos, pos(2, 1));
}

#[test]
fn deep_nesting_is_refused_at_the_limit() {
    for (src, line) in [
        (
            format!(
                "consts:\n  X: {}1{}\n",
                "[".repeat(100_000),
                "]".repeat(100_000)
            ),
            2,
        ),
        (format!("consts:\n  X: {}1\n", "{a: ".repeat(5000)), 2),
        (format!("consts:\n  X:\n    {}x\n", "- ".repeat(100_000)), 3),
    ] {
        let err = doc(&src).unwrap_err();
        assert_eq!(err.kind, ParseErrorKind::TooDeep, "{err:?}");
        assert_eq!(err.pos.map(|p| p.line), Some(line), "{err:?}");
    }
    // 64 levels are fine (the root map and `consts` are two of them).
    let src = format!("consts:\n  X: {}1{}\n", "[".repeat(62), "]".repeat(62));
    let err = doc(&src).unwrap_err();
    assert_ne!(err.kind, ParseErrorKind::TooDeep, "{err:?}");
}

#[test]
fn alias_bombs_are_refused() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        src.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = parse::<Entries<IgnoredAny>>(&src).unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::TooLarge, "{err:?}");
    assert!(err.pos.is_some(), "{err:?}");
}

#[test]
fn numbers_may_be_quoted_where_a_number_is_wanted() {
    assert_eq!(doc("status: \"404\"\n").unwrap().status, Some(404));
    let err = doc("status: 70000\n").unwrap_err();
    assert_eq!(err.message, "invalid value: integer `70000`, expected u16");
    let err = doc("status: teapot\n").unwrap_err();
    assert_eq!(err.message, "invalid type: string \"teapot\", expected u16");
}

#[test]
fn empty_values_are_not_strings() {
    #[derive(Debug, Deserialize)]
    struct Named {
        #[allow(dead_code)]
        name: String,
    }
    let err = parse::<Named>("name:\n").unwrap_err();
    assert_eq!(err.kind, ParseErrorKind::WrongType, "{err:?}");
    assert_eq!(err.message, "invalid type: null, expected a string");
    assert_eq!(err.pos.map(|p| p.line), Some(1), "{err:?}");
}

#[test]
fn several_documents_are_refused() {
    let err = doc("flag: true\n---\nflag: false\n").unwrap_err();
    // At the second document's first node.
    assert_eq!(err.pos, pos(3, 1), "{err:?}");
    assert_eq!(err.kind, ParseErrorKind::Syntax, "{err:?}");
}

#[test]
fn an_empty_value_is_not_an_empty_list() {
    let err = parse::<Entries<Vec<u8>>>("a:\nb: [1]\n").unwrap_err();
    assert_eq!(err.message, "invalid type: null, expected a list");
    assert_eq!(err.path, vec![key("a")]);
    assert_eq!(err.pos.map(|p| p.line), Some(1), "{err:?}");
}

#[test]
fn a_spec_list_key_left_empty_is_an_empty_list() {
    // `errors:` with nothing after it is null in YAML; a spec author means "none".
    let spec: crate::spec::MethodSpec = parse(
        "method: m\ndoc: D.\nconstants:\nparams:\nerrors:\nexamples:\nresponse: {fields: []}\n",
    )
    .unwrap();
    assert!(spec.params.is_empty() && spec.errors.is_empty() && spec.examples.is_empty());
    assert!(spec.constants.0.is_empty());
}
