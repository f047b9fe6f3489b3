//! Request bytes from hand-written binding tables: the four seed shapes
//! against the vendor documentation (`protocols.md`), and the shapes of the
//! v2 corpus (JSON-RPC, Bearer, cookie, Basic, path templates).

use super::*;
use crate::protocol::{Binding, Constant, Location, PayloadKind, Source, Verb};
use serde_json::{json, Value};

const fn bind(source: Source, location: Location) -> Binding {
    Binding { source, location }
}

const fn param(name: &'static str, pointer: &'static str) -> Binding {
    bind(Source::Param(name), Location::Body(pointer))
}

const fn method(
    name: &'static str,
    verb: Verb,
    path: &'static str,
    bindings: &'static [Binding],
) -> Method {
    Method {
        name,
        verb,
        path,
        bindings,
        json_strings: &[],
        payload: "",
        payload_kind: PayloadKind::Document,
        header_fields: &[],
        error_rules: &[],
        error_statuses: &[],
        encoding: None,
    }
}

const fn protocol(
    encodings: &'static [Encoding],
    secret_fields: &'static [&'static str],
) -> Protocol {
    Protocol {
        provider: "test",
        base_url: "",
        encodings,
        xml_root: "Request",
        soap_namespace: "https://webapi.allegro.pl/service.php",
        secret_fields,
        handshake: None,
        request_id_check: None,
    }
}

#[derive(serde::Serialize)]
#[serde(transparent)]
struct Params(Value);

impl Request for Params {
    fn validate(&mut self) -> Result<(), Invalid> {
        Ok(())
    }
}

struct Call<'a> {
    protocol: &'a Protocol,
    method: &'a Method,
    encoding: Encoding,
    base_url: &'a str,
    variables: &'a [(&'static str, String)],
    key: Option<&'a str>,
}

impl Call<'_> {
    fn send(&self, params: Value) -> Result<EncodedRequest, Invalid> {
        encode_example(
            self.protocol,
            self.method,
            self.encoding,
            self.base_url,
            self.variables,
            self.key,
            Params(params),
        )
    }

    fn secrets(&self, params: Value) -> Vec<String> {
        let crate::ordered::Value::Object(params) = crate::ordered::Value::from(params) else {
            return Vec::new();
        };
        let variables: Vec<(&'static str, &str)> = self
            .variables
            .iter()
            .map(|(n, v)| (*n, v.as_str()))
            .collect();
        let values = Values {
            params: &params,
            variables: &variables,
            unset_variables: &[],
            session_key: self.key,
            request_id: Some(1),
        };
        let out = encode(
            self.protocol,
            self.method,
            self.encoding,
            self.base_url,
            &values,
        );
        out.map(|o| o.secrets.iter().map(|s| s.expose().to_string()).collect())
            .unwrap_or_default()
    }
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

mod corpus;
mod derived;
mod no_panic;
mod seeds;
