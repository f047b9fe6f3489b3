//! Specs that `check` accepts must compile. `corpus/tricky` holds names that
//! are easy to get wrong in generated Rust: keywords and digits on the wire,
//! names of prelude, runtime and generated items, names that differ only in
//! case or underscores, unicode and code blocks in docs. The folder goes
//! through `loginspec::client!` as a user's would; a spec in it that stops
//! compiling must become a `check` diagnostic instead. The module's example
//! tests run in this binary too.

mod from_macro {
    loginspec::client!("corpus/tricky");
}

use from_macro::tricky;

#[test]
fn tricky_names_build_requests_clients_and_sessions() {
    let login = tricky::KindRequest::new("user", "password")
        .value("v")
        .validate("x")
        .default(4);
    assert_eq!(login.default, 4);
    assert_eq!(login.validate.as_deref(), Some("x"));
    let flags = tricky::S::FLAGS | tricky::S::ALL;
    let call = tricky::RMatchRequest::new(tricky::D::One).s(flags);
    assert_eq!(call.s, Some(flags));
    // `get2fa` and `get_2_fa` stay two methods with their own types.
    let _: tricky::Get2faRequest = tricky::Get2faRequest::new();
    let _: tricky::Get2FaRequest = tricky::Get2FaRequest::new();
    let client = tricky::Client::new("acct", "t", "tricky-key-9").expect("a valid base URL");
    assert!(!format!("{client:?}").contains("tricky-key-9"));
    assert_eq!(client.base_url(), "https://acct.tricky.test/api/");
    let session = tricky::Session::new(client, login);
    assert_eq!(session.login_count(), 0);
    // v2 answers that are not objects are plain Rust types.
    let _: tricky::BoolResponse = true;
    let _: tricky::UnitResponse = ();
    let _: tricky::StringResponse = String::new();
    let call = tricky::BoolRequest::new("7", "secret").result_value(3);
    assert_eq!(call.result_value, Some(3));
}
