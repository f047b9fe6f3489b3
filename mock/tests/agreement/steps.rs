//! A login of several calls (tests/steps/kratos): the first step opens a
//! flow whose `id` the mock hands out, the second sends it back with the
//! credentials and gets the session key; only that last step issues one.

use super::*;

mod fixture {
    loginspec::client!("../tests/steps/kratos");
}
use fixture::kratos;

/// The flow id of the docs' example, which the mock replaces.
const DOCS_FLOW: &str = "9d17f37b-b60b-44f5-9812-4829a89810f7";

#[tokio::test]
async fn only_the_last_step_issues_a_key_and_a_flow_must_be_one_the_mock_opened() {
    let model = model_at("../tests/steps");
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("kratos");
    let client = kratos::Client::with_options(options(m)).unwrap();
    let session = kratos::Session::new(
        client.clone(),
        kratos::LoginCredentials::new("ada@shop.test", "pw"),
    );
    let whoami = || session.sessions_whoami(kratos::SessionsWhoamiRequest::new());
    whoami().await.unwrap();
    // Expiry: both steps run again, with a new flow.
    m.expire_sessions();
    whoami().await.unwrap();
    let log = m.log();
    let methods: Vec<_> = log.iter().map(|l| l.method.clone().unwrap()).collect();
    let (open, submit, use_) = (
        "self-service/login/api",
        "self-service/login",
        "sessions/whoami",
    );
    assert_eq!(methods, [open, submit, use_, use_, open, submit, use_]);
    let flows: Vec<&str> = [&log[1], &log[5]]
        .iter()
        .map(|l| l.target.split("flow=").nth(1).unwrap())
        .collect();
    assert_ne!(flows[0], flows[1], "each flow is the mock's own");
    assert!(flows.iter().all(|f| *f != DOCS_FLOW && f.len() == 32));
    assert_eq!(m.violations(), vec![]);

    // The first step's answer carries no session key: its id opens nothing.
    let flow = client
        .self_service_login_api(kratos::SelfServiceLoginApiRequest::new())
        .await
        .unwrap()
        .id;
    let err = client
        .sessions_whoami(&flow.as_str().into(), kratos::SessionsWhoamiRequest::new())
        .await
        .unwrap_err();
    assert_eq!(err.class(), Some(ErrorClass::SessionExpired));

    // A flow the mock never opened (the docs' example) is a violation.
    m.clear_log();
    let made_up = kratos::SelfServiceLoginRequest::new(kratos::SelfServiceLoginArgs {
        flow: DOCS_FLOW.into(),
        identifier: "ada@shop.test".into(),
        password: "pw".into(),
    });
    assert!(client.self_service_login(made_up).await.is_err());
    let violations = m.violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert_eq!(violations[0].field, "flow");
}
