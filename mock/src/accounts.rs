//! The account a provider's mock accepts, and its failed-login count.
//!
//! An account is a set of values by wire name: parameters or client
//! variables sent as they are (`username`, `password`, `token`), or values
//! that never travel but feed a derived one (Aukro's `password`, of which
//! only the hash is sent).
//!
//! Until a test sets one, the account is the spec's: the `example` of each
//! string parameter of the login (with steps, of each credential the steps
//! take from the user) and of each client variable. A spec without such
//! examples makes no account, and then any credentials log in. The lockout
//! rule is the spec's too: the login's `locked` or `rate_limited` error
//! with `after_failures`; without one, logins never lock.

use loginspec_codegen::model::{ErrorClass, Field, Literal, Provider, Ty};
use std::fmt;

/// Credentials of one account, by wire name. `Debug` shows the names only.
#[derive(Clone, Default)]
pub struct Account {
    values: Vec<(String, String)>,
}

impl Account {
    pub fn new() -> Self {
        Account::default()
    }

    /// Adds (or replaces) the value expected for the wire name `name`.
    pub fn with(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        let name = name.into();
        self.values.retain(|(n, _)| *n != name);
        self.values.push((name, value.into()));
        self
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(|(n, _)| n.as_str())
    }

    /// The account the spec's examples make up, if they make one (see the
    /// module's docs).
    pub(crate) fn from_examples(provider: &Provider) -> Option<Account> {
        let mut account = Account::new();
        let example = |field: &Field| match (&field.ty, &field.example) {
            (Ty::String, Some(Literal::Str(value))) => Some(value.clone()),
            _ => None,
        };
        if let Some(session) = &provider.session {
            let login = provider.methods.get(session.login);
            let fields = match login {
                Some(_) if !session.steps.is_empty() => session.credentials.as_slice(),
                Some(login) => login.params.as_slice(),
                None => &[],
            };
            for field in fields {
                if let Some(value) = example(field) {
                    account = account.with(field.wire.as_str(), value);
                }
            }
        }
        for variable in &provider.variables {
            if let Some(value) = &variable.example {
                account = account.with(variable.wire.as_str(), value.as_str());
            }
        }
        (!account.values.is_empty()).then_some(account)
    }
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("names", &self.names().collect::<Vec<_>>())
            .finish()
    }
}

/// Failed logins and the lockout rule: the spec's, or as the test set it.
#[derive(Debug, Default)]
pub(crate) struct Lockout {
    pub(crate) failures: u32,
    pub(crate) after: Option<u32>,
    /// The error a locked login gets, by variant name (the spec's error with
    /// `after_failures`); else the login's first `locked` error.
    pub(crate) error: Option<String>,
}

impl Lockout {
    /// The rule of the login's first `locked` or `rate_limited` error with
    /// `after_failures` (or none).
    pub(crate) fn from_spec(provider: &Provider) -> Lockout {
        let rule = provider
            .session
            .as_ref()
            .and_then(|s| provider.methods.get(s.login))
            .and_then(|login| {
                login.errors.iter().find(|v| {
                    v.after_failures.is_some()
                        && matches!(v.class, ErrorClass::Locked | ErrorClass::RateLimited)
                })
            });
        Lockout {
            failures: 0,
            after: rule.and_then(|v| v.after_failures),
            error: rule.map(|v| v.name.clone()),
        }
    }

    pub(crate) fn locked(&self) -> bool {
        self.after.is_some_and(|after| self.failures >= after)
    }
}
