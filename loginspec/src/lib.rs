//! loginspec in one dependency: the [`client!`] macro, which turns a folder
//! of YAML login specs into a typed client module inside your crate, and
//! the [`runtime`] that the generated code calls.
//!
//! ```toml
//! [dependencies]
//! loginspec = { path = "../loginspec/loginspec" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! ```no_run
//! loginspec::client!("specs/acme");
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = acme::Client::new()?;
//!     match client.sign_in(acme::SignInRequest::new("jane", "pa55word")).await {
//!         Ok(session) => println!("signed in as user {}", session.user_id),
//!         Err(err) if err.class() == Some(loginspec::runtime::ErrorClass::BadCredentials) => {
//!             println!("wrong login name or password")
//!         }
//!         Err(other) => return Err(other.into()),
//!     }
//!     Ok(())
//! }
//! ```
//!
//! `specs/acme` holds `provider.yaml` and `sign_in.yaml` (this crate keeps
//! the README's copy there, so the example above is compiled). The module
//! is token for token what the `loginspec-client` crate's build script
//! generates from the same folder. The spec format is described in
//! `docs/spec-format.md`.
#![forbid(unsafe_code)]

/// Generates `pub mod <provider> { ... }` from one provider's spec folder.
///
/// The argument is a string literal: the provider folder's path relative to
/// the folder of the calling crate's `Cargo.toml`. Every spec problem is a
/// compile error on that literal with the spec's `file:line:col`, the YAML
/// path, the offending line and a hint.
///
/// Cargo rebuilds the crate when any spec file of the provider changes. A
/// newly added method file is not seen until something else changes (edit
/// `provider.yaml` or the file with the macro call): stable Rust lets a macro
/// depend on files but not on a folder's listing.
pub use loginspec_macros::client;

/// The run-time support that generated code calls (the `loginspec-runtime`
/// crate): [`runtime::ClientOptions`], [`runtime::Error`], [`runtime::Secret`]
/// and the crates generated types use.
pub use loginspec_runtime as runtime;
