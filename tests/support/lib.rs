//! Helpers shared by the cross-crate tests.
//!
//! - [`xml`]: a namespace-aware XML tree, to compare request bodies.
//! - [`mock`]: loopback mock servers and the requests they received.
//! - [`errors`]: checks on the errors a generated client returns.
//! - [`specs`]: the repository's spec folder.
//! - [`hostile`]: raw hostile servers and checks that no secret escapes an error.

pub mod diagnostics;
pub mod hostile;

/// A namespace-aware XML tree, to compare request bodies element by element.
pub mod xml {
    use quick_xml::events::Event;
    use quick_xml::name::{Namespace, ResolveResult};
    use quick_xml::NsReader;

    /// An XML element reduced to what the tests compare: namespace, local name,
    /// trimmed text and child elements in order.
    #[derive(Debug, PartialEq)]
    pub struct Element {
        /// The namespace URI the element's name resolves to, if any.
        pub namespace: Option<String>,
        /// The local name, without any prefix.
        pub name: String,
        /// The element's own text, references resolved, trimmed.
        pub text: String,
        /// The child elements, in document order.
        pub children: Vec<Element>,
    }

    impl Element {
        /// An element in no namespace.
        pub fn unqualified(name: &str, text: &str, children: Vec<Element>) -> Element {
            Element {
                namespace: None,
                name: name.to_string(),
                text: text.to_string(),
                children,
            }
        }

        /// An element in `namespace` holding only `children`.
        pub fn parent(namespace: &str, name: &str, children: Vec<Element>) -> Element {
            Element {
                namespace: Some(namespace.to_string()),
                name: name.to_string(),
                text: String::new(),
                children,
            }
        }

        /// An element in `namespace` holding only `text`.
        pub fn leaf(namespace: &str, name: &str, text: &str) -> Element {
            Element {
                namespace: Some(namespace.to_string()),
                name: name.to_string(),
                text: text.to_string(),
                children: Vec::new(),
            }
        }
    }

    fn namespace_of(resolved: ResolveResult<'_>) -> Option<String> {
        match resolved {
            ResolveResult::Bound(Namespace(ns)) => Some(ns.to_string()),
            ResolveResult::Unbound => None,
            ResolveResult::Unknown(prefix) => panic!("undeclared namespace prefix {prefix:?}"),
        }
    }

    /// Parses a whole XML document with namespace resolution; fails unless the
    /// document is well-formed.
    pub fn parse_xml(document: &str) -> Element {
        let mut reader = NsReader::from_str(document);
        let mut open: Vec<Element> = Vec::new();
        loop {
            let (resolved, event) = reader
                .read_resolved_event()
                .unwrap_or_else(|e| panic!("request body is not well-formed XML: {e}\n{document}"));
            let namespace = namespace_of(resolved);
            let finished = match event {
                Event::Start(start) => {
                    open.push(Element {
                        namespace,
                        name: start.local_name().as_ref().to_string(),
                        text: String::new(),
                        children: Vec::new(),
                    });
                    None
                }
                Event::Empty(start) => Some(Element {
                    namespace,
                    name: start.local_name().as_ref().to_string(),
                    text: String::new(),
                    children: Vec::new(),
                }),
                Event::Text(text) => {
                    if let Some(top) = open.last_mut() {
                        top.text.push_str(&text.xml10_content());
                    }
                    None
                }
                Event::GeneralRef(reference) => {
                    let top = open.last_mut().expect("entity reference outside the root");
                    match reference
                        .resolve_char_ref()
                        .expect("valid character reference")
                    {
                        Some(c) => top.text.push(c),
                        None => top.text.push_str(
                            quick_xml::escape::resolve_predefined_entity(&reference)
                                .expect("only predefined entities"),
                        ),
                    }
                    None
                }
                Event::End(_) => {
                    let mut element = open.pop().expect("balanced end tag");
                    element.text = element.text.trim().to_string();
                    Some(element)
                }
                Event::Eof => panic!("XML ends before its root element is closed:\n{document}"),
                _ => None,
            };
            if let Some(element) = finished {
                match open.last_mut() {
                    Some(parent) => parent.children.push(element),
                    None => return element,
                }
            }
        }
    }
}

/// Loopback mock servers, and checks on the requests they received.
pub mod mock {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    /// The body of the HTML error page a reverse proxy (nginx) sends with HTTP 502.
    pub const BAD_GATEWAY_PAGE: &str = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /// A new mock server answering every POST to `endpoint` with `answer`.
    pub async fn server_answering_posts(endpoint: &str, answer: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        mount_post(&server, endpoint, answer).await;
        server
    }

    /// Replaces whatever `server` answered before with `answer` for every POST
    /// to `endpoint`, and forgets the requests received so far.
    pub async fn answer_posts(server: &MockServer, endpoint: &str, answer: ResponseTemplate) {
        server.reset().await;
        mount_post(server, endpoint, answer).await;
    }

    async fn mount_post(server: &MockServer, endpoint: &str, answer: ResponseTemplate) {
        Mock::given(method("POST"))
            .and(path(endpoint))
            .respond_with(answer)
            .mount(server)
            .await;
    }

    /// An HTTP 200 answer with `body` sent as `application/json`.
    pub fn json_answer(body: &str) -> ResponseTemplate {
        ResponseTemplate::new(200).set_body_raw(body, "application/json")
    }

    /// The one request `server` received; fails unless there was exactly one.
    pub async fn only_request(server: &MockServer) -> Request {
        let mut requests = server
            .received_requests()
            .await
            .expect("request recording is on");
        assert_eq!(requests.len(), 1, "expected exactly one request");
        requests.remove(0)
    }

    /// Fails if `server` received any request.
    pub async fn assert_nothing_sent(server: &MockServer) {
        let requests = server
            .received_requests()
            .await
            .expect("request recording is on");
        assert!(requests.is_empty(), "nothing may be sent: {requests:?}");
    }

    /// The Content-Type header of `request` as sent; fails if it is missing or
    /// not ASCII.
    pub fn content_type(request: &Request) -> &str {
        request
            .headers
            .get("content-type")
            .expect("a Content-Type header")
            .to_str()
            .expect("an ASCII Content-Type")
    }

    /// Checks that `request` is a POST to `expected_path` with an
    /// `application/x-www-form-urlencoded` body, and returns the form fields in
    /// the order sent.
    pub fn form_fields(request: &Request, expected_path: &str) -> Vec<(String, String)> {
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), expected_path);
        let content_type = content_type(request);
        assert_eq!(
            content_type.split(';').next().map(str::trim),
            Some("application/x-www-form-urlencoded"),
            "Content-Type was {content_type:?}"
        );
        form_urlencoded::parse(&request.body)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect()
    }

    /// A port on 127.0.0.1 that nothing listens on: bound, then closed again.
    pub fn closed_local_port() -> u16 {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let port = listener.local_addr().expect("local address").port();
        drop(listener);
        port
    }
}

/// Checks on the errors a generated client returns, and on the secrets they
/// must not show.
pub mod errors {
    use loginspec_runtime::{ApiError, ApiErrorKind, Error};
    use std::fmt::Debug;

    /// The API error in `result`, after checking that `provider` reported it
    /// for `method`; fails on a success or any other error.
    #[track_caller]
    pub fn expect_api_error<E: ApiErrorKind>(
        result: Result<impl Debug, Error<E>>,
        provider: &str,
        method: &str,
    ) -> ApiError<E> {
        match result {
            Err(Error::Api {
                provider: reported_provider,
                method: reported_method,
                error,
            }) => {
                assert_eq!(reported_provider, provider);
                assert_eq!(reported_method, method);
                error
            }
            other => panic!("expected an API error, got {other:?}"),
        }
    }

    /// Asserts that `err` is a decode failure with HTTP `expected_status` whose
    /// excerpt, Display and Debug output show none of `secrets`.
    #[track_caller]
    pub fn assert_decode_error_hides<E: ApiErrorKind>(
        err: &Error<E>,
        expected_status: u16,
        secrets: &[&str],
    ) {
        let Error::Decode {
            status, excerpt, ..
        } = err
        else {
            panic!("expected Error::Decode, got {err:?}");
        };
        assert_eq!(*status, expected_status);
        for shown in [excerpt.clone(), err.to_string(), format!("{err:?}")] {
            for secret in secrets {
                assert!(!shown.contains(secret), "secret leaked: {shown}");
            }
        }
    }

    /// The error and its sources, `: `-joined, as `anyhow` and `eyre`
    /// print a chain.
    pub fn report(error: &(dyn std::error::Error + 'static)) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(inner) = source {
            text.push_str(": ");
            text.push_str(&inner.to_string());
            source = inner.source();
        }
        text
    }

    /// Asserts that no two rows of an error table expect the same variant, so
    /// that each documented code has its own.
    #[track_caller]
    pub fn assert_variants_distinct<C, E: PartialEq + Debug>(table: &[(C, E)]) {
        for (i, (_, a)) in table.iter().enumerate() {
            for (_, b) in &table[i + 1..] {
                assert_ne!(a, b, "variant listed twice in the table");
            }
        }
    }

    /// The longest leading part of `secret` (at least 4 characters) that `body`
    /// contains; fails if `body` shows no such part.
    pub fn visible_part_of_secret<'a>(body: &str, secret: &'a str) -> &'a str {
        let len = (4..=secret.len())
            .rev()
            .find(|&len| body.contains(&secret[..len]))
            .unwrap_or_else(|| panic!("the body shows no part of the secret: {body}"));
        &secret[..len]
    }
}

/// The repository's spec folder, as the generator reads it.
pub mod specs {
    use std::path::{Path, PathBuf};

    /// The repository's `specs/` folder, which the generated clients are built from.
    pub fn real_specs() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs")
    }

    /// The paths in `dir` that `keep` accepts, sorted; fails if `dir` cannot
    /// be read.
    pub fn sorted_entries(dir: &Path, keep: impl Fn(&Path) -> bool) -> Vec<PathBuf> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| keep(p))
            .collect();
        paths.sort();
        paths
    }
}

// The README's Rust example is compiled as a doctest, so it cannot go stale.
#[doc = include_str!("../../README.md")]
mod readme {}
