//! One-byte mutations of the client's requests, and garbage.

use super::*;
use loginspec_codegen::model::{Location, ValueSource};
use loginspec_runtime::__generated::v1::EncodedRequest;
use std::sync::{Arc, Mutex};

/// What the next request of a client gets changed: one byte of a bound
/// name, or of a constant bound to a header or the query.
#[derive(Clone)]
struct Flip {
    location: Location,
    /// The bound name as the spec writes it.
    name: String,
    /// Change the value rather than the name (headers and query only).
    value: bool,
}

/// One byte of `text` changed: its last letter, to one no name ends in here.
fn flipped(text: &str) -> String {
    let mut bytes = text.as_bytes().to_vec();
    if let Some(last) = bytes.iter().rposition(u8::is_ascii_alphanumeric) {
        bytes[last] = if bytes[last] == b'X' { b'Y' } else { b'X' };
    }
    String::from_utf8(bytes).expect("ASCII changed for ASCII")
}

/// `text` with the first `pattern` (holding `name`) replaced by the same
/// with `name` flipped; `all` for every occurrence (an XML start and end tag).
fn flip_in(text: &mut String, patterns: &[String], name: &str, all: bool) -> bool {
    for pattern in patterns {
        if text.contains(pattern.as_str()) {
            let changed = pattern.replace(name, &flipped(name));
            *text = if all {
                text.replace(pattern.as_str(), &changed)
            } else {
                text.replacen(pattern.as_str(), &changed, 1)
            };
            return true;
        }
    }
    false
}

impl Flip {
    /// Changes `request` in place; `false` when the name is not in it (an
    /// optional member the call leaves out).
    fn apply(&self, request: &mut EncodedRequest) -> bool {
        let name = self.name.as_str();
        match &self.location {
            Location::Query(_) => {
                let Some((path, query)) = request.url.split_once('?') else {
                    return false;
                };
                let mut query = format!("&{query}");
                let done = if self.value {
                    let at = query
                        .find(&format!("&{name}="))
                        .map(|at| at + name.len() + 2);
                    match at {
                        Some(at) => {
                            let end = query[at..].find('&').map_or(query.len(), |e| at + e);
                            let value = flipped(&query[at..end]);
                            query.replace_range(at..end, &value);
                            true
                        }
                        None => false,
                    }
                } else {
                    flip_in(&mut query, &[format!("&{name}=")], name, false)
                };
                request.url = format!("{path}?{}", &query[1..]);
                done
            }
            Location::Header { .. } => {
                let header = request
                    .headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case(name));
                match header {
                    Some((_, value)) if self.value => *value = flipped(value),
                    Some((n, _)) => *n = flipped(n),
                    None => return false,
                }
                true
            }
            Location::Body(_) => {
                let json = [format!("\"{name}\":"), format!("%22{name}%22%3A")];
                let tags = [
                    format!("<{name}>"),
                    format!("</{name}>"),
                    format!(":{name}>"),
                    format!("<{name}/>"),
                ];
                let form = [format!("&{name}=")];
                let body = &mut request.body;
                if flip_in(body, &json, name, false) {
                    return true;
                }
                if body.starts_with('<') {
                    let mut done = false;
                    for tag in &tags {
                        done |= flip_in(body, std::slice::from_ref(tag), name, true);
                    }
                    return done;
                }
                let mut form_body = format!("&{body}");
                let done = flip_in(&mut form_body, &form, name, false);
                *body = form_body[1..].to_string();
                done
            }
            other => panic!("no mutation for {other:?}"),
        }
    }
}

/// The generated client itself sends each seed method with one byte of one
/// bound name changed (through `ClientOptions::rewrite_requests`, a hook
/// this test controls), for every bound name of every method, and with one
/// byte of each constant in a header or the query changed: the mock reports
/// a violation naming that binding for every such request.
#[tokio::test]
async fn one_byte_changed_in_any_bound_name_is_a_violation() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let next: Arc<Mutex<Option<Flip>>> = Arc::default();
    // Whether the last flip found its name in the request.
    let applied: Arc<Mutex<Option<bool>>> = Arc::default();
    let hooked = |p: &ProviderMock| {
        let (next, applied) = (next.clone(), applied.clone());
        options(p).rewrite_requests(move |request| {
            if let Some(flip) = next.lock().unwrap().take() {
                *applied.lock().unwrap() = Some(flip.apply(request));
            }
        })
    };
    let clients = Clients::with_options(&mock, hooked).await;
    let mut mutations = 0;
    for (provider, wire) in methods(&model) {
        let p = mock.provider(&provider);
        let method = model
            .providers
            .iter()
            .find(|x| x.name == provider)
            .and_then(|x| x.methods.iter().find(|m| m.wire == wire))
            .unwrap();
        let mut flips: Vec<Flip> = Vec::new();
        for binding in &method.bindings {
            let name = match &binding.location {
                Location::Body(ptr) => ptr
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .replace("~1", "/")
                    .replace("~0", "~"),
                Location::Query(n) => n.clone(),
                Location::Header { name, .. } => name.clone(),
                other => panic!("no mutation for {other:?}"),
            };
            let constant = matches!(
                binding.source,
                ValueSource::Constant(_) | ValueSource::MethodName
            );
            let in_header_or_query = matches!(
                binding.location,
                Location::Query(_) | Location::Header { .. }
            );
            for value in [false, true] {
                let flip = Flip {
                    location: binding.location.clone(),
                    name: name.clone(),
                    value,
                };
                let seen = flips
                    .iter()
                    .any(|f| f.name == flip.name && f.value == value);
                if !seen && (!value || (constant && in_header_or_query)) {
                    flips.push(flip);
                }
            }
        }
        let mut mutated_here = 0;
        for flip in flips {
            p.clear_log();
            *next.lock().unwrap() = Some(flip.clone());
            // The client's own outcome does not matter: the mock's log does.
            let _ = clients.call(&provider, &wire).await;
            if applied.lock().unwrap().take() != Some(true) {
                continue; // an optional member the call left out
            }
            let sent = p.log().pop().unwrap();
            let what = if flip.value { "value" } else { "name" };
            let named = [flip.name.clone(), flipped(&flip.name)];
            assert!(
                sent.violations.iter().any(|v| named.iter().any(|n| v.field.eq_ignore_ascii_case(n))),
                "{provider} {wire}: the {what} of `{}` changed by one byte was not reported for it: {:?}",
                flip.name,
                sent.violations
            );
            mutated_here += 1;
        }
        assert!(mutated_here > 0, "{provider} {wire}: nothing mutated");
        mutations += mutated_here;
        // The same call without a change is good again.
        p.clear_log();
        assert_eq!(
            clients.call(&provider, &wire).await,
            Ok(()),
            "{provider} {wire}"
        );
        assert_eq!(p.violations(), vec![]);
    }
    assert!(mutations >= 30, "{mutations} mutations");
}

#[tokio::test]
async fn garbage_never_breaks_the_mock() {
    let http = reqwest::Client::new();
    let bodies: [&[u8]; 6] = [
        b"",
        b"\xff\xfe\x00garbage",
        b"<soapenv:Envelope><soapenv:Body><ns:x>",
        b"{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        b"svc=token%2Flogin&params=%7Bnot json",
        b"request=verifyUser&request=verifyUser",
    ];
    // The seed specs and every other spec folder in the repository.
    for dir in [
        "../specs",
        "../tests/corpus",
        "../tests/peers/specs",
        "../tests/steps",
        "tests/specs",
    ] {
        let model = model_at(dir);
        let mock = Mock::start(&model).await.unwrap();
        for (p, provider) in mock.providers().iter().zip(&model.providers) {
            let mut urls = vec![("POST".to_string(), p.base_url().to_string())];
            for method in &provider.methods {
                let path = method.path.replace('{', "x").replace('}', "");
                for verb in ["GET", "POST", "DELETE"] {
                    urls.push((verb.into(), format!("{}{path}", p.base_url())));
                }
            }
            let types = [
                "application/json",
                "text/xml; charset=utf-8",
                "application/x-www-form-urlencoded",
            ];
            for (verb, url) in &urls {
                for (n, body) in bodies.iter().enumerate() {
                    let status = http
                        .request(verb.parse().unwrap(), url)
                        .header("content-type", types[n % types.len()])
                        .header("SOAPAction", "\"#doLoginEnc\"")
                        .header("Authorization", "Basic !!!")
                        .header("Cookie", "a=b; ;=")
                        .body(body.to_vec())
                        .send()
                        .await
                        .unwrap()
                        .status();
                    assert!(
                        !status.is_success() || body.is_empty(),
                        "{}: garbage accepted",
                        p.name()
                    );
                }
            }
            p.respond_raw(502, "<html>Bad Gateway</html>");
            let raw = http.get(p.base_url()).send().await.unwrap();
            assert_eq!(raw.status().as_u16(), 502);
            assert_eq!(raw.text().await.unwrap(), "<html>Bad Gateway</html>");
            assert!(p.log().iter().all(|l| !l.violations.is_empty()
                || l.outcome != Outcome::Success
                || l.body().is_empty()));
        }
    }
}
