//! Reading an answer into a typed result, shared by calls and by the
//! generated example tests (which decode vendor samples without any HTTP).

use crate::decode::{self, Answer};
use crate::error::{ApiErrorKind, Error};
use crate::failure::{decode_payload, Failure, Payload};
use crate::protocol::{Encoding, Method, Protocol};
use crate::retry::header_retry_after;
use crate::scrub::Scrubber;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

/// Tells an API error from a success and finds the payload.
pub(crate) fn interpret(
    method: &Method,
    encoding: Encoding,
    status: u16,
    headers: &HeaderMap,
    body: Vec<u8>,
    id_check: Option<(&'static str, u64)>,
) -> Result<Payload, Failure> {
    match decode::decode(method, encoding, status, headers, &body, id_check) {
        Ok(Answer::Payload(value)) => Ok(Payload {
            value,
            status,
            body,
        }),
        Ok(Answer::Api {
            code,
            message,
            retry_after_secs,
        }) => Err(Failure::Api {
            code,
            message,
            status,
            retry_after_secs,
            headers: Box::new(headers.clone()),
        }),
        Err(decode::Undecodable(reason)) => Err(Failure::Decode {
            status,
            reason,
            body,
        }),
    }
}

/// Decodes a response body exactly as a call would, without any HTTP.
/// Generated tests use it to check the vendors' documented samples.
pub fn decode_example<Resp: DeserializeOwned, E: ApiErrorKind>(
    protocol: &'static Protocol,
    method: &'static Method,
    encoding: Encoding,
    status: u16,
    body: &str,
) -> Result<Resp, Error<E>> {
    decode_example_with_headers(protocol, method, encoding, status, &[], body)
}

/// [`decode_example`] for an answer with headers (`Set-Cookie`,
/// `WWW-Authenticate`, `Retry-After`), as `(name, value)` pairs; for
/// methods whose fields or error rules read headers. A pair that is not a
/// valid header is left out.
pub fn decode_example_with_headers<Resp: DeserializeOwned, E: ApiErrorKind>(
    protocol: &'static Protocol,
    method: &'static Method,
    encoding: Encoding,
    status: u16,
    headers: &[(&str, &str)],
    body: &str,
) -> Result<Resp, Error<E>> {
    let scrub = Scrubber::new(&[], protocol.secret_fields);
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    }
    let retry_after = header_retry_after(&map);
    interpret(
        method,
        encoding,
        status,
        &map,
        body.as_bytes().to_vec(),
        None,
    )
    .map_err(|failure| failure.retry_after(retry_after))
    .and_then(decode_payload)
    .map_err(|failure| failure.into_error(protocol.provider, method.name, &scrub))
}
