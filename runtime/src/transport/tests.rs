use super::*;
use crate::error::ErrorCode;
use crate::protocol::{Binding, Location, PayloadKind, Source, Verb};

static QUERY_PROTOCOL: Protocol = Protocol {
    provider: "test",
    base_url: "",
    encodings: &[Encoding::Json],
    xml_root: "Request",
    soap_namespace: "",
    secret_fields: &[],
};

static PASSES: Method = Method {
    name: "attendance/getPassByPerson",
    verb: Verb::Get,
    path: "attendance/getPassByPerson",
    bindings: &[Binding {
        source: Source::SessionKey,
        location: Location::Query("Token"),
    }],
    json_strings: &[],
    payload: "",
    payload_kind: PayloadKind::Document,
    header_fields: &[],
    error_rules: &[],
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
