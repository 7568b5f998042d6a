//! `switchboard add` and `switchboard import` over a cache on disk: a preview writes nothing,
//! `--yes` imports, names are printed escaped, a CSV with bad lines imports nothing.

use std::path::Path;
use std::process::{Command, Output};

use switchboard_core::Cache;
use switchboard_core::model::*;
use switchboard_core::xpm::XpmClientRecord;

fn switchboard(cache: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_switchboard")).arg("--cache").arg(cache).args(args).output().unwrap()
}

fn text(output: &Output) -> (bool, String, String) {
    (
        output.status.success(),
        String::from_utf8(output.stdout.clone()).unwrap(),
        String::from_utf8(output.stderr.clone()).unwrap(),
    )
}

fn record(uuid: &str, name: &str, code: &str, prospect: bool) -> XpmClientRecord {
    XpmClientRecord {
        uuid: uuid.into(),
        name: name.into(),
        email: None,
        tax_number: None,
        client_code: Some(code.into()),
        prospect,
        archived: false,
        deleted: false,
        web_url: None,
    }
}

fn cache_with_xpm() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite3");
    let mut cache = Cache::open(&path).unwrap();
    cache
        .upsert_xpm_records(&[
            record("x-1", "Alpha Ltd", "A1", false),
            record("x-2", "Bell\u{7}\u{1b}[2JRinger", "B2", false),
            record("x-3", "Perhaps\u{1b}[2J Ltd", "P3", true),
        ])
        .unwrap();
    (dir, path)
}

fn files(path: &Path) -> Vec<ClientFile> {
    Cache::open(path).unwrap().list_files().unwrap()
}

#[test]
fn add_creates_a_not_connected_file_and_warns_about_a_name_already_in_the_list() {
    let (_dir, path) = cache_with_xpm();
    let (ok, out, err) =
        text(&switchboard(&path, &["add", "Smith Pty Ltd", "--software", "quickbooks-online", "--xpm-client", "a1"]));
    assert!(ok, "{err}");
    assert!(out.starts_with("Added Smith Pty Ltd (QuickBooks Online), not connected."), "{out}");
    assert!(err.is_empty(), "{err}");

    let (ok, out, err) = text(&switchboard(&path, &["add", "Smith Pty Ltd"]));
    assert!(ok, "{err}");
    assert!(err.contains("Warning: The list already has a client file named \"Smith Pty Ltd\""), "{err}");
    assert!(out.contains("(None)"), "{out}");

    let files = files(&path);
    assert_eq!(files.len(), 2);
    assert_eq!(files[0].xpm.as_ref().unwrap().uuid, "x-1");
    assert!(files.iter().all(|f| f.connection == ConnectionState::NotConnected));

    let (ok, _, err) = text(&switchboard(&path, &["add", "X", "--software", "sage"]));
    assert!(!ok && err.contains("Unknown accounting software \"sage\""), "{err}");
    let (ok, _, err) = text(&switchboard(&path, &["add", "   "]));
    assert!(!ok && err.contains("cannot be empty"), "{err}");
    assert_eq!(self::files(&path).len(), 2);
}

#[test]
fn import_xpm_previews_then_imports_with_yes_then_finds_nothing_new() {
    let (_dir, path) = cache_with_xpm();
    let (ok, out, _) = text(&switchboard(&path, &["import", "--xpm"]));
    assert!(ok);
    assert!(out.contains("2 of 3 cached XPM clients would become client files"), "{out}");
    assert!(out.contains("1 prospects"), "{out}");
    assert!(out.contains("Perhaps\\u{1b}[2J Ltd: a prospect"), "names are escaped: {out}");
    assert!(out.contains("Bell [2JRinger [B2]"), "an imported name's control characters become spaces: {out}");
    assert!(!out.contains('\u{1b}'));
    assert!(files(&path).is_empty(), "a preview writes nothing");

    let (ok, out, _) = text(&switchboard(&path, &["import", "--xpm", "--yes"]));
    assert!(ok && out.contains("Imported 2 client files from XPM"), "{out}");
    assert_eq!(files(&path).len(), 2);

    let (ok, out, _) = text(&switchboard(&path, &["import", "--xpm", "--yes"]));
    assert!(ok && out.contains("Imported 0 client files"), "{out}");
    assert_eq!(files(&path).len(), 2);
}

#[test]
fn import_csv_lists_bad_lines_and_imports_nothing_until_the_file_is_clean() {
    let (dir, path) = cache_with_xpm();
    let csv = dir.path().join("clients.csv");
    std::fs::write(&csv, "\u{feff}Name;Software;Client code\r\nGood;Xero;A1\r\nBad;Sage;\r\n;MYOB;\r\n").unwrap();
    let csv_arg = csv.to_str().unwrap();

    let (ok, out, _) = text(&switchboard(&path, &["import", "--csv", csv_arg]));
    assert!(!ok, "a preview with errors exits non-zero");
    assert!(out.contains("3 client lines (separator \";\"): 1 ready, 2 with errors"), "{out}");
    assert!(out.contains("line 3: Bad: Unknown accounting software \"Sage\""), "{out}");
    assert!(out.contains("line 4: : Missing name."), "{out}");
    let (ok, _, err) = text(&switchboard(&path, &["import", "--csv", csv_arg, "--yes"]));
    assert!(!ok && err.contains("2 of the file's 3 lines have errors, so nothing was imported"), "{err}");
    assert!(files(&path).is_empty());

    std::fs::write(&csv, "Name;Software;Client code\r\nGood;Xero;A1\r\n\"=1+1\";none;\r\n").unwrap();
    let (ok, out, _) = text(&switchboard(&path, &["import", "--csv", csv_arg]));
    assert!(ok && out.contains("2 ready, 0 with errors") && out.contains("--yes"), "{out}");
    assert!(files(&path).is_empty());
    let (ok, out, _) = text(&switchboard(&path, &["import", "--csv", csv_arg, "--yes"]));
    assert!(ok && out.contains("Imported 2 client files"), "{out}");
    let names: Vec<_> = files(&path).into_iter().map(|f| f.display_name).collect();
    assert_eq!(names, ["Good", "=1+1"]);

    let big = dir.path().join("big.csv");
    std::fs::write(&big, vec![b'a'; 21 * 1024 * 1024]).unwrap();
    let (ok, _, err) = text(&switchboard(&path, &["import", "--csv", big.to_str().unwrap()]));
    assert!(!ok && err.contains("is 21.0 MB; Switchboard imports client lists of up to 20 MB"), "{err}");
}
