use super::*;
use crate::error::ErrorCode;
use crate::protocol::{Carry, ErrorRule, MethodName};

static QUERY_PROTOCOL: Protocol = Protocol {
    provider: "test",
    base_url: "",
    encodings: &[Encoding::Json],
    method_name: MethodName::Path,
    pack_params: None,
    xml_root: "Request",
    soap_namespace: "",
    payload: "",
    errors: ErrorRule {
        code: None,
        code_optional: true,
        message: None,
        numeric: true,
        success_int: &[],
        success_text: &[],
    },
    secret_fields: &[],
    session_key: Some(Carry::Query("Token")),
};

static PASSES: Method = Method {
    name: "attendance/getPassByPerson",
    path: "attendance/getPassByPerson",
    soap: None,
    constants: &[],
    error_statuses: &[],
};

#[derive(serde::Serialize)]
struct Empty {}

impl Request for Empty {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

#[derive(Debug)]
struct NoCodes;

impl std::fmt::Display for NoCodes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("none")
    }
}

impl ApiErrorKind for NoCodes {
    fn from_code(_: ErrorCode, _: Option<String>) -> Self {
        NoCodes
    }
    fn code(&self) -> ErrorCode {
        ErrorCode::Int(0)
    }
    fn class(&self) -> crate::ErrorClass {
        crate::ErrorClass::Other
    }
}

#[tokio::test]
async fn secrets_a_token_in_the_query_string_stays_out_of_transport_errors() {
    // A port nothing listens on: bind one, then free it.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free local port");
    let options = ClientOptions::default().base_url(format!("http://127.0.0.1:{port}/api/"));
    let transport = Transport::new(&QUERY_PROTOCOL, options, []).expect("transport");
    let token = Secret::new("a45a039c-eb31-46f1-9ece-88aa5ccfe22c");
    let result: Result<serde_json::Value, Error<NoCodes>> =
        transport.call_in_session(&PASSES, &token, Empty {}).await;
    let error = result.expect_err("nothing listens there");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    for text in [format!("{error}"), format!("{error:?}")] {
        assert!(!text.contains(token.expose()), "the token leaks: {text}");
        assert!(!text.contains("Token="), "the query leaks: {text}");
    }
}
