//! The vendored specs: where each API lives, which operation a request path is, and what the
//! spec documents for a status.

use serde_json::{Map, Value};

use super::{errata, schema};

/// Every vendored spec file.
pub const FILES: [&str; 6] = [
    "xero-identity.yaml",
    "xero_accounting.yaml",
    "xero_assets.yaml",
    "xero-payroll-au.yaml",
    "xero-payroll-nz.yaml",
    "xero-payroll-uk.yaml",
];

/// The spec's text, built into the test (so it runs wherever the test binary does, Wine too).
fn text_of(file: &str) -> &'static str {
    match file {
        "xero-identity.yaml" => include_str!("../xero-openapi/xero-identity.yaml"),
        "xero_accounting.yaml" => include_str!("../xero-openapi/xero_accounting.yaml"),
        "xero_assets.yaml" => include_str!("../xero-openapi/xero_assets.yaml"),
        "xero-payroll-au.yaml" => include_str!("../xero-openapi/xero-payroll-au.yaml"),
        "xero-payroll-nz.yaml" => include_str!("../xero-openapi/xero-payroll-nz.yaml"),
        "xero-payroll-uk.yaml" => include_str!("../xero-openapi/xero-payroll-uk.yaml"),
        other => panic!("no vendored spec {other}"),
    }
}

/// One spec, corrected by [`errata`], with its schemas converted for validation.
pub struct Spec {
    pub file: &'static str,
    /// Where its paths hang off `https://api.xero.com` (`""`, `/api.xro/2.0`, …).
    pub base: String,
    /// The spec as written (for its examples).
    pub doc: Value,
    /// `components.schemas`, corrected and converted to JSON Schema.
    schemas: Value,
}

/// An operation of a spec that a request path matched.
pub struct Operation<'a> {
    pub spec: &'a Spec,
    /// The spec's path template, e.g. `/Connections/{id}`.
    pub template: &'a str,
    pub method: String,
    pub op: &'a Value,
}

impl Spec {
    /// The spec with its [`errata`] corrected.
    pub fn load(file: &'static str) -> Spec {
        Spec::load_with(file, errata::apply)
    }

    /// The spec exactly as Xero published it (to show each correction is needed).
    pub fn load_as_published(file: &'static str) -> Spec {
        Spec::load_with(file, |_, _| {})
    }

    fn load_with(file: &'static str, correct: fn(&str, &mut Value)) -> Spec {
        let doc: Value = serde_yaml_ng::from_str(text_of(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let server = doc["servers"][0]["url"].as_str().expect("a server url");
        let base =
            server.strip_prefix("https://api.xero.com").expect("on api.xero.com").trim_end_matches('/').to_owned();
        let mut corrected = doc.clone();
        correct(file, &mut corrected);
        let named = corrected["components"]["schemas"].as_object().expect("components.schemas");
        let schemas = Value::Object(named.iter().map(|(name, s)| (name.clone(), schema::convert(s))).collect());
        Spec { file, base, doc, schemas }
    }

    /// The operation `method path` is (`path` below [`Self::base`]): path segments compare
    /// without case (Xero's paths are case-insensitive), `{param}` matches any one segment, and a
    /// literal segment beats a parameter (`/Reports/BalanceSheet` over `/Reports/{ReportID}`).
    pub fn operation(&self, method: &str, path: &str) -> Option<Operation<'_>> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let method = method.to_ascii_lowercase();
        self.doc["paths"]
            .as_object()?
            .iter()
            .filter_map(|(template, item)| {
                let parts: Vec<&str> = template.trim_matches('/').split('/').collect();
                let fits = parts.len() == segments.len()
                    && parts.iter().zip(&segments).all(|(t, s)| t.starts_with('{') || t.eq_ignore_ascii_case(s));
                let op = item.get(&method)?;
                fits.then(|| (parts.iter().filter(|t| t.starts_with('{')).count(), template, op))
            })
            .min_by_key(|(params, _, _)| *params)
            .map(|(_, template, op)| Operation { spec: self, template, method: method.clone(), op })
    }

    /// A JSON Schema document for `schema` (an OpenAPI schema of this spec, e.g. a response's):
    /// the converted schema with this spec's converted components beside it, so
    /// `#/components/schemas/X` references resolve.
    pub fn document_for(&self, schema: &Value) -> Value {
        let mut root = match schema::convert(schema) {
            Value::Object(map) if !map.contains_key("$ref") => map,
            other => Map::from_iter([("allOf".to_owned(), Value::Array(vec![other]))]),
        };
        root.insert("components".to_owned(), serde_json::json!({ "schemas": self.schemas }));
        Value::Object(root)
    }

    /// The schema this spec gives `status` answers on its other operations (the most used one),
    /// for an operation that documents no body for it: e.g. the Accounting API's `Error` for 400.
    pub fn usual_schema_for(&self, status: u16) -> Option<Value> {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for item in self.doc["paths"].as_object()?.values() {
            for op in item.as_object()?.values() {
                let schema_ref =
                    op["responses"][status.to_string()]["content"]["application/json"]["schema"]["$ref"].as_str();
                if let Some(r) = schema_ref {
                    match counts.iter_mut().find(|(name, _)| name == r) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((r.to_owned(), 1)),
                    }
                }
            }
        }
        let (most, _) = counts.into_iter().max_by_key(|(_, n)| *n)?;
        Some(serde_json::json!({ "$ref": most }))
    }
}

impl Operation<'_> {
    /// The documented response for `status` (or `default`), if any.
    pub fn response(&self, status: u16) -> Option<&Value> {
        let responses = &self.op["responses"];
        responses.get(status.to_string()).or_else(|| responses.get("default"))
    }

    /// The JSON schema documented for a `status` answer, if the spec documents a JSON body.
    pub fn json_schema(&self, status: u16) -> Option<&Value> {
        self.response(status)?.get("content")?.get("application/json")?.get("schema")
    }

    /// The spec's example bodies of the `status` answer (`example` or each of `examples`),
    /// parsed: some are written as a JSON string, some as YAML.
    pub fn examples(&self, status: u16) -> Vec<Value> {
        let Some(content) =
            self.response(status).and_then(|r| r.get("content")).and_then(|c| c.get("application/json"))
        else {
            return Vec::new();
        };
        let single = content.get("example").into_iter();
        let named = content
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|m| m.values())
            .filter_map(|e| e.get("value"));
        single
            .chain(named)
            .map(|e| match e {
                Value::String(text) => serde_json::from_str(text)
                    .unwrap_or_else(|err| panic!("{}: example not JSON: {err}", self.spec.file)),
                other => other.clone(),
            })
            .collect()
    }

    pub fn id(&self) -> String {
        format!("{} {}{}", self.method.to_ascii_uppercase(), self.spec.base, self.template)
    }
}
