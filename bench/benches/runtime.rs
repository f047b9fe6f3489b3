//! Run-time overhead of the generated client, per seed method:
//!
//! - `encode`: checks + request bytes, through `rt::encode_example` (what a
//!   call runs before HTTP) vs a hand-written encoder of the same bytes;
//! - `decode`: a documented success answer, through `rt::decode_example`
//!   (what a call runs after HTTP) vs hand-written serde for the same wire
//!   format. The baseline reuses the generated payload structs (a hand-written
//!   client would declare the same fields), but reads the envelope itself and
//!   parses straight into the struct, with no intermediate JSON value;
//! - `roundtrip`: one Erply verifyUser login against a small HTTP/1.1 server
//!   on 127.0.0.1, generated client vs raw reqwest sending the same bytes and
//!   decoding with the hand-written baseline.
//!
//! Before measuring, every baseline is checked to produce the same bytes (or
//! the same decoded values) as the generated client, so both sides do the
//! same work.

use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use loginspec_client::{aktion, aukro, erply, wialon};
use loginspec_runtime::__generated::v1::{self as rt, encode_example, EncodedRequest, Encoding};
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::time::Duration;

const ERPLY_URL: &str = "https://123456.erply.com/api/";
const WIALON_URL: &str = "https://hst-api.wialon.com/wialon/ajax.html";
const AKTION_URL: &str = "https://cloud.aktion.cz/api/";
const AUKRO_URL: &str = "https://webapi.aukro.cz/service.php";
const TOKEN: &str = "2fe8024e0ab91aa6c8ed82717b71bddcECDC362358DF7D90986F5173D405CD0D42DE7B38";

/// The first success example of a method, from the real specs.
fn success_body(provider: &str, method: &str) -> String {
    let specs = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let (model, _) = loginspec_codegen::load_and_check(&specs).unwrap_or_else(|d| panic!("{d}"));
    model
        .providers
        .iter()
        .filter(|p| p.name == provider)
        .flat_map(|p| &p.methods)
        .filter(|m| m.wire == method)
        .flat_map(|m| &m.examples)
        .find(|x| x.error.is_none() && x.status == 200)
        .map(|x| x.body.clone())
        .unwrap_or_else(|| panic!("no success example for {provider} {method}"))
}

/// What a baseline decoder can fail with; the bench only needs to tell.
#[derive(Debug)]
struct Failed(#[allow(dead_code)] String);

fn failed(e: impl std::fmt::Display) -> Failed {
    Failed(e.to_string())
}

// ---------------------------------------------------------------- encoders

fn form(pairs: &[(&str, &str)]) -> String {
    let mut f = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        f.append_pair(k, v);
    }
    f.finish()
}

fn erply_encode(mut r: erply::VerifyUserRequest) -> Result<String, Failed> {
    if let Some(len) = r.session_length.as_mut() {
        *len = (*len).min(86400);
    }
    if r.do_not_generate_identity_token.is_some_and(|v| v > 1) {
        return Err(failed("doNotGenerateIdentityToken must be 0 or 1"));
    }
    let mut f = form_urlencoded::Serializer::new(String::new());
    f.append_pair("request", "verifyUser")
        .append_pair("clientCode", "123456")
        .append_pair("username", &r.username)
        .append_pair("password", r.password.expose());
    if let Some(len) = r.session_length {
        f.append_pair("sessionLength", &len.to_string());
    }
    if let Some(v) = r.do_not_generate_identity_token {
        f.append_pair("doNotGenerateIdentityToken", &v.to_string());
    }
    Ok(f.finish())
}

#[derive(Serialize)]
struct WialonTokenParams<'a> {
    token: &'a str,
    #[serde(rename = "operateAs", skip_serializing_if = "Option::is_none")]
    operate_as: Option<&'a str>,
    fl: u64,
    #[serde(rename = "appName", skip_serializing_if = "Option::is_none")]
    app_name: Option<&'a str>,
    #[serde(rename = "checkService", skip_serializing_if = "Option::is_none")]
    check_service: Option<&'a str>,
}

fn wialon_token_encode(r: wialon::TokenLoginRequest) -> Result<String, Failed> {
    if r.token.expose().chars().count() != 72 {
        return Err(failed("token must be 72 characters"));
    }
    let params = serde_json::to_string(&WialonTokenParams {
        token: r.token.expose(),
        operate_as: r.operate_as.as_deref(),
        fl: r.flags.bits(),
        app_name: r.app_name.as_deref(),
        check_service: r.check_service.as_deref(),
    })
    .map_err(failed)?;
    Ok(form(&[("svc", "token/login"), ("params", &params)]))
}

#[derive(Serialize)]
struct WialonHashParams<'a> {
    #[serde(rename = "authHash")]
    auth_hash: &'a str,
    #[serde(rename = "operateAs", skip_serializing_if = "Option::is_none")]
    operate_as: Option<&'a str>,
    #[serde(rename = "checkService", skip_serializing_if = "Option::is_none")]
    check_service: Option<&'a str>,
}

fn wialon_hash_encode(r: wialon::UseAuthHashRequest) -> Result<String, Failed> {
    let params = serde_json::to_string(&WialonHashParams {
        auth_hash: r.auth_hash.expose(),
        operate_as: r.operate_as.as_deref(),
        check_service: r.check_service.as_deref(),
    })
    .map_err(failed)?;
    Ok(form(&[("svc", "core/use_auth_hash"), ("params", &params)]))
}

#[derive(Serialize)]
struct AktionBody<'a> {
    #[serde(rename = "Result")]
    result: (),
    #[serde(rename = "UserLogin")]
    user_login: &'a str,
    #[serde(rename = "RndA", skip_serializing_if = "Option::is_none")]
    rnd_a: Option<&'a str>,
    #[serde(rename = "RndB", skip_serializing_if = "Option::is_none")]
    rnd_b: Option<&'a str>,
}

fn is_hex16(s: &str) -> bool {
    s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn aktion_encode(r: aktion::LoginAdvAuthRequest) -> Result<String, Failed> {
    if !r.rnd_a.as_deref().is_none_or(is_hex16) || !r.rnd_b.as_deref().is_none_or(is_hex16) {
        return Err(failed("RndA and RndB must be 16 bytes in hex"));
    }
    serde_json::to_string(&AktionBody {
        result: (),
        user_login: &r.user_login,
        rnd_a: r.rnd_a.as_deref(),
        rnd_b: r.rnd_b.as_deref(),
    })
    .map_err(failed)
}

fn aukro_encode(r: aukro::DoLoginEncRequest) -> Result<String, Failed> {
    use quick_xml::escape::escape;
    let len = r.user_login.chars().count();
    if !(1..=255).contains(&len) || r.country_id < 1 {
        return Err(failed("userLogin or countryCode out of range"));
    }
    let hash = base64::engine::general_purpose::STANDARD
        .encode(sha2::Sha256::digest(r.password.expose().as_bytes()));
    let mut out = String::with_capacity(512);
    out.push_str(concat!(
        r#"<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns="https://webapi.allegro.pl/service.php">"#,
        "<soapenv:Body><ns:DoLoginEncRequest><ns:userLogin>"
    ));
    out.push_str(&escape(r.user_login.as_str()));
    out.push_str("</ns:userLogin><ns:userHashPassword>");
    out.push_str(&hash);
    out.push_str("</ns:userHashPassword><ns:countryCode>");
    out.push_str(&r.country_id.to_string());
    out.push_str("</ns:countryCode><ns:webapiKey>");
    out.push_str(&escape(r.webapi_key.expose()));
    out.push_str("</ns:webapiKey><ns:localVersion>");
    out.push_str(&r.local_version.to_string());
    out.push_str("</ns:localVersion></ns:DoLoginEncRequest></soapenv:Body></soapenv:Envelope>");
    Ok(out)
}

// ---------------------------------------------------------------- decoders

#[derive(Deserialize)]
struct ErplyStatus {
    #[serde(rename = "errorCode")]
    error_code: i64,
}

#[derive(Deserialize)]
struct ErplyEnvelope {
    status: ErplyStatus,
    records: Option<Vec<erply::VerifyUserResponse>>,
}

fn erply_decode(body: &[u8]) -> Result<erply::VerifyUserResponse, Failed> {
    let envelope: ErplyEnvelope = serde_json::from_slice(body).map_err(failed)?;
    if envelope.status.error_code != 0 {
        return Err(failed(envelope.status.error_code));
    }
    envelope
        .records
        .and_then(|r| r.into_iter().next())
        .ok_or_else(|| failed("no record"))
}

#[derive(Deserialize)]
struct WialonError {
    error: i64,
}

/// Success first (one pass); only a body that is no success is read as an error.
fn wialon_decode<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Failed> {
    serde_json::from_slice::<T>(body).map_err(|e| {
        match serde_json::from_slice::<WialonError>(body) {
            Ok(err) => failed(err.error),
            Err(_) => failed(e),
        }
    })
}

fn aktion_decode(status: u16, body: &[u8]) -> Result<aktion::LoginAdvAuthResponse, Failed> {
    if !(200..300).contains(&status) {
        return Err(failed(status));
    }
    serde_json::from_slice(body).map_err(failed)
}

/// The answer's fields (the generated struct is `#[non_exhaustive]`, so
/// only the crate builds it).
type AukroLogin = (rt::Secret, i64, rt::time::OffsetDateTime);

fn aukro_decode(body: &str) -> Result<AukroLogin, Failed> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(body);
    let (mut handle, mut user, mut time) = (None, None, None);
    let mut current: Option<String> = None;
    loop {
        match reader.read_event().map_err(failed)? {
            Event::Start(e) => {
                let name = e.local_name();
                let name: &str = name.as_ref();
                if name == "Fault" {
                    return Err(failed("SOAP fault"));
                }
                current = Some(name.to_string());
            }
            Event::Text(t) => {
                let text = t.xml10_content();
                match current.as_deref() {
                    Some("sessionHandlePart") => handle = Some(text.trim().to_string()),
                    Some("userId") => user = Some(text.trim().parse::<i64>().map_err(failed)?),
                    Some("serverTime") => time = Some(text.trim().parse::<i64>().map_err(failed)?),
                    _ => {}
                }
            }
            Event::End(_) => current = None,
            Event::Eof => break,
            _ => {}
        }
    }
    match (handle, user, time) {
        (Some(h), Some(user_id), Some(t)) => Ok((
            rt::Secret::new(h),
            user_id,
            rt::time::OffsetDateTime::from_unix_timestamp(t).map_err(failed)?,
        )),
        _ => Err(failed("missing field")),
    }
}

// ---------------------------------------------------------------- requests

fn erply_request() -> erply::VerifyUserRequest {
    erply::VerifyUserRequest::new("demo", "secret").session_length(3600)
}
fn wialon_token_request() -> wialon::TokenLoginRequest {
    wialon::TokenLoginRequest::new(TOKEN, wialon::LoginFlags::BASIC_INFO)
}
fn wialon_hash_request() -> wialon::UseAuthHashRequest {
    wialon::UseAuthHashRequest::new("8b2e1c4d5f60718293a4b5c6d7e8f901")
}
fn aktion_request() -> aktion::LoginAdvAuthRequest {
    aktion::LoginAdvAuthRequest::new("John.Doo")
        .rnd_a("00112233445566778899aabbccddeeff")
        .rnd_b("ffeeddccbbaa99887766554433221100")
}
fn aukro_request() -> aukro::DoLoginEncRequest {
    aukro::DoLoginEncRequest::new(aukro::DoLoginEncArgs {
        user_login: "jan.novak".into(),
        password: "password".into(),
        country_id: 56,
        webapi_key: "abcd1234".into(),
        local_version: 1480350339,
    })
}

fn generated(result: Result<EncodedRequest, rt::Invalid>) -> String {
    match result {
        Ok(request) => request.body,
        Err(e) => panic!("generated encoder refused the request: {e:?}"),
    }
}

fn encoding(c: &mut Criterion) {
    let erply_fields = [("clientCode", "123456".to_string())];
    let gen_erply = |r| {
        encode_example(
            &erply::PROTOCOL,
            &erply::VERIFY_USER,
            Encoding::Form,
            ERPLY_URL,
            &erply_fields,
            None,
            r,
        )
    };
    let gen_token = |r| {
        encode_example(
            &wialon::PROTOCOL,
            &wialon::TOKEN_LOGIN,
            Encoding::Form,
            WIALON_URL,
            &[],
            None,
            r,
        )
    };
    let gen_hash = |r| {
        encode_example(
            &wialon::PROTOCOL,
            &wialon::USE_AUTH_HASH,
            Encoding::Form,
            WIALON_URL,
            &[],
            None,
            r,
        )
    };
    let gen_aktion = |r| {
        encode_example(
            &aktion::PROTOCOL,
            &aktion::LOGIN_ADV_AUTH,
            Encoding::Json,
            AKTION_URL,
            &[],
            None,
            r,
        )
    };
    let gen_aukro = |r| {
        encode_example(
            &aukro::PROTOCOL,
            &aukro::DO_LOGIN_ENC,
            Encoding::Soap11,
            AUKRO_URL,
            &[],
            None,
            r,
        )
    };

    // Same bytes on both sides, or the comparison means nothing.
    let same = |name: &str, a: String, b: Result<String, Failed>| {
        let b = b.unwrap_or_else(|e| panic!("{name}: baseline refused: {e:?}"));
        assert_eq!(a, b, "{name}: baseline writes other bytes");
    };
    same(
        "erply",
        generated(gen_erply(erply_request())),
        erply_encode(erply_request()),
    );
    same(
        "wialon token",
        generated(gen_token(wialon_token_request())),
        wialon_token_encode(wialon_token_request()),
    );
    same(
        "wialon hash",
        generated(gen_hash(wialon_hash_request())),
        wialon_hash_encode(wialon_hash_request()),
    );
    same(
        "aktion",
        generated(gen_aktion(aktion_request())),
        aktion_encode(aktion_request()),
    );
    same(
        "aukro",
        generated(gen_aukro(aukro_request())),
        aukro_encode(aukro_request()),
    );

    let mut g = c.benchmark_group("encode");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    macro_rules! pair {
        ($name:literal, $request:expr, $gen:expr, $base:expr) => {
            g.bench_function(concat!($name, "/generated"), |b| {
                b.iter_batched(
                    $request,
                    |r| black_box($gen(r)).is_ok(),
                    BatchSize::SmallInput,
                )
            });
            g.bench_function(concat!($name, "/baseline"), |b| {
                b.iter_batched(
                    $request,
                    |r| black_box($base(r)).is_ok(),
                    BatchSize::SmallInput,
                )
            });
        };
    }
    pair!("erply_verify_user", erply_request, gen_erply, erply_encode);
    pair!(
        "wialon_token_login",
        wialon_token_request,
        gen_token,
        wialon_token_encode
    );
    pair!(
        "wialon_use_auth_hash",
        wialon_hash_request,
        gen_hash,
        wialon_hash_encode
    );
    pair!(
        "aktion_login_adv_auth",
        aktion_request,
        gen_aktion,
        aktion_encode
    );
    pair!("aukro_do_login_enc", aukro_request, gen_aukro, aukro_encode);
    g.finish();
}

fn decoding(c: &mut Criterion) {
    let erply_body = success_body("erply", "verifyUser");
    let token_body = success_body("wialon", "token/login");
    let hash_body = success_body("wialon", "core/use_auth_hash");
    let aktion_body = success_body("aktion", "login/advAuth");
    let aukro_body = success_body("aukro", "doLoginEnc");

    let gen_erply = |body: &str| {
        rt::decode_example::<erply::VerifyUserResponse, erply::VerifyUserError>(
            &erply::PROTOCOL,
            &erply::VERIFY_USER,
            Encoding::Form,
            200,
            body,
        )
    };
    let gen_token = |body: &str| {
        rt::decode_example::<wialon::TokenLoginResponse, wialon::TokenLoginError>(
            &wialon::PROTOCOL,
            &wialon::TOKEN_LOGIN,
            Encoding::Form,
            200,
            body,
        )
    };
    let gen_hash = |body: &str| {
        rt::decode_example::<wialon::UseAuthHashResponse, wialon::UseAuthHashError>(
            &wialon::PROTOCOL,
            &wialon::USE_AUTH_HASH,
            Encoding::Form,
            200,
            body,
        )
    };
    let gen_aktion = |body: &str| {
        rt::decode_example::<aktion::LoginAdvAuthResponse, aktion::LoginAdvAuthError>(
            &aktion::PROTOCOL,
            &aktion::LOGIN_ADV_AUTH,
            Encoding::Json,
            200,
            body,
        )
    };
    let gen_aukro = |body: &str| {
        rt::decode_example::<aukro::DoLoginEncResponse, aukro::DoLoginEncError>(
            &aukro::PROTOCOL,
            &aukro::DO_LOGIN_ENC,
            Encoding::Soap11,
            200,
            body,
        )
    };

    // Both sides must accept the sample and read the same values.
    let (a, b) = (
        gen_erply(&erply_body).expect("erply"),
        erply_decode(erply_body.as_bytes()).expect("erply baseline"),
    );
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let (a, b) = (
        gen_token(&token_body).expect("token/login"),
        wialon_decode::<wialon::TokenLoginResponse>(token_body.as_bytes())
            .expect("token/login baseline"),
    );
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let (a, b) = (
        gen_hash(&hash_body).expect("use_auth_hash"),
        wialon_decode::<wialon::UseAuthHashResponse>(hash_body.as_bytes())
            .expect("use_auth_hash baseline"),
    );
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let (a, b) = (
        gen_aktion(&aktion_body).expect("aktion"),
        aktion_decode(200, aktion_body.as_bytes()).expect("aktion baseline"),
    );
    assert_eq!(format!("{a:?}"), format!("{b:?}"));
    let (a, b) = (
        gen_aukro(&aukro_body).expect("aukro"),
        aukro_decode(&aukro_body).expect("aukro baseline"),
    );
    assert_eq!(
        (a.session_handle_part.expose(), a.user_id, a.server_time),
        (b.0.expose(), b.1, b.2)
    );

    let mut g = c.benchmark_group("decode");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("erply_verify_user/generated", |b| {
        b.iter(|| gen_erply(black_box(&erply_body)).is_ok())
    });
    g.bench_function("erply_verify_user/baseline", |b| {
        b.iter(|| erply_decode(black_box(erply_body.as_bytes())).is_ok())
    });
    g.bench_function("wialon_token_login/generated", |b| {
        b.iter(|| gen_token(black_box(&token_body)).is_ok())
    });
    g.bench_function("wialon_token_login/baseline", |b| {
        b.iter(|| {
            wialon_decode::<wialon::TokenLoginResponse>(black_box(token_body.as_bytes())).is_ok()
        })
    });
    g.bench_function("wialon_use_auth_hash/generated", |b| {
        b.iter(|| gen_hash(black_box(&hash_body)).is_ok())
    });
    g.bench_function("wialon_use_auth_hash/baseline", |b| {
        b.iter(|| {
            wialon_decode::<wialon::UseAuthHashResponse>(black_box(hash_body.as_bytes())).is_ok()
        })
    });
    g.bench_function("aktion_login_adv_auth/generated", |b| {
        b.iter(|| gen_aktion(black_box(&aktion_body)).is_ok())
    });
    g.bench_function("aktion_login_adv_auth/baseline", |b| {
        b.iter(|| aktion_decode(200, black_box(aktion_body.as_bytes())).is_ok())
    });
    g.bench_function("aukro_do_login_enc/generated", |b| {
        b.iter(|| gen_aukro(black_box(&aukro_body)).is_ok())
    });
    g.bench_function("aukro_do_login_enc/baseline", |b| {
        b.iter(|| aukro_decode(black_box(&aukro_body)).is_ok())
    });
    g.finish();
}

/// The value at a JSON pointer, parsing only the objects and arrays on the
/// way (each as borrowed raw slices), not the whole document.
fn pointer_raw<'a>(
    mut at: &'a serde_json::value::RawValue,
    path: &str,
) -> Option<&'a serde_json::value::RawValue> {
    use serde_json::value::RawValue;
    use std::borrow::Cow;
    for segment in path.split('/').skip(1) {
        let key = segment.replace("~1", "/").replace("~0", "~");
        at = match at.get().trim_start().as_bytes().first() {
            Some(b'{') => {
                let map: Vec<(Cow<'a, str>, &'a RawValue)> = serde_json::from_str::<
                    std::collections::BTreeMap<Cow<'a, str>, &'a RawValue>,
                >(at.get())
                .ok()?
                .into_iter()
                .collect();
                map.into_iter().find(|(k, _)| *k == key)?.1
            }
            Some(b'[') => {
                let items: Vec<&'a RawValue> = serde_json::from_str(at.get()).ok()?;
                *items.get(key.parse::<usize>().ok()?)?
            }
            _ => return None,
        };
    }
    Some(at)
}

/// What the runtime's success path does for Erply (error code check, then the
/// payload at `/records/0`, typed), with raw values instead of a `Value`.
fn erply_via_raw_values(body: &str) -> Result<erply::VerifyUserResponse, Failed> {
    let root: &serde_json::value::RawValue = serde_json::from_str(body).map_err(failed)?;
    if let Some(code) = pointer_raw(root, "/status/errorCode") {
        let code: serde_json::Value = serde_json::from_str(code.get()).map_err(failed)?;
        if code != serde_json::json!(0) && !code.is_null() {
            return Err(failed(code));
        }
    }
    let payload = pointer_raw(root, "/records/0").ok_or_else(|| failed("no payload"))?;
    serde_json::from_str(payload.get()).map_err(failed)
}

/// Where the generated decoder's time goes, for Erply's answer: each step of
/// what `decode_example` does, alone, so the cheap wins can be told from the
/// structural ones.
fn decoding_parts(c: &mut Criterion) {
    let body = success_body("erply", "verifyUser");
    let document: serde_json::Value = serde_json::from_str(&body).expect("JSON");
    let payload = document
        .pointer("/records/0")
        .cloned()
        .expect("payload at /records/0");
    let mut g = c.benchmark_group("decode_parts");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    g.bench_function("erply/parse_to_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&body)).is_ok())
    });
    g.bench_function("erply/typed_from_borrowed_value_with_path", |b| {
        b.iter(|| {
            serde_path_to_error::deserialize::<_, erply::VerifyUserResponse>(black_box(&payload))
                .is_ok()
        })
    });
    g.bench_function("erply/typed_from_borrowed_value", |b| {
        b.iter(|| erply::VerifyUserResponse::deserialize(black_box(&payload)).is_ok())
    });
    g.bench_function("erply/whole_answer_via_raw_values", |b| {
        b.iter(|| erply_via_raw_values(black_box(&body)).is_ok())
    });
    g.bench_function("erply/typed_from_owned_value", |b| {
        b.iter_batched(
            || payload.clone(),
            |v| erply::VerifyUserResponse::deserialize(v).is_ok(),
            BatchSize::SmallInput,
        )
    });
    g.finish();
}

// ---------------------------------------------------------------- loopback

/// A minimal HTTP/1.1 server on 127.0.0.1 that answers every request with
/// `body`, keeping connections open. One thread per connection; it stops
/// with the process.
fn serve(body: String) -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    let port = listener.local_addr().expect("local address").port();
    let answer = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let answer = answer.clone();
            std::thread::spawn(move || {
                let _ = stream.set_nodelay(true);
                let mut writer = match stream.try_clone() {
                    Ok(w) => w,
                    Err(_) => return,
                };
                let mut reader = BufReader::new(stream);
                loop {
                    let mut length = 0usize;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        match reader.read_line(&mut line) {
                            Ok(0) | Err(_) => return,
                            Ok(_) => {}
                        }
                        if line == "\r\n" {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap_or(0);
                            }
                        }
                    }
                    let mut request_body = vec![0; length];
                    if reader.read_exact(&mut request_body).is_err()
                        || writer.write_all(answer.as_bytes()).is_err()
                    {
                        return;
                    }
                }
            });
        }
    });
    port
}

fn roundtrip(c: &mut Criterion) {
    let body = success_body("erply", "verifyUser");
    let port = serve(body);
    let base = format!("http://127.0.0.1:{port}/api/");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    let client =
        erply::Client::with_options("123456", rt::ClientOptions::default().base_url(&base))
            .expect("client");
    let raw = reqwest::Client::builder().build().expect("reqwest client");
    let raw_call = || async {
        let bytes = erply_encode(erply_request()).expect("baseline encode");
        let response = raw
            .post(&base)
            .header(reqwest::header::ACCEPT, "application/json")
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(bytes)
            .send()
            .await
            .map_err(failed)?;
        let status = response.status().as_u16();
        let body = response.bytes().await.map_err(failed)?;
        if status != 200 {
            return Err(failed(status));
        }
        erply_decode(&body)
    };
    // Both must log in before either is timed.
    runtime.block_on(async {
        client
            .verify_user(erply_request())
            .await
            .expect("generated client call");
        raw_call().await.expect("raw reqwest call");
    });

    let mut g = c.benchmark_group("roundtrip");
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g.bench_function("erply_verify_user/generated", |b| {
        b.iter(|| {
            runtime
                .block_on(client.verify_user(erply_request()))
                .is_ok()
        })
    });
    g.bench_function("erply_verify_user/raw_reqwest", |b| {
        b.iter(|| runtime.block_on(raw_call()).is_ok())
    });
    g.finish();
}

criterion_group!(benches, encoding, decoding, decoding_parts, roundtrip);
criterion_main!(benches);
