//! The mock against the real servers (issue 12): for every peer, the
//! generated client logs in with the right password and with a wrong one,
//! once against the real server and once against `loginspec-mock` serving
//! the same spec, each time through a recording proxy. The two recordings
//! must agree exchange by exchange on the status, the media type, the body's
//! structure (key tree and value kinds, not values), the headers and
//! cookies the spec reads, the request-id echo, and on what the client made
//! of the answer. Where they cannot agree for a reason the spec gives,
//! [`ALLOWED`] says so; an allowance no difference uses fails the test too,
//! so the list stays true.

use super::recorder::{path_of, Exchange, Recorder};
use super::*;
use loginspec::runtime::ApiErrorKind;
use loginspec_codegen::model::{HeaderSource, Location, Method, Provider, ValueSource};
use loginspec_mock::{Account, Mock};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Case {
    Good,
    WrongPassword,
}

/// What may differ between the two recordings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aspect {
    /// Content-type parameters (`charset=…`).
    Parameters,
    MediaType,
    Body,
}

struct Allowance {
    /// `None`: every peer.
    peer: Option<&'static str>,
    case: Option<Case>,
    aspect: Aspect,
    why: &'static str,
}

/// The differences a spec cannot rule out, and why.
const ALLOWED: &[Allowance] = &[
    Allowance {
        peer: None,
        case: None,
        aspect: Aspect::Parameters,
        why: "No spec states a charset parameter, and clients read UTF-8 (JSON has no \
              charset parameter at all, RFC 8259 §11); the mock always names utf-8, \
              servers name it or not, and Transmission's ASCII pages say ISO-8859-1.",
    },
    Allowance {
        peer: Some("qbittorrent"),
        case: Some(Case::Good),
        aspect: Aspect::Body,
        why: "The login's body (`Ok.`) is not read (the key is the SID cookie) and the \
              spec has no success example (an example cannot carry the cookie), so the \
              mock sends an empty body.",
    },
    Allowance {
        peer: Some("transmission"),
        case: Some(Case::Good),
        aspect: Aspect::MediaType,
        why: "The handshake answer (409) is specified by its status and header only; \
              the daemon sends an HTML page, the mock a line of text.",
    },
];

/// The peers: the name of their up script, the spec folder, the API's path
/// below the peer's URL, the login's wire name, and the wire names the
/// account's user name and password go by.
const PEERS: [(&str, &str, &str, &str, Option<&str>); 6] = [
    ("synapse", "synapse", "", "login", Some("user")),
    (
        "qbittorrent",
        "qbittorrent",
        "api/v2/",
        "auth/login",
        Some("username"),
    ),
    (
        "transmission",
        "transmission",
        "",
        "session-get",
        Some("user"),
    ),
    ("deluge", "deluge", "json", "auth.login", None),
    ("node-red", "node_red", "", "auth/token", Some("username")),
    (
        "verdaccio",
        "verdaccio",
        "",
        "-/verdaccio/sec/login",
        Some("username"),
    ),
];

/// What the client made of the answer: success, or the error's class and variant.
type Taken = Result<(), (Option<ErrorClass>, String)>;

fn taken<T, E: ApiErrorKind>(result: Result<T, loginspec::runtime::Error<E>>) -> Taken {
    result.map(|_| ()).map_err(|e| {
        let kind = e.api().map(|a| format!("{:?}", a.kind));
        (
            e.class(),
            kind.unwrap_or_else(|| format!("not an API error: {e}")),
        )
    })
}

/// The login of `provider` through the client at `base`.
async fn login(provider: &str, base: &str, user: &str, password: &str) -> Taken {
    let options = || ClientOptions::default().base_url(base);
    // The providers whose login is `login(LoginRequest::new(ARGS…))`.
    macro_rules! login {
        ($module:ident, $($arg:expr),+) => {{
            let client = $module::Client::with_options(options()).unwrap();
            taken(client.login($module::LoginRequest::new($($arg),+)).await)
        }};
    }
    match provider {
        "synapse" => login!(synapse, user, password),
        "qbittorrent" => login!(qbittorrent, user, password),
        "deluge" => login!(deluge, password),
        "node_red" => login!(node_red, user, password),
        "verdaccio" => login!(verdaccio, user, password),
        // No login call: Basic credentials on every call.
        "transmission" => {
            let client = transmission::Client::with_options(user, password, options()).unwrap();
            let fields = ["version", "rpc-version", "rpc-version-minimum"].map(String::from);
            let request = transmission::SessionGetRequest::new().fields(fields.to_vec());
            taken(client.session_get(request).await)
        }
        other => panic!("no login written for {other}"),
    }
}

/// The headers and cookies the spec reads from an answer of `method`.
fn read_headers(provider: &Provider, method: &Method) -> (Vec<String>, Vec<String>) {
    // The runtime reads Retry-After from every answer.
    let mut headers = vec!["retry-after".to_string()];
    let mut cookies = Vec::new();
    for (_, source) in &method.header_fields {
        match source {
            HeaderSource::Header(name) => headers.push(name.to_ascii_lowercase()),
            HeaderSource::Cookie(name) => cookies.push(name.clone()),
            HeaderSource::Document(_) => {}
        }
    }
    headers.extend(
        provider
            .protocol
            .handshake
            .iter()
            .map(|(_, h)| h.to_ascii_lowercase()),
    );
    let refined = method
        .errors
        .iter()
        .filter_map(|v| v.refine.as_ref()?.header.as_ref());
    headers.extend(refined.map(|(name, _)| name.to_ascii_lowercase()));
    let when = method
        .error_rules
        .iter()
        .filter_map(|r| r.when.header.as_ref());
    headers.extend(when.map(|name| name.to_ascii_lowercase()));
    headers.sort();
    headers.dedup();
    (headers, cookies)
}

/// Where the method sends its request id, and where answers echo it.
fn request_id(provider: &Provider, method: &Method) -> Option<(String, String)> {
    let check = provider.protocol.request_id_check.clone()?;
    method
        .bindings
        .iter()
        .find_map(|b| match (&b.source, &b.location) {
            (ValueSource::RequestId, Location::Body(at)) => Some((at.clone(), check.clone())),
            _ => None,
        })
}

/// Checks the request-id echo of one exchange; `Err` says what is wrong.
fn echo(exchange: &Exchange, id: &Option<(String, String)>) -> Result<&'static str, String> {
    let Some((at, check)) = id else {
        return Ok("");
    };
    let json = |bytes: &[u8]| serde_json::from_slice::<serde_json::Value>(bytes).ok();
    let sent = json(&exchange.request_body).and_then(|d| d.pointer(at).cloned());
    let answer = json(&exchange.body).filter(serde_json::Value::is_object);
    match (sent, answer) {
        (Some(sent), Some(answer)) if answer.pointer(check) == Some(&sent) => Ok(", id echoed"),
        (Some(sent), Some(answer)) => Err(format!(
            "answer id {:?} at {check}, request id {sent}",
            answer.pointer(check)
        )),
        // A page that is no document carries no id (the handshake, a 401).
        _ => Ok(""),
    }
}

/// A difference between two recordings.
struct Difference {
    aspect: Option<Aspect>,
    what: String,
}

fn compare(
    (headers, cookies): &(Vec<String>, Vec<String>),
    id: &Option<(String, String)>,
    real: &[Exchange],
    mock: &[Exchange],
    agreed: &mut Vec<String>,
) -> Vec<Difference> {
    let mut out = Vec::new();
    let mut differ = |aspect, what: String| out.push(Difference { aspect, what });
    if real.len() != mock.len() {
        let statuses = |e: &[Exchange]| e.iter().map(|x| x.status).collect::<Vec<_>>();
        differ(
            None,
            format!(
                "exchanges: real {:?}, mock {:?}",
                statuses(real),
                statuses(mock)
            ),
        );
    }
    for (n, (r, m)) in real.iter().zip(mock).enumerate() {
        let mut same = format!("#{n}: {}", r.status);
        if r.status != m.status {
            differ(
                None,
                format!("#{n} status: real {}, mock {}", r.status, m.status),
            );
        }
        if r.media_type() == m.media_type() {
            same.push_str(&format!(" {}", r.media_type()));
        } else {
            let what = format!(
                "#{n} media type: real {}, mock {}",
                r.media_type(),
                m.media_type()
            );
            differ(Some(Aspect::MediaType), what);
        }
        if r.media_parameters() != m.media_parameters() {
            let what = format!(
                "#{n} content-type parameters: real {:?}, mock {:?}",
                r.media_parameters(),
                m.media_parameters()
            );
            differ(Some(Aspect::Parameters), what);
        }
        let mut shapes = Vec::new();
        r.shape().differences(&m.shape(), "", &mut shapes);
        if shapes.is_empty() {
            same.push_str(&format!(", body {}", summary(&r.shape())));
        }
        for what in shapes {
            differ(Some(Aspect::Body), format!("#{n} body {what}"));
        }
        for name in headers {
            let (a, b) = (r.header(name).is_some(), m.header(name).is_some());
            if a != b {
                differ(None, format!("#{n} header {name}: real {a}, mock {b}"));
            } else if a {
                same.push_str(&format!(", header {name}"));
            }
        }
        for name in cookies {
            let (a, b) = (r.sets_cookie(name), m.sets_cookie(name));
            if a != b {
                differ(None, format!("#{n} cookie {name}: real {a}, mock {b}"));
            } else if a {
                same.push_str(&format!(", cookie {name}"));
            }
        }
        for (side, exchange) in [("real", r), ("mock", m)] {
            match echo(exchange, id) {
                Ok(note) if side == "mock" => same.push_str(note),
                Ok(_) => {}
                Err(what) => differ(None, format!("#{n} {side}: {what}")),
            }
        }
        agreed.push(same);
    }
    out
}

/// A short description of a body's shape for the report.
fn summary(shape: &super::recorder::Shape) -> String {
    use super::recorder::Shape;
    match shape {
        Shape::Object(members) => format!(
            "{{{}}}",
            members.keys().cloned().collect::<Vec<_>>().join(",")
        ),
        other => format!("{other:?}").to_lowercase(),
    }
}

#[tokio::test]
async fn mock_answers_logins_as_the_real_servers_do() {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("peers/specs");
    let model = loginspec_codegen::load_and_check(&specs).unwrap().0;
    let mock = Mock::start(&model).await.unwrap();
    let mut used = [false; ALLOWED.len()];
    let mut failures = Vec::new();
    let mut compared = 0;
    for (script, name, api, login_wire, user_wire) in PEERS {
        let Some(peer) = Peer::up(script) else {
            continue;
        };
        let provider = model.providers.iter().find(|p| p.name == name).unwrap();
        let method = provider
            .methods
            .iter()
            .find(|m| m.wire == login_wire)
            .unwrap();
        let provider_mock = mock.provider(name);
        let mut account = Account::new().with("password", peer["PASSWORD"].as_str());
        if let Some(user) = user_wire {
            account = account.with(user, peer["USER"].as_str());
        }
        provider_mock.set_account(account);
        let real_base = format!("{}{api}", peer["URL"]);
        let real = Recorder::start(&real_base).await;
        let fake = Recorder::start(provider_mock.base_url()).await;
        let real_url = format!("{}{}", real.origin, path_of(&real_base));
        let mock_url = format!("{}{}", fake.origin, path_of(provider_mock.base_url()));
        let read = read_headers(provider, method);
        let id = request_id(provider, method);
        for case in [Case::Good, Case::WrongPassword] {
            let password = match case {
                Case::Good => peer["PASSWORD"].clone(),
                Case::WrongPassword => "not-the-password".to_string(),
            };
            let user = peer.0.get("USER").cloned().unwrap_or_default();
            let real_taken = login(name, &real_url, &user, &password).await;
            let mock_taken = login(name, &mock_url, &user, &password).await;
            let (real_log, mock_log) = (real.take(), fake.take());
            let mut agreed = Vec::new();
            let mut differences = compare(&read, &id, &real_log, &mock_log, &mut agreed);
            if real_taken != mock_taken {
                let what = format!("client: real {real_taken:?}, mock {mock_taken:?}");
                differences.push(Difference { aspect: None, what });
            }
            assert_eq!(
                real_taken.is_ok(),
                case == Case::Good,
                "{name} {case:?}: the real server's answer was not what the case expects: {real_taken:?}"
            );
            eprintln!(
                "{name} {case:?}: agreed: client {real_taken:?}; {}",
                agreed.join("; ")
            );
            for difference in differences {
                let allowance = ALLOWED.iter().position(|a| {
                    a.peer.is_none_or(|p| p == script)
                        && a.case.is_none_or(|c| c == case)
                        && Some(a.aspect) == difference.aspect
                });
                match allowance {
                    Some(at) => {
                        used[at] = true;
                        eprintln!(
                            "{name} {case:?}: allowed: {} ({})",
                            difference.what, ALLOWED[at].why
                        );
                    }
                    None => failures.push(format!("{name} {case:?}: {}", difference.what)),
                }
            }
            compared += 1;
        }
        assert!(
            provider_mock.violations().is_empty(),
            "{name}: {:?}",
            provider_mock.violations()
        );
    }
    if compared == 0 {
        return;
    }
    // With every peer up, an allowance that covered nothing is out of date.
    if compared == 2 * PEERS.len() {
        for (allowance, used) in ALLOWED.iter().zip(used) {
            if !used {
                failures.push(format!(
                    "the allowance {:?} {:?} {:?} covers no difference",
                    allowance.peer, allowance.case, allowance.aspect
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "the mock and the real servers differ:\n{}",
        failures.join("\n")
    );
}
