//! What a spec says beyond its bindings, served by the mock: the test
//! account of its `example`s and the lockout of `after_failures` (a test
//! fixture, `tests/specs/shop`, since no seed spec says either).

use super::*;

mod fixture {
    loginspec::client!("tests/specs/shop");
}
use fixture::shop;

fn shop_model() -> Model {
    loginspec_codegen::load_and_check(std::path::Path::new("tests/specs"))
        .expect("the fixture specs check")
        .0
}

/// Without `set_account`, only the spec's test account logs in; after three
/// wrong passwords in a row (`after_failures: 3`) even the right one gets
/// the spec's `AccountLocked`. A parameter with an example that is not a
/// string (`remember`) is no credential.
#[tokio::test]
async fn the_specs_test_account_and_lockout_hold_by_default() {
    let model = shop_model();
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("shop");
    let client = shop::Client::with_options("corner-shop", options(m)).unwrap();
    let login = |user: &str, password: &str| {
        client.login(shop::LoginRequest::new(user, password).remember(false))
    };
    assert!(login("ada", "correct horse").await.is_ok());
    for _ in 0..3 {
        let wrong = login("ada", "wrong horse").await.unwrap_err();
        assert_eq!(variant(&wrong).as_deref(), Some("WrongPassword"));
    }
    let locked = login("ada", "correct horse").await.unwrap_err();
    assert_eq!(variant(&locked).as_deref(), Some("AccountLocked"));
    assert_eq!(locked.class(), Some(ErrorClass::Locked));

    // The client variable's example is part of the account.
    let other = shop::Client::with_options("other-shop", options(m)).unwrap();
    m.set_account(
        Account::new()
            .with("user", "ada")
            .with("password", "pw")
            .with("shop", "corner-shop"),
    );
    let wrong_shop = other
        .login(shop::LoginRequest::new("ada", "pw"))
        .await
        .unwrap_err();
    assert_eq!(variant(&wrong_shop).as_deref(), Some("WrongPassword"));
    // A test's own account replaces the spec's, and an empty one takes anyone.
    assert!(client
        .login(shop::LoginRequest::new("ada", "pw"))
        .await
        .is_ok());
    m.set_account(Account::new());
    assert!(other
        .login(shop::LoginRequest::new("bob", "x"))
        .await
        .is_ok());
    assert_eq!(m.violations(), vec![]);
}
