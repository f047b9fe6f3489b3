//! What a spec says beyond its bindings, served by the mock: the test
//! account of its `example`s and the lockout of `after_failures` (a test
//! fixture, `tests/specs/shop`, since no seed spec says either).

use super::*;
use std::sync::{Arc, Mutex};

mod fixture {
    loginspec::client!("tests/specs/shop");
}
use fixture::shop;

fn shop_model() -> Model {
    model_at("tests/specs")
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

/// An order of two items, one with each optional member left out.
fn shop_order() -> shop::OrderRequest {
    let item = |sku: &str, gift| shop::Item {
        sku: sku.into(),
        quantity: 2,
        gift,
    };
    let home = shop::Address {
        street: "Main St 1".into(),
        zip: "12345".into(),
        floor: None,
    };
    let billing = shop::Address {
        floor: Some(3),
        ..home.clone()
    };
    shop::OrderRequest::new(vec![item("A-1", None), item("B-2", Some(true))], home).billing(billing)
}

/// A call of the fixture's method `wire` by the generated client:
/// `Err(Some(variant))` for a decoded API error.
async fn call_shop(
    client: &shop::Client,
    token: &Secret,
    wire: &str,
) -> Result<(), Option<String>> {
    match wire {
        "login" => client
            .login(shop::LoginRequest::new("ada", "correct horse"))
            .await
            .map(drop)
            .map_err(|e| variant(&e)),
        "me" => client
            .me(token, shop::MeRequest::new())
            .await
            .map(drop)
            .map_err(|e| variant(&e)),
        "order" => client
            .order(token, shop_order())
            .await
            .map(drop)
            .map_err(|e| variant(&e)),
        other => panic!("the test has no call of shop {other}: add one"),
    }
}

/// Every documented error of the fixture, queued, reaches the client as its
/// own variant: the entries refined by their message (`contains` and
/// `matches`) or by a header, and the fallbacks of their code or status.
#[tokio::test]
async fn every_error_refined_by_message_or_header_decodes_into_its_variant() {
    let model = shop_model();
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("shop");
    let client = shop::Client::with_options("corner-shop", options(m)).unwrap();
    let token = client
        .login(shop::LoginRequest::new("ada", "correct horse"))
        .await
        .unwrap()
        .token;
    let mut refined = 0;
    for method in &model.providers[0].methods {
        for error in &method.errors {
            m.next_error(&error.name).unwrap();
            let got = call_shop(&client, &token, &method.wire).await;
            assert_eq!(got, Err(Some(error.name.clone())), "{}", method.wire);
            assert_eq!(m.log().last().unwrap().method.as_ref(), Some(&method.wire));
            refined += usize::from(error.refine.is_some());
        }
    }
    assert_eq!(
        refined, 7,
        "three refined entries in login, two in me and order"
    );

    // A dead key gets the session error refined by its message, and a
    // `Session` logs in again on it.
    let session = shop::Session::new(
        client.clone(),
        shop::LoginRequest::new("ada", "correct horse"),
    );
    session.me(shop::MeRequest::new()).await.unwrap();
    m.expire_sessions();
    session.me(shop::MeRequest::new()).await.unwrap();
    let outcomes: Vec<Outcome> = m.log().into_iter().map(|l| l.outcome).collect();
    assert!(outcomes.contains(&Outcome::Error("SessionEnded".into())));
    assert_eq!(m.violations(), vec![]);
}

mod peer {
    loginspec::client!("../tests/peers/specs/node_red");
}
use peer::node_red;

/// Node-RED's 401 is two errors told apart by `WWW-Authenticate`: the mock
/// sends the header for `InvalidToken` and leaves it out for `Unauthorized`,
/// and answers a dead token with `InvalidToken`, on which a `Session` logs
/// in again.
#[tokio::test]
async fn node_red_tells_a_refused_token_by_its_header() {
    let model = model_at("../tests/peers/specs");
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("node_red");
    let client = node_red::Client::with_options(options(m)).unwrap();
    let credentials = || node_red::LoginRequest::new("admin", "pw");
    let token = client.login(credentials()).await.unwrap().access_token;
    for name in ["InvalidToken", "Unauthorized"] {
        m.next_error(name).unwrap();
        let err = client
            .settings(&token, node_red::SettingsRequest::new())
            .await
            .unwrap_err();
        assert_eq!(variant(&err).as_deref(), Some(name));
    }
    let session = node_red::Session::new(client.clone(), credentials());
    session
        .settings(node_red::SettingsRequest::new())
        .await
        .unwrap();
    m.expire_sessions();
    session
        .settings(node_red::SettingsRequest::new())
        .await
        .unwrap();
    let outcomes: Vec<Outcome> = m.log().into_iter().map(|l| l.outcome).collect();
    assert!(outcomes.contains(&Outcome::Error("InvalidToken".into())));
    assert_eq!(m.violations(), vec![]);
}

/// The members of nested request structs (a list of `Item`s, an `Address`)
/// are checked as parameters are: each required one there, each of its
/// type, none the type does not have. The generated client's own order
/// passes; each change made to it on its way out (through the test's
/// `rewrite_requests` hook) is a violation naming the member by its path.
#[tokio::test]
async fn nested_structs_are_checked_member_by_member() {
    let model = shop_model();
    let mock = Mock::start(&model).await.unwrap();
    let m = mock.provider("shop");
    let change: Arc<Mutex<Option<(&str, &str)>>> = Arc::default();
    let hook = change.clone();
    let options = options(m).rewrite_requests(move |request| {
        if let Some((from, to)) = hook.lock().unwrap().take() {
            assert!(request.body.contains(from), "`{from}` in {}", request.body);
            request.body = request.body.replacen(from, to, 1);
        }
    });
    let client = shop::Client::with_options("corner-shop", options).unwrap();
    let token = client
        .login(shop::LoginRequest::new("ada", "correct horse"))
        .await
        .unwrap()
        .token;
    client.order(&token, shop_order()).await.unwrap();
    assert_eq!(m.violations(), vec![]);
    let cases = [
        (
            r#""quantity":2"#,
            r#""quantity":"two""#,
            "items/0/quantity",
            "must be an integer (u16)",
        ),
        (
            r#""quantity":2"#,
            r#""quantity":70000"#,
            "items/0/quantity",
            "must fit in u16",
        ),
        (
            r#""sku":"B-2""#,
            r#""skX":"B-2""#,
            "items/1/sku",
            "is required but missing",
        ),
        (
            r#""gift":true"#,
            r#""gift":"yes""#,
            "items/1/gift",
            "must be a boolean",
        ),
        (
            r#""floor":3"#,
            r#""floor":3,"lift":true"#,
            "billing/lift",
            "is not a field of Address",
        ),
        (
            r#""street":"Main St 1""#,
            r#""street":["Main St 1"]"#,
            "address/street",
            "must be a scalar",
        ),
        (
            r#""items":["#,
            r#""items":[7,"#,
            "items/0",
            "must be an object",
        ),
    ];
    for (from, to, field, reason) in cases {
        m.clear_log();
        *change.lock().unwrap() = Some((from, to));
        let refused = client.order(&token, shop_order()).await.unwrap_err();
        assert_eq!(refused.class(), Some(ErrorClass::InvalidInput), "{to}");
        let violations = m.violations();
        assert!(
            violations
                .iter()
                .any(|v| v.field == field && v.reason == reason),
            "{to}: {violations:?}"
        );
    }
}
