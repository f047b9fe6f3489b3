//! A cheap look at how deeply a YAML document nests, taken before the parser
//! sees it.
//!
//! libyaml (under serde_yaml) walks its whole stack of open flow collections
//! for every token, so `[[[[…]]]]` 100 000 levels deep takes minutes to
//! reject. A spec needs a handful of levels, so a document that nests deeper
//! than [`MAX_DEPTH`] is refused up front. The scan understands just enough
//! YAML to count collections: block keys and `- ` entries by indentation,
//! `[`/`{` in flow context, and it skips comments, quoted scalars and `|`/`>`
//! block scalars, whose brackets are text. One pass over the bytes.

use crate::yaml::{Pos, Seg};

/// How many collections may be open at once (serde_yaml stops at 128).
pub const MAX_DEPTH: usize = 64;

/// Where a document first nests deeper than [`MAX_DEPTH`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TooDeep {
    pub pos: Pos,
    /// The block keys and entries leading there (flow levels are not named).
    pub path: Vec<Seg>,
}

/// The first place where `src` nests deeper than [`MAX_DEPTH`], if any.
pub fn too_deep(src: &str) -> Option<TooDeep> {
    let mut scan = Scan::default();
    for (i, line) in src.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if let Err(at) = scan.line(line.as_bytes()) {
            // Every character the scan stops at is ASCII, so `at` is a boundary;
            // positions count characters.
            let col = line.get(..at).map_or(at, |before| before.chars().count());
            return Some(TooDeep {
                pos: Pos {
                    line: i + 1,
                    col: col + 1,
                },
                path: scan
                    .block
                    .into_iter()
                    .map(|(_, level)| level.seg())
                    .collect(),
            });
        }
    }
    None
}

/// One open block collection, as a path step borrowed from the document
/// (made into a [`Seg`] only for the report).
enum Level<'a> {
    Key(&'a str),
    Index(usize),
}

impl Level<'_> {
    fn seg(self) -> Seg {
        match self {
            Level::Key(key) => Seg::Key(key.to_string()),
            Level::Index(i) => Seg::Index(i),
        }
    }
}

#[derive(Default)]
struct Scan<'a> {
    /// Open block collections: the column of each key or `- ` entry, with its path step.
    block: Vec<(usize, Level<'a>)>,
    /// Open `[` and `{`.
    flow: usize,
    /// The quote of a quoted scalar that continues on the next line.
    quote: Option<u8>,
    /// Lines indented deeper than this belong to a `|` or `>` scalar.
    block_scalar: Option<usize>,
}

/// `Err(offset)`: the document crosses [`MAX_DEPTH`] at that byte of the line.
type Step = Result<(), usize>;

impl<'a> Scan<'a> {
    fn depth(&self) -> usize {
        self.block.len() + self.flow
    }

    fn line(&mut self, line: &'a [u8]) -> Step {
        let indent = line.iter().take_while(|c| **c == b' ').count();
        let blank = indent == line.len() || line[indent] == b'#';
        if self.quote.is_some() || self.flow > 0 {
            return self.flow_or_quote(line, 0).map(|_| ());
        }
        if let Some(limit) = self.block_scalar {
            if blank || indent > limit {
                return Ok(());
            }
            self.block_scalar = None;
        }
        if blank || (indent == 0 && line.first() == Some(&b'%')) {
            return Ok(());
        }
        let mut at = indent;
        let marker = line.starts_with(b"---") || line.starts_with(b"...");
        if marker && line.get(3).is_none_or(|c| *c == b' ') {
            self.block.clear();
            at = 3;
        }
        // Levels that started right of this column are closed. One that
        // started at it stays for now: a `- ` line counts on from its sibling.
        self.block.retain(|(col, _)| *col <= at);
        // `- ` entries, possibly several on one line (`- - x`).
        loop {
            at = skip_spaces(line, at);
            let dash = line.get(at) == Some(&b'-') && line.get(at + 1).is_none_or(|c| *c == b' ');
            if !dash {
                break;
            }
            self.block.retain(|(col, _)| *col <= at);
            match self.block.last_mut() {
                Some((col, Level::Index(i))) if *col == at => *i += 1,
                _ => self.block.push((at, Level::Index(0))),
            }
            if self.depth() > MAX_DEPTH {
                return Err(at);
            }
            at += 2;
        }
        self.node(line, at, true)
    }

    /// A node starting at `at`: a key with its value, or a value.
    fn node(&mut self, line: &'a [u8], at: usize, may_be_key: bool) -> Step {
        let at = skip_properties(line, skip_spaces(line, at));
        let Some(&c) = line.get(at) else {
            return Ok(());
        };
        match c {
            b'#' => Ok(()),
            b'[' | b'{' => self.flow_or_quote(line, at).map(|_| ()),
            b'"' | b'\'' => {
                self.quote = Some(c);
                match self.flow_or_quote(line, at + 1)? {
                    // A quoted key: `"a b": value`.
                    Some(end) if may_be_key && is_key_colon(line, end) => {
                        self.key(at, &line[at + 1..end - 1], line, end + 1)
                    }
                    _ => Ok(()),
                }
            }
            b'|' | b'>' => {
                let owner = self.block.last().map_or(0, |(col, _)| *col);
                self.block_scalar = Some(owner);
                Ok(())
            }
            _ if may_be_key => match plain_key_end(line, at) {
                Some(end) => self.key(at, &line[at..end], line, end + 1),
                None => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn key(&mut self, col: usize, key: &'a [u8], line: &'a [u8], value: usize) -> Step {
        self.block.retain(|(c, _)| *c < col);
        // The key's ends are ASCII, so the bytes between are whole characters.
        let key = std::str::from_utf8(key).unwrap_or_default().trim_end();
        self.block.push((col, Level::Key(key)));
        if self.depth() > MAX_DEPTH {
            return Err(col);
        }
        self.node(line, value, false)
    }

    /// Scans flow collections and quoted scalars from `at`, across lines.
    /// Returns the column after a quoted scalar that ended on this line
    /// outside any flow.
    fn flow_or_quote(&mut self, line: &[u8], at: usize) -> Result<Option<usize>, usize> {
        let mut i = at;
        // Whether a quote here would open a quoted scalar (not sit inside a plain one).
        let mut token_start = true;
        while i < line.len() {
            let c = line[i];
            if let Some(q) = self.quote {
                if c == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if c == q {
                    if q == b'\'' && line.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    self.quote = None;
                    token_start = false;
                    if self.flow == 0 {
                        return Ok(Some(i + 1));
                    }
                }
                i += 1;
                continue;
            }
            match c {
                b'[' | b'{' => {
                    self.flow += 1;
                    if self.depth() > MAX_DEPTH {
                        return Err(i);
                    }
                    token_start = true;
                }
                b']' | b'}' => {
                    self.flow = self.flow.saturating_sub(1);
                    if self.flow == 0 {
                        return Ok(None);
                    }
                    token_start = false;
                }
                b',' | b':' | b'?' => token_start = true,
                b'"' | b'\'' if token_start => self.quote = Some(c),
                b'#' if i == 0 || line[i - 1] == b' ' || line[i - 1] == b'\t' => return Ok(None),
                b' ' | b'\t' => {}
                _ => token_start = false,
            }
            i += 1;
        }
        Ok(None)
    }
}

fn skip_spaces(line: &[u8], mut at: usize) -> usize {
    while line.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

/// Skips an anchor (`&a`) or tag (`!t`) in front of a node.
fn skip_properties(line: &[u8], mut at: usize) -> usize {
    while matches!(line.get(at), Some(b'&' | b'!')) {
        while line.get(at).is_some_and(|c| *c != b' ') {
            at += 1;
        }
        at = skip_spaces(line, at);
    }
    at
}

/// Whether a `:` that ends a key follows `at` (after spaces).
fn is_key_colon(line: &[u8], at: usize) -> bool {
    let at = skip_spaces(line, at);
    line.get(at) == Some(&b':') && line.get(at + 1).is_none_or(|c| *c == b' ')
}

/// The column of the `:` that ends a plain key starting at `at`, if the
/// line holds one before any comment.
fn plain_key_end(line: &[u8], at: usize) -> Option<usize> {
    let mut i = at;
    while i < line.len() {
        match line[i] {
            b':' if line.get(i + 1).is_none_or(|c| *c == b' ') => return Some(i),
            b'#' if i > at && line[i - 1] == b' ' => return None,
            _ => i += 1,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Seg {
        Seg::Key(k.into())
    }

    #[test]
    fn real_documents_pass() {
        let doc = "a: 1\nlist:\n  - name: x\n    type: \"[[[[\"\n    doc: |\n      [[[[[[\n  - {a: [1, [2]], b: '{{'}\nre: ^[a-z]+$ # [[[\n";
        assert_eq!(too_deep(doc), None);
    }

    #[test]
    fn deep_flow_is_found_where_it_crosses() {
        let doc = format!("a: 1\nexamples:\n  - body: {}\n", "[".repeat(100_000));
        let found = too_deep(&doc).unwrap();
        // Three block levels (examples, [0], body), so flow level 62 crosses.
        assert_eq!(
            found.pos,
            Pos {
                line: 3,
                col: 11 + 61
            }
        );
        assert_eq!(
            found.path,
            vec![key("examples"), Seg::Index(0), key("body")]
        );
    }

    #[test]
    fn deep_block_sequences_on_one_line_are_found() {
        let doc = format!("x:\n  {}y\n", "- ".repeat(10_000));
        let found = too_deep(&doc).unwrap();
        assert_eq!(found.pos.line, 2);
        assert_eq!(found.path.len(), MAX_DEPTH + 1);
    }

    #[test]
    fn deep_indentation_is_found() {
        let doc: String = (0..100)
            .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
            .collect();
        let found = too_deep(&doc).unwrap();
        assert_eq!(found.pos, Pos { line: 65, col: 65 });
    }

    #[test]
    fn brackets_in_quotes_comments_and_block_scalars_do_not_count() {
        let deep = "[".repeat(200);
        let doc = format!(
            "a: \"{deep}\"\nb: '{deep}'\nc: x # {deep}\nd: |\n  {deep}\ne: >-\n  {deep}\n\n  {deep}\nf: \"multi\n  {deep}\"\ng: [\"{deep}\", '{deep}'] # {deep}\n"
        );
        assert_eq!(too_deep(&doc), None);
    }
}
