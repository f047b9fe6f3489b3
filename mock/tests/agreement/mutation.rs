//! One-byte mutations of the client's requests, and garbage.

use super::*;

/// One byte of each bound name the client sent, changed: the mock must
/// report a violation for every such request.
#[tokio::test]
async fn one_byte_changed_in_any_bound_name_is_a_violation() {
    let model = model();
    let mock = Mock::start(&model).await.unwrap();
    let clients = Clients::new(&mock).await;
    let http = reqwest::Client::new();
    let mut mutations = 0;
    for (provider, wire) in methods(&model) {
        let p = mock.provider(&provider);
        p.clear_log();
        assert_eq!(
            clients.call(&provider, &wire).await,
            Ok(()),
            "{provider} {wire}"
        );
        let sent = p.log().pop().unwrap();
        assert!(sent.violations.is_empty());
        let method = model
            .providers
            .iter()
            .find(|x| x.name == provider)
            .and_then(|x| x.methods.iter().find(|m| m.wire == wire))
            .unwrap();
        let names: Vec<String> = method
            .bindings
            .iter()
            .map(|b| match &b.location {
                loginspec_codegen::model::Location::Body(ptr) => {
                    ptr.rsplit('/').next().unwrap().to_string()
                }
                loginspec_codegen::model::Location::Query(n) => n.clone(),
                loginspec_codegen::model::Location::Header { name, .. } => name.clone(),
                other => panic!("no mutation for {other:?}"),
            })
            .collect();
        let origin = p
            .base_url()
            .split('/')
            .take(3)
            .collect::<Vec<_>>()
            .join("/");
        for name in names {
            let (mut target, mut body, mut headers) = (
                sent.target.clone(),
                sent.body().to_vec(),
                sent.headers().to_vec(),
            );
            let flip = |bytes: &mut Vec<u8>| -> bool {
                let Some(at) = bytes.windows(name.len()).position(|w| w == name.as_bytes()) else {
                    return false;
                };
                let last = at + name.len() - 1;
                bytes[last] = if bytes[last] == b'X' { b'Y' } else { b'X' };
                true
            };
            let mut changed = {
                let mut t = target.clone().into_bytes();
                let done = flip(&mut t);
                target = String::from_utf8(t).unwrap();
                done
            };
            if !changed {
                changed = flip(&mut body);
            }
            if !changed {
                if let Some(h) = headers
                    .iter_mut()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&name))
                {
                    let mut n = h.0.clone().into_bytes();
                    let last = n.len() - 1;
                    n[last] = b'x';
                    n.push(b'x');
                    h.0 = String::from_utf8(n).unwrap();
                    changed = true;
                }
            }
            if !changed {
                continue; // an optional member the call left out
            }
            p.clear_log();
            let mut request = http.request(
                sent.http_method.parse().unwrap(),
                format!("{origin}{target}"),
            );
            for (n, v) in &headers {
                if !matches!(n.as_str(), "host" | "content-length") {
                    request = request.header(n.as_str(), v.as_str());
                }
            }
            request.body(body).send().await.unwrap();
            let replay = p.log().pop().unwrap();
            assert!(
                !replay.violations.is_empty(),
                "{provider} {wire}: `{name}` changed by one byte was not reported"
            );
            mutations += 1;
        }
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
    for dir in ["../specs", "../tests/corpus", "../tests/peers/specs"] {
        let model = loginspec_codegen::load_and_check(std::path::Path::new(dir))
            .unwrap()
            .0;
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
