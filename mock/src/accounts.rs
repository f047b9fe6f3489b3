//! The account a provider's mock accepts, and its failed-login count.
//!
//! An account is a set of values by wire name: parameters or client
//! variables sent as they are (`username`, `password`, `token`), or values
//! that never travel but feed a derived one (Aukro's `password`, of which
//! only the hash is sent). Without an account, any credentials log in.

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
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("names", &self.names().collect::<Vec<_>>())
            .finish()
    }
}

/// Failed logins and the lockout rule, as the test configured it (a spec
/// declares that lockout exists, by an error of class `locked`, but not after
/// how many failures).
#[derive(Debug, Default)]
pub(crate) struct Lockout {
    pub(crate) failures: u32,
    pub(crate) after: Option<u32>,
}

impl Lockout {
    pub(crate) fn locked(&self) -> bool {
        self.after.is_some_and(|after| self.failures >= after)
    }
}
