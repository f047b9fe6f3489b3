//! Turns a body's bytes into text. JSON is UTF-8, with or without a byte
//! order mark (RFC 8259 §8.1 lets a parser skip one). An XML document says
//! its own encoding: a byte order mark, else the `encoding` of its
//! declaration, else UTF-8 (XML 1.0 §4.3.3 and Appendix F).

#[cfg(feature = "xml")]
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
#[cfg(feature = "xml")]
use std::borrow::Cow;

/// A JSON body as text.
pub(crate) fn json_text(body: &[u8]) -> Result<&str, String> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    std::str::from_utf8(body).map_err(|_| "body is not UTF-8".to_string())
}

/// An XML body as text, decoded from the encoding it declares. Labels are
/// read as browsers read them (WHATWG): `ISO-8859-1` is windows-1252, which
/// agrees with Latin-1 on every printable character.
#[cfg(feature = "xml")]
pub(crate) fn xml_text(body: &[u8]) -> Result<Cow<'_, str>, String> {
    let (encoding, rest) = if let Some((encoding, bom)) = Encoding::for_bom(body) {
        (encoding, &body[bom..])
    } else if body.starts_with(b"<\0?\0") {
        (UTF_16LE, body)
    } else if body.starts_with(b"\0<\0?") {
        (UTF_16BE, body)
    } else {
        (declared(body)?.unwrap_or(UTF_8), body)
    };
    encoding
        .decode_without_bom_handling_and_without_replacement(rest)
        .ok_or_else(|| format!("body is not valid {}", encoding.name()))
}

/// The encoding named by the declaration of an ASCII-compatible document.
#[cfg(feature = "xml")]
fn declared(body: &[u8]) -> Result<Option<&'static Encoding>, String> {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    // A declaration is short; one that does not end soon is the parser's problem.
    let head = &body[start..body.len().min(start + 512)];
    let Some(end) = head.windows(2).position(|w| w == b"?>") else {
        return Ok(None);
    };
    let Some(label) = pseudo_attribute(&head[..end], b"encoding") else {
        return Ok(None);
    };
    match Encoding::for_label(label) {
        Some(encoding) if encoding.is_ascii_compatible() => Ok(Some(encoding)),
        Some(encoding) => Err(format!(
            "XML declared as {} but not written in it (no byte order mark)",
            encoding.name()
        )),
        None => Err(format!(
            "XML declared in an unknown encoding {:?}",
            String::from_utf8_lossy(&label[..label.len().min(40)])
        )),
    }
}

/// The value of `name` in `<?xml version="1.0" encoding="…"`.
#[cfg(feature = "xml")]
fn pseudo_attribute<'a>(declaration: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let mut rest = declaration.strip_prefix(b"<?xml")?;
    loop {
        let eq = rest.iter().position(|&b| b == b'=')?;
        let key = rest[..eq].trim_ascii();
        let value = rest[eq + 1..].trim_ascii_start();
        let quote = *value.first().filter(|q| matches!(q, b'"' | b'\''))?;
        let len = value[1..].iter().position(|&b| b == quote)?;
        if key == name {
            return Some(value[1..=len].trim_ascii());
        }
        rest = &value[len + 2..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin1_declared_is_decoded() {
        let body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Ji\xf8\xed \xe9</a>";
        assert_eq!(
            xml_text(body).unwrap(),
            "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Jiøí é</a>"
        );
        let single = b"<?xml version='1.0' encoding='windows-1250'?><a>\x9a</a>";
        assert_eq!(
            xml_text(single).unwrap(),
            "<?xml version='1.0' encoding='windows-1250'?><a>š</a>"
        );
    }

    #[test]
    fn byte_order_marks_win_and_utf16_is_read() {
        let mut body = vec![0xFF, 0xFE];
        for unit in "<a>ž</a>".encode_utf16() {
            body.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(xml_text(&body).unwrap(), "<a>ž</a>");
        assert_eq!(xml_text(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(json_text(b"\xEF\xBB\xBF{}").unwrap(), "{}");
    }

    #[test]
    fn unknown_or_false_declarations_are_refused_with_the_reason() {
        let unknown = xml_text(b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>").unwrap_err();
        assert_eq!(unknown, "XML declared in an unknown encoding \"klingon\"");
        let utf16 = xml_text(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><a/>").unwrap_err();
        assert!(utf16.contains("UTF-16LE"), "{utf16}");
        let bad = xml_text(b"<?xml version=\"1.0\"?><a>\xff</a>").unwrap_err();
        assert_eq!(bad, "body is not valid UTF-8");
        assert!(json_text(b"{\"a\":\"\xff\"}").is_err());
    }
}
