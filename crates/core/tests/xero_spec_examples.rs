//! Xero's specs carry example answers (Xero's own bodies). For every operation Switchboard reads,
//! each example must validate against the spec's schema as corrected in `conformance/errata.rs`
//! (which shows the corrections are needed and enough), and the app's own parsers must read it
//! with every value as written.

mod conformance;

use serde_json::Value;
use switchboard_core::access::fetch::parse_users;
use switchboard_core::reports::aged::{Side, parse_invoice_page};
use switchboard_core::reports::model::{Cell, ReportRow};
use switchboard_core::reports::parse::{parse_amount, parse_report};
use switchboard_core::xero::api::{parse_connections, parse_organisation};

use conformance::schema;
use conformance::spec::Spec;

/// Every GET the app makes, as (spec, path below the spec's base).
const READ_BY_THE_APP: [(&str, &str); 11] = [
    ("xero-identity.yaml", "/Connections"),
    ("xero_accounting.yaml", "/Organisation"),
    ("xero_accounting.yaml", "/Users"),
    ("xero_accounting.yaml", "/Invoices"),
    ("xero_accounting.yaml", "/Reports/ProfitAndLoss"),
    ("xero_accounting.yaml", "/Reports/BalanceSheet"),
    ("xero_accounting.yaml", "/Reports/BankSummary"),
    ("xero_assets.yaml", "/Settings"),
    ("xero-payroll-au.yaml", "/Settings"),
    ("xero-payroll-nz.yaml", "/Settings"),
    ("xero-payroll-uk.yaml", "/Settings"),
];

/// The 200 examples of `path` in `spec`.
fn examples(spec: &Spec, path: &str) -> Vec<Value> {
    spec.operation("GET", path).unwrap_or_else(|| panic!("{} has no GET {path}", spec.file)).examples(200)
}

fn bytes(v: &Value) -> Vec<u8> {
    serde_json::to_vec(v).unwrap()
}

fn str_of<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[test]
fn every_example_of_what_the_app_reads_conforms_to_the_corrected_spec() {
    let mut checked = 0;
    let mut specs: Vec<Spec> = Vec::new();
    for (file, path) in READ_BY_THE_APP {
        if !specs.iter().any(|s| s.file == file) {
            specs.push(Spec::load(file));
        }
        let spec = specs.iter().find(|s| s.file == file).unwrap();
        let op = spec.operation("GET", path).unwrap();
        let validator = schema::validator(&spec.document_for(op.json_schema(200).unwrap()));
        for example in op.examples(200) {
            let problems = schema::problems(&validator, &example);
            assert!(problems.is_empty(), "{file} GET {path} example:\n{}", problems.join("\n"));
            checked += 1;
        }
    }
    // Only GET Reports/ProfitAndLoss has no example in the spec.
    assert_eq!(checked, READ_BY_THE_APP.len() - 1);
}

/// Against the schemas as Xero published them, the examples show each correction of
/// `conformance/errata.rs` (but the identity one, which Xero's guide shows) is needed.
#[test]
fn each_correction_is_needed_by_the_specs_own_examples() {
    let needed: [(&str, &[&str]); 5] = [
        ("xero_accounting.yaml", &["'Id'", "'DateTimeUTC'", "'DateString'", "'DueDateString'"]),
        ("xero-payroll-au.yaml", &["'Id'", "/Settings/DaysInPayrollYear"]),
        ("xero-payroll-nz.yaml", &["'httpStatusCode'", "at /pagination: null", "at /problem: null"]),
        ("xero-payroll-uk.yaml", &["'httpStatusCode'", "at /pagination: null", "at /problem: null"]),
        ("xero_assets.yaml", &["\"name\" is a required property"]),
    ];
    for (file, signs) in needed {
        let spec = Spec::load_as_published(file);
        let mut found = Vec::new();
        for (_, path) in READ_BY_THE_APP.iter().filter(|(f, _)| *f == file) {
            let op = spec.operation("GET", path).unwrap();
            let validator = schema::validator(&spec.document_for(op.json_schema(200).unwrap()));
            for example in op.examples(200) {
                found.extend(schema::problems(&validator, &example));
            }
        }
        for sign in signs {
            assert!(found.iter().any(|p| p.contains(sign)), "{file}: nothing says {sign}: {found:?}");
        }
    }
}

#[test]
fn the_apps_parsers_read_the_connections_organisation_and_users_examples_as_written() {
    let identity = Spec::load("xero-identity.yaml");
    let accounting = Spec::load("xero_accounting.yaml");

    let [example] = &examples(&identity, "/Connections")[..] else { panic!("one example") };
    let connections = parse_connections(&bytes(example)).unwrap();
    let written = example.as_array().unwrap();
    assert_eq!(connections.len(), written.len());
    for (c, w) in connections.iter().zip(written) {
        assert_eq!(Some(c.id.as_str()), str_of(w, "id"));
        assert_eq!(Some(c.tenant_id.as_str()), str_of(w, "tenantId"));
        assert_eq!(c.tenant_type.as_deref(), str_of(w, "tenantType"));
        assert_eq!(c.tenant_name.as_deref(), str_of(w, "tenantName"));
        assert!(c.is_organisation());
    }
    assert_eq!(connections[0].tenant_name.as_deref(), Some("Demo Company (NZ)"));

    let [example] = &examples(&accounting, "/Organisation")[..] else { panic!("one example") };
    let org = parse_organisation(&bytes(example)).unwrap();
    let w = &example["Organisations"][0];
    assert_eq!(Some(org.name.as_str()), str_of(w, "Name"));
    assert_eq!(org.short_code.as_deref(), str_of(w, "ShortCode"));
    assert_eq!(org.country_code.as_deref(), str_of(w, "CountryCode"));
    assert_eq!(org.version.as_deref(), str_of(w, "Version"));
    assert_eq!(org.organisation_id.as_deref(), str_of(w, "OrganisationID"));
    assert_eq!(org.tax_number.as_deref(), str_of(w, "TaxNumber"));
    assert_eq!(org.employer_identification_number.as_deref(), str_of(w, "EmployerIdentificationNumber"));
    assert_eq!(
        (org.name.as_str(), org.short_code.as_deref(), org.country_code.as_deref()),
        ("Dev Evangelist - Sid Test 3 (NZ-2016-02)", Some("!mBdtL"), Some("NZ"))
    );
    assert_eq!(switchboard_core::xero::api::payroll_path(&org), Some("payroll.xro/2.0/Settings"), "an NZ organisation");

    let [example] = &examples(&accounting, "/Users")[..] else { panic!("one example") };
    let users = parse_users(&bytes(example)).unwrap();
    let written = example["Users"].as_array().unwrap();
    assert_eq!(users.len(), written.len());
    for (u, w) in users.iter().zip(written) {
        assert_eq!(Some(u.user_id.as_str()), str_of(w, "UserID"));
        assert_eq!(Some(u.email.as_str()), str_of(w, "EmailAddress"));
        // Names are kept without surrounding spaces (the example has `"FirstName": "API "`).
        assert_eq!(Some(u.first_name.as_str()), str_of(w, "FirstName").map(str::trim));
        assert_eq!(Some(u.last_name.as_str()), str_of(w, "LastName").map(str::trim));
        assert_eq!(Some(u.role.as_str()), str_of(w, "OrganisationRole"));
        assert_eq!(Some(u.is_subscriber), w["IsSubscriber"].as_bool());
    }
}

/// Compares parsed rows with the example's `Rows`, cell by cell (amounts read from the text).
fn assert_rows_as_written(parsed: &[ReportRow], written: &[Value], columns: &mut Option<Vec<String>>) {
    let cells_of = |w: &Value| -> Vec<String> {
        w["Cells"]
            .as_array()
            .map(|c| c.iter().map(|c| str_of(c, "Value").unwrap_or("").to_owned()).collect())
            .unwrap_or_default()
    };
    let check_cells = |cells: &[Cell], w: &Value| {
        let texts = cells_of(w);
        assert_eq!(cells.iter().map(|c| c.text.clone()).collect::<Vec<_>>(), texts);
        for (i, cell) in cells.iter().enumerate().skip(1) {
            assert_eq!(cell.cents, parse_amount(&texts[i]), "{texts:?}");
        }
    };
    let mut parsed = parsed.iter();
    for w in written {
        match str_of(w, "RowType") {
            Some("Header") => {
                columns.get_or_insert_with(|| cells_of(w));
            }
            Some("Section") => match parsed.next() {
                Some(ReportRow::Section { title, rows }) => {
                    assert_eq!(title, str_of(w, "Title").unwrap_or(""));
                    assert_rows_as_written(rows, w["Rows"].as_array().map(Vec::as_slice).unwrap_or(&[]), columns);
                }
                other => panic!("a section read as {other:?}"),
            },
            Some("Row") => match parsed.next() {
                Some(ReportRow::Row { cells }) => check_cells(cells, w),
                other => panic!("a row read as {other:?}"),
            },
            Some("SummaryRow") => match parsed.next() {
                Some(ReportRow::Summary { cells }) => check_cells(cells, w),
                other => panic!("a summary row read as {other:?}"),
            },
            other => panic!("row type {other:?}"),
        }
    }
    assert!(parsed.next().is_none(), "rows left over");
}

#[test]
fn the_apps_parsers_read_the_report_and_invoice_examples_as_written() {
    let accounting = Spec::load("xero_accounting.yaml");
    for path in ["/Reports/BalanceSheet", "/Reports/BankSummary"] {
        let [example] = &examples(&accounting, path)[..] else { panic!("one example of {path}") };
        let report = parse_report(&bytes(example)).unwrap();
        let w = &example["Reports"][0];
        assert_eq!(Some(report.report_id.as_str()).filter(|s| !s.is_empty()), str_of(w, "ReportID"), "{path}");
        assert_eq!(Some(report.name.as_str()), str_of(w, "ReportName"));
        let titles: Vec<&str> = w["ReportTitles"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        assert_eq!(report.titles, titles);
        assert_eq!(report.report_date.as_deref(), str_of(w, "ReportDate"));
        assert_eq!(report.updated_at.is_some(), str_of(w, "UpdatedDateUTC").is_some());
        let mut columns = None;
        assert_rows_as_written(&report.rows, w["Rows"].as_array().unwrap(), &mut columns);
        assert_eq!(Some(report.columns), columns, "{path}: column titles from the header row");
    }

    let [example] = &examples(&accounting, "/Invoices")[..] else { panic!("one example") };
    let page = parse_invoice_page(&bytes(example)).unwrap();
    let written = example["Invoices"].as_array().unwrap();
    assert_eq!(page.received, written.len());
    let outstanding: Vec<&Value> = written
        .iter()
        .filter(|w| matches!(str_of(w, "Type"), Some("ACCREC" | "ACCPAY")) && str_of(w, "Status") == Some("AUTHORISED"))
        .filter(|w| w["AmountDue"].as_f64().is_some_and(|a| a != 0.0))
        .collect();
    assert_eq!(page.outstanding.len(), outstanding.len());
    for (o, w) in page.outstanding.iter().zip(outstanding) {
        let side = if str_of(w, "Type") == Some("ACCREC") { Side::Receivable } else { Side::Payable };
        assert_eq!(o.side, side);
        assert_eq!(Some(o.contact_name.as_str()), str_of(&w["Contact"], "Name"));
        assert_eq!(Some(o.contact_key.as_str()), str_of(&w["Contact"], "ContactID"));
        let rate = w["CurrencyRate"].as_f64().unwrap_or(1.0);
        assert_eq!(o.cents, (w["AmountDue"].as_f64().unwrap() * 100.0 / rate).round() as i64);
        let due = str_of(w, "DueDateString").map(|s| s[..10].to_owned());
        assert_eq!(o.due.map(|d| d.to_string()), due);
    }
}
