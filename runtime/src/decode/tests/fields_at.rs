//! Response fields read from the document at an absolute pointer
//! (`HeaderSource::Document`), next to header and cookie fields.

use super::*;

/// Deluge's login (docs/peers/deluge.md): `"result": true` and the cookie.
static RESULT_AND_COOKIE: Method = Method {
    header_fields: &[
        ("result", HeaderSource::Document("/result")),
        ("_session_id", HeaderSource::Cookie("_session_id")),
    ],
    ..method("/result", PayloadKind::Empty, &[], &[])
};

#[test]
fn a_scalar_of_the_document_sits_next_to_a_cookie() {
    let answer = headers(&[("set-cookie", "_session_id=abc123; Path=/json")]);
    let body = r#"{"result": true, "error": null, "id": 1}"#;
    assert_eq!(
        payload(read_with(
            &RESULT_AND_COOKIE,
            Encoding::Json,
            200,
            &answer,
            body
        )),
        json!({"result": true, "_session_id": "abc123"})
    );
    // `null` there is left out, like a missing header.
    let body = r#"{"result": null, "error": null, "id": 1}"#;
    assert_eq!(
        payload(read_with(
            &RESULT_AND_COOKIE,
            Encoding::Json,
            200,
            &answer,
            body
        )),
        json!({"_session_id": "abc123"})
    );
    // An answer that is not a document has no such value to give.
    let reason = undecodable(read_with(
        &RESULT_AND_COOKIE,
        Encoding::Json,
        200,
        &answer,
        "Ok.",
    ));
    assert!(reason.contains("JSON document"), "{reason}");
}

/// A field outside an object payload, read at its own pointer.
static BESIDE_THE_PAYLOAD: Method = Method {
    header_fields: &[("took", HeaderSource::Document("/meta/took"))],
    ..method("/data", PayloadKind::Document, &[], &[])
};

#[test]
fn a_field_beside_an_object_payload_joins_it() {
    let body = r#"{"data": {"name": "x"}, "meta": {"took": 12}}"#;
    assert_eq!(
        payload(read_with(
            &BESIDE_THE_PAYLOAD,
            Encoding::Json,
            200,
            &HeaderMap::new(),
            body
        )),
        json!({"name": "x", "took": 12})
    );
    // A duplicate key on the field's path is refused, as on the payload's.
    let body = r#"{"data": {}, "meta": {"took": 1, "took": 2}}"#;
    let reason = undecodable(read_with(
        &BESIDE_THE_PAYLOAD,
        Encoding::Json,
        200,
        &HeaderMap::new(),
        body,
    ));
    assert!(reason.contains("took"), "{reason}");
}
