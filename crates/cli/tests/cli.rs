//! The `switchboard` command over a cache prepared through the core's API.

use std::path::Path;
use std::process::{Command, Output};

use switchboard_core::Cache;
use switchboard_core::model::*;

fn switchboard(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard")).arg("--cache").arg(cache).args(args).output().unwrap()
}

fn seeded() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    cache
        .upsert_files(&[
            ClientFileDraft {
                software: AccountingSoftware::Xero,
                connection: ConnectionState::NeedsReconnect { reason: "expired".into() },
                ..ClientFileDraft::named("Zed, \"Quoted\" & Sons")
            },
            ClientFileDraft::named("Alpha Ōtautahi"),
            ClientFileDraft::named("Bell\u{7}\u{1b}[2JRinger"),
        ])
        .unwrap();
    (dir, path)
}

fn stdout(output: &Output) -> String {
    assert!(output.status.success(), "stderr: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn list_prints_a_table_sorted_by_name_without_terminal_escapes() {
    let (_dir, path) = seeded();
    let text = stdout(&switchboard(&path, &["list"]));
    let lines: Vec<_> = text.lines().collect();
    assert!(lines[0].starts_with("CLIENT"));
    assert!(lines[1].starts_with("Alpha Ōtautahi"));
    assert!(lines[2].starts_with("Bell\\u{7}\\u{1b}[2JRinger"), "{:?}", lines[2]);
    assert!(lines[3].starts_with("Zed, \"Quoted\" & Sons"));
    assert!(lines[3].contains("Needs reconnect"));
    assert_eq!(lines[4], "3 client files");
    assert!(!text.contains('\u{1b}'));
}

/// A name with a direction override would read as another name ("exe.png"); the table shows the
/// override instead, and `--json` keeps the name exact.
#[test]
fn list_shows_direction_overrides_instead_of_obeying_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    Cache::open(&path).unwrap().upsert_files(&[ClientFileDraft::named("\u{202E}gnp.exe Ltd")]).unwrap();
    let text = stdout(&switchboard(&path, &["list"]));
    assert!(text.lines().nth(1).unwrap().starts_with("\\u{202e}gnp.exe Ltd"), "{text}");
    assert!(!text.contains('\u{202E}'));
    let files: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&switchboard(&path, &["list", "--json"]))).unwrap();
    assert_eq!(files[0]["display_name"], "\u{202E}gnp.exe Ltd", "--json stays exact");
}

#[test]
fn list_json_is_the_apps_shape() {
    let (_dir, path) = seeded();
    let files: Vec<serde_json::Value> =
        serde_json::from_str(&stdout(&switchboard(&path, &["list", "--json"]))).unwrap();
    assert_eq!(files.len(), 3);
    let zed = files.iter().find(|f| f["display_name"] == "Zed, \"Quoted\" & Sons").unwrap();
    assert_eq!(zed["connection"]["state"], "needs_reconnect");
    assert_eq!(zed["connection"]["reason"], "expired");
    assert_eq!(zed["software"]["kind"], "xero");
}

#[test]
fn list_csv_and_export_round_trip_names() {
    let (dir, path) = seeded();
    let csv_text = stdout(&switchboard(&path, &["list", "--csv"]));
    let names: Vec<String> =
        csv::Reader::from_reader(csv_text.as_bytes()).records().map(|r| r.unwrap()[0].to_owned()).collect();
    assert_eq!(names, ["Alpha Ōtautahi", "Bell\u{7}\u{1b}[2JRinger", "Zed, \"Quoted\" & Sons"]);

    let out = dir.path().join("report.csv");
    let output = switchboard(&path, &["export", "--csv", out.to_str().unwrap()]);
    assert!(output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Wrote 3 client files"));
    let bytes = std::fs::read(&out).unwrap();
    let exported = std::str::from_utf8(&bytes).unwrap().strip_prefix('\u{feff}').unwrap();
    assert_eq!(exported, csv_text);
}

#[test]
fn an_unusable_cache_is_a_clear_error_and_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    std::fs::write(&path, b"not a database").unwrap();
    let output = switchboard(&path, &["list"]);
    assert!(!output.status.success());
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(message.contains("damaged or is not a Switchboard cache"), "{message}");
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert_eq!(std::fs::read(&path).unwrap(), b"not a database");
}

#[test]
fn an_export_into_a_missing_folder_fails_cleanly() {
    let (dir, path) = seeded();
    let out = dir.path().join("no/such/folder/report.csv");
    let output = switchboard(&path, &["export", "--csv", out.to_str().unwrap()]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("Could not write"));
    assert!(!out.exists());
}

#[test]
fn xero_app_without_arguments_shows_the_settings() {
    let (_dir, path) = seeded();
    let text = stdout(&switchboard(&path, &["xero-app"]));
    assert!(text.starts_with("no Xero app is set up\n"), "{text}");
    assert!(text.contains("redirect ports: 53682, 53683, 53684, 53685, 53686"));
    let bad = switchboard(&path, &["xero-app", "--client-id", "not valid!"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("letters and digits"));
}

/// Several `switchboard` processes started at once on a cache that does not exist yet: each one
/// opens it (one makes the schema, the others find it made) and none fails.
#[test]
fn processes_opening_a_new_cache_at_once_all_succeed() {
    for round in 0..5 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.sqlite3");
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_switchboard"))
                    .arg("--cache")
                    .arg(&path)
                    .args(["list", "--json"])
                    .stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "round {round}: {}", String::from_utf8_lossy(&out.stderr));
            assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "[]");
        }
        assert_eq!(Cache::open(&path).unwrap().integrity_check().unwrap(), "ok");
    }
}
