//! CSV export: what goes in comes back out of a CSV reader, in the order given.

use switchboard_core::clients::csv_export::{HEADER, export_csv_file, write_csv};
use switchboard_core::model::*;
use switchboard_core::{Cache, Session};

const TRICKY: [&str; 7] = [
    "Smith, Jones & Partners",
    "The \"Best\" Bakery",
    "Line one\nline two",
    "Ōtautahi Plumbing — Kōwhai Café",
    "株式会社 東京",
    "مؤسسة الخليج",
    "  leading and trailing spaces  ",
];

fn read_back(bytes: &[u8]) -> Vec<Vec<String>> {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn cache_with(names: &[&str]) -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let drafts: Vec<_> = names.iter().map(|n| ClientFileDraft::named(*n)).collect();
    cache.upsert_files(&drafts).unwrap();
    (dir, cache)
}

#[test]
fn names_with_commas_quotes_line_breaks_and_non_ascii_round_trip() {
    let (_dir, cache) = cache_with(&TRICKY);
    let files = cache.list_files().unwrap();
    let mut out = Vec::new();
    write_csv(&files, &mut out).unwrap();
    let rows = read_back(&out);
    assert_eq!(rows.len(), files.len());
    let names: Vec<_> = rows.iter().map(|r| r[0].clone()).collect();
    let expected: Vec<_> = files.iter().map(|f| f.display_name.clone()).collect();
    assert_eq!(names, expected);
    assert!(rows.iter().all(|r| r.len() == HEADER.len()));
}

#[test]
fn the_file_export_starts_with_a_bom_and_keeps_the_given_order() {
    let (dir, cache) = cache_with(&TRICKY);
    let files = cache.list_files().unwrap();
    let reversed: Vec<_> = files.iter().rev().cloned().collect();
    let path = dir.path().join("export.csv");
    export_csv_file(&reversed, &path).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()));
    let names: Vec<_> = read_back(&bytes).into_iter().map(|r| r[0].clone()).collect();
    let expected: Vec<_> = reversed.iter().map(|f| f.display_name.clone()).collect();
    assert_eq!(names, expected);
}

#[test]
fn cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised() {
    let (_dir, cache) =
        cache_with(&["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "@SUM(A1)", "-2", "Safe = fine"]);
    let mut out = Vec::new();
    write_csv(&cache.list_files().unwrap(), &mut out).unwrap();
    for row in read_back(&out) {
        let name = &row[0];
        assert!(!name.starts_with(['=', '+', '-', '@']), "{name}");
    }
}

#[test]
fn the_columns_carry_each_files_states() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    cache
        .upsert_files(&[ClientFileDraft {
            software: AccountingSoftware::Xero,
            connection: ConnectionState::NeedsReconnect { reason: "token expired".into() },
            payroll: ServiceState::Unavailable { reason: UnavailableReason::NotSubscribed },
            fixed_assets: ServiceState::DisconnectedByStaff,
            xero: Some(XeroIds { tenant_id: "t-1".into(), connection_id: None, short_code: Some("!x1".into()) }),
            sync: SyncRecord {
                last_success_at: Some(UnixMillis(1_764_000_000_000)),
                last_attempt_at: Some(UnixMillis(1_764_000_060_000)),
                last_error: Some("503".into()),
            },
            ..ClientFileDraft::named("Row")
        }])
        .unwrap();
    let mut out = Vec::new();
    write_csv(&cache.list_files().unwrap(), &mut out).unwrap();
    let row = &read_back(&out)[0];
    assert_eq!(row[2], "Xero");
    assert_eq!(row[3], "Needs reconnect");
    assert_eq!(row[4], "token expired");
    assert_eq!(row[5], "Unavailable: the organisation is not subscribed");
    assert_eq!(row[6], "Disconnected by staff");
    assert_eq!(row[7], "!x1");
    assert_eq!(row[10], "2025-11-24T16:00:00Z");
    assert_eq!(row[12], "503");
}

#[test]
fn the_session_exports_the_given_rows_into_the_export_folder() {
    let (dir, _cache) = cache_with(&["B second", "A first", "C third"]);
    let out_dir = dir.path().join("exports");
    // The only test in this binary that sets the variable, so no other test races it.
    unsafe { std::env::set_var(switchboard_core::exports::EXPORT_DIR_VAR, &out_dir) };
    let session = Session::open(&dir.path().join("cache.sqlite3"));
    let files = session.cache().unwrap().list_files().unwrap();
    let chosen: Vec<_> = files.iter().filter(|f| f.display_name != "B second").map(|f| f.id).rev().collect();
    let first = session.export_csv(&chosen).unwrap();
    let second = session.export_csv(&chosen).unwrap();
    assert_ne!(first.path, second.path, "an export never overwrites an earlier one");
    assert_eq!(first.rows, 2);
    assert!(first.path.starts_with(&out_dir.display().to_string()));
    let names: Vec<_> = read_back(&std::fs::read(&first.path).unwrap()).into_iter().map(|r| r[0].clone()).collect();
    assert_eq!(names, ["C third", "A first"]);

    let exports: Vec<_> =
        session.practice_history().unwrap().into_iter().filter(|e| e.action == "export_csv").collect();
    assert_eq!(exports.len(), 2, "each export is in the audit log");
    assert_eq!(exports[0].new_value.as_deref(), Some(format!("2 client file(s) to {}", second.path).as_str()));
    assert_eq!(exports[0].actor.as_deref(), Some(switchboard_core::cache::os_user().as_str()));
}

/// Files kept in other software are clients of the practice too: exported with their software,
/// not connected, and nothing Xero-shaped.
#[test]
fn files_on_other_software_are_exported_with_their_software() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let drafts = [
        ClientFileDraft { software: AccountingSoftware::QuickbooksOnline, ..ClientFileDraft::named("Books Co") },
        ClientFileDraft { software: AccountingSoftware::Myob, ..ClientFileDraft::named("Ember & Co") },
        ClientFileDraft {
            software: AccountingSoftware::Other("Sage".to_owned()),
            ..ClientFileDraft::named("Sage Shop")
        },
        ClientFileDraft::named("Paper Only"),
    ];
    cache.upsert_files(&drafts).unwrap();
    let mut out = Vec::new();
    write_csv(&cache.list_files().unwrap(), &mut out).unwrap();
    let rows: Vec<_> =
        read_back(&out).into_iter().map(|r| (r[0].clone(), r[2].clone(), r[3].clone(), r[8].clone())).collect();
    let row =
        |name: &str, software: &str| (name.to_owned(), software.to_owned(), "Not connected".to_owned(), String::new());
    assert_eq!(
        rows,
        [
            row("Books Co", "QuickBooks Online"),
            row("Ember & Co", "MYOB"),
            row("Sage Shop", "Sage"),
            row("Paper Only", "None")
        ]
    );
}
