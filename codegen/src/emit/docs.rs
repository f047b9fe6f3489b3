//! Doc comments: spec prose turned into rustdoc that renders as written.

use super::str_lit;
use proc_macro2::TokenStream;
use quote::quote;

/// Columns of doc text on one line. The deepest generated item is indented
/// by 12 columns, so with `/// ` its lines end by column 96.
const TEXT_WIDTH: usize = 80;

/// `#[doc]` attributes, one per line, so rustdoc and prettyplease show `///` lines.
pub(super) fn doc(text: &str) -> TokenStream {
    let text = wrap(&without_doctests(&summary_apart(text)));
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
/// bare URLs become autolinks and a `<` that starts no autolink is escaped.
/// A URL with a placeholder (`https://<clientCode>.erply.com`) links
/// nowhere, so it becomes a code span instead.
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
                if url.contains(['<', '>', '{', '}']) {
                    out.push_str(&format!("`{url}`"));
                } else {
                    out.push_str(&format!("<{url}>"));
                }
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

/// Rustdoc lists an item by its first paragraph. When a spec's doc opens
/// with several sentences, the first one becomes a paragraph of its own so
/// the listing shows one sentence, not a paragraph.
fn summary_apart(text: &str) -> std::borrow::Cow<'_, str> {
    let first = text.split("\n\n").next().unwrap_or("");
    let start = first.trim_start();
    let starts_block = opens_block(next_word(start)) || block_marker_len(start) > 0;
    match first_sentence_end(first).filter(|_| !starts_block) {
        Some(end) => {
            let rest = text[end..].trim_start_matches([' ', '\n']);
            format!("{}\n\n{rest}", &text[..end]).into()
        }
        None => text.into(),
    }
}

/// Where the first sentence of a paragraph ends, when more text follows it:
/// after a `.`, `?` or `!` outside code spans and brackets, followed by a
/// space or line break and a capital letter or a code span, and not after an
/// abbreviation such as "e.g." or an initial.
fn first_sentence_end(paragraph: &str) -> Option<usize> {
    let mut in_code = false;
    let mut depth = 0usize;
    let bytes = paragraph.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'`' => in_code = !in_code,
            b'(' | b'[' if !in_code => depth += 1,
            b')' | b']' if !in_code => depth = depth.saturating_sub(1),
            b'.' | b'?' | b'!' if !in_code && depth == 0 => {
                let after = &paragraph[i + 1..];
                let next = after.trim_start_matches([' ', '\n']);
                let spaced = after.len() > next.len();
                let starts_sentence = next
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_uppercase() || c == '`');
                if spaced && starts_sentence && !after_abbreviation(&paragraph[..i]) {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether text that a `.` follows ends in an abbreviation or an initial.
fn after_abbreviation(before: &str) -> bool {
    let word = before.rsplit([' ', '\n', '(']).next().unwrap_or("");
    let lower = word.to_ascii_lowercase();
    word.chars().count() == 1
        || word.contains('.')
        || [
            "etc", "vs", "cf", "approx", "incl", "no", "nr", "e.g", "i.e",
        ]
        .contains(&lower.as_str())
}

/// Prose lines longer than [`TEXT_WIDTH`] broken at spaces. Fenced blocks,
/// tables and headings keep their lines; a list item's or quote's next lines
/// hang under its text. A line is never begun with something Markdown would
/// read as the start of a list, quote, heading, table or fence.
fn wrap(text: &str) -> String {
    if text.lines().all(|line| line.chars().count() <= TEXT_WIDTH) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut fence: Option<(char, usize)> = None;
    for line in text.lines() {
        let body = line.trim_start_matches(' ');
        let keep = match fence {
            Some((c, n)) => {
                if closes_fence(body, c, n) {
                    fence = None;
                }
                true
            }
            None => {
                fence = opens_fence(body);
                fence.is_some()
                    || line.chars().count() <= TEXT_WIDTH
                    || body.starts_with(['|', '#'])
            }
        };
        if keep {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let prefix_len = line.len() - body.len() + block_marker_len(body);
        let (prefix, words) = line.split_at(prefix_len);
        let hang = if body.starts_with('>') {
            prefix.to_string()
        } else {
            " ".repeat(prefix.chars().count())
        };
        wrap_line(words, prefix, &hang, &mut out);
    }
    out
}

/// Length of a list marker (`* `, `- `, `+ `, `1. `, `2) `) or quote
/// marker (`> `) that opens a line, with the space after it.
fn block_marker_len(body: &str) -> usize {
    if let Some(rest) = body.strip_prefix(['*', '-', '+', '>']) {
        return if rest.starts_with(' ') { 2 } else { 0 };
    }
    let digits = body.bytes().take_while(u8::is_ascii_digit).count();
    match &body.as_bytes()[digits..] {
        [b'.' | b')', b' ', ..] if digits > 0 => digits + 2,
        _ => 0,
    }
}

/// Whether a line that begins with `word` would open a Markdown block.
fn opens_block(word: &str) -> bool {
    // An autolink (`<https://...>`) opens no HTML block; other tags might.
    (word.starts_with('<') && !word.starts_with("<http"))
        || word.starts_with(['#', '>', '|', '='])
        || opens_fence(word).is_some()
        || matches!(word, "*" | "-" | "+")
        || word.starts_with("---")
        || block_marker_len(&format!("{word} ")) > 0
}

/// Greedy word wrap of one line's text after its prefix. Breaks only at a
/// single space, so runs of spaces (which code spans keep) stay as written.
fn wrap_line(text: &str, prefix: &str, hang: &str, out: &mut String) {
    // (byte offset of a space to break at, characters before it)
    let mut breaks: Vec<(usize, usize)> = Vec::new();
    let mut total = 0;
    for (i, c) in text.char_indices() {
        let single = c == ' '
            && i > 0
            && !text[..i].ends_with(' ')
            && text[i + 1..].starts_with(|n: char| n != ' ');
        if single && !opens_block(next_word(&text[i + 1..])) {
            breaks.push((i, total));
        }
        total += 1;
    }
    // Breaks before `next` lie before `start`; `used` counts the characters
    // before `start`. Widths are differences of counts: linear in the text.
    let (mut start, mut used, mut next) = (0, 0, 0);
    let mut lead = prefix;
    loop {
        let room = TEXT_WIDTH.saturating_sub(lead.chars().count());
        let at = if total - used <= room {
            None
        } else {
            let fitting = breaks[next..]
                .iter()
                .take_while(|(_, chars)| chars - used <= room)
                .count();
            // The last break that fits, else the first one, however far.
            let chosen = fitting.max(1) - 1 + next;
            breaks.get(chosen).map(|&b| (chosen, b))
        };
        out.push_str(lead);
        match at {
            Some((index, (byte, chars))) => {
                out.push_str(&text[start..byte]);
                out.push('\n');
                start = byte + 1;
                used = chars + 1;
                next = index + 1;
                lead = hang;
            }
            None => {
                out.push_str(&text[start..]);
                out.push('\n');
                return;
            }
        }
    }
}

/// The text up to the next space.
fn next_word(text: &str) -> &str {
    text.split(' ').next().unwrap_or("")
}

/// The first sentence of a doc text, without its full stop: the short
/// `Display` of an error.
pub(super) fn summary(text: &str) -> String {
    let line = text.lines().next().unwrap_or("").trim();
    let sentence = match first_sentence_end(line) {
        Some(end) => &line[..end],
        None => line,
    };
    sentence.trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::{markdown_safe, summary, summary_apart, without_doctests, wrap, TEXT_WIDTH};

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
            "host `https://<code>.erply.com/api/` ok"
        );
        assert_eq!(markdown_safe("a <b> c"), "a &lt;b> c");
        assert_eq!(
            markdown_safe("keep `<x> https://y` and <https://z>"),
            "keep `<x> https://y` and <https://z>"
        );
        assert_eq!(markdown_safe("hash then hex"), "hash then hex");
    }

    #[test]
    fn long_prose_lines_wrap_and_lists_hang() {
        let long = "word ".repeat(40);
        let wrapped = wrap(&format!("{long}\n* item {long}\n12. {long}\n> {long}"));
        assert!(
            wrapped.lines().all(|l| l.chars().count() <= TEXT_WIDTH),
            "{wrapped}"
        );
        assert!(
            wrapped.lines().any(|l| l.starts_with("  word")),
            "{wrapped}"
        );
        assert!(
            wrapped.lines().any(|l| l.starts_with("    word")),
            "{wrapped}"
        );
        assert_eq!(wrapped.lines().filter(|l| l.starts_with("> ")).count(), 3);
        // A megabyte on one line wraps in one pass (this would not finish
        // if each line rescanned the rest).
        let huge = wrap(&"word ".repeat(200_000));
        assert_eq!(huge.lines().count(), 200_000 / 16);
        // The same words, only the line breaks differ.
        let words = |t: &str| t.split_whitespace().filter(|w| *w == "word").count();
        assert_eq!(words(&wrapped), 160);
    }

    #[test]
    fn wrapping_keeps_code_tables_headings_and_never_opens_a_block() {
        let long = "x".repeat(90);
        let fenced = format!("```text\n{long} {long}\n```\n| {long} | a |\n# {long} b");
        assert_eq!(wrap(&fenced), format!("{fenced}\n"));
        // A break before `-` or `1.` would start a list: the line runs on.
        let text = format!("{} - item 1. more", "a ".repeat(38));
        for line in wrap(&text).lines().skip(1) {
            assert!(
                !line.starts_with("- ") && !line.starts_with("1. "),
                "{line}"
            );
        }
        // Double spaces (kept inside code spans) survive.
        let spans = format!("{} `a  b` {}", "w ".repeat(37), "w ".repeat(10));
        assert!(wrap(&spans).contains("`a  b`"));
    }

    #[test]
    fn the_first_sentence_is_the_summary() {
        assert_eq!(
            summary_apart("Logs in. Every call needs it.\n\nMore."),
            "Logs in.\n\nEvery call needs it.\n\nMore."
        );
        assert_eq!(
            summary_apart("`verifyUser`: Logs in. `x` follows."),
            "`verifyUser`: Logs in.\n\n`x` follows."
        );
        // Abbreviations, initials, code spans and brackets do not end a sentence.
        for one in [
            "Use e.g. This one",
            "Set by J. Smith",
            "The `a. B` field",
            "Seconds (max. Ten) left",
            "Version 1.2 Only",
            "Ends here.",
        ] {
            assert_eq!(summary_apart(one), one);
        }
        assert_eq!(
            summary("Wrong password. Retry later.\nMore"),
            "Wrong password"
        );
        assert_eq!(
            summary("Server busy, e.g. Maintenance."),
            "Server busy, e.g. Maintenance"
        );
    }
}
