//! loginspec in one dependency: the [`client!`] macro, which turns a folder
//! of YAML login specs into a typed client module inside your crate, and
//! the [`runtime`] that the generated code calls.
//!
//! ```toml
//! [dependencies]
//! loginspec = { path = "../loginspec" }
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! ```ignore
//! // specs/acme/provider.yaml and specs/acme/login.yaml, next to Cargo.toml.
//! loginspec::client!("specs/acme");
//!
//! async fn log_in() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = acme::Client::new()?;
//!     let session = client.login(acme::LoginRequest::new("demo", "secret")).await?;
//!     println!("token {:?}", session.token);
//!     Ok(())
//! }
//! ```
//!
//! The module is token for token what the `loginspec-client` crate's build
//! script generates from the same folder. The spec format is described in
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
