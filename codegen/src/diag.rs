//! Diagnostics: collected through every stage, located and rendered once.

use crate::yaml::{self, Pos, Seg};
use annotate_snippets::{AnnotationKind, Group, Level, Origin, Renderer, Snippet};
use std::fmt;

/// One problem in the specs, with where it is and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The spec file, relative to the parent of the specs folder (`specs/erply/provider.yaml`).
    pub file: String,
    /// The YAML path of the offending value (`params[1].type`).
    pub path: Vec<Seg>,
    pub pos: Option<Pos>,
    pub message: String,
    pub hint: Option<String>,
    /// The source line at `pos`, for the snippet.
    pub line_text: Option<String>,
}

impl Diagnostic {
    /// `file:line:col`, or the file alone when the position is unknown.
    pub fn location(&self) -> String {
        match self.pos {
            Some(pos) => format!("{}:{}:{}", self.file, pos.line, pos.col),
            None => self.file.clone(),
        }
    }

    /// The YAML path as written in messages: `errors[3].code`.
    pub fn yaml_path(&self) -> String {
        render_path(&self.path)
    }
}

pub fn render_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(key) | Seg::Repeated(key, _) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Seg::Index(index) => out.push_str(&format!("[{index}]")),
        }
    }
    out
}

/// How a diagnostic is shown: spec problems are errors, lints are warnings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

impl Diagnostic {
    /// [`Diagnostic::render_as`] an error.
    pub fn render(&self, styled: bool) -> String {
        self.render_as(Severity::Error, styled)
    }

    /// Renders like rustc (message, `file:line:col`, snippet with the span
    /// underlined, YAML path, hint) through annotate-snippets. `styled`
    /// adds ANSI colours; callers pass `true` only when writing to a terminal.
    pub fn render_as(&self, severity: Severity, styled: bool) -> String {
        let level = match severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let renderer = if styled {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut group = match (self.pos, &self.line_text) {
            (Some(pos), Some(line)) => {
                Group::with_title(level.primary_title(self.message.as_str())).element(
                    Snippet::source(line.as_str())
                        .line_start(pos.line)
                        .path(self.file.as_str())
                        .annotation(AnnotationKind::Primary.span(token_span(line, pos.col))),
                )
            }
            _ => Group::with_title(level.primary_title(self.message.as_str()))
                .element(Origin::path(self.file.as_str())),
        };
        let at = (!self.path.is_empty()).then(|| format!("at: {}", self.yaml_path()));
        if let Some(at) = &at {
            group = group.element(Level::NOTE.no_name().message(at.as_str()));
        }
        if let Some(hint) = &self.hint {
            group = group.element(Level::HELP.message(hint.as_str()));
        }
        renderer.render(&[group])
    }
}

/// The byte range of the token starting at 1-based character column `col`:
/// up to the next space or comment, at least one character wide.
fn token_span(line: &str, col: usize) -> std::ops::Range<usize> {
    // Columns count characters, so map them to byte offsets.
    let start = line
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    let rest = &line[start..];
    let len = rest.find([' ', '#']).unwrap_or(rest.len());
    let token = rest[..len].trim_end();
    let end = if token.is_empty() {
        start + rest.chars().next().map_or(0, char::len_utf8)
    } else {
        start + token.len()
    };
    start..end
}

/// The plain (uncoloured) rendering; see [`Diagnostic::render`].
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}", self.render(false))
    }
}

/// Every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for diagnostic in &self.0 {
            writeln!(f, "{diagnostic}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} in the specs", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// A spec file's display name and text, kept so positions can be found late.
#[derive(Debug, Clone)]
pub struct Source {
    pub file: String,
    pub text: String,
}

/// The collector threaded through loading and checking.
#[derive(Debug, Default)]
pub struct Ctxt {
    diagnostics: Vec<Diagnostic>,
}

impl Ctxt {
    /// Records a problem at `path` of `source`.
    pub fn error(
        &mut self,
        source: &Source,
        path: &[Seg],
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            file: source.file.clone(),
            path: path.to_vec(),
            pos: None,
            message: message.into(),
            hint,
            line_text: None,
        });
    }

    /// Records a problem whose position the parser already knows.
    pub fn error_at(
        &mut self,
        source: &Source,
        path: Vec<Seg>,
        pos: Option<Pos>,
        message: impl Into<String>,
        hint: Option<String>,
    ) {
        self.diagnostics.push(Diagnostic {
            file: source.file.clone(),
            path,
            pos,
            message: message.into(),
            hint,
            line_text: None,
        });
    }

    /// How many problems are recorded so far (a rule checks whether its
    /// helpers added any).
    pub fn error_count(&self) -> usize {
        self.diagnostics.len()
    }

    pub fn has_errors(&self) -> bool {
        !self.diagnostics.is_empty()
    }

    /// Locates every diagnostic in its source (only now, so a clean run
    /// never re-reads a file) and hands them over.
    pub fn finish(self, sources: &[Source]) -> Diagnostics {
        let mut diagnostics = self.diagnostics;
        for d in &mut diagnostics {
            let Some(source) = sources.iter().find(|s| s.file == d.file) else {
                continue;
            };
            if d.pos.is_none() {
                d.pos = yaml::locate(&source.text, &d.path);
            }
            if let Some(pos) = d.pos {
                d.line_text = source
                    .text
                    .lines()
                    .nth(pos.line.saturating_sub(1))
                    .map(str::to_string);
            }
        }
        Diagnostics(diagnostics)
    }
}
