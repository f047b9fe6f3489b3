//! XML character escapes, as `quick-xml` writes them: request bodies need
//! only these, so writing XML needs no XML crate (reading it does: `xml`).

use std::borrow::Cow;

/// Escapes `<`, `>`, `&`, `'` and `"` (`quotes`), or only `<`, `>` and `&`.
pub(crate) fn xml(text: &str, quotes: bool) -> Cow<'_, str> {
    let special = |c: char| matches!(c, '<' | '>' | '&') || (quotes && matches!(c, '\'' | '"'));
    if !text.contains(special) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\'' if quotes => out.push_str("&apos;"),
            '"' if quotes => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(all(test, feature = "xml"))]
mod tests {
    #[test]
    fn escapes_as_quick_xml_does() {
        for text in [
            "",
            "plain",
            "<a href=\"x\">Tom & 'Jerry'</a>",
            "&amp; >> <<",
            "é ✓",
        ] {
            assert_eq!(super::xml(text, true), quick_xml::escape::escape(text));
            assert_eq!(
                super::xml(text, false),
                quick_xml::escape::partial_escape(text)
            );
        }
    }
}
