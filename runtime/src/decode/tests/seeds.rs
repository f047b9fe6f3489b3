//! The seed providers' envelopes as `protocols.md` quotes them, read by one rule each.

use super::*;

// ------------------------------------------------------------------ seeds

static ERPLY: Method = method(
    "/records/0",
    PayloadKind::Document,
    &[at("/status/errorCode", &["/status/errorField"])],
    &[403],
);

#[test]
fn erply_envelope_single_rule_keeps_v1_semantics() {
    let ok = r#"{"status":{"request":"verifyUser","errorCode":0},"records":[{"sessionKey":"k","userID":"5"}]}"#;
    assert_eq!(
        payload(read(&ERPLY, Encoding::Form, 200, ok)),
        json!({"sessionKey": "k", "userID": "5"})
    );
    let denied = r#"{"status":{"responseStatus":"error","errorCode":1051,"errorField":null},"records":null}"#;
    assert_eq!(
        api(read(&ERPLY, Encoding::Form, 200, denied)),
        (ErrorCode::Int(1051), None, None)
    );
    let missing = r#"{"status":{"errorField":"username","errorCode":"1010"}}"#;
    assert_eq!(
        api(read(&ERPLY, Encoding::Form, 200, missing)),
        (ErrorCode::Int(1010), Some("username".into()), None)
    );
    // No code: undecodable, unless the status is documented.
    let reason = undecodable(read(&ERPLY, Encoding::Form, 200, r#"{"records":[]}"#));
    assert_eq!(reason, "no error code at `/status/errorCode`");
    assert_eq!(
        api(read(&ERPLY, Encoding::Form, 403, r#"{"records":[]}"#)).0,
        ErrorCode::HttpStatus(403)
    );
    assert_eq!(
        api(read(&ERPLY, Encoding::Form, 403, "<html>Forbidden</html>")).0,
        ErrorCode::HttpStatus(403)
    );
    // A non-2xx answer with a success code is still an error of its status.
    let zero = r#"{"status":{"errorCode":0},"records":[{}]}"#;
    assert_eq!(
        api(read(&ERPLY, Encoding::Form, 500, zero)).0,
        ErrorCode::HttpStatus(500)
    );
    // Duplicates on a read path are refused, also under a rule's pointer.
    let twice = r#"{"status":{"errorCode":1051,"errorCode":0},"records":[{}]}"#;
    assert!(undecodable(read(&ERPLY, Encoding::Form, 200, twice)).contains("duplicate key"));
    assert_eq!(
        undecodable(read(&ERPLY, Encoding::Form, 200, " ")),
        "empty body"
    );
}

static WIALON: Method = method(
    "",
    PayloadKind::Document,
    &[ErrorRule {
        code_optional: true,
        ..at("/error", &["/reason"])
    }],
    &[],
);

#[test]
fn wialon_optional_code_and_reason() {
    assert_eq!(
        api(read(
            &WIALON,
            Encoding::Form,
            200,
            r#"{"error":1003,"reason":"LIMIT api_concurrent"}"#
        )),
        (
            ErrorCode::Int(1003),
            Some("LIMIT api_concurrent".into()),
            None
        )
    );
    assert_eq!(
        payload(read(&WIALON, Encoding::Form, 200, r#"{"error":0}"#)),
        json!({"error": 0})
    );
    assert_eq!(
        payload(read(&WIALON, Encoding::Form, 200, r#"{"eid":"d1cb"}"#)),
        json!({"eid": "d1cb"})
    );
    assert_eq!(
        api(read(&WIALON, Encoding::Form, 502, r#"{"eid":"d1cb"}"#)).0,
        ErrorCode::HttpStatus(502)
    );
}

static AKTION: Method = method(
    "",
    PayloadKind::Document,
    &[ErrorRule {
        code_optional: true,
        ..at("/Code", &["/Message"])
    }],
    &[400, 401],
);

#[test]
fn aktion_json_and_xml_errors() {
    let body = r#"{"Message":"UserLogin or ApiKey are unknown or user is blocked","Code":1003}"#;
    assert_eq!(
        api(read(&AKTION, Encoding::Json, 401, body)),
        (
            ErrorCode::Int(1003),
            Some("UserLogin or ApiKey are unknown or user is blocked".into()),
            None
        )
    );
    let xml = "<Response><Message>m</Message><Code>1004</Code></Response>";
    assert_eq!(
        api(read(&AKTION, Encoding::Xml, 401, xml)).0,
        ErrorCode::Int(1004)
    );
    let twice = "<Response><Code>1004</Code><Code>0</Code></Response>";
    assert!(undecodable(read(&AKTION, Encoding::Xml, 401, twice)).contains("appears 2 times"));
    let ok = "<Response><Token>a45a</Token><ExpireInSec>20</ExpireInSec></Response>";
    assert_eq!(
        payload(read(&AKTION, Encoding::Xml, 200, ok)),
        json!({"Token": "a45a", "ExpireInSec": "20"})
    );
    // An undocumented status with a page that is not a document.
    let reason = undecodable(read(&AKTION, Encoding::Json, 500, "<html>oops</html>"));
    assert!(reason.starts_with("expected a JSON document"), "{reason}");
}

static AUKRO: Method = method("/doLoginEncResponse", PayloadKind::Document, &[], &[]);

const ENVELOPE: &str = r#"<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="https://webapi.allegro.pl/service.php"><SOAP-ENV:Body>"#;

#[test]
fn aukro_soap_payload_and_fault() {
    let ok = format!(
        "{ENVELOPE}<ns1:doLoginEncResponse><ns1:sessionHandlePart>22eb</ns1:sessionHandlePart><ns1:userId>4109848</ns1:userId></ns1:doLoginEncResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    );
    assert_eq!(
        payload(read(&AUKRO, Encoding::Soap11, 200, &ok)),
        json!({"sessionHandlePart": "22eb", "userId": "4109848"})
    );
    let fault = format!(
        "{ENVELOPE}<SOAP-ENV:Fault><faultcode>SOAP-ENV:ERR_USER_PASSWD</faultcode><faultstring>Incorrect password.</faultstring></SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>"
    );
    assert_eq!(
        api(read(&AUKRO, Encoding::Soap11, 500, &fault)),
        (
            ErrorCode::Text("ERR_USER_PASSWD".into()),
            Some("Incorrect password.".into()),
            None
        )
    );
    let other = format!("{ENVELOPE}<ns1:doLoginResponse/></SOAP-ENV:Body></SOAP-ENV:Envelope>");
    assert_eq!(
        undecodable(read(&AUKRO, Encoding::Soap11, 200, &other)),
        "no payload at `/doLoginEncResponse`"
    );
    let twice = format!("{ENVELOPE}<ns1:doLoginEncResponse/><ns1:doLoginEncResponse/></SOAP-ENV:Body></SOAP-ENV:Envelope>");
    assert!(undecodable(read(&AUKRO, Encoding::Soap11, 200, &twice)).contains("appears 2 times"));
    assert_eq!(
        api(read(&AUKRO, Encoding::Soap11, 500, &ok)).0,
        ErrorCode::HttpStatus(500)
    );
}
