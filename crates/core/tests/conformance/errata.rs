//! Where a spec contradicts the answers Xero documents (the spec's own examples, or Xero's
//! developer documentation), the documented answer wins. Each correction below says what the
//! spec has, what Xero sends, and where that is shown; `xero_spec_examples.rs` checks every
//! example of the operations Switchboard calls against the corrected schemas, so a missing
//! correction shows up there.

use serde_json::{Value, json};

/// Corrects the spec `file` (as parsed, before conversion) in place.
pub fn apply(file: &str, doc: &mut Value) {
    match file {
        // Every Accounting and Payroll AU answer is wrapped in `{Id, Status, ProviderName,
        // DateTimeUTC, …}`: 79 of the Accounting spec's 82 GET examples and all 17 of Payroll
        // AU's carry these keys, which no response schema lists.
        "xero_accounting.yaml" => {
            add_to_responses(doc, envelope_capitalised());
            // `Invoice` lists `Date` and `DueDate` (MS dates) only; every invoice of the GET
            // /Invoices example also has them as text: `"DateString": "2019-03-11T00:00:00"`.
            let invoice = &mut doc["components"]["schemas"]["Invoice"]["properties"];
            for key in ["DateString", "DueDateString"] {
                invoice[key] = json!({ "type": "string", "format": "date-time" });
            }
        }
        "xero-payroll-au.yaml" => {
            add_to_responses(doc, envelope_capitalised());
            // `Settings.DaysInPayrollYear` is `integer` in the schema; the GET /Settings example
            // (Xero's answer) has it as text: `"DaysInPayrollYear": "364"`.
            doc["components"]["schemas"]["Settings"]["properties"]["DaysInPayrollYear"] = json!({ "type": "string" });
        }
        // Payroll NZ and UK wrap answers in `{id, providerName, dateTimeUTC, httpStatusCode,
        // pagination, problem, …}` (every GET example of both specs), with `"pagination": null`
        // and `"problem": null` when there is nothing to say (e.g. the GET /Settings example),
        // though the schemas list only `pagination` and `problem` and neither as nullable.
        "xero-payroll-nz.yaml" | "xero-payroll-uk.yaml" => {
            add_to_responses(
                doc,
                json!({
                    "id": { "type": "string", "format": "uuid" },
                    "providerName": { "type": "string" },
                    "dateTimeUTC": { "type": "string", "format": "date-time" },
                    "httpStatusCode": { "type": "string" },
                }),
            );
            for (_, schema) in response_schemas(doc) {
                for key in ["pagination", "problem"] {
                    if let Some(p) = schema.get_mut("properties").and_then(|p| p.get_mut(key)) {
                        p["nullable"] = json!(true);
                    }
                }
            }
        }
        // `Setting` (GET /Settings) requires `name`, a property it does not have; the GET
        // /Settings example has no `name`.
        "xero_assets.yaml" => {
            if let Some(schema) = doc["components"]["schemas"]["Setting"].as_object_mut() {
                schema.remove("required");
            }
        }
        // `Connection.tenantName` is a plain string, but Xero's own OAuth 2 guide ("Check the
        // tenants you're authorized to access") shows a Practice Manager connection with
        // `"tenantName": null`.
        "xero-identity.yaml" => {
            doc["components"]["schemas"]["Connection"]["properties"]["tenantName"]["nullable"] = json!(true);
        }
        _ => {}
    }
}

fn envelope_capitalised() -> Value {
    json!({
        "Id": { "type": "string", "format": "uuid" },
        "Status": { "type": "string" },
        "ProviderName": { "type": "string" },
        "DateTimeUTC": { "type": "string", "x-is-msdate-time": true },
    })
}

/// Adds `properties` to the schema of every GET operation's 200 answer.
fn add_to_responses(doc: &mut Value, properties: Value) {
    for (_, schema) in response_schemas(doc) {
        let Some(own) = schema.get_mut("properties").and_then(Value::as_object_mut) else { continue };
        for (k, v) in properties.as_object().expect("properties") {
            own.entry(k.clone()).or_insert_with(|| v.clone());
        }
    }
}

/// The component schemas that GET operations answer 200 with, by name.
fn response_schemas(doc: &mut Value) -> Vec<(String, &mut Value)> {
    let mut names: Vec<String> = doc["paths"]
        .as_object()
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(|item| item["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].as_str())
        .filter_map(|r| r.strip_prefix("#/components/schemas/"))
        .map(str::to_owned)
        .collect();
    names.sort();
    names.dedup();
    let schemas = doc["components"]["schemas"].as_object_mut().expect("components.schemas");
    schemas.iter_mut().filter(|(name, _)| names.contains(name)).map(|(n, s)| (n.clone(), s)).collect()
}
