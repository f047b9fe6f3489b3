//! A recording proxy on 127.0.0.1 and the structure of what it recorded:
//! a generated client talks to a server through it (a real one or the mock)
//! exactly as it would directly, and the test reads every answer back as
//! status, content type, headers and body structure.

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};

/// One request that went through the recorder and the answer it got.
pub(super) struct Exchange {
    pub request_body: Vec<u8>,
    pub status: u16,
    /// Names in lower case, in the order the server sent them.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Exchange {
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Whether a `Set-Cookie` of the answer sets the cookie `name`.
    pub fn sets_cookie(&self, name: &str) -> bool {
        self.headers.iter().any(|(n, v)| {
            n == "set-cookie"
                && v.split(';')
                    .next()
                    .and_then(|p| p.split_once('='))
                    .map(|(n, _)| n.trim())
                    == Some(name)
        })
    }

    /// The content type without parameters, in lower case.
    pub fn media_type(&self) -> String {
        let value = self.header("content-type").unwrap_or("");
        value
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
    }

    /// The content type's parameters, in lower case (`charset=utf-8`).
    pub fn media_parameters(&self) -> Vec<String> {
        let value = self.header("content-type").unwrap_or("");
        value
            .split(';')
            .skip(1)
            .map(|p| p.trim().to_ascii_lowercase())
            .filter(|p| !p.is_empty())
            .collect()
    }

    pub fn shape(&self) -> Shape {
        Shape::of(&self.media_type(), &self.body)
    }
}

/// Forwards everything it receives to one origin and keeps each exchange.
pub(super) struct Recorder {
    /// `http://127.0.0.1:PORT`, without a path.
    pub origin: String,
    log: Arc<Mutex<Vec<Exchange>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for Recorder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The scheme, host and port of `url`.
pub(super) fn origin_of(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host = rest.split('/').next().unwrap();
    format!("{scheme}://{host}")
}

/// The path of `url` (`/transmission/rpc`), without the origin.
pub(super) fn path_of(url: &str) -> String {
    let rest = url.split_once("://").unwrap().1;
    rest.find('/')
        .map_or("/".to_string(), |at| rest[at..].to_string())
}

impl Recorder {
    /// A recorder in front of `upstream`'s origin.
    pub async fn start(upstream: &str) -> Recorder {
        let upstream = origin_of(upstream);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let origin = format!("http://{}", listener.local_addr().unwrap());
        let log: Arc<Mutex<Vec<Exchange>>> = Arc::default();
        // Redirects and cookies are the client's business: passed on as they are.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let shared = log.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let (http, upstream, log) = (http.clone(), upstream.clone(), shared.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(move |request| {
                        let (http, upstream, log) = (http.clone(), upstream.clone(), log.clone());
                        async move {
                            Ok::<_, Infallible>(forward(&http, &upstream, &log, request).await)
                        }
                    });
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        Recorder { origin, log, task }
    }

    /// The exchanges so far, oldest first; the log starts again empty.
    pub fn take(&self) -> Vec<Exchange> {
        std::mem::take(&mut *self.log.lock().unwrap())
    }
}

/// Headers that belong to one connection, not to the message.
const HOP_BY_HOP: [&str; 5] = [
    "host",
    "connection",
    "content-length",
    "transfer-encoding",
    "keep-alive",
];

async fn forward(
    http: &reqwest::Client,
    upstream: &str,
    log: &Mutex<Vec<Exchange>>,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let (parts, body) = request.into_parts();
    let request_body = body.collect().await.unwrap().to_bytes().to_vec();
    let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
    let mut outgoing = http.request(parts.method.clone(), format!("{upstream}{target}"));
    for (name, value) in &parts.headers {
        if !HOP_BY_HOP.contains(&name.as_str()) {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = outgoing.body(request_body.clone()).send().await.unwrap();
    let status = answer.status();
    let headers: Vec<(String, String)> = answer
        .headers()
        .iter()
        .filter(|(name, _)| !HOP_BY_HOP.contains(&name.as_str()))
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = answer.bytes().await.unwrap().to_vec();
    let mut response = hyper::Response::new(Full::new(Bytes::from(body.clone())));
    *response.status_mut() = status;
    for (name, value) in &headers {
        response.headers_mut().append(
            hyper::header::HeaderName::from_bytes(name.as_bytes()).unwrap(),
            hyper::header::HeaderValue::from_str(value).unwrap(),
        );
    }
    log.lock().unwrap().push(Exchange {
        request_body,
        status: status.as_u16(),
        headers,
        body,
    });
    response
}

/// The structure of a body, without its values: the key tree and the kind
/// of every value of a JSON document, the element tree of an XML one, or
/// whether it is text at all.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Shape {
    Empty,
    /// A body that is no document (a word, a page).
    Text,
    Null,
    Bool,
    Number,
    String,
    /// The distinct shapes of the items, in order.
    Array(Vec<Shape>),
    Object(BTreeMap<String, Shape>),
    /// An element: its local name, whether it has text, its children's shapes.
    Element(String, bool, Vec<Shape>),
}

impl Shape {
    /// The body read by its media type: JSON or XML when it says so and is, else text.
    pub fn of(media_type: &str, body: &[u8]) -> Shape {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Shape::Empty;
        }
        let text = String::from_utf8_lossy(body);
        if media_type.ends_with("json") {
            if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
                return Shape::json(&value);
            }
        }
        if media_type.ends_with("xml") {
            return Shape::xml(&loginspec_tests::xml::parse_xml(&text));
        }
        Shape::Text
    }

    fn json(value: &serde_json::Value) -> Shape {
        use serde_json::Value;
        match value {
            Value::Null => Shape::Null,
            Value::Bool(_) => Shape::Bool,
            Value::Number(_) => Shape::Number,
            Value::String(_) => Shape::String,
            Value::Array(items) => {
                let mut shapes: Vec<Shape> = items.iter().map(Shape::json).collect();
                shapes.sort();
                shapes.dedup();
                Shape::Array(shapes)
            }
            Value::Object(members) => Shape::Object(
                members
                    .iter()
                    .map(|(k, v)| (k.clone(), Shape::json(v)))
                    .collect(),
            ),
        }
    }

    fn xml(element: &loginspec_tests::xml::Element) -> Shape {
        let children = element.children.iter().map(Shape::xml).collect();
        Shape::Element(element.name.clone(), !element.text.is_empty(), children)
    }

    /// Where two shapes differ, as `/pointer: real … mock …` lines.
    pub fn differences(&self, other: &Shape, at: &str, out: &mut Vec<String>) {
        match (self, other) {
            (Shape::Object(a), Shape::Object(b)) => {
                for (key, value) in a {
                    let here = format!("{at}/{key}");
                    match b.get(key) {
                        Some(theirs) => value.differences(theirs, &here, out),
                        None => out.push(format!("{here}: only the real server sends it")),
                    }
                }
                for key in b.keys().filter(|k| !a.contains_key(*k)) {
                    out.push(format!("{at}/{key}: only the mock sends it"));
                }
            }
            (a, b) if a == b => {}
            (a, b) => out.push(format!("{at}: real {}, mock {}", a.kind(), b.kind())),
        }
    }

    fn kind(&self) -> String {
        match self {
            Shape::Array(items) => format!(
                "a list of {:?}",
                items.iter().map(Shape::kind).collect::<Vec<_>>()
            ),
            Shape::Object(_) => "an object".into(),
            Shape::Element(name, ..) => format!("<{name}>"),
            other => format!("{other:?}").to_lowercase(),
        }
    }
}
