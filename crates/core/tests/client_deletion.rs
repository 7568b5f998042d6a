//! Deleting a client takes everything cached about it: its reports, the XPM client only it was
//! linked to, and (with `secure_delete`) the bytes of what was deleted in the file itself.

use std::path::Path;

use switchboard_core::Cache;
use switchboard_core::model::{ClientFileDraft, FileId};
use switchboard_core::reports::model::{Report, ReportKind};
use switchboard_core::xpm::XpmClientRecord;

fn report(marker: &str) -> Report {
    Report {
        report_id: "BalanceSheet".to_owned(),
        name: "Balance Sheet".to_owned(),
        titles: vec!["Balance Sheet".to_owned(), marker.to_owned()],
        report_date: None,
        updated_at: None,
        columns: vec![],
        rows: vec![],
    }
}

fn xpm(uuid: &str, name: &str) -> XpmClientRecord {
    XpmClientRecord {
        uuid: uuid.to_owned(),
        name: name.to_owned(),
        email: Some(format!("{uuid}@client.example")),
        tax_number: Some("******123".to_owned()),
        client_code: None,
        prospect: false,
        archived: false,
        deleted: false,
        web_url: None,
    }
}

fn count(path: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(path).unwrap().query_row(sql, [], |row| row.get(0)).unwrap()
}

fn contains(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// Every client's reports in the file, closed and checkpointed so the log is folded in.
fn file_bytes(path: &Path) -> Vec<u8> {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
    drop(conn);
    std::fs::read(path).unwrap()
}

#[test]
fn deleting_a_client_removes_its_reports_and_xpm_client_and_overwrites_their_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    let ids = cache.upsert_files(&[ClientFileDraft::named("Gone Ltd"), ClientFileDraft::named("Stays Ltd")]).unwrap();
    let (gone, stays) = (ids[0], ids[1]);
    cache
        .upsert_xpm_records(&[xpm("x-gone", "Gone XPM"), xpm("x-shared", "Shared XPM"), xpm("x-stays", "Stays XPM")])
        .unwrap();
    cache.link_xpm_client(gone, Some("x-gone")).unwrap();
    cache.link_xpm_client(stays, Some("x-stays")).unwrap();
    for kind in [ReportKind::BalanceSheet, ReportKind::BankSummary] {
        cache.store_report(gone, kind, &report("ZEBRA-FIGURES-7731"), Some("NZD")).unwrap();
        cache.store_report(stays, kind, &report("OTTER-FIGURES-4410"), Some("NZD")).unwrap();
    }
    drop(cache);
    let before = file_bytes(&path);
    assert!(contains(&before, "ZEBRA-FIGURES-7731") && contains(&before, "OTTER-FIGURES-4410"));

    let mut cache = Cache::open(&path).unwrap();
    let target = cache.deletion_target(gone, "Gone Ltd").unwrap();
    cache.delete_client_file(&target, "Deleted").unwrap();
    assert!(
        cache.cached_reports(stays).unwrap().iter().all(|r| r.report.is_some() || r.kind != ReportKind::BankSummary)
    );
    let uuids = cache.xpm_uuids().unwrap();
    assert!(!uuids.contains("x-gone"), "the XPM client only the deleted file was linked to");
    assert!(uuids.contains("x-stays") && uuids.contains("x-shared"), "other XPM clients stay");
    drop(cache);

    assert_eq!(count(&path, &format!("SELECT count(*) FROM client_reports WHERE file_id = {}", gone.0)), 0);
    assert_eq!(count(&path, "SELECT count(*) FROM client_reports"), 2);
    let after = file_bytes(&path);
    assert!(contains(&after, "OTTER-FIGURES-4410"), "the other client's reports are still there");
    assert!(!contains(&after, "ZEBRA-FIGURES-7731"), "the deleted client's reports are readable in the file");
    assert!(!contains(&after, "x-gone@client.example"), "the deleted client's XPM details are readable in the file");
}

#[test]
fn an_xpm_client_another_file_links_to_stays() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let ids: Vec<FileId> =
        cache.upsert_files(&[ClientFileDraft::named("Twin A"), ClientFileDraft::named("Twin B")]).unwrap();
    cache.upsert_xpm_records(&[xpm("x-twin", "Twin XPM")]).unwrap();
    for id in &ids {
        cache.link_xpm_client(*id, Some("x-twin")).unwrap();
    }
    let target = cache.deletion_target(ids[0], "Twin A").unwrap();
    cache.delete_client_file(&target, "Deleted").unwrap();
    assert!(cache.xpm_uuids().unwrap().contains("x-twin"));
    assert_eq!(cache.file(ids[1]).unwrap().xpm.map(|x| x.uuid).as_deref(), Some("x-twin"));
}
