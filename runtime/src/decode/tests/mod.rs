//! Answers read through hand-written answer tables: the seeds' envelopes
//! (`protocols.md`) and the error rules, payload kinds and header fields of
//! the v2 corpus.

use super::*;
use crate::protocol::{CodeSource, Constant, ErrorRule, Verb, When};
use reqwest::header::HeaderValue;
use serde_json::json;

const ALWAYS: When = When {
    status: &[],
    present: None,
    absent: None,
    equals: None,
    text: None,
    header: None,
};

/// A rule reading an integer code at `code`, success `0`.
const fn at(code: &'static str, message: &'static [&'static str]) -> ErrorRule {
    ErrorRule {
        when: ALWAYS,
        code: CodeSource::At(code),
        code_optional: false,
        numeric: true,
        success_int: &[0],
        success_text: &[],
        message,
        retry_after: None,
    }
}

/// A rule making every answer it applies to the error `code`.
const fn fixed(when: When, code: CodeSource) -> ErrorRule {
    ErrorRule {
        when,
        code,
        code_optional: false,
        numeric: false,
        success_int: &[],
        success_text: &[],
        message: &[],
        retry_after: None,
    }
}

const fn method(
    payload: &'static str,
    payload_kind: PayloadKind,
    error_rules: &'static [ErrorRule],
    error_statuses: &'static [u16],
) -> Method {
    Method {
        name: "login",
        verb: Verb::Post,
        path: "",
        bindings: &[],
        json_strings: &[],
        payload,
        payload_kind,
        header_fields: &[],
        error_rules,
        error_statuses,
        encoding: None,
    }
}

fn read(
    method: &Method,
    encoding: Encoding,
    status: u16,
    body: &str,
) -> Result<Answer, Undecodable> {
    read_with(method, encoding, status, &HeaderMap::new(), body)
}

fn read_with(
    method: &Method,
    encoding: Encoding,
    status: u16,
    headers: &HeaderMap,
    body: &str,
) -> Result<Answer, Undecodable> {
    decode(method, encoding, status, headers, body.as_bytes(), None)
}

#[track_caller]
fn payload(answer: Result<Answer, Undecodable>) -> Value {
    match answer {
        Ok(Answer::Payload(value)) => value,
        other => panic!("expected a payload, got {other:?}"),
    }
}

#[track_caller]
fn api(answer: Result<Answer, Undecodable>) -> (ErrorCode, Option<String>, Option<u32>) {
    match answer {
        Ok(Answer::Api {
            code,
            message,
            retry_after_secs,
        }) => (code, message, retry_after_secs),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[track_caller]
fn undecodable(answer: Result<Answer, Undecodable>) -> String {
    match answer {
        Err(Undecodable(reason)) => reason,
        other => panic!("expected an undecodable answer, got {other:?}"),
    }
}

fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in pairs {
        map.append(*name, HeaderValue::from_static(value));
    }
    map
}

mod corpus;
mod fields_at;
mod seeds;
