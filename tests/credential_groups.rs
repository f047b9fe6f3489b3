//! Alternative credential groups: a client is built from one group of its
//! variables, and only that group's values are sent. Subsonic's documented
//! query strings, one per group.

mod from_macro {
    loginspec::client!("corpus/subsonic");
}

use from_macro::subsonic::{Client, Credentials, PingRequest};
use loginspec_runtime::ClientOptions;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn query_of(credentials: Credentials) -> String {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/rest/ping.view"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let options = ClientOptions::default().base_url(format!("{}/rest/", server.uri()));
    let client = Client::with_options(credentials, options).expect("client");
    client.ping(PingRequest::new()).await.expect("ping");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1);
    requests[0].url.query().unwrap_or_default().to_string()
}

#[tokio::test]
async fn the_password_group_sends_user_and_password() {
    let query = query_of(Credentials::Password {
        user: "joe".into(),
        password: "sesame".into(),
    })
    .await;
    assert_eq!(query, "u=joe&p=sesame&v=1.12.0&c=myapp");
}

#[tokio::test]
async fn the_token_group_sends_user_token_and_salt() {
    let query = query_of(Credentials::Token {
        user: "joe".into(),
        token: "26719a1196d2a940705a59634eb18eab".into(),
        salt: "c19b2d".into(),
    })
    .await;
    assert_eq!(
        query,
        "u=joe&t=26719a1196d2a940705a59634eb18eab&s=c19b2d&v=1.12.0&c=myapp"
    );
}

#[tokio::test]
async fn the_api_key_group_sends_the_key_alone() {
    let query = query_of(Credentials::ApiKey {
        api_key: "8fa7b2c1".into(),
    })
    .await;
    assert_eq!(query, "apiKey=8fa7b2c1&v=1.12.0&c=myapp");
}

#[test]
fn credentials_never_show_a_secret() {
    let shown = format!(
        "{:?}",
        Credentials::Password {
            user: "joe".into(),
            password: "sesame".into(),
        }
    );
    assert!(shown.contains("joe"), "{shown}");
    assert!(!shown.contains("sesame"), "{shown}");
}
