//! Typed login clients for the providers in `specs/`, generated at build time
//! by loginspec. One module per provider, each behind a cargo feature of the
//! same name (all on by default).
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use loginspec_client::erply;
//!
//! let client = erply::Client::new("123456")?;
//! let request = erply::VerifyUserRequest::new("demo", "secret").session_length(3600);
//! match client.verify_user(request).await {
//!     Ok(user) => println!("logged in as {}", user.user_name),
//!     Err(err) if err.class() == Some(loginspec_runtime::ErrorClass::BadCredentials) => {
//!         println!("wrong user name or password")
//!     }
//!     Err(err) => return Err(err.into()),
//! }
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Generated code is held to clippy's pedantic lints (CI runs clippy with
// `-D warnings`); its one allowance, `doc_markdown` for the vendors' prose,
// is on each provider module with its reason.
#![warn(clippy::pedantic)]

pub use loginspec_runtime as runtime;

include!(concat!(env!("OUT_DIR"), "/providers.rs"));
