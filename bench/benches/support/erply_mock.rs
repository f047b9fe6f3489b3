//! The seed specs served by `loginspec-mock`, with an Erply account, and a
//! generated Erply client pointed at it: the setup `benches/mock.rs` and
//! `examples/mock_memory.rs` share.

use loginspec_client::erply;
use loginspec_mock::{Account, Mock};
use loginspec_runtime::ClientOptions;

/// The login every call of the measurements makes.
pub fn login_request() -> erply::VerifyUserRequest {
    erply::VerifyUserRequest::new("demo", "secret").session_length(3600)
}

/// Serves every folder of `specs/` (on the current runtime) and returns
/// the mock with a client of its Erply server, whose account is the one
/// [`login_request`] logs in to.
pub async fn erply_on_the_mock() -> (Mock, erply::Client) {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mock = Mock::from_specs(&specs)
        .await
        .expect("the seed specs serve");
    let erply_mock = mock.provider("erply");
    erply_mock.set_account(
        Account::new()
            .with("username", "demo")
            .with("password", "secret"),
    );
    let options = ClientOptions::default().base_url(erply_mock.base_url());
    let client = erply::Client::with_options("123456", options).expect("client");
    (mock, client)
}
