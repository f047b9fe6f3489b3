//! What an answer said besides its code: error entries refined by a match
//! (`refine`) read it, and generated error enums receive it
//! (`ApiErrorKind::from_answer`). A module of its own so neither of those
//! imports the other.

use reqwest::header::HeaderMap;

/// What an answer said besides its code, as received (before secrets are
/// blanked from the message for display).
#[derive(Debug, Clone, Copy, Default)]
pub struct AnswerFacts<'a> {
    pub message: Option<&'a str>,
    pub headers: Option<&'a HeaderMap>,
}
