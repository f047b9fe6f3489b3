//! A failed call before it is given the method's error type, and the one
//! place that turns it into an [`Error`]: every text from the server or
//! about the answer passes through the call's [`Scrubber`] there, so an
//! error is safe to show and log from the moment it exists.

use crate::decode;
use crate::error::{ApiError, ApiErrorKind, Error, ErrorCode, Invalid};
use crate::scrub::{fit_for_log, Scrubber, SERVER_TEXT_CHARS};
use serde::de::DeserializeOwned;
use std::time::Duration;

/// Characters of a textual error code an error keeps.
const CODE_CHARS: usize = 100;

/// What went wrong, with the raw material of its text.
pub(crate) enum Failure {
    Invalid(Invalid),
    Transport(reqwest::Error),
    Timeout(Duration),
    Truncated {
        status: u16,
        received: usize,
        expected: Option<u64>,
        source: reqwest::Error,
    },
    Redirect {
        status: u16,
        origin: String,
    },
    Decode {
        status: u16,
        reason: String,
        /// The body, or as much of it as was read.
        body: Vec<u8>,
    },
    Api {
        code: ErrorCode,
        message: Option<String>,
        status: u16,
        retry_after_secs: Option<u32>,
        /// The answer's headers, for entries refined by a header (`match`).
        headers: Box<reqwest::header::HeaderMap>,
    },
}

impl Failure {
    /// Adds the delay the answer's `Retry-After` header asked for to an API
    /// error. The header wins over a delay the body gave: it is the HTTP
    /// standard's, and what proxies and load balancers set.
    pub(crate) fn retry_after(mut self, seconds: Option<u32>) -> Self {
        if let Failure::Api {
            retry_after_secs, ..
        } = &mut self
        {
            if seconds.is_some() {
                *retry_after_secs = seconds;
            }
        }
        self
    }

    pub(crate) fn into_error<E: ApiErrorKind>(
        self,
        provider: &'static str,
        method: &'static str,
        scrub: &Scrubber,
    ) -> Error<E> {
        match self {
            Failure::Invalid(Invalid { field, reason }) => Error::Invalid {
                field,
                reason: scrub.server_text(&reason, SERVER_TEXT_CHARS),
            },
            Failure::Transport(err) => Error::Transport(err),
            Failure::Timeout(limit) => Error::Timeout(limit),
            Failure::Truncated {
                status,
                received,
                expected,
                source,
            } => Error::Truncated {
                status,
                received,
                expected,
                source,
            },
            Failure::Redirect { status, origin } => Error::Redirect {
                status,
                origin: fit_for_log(&origin, SERVER_TEXT_CHARS, origin.len()),
            },
            Failure::Decode {
                status,
                reason,
                body,
            } => Error::Decode {
                status,
                reason: scrub.server_text(&reason, SERVER_TEXT_CHARS),
                excerpt: decode::excerpt(&body, scrub),
            },
            Failure::Api {
                code,
                message,
                status,
                retry_after_secs,
                headers,
            } => {
                // The variant is chosen by the code and by what the server
                // said as it said it; only the text kept is scrubbed.
                let facts = crate::facts::AnswerFacts {
                    message: message.as_deref(),
                    headers: Some(&headers),
                };
                let scrubbed = message
                    .as_deref()
                    .map(|m| scrub.server_text(m, SERVER_TEXT_CHARS));
                let code = match code {
                    ErrorCode::Text(text) => ErrorCode::Text(scrub.server_text(&text, CODE_CHARS)),
                    other => other,
                };
                let kind = E::from_answer(code, scrubbed.clone(), &facts);
                let message = scrubbed;
                Error::Api {
                    provider,
                    method,
                    error: ApiError {
                        kind,
                        status,
                        message,
                        retry_after_secs,
                    },
                }
            }
        }
    }
}

/// A decoded success body, kept with what an error message needs.
pub(crate) struct Payload {
    pub value: serde_json::Value,
    pub status: u16,
    pub body: Vec<u8>,
}

pub(crate) fn decode_payload<Resp: DeserializeOwned>(payload: Payload) -> Result<Resp, Failure> {
    serde_path_to_error::deserialize(&payload.value).map_err(|err| undecodable(err, payload))
}

/// The decode failure of an answer whose JSON does not fit the method's
/// response type; not generic, so compiled once.
fn undecodable(err: serde_path_to_error::Error<serde_json::Error>, payload: Payload) -> Failure {
    let path = err.path().to_string();
    let reason = hide_values(&err.into_inner().to_string());
    Failure::Decode {
        status: payload.status,
        reason: if path == "." {
            reason
        } else {
            format!("at `{path}`: {reason}")
        },
        body: payload.body,
    }
}

/// serde repeats the offending value (`invalid type: string "…"`,
/// `integer `42``, `unknown variant `…``); that value might be a secret in
/// the wrong place, so it is not repeated. What serde expected, and the
/// name of a missing or duplicate field, are kept.
pub(crate) fn hide_values(message: &str) -> String {
    let (found, expected) = match message.find(", expected") {
        Some(at) => message.split_at(at),
        None => (message, ""),
    };
    let mut out = hide_between(found, '"', |_| false);
    out = hide_between(&out, '`', |before| {
        before.ends_with("missing field ") || before.ends_with("duplicate field ")
    });
    out.push_str(&hide_between(expected, '"', |_| false));
    out
}

/// Replaces the text between each pair of `quote`s with `…`, unless `keep`
/// says otherwise for the text before the pair; an unclosed quote hides
/// the rest.
fn hide_between(message: &str, quote: char, keep: impl Fn(&str) -> bool) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(start) = rest.find(quote) {
        out.push_str(&rest[..start]);
        let inner = &rest[start + 1..];
        let Some(end) = inner.find(quote) else {
            rest = "";
            break;
        };
        if keep(&out) {
            out.push_str(&rest[start..start + end + 2]);
        } else {
            out.push(quote);
            out.push('…');
            out.push(quote);
        }
        rest = &inner[end + 1..];
    }
    out.push_str(rest);
    out
}

/// The span field `outcome` of a finished call.
pub(crate) fn outcome_name<T, E: ApiErrorKind>(result: &Result<T, Error<E>>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Api { .. }) => "api_error",
        Err(Error::Invalid { .. }) => "invalid",
        Err(Error::Transport(_)) => "transport",
        Err(Error::Truncated { .. }) => "truncated",
        Err(Error::Redirect { .. }) => "redirect_refused",
        Err(Error::Timeout(_)) => "timeout",
        Err(Error::Decode { .. }) => "undecodable",
    }
}

#[cfg(test)]
mod tests {
    use super::hide_values;

    #[test]
    fn values_serde_repeats_are_hidden() {
        assert_eq!(
            hide_values(r#"invalid type: string "s3cret", expected u64"#),
            r#"invalid type: string "…", expected u64"#
        );
        assert_eq!(
            hide_values("invalid type: integer `918273645`, expected a string"),
            "invalid type: integer `…`, expected a string"
        );
        assert_eq!(
            hide_values("unknown variant `k3y`, expected one of `A`, `B`"),
            "unknown variant `…`, expected one of `A`, `B`"
        );
        assert_eq!(
            hide_values("missing field `sessionKey`"),
            "missing field `sessionKey`"
        );
        assert_eq!(hide_values("invalid value: `unclosed"), "invalid value: ");
    }

    proptest::proptest! {
        #[test]
        fn hiding_never_panics_and_never_repeats_a_quoted_value(
            value in "[a-z0-9]{6,12}",
            before in "\\PC{0,20}",
            quote in proptest::sample::select(vec!['"', '`']),
        ) {
            let message = format!("invalid type: {before} {quote}{value}{quote}, expected a string");
            let shown = hide_values(&message);
            proptest::prop_assert!(!shown.contains(&format!("{quote}{value}{quote}")), "{}", shown);
        }
    }
}
