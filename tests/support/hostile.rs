//! Hostile loopback servers and checks that no secret escapes an error.
//!
//! - [`RawServer`]: a raw TCP HTTP server on 127.0.0.1 that answers with
//!   whatever bytes a test gives (bad framing, redirects, cut-off bodies),
//!   and counts the connections and requests it received.
//! - [`wire_forms`]: the forms a secret takes on the wire, written here
//!   independently of the runtime.
//! - [`traced`] and [`assert_clean`]: a TRACE-level capture of a call, and
//!   the check that no secret in any form shows in an error's Display, Debug,
//!   source chain or the capture.
//! - [`seeds`]: the seed providers' secrets, answers and calls.

pub mod seeds;

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine as _;
use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Builds the answer to one request (the raw bytes received).
type Respond = dyn Fn(&[u8]) -> Vec<u8> + Send + Sync;

/// A loopback HTTP server that writes raw bytes and closes the connection.
pub struct RawServer {
    addr: SocketAddr,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    connections: Arc<AtomicUsize>,
}

impl RawServer {
    /// Starts a server that answers every request with `respond(request)`.
    pub async fn start(respond: impl Fn(&[u8]) -> Vec<u8> + Send + Sync + 'static) -> RawServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind a loopback port");
        let addr = listener.local_addr().expect("local address");
        let requests = Arc::new(Mutex::new(Vec::new()));
        let connections = Arc::new(AtomicUsize::new(0));
        let respond: Arc<Respond> = Arc::new(respond);
        let (log, count) = (requests.clone(), connections.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let request = read_request(&mut stream).await;
                log.lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .push(request.clone());
                let answer = respond(&request);
                let _ = stream.write_all(&answer).await;
                let _ = stream.shutdown().await;
            }
        });
        RawServer {
            addr,
            requests,
            connections,
        }
    }

    /// A server that answers everything with `answer`.
    pub async fn answering(answer: Vec<u8>) -> RawServer {
        RawServer::start(move |_| answer.clone()).await
    }

    /// A server that counts what reaches it and answers `200 {}`.
    pub async fn counting() -> RawServer {
        RawServer::answering(response(
            200,
            &[("Content-Type", "application/json")],
            b"{}",
        ))
        .await
    }

    /// `http://127.0.0.1:port{path}`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `http://127.0.0.1:port`, as an error names an origin.
    pub fn origin(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Every request received so far, as raw bytes.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Fails unless nothing at all reached this server: no connection, no byte.
    #[track_caller]
    pub fn assert_untouched(&self) {
        assert_eq!(self.connections(), 0, "a connection reached {}", self.addr);
        assert!(self.requests().is_empty(), "bytes reached {}", self.addr);
    }
}

/// Reads a request head and, if it announces one, its body.
async fn read_request(stream: &mut tokio::net::TcpStream) -> Vec<u8> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        if let Some(head_end) = find(&data, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..head_end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            if data.len() >= head_end + 4 + length {
                return data;
            }
        }
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return data,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A complete HTTP/1.1 answer with a correct `Content-Length`.
pub fn response(status: u16, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let length = body.len().to_string();
    head_and_body(status, headers, Some(&length), body)
}

/// An answer that announces `announced` bytes and sends only `body`.
pub fn cut_off(status: u16, announced: usize, body: &[u8]) -> Vec<u8> {
    head_and_body(status, &[], Some(&announced.to_string()), body)
}

/// A redirect to `location`, with an empty body.
pub fn redirect(status: u16, location: &str) -> Vec<u8> {
    response(status, &[("Location", location)], b"")
}

/// A chunked answer whose last chunk promises more than it has.
pub fn broken_chunks(body: &[u8]) -> Vec<u8> {
    let mut out = head_and_body(200, &[("Transfer-Encoding", "chunked")], None, b"");
    out.extend_from_slice(format!("{:x}\r\n", body.len() + 64).as_bytes());
    out.extend_from_slice(body);
    out
}

fn head_and_body(
    status: u16,
    headers: &[(&str, &str)],
    length: Option<&str>,
    body: &[u8],
) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status} Hostile\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    if let Some(length) = length {
        out.push_str(&format!("Content-Length: {length}\r\n"));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// The forms `secret` takes on the wire: as it is, percent-encoded (form
/// `+`, URL `%20`, every byte, lower-case hex), JSON- and XML-escaped,
/// base64 in four alphabets, and as a number if it is one.
pub fn wire_forms(secret: &str) -> Vec<String> {
    let form: String = form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let every_byte: String = secret
        .bytes()
        .map(|b| match b {
            b if b.is_ascii_alphanumeric() => char::from(b).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect();
    let json = serde_json::to_string(secret).expect("a string serializes");
    let xml = secret
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;");
    let mut forms = vec![
        secret.to_string(),
        form.replace('+', "%20"),
        form,
        every_byte.to_ascii_lowercase(),
        every_byte,
        json[1..json.len() - 1].to_string(),
        xml,
        STANDARD.encode(secret),
        STANDARD_NO_PAD.encode(secret),
        URL_SAFE.encode(secret),
        URL_SAFE_NO_PAD.encode(secret),
    ];
    if let Ok(number) = secret.parse::<u64>() {
        forms.push(number.to_string());
    }
    forms.sort();
    forms.dedup();
    forms
}

/// Fails if `text` shows any wire form of any of `secrets`.
#[track_caller]
pub fn assert_no_secret(what: &str, text: &str, secrets: &[&str]) {
    for secret in secrets {
        for form in wire_forms(secret) {
            assert!(
                !text.contains(&form),
                "{what} shows {form:?} (a form of {secret:?}):\n{text}"
            );
        }
    }
}

/// Fails if `error`'s Display, Debug, any error in its source chain, or
/// `logs` shows a secret in any form, or if its Display holds a control
/// character.
#[track_caller]
pub fn assert_clean(error: &(dyn std::error::Error + 'static), logs: &str, secrets: &[&str]) {
    let display = error.to_string();
    assert!(
        !display.chars().any(char::is_control),
        "Display holds a control character: {display:?}"
    );
    assert_no_secret("Display", &display, secrets);
    assert_no_secret("Debug", &format!("{error:?}"), secrets);
    let mut source = error.source();
    while let Some(inner) = source {
        assert_no_secret("a source's Display", &inner.to_string(), secrets);
        assert_no_secret("a source's Debug", &format!("{inner:?}"), secrets);
        source = inner.source();
    }
    assert_no_secret("the TRACE log", logs, secrets);
}

/// Everything `tracing` writes, at every level.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Runs `call` with a TRACE-level subscriber on this thread; returns its
/// output and what was logged. Use a current-thread runtime (the
/// `#[tokio::test]` default), so the whole call runs under the subscriber.
pub async fn traced<T>(call: impl Future<Output = T>) -> (T, String) {
    let capture = Capture::default();
    let writer = capture.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let guard = tracing::subscriber::set_default(subscriber);
    let out = call.await;
    drop(guard);
    let logs = capture.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    (out, String::from_utf8_lossy(&logs).into_owned())
}
