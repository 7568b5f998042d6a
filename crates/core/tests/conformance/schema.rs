//! OpenAPI 3.0 schemas → JSON Schema (draft 7), strict about what Xero may send:
//!
//! * a schema that lists `properties` is an object (many of Xero's omit `type: object`) and allows
//!   no other key (`additionalProperties: false`), unless it combines schemas (`allOf`/`oneOf`/
//!   `anyOf`), where each branch sees only its own properties and a closed branch would refuse
//!   the others' keys;
//! * `null` is allowed only where the spec says `nullable: true`;
//! * Xero's date forms are checked as formats: `x-is-msdate`/`x-is-msdate-time` (`/Date(ms)/`,
//!   `/Date(ms+0000)/`), `date-time` (ISO 8601, with or without a zone: Xero writes
//!   `2019-12-07T18:46:19.5165400`), `date` (`2016-01-01`, or midnight `2016-01-01T00:00:00`);
//! * `uuid` is checked too (draft 7 does not know it).
//!
//! Descriptions, examples and `x-` extensions are dropped; `$ref`s are kept as they are and
//! resolve against the spec's own converted components (see `Spec::document_for`).

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use serde_json::{Map, Value, json};

const MS_DATE: &str = "xero-ms-date";
const DATE_TIME: &str = "xero-date-time";
const DATE: &str = "xero-date";
const UUID: &str = "xero-uuid";

/// A schema converted as the module describes.
pub fn convert(schema: &Value) -> Value {
    let Some(map) = schema.as_object() else { return schema.clone() };
    let mut out = Map::new();
    for (key, value) in map {
        let converted = match key.as_str() {
            "properties" => Value::Object(
                value.as_object().expect("properties").iter().map(|(k, v)| (k.clone(), convert(v))).collect(),
            ),
            "items" | "not" => convert(value),
            "additionalProperties" if value.is_object() => convert(value),
            "allOf" | "oneOf" | "anyOf" => {
                Value::Array(value.as_array().expect("a list").iter().map(convert).collect())
            }
            "format" => Value::String(
                match value.as_str() {
                    Some("date-time") => DATE_TIME,
                    Some("date") => DATE,
                    Some("uuid") => UUID,
                    Some(other) => other, // double, int32, …: not checked (draft 7 ignores them)
                    None => continue,
                }
                .to_owned(),
            ),
            "example" | "examples" | "description" | "externalDocs" | "discriminator" | "xml" | "nullable"
            | "readOnly" | "writeOnly" | "deprecated" => continue,
            k if k.starts_with("x-") => continue,
            _ => value.clone(),
        };
        out.insert(key.clone(), converted);
    }
    if map.get("x-is-msdate").or_else(|| map.get("x-is-msdate-time")) == Some(&Value::Bool(true)) {
        out.insert("format".to_owned(), json!(MS_DATE));
    }
    // A schema listing properties describes an object (as the SDKs generated from it read it),
    // though many of Xero's omit `type: object`: without it, `null` or a string would pass.
    if map.contains_key("properties") && !map.contains_key("type") {
        out.insert("type".to_owned(), json!("object"));
    }
    let combines = ["allOf", "oneOf", "anyOf"].iter().any(|k| map.contains_key(*k));
    if map.contains_key("properties") && !map.contains_key("additionalProperties") && !combines {
        out.insert("additionalProperties".to_owned(), json!(false));
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        allow_null(&mut out);
    }
    Value::Object(out)
}

/// OpenAPI 3.0's `nullable: true`: `null` as well as the schema's own type (and enum values).
fn allow_null(schema: &mut Map<String, Value>) {
    if let Some(Value::String(t)) = schema.get("type").cloned() {
        schema.insert("type".to_owned(), json!([t, "null"]));
    }
    if let Some(Value::Array(values)) = schema.get_mut("enum") {
        values.push(Value::Null);
    }
    if let Some(reference) = schema.remove("$ref") {
        schema.insert("anyOf".to_owned(), json!([{ "$ref": reference }, { "type": "null" }]));
    }
}

/// A validator for `document` (from `Spec::document_for`) that checks formats as Xero writes them.
pub fn validator(document: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .with_format(MS_DATE, is_ms_date)
        .with_format(DATE_TIME, is_date_time)
        .with_format(DATE, is_date)
        .with_format(UUID, is_uuid)
        .build(document)
        .unwrap_or_else(|e| panic!("the converted schema does not compile: {e}"))
}

/// The problems `validator` finds in `body`, one line each (empty: it conforms).
pub fn problems(validator: &jsonschema::Validator, body: &Value) -> Vec<String> {
    validator.iter_errors(body).map(|e| format!("at {}: {e}", e.instance_path())).collect()
}

/// `/Date(1552404447003)/` or `/Date(1546214400000+0000)/`: Unix milliseconds, maybe an offset.
pub fn is_ms_date(s: &str) -> bool {
    let Some(inner) = s.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")) else { return false };
    let inner = inner.strip_prefix('-').unwrap_or(inner);
    let (ms, offset) = match inner.find(['+', '-']) {
        Some(i) => (&inner[..i], Some(&inner[i + 1..])),
        None => (inner, None),
    };
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    digits(ms) && offset.is_none_or(|o| o.len() == 4 && digits(o))
}

/// ISO 8601 date and time: RFC 3339, or without a zone as Xero's identity and payroll 2.0 APIs
/// write it (`2019-12-07T18:46:19.5165400`).
pub fn is_date_time(s: &str) -> bool {
    DateTime::parse_from_rfc3339(s).is_ok() || NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").is_ok()
}

/// A calendar date; Xero's assets API writes one as midnight without a zone.
pub fn is_date(s: &str) -> bool {
    let day = s.strip_suffix("T00:00:00").unwrap_or(s);
    day.len() == 10 && NaiveDate::parse_from_str(day, "%Y-%m-%d").is_ok()
}

/// `8-4-4-4-12` hexadecimal digits.
pub fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if [8, 13, 18, 23].contains(&i) { c == '-' } else { c.is_ascii_hexdigit() })
}
