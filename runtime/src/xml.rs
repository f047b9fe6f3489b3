//! Reads an XML document into a JSON value so that one decoder serves every
//! format: elements become objects keyed by local name (namespace prefixes
//! dropped), repeated children become arrays, text-only elements become
//! strings, and `xsi:nil="true"` becomes null. Attributes are otherwise ignored.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::NsReader;
use serde_json::{Map, Value};

/// Nesting deeper than this is refused rather than followed.
const MAX_DEPTH: usize = 64;

/// A parsed document: its root element and the root's content.
#[derive(Debug)]
pub struct Document {
    /// The root's local name.
    pub root: String,
    /// The namespace the root's name is in, if it is in one.
    pub namespace: Option<String>,
    pub value: Value,
}

/// Reads `body` as XML (see the module docs); the error text names what is wrong.
pub fn to_value(body: &str) -> Result<Document, String> {
    let mut reader = NsReader::from_str(body);
    let mut namespace = None;
    // (local name, children, text, nil)
    let mut stack: Vec<(String, Map<String, Value>, String, bool)> = Vec::new();
    loop {
        match reader.read_event() {
            Err(err) => {
                return Err(format!(
                    "malformed XML at byte {}: {err}",
                    reader.error_position()
                ))
            }
            Ok(Event::Start(start)) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} levels"));
                }
                if stack.is_empty() {
                    namespace = namespace_of(&reader, &start);
                }
                stack.push((
                    local(start.name().as_ref()),
                    Map::new(),
                    String::new(),
                    is_nil(&start),
                ));
            }
            Ok(Event::Empty(start)) => {
                let value = if is_nil(&start) {
                    Value::Null
                } else {
                    Value::String(String::new())
                };
                let name = local(start.name().as_ref());
                match stack.last_mut() {
                    Some(parent) => insert(&mut parent.1, name, value),
                    None => {
                        let namespace = namespace_of(&reader, &start);
                        return Ok(Document {
                            root: name,
                            namespace,
                            value,
                        });
                    }
                }
            }
            Ok(Event::Text(text)) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&text.xml10_content());
                }
            }
            Ok(Event::CData(data)) => {
                if let Some(top) = stack.last_mut() {
                    top.2.push_str(&data.xml10_content());
                }
            }
            Ok(Event::GeneralRef(reference)) => {
                if let Some(top) = stack.last_mut() {
                    match reference.resolve_char_ref() {
                        Ok(Some(c)) => top.2.push(c),
                        _ => match quick_xml::escape::resolve_predefined_entity(&reference) {
                            Some(text) => top.2.push_str(text),
                            None => return Err(format!("unknown XML entity &{};", &*reference)),
                        },
                    }
                }
            }
            Ok(Event::End(_)) => {
                let Some((name, children, text, nil)) = stack.pop() else {
                    return Err("unbalanced XML end tag".into());
                };
                let value = if nil {
                    Value::Null
                } else if children.is_empty() {
                    Value::String(text)
                } else {
                    Value::Object(children)
                };
                match stack.last_mut() {
                    Some(parent) => insert(&mut parent.1, name, value),
                    None => {
                        return Ok(Document {
                            root: name,
                            namespace,
                            value,
                        })
                    }
                }
            }
            Ok(Event::Eof) => return Err("XML ends before its root element is closed".into()),
            Ok(_) => {}
        }
    }
}

fn local(qname: &str) -> String {
    qname.rsplit(':').next().unwrap_or(qname).to_string()
}

/// The namespace URI an element's name resolves to; an undeclared prefix
/// counts as none.
fn namespace_of(reader: &NsReader<&[u8]>, start: &BytesStart<'_>) -> Option<String> {
    match reader.resolver().resolve_element(start.name()).0 {
        ResolveResult::Bound(Namespace(uri)) => Some(uri.to_string()),
        ResolveResult::Unbound | ResolveResult::Unknown(_) => None,
    }
}

fn is_nil(start: &BytesStart<'_>) -> bool {
    start
        .attributes()
        .flatten()
        .any(|a| local(a.key.as_ref()) == "nil" && a.value == "true")
}

fn insert(map: &mut Map<String, Value>, name: String, value: Value) {
    match map.get_mut(&name) {
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            map.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn soap_envelope_becomes_nested_objects() {
        let body = r#"<?xml version="1.0"?><S:Envelope xmlns:S="x"><S:Body><ns1:r><ns1:a>1</ns1:a><ns1:b>x &amp; y</ns1:b><ns1:b>z</ns1:b><ns1:c/></ns1:r></S:Body></S:Envelope>"#;
        let document = to_value(body).unwrap();
        assert_eq!(document.root, "Envelope");
        assert_eq!(document.namespace.as_deref(), Some("x"));
        assert_eq!(
            document.value,
            json!({"Body": {"r": {"a": "1", "b": ["x & y", "z"], "c": ""}}})
        );
    }

    #[test]
    fn truncated_and_garbage_are_errors() {
        assert!(to_value("<a><b>1</b>").is_err());
        assert!(to_value("<html><body>502 Bad Gateway").is_err());
        assert!(to_value("").is_err());
    }
}
