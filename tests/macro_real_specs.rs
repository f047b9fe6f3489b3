//! The repository's real specs through `loginspec::client!` and the
//! `loginspec` facade, as a user crate would use them.
//!
//! The macro's unit tests show that its tokens equal the build script's;
//! this shows that they compile behind the facade's runtime path, that the
//! spec examples decode (the `#[cfg(test)]` example tests of each module run
//! in this binary), and that a call sends and decodes exactly what the
//! `loginspec-client` module does.

use loginspec_tests::mock::{form_fields, json_answer, only_request, server_answering_posts};
use wiremock::MockServer;

/// Modules generated in this crate; paths are relative to tests/Cargo.toml.
mod from_macro {
    loginspec::client!("../specs/aktion");
    loginspec::client!("../specs/aukro");
    loginspec::client!("../specs/erply");
    loginspec::client!("../specs/wialon");
}

use from_macro::erply;

/// The documented verifyUser success envelope (protocols.md §5), shortened.
const SUCCESS_BODY: &str = r#"{
  "status": {"request": "verifyUser", "responseStatus": "ok", "errorCode": 0},
  "records": [{"userID": "5", "userName": "demo", "employeeID": "3",
               "sessionKey": "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09", "sessionLength": 3600}]
}"#;

async fn erply_server() -> MockServer {
    server_answering_posts("/api/", json_answer(SUCCESS_BODY)).await
}

fn options(server: &MockServer) -> loginspec::runtime::ClientOptions {
    loginspec::runtime::ClientOptions::default().base_url(format!("{}/api/", server.uri()))
}

#[tokio::test]
async fn erply_from_the_macro_sends_and_decodes_like_the_generated_crate() {
    let server = erply_server().await;
    let user = erply::Client::with_options("123456", options(&server))
        .expect("client for the mock server")
        .verify_user(erply::VerifyUserRequest::new("demo", "secret").session_length(100_000))
        .await
        .expect("the documented body decodes");
    let sent = form_fields(&only_request(&server).await, "/api/");
    // Written by hand from the verifyUser page: the session length is clamped.
    let expected = [
        ("request", "verifyUser"),
        ("clientCode", "123456"),
        ("username", "demo"),
        ("password", "secret"),
        ("sessionLength", "86400"),
    ];
    assert_eq!(sent, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    assert_eq!(user.user_id, 5);
    assert_eq!(user.user_name, "demo");
    assert_eq!(user.employee_id, Some(3));
    assert_eq!(
        user.session_key.expose(),
        "9eb92794770bb5e91e3c96aca3e3ad4b752b0c09"
    );
    assert_eq!(user.session_length, 3600);

    // The generated crate's module, same request: the same bytes on the wire.
    let server_2 = erply_server().await;
    loginspec_client::erply::Client::with_options("123456", options(&server_2))
        .expect("client for the mock server")
        .verify_user(
            loginspec_client::erply::VerifyUserRequest::new("demo", "secret")
                .session_length(100_000),
        )
        .await
        .expect("the documented body decodes");
    assert_eq!(
        only_request(&server_2).await.body,
        only_request(&server).await.body
    );
}

#[test]
fn error_tables_match_the_generated_crate() {
    use loginspec::runtime::{ApiErrorKind, ErrorCode};
    // Every code around the documented ones, plus undocumented ones.
    for code in (-10..1200).chain([4242, i64::MAX]) {
        let ours = erply::VerifyUserError::from_code(ErrorCode::Int(code), None);
        let theirs =
            loginspec_client::erply::VerifyUserError::from_code(ErrorCode::Int(code), None);
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert_eq!(ours.class(), theirs.class());
        let ours = from_macro::wialon::TokenLoginError::from_code(ErrorCode::Int(code), None);
        let theirs =
            loginspec_client::wialon::TokenLoginError::from_code(ErrorCode::Int(code), None);
        assert_eq!(format!("{ours:?}"), format!("{theirs:?}"));
        assert_eq!(ours.class(), theirs.class());
    }
    // A documented code does map to its own variant, not to `Unknown`.
    assert_eq!(
        erply::VerifyUserError::from_code(ErrorCode::Int(1054), None),
        erply::VerifyUserError::Provider(erply::ProviderError::SessionExpired)
    );
}

/// The README's macro example is not compiled where the README's doctest
/// runs (its spec folder would have to sit in `tests/`), so it must equal
/// the copy that the `loginspec` crate's docs compile.
#[test]
fn readme_macro_example_is_the_compiled_one() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let read = |path: &str| std::fs::read_to_string(root.join(path)).unwrap();
    let readme = read("README.md");
    let start = readme.find("## Using the macro").expect("the section");
    let end = start + readme[start..].find("\n## ").expect("a next section");
    let section = &readme[start..end];
    let blocks: Vec<&str> = section.split("```").skip(1).step_by(2).collect();
    let block = |tag: &str, n: usize| -> String {
        let found: Vec<&str> = blocks
            .iter()
            .filter_map(|b| b.strip_prefix(tag)?.strip_prefix('\n'))
            .collect();
        found[n].to_string()
    };
    assert_eq!(block("yaml", 0), read("loginspec/specs/acme/provider.yaml"));
    assert_eq!(block("yaml", 1), read("loginspec/specs/acme/sign_in.yaml"));
    let docs = read("loginspec/src/lib.rs");
    let rust: String = block("rust,ignore", 0)
        .lines()
        .map(|line| format!("//!{}{line}\n", if line.is_empty() { "" } else { " " }))
        .collect();
    assert!(
        docs.contains(&format!("//! ```no_run\n{rust}//! ```\n")),
        "the README's example differs from the one in loginspec/src/lib.rs"
    );
}
