//! Keeps secrets and hostile bytes out of error text and logs.
//!
//! One [`Scrubber`] is built per call, from the secret values the call sent
//! (or holds) and the protocol's secret field names. Every string that goes
//! into an error passes through it where the error is built, so `Display`,
//! `Debug`, the source chain and the tracing fields taken from an error are
//! safe by construction. It does three things, in this order:
//!
//! 1. blanks every wire form of every sent secret (as sent, percent-encoded
//!    both ways, JSON- and XML-escaped, base64, as a number), plus a trailing
//!    piece of one where the text was cut off;
//! 2. blanks the value of every secret field found by its name in the raw
//!    text (`"name": value`, `<p:name …>value<`, `name=value`), wherever it
//!    sits, so a prefix before a document (BOM, `)]}'`, JSONP, NUL, DOCTYPE)
//!    changes nothing;
//! 3. for text the server chose, escapes control characters (no forged log
//!    lines, no terminal escapes) and caps the length.

use crate::secret::Secret;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use std::ops::Range;

/// What a blanked value is replaced with.
pub(crate) const BLANK: &str = "***";

/// Characters of server-supplied text an error keeps.
pub(crate) const SERVER_TEXT_CHARS: usize = 300;

/// Bytes of a text that are scrubbed at most: far more than an error shows,
/// and it keeps a 4 MiB answer from being searched for every form of every
/// secret. A secret cut off at the window's end is blanked like any other
/// cut-off piece.
pub(crate) const WINDOW: usize = 16 * 1024;

/// A cut-off piece of a secret at the end of a text is blanked from this
/// many bytes on; shorter pieces say nothing about the secret.
const MIN_PIECE: usize = 3;

/// Blanks the secrets of one call out of text meant for errors and logs.
#[derive(Default)]
pub(crate) struct Scrubber {
    /// Every wire form of every secret, longest first.
    needles: Vec<String>,
    /// Secret field names, ASCII lower case.
    names: Vec<String>,
}

impl Scrubber {
    /// A scrubber for the values in `secrets` and the fields named `names`.
    pub(crate) fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>, names: &[&str]) -> Self {
        let mut needles: Vec<String> = secrets
            .into_iter()
            .map(Secret::expose)
            .filter(|s| !s.is_empty())
            .flat_map(wire_forms)
            .filter(|n| !n.is_empty())
            .collect();
        needles.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        needles.dedup();
        let mut names: Vec<String> = names
            .iter()
            .filter(|n| !n.is_empty())
            .map(|n| n.to_ascii_lowercase())
            .collect();
        names.sort();
        names.dedup();
        Scrubber { needles, names }
    }

    /// `text` with every secret blanked; nothing else changes.
    pub(crate) fn blank(&self, text: &str) -> String {
        let mut out = text.to_string();
        for needle in &self.needles {
            if out.contains(needle.as_str()) {
                out = out.replace(needle.as_str(), BLANK);
            }
        }
        out = blank_named(&out, &self.names);
        self.blank_cut_piece(out)
    }

    /// Text the server chose, made fit for an error: secrets blanked,
    /// control characters escaped, at most `limit` characters kept.
    pub(crate) fn server_text(&self, text: &str, limit: usize) -> String {
        fit_for_log(&self.blank(window(text)), limit, text.len())
    }

    /// A text cut off inside a secret ends with its first bytes: blank them.
    fn blank_cut_piece(&self, mut text: String) -> String {
        let longest = self
            .needles
            .iter()
            .filter_map(|needle| {
                (MIN_PIECE..needle.len())
                    .rev()
                    .filter(|&len| needle.is_char_boundary(len))
                    .find(|&len| text.ends_with(&needle[..len]))
            })
            .max();
        if let Some(len) = longest {
            text.truncate(text.len() - len);
            text.push_str(BLANK);
        }
        text
    }
}

/// The first [`WINDOW`] bytes of `text`, ending on a character boundary.
pub(crate) fn window(text: &str) -> &str {
    let mut end = text.len().min(WINDOW);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The forms a value takes on the wire: as it is, escaped for JSON and XML,
/// each percent-encoded as a form or URL would, base64 in all four
/// alphabets, and as a number.
fn wire_forms(value: &str) -> Vec<String> {
    let json = serde_json::to_string(value).unwrap_or_default();
    let json = json
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(value)
        .to_string();
    let json_ascii = ascii_json(&json);
    let mut forms = Vec::new();
    for text in [value.to_string(), json, json_ascii] {
        let form: String = form_urlencoded::byte_serialize(text.as_bytes()).collect();
        forms.push(form.replace('+', "%20"));
        forms.push(form);
        let strict = percent_all(&text);
        forms.push(strict.to_ascii_lowercase());
        forms.push(strict);
        forms.push(crate::escape::xml(&text, true).into_owned());
        forms.push(crate::escape::xml(&text, false).into_owned());
        forms.push(text);
    }
    for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
        forms.push(engine.encode(value));
    }
    let trimmed = value.trim();
    if let Ok(int) = trimmed.parse::<i128>() {
        forms.push(int.to_string());
    } else if let Ok(float) = trimmed.parse::<f64>() {
        if float.is_finite() {
            forms.push(float.to_string());
            forms.push(format!("{float:?}"));
        }
    }
    forms
}

/// JSON as some servers write it: every non-ASCII character and `/` escaped.
fn ascii_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

/// Every byte but ASCII letters and digits as `%XX`.
fn percent_all(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b if b.is_ascii_alphanumeric() => char::from(b).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// Blanks the value after every secret field name in `text`.
fn blank_named(text: &str, names: &[String]) -> String {
    if names.is_empty() {
        return text.to_string();
    }
    let lower = text.to_ascii_lowercase();
    let mut spans: Vec<Range<usize>> = names
        .iter()
        .flat_map(|name| {
            lower
                .match_indices(name.as_str())
                .filter_map(|(at, _)| value_after(text.as_bytes(), at, at + name.len()))
        })
        .filter(|span| !span.is_empty())
        .collect();
    spans.sort_by_key(|span| span.start);
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for span in spans {
        if span.start < done {
            done = done.max(span.end);
            continue;
        }
        out.push_str(&text[done..span.start]);
        out.push_str(BLANK);
        done = span.end;
    }
    out.push_str(&text[done..]);
    out
}

/// Bytes that may be part of a name.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Where the value of the field whose name spans `start..end` lies, if the
/// name is used as a JSON key, an XML element or a form or attribute name.
/// Every range ends on a character boundary: it stops before an ASCII byte
/// or at the end of the text.
fn value_after(text: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    let before = start.checked_sub(1).map(|i| text[i]);
    let after = text.get(end).copied();
    if before.is_some_and(is_name_byte) || after.is_some_and(is_name_byte) {
        return None;
    }
    if before == Some(b'"') {
        if let Some(value) = json_key_value(text, end) {
            return Some(value);
        }
    }
    match before {
        Some(b'<') => xml_text(text, end),
        Some(b':') if opens_prefixed_tag(text, start - 1) => xml_text(text, end),
        _ if after == Some(b'=') => Some(form_value(text, end + 1)),
        _ => None,
    }
}

/// The value of a JSON key whose name ends at `end`, also for JSON inside a
/// JSON string (`\"name\": \"value\"`).
fn json_key_value(text: &[u8], end: usize) -> Option<Range<usize>> {
    let mut i = end;
    if text.get(i) == Some(&b'\\') {
        i += 1;
    }
    if text.get(i) != Some(&b'"') {
        return None;
    }
    i = skip_space(text, i + 1);
    if text.get(i) != Some(&b':') {
        return None;
    }
    Some(json_value(text, skip_space(text, i + 1)))
}

fn skip_space(text: &[u8], mut i: usize) -> usize {
    while text.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// A JSON value from `i`: a string's content (to its closing quote or the
/// end), or a bare number or literal.
fn json_value(text: &[u8], i: usize) -> Range<usize> {
    let escaped_quote = text.get(i) == Some(&b'\\') && text.get(i + 1) == Some(&b'"');
    if escaped_quote {
        // JSON inside a JSON string: the value ends at the next `\"`.
        let from = i + 2;
        let to = find(text, from, b"\\\"").unwrap_or(text.len());
        return from..to;
    }
    if text.get(i) == Some(&b'"') {
        let from = i + 1;
        let mut j = from;
        while j < text.len() {
            match text[j] {
                b'\\' => j += 2,
                b'"' => return from..j,
                _ => j += 1,
            }
        }
        return from..text.len();
    }
    let to = (i..text.len())
        .find(|&j| {
            matches!(text[j], b',' | b'}' | b']' | b'"' | b'<' | b'&')
                || text[j].is_ascii_whitespace()
        })
        .unwrap_or(text.len());
    i..to
}

/// Whether the `:` at `colon` ends the prefix of an opening tag (`<ns1:`).
fn opens_prefixed_tag(text: &[u8], colon: usize) -> bool {
    let mut i = colon;
    while i > 0 && (is_name_byte(text[i - 1]) || matches!(text[i - 1], b'-' | b'.')) {
        i -= 1;
    }
    i < colon && i > 0 && text[i - 1] == b'<'
}

/// The text of the element whose name ends at `end`: after its `>`, up to
/// the next `<` (or the end of a CDATA section), or to the end of the text.
fn xml_text(text: &[u8], end: usize) -> Option<Range<usize>> {
    if !matches!(
        text.get(end),
        None | Some(b'>' | b'/') | Some(b' ' | b'\t' | b'\r' | b'\n')
    ) {
        return None;
    }
    let gt = find(text, end, b">")?;
    if gt > 0 && text[gt - 1] == b'/' {
        return None;
    }
    let from = gt + 1;
    const CDATA: &[u8] = b"<![CDATA[";
    if text[from..].starts_with(CDATA) {
        let inner = from + CDATA.len();
        return Some(inner..find(text, inner, b"]]>").unwrap_or(text.len()));
    }
    Some(from..find(text, from, b"<").unwrap_or(text.len()))
}

/// A form or attribute value from `i`: quoted, or up to a separator.
fn form_value(text: &[u8], i: usize) -> Range<usize> {
    if let Some(&quote @ (b'"' | b'\'')) = text.get(i) {
        let from = i + 1;
        return from..find(text, from, &[quote]).unwrap_or(text.len());
    }
    let to = (i..text.len())
        .find(|&j| {
            matches!(text[j], b'&' | b'"' | b'\'' | b'<' | b'>' | b';')
                || text[j].is_ascii_whitespace()
        })
        .unwrap_or(text.len());
    i..to
}

fn find(text: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    text.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// `text` with control characters escaped and at most `limit` characters
/// kept; a cut is marked with the full size (`total` bytes).
pub(crate) fn fit_for_log(text: &str, limit: usize, total: usize) -> String {
    let mut out = String::with_capacity(text.len().min(limit.saturating_mul(2)));
    for (shown, c) in text.chars().enumerate() {
        if shown >= limit {
            out.push_str(&format!("… ({total} bytes in all)"));
            return out;
        }
        push_escaped(&mut out, c);
    }
    out
}

/// Control characters (C0, DEL, C1) and the invisible characters that
/// reorder or hide text are written as escapes; everything else as it is.
fn push_escaped(out: &mut String, c: char) {
    let invisible = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        c if c.is_control() || invisible => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
        c => out.push(c),
    }
}

#[cfg(test)]
#[path = "scrub_tests.rs"]
mod tests;
