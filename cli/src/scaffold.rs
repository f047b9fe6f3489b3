//! `loginspec new PROVIDER [METHOD]`: a provider folder (or one more method
//! file) from commented templates.
//!
//! Every value the author must supply is a `TODO_*` placeholder. The
//! placeholders are chosen so that `check` rejects a file that still has
//! the important ones (the base URL, error paths, error names are invalid
//! as written), and `lint` points at any that are left.

use crate::Failure;
use heck::ToSnakeCase;
use std::path::Path;

/// The method a new provider starts with when none is named.
const DEFAULT_METHOD: &str = "login";

pub fn run(specs: &Path, provider: &str, method: Option<&str>) -> Result<(), Failure> {
    if provider.is_empty() || provider != provider.to_snake_case() {
        return Err(Failure::Other(format!(
            "provider name `{provider}` is not snake_case; try `{}`",
            provider.to_snake_case()
        )));
    }
    let dir = specs.join(provider);
    let provider_file = dir.join("provider.yaml");
    let schema = schema_dir(specs);
    let mut written = Vec::new();
    if !provider_file.exists() {
        create(&dir)?;
        write_new(&provider_file, &provider_template(provider, schema))?;
        written.push(provider_file);
    } else if method.is_none() {
        return Err(Failure::Other(format!(
            "{} exists already; name a METHOD to add one",
            provider_file.display()
        )));
    }
    let method = method.unwrap_or(DEFAULT_METHOD);
    let file_stem = method.replace(['/', '.', '-'], "_").to_snake_case();
    let method_file = dir.join(format!("{file_stem}.yaml"));
    write_new(&method_file, &method_template(provider, method, schema))?;
    written.push(method_file);
    for path in &written {
        eprintln!("wrote {}", path.display());
    }
    eprintln!(
        "next: replace every TODO_* value (from the vendor docs), then run `loginspec check --specs {}`",
        specs.display()
    );
    Ok(())
}

/// Whether the repository layout has `docs/schema/` beside the specs folder,
/// so the templates can point yaml-language-server at it.
fn schema_dir(specs: &Path) -> bool {
    let parent = match specs.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    parent.join("docs/schema/provider.schema.json").is_file()
}

fn create(dir: &Path) -> Result<(), Failure> {
    std::fs::create_dir_all(dir)
        .map_err(|err| Failure::Other(format!("cannot create {}: {err}", dir.display())))
}

/// Writes `text` to a file that must not exist yet: scaffolding never
/// overwrites a spec.
fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    use std::io::Write as _;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|err| Failure::Other(format!("cannot create {}: {err}", path.display())))?;
    file.write_all(text.as_bytes())
        .map_err(|err| Failure::Other(format!("cannot write {}: {err}", path.display())))
}

fn schema_line(kind: &str, schema: bool) -> String {
    if schema {
        format!("# yaml-language-server: $schema=../../docs/schema/{kind}.schema.json\n")
    } else {
        String::new()
    }
}

pub fn provider_template(provider: &str, schema: bool) -> String {
    format!(
        r#"{schema}# {provider}: everything its methods share. Key reference: docs/spec-format.md.
# Sources (the vendor pages this spec was written from):
#   TODO_SOURCE_URL
provider: {provider}
title: TODO_TITLE
doc: >-
  TODO_PROVIDER_DOC
# The endpoint, e.g. https://api.example.com/v1/. A `{{name}}` placeholder
# needs an entry under `variables:` (a value Client::new takes).
base_url: TODO_BASE_URL
request:
  # Request encodings the API accepts, the default first:
  # form, query, json, xml, soap11 or none.
  encodings: [json]
  # The HTTP method of calls unless a method file says otherwise:
  # GET, POST, PUT, PATCH or DELETE.
  http: POST
  # Where parameters go in the body: "" for top-level members, /params
  # for {{"params": {{…}}}}. A parameter can go elsewhere with `in: query`,
  # `in: header`, `in: path`, `in: cookie` or `at: /json/pointer`.
  params_at: ""
response:
  # Where the success payload sits in the decoded body, like /data;
  # empty for the whole body.
  payload: ""
  # How an API error is recognised, tried in order (pointers like
  # /error/code). Remove the list when errors are known by HTTP status only.
  error_rules:
    - code: TODO_ERROR_CODE_PATH
      # Only error answers carry the code. Remove this when every answer
      # does (an envelope with a status block): then a missing code is an error.
      code_optional: true
      message: TODO_ERROR_MESSAGE_PATH
      # int or string.
      code_type: int
# Errors any method can return, each with code, name (UpperCamelCase), doc
# and class (bad_credentials, session_expired, rate_limited, locked,
# invalid_input, access_denied, server, other).
errors: []
"#,
        schema = schema_line("provider", schema),
    )
}

pub fn method_template(provider: &str, method: &str, schema: bool) -> String {
    format!(
        r#"{schema}# {provider} `{method}`. Key reference: docs/spec-format.md.
# Sources:
#   TODO_SOURCE_URL
method: {method}
doc: >-
  TODO_METHOD_DOC
# The URL path below base_url ("" for base_url itself); `{{name}}` parts
# are filled by parameters with `in: path`. `http: GET` etc. overrides
# the provider's HTTP method.
path: {method}
params:
  # One entry per request parameter. `required: false` makes it optional
  # (it gets a setter); `secret: true` keeps the value out of logs.
  # Types: string, bool, i32, u64, f64, timestamp, list<T>, map<T>, or a
  # type declared under `types:` in provider.yaml.
  - name: TODO_USER_PARAM
    type: string
    doc: TODO_USER_PARAM_DOC
  - name: TODO_PASSWORD_PARAM
    type: string
    secret: true
    doc: TODO_PASSWORD_PARAM_DOC
response:
  doc: TODO_RESPONSE_DOC
  fields:
    - name: TODO_TOKEN_FIELD
      type: string
      secret: true
      doc: TODO_TOKEN_FIELD_DOC
# The method's own error codes; provider.yaml holds the shared ones.
errors:
  - code: TODO_ERROR_CODE
    name: TODO_ERROR_NAME
    doc: TODO_ERROR_DOC
    class: bad_credentials
# Sample responses copied from the vendor docs; generated tests decode them.
examples:
  - name: success
    body: TODO_SUCCESS_BODY
  - name: wrong password
    body: TODO_ERROR_BODY
    error: TODO_ERROR_NAME
"#,
        schema = schema_line("method", schema),
    )
}
