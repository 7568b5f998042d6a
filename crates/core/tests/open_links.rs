//! Opening a file's Xero dashboard or XPM page through the session, the way the shell does: the
//! link comes from the cache alone (so it works offline), and only a checked link reaches the
//! browser. The system browser is replaced by a recorder (SWITCHBOARD_BROWSER, the `record_url`
//! example, which `cargo test` builds); this binary holds one test, so setting the variable
//! touches no other test.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use switchboard_core::model::*;
use switchboard_core::{ErrorKind, Session};

fn recorded(log: &std::path::Path, lines: usize) -> Vec<String> {
    // The recorder runs as its own process; wait for it to write (bounded, not a timing assertion).
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        let got: Vec<String> = text.lines().map(str::to_owned).collect();
        if got.len() >= lines || Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The `record_url` example, built by `cargo test` beside this test program's folder.
fn recorder() -> PathBuf {
    let test_program = std::env::current_exe().unwrap();
    let debug_dir = test_program.parent().and_then(|deps| deps.parent()).unwrap();
    let recorder = debug_dir.join("examples").join(format!("record_url{}", std::env::consts::EXE_SUFFIX));
    assert!(
        recorder.exists(),
        "{} is missing: run the whole `cargo test`, which builds the examples",
        recorder.display()
    );
    recorder
}

#[test]
fn the_dashboard_and_xpm_page_open_from_the_cache_and_a_hostile_link_never_reaches_the_browser() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("opened.txt");
    // SAFETY: this test binary runs this one test; nothing else reads the environment meanwhile.
    unsafe {
        std::env::set_var("SWITCHBOARD_MODE", "simulator");
        std::env::set_var("SWITCHBOARD_BROWSER", recorder());
        std::env::set_var("RECORD_URL_TO", &log);
        // Offline: Xero's API is a port nobody listens on, and nothing should call it anyway.
        std::env::set_var("SWITCHBOARD_XERO_API_URL", "http://127.0.0.1:9/api/");
    }

    let session = Session::open(&dir.path().join("cache.sqlite3"));
    let ids = {
        let mut cache = session.cache().unwrap();
        let good = XpmClient {
            uuid: "good".into(),
            name: "Maple".into(),
            web_url: Some("https://practicemanager.xero.com/Client/123/Detail".into()),
            archived: false,
            deleted: false,
        };
        let evil = XpmClient {
            uuid: "evil".into(),
            name: "Evil".into(),
            web_url: Some("https://practicemanager.xero.com@evil.example/".into()),
            archived: false,
            deleted: false,
        };
        cache.upsert_xpm_clients(&[good, evil]).unwrap();
        let xero = |tenant: &str, code: &str| ClientFileDraft {
            software: AccountingSoftware::Xero,
            connection: ConnectionState::Connected,
            xero: Some(XeroIds { tenant_id: tenant.into(), connection_id: None, short_code: Some(code.into()) }),
            ..ClientFileDraft::named(tenant)
        };
        cache
            .upsert_files(&[
                ClientFileDraft { xpm_client_uuid: Some("good".into()), ..xero("t-1", "!mBdtL") },
                ClientFileDraft { xpm_client_uuid: Some("evil".into()), ..xero("t-2", "!x") },
                ClientFileDraft::named("Paper only"),
            ])
            .unwrap()
    };

    let opened = session.open_xero_dashboard(ids[0]).unwrap();
    assert_eq!(
        opened.url,
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&redirecturl=/Dashboard/"
    );
    let page = session.open_xpm_dashboard(ids[0]).unwrap();
    assert_eq!(page.url, "https://practicemanager.xero.com/Client/123/Detail");

    let refused = session.open_xpm_dashboard(ids[1]).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    assert!(refused.message.starts_with("Switchboard did not open that link"), "{}", refused.message);
    let none = session.open_xero_dashboard(ids[2]).unwrap_err();
    assert!(none.message.contains("not synced by Xero"), "{}", none.message);
    assert_eq!(session.open_xero_dashboard(FileId(999)).unwrap_err().kind, ErrorKind::NotFound);

    // Exactly the two good links reached the browser (refusals return before any browser is
    // started, so no third line can still be on its way). The two browser processes run side by
    // side, so they may write their lines in either order.
    let mut got = recorded(&log, 2);
    got.sort();
    let mut expected = [opened.url, page.url];
    expected.sort();
    assert_eq!(got, expected);
}
