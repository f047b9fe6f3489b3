//! Formatting of generated tokens into the text users read and check in.
//!
//! prettyplease lays out the code; it cannot break a string literal, so long
//! ones are written here first in a form that fits 100 columns and has the
//! same value.

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use syn::visit_mut::{self, VisitMut};

/// Pretty-prints generated tokens.
pub fn format(tokens: TokenStream) -> Result<String, String> {
    let mut file: syn::File = syn::parse2(tokens).map_err(|e| e.to_string())?;
    LongLiterals.visit_file_mut(&mut file);
    let mut flags = FlagsBodies(Vec::new());
    flags.visit_file_mut(&mut file);
    let text = prettyplease::unparse(&file);
    Ok(flags.put_back(text))
}

/// prettyplease prints a macro's body as one run of tokens. The bodies of
/// `bitflags!` are taken out before it runs (leaving `bitflags! {}`), laid
/// out here and put back in order.
struct FlagsBodies(Vec<String>);

impl VisitMut for FlagsBodies {
    fn visit_item_macro_mut(&mut self, item: &mut syn::ItemMacro) {
        let is_flags = item
            .mac
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "bitflags");
        if is_flags {
            if let Ok(body) = syn::parse2::<FlagsBody>(item.mac.tokens.clone()) {
                self.0.push(body.render());
                item.mac.tokens = TokenStream::new();
            }
        }
    }
}

impl FlagsBodies {
    fn put_back(self, text: String) -> String {
        if self.0.is_empty() {
            return text;
        }
        let mut bodies = self.0.into_iter();
        let mut out = String::with_capacity(text.len() + 1024);
        for line in text.lines() {
            let body = line.trim_start();
            let rendered = if body.ends_with("bitflags! {}") {
                bodies.next()
            } else {
                None
            };
            match rendered {
                Some(rendered) => {
                    let indent = &line[..line.len() - body.len()];
                    out.push_str(&line[..line.len() - 1]);
                    out.push('\n');
                    for inner in rendered.lines() {
                        if !inner.is_empty() {
                            out.push_str(indent);
                            out.push_str("    ");
                        }
                        out.push_str(inner);
                        out.push('\n');
                    }
                    out.push_str(indent);
                    out.push_str("}\n");
                }
                None => {
                    out.push_str(line);
                    out.push('\n');
                }
            }
        }
        out
    }
}

/// `#[attrs] pub struct Name: Bits { #[attrs] const FLAG = value; ... }`
struct FlagsBody {
    attrs: Vec<syn::Attribute>,
    vis: syn::Visibility,
    name: syn::Ident,
    bits: syn::Type,
    flags: Vec<(Vec<syn::Attribute>, syn::Ident, syn::Expr)>,
}

impl syn::parse::Parse for FlagsBody {
    fn parse(input: syn::parse::ParseStream) -> syn::Result<Self> {
        let attrs = input.call(syn::Attribute::parse_outer)?;
        let vis = input.parse()?;
        input.parse::<syn::Token![struct]>()?;
        let name = input.parse()?;
        input.parse::<syn::Token![:]>()?;
        let bits = input.parse()?;
        let content;
        syn::braced!(content in input);
        let mut flags = Vec::new();
        while !content.is_empty() {
            let attrs = content.call(syn::Attribute::parse_outer)?;
            content.parse::<syn::Token![const]>()?;
            let name = content.parse()?;
            content.parse::<syn::Token![=]>()?;
            let value = content.parse()?;
            content.parse::<syn::Token![;]>()?;
            flags.push((attrs, name, value));
        }
        Ok(FlagsBody {
            attrs,
            vis,
            name,
            bits,
            flags,
        })
    }
}

impl FlagsBody {
    fn render(&self) -> String {
        let FlagsBody {
            vis, name, bits, ..
        } = self;
        let head = quote::quote!(#vis struct #name: #bits).to_string();
        let mut out = attributes(&self.attrs);
        out.push_str(&head.replace(" :", ":"));
        out.push_str(" {\n");
        for (attrs, flag, value) in &self.flags {
            for line in attributes(attrs).lines() {
                out.push_str("    ");
                out.push_str(line);
                out.push('\n');
            }
            out.push_str(&format!("    const {flag} = {};\n", quote::quote!(#value)));
        }
        out.push_str("}\n");
        out
    }
}

/// Attributes as prettyplease writes them (docs as `///` lines), one a line.
fn attributes(attrs: &[syn::Attribute]) -> String {
    let marker: syn::ItemStruct = syn::parse_quote!(#(#attrs)* struct Marker;);
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![syn::Item::Struct(marker)],
    };
    let text = prettyplease::unparse(&file);
    text.lines()
        .filter(|line| *line != "struct Marker;")
        .map(|line| format!("{line}\n"))
        .collect()
}

/// Rewrites long string literals outside doc attributes (prettyplease
/// prints those as `///` lines of their value).
struct LongLiterals;

impl VisitMut for LongLiterals {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if attr.path().is_ident("doc") {
            return;
        }
        // The arguments of `#[serde_as(...)]` and the like are plain tokens.
        if let syn::Meta::List(list) = &mut attr.meta {
            list.tokens = long_literals_in(std::mem::take(&mut list.tokens));
        }
        visit_mut::visit_attribute_mut(self, attr);
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if !lit.suffix().is_empty() {
            return;
        }
        let value = lit.value();
        if let Some(mut literal) = long_literal(&value) {
            literal.set_span(lit.span());
            if let syn::Lit::Str(long) = syn::Lit::new(literal) {
                *lit = long;
            }
        }
    }
}

/// The tokens with each long string literal among them rewritten.
fn long_literals_in(tokens: TokenStream) -> TokenStream {
    tokens
        .into_iter()
        .map(|token| match token {
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), long_literals_in(group.stream()));
                new.set_span(group.span());
                TokenTree::Group(new)
            }
            TokenTree::Literal(literal) => {
                let long = match syn::Lit::new(literal.clone()) {
                    syn::Lit::Str(s) if s.suffix().is_empty() => long_literal(&s.value()),
                    _ => None,
                };
                TokenTree::Literal(long.unwrap_or(literal))
            }
            other => other,
        })
        .collect()
}

/// A long string's literal written to fit the line: text of several short
/// lines as a raw string, other text broken with `\` line continuations.
/// `None` for a string short enough as it is.
fn long_literal(value: &str) -> Option<Literal> {
    if value.len() <= LONG_LITERAL {
        return None;
    }
    if let Some(raw) = raw_lines(value) {
        return Some(raw);
    }
    let plain = Literal::string(value).to_string();
    let escaped = &plain[1..plain.len() - 1];
    if escaped.chars().count() <= LITERAL_LINE {
        return None;
    }
    format!("\"{}\"", continued(escaped)).parse().ok()
}

/// Characters of a string literal beyond which it is broken into lines.
const LONG_LITERAL: usize = 64;

/// The longest line a raw string may hold: its first line follows
/// `let body = r#"` at a nesting of 12 columns.
const RAW_LINE: usize = 72;

/// Text of several short lines as a raw string, each line on its own
/// source line. Not for text with a carriage return (a raw string cannot
/// hold one) or other control characters, nor with a line too long to fit.
fn raw_lines(s: &str) -> Option<Literal> {
    let fits = s.lines().all(|line| line.chars().count() <= RAW_LINE);
    if !fits || !s.contains('\n') || s.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return None;
    }
    // One `#` more than the longest run that follows a `"` in the text.
    let mut hashes = 0;
    for (i, _) in s.match_indices('"') {
        hashes = hashes.max(s[i + 1..].bytes().take_while(|b| *b == b'#').count());
    }
    let fence = "#".repeat(hashes + 1);
    format!("r{fence}\"{s}\"{fence}").parse().ok()
}

/// The escaped text of a literal (between its quotes) broken into lines of
/// at most [`LITERAL_LINE`] characters where it can be, each ended by `\`,
/// which makes the compiler skip the line break and the next line's leading
/// whitespace. Breaks come after a space, `,`, `<`, `>`, `::` (paths in
/// serde's `deserialize_with`), `\n` or `\"`: never inside an escape, and
/// never before whitespace, which the continuation would swallow.
fn continued(escaped: &str) -> String {
    let mut units: Vec<(usize, bool, bool)> = Vec::with_capacity(escaped.len());
    let mut chars = escaped.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let mut end = i + c.len_utf8();
        // After `::` too, for paths in strings (serde's `deserialize_with`).
        let mut breakable =
            matches!(c, ' ' | ',' | '>' | '<') || (c == ':' && escaped[..i].ends_with(':'));
        if c == '\\' {
            if let Some((j, e)) = chars.next() {
                end = j + e.len_utf8();
                breakable = matches!(e, 'n' | '"');
                if e == 'u' {
                    // `\u{...}` runs to its closing brace.
                    for (k, x) in chars.by_ref() {
                        end = k + x.len_utf8();
                        if x == '}' {
                            break;
                        }
                    }
                } else if e == 'x' {
                    for _ in 0..2 {
                        if let Some((k, x)) = chars.next() {
                            end = k + x.len_utf8();
                        }
                    }
                }
            }
        }
        let before_text = escaped[end..]
            .chars()
            .next()
            .is_some_and(|n| !n.is_whitespace());
        // (end, a good place to break, a possible one)
        units.push((end, breakable && before_text, before_text));
    }
    let mut out = String::with_capacity(escaped.len() + escaped.len() / 8);
    let mut start = 0;
    // Units before `next` end at or before `start`.
    let mut next = 0;
    // The first line follows code of its own (`text: "`, `let body = "`,
    // `const NAME: &str = "`), so it holds less.
    let mut room = FIRST_LITERAL_LINE;
    while escaped[start..].chars().count() > room {
        // The last good break that fits; else the last possible one (text
        // without spaces or punctuation, such as base64); else the first
        // possible one, however far.
        let (mut good, mut possible, mut beyond) = (None, None, None);
        // Each unit is one character or one escape: counting them counts
        // the line's characters without rescanning it.
        let mut width = 0;
        let mut unit_start = start;
        for (i, &(end, is_good, is_possible)) in units.iter().enumerate().skip(next) {
            width += escaped[unit_start..end].chars().count();
            unit_start = end;
            if width > room {
                if is_possible {
                    beyond = Some((i, end));
                    break;
                }
                continue;
            }
            if is_good {
                good = Some((i, end));
            }
            if is_possible {
                possible = Some((i, end));
            }
        }
        let Some((i, at)) = good.or(possible).or(beyond) else {
            break;
        };
        out.push_str(&escaped[start..at]);
        out.push_str("\\\n                    ");
        start = at;
        next = i + 1;
        room = LITERAL_LINE;
    }
    out.push_str(&escaped[start..]);
    out
}

/// Characters of escaped text on one line of a broken literal.
const LITERAL_LINE: usize = 72;

/// The same on its first line.
const FIRST_LITERAL_LINE: usize = 40;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_literals_fit_the_line_and_keep_their_value() {
        let json = format!("{{\"a\": \"{}\",\n  \"b\": [1, 2]}}", "x y ".repeat(30));
        for s in [
            "word ".repeat(40),
            "compact,".repeat(30),
            "<a><b>".repeat(30),
            "line one\n  line two\n    line three with more words to pass the limit".into(),
            json,
            "quote \"# inside\nand \"## a raw string needs three hashes ".repeat(3),
            "é ünïcode \u{200b} and a \t tab ".repeat(5),
            format!("{}\r\n{}", "a ".repeat(40), "b ".repeat(40)),
            "\\n not a newline, \\\\ and \\\" escapes ".repeat(5),
            "QUJD".repeat(40),
            "::a::b::serde_with::As::<Option<::a::b::adapt::LenientNumber>>::deserialize".repeat(2),
        ] {
            let lit = super::long_literal(&s).unwrap_or_else(|| Literal::string(&s));
            let text = lit.to_string();
            let parsed: syn::LitStr = syn::parse_str(&text).expect(&text);
            assert_eq!(parsed.value(), s, "{text}");
            assert!(text.lines().all(|l| l.chars().count() <= 100), "{text}");
        }
    }

    #[test]
    fn flags_bodies_are_laid_out_and_keep_their_tokens() {
        let tokens = quote::quote! {
            pub mod m {
                rt::bitflags::bitflags! {
                    #[doc = " Flags."]
                    #[derive(Debug, Clone, Copy)]
                    pub struct F: u64 {
                        #[doc = " One."]
                        const ONE = 0x1;
                        const TWO = 0x2;
                    }
                }
                pub struct After;
            }
        };
        let text = format(tokens.clone()).unwrap();
        assert!(text.contains("\n        pub struct F: u64 {\n"), "{text}");
        assert!(
            text.contains("\n            /// One.\n            const ONE = 0x1;\n"),
            "{text}"
        );
        let reparsed: syn::File = syn::parse_str(&text).unwrap();
        let again: syn::File = syn::parse2(tokens).unwrap();
        // Laying the body out changed no token.
        assert_eq!(
            quote::quote!(#reparsed).to_string(),
            quote::quote!(#again).to_string()
        );
    }
}
