//! Doc comments: spec prose turned into rustdoc that renders as written.

use super::str_lit;
use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc]` attributes, one per line, so rustdoc and prettyplease show `///` lines.
pub(super) fn doc(text: &str) -> TokenStream {
    let text = without_doctests(text);
    let mut attrs = TokenStream::new();
    for line in text.trim_end().lines() {
        // After the space that follows `///`.
        let line = str_lit(&if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        });
        // Extending moves the tokens; `#(#lines)*` would copy each one.
        attrs.extend(quote!(#[doc = #line]));
    }
    attrs
}

/// Rustdoc compiles and runs every Rust code block in a doc as a doctest,
/// and a vendor's sample is never Rust. So a fenced block is kept but marked
/// `text` (the sample still shows; nothing runs), and lines indented by four
/// or more columns, which Markdown would read as an indented code block, keep
/// only three. The prose around goes through [`markdown_safe`].
fn without_doctests(text: &str) -> String {
    if !text.contains("```")
        && !text.contains("~~~")
        && !text.contains("    ")
        && !text.contains('\t')
    {
        return markdown_safe(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut prose = String::new();
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let body = line.trim_start_matches([' ', '\t']);
        let lead = &line[..line.len() - body.len()];
        let columns: usize = lead.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum();
        match fence {
            Some((c, n)) => {
                out.push_str(line);
                out.push('\n');
                if columns < 4 && closes_fence(body, c, n) {
                    fence = None;
                }
            }
            None => match opens_fence(body).filter(|_| columns < 4) {
                Some((c, n)) => {
                    out.push_str(&markdown_safe(&prose));
                    prose.clear();
                    out.push_str(lead);
                    out.extend(std::iter::repeat_n(c, n));
                    out.push_str("text\n");
                    fence = Some((c, n));
                }
                None => {
                    prose.push_str(&" ".repeat(columns.min(3)));
                    prose.push_str(body);
                    prose.push('\n');
                }
            },
        }
    }
    out.push_str(&markdown_safe(&prose));
    out
}

/// The fence character and length of a line that opens a fenced code block.
fn opens_fence(line: &str) -> Option<(char, usize)> {
    let c = line.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = line.chars().take_while(|x| *x == c).count();
    // A backtick fence's info string cannot hold a backtick (it would be a code span).
    (n >= 3 && !(c == '`' && line[n..].contains('`'))).then_some((c, n))
}

/// Whether a line closes a fence opened with `n` times `c`.
fn closes_fence(line: &str, c: char, n: usize) -> bool {
    let run = line.chars().take_while(|x| *x == c).count();
    run >= n && line[run * c.len_utf8()..].trim().is_empty()
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
    use super::{markdown_safe, without_doctests};

    #[test]
    fn code_blocks_never_become_doctests() {
        assert_eq!(
            without_doctests("Send:\n```\nlet x = 1;\n```\nthen <b>."),
            "Send:\n```text\nlet x = 1;\n```\nthen &lt;b>.\n"
        );
        assert_eq!(
            without_doctests("a\n~~~~rust\n<x>\n~~~\n~~~~\nb"),
            "a\n~~~~text\n<x>\n~~~\n~~~~\nb\n"
        );
        assert_eq!(
            without_doctests("Example:\n\n    fn main() {}\n\t\tpanic!()"),
            "Example:\n\n   fn main() {}\n   panic!()\n"
        );
        assert_eq!(without_doctests("plain `a`"), "plain `a`");
    }

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
