//! The Settings menu's actions against the SQLite cache on disk: rename, payroll on/off, Client
//! Console settings and users, cached Xero users and "who can see what", and what a delete
//! removes. Every invalid input gets its message and changes nothing.

use switchboard_core::access::staff_csv::write_access_csv;
use switchboard_core::access::users::XeroUser;
use switchboard_core::cache::{DeletionTarget, OrgSnapshot};
use switchboard_core::clients::links::{xero_dashboard_link, xpm_page_link};
use switchboard_core::model::*;
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use switchboard_core::{Cache, ErrorKind};

fn temp_cache() -> (tempfile::TempDir, Cache) {
    let dir = tempfile::tempdir().unwrap();
    let cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    (dir, cache)
}

fn xero_file(name: &str, tenant: &str) -> ClientFileDraft {
    ClientFileDraft {
        software: AccountingSoftware::Xero,
        connection: ConnectionState::Connected,
        payroll: ServiceState::Connected,
        xero: Some(XeroIds {
            tenant_id: tenant.to_owned(),
            connection_id: Some(format!("conn-{tenant}")),
            short_code: Some("!mBdtL".to_owned()),
        }),
        ..ClientFileDraft::named(name)
    }
}

fn user(first: &str, email: &str, role: &str, subscriber: bool) -> XeroUser {
    XeroUser {
        user_id: format!("id-{email}"),
        first_name: first.to_owned(),
        last_name: "Smith".to_owned(),
        email: email.to_owned(),
        role: role.to_owned(),
        is_subscriber: subscriber,
    }
}

fn draft(name: &str, email: &str, role: ConsoleRole) -> ConsoleUserDraft {
    ConsoleUserDraft { name: name.to_owned(), email: email.to_owned(), role }
}

fn actions(cache: &Cache, id: FileId) -> Vec<String> {
    cache.audit_entries(id).unwrap().into_iter().map(|e| e.action).collect()
}

#[test]
fn the_dashboard_link_comes_from_the_cache_and_an_xpm_page_must_pass_the_allowlist() {
    let (_dir, mut cache) = temp_cache();
    let ids = cache.upsert_files(&[xero_file("Maple", "t-1"), ClientFileDraft::named("Paper only")]).unwrap();
    let maple = cache.file(ids[0]).unwrap();
    assert_eq!(
        xero_dashboard_link(&maple).unwrap().as_str(),
        "https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&redirecturl=/Dashboard/"
    );
    let paper = cache.file(ids[1]).unwrap();
    assert!(xero_dashboard_link(&paper).unwrap_err().to_string().contains("not synced by Xero"));
    assert!(xpm_page_link(&paper).unwrap_err().to_string().contains("not linked to an XPM client"));

    let mut xpm =
        XpmClient { uuid: "u-1".into(), name: "Maple".into(), web_url: None, archived: false, deleted: false };
    for (web_url, ok) in [
        ("https://practicemanager.xero.com/Client/123/Detail", true),
        ("javascript:alert(1)", false),
        ("https://practicemanager.xero.com.evil.example/Client/1", false),
    ] {
        xpm.web_url = Some(web_url.to_owned());
        cache.upsert_xpm_clients(std::slice::from_ref(&xpm)).unwrap();
        cache.link_xpm_client(ids[0], Some("u-1")).unwrap();
        let file = cache.file(ids[0]).unwrap();
        assert_eq!(xpm_page_link(&file).is_ok(), ok, "{web_url}");
    }
}

#[test]
fn a_rename_survives_a_sync_and_the_name_from_xero_stays_beside_it() {
    let (_dir, mut cache) = temp_cache();
    let id = cache.upsert_files(&[xero_file("Maple Florist", "t-1")]).unwrap()[0];
    cache.rename_file(id, "  Maple (Auckland) ").unwrap();
    let snapshot = OrgSnapshot {
        name: "Maple Florist Limited".into(),
        short_code: Some("!mBdtL".into()),
        payroll: None,
        fixed_assets: None,
        tax_number: None,
    };
    cache.record_sync_success(id, &snapshot).unwrap();
    let file = cache.file(id).unwrap();
    assert_eq!(file.display_name, "Maple (Auckland)");
    assert_eq!(file.remote_name.as_deref(), Some("Maple Florist Limited"));
    for bad in ["", " \t ", "tab\tinside", "bell\u{7}", &"n".repeat(201)] {
        assert_eq!(cache.rename_file(id, bad).unwrap_err().kind(), ErrorKind::InvalidInput, "{bad:?}");
    }
    assert_eq!(cache.file(id).unwrap().display_name, "Maple (Auckland)");
    assert_eq!(actions(&cache, id), ["rename"]);
    assert_eq!(cache.rename_file(FileId(999), "x").unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn disconnecting_payroll_forgets_its_state_stops_its_sync_and_is_reversible() {
    let (_dir, mut cache) = temp_cache();
    let unavailable = ClientFileDraft {
        payroll: ServiceState::Unavailable { reason: UnavailableReason::NotSetUp },
        ..xero_file("Maple", "t-1")
    };
    let ids = cache.upsert_files(&[unavailable, ClientFileDraft::named("Paper only")]).unwrap();
    let id = ids[0];

    let off = cache.set_payroll_disconnected(id, true).unwrap();
    assert_eq!(off.payroll, ServiceState::DisconnectedByStaff);
    assert_eq!(off.fixed_assets, ServiceState::NotChecked, "fixed assets untouched");
    let again = cache.set_payroll_disconnected(id, true).unwrap_err();
    assert!(again.to_string().contains("already disconnected"), "{again}");

    // A sync that probed payroll before the switch cannot switch it back on.
    let snapshot = OrgSnapshot {
        name: "Maple".into(),
        short_code: None,
        payroll: Some(ServiceState::Connected),
        fixed_assets: Some(ServiceState::Connected),
        tax_number: None,
    };
    cache.record_sync_success(id, &snapshot).unwrap();
    let file = cache.file(id).unwrap();
    assert_eq!(file.payroll, ServiceState::DisconnectedByStaff);
    assert_eq!(file.fixed_assets, ServiceState::Connected);

    let on = cache.set_payroll_disconnected(id, false).unwrap();
    assert_eq!(on.payroll, ServiceState::NotChecked);
    assert!(cache.set_payroll_disconnected(id, false).is_err());
    let history = cache.audit_entries(id).unwrap();
    assert_eq!(history[1].action, "disconnect_payroll");
    assert_eq!(history[1].old_value.as_deref(), Some("Unavailable: it has not been set up in Xero"));
    assert_eq!(history[0].action, "reconnect_payroll");

    let paper = cache.set_payroll_disconnected(ids[1], true).unwrap_err();
    assert!(paper.to_string().contains("not connected through Xero"), "{paper}");
    assert_eq!(cache.file(ids[1]).unwrap().payroll, ServiceState::NotChecked);
}

#[test]
fn console_settings_are_validated_saved_and_audited() {
    let (_dir, mut cache) = temp_cache();
    let id = cache.upsert_files(&[xero_file("Maple", "t-1")]).unwrap()[0];
    assert_eq!(cache.console_settings(id).unwrap(), ConsoleSettings::default());

    let on =
        ConsoleSettings { enabled: true, key_reports: true, action_items: true, cadence: PackCadence::Fortnightly };
    assert_eq!(cache.save_console_settings(id, &on).unwrap(), on);
    assert_eq!(cache.console_settings(id).unwrap(), on);

    let shows_nothing = ConsoleSettings { key_reports: false, action_items: false, ..on };
    let reminders_without_console = ConsoleSettings { enabled: false, ..on };
    for bad in [shows_nothing, reminders_without_console] {
        let error = cache.save_console_settings(id, &bad).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput);
    }
    assert_eq!(cache.console_settings(id).unwrap(), on, "a refused save changes nothing");

    let history = cache.audit_entries(id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "console_settings");
    assert_eq!(history[0].old_value.as_deref(), Some("off; pack holds nothing; sent never"));
    assert_eq!(
        history[0].new_value.as_deref(),
        Some("on; pack holds key reports and what to act on; sent fortnightly")
    );
    assert_eq!(cache.console_settings(FileId(42)).unwrap_err().kind(), ErrorKind::NotFound);
}

#[test]
fn console_users_are_added_edited_and_removed_with_emails_checked_and_duplicates_refused() {
    let (_dir, mut cache) = temp_cache();
    let ids = cache.upsert_files(&[xero_file("Maple", "t-1"), xero_file("Birch", "t-2")]).unwrap();
    let id = ids[0];
    let ann = cache.add_console_user(id, &draft("  Ann Lee ", " Ann@Maple.example ", ConsoleRole::Owner)).unwrap();
    assert_eq!((ann.name.as_str(), ann.email.as_str()), ("Ann Lee", "Ann@Maple.example"));
    let bob = cache.add_console_user(id, &draft("Bob", "bob@maple.example", ConsoleRole::Viewer)).unwrap();
    // The same person may use another client's console.
    cache.add_console_user(ids[1], &draft("Ann", "ann@maple.example", ConsoleRole::Viewer)).unwrap();

    let duplicate = cache.add_console_user(id, &draft("Annie", "ANN@maple.example", ConsoleRole::Viewer)).unwrap_err();
    assert_eq!(duplicate.kind(), ErrorKind::InvalidInput);
    assert!(duplicate.to_string().contains("already a console user of Maple (Ann Lee)"), "{duplicate}");
    for bad_email in [
        "",
        "ann",
        "ann@",
        "@maple.example",
        "ann@maple",
        "a b@maple.example",
        "ann@@maple.example",
        "ann@-maple.example",
        "ann@maple..example",
        "ann.@maple.example",
    ] {
        let error = cache.add_console_user(id, &draft("X", bad_email, ConsoleRole::Viewer)).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{bad_email:?}");
    }
    for bad_name in ["", "   ", "two\nlines", &"n".repeat(101)] {
        assert!(
            cache.add_console_user(id, &draft(bad_name, "new@maple.example", ConsoleRole::Viewer)).is_err(),
            "{bad_name:?}"
        );
    }
    // Editing Bob onto Ann's email is a duplicate too; editing Bob himself is fine.
    assert!(cache.update_console_user(id, bob.id, &draft("Bob", "ann@maple.example", ConsoleRole::Viewer)).is_err());
    let bob =
        cache.update_console_user(id, bob.id, &draft("Robert", "bob@maple.example", ConsoleRole::Contributor)).unwrap();
    assert_eq!((bob.name.as_str(), bob.role), ("Robert", ConsoleRole::Contributor));
    // A user of another file cannot be edited or removed through this one.
    assert_eq!(cache.remove_console_user(ids[1], bob.id).unwrap_err().kind(), ErrorKind::NotFound);

    let names: Vec<String> = cache.console_users(id).unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Ann Lee", "Robert"]);
    cache.remove_console_user(id, ann.id).unwrap();
    let names: Vec<String> = cache.console_users(id).unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, ["Robert"]);
    assert_eq!(
        actions(&cache, id),
        ["console_user_remove", "console_user_edit", "console_user_add", "console_user_add"]
    );
}

#[test]
fn cached_xero_users_answer_who_can_see_what_and_export_as_safe_csv() {
    let (_dir, mut cache) = temp_cache();
    let ids = cache
        .upsert_files(&[xero_file("Maple", "t-1"), xero_file("=Birch", "t-2"), xero_file("Cedar", "t-3")])
        .unwrap();
    assert_eq!(cache.user_access(ids[0]).unwrap().fetched_at, None);
    cache
        .replace_xero_users(
            ids[0],
            &[user("Ann", "ann@practice.example", "ADVISOR", false), user("Owner", "o@maple.example", "ADMIN", true)],
        )
        .unwrap();
    cache.replace_xero_users(ids[1], &[user("Ann", "ANN@practice.example", "STANDARD", false)]).unwrap();

    let access = cache.user_access(ids[0]).unwrap();
    assert!(access.fetched_at.is_some());
    assert_eq!(access.users[0].email, "o@maple.example", "the subscriber first");
    assert!(access.users[0].is_subscriber);
    assert_eq!(
        access.manage_url.as_deref(),
        Some("https://go.xero.com/organisationlogin/default.aspx?shortcode=%21mBdtL&redirecturl=/Settings/Users/")
    );

    let report = cache.staff_access(" ann@PRACTICE.example ").unwrap();
    let names: Vec<&str> = report.files.iter().map(|f| f.display_name.as_str()).collect();
    assert_eq!(names, ["=Birch", "Maple"]);
    assert_eq!(report.files_never_checked, 1, "Cedar was never fetched");
    assert_eq!(cache.staff_access("  ").unwrap_err().kind(), ErrorKind::InvalidInput);

    let mut csv = Vec::new();
    write_access_csv(&report, &mut csv).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "Email,Client name,Name in Xero,Xero role,Subscriber,Users last fetched (UTC)");
    assert!(lines[1].starts_with("ann@PRACTICE.example,'=Birch,Ann Smith,STANDARD,No,"), "{}", lines[1]);

    // A fresh fetch replaces the list as a whole.
    cache.replace_xero_users(ids[0], &[]).unwrap();
    assert!(cache.user_access(ids[0]).unwrap().users.is_empty());
    assert_eq!(cache.staff_access("ann@practice.example").unwrap().files.len(), 1);
}

#[test]
fn deleting_a_file_removes_it_and_everything_of_it_but_leaves_an_audit_entry() {
    let (_dir, mut cache) = temp_cache();
    let ids = cache.upsert_files(&[xero_file("Maple", "t-1"), xero_file("Birch", "t-2")]).unwrap();
    let id = ids[0];
    cache.add_console_user(id, &draft("Ann", "ann@maple.example", ConsoleRole::Owner)).unwrap();
    let on = ConsoleSettings { enabled: true, key_reports: true, action_items: false, cadence: PackCadence::Weekly };
    cache.save_console_settings(id, &on).unwrap();
    cache.replace_xero_users(id, &[user("Ann", "ann@practice.example", "ADVISOR", false)]).unwrap();
    cache.add_console_user(ids[1], &draft("Bo", "bo@birch.example", ConsoleRole::Owner)).unwrap();

    let wrong = cache.deletion_target(id, "Mapel").unwrap_err();
    assert!(wrong.to_string().contains("type its name exactly as shown: Maple"), "{wrong}");
    let target: DeletionTarget = cache.deletion_target(id, " Maple ").unwrap();
    assert_eq!(target.connection_id.as_deref(), Some("conn-t-1"));
    assert_eq!(cache.delete_client_file(&target, "Deleted; it had no Xero connection").unwrap(), None);

    assert_eq!(cache.file(id).unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(cache.console_users(id).unwrap_err().kind(), ErrorKind::NotFound);
    assert!(cache.staff_access("ann@practice.example").unwrap().files.is_empty());
    let history = cache.audit_entries(id).unwrap();
    assert_eq!(history[0].action, "delete");
    assert_eq!(history[0].file_name, "Maple");
    // The other file keeps everything.
    assert_eq!(cache.list_files().unwrap().len(), 1);
    assert_eq!(cache.console_users(ids[1]).unwrap().len(), 1);
    assert_eq!(cache.integrity_check().unwrap(), "ok");
}
