//! Deterministic synthetic specs for the benchmarks.
//!
//! [`write_specs`] writes `n` login-like methods spread over providers of the
//! four seed protocol shapes (form with a method field, form with packed
//! params, JSON/XML REST, SOAP 1.1). Every method has the same shape, so cost
//! per method can be compared across `n`:
//!
//! - 5 parameters of mixed types and constraints (a length-checked string, a
//!   secret, a ranged integer, a clamped optional integer, an optional string
//!   with a pattern or hex check);
//! - a 12-field response with one nested object (a struct of its own) and one
//!   list (of a provider-wide struct);
//! - 6 error codes: 2 of its own plus 4 provider-wide ones (one status-only);
//! - docs on everything, and one success example.
//!
//! There is no randomness: the variation between methods comes from the
//! method's index, so the same `n` always gives the same bytes.

use std::fmt::Write as _;
use std::io;
use std::path::Path;

/// At most this many methods go into one provider; more methods mean more providers.
pub const METHODS_PER_PROVIDER: usize = 100;

/// The four protocol shapes of the seed providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Erply-like: form post, `request` field names the call, `/records/0` payload.
    FormField,
    /// Wialon-like: form post, `svc` names the call, params packed as JSON.
    FormPacked,
    /// Aktion-like: JSON or XML body, method in the URL path.
    Rest,
    /// Aukro-like: SOAP 1.1 with a SOAPAction header and faults.
    Soap,
}

const SHAPES: [Shape; 4] = [
    Shape::FormField,
    Shape::FormPacked,
    Shape::Rest,
    Shape::Soap,
];

/// One generated file: its path below the specs folder and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecFile {
    pub path: String,
    pub text: String,
}

/// How `n` methods are split into providers: at least four (one per shape)
/// while there are enough methods, and at most [`METHODS_PER_PROVIDER`] each.
pub fn provider_sizes(n: usize) -> Vec<usize> {
    let providers = n.div_ceil(METHODS_PER_PROVIDER).max(n.min(4));
    (0..providers)
        .map(|p| n / providers + usize::from(p < n % providers))
        .collect()
}

/// All spec files for `n` methods, in a fixed order.
pub fn specs(n: usize) -> Vec<SpecFile> {
    let mut files = Vec::new();
    let mut first_method = 0;
    for (p, count) in provider_sizes(n).into_iter().enumerate() {
        let shape = SHAPES[p % SHAPES.len()];
        let name = format!("synth{p:03}");
        let methods: Vec<usize> = (first_method..first_method + count).collect();
        first_method += count;
        files.push(SpecFile {
            path: format!("{name}/provider.yaml"),
            text: provider_yaml(&name, shape, &methods),
        });
        for &m in &methods {
            files.push(SpecFile {
                path: format!("{name}/m{m:05}.yaml"),
                text: method_yaml(shape, m),
            });
        }
    }
    files
}

/// Writes [`specs`]`(n)` below `dir`, which is emptied first.
pub fn write_specs(dir: &Path, n: usize) -> io::Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    for file in specs(n) {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(path, file.text)?;
    }
    Ok(())
}

/// Type prefix of method `m` (`Op00042`), used for its nested struct.
fn prefix(m: usize) -> String {
    format!("Op{m:05}")
}

fn provider_yaml(name: &str, shape: Shape, methods: &[usize]) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# Synthetic provider for benchmarks; generated, do not edit."
    );
    let _ = writeln!(y, "provider: {name}");
    let _ = writeln!(y, "title: Synthetic API {name}");
    let _ = writeln!(
        y,
        "doc: >-\n  A made-up provider with the {shape:?} protocol shape, generated so that\n  the generator and the generated code can be measured at scale. Every\n  method logs a user in and answers with a session record."
    );
    let _ = writeln!(y, "docs_url: https://example.invalid/{name}/docs");
    match shape {
        Shape::FormField => {
            let _ = writeln!(y, "base_url: \"https://{{account}}.example.invalid/api/\"");
            y.push_str(concat!(
                "variables:\n",
                "  - name: account\n",
                "    doc: Account code, part of the host name and sent with every call.\n",
                "    in: body\n",
                "    constraints:\n",
                "      pattern: \"^[A-Za-z0-9]+$\"\n",
                "request:\n",
                "  encodings: [form]\n",
                "  method_name: {in: body, at: /request}\n",
                "response:\n",
                "  payload: /records/0\n",
                "  error_rules:\n",
                "    - code: /status/errorCode\n",
                "      message: /status/errorField\n",
                "      code_type: int\n",
                "      success: [0]\n",
            ));
        }
        Shape::FormPacked => {
            let _ = writeln!(y, "base_url: https://{name}.example.invalid/ajax.html");
            y.push_str(concat!(
                "request:\n",
                "  encodings: [form]\n",
                "  method_name: {in: body, at: /svc}\n",
                "  params_at: /params\n",
                "  json_string: [/params]\n",
                "response:\n",
                "  error_rules:\n",
                "    - code: /error\n",
                "      code_optional: true\n",
                "      message: /reason\n",
                "      code_type: int\n",
                "      success: [0]\n",
            ));
        }
        Shape::Rest => {
            let _ = writeln!(y, "base_url: https://{name}.example.invalid/api/");
            y.push_str(concat!(
                "request:\n",
                "  encodings: [json, xml]\n",
                "  xml_root: Request\n",
                "response:\n",
                "  error_rules:\n",
                "    - code: /Code\n",
                "      code_optional: true\n",
                "      message: /Message\n",
                "      code_type: int\n",
                "      success: [0]\n",
            ));
        }
        Shape::Soap => {
            let _ = writeln!(y, "base_url: https://{name}.example.invalid/service.php");
            let _ = writeln!(
                y,
                "request:\n  encodings: [soap11]\n  soap_namespace: https://{name}.example.invalid/service.php"
            );
        }
    }
    y.push_str("types:\n");
    y.push_str(concat!(
        "  Role:\n",
        "    doc: A role granted to the user, with its scope.\n",
        "    fields:\n",
        "      - name: roleId\n",
        "        rust_name: role_id\n",
        "        type: i64\n",
        "        doc: Identifier of the role.\n",
        "      - name: roleName\n",
        "        rust_name: role_name\n",
        "        type: string\n",
        "        doc: Human-readable name of the role.\n",
        "      - name: scope\n",
        "        type: string\n",
        "        required: false\n",
        "        doc: What the role applies to, when it is limited.\n",
    ));
    for &m in methods {
        let p = prefix(m);
        let _ = write!(
            y,
            concat!(
                "  {p}Account:\n",
                "    doc: The account that method {m} logged in to.\n",
                "    fields:\n",
                "      - name: accountId\n",
                "        rust_name: account_id\n",
                "        type: i64\n",
                "        doc: Identifier of the account.\n",
                "      - name: accountName\n",
                "        rust_name: account_name\n",
                "        type: string\n",
                "        doc: Display name of the account.\n",
                "      - name: plan\n",
                "        type: string\n",
                "        required: false\n",
                "        doc: Subscription plan of the account.\n",
                "      - name: seats\n",
                "        type: u32\n",
                "        required: false\n",
                "        doc: Number of seats the plan allows.\n",
            ),
            p = p,
            m = m
        );
    }
    y.push_str("errors:\n");
    let codes: [(&str, &str, &str, &str); 3] = [
        (
            "1000",
            "Maintenance",
            "The service is down for maintenance; retry later.",
            "server",
        ),
        (
            "1002",
            "RateLimited",
            "Too many requests in the current window; back off and retry.",
            "rate_limited",
        ),
        (
            "1054",
            "SessionExpired",
            "The session has expired; log in again.",
            "session_expired",
        ),
    ];
    for (code, variant, doc, class) in codes {
        let code = error_code(shape, code, variant);
        let _ = write!(
            y,
            "  - code: {code}\n    name: {variant}\n    doc: {doc}\n    class: {class}\n"
        );
    }
    y.push_str(concat!(
        "  - http_status: 503\n",
        "    name: Unavailable\n",
        "    doc: HTTP 503 with no error code in the body; the service is overloaded.\n",
        "    class: server\n",
    ));
    y
}

/// Integer codes for most shapes, `ERR_*` text for SOAP faults.
fn error_code(shape: Shape, code: &str, variant: &str) -> String {
    match shape {
        Shape::Soap => {
            let mut text = String::from("ERR");
            for c in variant.chars() {
                if c.is_ascii_uppercase() {
                    text.push('_');
                }
                text.push(c.to_ascii_uppercase());
            }
            text
        }
        _ => code.to_string(),
    }
}

fn method_yaml(shape: Shape, m: usize) -> String {
    let p = prefix(m);
    let wire = match shape {
        Shape::FormField => format!("loginUser{m}"),
        Shape::FormPacked => format!("core/login_{m}"),
        Shape::Rest => format!("login/auth{m}"),
        Shape::Soap => format!("doLogin{m}"),
    };
    let mut y = String::new();
    let _ = writeln!(y, "# Synthetic method {m}; generated, do not edit.");
    let _ = writeln!(y, "method: {wire}");
    let _ = writeln!(y, "rust_name: op{m:05}");
    let _ = writeln!(
        y,
        "doc: >-\n  Logs a user in (synthetic method {m}) and opens a session. The returned\n  session key is sent on later calls until it expires."
    );
    let _ = writeln!(y, "docs_url: https://example.invalid/methods/{m}");
    if shape == Shape::Rest {
        let _ = writeln!(y, "path: {wire}");
    }
    if shape == Shape::Soap {
        let _ = writeln!(
            y,
            "soap:\n  action: \"#doLogin{m}\"\n  request_element: DoLogin{m}Request\n  response_element: doLogin{m}Response"
        );
    }
    // Five parameters; the last two vary with the index so that not every
    // method takes the same code paths in check and emit.
    y.push_str(concat!(
        "params:\n",
        "  - name: userLogin\n",
        "    rust_name: user_login\n",
        "    type: string\n",
        "    doc: The user's login name or e-mail address.\n",
        "    constraints:\n",
        "      length: {min: 1, max: 255}\n",
        "  - name: userPassword\n",
        "    rust_name: password\n",
        "    type: string\n",
        "    secret: true\n",
    ));
    if shape == Shape::Soap {
        y.push_str("    transform: sha256_base64\n");
    }
    y.push_str(concat!(
        "    doc: The user's password; never printed.\n",
        "  - name: countryCode\n",
        "    rust_name: country_id\n",
        "    type: i32\n",
        "    doc: Country the account is registered in.\n",
        "    constraints:\n",
        "      range: {min: 1, max: 999}\n",
    ));
    if m.is_multiple_of(2) {
        y.push_str(concat!(
            "  - name: sessionLength\n",
            "    rust_name: session_length\n",
            "    type: u32\n",
            "    required: false\n",
            "    doc: Requested session lifetime in seconds; longer values are cut to a day.\n",
            "    constraints:\n",
            "      range: {max: 86400, clamp: true}\n",
        ));
    } else {
        y.push_str(concat!(
            "  - name: rememberMe\n",
            "    rust_name: remember_me\n",
            "    type: bool\n",
            "    default: false\n",
            "    doc: Whether the session survives a restart of the client.\n",
        ));
    }
    if m.is_multiple_of(3) {
        y.push_str(concat!(
            "  - name: deviceKey\n",
            "    rust_name: device_key\n",
            "    type: string\n",
            "    required: false\n",
            "    doc: Key of the device logging in, 16 bytes in hex.\n",
            "    constraints:\n",
            "      hex_bytes: 16\n",
        ));
    } else {
        y.push_str(concat!(
            "  - name: clientName\n",
            "    rust_name: client_name\n",
            "    type: string\n",
            "    required: false\n",
            "    doc: Name of the calling application, for the audit log.\n",
            "    constraints:\n",
            "      pattern: \"[A-Za-z][A-Za-z0-9 ._-]*\"\n",
        ));
    }
    let _ = write!(
        y,
        concat!(
            "response:\n",
            "  doc: The session record of the user who logged in.\n",
            "  fields:\n",
            "    - name: userId\n",
            "      rust_name: user_id\n",
            "      type: i64\n",
            "      doc: Identifier of the user.\n",
            "    - name: userName\n",
            "      rust_name: user_name\n",
            "      type: string\n",
            "      doc: The user's display name.\n",
            "    - name: sessionKey\n",
            "      rust_name: session_key\n",
            "      type: string\n",
            "      secret: true\n",
            "      doc: Session key to send on later calls; never printed.\n",
            "    - name: expiresIn\n",
            "      rust_name: expires_in\n",
            "      type: i64\n",
            "      doc: Seconds until the session key expires.\n",
            "    - name: serverTime\n",
            "      rust_name: server_time\n",
            "      type: timestamp\n",
            "      format: unix_seconds\n",
            "      required: false\n",
            "      doc: The server's clock when it answered.\n",
            "    - name: isAdmin\n",
            "      rust_name: is_admin\n",
            "      type: bool\n",
            "      required: false\n",
            "      doc: Whether the user administers the account.\n",
            "    - name: email\n",
            "      type: string\n",
            "      required: false\n",
            "      doc: The user's e-mail address.\n",
            "    - name: locale\n",
            "      type: string\n",
            "      required: false\n",
            "      doc: Preferred language tag, such as `en-GB`.\n",
            "    - name: score\n",
            "      type: f64\n",
            "      required: false\n",
            "      doc: Risk score the server gave this login, 0 to 1.\n",
            "    - name: loginCount\n",
            "      rust_name: login_count\n",
            "      type: u32\n",
            "      required: false\n",
            "      doc: How often the user has logged in.\n",
            "    - name: account\n",
            "      type: {p}Account\n",
            "      required: false\n",
            "      doc: The account the session belongs to.\n",
            "    - name: roles\n",
            "      type: list<Role>\n",
            "      required: false\n",
            "      doc: Roles granted to the user in this session.\n",
        ),
        p = p
    );
    let own: [(&str, &str, &str, &str); 2] = [
        (
            "1051",
            "LoginFailed",
            "Login failed; the user name or password is wrong.",
            "bad_credentials",
        ),
        (
            "1052",
            "UserBlocked",
            "The user is blocked after repeated failed logins.",
            "access_denied",
        ),
    ];
    y.push_str("errors:\n");
    for (code, variant, doc, class) in own {
        let code = error_code(shape, code, variant);
        let _ = write!(
            y,
            "  - code: {code}\n    name: {variant}\n    doc: {doc}\n    class: {class}\n"
        );
    }
    let _ = write!(
        y,
        "examples:\n  - name: success\n    body: |-\n{}\n",
        indent(&success_body(shape, m), 6)
    );
    y
}

fn indent(text: &str, by: usize) -> String {
    let pad = " ".repeat(by);
    text.lines()
        .map(|l| format!("{pad}{l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A success answer of method `m` as its protocol shape sends it.
pub fn success_body(shape: Shape, m: usize) -> String {
    let record = format!(
        "{{\"userId\": {id}, \"userName\": \"user{m}\", \"sessionKey\": \"k{m:08x}\", \"expiresIn\": 3600, \"serverTime\": 1700000000, \"isAdmin\": false, \"email\": \"u{m}@example.invalid\", \"locale\": \"en-GB\", \"score\": 0.25, \"loginCount\": 7, \"account\": {{\"accountId\": 9, \"accountName\": \"Acme\", \"plan\": \"pro\", \"seats\": 5}}, \"roles\": [{{\"roleId\": 1, \"roleName\": \"admin\"}}, {{\"roleId\": 2, \"roleName\": \"viewer\", \"scope\": \"reports\"}}]}}",
        id = 1000 + m
    );
    match shape {
        Shape::FormField => format!(
            "{{\"status\": {{\"request\": \"loginUser{m}\", \"errorCode\": 0}},\n \"records\": [{record}]}}"
        ),
        Shape::FormPacked | Shape::Rest => record,
        Shape::Soap => format!(
            concat!(
                "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:ns1=\"urn:synth\">\n",
                "  <SOAP-ENV:Body><ns1:doLogin{m}Response>\n",
                "    <ns1:userId>{id}</ns1:userId><ns1:userName>user{m}</ns1:userName>\n",
                "    <ns1:sessionKey>k{m:08x}</ns1:sessionKey><ns1:expiresIn>3600</ns1:expiresIn>\n",
                "    <ns1:serverTime>1700000000</ns1:serverTime><ns1:isAdmin>false</ns1:isAdmin>\n",
                "    <ns1:account><ns1:accountId>9</ns1:accountId><ns1:accountName>Acme</ns1:accountName></ns1:account>\n",
                "  </ns1:doLogin{m}Response></SOAP-ENV:Body>\n",
                "</SOAP-ENV:Envelope>",
            ),
            m = m,
            id = 1000 + m
        ),
    }
}

/// A program that calls every method of [`specs`]`(n)` once, for measuring
/// what a user's crate pays in release builds, where each call instantiates
/// the generic transport code for its types. It polls the calls once with a
/// no-op waker; it is meant to be built, not run.
pub fn caller(n: usize) -> String {
    let mut out = String::from(concat!(
        "// Generated by loginspec-bench: calls every synthetic method once.\n",
        "use std::future::Future as _;\nuse synth_client::*;\n\n",
        "async fn call_all() {\n",
    ));
    let mut m = 0;
    for (p, count) in provider_sizes(n).into_iter().enumerate() {
        let client = match SHAPES[p % SHAPES.len()] {
            Shape::FormField => format!("synth{p:03}::Client::new(\"acct\")"),
            _ => format!("synth{p:03}::Client::new()"),
        };
        let _ = writeln!(out, "    let Ok(c{p}) = {client} else {{ return }};");
        for _ in 0..count {
            let _ = writeln!(
                out,
                "    let _ = c{p}.op{m:05}(synth{p:03}::Op{m:05}Request::new(\"user\", \"secret\", 1)).await;"
            );
            m += 1;
        }
    }
    out.push_str(concat!(
        "}\n\n",
        "fn main() {\n",
        "    let mut call = std::pin::pin!(call_all());\n",
        "    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());\n",
        "    let _ = call.as_mut().poll(&mut cx);\n",
        "}\n",
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_are_spread_over_providers() {
        assert_eq!(provider_sizes(5), vec![2, 1, 1, 1]);
        assert_eq!(provider_sizes(50), vec![13, 13, 12, 12]);
        assert_eq!(provider_sizes(2000).len(), 20);
        for n in [1, 5, 50, 99, 500, 2000, 5000] {
            let sizes = provider_sizes(n);
            assert_eq!(sizes.iter().sum::<usize>(), n);
            assert!(sizes
                .iter()
                .all(|&s| (1..=METHODS_PER_PROVIDER).contains(&s)));
        }
    }

    #[test]
    fn caller_calls_every_method_once() {
        let code = caller(9);
        assert_eq!(code.matches(".await;").count(), 9);
        for m in 0..9 {
            assert!(code.contains(&format!(".op{m:05}(")), "method {m}");
        }
        assert!(code.contains("synth000::Client::new(\"acct\")"));
    }

    #[test]
    fn same_n_same_bytes() {
        assert_eq!(specs(37), specs(37));
    }
}
