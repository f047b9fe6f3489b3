//! Doc comments: spec prose turned into rustdoc that renders as written.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes, one per line, so rustdoc and prettyplease show `///` lines.
pub(super) fn doc(text: &str) -> TokenStream {
    let text = markdown_safe(text);
    let lines = text.trim_end().lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Spec docs are plain prose; rustdoc reads Markdown. Outside code spans,
/// bare URLs become autolinks and a `<` that starts no autolink is escaped,
/// so `https://<clientCode>.erply.com` is neither an HTML tag nor lost text.
pub(super) fn markdown_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, part) in text.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut rest = part;
        while let Some(at) = rest.find(['<', 'h']) {
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            let already_linked = out.ends_with('<') || out.ends_with('(');
            if rest.starts_with('<') {
                let autolink =
                    rest[1..].starts_with("http://") || rest[1..].starts_with("https://");
                out.push_str(if autolink { "<" } else { "&lt;" });
                rest = &rest[1..];
            } else if !already_linked
                && (rest.starts_with("http://") || rest.starts_with("https://"))
            {
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let url = rest[..end].trim_end_matches(['.', ',', ';', ':', ')', '\'', '"']);
                out.push_str(&format!(
                    "<{}>",
                    url.replace('<', "%3C").replace('>', "%3E")
                ));
                rest = &rest[url.len()..];
            } else {
                out.push('h');
                rest = &rest[1..];
            }
        }
        out.push_str(rest);
    }
    out
}

/// The first line of a doc text, without a trailing full stop.
pub(super) fn summary(text: &str) -> String {
    text.lines()
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::markdown_safe;

    #[test]
    fn docs_are_made_markdown_safe() {
        assert_eq!(markdown_safe("see https://a.b/c."), "see <https://a.b/c>.");
        assert_eq!(
            markdown_safe("host https://<code>.erply.com/api/ ok"),
            "host <https://%3Ccode%3E.erply.com/api/> ok"
        );
        assert_eq!(markdown_safe("a <b> c"), "a &lt;b> c");
        assert_eq!(
            markdown_safe("keep `<x> https://y` and <https://z>"),
            "keep `<x> https://y` and <https://z>"
        );
        assert_eq!(markdown_safe("hash then hex"), "hash then hex");
    }
}
