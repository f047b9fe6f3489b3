//! The generated `Session`: a client plus login credentials, with the
//! provider's session rules. The logic lives in `rt::SessionState`; this only
//! says how to log in and which calls carry the key.

use super::docs::doc;
use super::steps::login_types;
use super::types::literal_tokens;
use super::{ident, Emit, MethodNames};
use crate::model::*;
use proc_macro2::{Literal as Lit, TokenStream};
use quote::quote;

impl Emit<'_> {
    pub(super) fn session(&self) -> TokenStream {
        let Some(s) = &self.p.session else {
            return TokenStream::new();
        };
        let p = self.p;
        let login = &p.methods[s.login];
        let (login_req, login_err) = login_types(s, login);
        let login_table = MethodNames::of(login).table;
        let margin = Lit::u64_unsuffixed(s.refresh_margin);
        let sliding = s.sliding;

        let lifetime_text = match &s.lifetime {
            Lifetime::Unknown => {
                "has no known lifetime, so it ends only when the server says so".to_string()
            }
            Lifetime::Seconds(n) => format!("lives {n} seconds"),
            Lifetime::Response(f, unit) => format!(
                "lives as many {} as the login answer's `{}` says",
                unit_text(*unit),
                f.wire
            ),
            Lifetime::Param(f, unit) => format!(
                "lives as many {} as the login parameter `{}` asks for",
                unit_text(*unit),
                f.wire
            ),
        };
        let refresh_text = match &s.refresh {
            None => String::new(),
            Some(r) => format!(
                "\n\nThe session renews its key with `{method}` rather than logging in, \
                 sending the refresh token from the login answer's `{token}`{rotation}: \
                 before the key expires, and when a call fails with an expired session. \
                 Concurrent calls share one refresh. When the server refuses the refresh \
                 (any API error), the session logs in once instead; when the refresh cannot \
                 be sent, its failure is reported like a failed login's. While a failed \
                 login holds logins back, no refresh is tried either. The refresh token \
                 is a secret: it never appears in `Debug` output or error text.",
                method = self.p.methods[r.method].wire,
                token = r.token.wire,
                rotation = if r.rotated.is_some() {
                    " (and from then on the one each refresh answer brings in its place)"
                } else {
                    ""
                },
            ),
        };
        let sliding_text = if s.sliding {
            ", counted again from every call that uses it"
        } else {
            ""
        };
        let carry_text = carry_text(&s.carry);
        let session_doc = doc(&format!(
            "A logged-in session of the {title}.\n\n\
             It logs in with {login} when first needed and sends the key in {carry_text} \
             on every call made through it. The key {lifetime_text}{sliding_text}; the session logs \
             in again {margin} seconds before it expires (at most half its lifetime early). \
             When a call fails with an error of class [`rt::ErrorClass::SessionExpired`], \
             the session logs in again and repeats the call once. Concurrent calls share \
             one login, and a failed login is reported to every call that waited for it \
             rather than retried. After a login refused as bad credentials, no login is \
             tried again until [`Session::set_credentials`]; after one refused as \
             locked or rate limited, not until then or until the wait the server or the \
             spec asks for has passed. Meanwhile every call gets that error at once.\
             {refresh_text}\n\n\
             Cheap to clone: clones share the session.",
            title = p.title,
            login = login_calls(p, s),
            margin = s.refresh_margin,
        ));

        let methods = p
            .methods
            .iter()
            .filter(|m| m.session != MethodSession::None)
            .map(|m| {
                let MethodNames {
                    call: name,
                    table: stat,
                    request: req,
                    response: resp,
                    error: err,
                } = MethodNames::of(m);
                let mut text = format!("`{}`: {}", m.wire, m.doc.trim_end());
                if m.session == MethodSession::End {
                    text.push_str(
                        "\n\nThis call ends the session. It uses the current key and never logs in \
                         (without a key it fails with `Invalid`), it is not repeated after a \
                         re-login, and once it succeeds the next call logs in again.",
                    );
                }
                text.push_str(&format!(
                    "\n\n# Errors\n\n[`rt::SessionError::Login`] when the session cannot log in; \
                     otherwise the call's own error, [`{err}`] when the server refuses it."
                ));
                let d = doc(&text);
                let body = if m.session == MethodSession::End {
                    quote! {
                        inner.state.end(&inner.client.transport, &#stat, request).await
                    }
                } else if s.refresh.is_some() {
                    quote! {
                        inner
                            .state
                            .call_refreshing(
                                &inner.client.transport,
                                &#stat,
                                request,
                                || inner.login(),
                                Some(&|token: rt::Secret| inner.refresh(token)),
                            )
                            .await
                    }
                } else {
                    quote! {
                        inner
                            .state
                            .call(&inner.client.transport, &#stat, request, || inner.login())
                            .await
                    }
                };
                quote! {
                    #d
                    pub async fn #name(&self, request: #req) -> Result<#resp, rt::SessionError<#err, #login_err>> {
                        let inner = &*self.inner;
                        #body
                    }
                }
            });

        let login_body = self.login_body(s, login);
        let (ensure, with_key, refresh_fns) = match &s.refresh {
            None => (
                quote!(inner.state.ensure(|| inner.login()).await),
                quote!(inner.state.with_key(|| inner.login(), f).await),
                TokenStream::new(),
            ),
            Some(r) => (
                quote! {
                    inner
                        .state
                        .ensure_refreshing(|| inner.login(), Some(&|token: rt::Secret| inner.refresh(token)))
                        .await
                },
                quote! {
                    inner
                        .state
                        .with_key_refreshing(|| inner.login(), Some(&|token: rt::Secret| inner.refresh(token)), f)
                        .await
                },
                self.refresh_fns(s, r, login),
            ),
        };
        let refresh_count = s.refresh.as_ref().map(|_| {
            quote! {
                /// How many times the session has renewed its key with a refresh
                /// instead of a login.
                #[must_use]
                pub fn refresh_count(&self) -> u64 {
                    self.inner.state.refreshes()
                }
            }
        });
        let step_items = self.step_items(s);
        quote! {
            #step_items

            /// The session rules from the spec. Public (but hidden) so tests
            /// can drive `rt::SessionState` with a method the spec lacks.
            #[doc(hidden)]
            pub static SESSION: rt::SessionRules = rt::SessionRules {
                refresh_margin: std::time::Duration::from_secs(#margin),
                sliding: #sliding,
            };

            #session_doc
            #[derive(Clone)]
            pub struct Session {
                inner: std::sync::Arc<SessionInner>,
            }

            /// The provider, whether the session holds a key, and how many times
            /// it logged in; never a key or the credentials.
            impl std::fmt::Debug for Session {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    self.inner.state.debug_session(PROTOCOL.provider, f)
                }
            }

            struct SessionInner {
                client: Client,
                credentials: rt::Credentials<#login_req>,
                state: rt::SessionState<#login_err>,
            }

            impl Session {
                /// Creates a session that logs in with `credentials` when first needed.
                #[must_use]
                pub fn new(client: Client, credentials: #login_req) -> Self {
                    Self::with_clock(client, credentials, std::sync::Arc::new(rt::SystemClock))
                }

                /// Like [`Session::new`], reading the time from `clock` (tests use [`rt::ManualClock`]).
                #[must_use]
                pub fn with_clock(client: Client, credentials: #login_req, clock: std::sync::Arc<dyn rt::Clock>) -> Self {
                    Session {
                        inner: std::sync::Arc::new(SessionInner {
                            client,
                            credentials: rt::Credentials::new(credentials),
                            state: rt::SessionState::new(SESSION, clock),
                        }),
                    }
                }

                /// Like [`Session::new`], sharing the key, the login lock and the
                /// refused-login latch with every session on `store`, in this process
                /// or another: one login per key lifetime for all of them. The key
                /// is used without asking the store while it is fresh.
                #[must_use]
                pub fn with_store(client: Client, credentials: #login_req, store: std::sync::Arc<dyn rt::SessionStore>) -> Self {
                    let clock: std::sync::Arc<dyn rt::Clock> = std::sync::Arc::new(rt::SystemClock);
                    Session {
                        inner: std::sync::Arc::new(SessionInner {
                            client,
                            credentials: rt::Credentials::new(credentials),
                            state: rt::SessionState::with_store(SESSION, clock, store, &PROTOCOL, &#login_table),
                        }),
                    }
                }

                /// The client the session calls through.
                #[must_use]
                pub fn client(&self) -> &Client {
                    &self.inner.client
                }

                /// Logs in now, unless the session has a key that is not due for refresh.
                ///
                /// # Errors
                ///
                /// [`rt::SessionError::Login`] when the login fails, or when an earlier
                /// refusal still holds.
                pub async fn ensure_login(&self) -> Result<(), rt::SessionError<#login_err, #login_err>> {
                    let inner = &*self.inner;
                    #ensure
                }

                /// Runs `f` with the session key, for a call the spec does not describe.
                ///
                /// The session logs in first if needed. When `f` returns
                /// [`rt::KeyError::Refused`] (the server refused the key), the session
                /// renews the key, one renewal for any number of concurrent callers, and
                /// runs `f` once more. `?` in `f` turns its own errors into
                /// [`rt::KeyError::Other`]; they come back as the inner `Err`. The outer
                /// error is the session's: a failed login, or
                /// [`rt::SessionError::KeyRefused`] when a fresh key was refused too.
                ///
                /// # Errors
                ///
                /// The outer error as said above; `f`'s own errors are the inner `Err`.
                pub async fn with_key<T, X, F, Fut>(&self, f: F) -> Result<Result<T, X>, rt::SessionError<#login_err, #login_err>>
                where
                    F: FnMut(rt::Secret) -> Fut,
                    Fut: std::future::Future<Output = Result<T, rt::KeyError<X>>>,
                {
                    let inner = &*self.inner;
                    #with_key
                }

                /// How many times the session has logged in successfully.
                #[must_use]
                pub fn login_count(&self) -> u64 {
                    self.inner.state.logins()
                }

                #refresh_count

                /// Replaces the credentials for later logins. After a login was refused
                /// as bad credentials or locked, the session does not try again (vendors
                /// lock accounts after a few wrong passwords) until this is called; it
                /// also ends any wait after a rate-limited login.
                pub fn set_credentials(&self, credentials: #login_req) {
                    self.inner.credentials.set(credentials);
                    self.inner.state.credentials_changed();
                }

                #(#methods)*
            }

            impl SessionInner {
                /// One login with the stored credentials.
                async fn login(&self) -> Result<rt::Grant, rt::Error<#login_err>> {
                    #login_body
                }

                #refresh_fns
            }
        }
    }

    /// `SessionInner::refresh`: trade a refresh token for a new key.
    fn refresh_fns(&self, s: &Session, r: &Refresh, login: &Method) -> TokenStream {
        let login_err = login_types(s, login).1;
        let m = &self.p.methods[r.method];
        let MethodNames {
            call: refresh_fn,
            request: refresh_req,
            ..
        } = MethodNames::of(m);
        let param = ident(&r.param.rust);
        let request = if r.param.presence == Presence::Required {
            quote!(#refresh_req::new(token))
        } else {
            quote!(#refresh_req::new().#param(token))
        };
        let key = ident(&r.key.rust);
        let rotated = match &r.rotated {
            None => quote!(None),
            Some(f) => {
                let n = ident(&f.rust);
                if f.is_optional() {
                    quote!(response.#n)
                } else {
                    quote!(Some(response.#n))
                }
            }
        };
        let (sent, lifetime) = match (&r.lifetime, &s.lifetime) {
            (Some(f), Lifetime::Response(_, unit)) => {
                (None, lifetime_value(quote!(response), f, *unit))
            }
            (_, Lifetime::Seconds(_)) | (_, Lifetime::Unknown) => (None, self.fixed_lifetime(s)),
            (_, Lifetime::Param(f, unit)) => (
                Some(quote! {
                    let mut sent = self.credentials.get();
                    let _ = rt::Request::validate(&mut sent);
                }),
                lifetime_value(quote!(sent), f, *unit),
            ),
            // The login said how long its key lives; the refresh answer does not.
            (None, Lifetime::Response(..)) => (None, quote!(None)),
        };
        quote! {
            /// One refresh with `token`.
            async fn refresh(&self, token: rt::Secret) -> rt::Refreshed<#login_err> {
                #sent
                let result = self.client.#refresh_fn(#request).await.map(|response| {
                    let lifetime = #lifetime;
                    rt::Grant { key: response.#key, lifetime, refresh: #rotated }
                });
                rt::Refreshed::from(result)
            }
        }
    }

    /// The lifetime of a key when it does not come from an answer.
    fn fixed_lifetime(&self, s: &Session) -> TokenStream {
        match &s.lifetime {
            Lifetime::Seconds(n) => {
                let n = Lit::u64_unsuffixed(*n);
                quote!(Some(std::time::Duration::from_secs(#n)))
            }
            _ => quote!(None),
        }
    }

    /// The body of `SessionInner::login`: send the credentials, and turn the
    /// answer into a key and a lifetime.
    fn login_body(&self, s: &Session, login: &Method) -> TokenStream {
        let login_fn = MethodNames::of(login).call;
        let key = ident(&s.key.rust);
        let key_value = if s.key_is_answer {
            quote!(response)
        } else if s.key.secret {
            quote!(response.#key)
        } else {
            quote!(rt::Secret::from(response.#key))
        };
        let lifetime = match &s.lifetime {
            Lifetime::Unknown | Lifetime::Seconds(_) => self.fixed_lifetime(s),
            Lifetime::Response(f, unit) => lifetime_value(quote!(response), f, *unit),
            Lifetime::Param(f, unit) => lifetime_value(quote!(sent), f, *unit),
        };
        // The lifetime asked for is the value as sent, after any clamping.
        let sent = matches!(s.lifetime, Lifetime::Param(..)).then(|| {
            quote! {
                let mut sent = credentials.clone();
                let _ = rt::Request::validate(&mut sent);
            }
        });
        let refresh = match &s.refresh {
            None => quote!(None),
            Some(r) => {
                let n = ident(&r.token.rust);
                if r.token.is_optional() {
                    quote!(response.#n)
                } else {
                    quote!(Some(response.#n))
                }
            }
        };
        let grant = quote!(Ok(rt::Grant { key: #key_value, lifetime, refresh: #refresh }));
        if !s.steps.is_empty() {
            // Checked: no `refresh_param` nor `from_param` with steps.
            let run = self.steps_run(s);
            return quote! {
                #run
                let lifetime = #lifetime;
                #grant
            };
        }
        let Some(r) = &s.refresh_param else {
            return quote! {
                let credentials = self.credentials.get();
                #sent
                let response = self.client.#login_fn(credentials).await?;
                let lifetime = #lifetime;
                #grant
            };
        };
        let on = ident(&r.on);
        let MethodNames {
            request: login_req,
            error: login_err,
            ..
        } = MethodNames::of(login);
        let MethodNames {
            call: fetch_fn,
            request: fetch_req,
            ..
        } = MethodNames::of(&self.p.methods[r.method]);
        let value = |f: &Field, arg: &Arg| match arg {
            Arg::Param(source) => {
                let n = ident(&source.rust);
                let copy = !source.secret
                    && matches!(
                        source.ty,
                        Ty::Bool | Ty::Int(_) | Ty::Float(_) | Ty::Timestamp(_)
                    );
                if copy {
                    quote!(credentials.#n)
                } else {
                    quote!(credentials.#n.clone())
                }
            }
            Arg::Value(literal) => literal_tokens(literal, &f.ty),
        };
        let required = r
            .args
            .iter()
            .filter(|(f, _)| f.presence == Presence::Required)
            .map(|(f, a)| (f, value(f, a)))
            .collect();
        let new_call = self.new_call(&fetch_req, required);
        let setters = r
            .args
            .iter()
            .filter(|(f, _)| f.presence != Presence::Required)
            .map(|(f, a)| {
                let n = ident(&f.rust);
                let v = value(f, a);
                quote!(.#n(#v))
            });
        let param = ident(&r.param.rust);
        let field = ident(&r.field.rust);
        let assign = if r.param.is_optional() {
            quote!(Some(value))
        } else {
            quote!(value)
        };
        // The lifetime asked for is the value as sent, after any clamping.
        let (sent_as, sent) = match s.lifetime {
            Lifetime::Param(..) => (
                quote!(mut sent),
                quote!(let _ = rt::Request::validate(&mut sent);),
            ),
            _ => (quote!(_), TokenStream::new()),
        };
        quote! {
            let (#sent_as, response) = self
                .credentials
                .login_refreshing_param(
                    |kind: &#login_err| matches!(kind, #login_err::#on),
                    |request| self.client.#login_fn(request),
                    |credentials: &#login_req| {
                        let request = #new_call #(#setters)*;
                        async move { self.client.#fetch_fn(request).await.ok().map(|fresh| fresh.#field) }
                    },
                    |credentials: &mut #login_req, value| credentials.#param = #assign,
                )
                .await?;
            #sent
            let lifetime = #lifetime;
            #grant
        }
    }
}

/// A lifetime read from `from.field`, counted in `unit`.
fn lifetime_value(from: TokenStream, f: &Field, unit: Unit) -> TokenStream {
    let n = ident(&f.rust);
    let convert = match unit {
        Unit::Seconds => quote!(rt::seconds),
        Unit::Millis => quote!(rt::milliseconds),
    };
    if f.is_optional() {
        quote!(#from.#n.and_then(#convert))
    } else {
        quote!(#convert(#from.#n))
    }
}

fn unit_text(unit: Unit) -> &'static str {
    match unit {
        Unit::Seconds => "seconds",
        Unit::Millis => "milliseconds",
    }
}

/// Where the key travels, in words for the `Session` docs.
fn carry_text(carry: &Location) -> String {
    match carry {
        Location::Body(p) => {
            let name = p.rsplit('/').next().unwrap_or(p);
            if p.matches('/').count() == 1 {
                format!("the request field `{name}`")
            } else {
                format!("the request field `{name}` (at `{p}` in the body)")
            }
        }
        Location::Query(n) => format!("the query parameter `{n}`"),
        Location::Path(n) => format!("the `{{{n}}}` part of the URL path"),
        Location::Header { name, template } if template == "{value}" => {
            format!("the header `{name}`")
        }
        Location::Header { name, template } => {
            format!("the header `{name}` (as `{template}`)")
        }
        Location::Cookie(n) => format!("the cookie `{n}`"),
        Location::BasicUser => "the user name of HTTP Basic authentication".into(),
        Location::BasicPassword => "the password of HTTP Basic authentication".into(),
    }
}

/// The login calls, in words for the `Session` docs.
fn login_calls(p: &Provider, s: &Session) -> String {
    if s.steps.is_empty() {
        return format!("`{}`", p.methods[s.login].wire);
    }
    let wires: Vec<String> = s
        .steps
        .iter()
        .map(|st| format!("`{}`", p.methods[st.method].wire))
        .collect();
    format!("{} in turn (a login of several calls)", wires.join(", "))
}
