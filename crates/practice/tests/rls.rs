//! Row-level security: a staff member with selected clients reaches only those, through the
//! crate and through raw SQL, in every table keyed by client file.

mod support;

use support::{Practice, sqlstate};
use switchboard_practice::{AccessMode, ConsoleSettings, Error, XpmLink};

/// The tables keyed by client file, with the column naming the file.
const FILE_TABLES: &[(&str, &str)] = &[
    ("client_files", "id"),
    ("xpm_links", "file_id"),
    ("console_settings", "file_id"),
    ("console_users", "file_id"),
    ("xero_users", "file_id"),
];

#[tokio::test]
async fn selected_staff_reach_only_their_files_through_the_crate() {
    let p = Practice::new().await;
    let ann = p.connect("ann").await;

    // Reading: only alpha, in every table.
    let files = ann.list_files().await.unwrap();
    assert_eq!(files.iter().map(|f| f.id).collect::<Vec<_>>(), [p.alpha]);
    assert!(ann.file(p.beta).await.unwrap().is_none());
    assert_eq!(ann.xpm_links().await.unwrap().iter().map(|l| l.file_id).collect::<Vec<_>>(), [p.alpha]);
    assert!(ann.console_settings(p.alpha).await.unwrap().is_some());
    assert!(ann.console_settings(p.beta).await.unwrap().is_none());
    assert_eq!(ann.console_users().await.unwrap().iter().map(|u| u.file_id).collect::<Vec<_>>(), [p.alpha]);
    assert_eq!(ann.xero_users().await.unwrap().iter().map(|u| u.0).collect::<Vec<_>>(), [p.alpha]);
    let audit = ann.audit_log(1000).await.unwrap();
    assert!(!audit.is_empty());
    assert!(audit.iter().all(|e| e.file_id == Some(p.alpha)), "{audit:#?}");

    // But the names of every file, and nothing else, to ask for access.
    let names = ann.file_names().await.unwrap();
    assert_eq!(
        names.iter().map(|n| n.display_name.as_str()).collect::<Vec<_>>(),
        ["Alpha Ltd", "Beta Trust", "Gamma & Sons"]
    );

    // Writing alpha works; every write to beta is refused or reaches nothing.
    let alpha = ann.rename_file(p.alpha, files[0].version, "Alpha Limited").await.unwrap();
    assert!(alpha.version > files[0].version);
    let beta_before = p.owner.file(p.beta).await.unwrap().unwrap();
    let error = ann.rename_file(p.beta, beta_before.version, "Mine now").await.unwrap_err();
    assert!(matches!(error, Error::NotFound(_)), "{error:?}");
    assert!(matches!(ann.delete_file(p.beta).await.unwrap_err(), Error::NotFound(_)));
    let link = XpmLink { file_id: p.beta, xpm_client_uuid: "x".into(), xpm_client_name: "x".into() };
    assert!(matches!(ann.set_xpm_link(&link).await.unwrap_err(), Error::NotAllowed(_)));
    let settings = ConsoleSettings { enabled: false, key_reports: false, action_items: false, cadence: "never".into() };
    assert!(matches!(ann.set_console_settings(p.beta, &settings).await.unwrap_err(), Error::NotAllowed(_)));
    assert!(matches!(
        ann.add_console_user(p.beta, "Spy", "spy@x.example", "viewer").await.unwrap_err(),
        Error::NotAllowed(_)
    ));
    assert!(matches!(ann.set_xero_users(p.beta, &["ann@practice.example"]).await.unwrap_err(), Error::NotAllowed(_)));
    // A new file is nobody's yet: refused to someone with selected files.
    assert!(matches!(ann.add_file("New Co", "none", None).await.unwrap_err(), Error::NotAllowed(_)));
    // Her own grants only (bob's grant of beta stays hidden); colleagues by name.
    let grants: Vec<(String, i64)> =
        ann.file_grants().await.unwrap().into_iter().map(|g| (g.role, g.file_id)).collect();
    assert_eq!(grants, [("ann".to_owned(), p.alpha)]);
    assert_eq!(ann.list_staff().await.unwrap().len(), 3);
    assert!(!ann.is_admin().await.unwrap());
    assert!(p.connect("carol").await.is_admin().await.unwrap());
    assert_eq!(p.connect("carol").await.file_grants().await.unwrap().len(), 2);
    // Staff and access changes are the admins'.
    assert!(matches!(ann.grant_file("ann", p.beta, None).await.unwrap_err(), Error::NotAllowed(_)));
    assert!(matches!(ann.set_access("ann", AccessMode::All).await.unwrap_err(), Error::NotAllowed(_)));

    // Beta is exactly as it was, seen by the owner.
    assert_eq!(p.owner.file(p.beta).await.unwrap().unwrap(), beta_before);
    assert_eq!(p.owner.console_settings(p.beta).await.unwrap().unwrap().cadence, "monthly");
    assert_eq!(p.owner.xpm_links().await.unwrap().len(), 3);
    assert_eq!(p.owner.console_users().await.unwrap().len(), 3);
    assert_eq!(p.owner.xero_users().await.unwrap().len(), 3);

    // Bob (all files) sees and changes every file, including the new one.
    let bob = p.connect("bob").await;
    assert_eq!(bob.list_files().await.unwrap().len(), 3);
    bob.set_console_settings(p.beta, &settings).await.unwrap();
    bob.add_file("New Co", "none", None).await.unwrap();
    assert_eq!(bob.list_files().await.unwrap().len(), 4);
    assert_eq!(ann.list_files().await.unwrap().len(), 1);
}

#[tokio::test]
async fn selected_staff_reach_only_their_files_with_raw_sql() {
    let p = Practice::new().await;
    let ann = p.raw("ann").await;
    let (alpha, beta) = (p.alpha, p.beta);

    for (table, column) in FILE_TABLES {
        let count = |sql: String| {
            let ann = &ann;
            async move { ann.query_one(&sql, &[]).await.unwrap().get::<_, i64>(0) }
        };
        assert_eq!(count(format!("SELECT count(*) FROM {table}")).await, 1, "{table}: ann sees one row");
        assert_eq!(count(format!("SELECT count(*) FROM {table} WHERE {column} = {beta}")).await, 0, "{table}");
        // Updates and deletes of beta's rows reach nothing.
        let set = if *table == "client_files" { "display_name = 'taken'" } else { "version = version" };
        let updated = ann.execute(&format!("UPDATE {table} SET {set} WHERE {column} = {beta}"), &[]).await.unwrap();
        assert_eq!(updated, 0, "{table}: update of beta");
        let updated_all = ann.execute(&format!("UPDATE {table} SET {set}"), &[]).await.unwrap();
        assert_eq!(updated_all, 1, "{table}: an update of every row reaches alpha's only");
        let deleted = ann.execute(&format!("DELETE FROM {table} WHERE {column} = {beta}"), &[]).await.unwrap();
        assert_eq!(deleted, 0, "{table}: delete of beta");
        // Moving alpha's row to beta is refused too.
        if *table != "client_files" {
            let moved = ann.execute(&format!("UPDATE {table} SET file_id = {beta} WHERE file_id = {alpha}"), &[]).await;
            assert_eq!(sqlstate(&moved.unwrap_err()), "42501", "{table}: moving a row to beta");
        }
    }
    // Inserting rows of beta is refused, table by table.
    let inserts = [
        format!("INSERT INTO xpm_links (file_id, xpm_client_uuid, xpm_client_name) VALUES ({beta}, 'u', 'n')"),
        format!("INSERT INTO console_users (file_id, name, email) VALUES ({beta}, 'Spy', 'spy@x.example')"),
        format!("INSERT INTO xero_users (file_id, email) VALUES ({beta}, 'ann@practice.example')"),
        "INSERT INTO client_files (display_name) VALUES ('New Co')".to_owned(),
    ];
    for sql in &inserts {
        let error = ann.execute(sql.as_str(), &[]).await.unwrap_err();
        assert_eq!(sqlstate(&error), "42501", "{sql}");
    }
    // console_settings of beta exists: an upsert must not reveal or change it.
    let upsert = ann
        .execute(
            &format!("INSERT INTO console_settings (file_id) VALUES ({beta}) ON CONFLICT (file_id) DO UPDATE SET enabled = false"),
            &[],
        )
        .await;
    assert_eq!(sqlstate(&upsert.unwrap_err()), "42501");

    // The access tables: own grants only, no writes, no way around the policies.
    let grants: Vec<(String, i64)> = ann
        .query("SELECT staff_role, file_id FROM file_grants", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get(0), r.get(1)))
        .collect();
    assert_eq!(grants, [("ann".to_owned(), alpha)]);
    for sql in [
        format!("INSERT INTO file_grants (staff_role, file_id, granted_by) VALUES ('ann', {beta}, 'ann')"),
        "UPDATE staff SET is_admin = true, access_mode = 'all' WHERE role_name = 'ann'".to_owned(),
        "UPDATE practice_clock SET shift = interval '-10 years'".to_owned(),
        "ALTER TABLE client_files DISABLE ROW LEVEL SECURITY".to_owned(),
        "DROP POLICY staff_files ON client_files".to_owned(),
        format!("SELECT practice_grant_file('ann', {beta}, NULL)"),
        "SET SESSION AUTHORIZATION carol".to_owned(),
        // No objects of her own next to the practice's (which could stand in for them).
        "CREATE TABLE public.file_grants_copy (staff_role text)".to_owned(),
        "CREATE FUNCTION public.practice_may_see(file bigint, x int) RETURNS boolean LANGUAGE sql AS 'SELECT true'"
            .to_owned(),
    ] {
        let error = ann.execute(sql.as_str(), &[]).await.unwrap_err();
        assert_eq!(sqlstate(&error), "42501", "{sql}: {error:?}");
    }
    // SET ROLE to the group changes current_user, not who ann is.
    ann.batch_execute("SET ROLE switchboard_staff").await.unwrap();
    let seen: i64 = ann.query_one("SELECT count(*) FROM client_files", &[]).await.unwrap().get(0);
    assert_eq!(seen, 1);
    ann.batch_execute("RESET ROLE").await.unwrap();

    // Beta untouched; alpha was updated (by the blanket updates) and nothing else.
    let owner = support::raw(&p.pg.owner_url).await;
    let names: Vec<String> = owner
        .query("SELECT display_name FROM client_files ORDER BY id", &[])
        .await
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(names, ["taken", "Beta Trust", "Gamma & Sons"]);
    for (table, column) in FILE_TABLES {
        let n: i64 = owner
            .query_one(&format!("SELECT count(*) FROM {table} WHERE {column} = {beta}"), &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(n, 1, "{table}: beta's row is still there");
    }
}

#[tokio::test]
async fn access_granted_then_revoked_applies_to_an_open_connection_at_once() {
    let p = Practice::new().await;
    let ann_db = p.connect("ann").await;
    let ann = p.raw("ann").await;
    let beta_count = format!("SELECT count(*) FROM client_files WHERE id = {}", p.beta);
    let sees_beta = || async { ann.query_one(beta_count.as_str(), &[]).await.unwrap().get::<_, i64>(0) == 1 };
    assert!(!sees_beta().await);

    p.owner.grant_file("ann", p.beta, None).await.unwrap();
    assert!(sees_beta().await, "the open connection sees the new grant");
    assert_eq!(ann_db.list_files().await.unwrap().len(), 2);

    assert!(p.owner.revoke_file("ann", p.beta).await.unwrap());
    assert!(!sees_beta().await, "the open connection lost it at once");
    assert_eq!(ann_db.list_files().await.unwrap().len(), 1);
    assert!(!p.owner.revoke_file("ann", p.beta).await.unwrap(), "nothing left to revoke");

    // The mode too: all, then back to selected.
    p.owner.set_access("ann", AccessMode::All).await.unwrap();
    assert_eq!(ann_db.list_files().await.unwrap().len(), 3);
    p.owner.set_access("ann", AccessMode::Selected).await.unwrap();
    assert_eq!(ann_db.list_files().await.unwrap().len(), 1);

    // Mirror Xero: the files whose Xero users include ann's email, plus her granted files.
    p.owner.set_xero_users(p.gamma, &["ANN@practice.example", "someone@client.example"]).await.unwrap();
    p.owner.set_access("ann", AccessMode::MirrorXero).await.unwrap();
    let ids: Vec<i64> = ann_db.list_files().await.unwrap().iter().map(|f| f.id).collect();
    assert_eq!(ids, [p.alpha, p.gamma]);
    let staff = p.owner.list_staff().await.unwrap();
    assert_eq!(staff.iter().find(|s| s.role == "ann").unwrap().access, AccessMode::MirrorXero);

    // Every change was audited, by the owner.
    let audit = p.owner.audit_log(100).await.unwrap();
    for action in ["access granted", "access revoked", "access mode of ann"] {
        assert!(audit.iter().any(|e| e.action == action && e.actor == "postgres"), "{action}: {audit:#?}");
    }
}

#[tokio::test]
async fn a_temporary_grant_ends_by_itself_on_the_practice_clock() {
    let p = Practice::new().await;
    let ann = p.connect("ann").await;
    let owner = support::raw(&p.pg.owner_url).await;
    let db_now: chrono::DateTime<chrono::Utc> = owner.query_one("SELECT practice_now()", &[]).await.unwrap().get(0);

    p.owner.grant_file("ann", p.beta, Some(db_now + chrono::Duration::hours(1))).await.unwrap();
    assert!(ann.file(p.beta).await.unwrap().is_some());

    // Half an hour on: still there. Two hours on: gone, with nobody revoking it.
    owner.batch_execute("UPDATE practice_clock SET shift = interval '30 minutes'").await.unwrap();
    assert!(ann.file(p.beta).await.unwrap().is_some());
    owner.batch_execute("UPDATE practice_clock SET shift = interval '2 hours'").await.unwrap();
    assert!(ann.file(p.beta).await.unwrap().is_none());
    assert_eq!(ann.list_files().await.unwrap().len(), 1, "the lasting grant of alpha stays");
    let raw = p.raw("ann").await;
    let rows =
        raw.execute(&format!("UPDATE console_users SET name = 'x' WHERE file_id = {}", p.beta), &[]).await.unwrap();
    assert_eq!(rows, 0);

    // Ann cannot turn the clock back (nor read its table).
    for sql in ["UPDATE practice_clock SET shift = interval '0'", "SELECT shift FROM practice_clock"] {
        assert_eq!(sqlstate(&raw.execute(sql, &[]).await.unwrap_err()), "42501", "{sql}");
    }
    // The grant's end is in the audit log.
    let audit = p.owner.audit_log(100).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "access granted" && e.new_value.as_deref().is_some_and(|v| v.contains("ann until")))
    );
}
