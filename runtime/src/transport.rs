//! Sends a call and turns the answer into a typed result.

use crate::encode::{self, collect_secrets, EncodedRequest, Request};
use crate::error::{ApiErrorKind, ConfigError, Error, ErrorCode, Invalid};
use crate::example::interpret;
use crate::failure::{decode_payload, outcome_name, Failure, Payload};
use crate::handshake::{Counter, HandshakeState};
use crate::ordered::{Map, Value};
use crate::protocol::{Encoding, Method, Protocol};
use crate::redirect::{self, Redirects, Step};
use crate::retry::header_retry_after;
use crate::scrub::Scrubber;
use crate::secret::Recent;
use crate::secret::Secret;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde::de::DeserializeOwned;
use std::time::Duration;
use tracing::Instrument as _;

mod options;
pub use options::{ClientOptions, Variable};

/// The HTTP side of a generated client: one per `Client`, cheap to clone.
#[derive(Debug, Clone)]
pub struct Transport {
    protocol: &'static Protocol,
    http: reqwest::Client,
    base_url: String,
    encoding: Encoding,
    /// The client's variables, for `Source::Variable` bindings.
    variables: Vec<Variable>,
    timeout: Duration,
    max_response_bytes: usize,
    redirects: Redirects,
    /// Secrets this client sent lately, blanked from every later error.
    recent: Recent,
    /// The session-id handshake's value, shared by clones.
    handshake: Option<HandshakeState>,
    /// Request ids, shared by clones.
    ids: Counter,
    #[cfg(feature = "test-hooks")]
    rewrite: Option<options::Rewrite>,
}

impl Transport {
    pub fn new(
        protocol: &'static Protocol,
        options: ClientOptions,
        variables: impl IntoIterator<Item = Variable>,
    ) -> Result<Self, ConfigError> {
        let variables: Vec<Variable> = variables.into_iter().collect();
        let template = options.base_url.as_deref().unwrap_or(protocol.base_url);
        let mut base_url = template.to_string();
        // A secret never goes into the URL (it would show in every log of it).
        for variable in variables.iter().filter(|v| !v.secret) {
            if let Some(value) = &variable.value {
                base_url = base_url.replace(&format!("{{{}}}", variable.name), value.expose());
            }
        }
        let parsed = reqwest::Url::parse(&base_url).map_err(|e| ConfigError::BaseUrl {
            url: base_url.clone(),
            reason: e.to_string(),
        })?;
        if parsed.cannot_be_a_base() || !matches!(parsed.scheme(), "http" | "https") {
            return Err(ConfigError::BaseUrl {
                url: base_url,
                reason: "must be an http or https URL".into(),
            });
        }
        let encoding = options
            .encoding
            .or_else(|| protocol.encodings.first().copied());
        let encoding = match encoding {
            Some(e) if protocol.encodings.contains(&e) => e,
            Some(e) => return Err(ConfigError::Encoding(e)),
            None => {
                return Err(ConfigError::Invalid {
                    field: "encoding",
                    reason: "the provider declares none".into(),
                })
            }
        };
        let http = match options.http {
            Some(http) => http,
            None => reqwest::Client::builder()
                .user_agent(options.user_agent)
                .connect_timeout(options.connect_timeout)
                // Redirects are decided by `redirect::step`, and no call ever
                // tells a redirect target where it came from.
                .redirect(reqwest::redirect::Policy::none())
                .referer(false)
                .build()
                .map_err(ConfigError::Http)?,
        };
        let handshake = protocol.handshake.map(HandshakeState::new).transpose()?;
        Ok(Transport {
            protocol,
            http,
            base_url,
            encoding,
            variables,
            timeout: options.timeout,
            max_response_bytes: options.max_response_bytes,
            redirects: options.redirects,
            recent: Recent::default(),
            handshake,
            ids: Counter::default(),
            #[cfg(feature = "test-hooks")]
            rewrite: options.rewrite,
        })
    }

    /// The base URL after placeholders were filled in.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Validates, sends and decodes one call. Only the two ends are generic;
    /// the exchange in between is shared by every method.
    pub async fn call<Req, Resp, E>(
        &self,
        method: &'static Method,
        request: Req,
    ) -> Result<Resp, Error<E>>
    where
        Req: Request,
        Resp: DeserializeOwned,
        E: ApiErrorKind,
    {
        self.call_with(method, request, None).await
    }

    /// Like [`Transport::call`], carrying a session key the way the
    /// provider's spec says.
    pub async fn call_in_session<Req, Resp, E>(
        &self,
        method: &'static Method,
        key: &Secret,
        request: Req,
    ) -> Result<Resp, Error<E>>
    where
        Req: Request,
        Resp: DeserializeOwned,
        E: ApiErrorKind,
    {
        self.call_with(method, request, Some(key)).await
    }

    /// The generic ends of a call around [`Transport::perform`]: only the
    /// request's serialization, the answer's decoding and the error's type
    /// are compiled per method; everything in between is compiled once.
    async fn call_with<Req, Resp, E>(
        &self,
        method: &'static Method,
        mut request: Req,
        session: Option<&Secret>,
    ) -> Result<Resp, Error<E>>
    where
        Req: Request,
        Resp: DeserializeOwned,
        E: ApiErrorKind,
    {
        let params = encode::prepare(&mut request, self.protocol.secret_fields);
        drop(request);
        let sent = self.perform(method, params, session).await;
        let result = sent
            .result
            .and_then(decode_payload::<Resp>)
            .map_err(|failure| {
                // Built only for a failure: a success never pays for it.
                let scrub = self.scrubber(sent.secrets);
                failure.into_error::<E>(self.protocol.provider, method.name, &scrub)
            });
        let code = match &result {
            Err(Error::Api { error, .. }) => Some(error.kind.code()),
            _ => None,
        };
        finish_span(&sent.span, outcome_name(&result), code);
        result
    }

    /// Every secret of a failed call (and of the client's recent calls),
    /// to blank from the error's text.
    fn scrubber(&self, mut secrets: Vec<Secret>) -> Scrubber {
        secrets.extend(self.recent.kept());
        Scrubber::new(&secrets, self.protocol.secret_fields)
    }

    /// Encodes, sends and reads one call inside its tracing span; the same
    /// code for every method.
    async fn perform(
        &self,
        method: &'static Method,
        params: Result<Map, (Invalid, Vec<Secret>)>,
        session: Option<&Secret>,
    ) -> Sent {
        let span = tracing::info_span!(
            "loginspec.call",
            provider = self.protocol.provider,
            method = method.name,
            outcome = tracing::field::Empty,
            code = tracing::field::Empty,
        );
        let mut secrets = Vec::new();
        let result = match params {
            Ok(params) => {
                self.encode_and_exchange(method, params, session, &mut secrets)
                    .instrument(span.clone())
                    .await
            }
            Err((invalid, in_request)) => {
                // A check's reason may quote the value (`got 123456`).
                secrets = in_request;
                Err(Failure::Invalid(invalid))
            }
        };
        Sent {
            result,
            secrets,
            span,
        }
    }

    async fn encode_and_exchange(
        &self,
        method: &'static Method,
        params: Map,
        session: Option<&Secret>,
        secrets: &mut Vec<Secret>,
    ) -> Result<Payload, Failure> {
        let names = self.protocol.secret_fields;
        let variables: Vec<(&'static str, &str)> = self
            .variables
            .iter()
            .filter_map(|v| Some((v.name, v.value.as_ref()?.expose())))
            .collect();
        let unset: Vec<&'static str> = self
            .variables
            .iter()
            .filter(|v| v.value.is_none())
            .map(|v| v.name)
            .collect();
        let binds_id = method
            .bindings
            .iter()
            .any(|b| b.source == crate::protocol::Source::RequestId);
        let request_id = binds_id.then(|| self.ids.next());
        let values = encode::Values {
            params: &params,
            variables: &variables,
            unset_variables: &unset,
            session_key: session.map(Secret::expose),
            request_id,
        };
        let outgoing = match encode::encode(
            self.protocol,
            method,
            self.encoding,
            &self.base_url,
            &values,
        ) {
            Ok(outgoing) => outgoing,
            Err(invalid) => {
                // A reason may name a value; blank every secret of the request.
                collect_secrets(&Value::Object(params), names, false, secrets);
                secrets.extend(session.cloned());
                let variables = self.variables.iter();
                let variables = variables.filter(|v| v.secret || names.contains(&v.name));
                secrets.extend(variables.filter_map(|v| v.value.clone()));
                return Err(Failure::Invalid(invalid));
            }
        };
        // Every secret this call sends, to blank it out of error text should
        // a server echo it, in this call's errors and the client's later ones.
        self.recent.remember(&outgoing.secrets);
        *secrets = outgoing.secrets;
        let request = self.rewritten(outgoing.request);
        let mut headers = header_map(&request.headers).map_err(Failure::Invalid)?;
        // A method's own encoding asks for its own answers (a binding's
        // `Accept` still wins).
        if let Some(own) = method.encoding {
            let name = reqwest::header::ACCEPT;
            if !headers.contains_key(&name) {
                headers.insert(name, reqwest::header::HeaderValue::from_static(accept(own)));
            }
        }
        let id_check = self.protocol.request_id_check.zip(request_id);
        self.exchange(method, request, headers, id_check).await
    }

    /// The request a test's hook made of it (`ClientOptions::rewrite_requests`).
    #[cfg(feature = "test-hooks")]
    fn rewritten(&self, mut request: EncodedRequest) -> EncodedRequest {
        if let Some(rewrite) = &self.rewrite {
            (rewrite.0)(&mut request);
        }
        request
    }

    /// Without the `test-hooks` feature, the request as encoded.
    #[cfg(not(feature = "test-hooks"))]
    #[inline(always)]
    fn rewritten(&self, request: EncodedRequest) -> EncodedRequest {
        request
    }

    async fn exchange(
        &self,
        method: &'static Method,
        outgoing: EncodedRequest,
        headers: HeaderMap,
        id_check: Option<(&'static str, u64)>,
    ) -> Result<Payload, Failure> {
        let url = reqwest::Url::parse(&outgoing.url).map_err(|_| {
            Failure::Invalid(Invalid {
                field: "url",
                reason: "the request URL is not valid".into(),
            })
        })?;
        let body = outgoing.content_type.map(|ct| (ct, outgoing.body));
        let mut repeated = false;
        let mut response = loop {
            let mut headers = headers.clone();
            let sent = self.handshake.as_ref().and_then(|h| h.stamp(&mut headers));
            let response = self
                .send(&url, outgoing.method.clone(), body.clone(), headers)
                .await?;
            let Some(handshake) = &self.handshake else {
                break response;
            };
            let status = response.status().as_u16();
            // Only an answer of the client's origin gets here (`send`), so
            // the value learnt is sent there alone.
            let stale = handshake.learn(status, response.headers(), sent.as_ref());
            if stale && !repeated {
                // The server handed out a new value: the same call once
                // more with it; a second refusal is the answer.
                repeated = true;
                continue;
            }
            break response;
        };
        let status = response.status().as_u16();
        let answer_headers = response.headers().clone();
        let expected = response.content_length();
        let retry_after = header_retry_after(response.headers());
        let mut body = Vec::new();
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => break,
                Err(e) if e.is_timeout() => return Err(Failure::Timeout(self.timeout)),
                // The answer had begun: the server is reachable, its answer broke off.
                Err(e) => {
                    return Err(Failure::Truncated {
                        status,
                        received: body.len(),
                        expected,
                        source: e.without_url(),
                    })
                }
            };
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(Failure::Decode {
                    status,
                    reason: format!(
                        "response body is larger than {} bytes",
                        self.max_response_bytes
                    ),
                    body,
                });
            }
            body.extend_from_slice(&chunk);
        }
        interpret(
            method,
            self.encoding,
            status,
            &answer_headers,
            body,
            id_check,
        )
        .map_err(|failure| failure.retry_after(retry_after))
    }

    /// Sends one request, following the redirects `ClientOptions::redirects`
    /// allows; the answer is from `url`'s origin, or a `Failure::Redirect`.
    async fn send(
        &self,
        start: &reqwest::Url,
        mut http_method: reqwest::Method,
        mut body: Option<(&'static str, String)>,
        mut headers: HeaderMap,
    ) -> Result<reqwest::Response, Failure> {
        use reqwest::header::{ACCEPT, CONTENT_TYPE};
        let home = redirect::origin(start);
        let mut url = start.clone();
        let mut hops = 0;
        loop {
            let mut builder = self
                .http
                .request(http_method.clone(), url.clone())
                .timeout(self.timeout)
                .header(ACCEPT, accept(self.encoding))
                // Binding headers go to this origin only: a redirect elsewhere
                // is refused before anything is sent there. One named `Accept`
                // or `Content-Type` replaces the encoding's own.
                .headers(headers.clone());
            if let Some((content_type, body)) = &body {
                if !headers.contains_key(CONTENT_TYPE) {
                    builder = builder.header(CONTENT_TYPE, *content_type);
                }
                builder = builder.body(body.clone());
            }
            let response = builder
                .send()
                .await
                .map_err(|e| self.transport_failure(e))?;
            let status = response.status();
            // A caller's own client may have followed a redirect by itself.
            let answered_from = redirect::origin(response.url());
            if answered_from != home {
                return Err(Failure::Redirect {
                    status: status.as_u16(),
                    origin: answered_from,
                });
            }
            match redirect::step(self.redirects, hops, &url, status, response.headers()) {
                Step::Answer => return Ok(response),
                Step::Refuse { origin } => {
                    return Err(Failure::Redirect {
                        status: status.as_u16(),
                        origin,
                    })
                }
                Step::Follow {
                    url: next,
                    keep_body,
                } => {
                    url = next;
                    hops += 1;
                    if !keep_body {
                        http_method = reqwest::Method::GET;
                        body = None;
                        headers.remove(CONTENT_TYPE);
                    }
                }
            }
        }
    }

    fn transport_failure(&self, err: reqwest::Error) -> Failure {
        if err.is_timeout() {
            Failure::Timeout(self.timeout)
        } else {
            // The URL may carry a secret (a token in the query string): drop it.
            Failure::Transport(err.without_url())
        }
    }
}

/// The binding headers as reqwest takes them; a name or value it cannot
/// send is refused (the value is not quoted: it may be a secret).
fn header_map(headers: &[(String, String)]) -> Result<HeaderMap, Invalid> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let invalid = |reason: &str| Invalid {
            field: "header",
            reason: format!(
                "`{}` {reason}",
                crate::scrub::fit_for_log(name, 64, name.len())
            ),
        };
        let name = HeaderName::from_bytes(name.as_bytes())
            .map_err(|_| invalid("is not a valid header name"))?;
        let value = HeaderValue::from_bytes(value.as_bytes())
            .map_err(|_| invalid("has a value that cannot be sent in a header"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// What [`Transport::perform`] hands back to the generic end of a call.
struct Sent {
    result: Result<Payload, Failure>,
    /// The secrets the call sent (or, refused before sending, held).
    secrets: Vec<Secret>,
    span: tracing::Span,
}

/// Records how a call ended on its span, and says so inside it.
fn finish_span(span: &tracing::Span, outcome: &'static str, code: Option<ErrorCode>) {
    span.record("outcome", outcome);
    if let Some(code) = code {
        span.record("code", tracing::field::display(code));
    }
    span.in_scope(|| tracing::debug!("call finished"));
}

fn accept(encoding: Encoding) -> &'static str {
    match encoding {
        Encoding::Form | Encoding::Query | Encoding::Json | Encoding::None => "application/json",
        Encoding::Xml => "application/xml",
        Encoding::Soap11 => "text/xml",
    }
}

#[cfg(test)]
mod tests;
