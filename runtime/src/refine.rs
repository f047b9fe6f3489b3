//! Error entries refined by what else the answer says: one code can mean
//! several errors (JSON-RPC `-32602` is "invalid params" or "session
//! terminated" by its message; an OAuth2 401 names a dead token in
//! `WWW-Authenticate`). Among the entries of a code, the first whose match
//! holds is chosen, else the one without a match.

use crate::error::{ErrorCode, ErrorEntry};
use crate::facts::AnswerFacts;

/// A test of a text: it contains a fixed text, or a regular expression
/// matches all of it (anchored as `^(?:…)$`, as a parameter's `pattern`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextTest {
    Contains(&'static str),
    Matches(&'static str),
}

impl TextTest {
    pub fn holds(&self, text: &str) -> bool {
        match self {
            TextTest::Contains(part) => text.contains(part),
            // The generator has checked that the pattern compiles.
            TextTest::Matches(pattern) => {
                crate::validate::whole_match(pattern, text).unwrap_or(false)
            }
        }
    }
}

/// When a documented entry applies besides its code; every test given must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorMatch {
    /// A test of the server's message as the error rule read it (its parts
    /// joined with `": "`); an answer without a message fails it.
    pub message: Option<TextTest>,
    /// A header (any of its values) and its test; an answer without the
    /// header fails it.
    pub header: Option<(&'static str, TextTest)>,
}

impl ErrorMatch {
    pub fn holds(&self, facts: &AnswerFacts<'_>) -> bool {
        let message = self
            .message
            .is_none_or(|test| facts.message.is_some_and(|m| test.holds(m)));
        let header = self.header.is_none_or(|(name, test)| {
            facts.headers.is_some_and(|headers| {
                headers
                    .get_all(name)
                    .iter()
                    .any(|value| test.holds(&String::from_utf8_lossy(value.as_bytes())))
            })
        });
        message && header
    }
}

impl ErrorEntry {
    /// Row of `table` for `code`: among the rows of that code, the first
    /// whose match in `matches` (by row) holds, else the first without one.
    pub fn find_refined(
        table: &[ErrorEntry],
        matches: &[(usize, ErrorMatch)],
        code: &ErrorCode,
        facts: &AnswerFacts<'_>,
    ) -> Option<usize> {
        Self::find_matched(table, matches, code, facts)
            .or_else(|| Self::find_unrefined(table, matches, code))
    }

    /// The first row of `code` whose match holds. A method's error enum asks
    /// its own table, then the provider-wide one, before either's fallback.
    pub fn find_matched(
        table: &[ErrorEntry],
        matches: &[(usize, ErrorMatch)],
        code: &ErrorCode,
        facts: &AnswerFacts<'_>,
    ) -> Option<usize> {
        Self::rows_of(table, code)
            .find(|row| matches.iter().any(|(r, m)| r == row && m.holds(facts)))
    }

    /// The first row of `code` without a match (the fallback).
    pub fn find_unrefined(
        table: &[ErrorEntry],
        matches: &[(usize, ErrorMatch)],
        code: &ErrorCode,
    ) -> Option<usize> {
        Self::rows_of(table, code).find(|row| matches.iter().all(|(r, _)| r != row))
    }

    fn rows_of<'t>(
        table: &'t [ErrorEntry],
        code: &'t ErrorCode,
    ) -> impl Iterator<Item = usize> + 't {
        table
            .iter()
            .enumerate()
            .filter(move |(_, entry)| entry.code.matches(code))
            .map(|(row, _)| row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{DocumentedCode, ErrorClass};
    use reqwest::header::{HeaderMap, HeaderValue};

    const TABLE: &[ErrorEntry] = &[
        ErrorEntry {
            code: DocumentedCode::Int(-32602),
            class: ErrorClass::InvalidInput,
            text: "Invalid params",
        },
        ErrorEntry {
            code: DocumentedCode::Int(-32602),
            class: ErrorClass::SessionExpired,
            text: "Session terminated",
        },
        ErrorEntry {
            code: DocumentedCode::HttpStatus(401),
            class: ErrorClass::SessionExpired,
            text: "Invalid token",
        },
        ErrorEntry {
            code: DocumentedCode::HttpStatus(401),
            class: ErrorClass::BadCredentials,
            text: "Unauthorized",
        },
    ];
    const MATCHES: &[(usize, ErrorMatch)] = &[
        (
            1,
            ErrorMatch {
                message: Some(TextTest::Matches("(?s).*re-?login.*")),
                header: None,
            },
        ),
        (
            2,
            ErrorMatch {
                message: None,
                header: Some((
                    "WWW-Authenticate",
                    TextTest::Contains("error=\"invalid_token\""),
                )),
            },
        ),
    ];

    fn find(code: ErrorCode, facts: AnswerFacts<'_>) -> Option<usize> {
        ErrorEntry::find_refined(TABLE, MATCHES, &code, &facts)
    }

    #[test]
    fn a_message_picks_the_refined_entry_and_anything_else_the_fallback() {
        let terminated = "Invalid params.: Session terminated, re-login, please.";
        let facts = AnswerFacts {
            message: Some(terminated),
            headers: None,
        };
        assert_eq!(find(ErrorCode::Int(-32602), facts), Some(1));
        let other = AnswerFacts {
            message: Some("Invalid params.: No groups for host"),
            headers: None,
        };
        assert_eq!(find(ErrorCode::Int(-32602), other), Some(0));
        assert_eq!(
            find(ErrorCode::Int(-32602), AnswerFacts::default()),
            Some(0)
        );
        assert_eq!(find(ErrorCode::Int(7), facts), None);
    }

    #[test]
    fn a_header_value_picks_the_refined_entry_whatever_its_case_of_name() {
        let mut headers = HeaderMap::new();
        headers.append(
            "www-authenticate",
            HeaderValue::from_static("Bearer realm=\"Users\", error=\"invalid_token\""),
        );
        let facts = AnswerFacts {
            message: None,
            headers: Some(&headers),
        };
        assert_eq!(find(ErrorCode::HttpStatus(401), facts), Some(2));
        let mut missing = HeaderMap::new();
        missing.append(
            "www-authenticate",
            HeaderValue::from_static("Bearer realm=\"Users\""),
        );
        let facts = AnswerFacts {
            message: None,
            headers: Some(&missing),
        };
        assert_eq!(find(ErrorCode::HttpStatus(401), facts), Some(3));
    }

    #[test]
    fn contains_and_whole_matches() {
        assert!(TextTest::Contains("re-login").holds("Session terminated, re-login, please."));
        assert!(!TextTest::Matches("re-login").holds("Session terminated, re-login, please."));
        assert!(TextTest::Matches("Session .*").holds("Session terminated, re-login, please."));
    }
}
