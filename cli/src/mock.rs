//! `loginspec mock`: serves a stand-in of every provider in a specs folder
//! (the `loginspec-mock` crate) until Ctrl-C.

use crate::Failure;
use std::path::Path;

pub(crate) fn run(specs: &Path, options: loginspec_mock::Options) -> Result<(), Failure> {
    let (model, _) = loginspec_codegen::load_and_check(specs)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Failure::Other(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(async {
        let mock = loginspec_mock::Mock::start_with(&model, options)
            .await
            .map_err(|e| Failure::Other(e.to_string()))?;
        for provider in mock.providers() {
            println!("{:<16} {}", provider.name(), provider.base_url());
        }
        println!("admin: <base origin>/__loginspec/ (log, violations, next_error, respond_raw, delay, expire_sessions, rotate_handshake, advance, clear_log); Ctrl-C stops");
        tokio::signal::ctrl_c()
            .await
            .map_err(|e| Failure::Other(format!("cannot wait for Ctrl-C: {e}")))?;
        drop(mock);
        Ok(())
    })
}
