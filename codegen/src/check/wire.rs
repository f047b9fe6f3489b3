//! Rules for text that goes onto the wire verbatim, so that the bytes sent are
//! the ones the spec says: JSON pointers, XML names, header values, URL paths
//! and the base URL.

use super::At;
use crate::diag::Ctxt;

/// A JSON pointer (RFC 6901) the runtime looks up in an answer.
pub(super) fn check_pointer(at: &At, pointer: &str, cx: &mut Ctxt) {
    // A pointer without its leading `/` is reported where it is read.
    if !pointer.starts_with('/') {
        return;
    }
    let problem = if pointer.ends_with('/') {
        Some(format!(
            "JSON pointer `{pointer}` ends with `/`, which names a member with an empty name"
        ))
    } else if pointer.contains("//") {
        Some(format!("JSON pointer `{pointer}` has an empty step (`//`)"))
    } else {
        bad_escape(pointer).map(|esc| {
            format!("JSON pointer `{pointer}` has `{esc}`; `~` must be followed by 0 or 1")
        })
    };
    if let Some(message) = problem {
        at.error_hint(
            cx,
            message,
            "write it like `/records/0`; inside a name, `~1` stands for `/` and `~0` for `~`",
        );
    }
}

/// The first `~` escape that is not `~0` or `~1`.
fn bad_escape(pointer: &str) -> Option<String> {
    let mut chars = pointer.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '~' && !matches!(chars.peek(), Some((_, '0' | '1'))) {
            return Some(pointer[i..].chars().take(2).collect());
        }
    }
    None
}

/// An XML element name the runtime writes as `<name>` (or `<ns:name>`).
/// The runtime adds the only prefix, so a name is an NCName: a letter or `_`,
/// then letters, digits, `-`, `.` and `_`.
pub(super) fn check_xml_name(at: &At, what: &str, name: &str, cx: &mut Ctxt) -> bool {
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '-' | '.' | '_'));
    if !ok {
        at.error_hint(
            cx,
            format!("{what} `{name}` is not a valid XML element name"),
            "XML names start with a letter or `_` and hold only letters, digits, `-`, `.` and `_` (no spaces, `:` or markup)",
        );
    }
    ok
}

/// A method's path below the base URL: it must stay below it and mean what
/// it says. Returns the names of its `{placeholder}`s.
pub(super) fn check_path(at: &At, path: &str, cx: &mut Ctxt) -> Vec<String> {
    let placeholders = match placeholders(path) {
        Ok(names) => names,
        Err(message) => {
            at.error_hint(
                cx,
                format!("path `{path}` {message}"),
                "placeholders look like `{id}`: a name in braces, filled by a parameter with `in: path`",
            );
            return Vec::new();
        }
    };
    let problem = if path.starts_with('/') {
        Some((
            format!("path `{path}` starts with `/`"),
            "paths are relative to the base URL; drop the leading `/`",
        ))
    } else if let Some(c) = path.chars().find(|c| matches!(c, '?' | '#' | '\\')) {
        Some((
            format!("path `{path}` contains `{c}`"),
            "a path names a resource below the base URL; parameters go in `params`, and `\\` would be read as `/`",
        ))
    } else if let Some(c) = path.chars().find(|c| c.is_whitespace() || c.is_control()) {
        Some((
            format!("path `{path}` contains `{}`", c.escape_default()),
            "write the path as it appears in the URL, percent-encoded",
        ))
    } else if path.split('/').any(is_dot_segment) {
        Some((
            format!("path `{path}` has a `.` or `..` step, which would leave the base URL"),
            "write the path below the base URL without dot steps, or change `base_url`",
        ))
    } else if path.contains("//") {
        Some((
            format!("path `{path}` has an empty step (`//`)"),
            "remove the doubled `/`",
        ))
    } else {
        None
    };
    if let Some((message, hint)) = problem {
        at.error_hint(cx, message, hint);
    }
    placeholders
}

/// The `{name}`s of a path template, in order.
pub(super) fn placeholders(path: &str) -> Result<Vec<String>, &'static str> {
    let mut names = Vec::new();
    let mut rest = path;
    while let Some(i) = rest.find(['{', '}']) {
        if rest[i..].starts_with('}') {
            return Err("has a `}` without a matching `{`");
        }
        let Some(end) = rest[i..].find('}') else {
            return Err("has a `{` without a matching `}`");
        };
        let name = &rest[i + 1..i + end];
        if name.is_empty() || name.contains(['{', '/']) {
            return Err("has a placeholder that is not a plain name");
        }
        if names.iter().any(|n| n == name) {
            return Err("names the same placeholder twice");
        }
        names.push(name.to_string());
        rest = &rest[i + end + 1..];
    }
    Ok(names)
}

/// `.` and `..`, also percent-encoded (URL parsers treat `%2e` like `.`).
fn is_dot_segment(segment: &str) -> bool {
    let lower = segment.to_ascii_lowercase().replace("%2e", ".");
    lower == "." || lower == ".."
}

/// The base URL: no credentials (they would travel in every request's URL
/// and show wherever the URL is shown), no fragment, and, when methods add
/// their path, no query for the path to land in.
pub(super) fn check_base_url_parts(at: &At, url: &str, paths_appended: bool, cx: &mut Ctxt) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        at.error_hint(
            cx,
            "base URL holds credentials (`user:password@`)",
            "remove them: secrets never belong in a spec; give them as parameters or a session",
        );
    }
    if let Some(c) = url.chars().find(|c| c.is_whitespace() || c.is_control()) {
        at.error_hint(
            cx,
            format!("base URL contains `{}`", c.escape_default()),
            "write the URL without spaces or line breaks",
        );
    }
    if url.contains('#') {
        at.error_hint(
            cx,
            "base URL has a `#` fragment",
            "a fragment is never sent to the server; remove it",
        );
    } else if paths_appended && url.contains('?') {
        at.error_hint(
            cx,
            "base URL has a query, and each method's path would be appended after it",
            "move the query into a variable or constant with `in: query`",
        );
    }
}
