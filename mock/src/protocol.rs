//! What a provider's protocol adds around its answers, from the spec's
//! `request` settings: the session-id handshake (`handshake: {status,
//! header}`: a request without the current value gets that status with the
//! value in that header, and the client repeats it) and the request-id echo
//! (`request_id: {at, check}`: every answer carries, at `check`, the id its
//! request sent at `at`).

use crate::answer::Reply;
use loginspec_codegen::model::Provider;
use loginspec_runtime::__generated::v1::derive::{nonce, Alphabet};
use loginspec_runtime::__generated::v1::document::place;
use serde_json::Value;

/// The handshake answer for a request that does not send `current` in the
/// spec's header, making up the value on first use; `None` lets the request
/// through (no handshake in the spec, or the right value sent).
pub(crate) fn handshake(
    provider: &Provider,
    current: &mut Option<String>,
    sent: Option<&str>,
) -> Option<Reply> {
    let (status, header) = provider.protocol.handshake.as_ref()?;
    let value = match current {
        Some(value) => value.clone(),
        // Without random numbers there is no value to hand out: let it through.
        None => current
            .insert(nonce(48, Alphabet::Alphanumeric).ok()?)
            .clone(),
    };
    if sent == Some(value.as_str()) {
        return None;
    }
    let body =
        format!("loginspec mock: repeat the request with the {header} header of this answer\n");
    let mut reply = Reply::new(*status, "text/plain; charset=utf-8", body);
    reply.headers.push((header.clone(), value));
    Some(reply)
}

/// Writes the request's id into a JSON answer at the spec's `check`
/// pointer, replacing the example's (answers that are no JSON object, such
/// as a text page, carry none, as servers' own pages do not).
pub(crate) fn echo_id(provider: &Provider, reply: &mut Reply, sent: Option<&Value>) {
    let (Some(at), Some(id)) = (provider.protocol.request_id_check.as_deref(), sent) else {
        return;
    };
    let Ok(mut doc) = serde_json::from_str::<Value>(&reply.body) else {
        return;
    };
    if doc.is_object() && place(&mut doc, at, id.clone()).is_ok() {
        reply.body = doc.to_string();
    }
}
