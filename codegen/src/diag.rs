//! Diagnostics: collected through every stage, located and rendered once.

use crate::yaml::{self, Pos, Seg};
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

/// Rendered like rustc: message, location, snippet with a caret, path, hint.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.message)?;
        writeln!(f, "  --> {}", self.location())?;
        if let (Some(pos), Some(line)) = (self.pos, &self.line_text) {
            let number = pos.line.to_string();
            let pad = " ".repeat(number.len());
            // Columns count characters, so slice by characters, not bytes.
            let start = pos.col.saturating_sub(1);
            let token: String = line
                .chars()
                .skip(start)
                .take_while(|c| !matches!(c, ' ' | '#'))
                .collect();
            let width = token.trim_end().chars().count().max(1);
            let indent: String = line
                .chars()
                .take(start)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{number} | {line}")?;
            writeln!(f, "{pad} | {indent}{}", "^".repeat(width))?;
        }
        if !self.path.is_empty() {
            writeln!(f, "  = at: {}", self.yaml_path())?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
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
