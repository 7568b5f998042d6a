//! Creating and migrating the practice database, and the checks a connection makes.

mod support;

use support::{TestPostgres, add_staff, raw};
use switchboard_practice::{Error, LATEST_VERSION, Password, PracticeDb, init};

#[tokio::test]
async fn init_creates_then_finds_nothing_to_do_and_a_newer_schema_is_refused() {
    let pg = TestPostgres::start().await;

    // Before init: a clear "not a practice database yet".
    let error = PracticeDb::open(&pg.owner_url).await.err().expect("refused");
    assert!(matches!(error, Error::NotInitialised { .. }), "{error:?}");

    let first = init(&pg.owner_url).await.unwrap();
    assert_eq!((first.from, first.to), (0, LATEST_VERSION));
    let again = init(&pg.owner_url).await.unwrap();
    assert_eq!((again.from, again.to), (LATEST_VERSION, LATEST_VERSION));

    // Every table keyed by file, and the others, are under forced row-level security.
    let owner = raw(&pg.owner_url).await;
    let rows = owner
        .query(
            "SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'
               AND relname <> 'refinery_schema_history' AND NOT (relrowsecurity AND relforcerowsecurity)",
            &[],
        )
        .await
        .unwrap();
    let unprotected: Vec<String> = rows.iter().map(|r| r.get(0)).collect();
    assert!(unprotected.is_empty(), "tables without forced RLS: {unprotected:?}");

    // A staff member connected before the upgrade.
    let owner_db = PracticeDb::open(&pg.owner_url).await.unwrap();
    let password = add_staff(&owner_db, "ann", false).await;

    // A later Switchboard migrated the database to a schema this build does not know.
    owner
        .execute(
            "INSERT INTO refinery_schema_history (version, name, applied_on, checksum) VALUES ($1, 'future', '2030-01-01T00:00:00Z', '0')",
            &[&(LATEST_VERSION as i32 + 1)],
        )
        .await
        .unwrap();
    for error in [
        init(&pg.owner_url).await.expect_err("init refuses"),
        PracticeDb::open(&pg.owner_url).await.err().expect("owner refused"),
        PracticeDb::connect(&pg.url(), "ann", &password).await.err().expect("staff refused"),
    ] {
        match &error {
            Error::SchemaTooNew { found, supported, .. } => {
                assert_eq!((*found, *supported), (LATEST_VERSION + 1, LATEST_VERSION));
                assert!(error.to_string().contains("update Switchboard"), "{error}");
            }
            other => panic!("expected SchemaTooNew, got {other:?}"),
        }
    }
    // Nothing was touched: the future row is still the latest.
    let max: i32 = owner.query_one("SELECT max(version) FROM refinery_schema_history", &[]).await.unwrap().get(0);
    assert_eq!(i64::from(max), LATEST_VERSION + 1);
}

#[tokio::test]
async fn two_inits_at_once_migrate_one_after_the_other() {
    let pg = TestPostgres::start().await;
    let (a, b) = tokio::join!(init(&pg.owner_url), init(&pg.owner_url));
    let mut froms = [a.unwrap().from, b.unwrap().from];
    froms.sort();
    assert_eq!(froms, [0, LATEST_VERSION], "one created the schema, the other found it done");
    PracticeDb::open(&pg.owner_url).await.unwrap();
}

#[tokio::test]
async fn bad_url_wrong_password_and_server_down_say_so_without_secrets() {
    let pg = TestPostgres::start().await;
    let owner = pg.init().await;
    let password = add_staff(&owner, "ann", false).await;

    let error = PracticeDb::open("postgresql://ann:s3cret-pw@127.0.0.1:notaport/practice").await.err().unwrap();
    assert!(matches!(error, Error::BadUrl(_)), "{error:?}");
    assert!(!error.to_string().contains("s3cret-pw"));

    let wrong = Password::new("not-the-password-at-all");
    let error = PracticeDb::connect(&pg.url(), "ann", &wrong).await.err().unwrap();
    assert!(matches!(error, Error::WrongPassword { .. }), "{error:?}");
    assert!(error.to_string().contains("\"ann\""), "{error}");
    assert!(!error.to_string().contains(wrong.expose()));

    let error = PracticeDb::connect(&pg.url(), "nobody", &password).await.err().unwrap();
    assert!(matches!(error, Error::WrongPassword { .. }), "{error:?}");

    let error = PracticeDb::connect(&pg.url().replace("/practice", "/nothere"), "ann", &password).await.err().unwrap();
    assert!(matches!(error, Error::NoDatabase { .. } | Error::WrongPassword { .. }), "{error:?}");

    // The right password works; then the server goes away.
    let ann = PracticeDb::connect(&pg.url(), "ann", &password).await.unwrap();
    assert_eq!(ann.role(), "ann");
    let url = pg.url();
    drop(ann);
    drop(pg);
    let error = PracticeDb::connect(&url, "ann", &password).await.err().unwrap();
    assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
    assert!(error.to_string().contains("127.0.0.1"), "{error}");
    assert!(!error.to_string().contains(password.expose()));
}

#[tokio::test]
async fn passwords_reach_the_server_only_as_scram_verifiers() {
    let pg = TestPostgres::start().await;
    let owner = pg.init().await;
    let password = add_staff(&owner, "ann", false).await;
    let admin = raw(&pg.owner_url).await;
    let stored: String =
        admin.query_one("SELECT rolpassword FROM pg_authid WHERE rolname = 'ann'", &[]).await.unwrap().get(0);
    assert!(stored.starts_with("SCRAM-SHA-256$4096:"), "{stored}");
    assert!(!stored.contains(password.expose()));

    // The admin function refuses a plain password, so none can be stored through it.
    let error = admin
        .execute("SELECT practice_add_staff('bob', 'Bob', 'bob@x.example', false, 'plain-password-123')", &[])
        .await
        .unwrap_err();
    assert!(error.as_db_error().unwrap().message().contains("SCRAM-SHA-256 verifier"), "{error:?}");

    // Nothing of the password in the audit log or anywhere in the practice's tables.
    let dump: String = admin
        .query_one(
            "SELECT coalesce(string_agg(t::text, ' '), '') FROM (
                 SELECT to_jsonb(a) AS t FROM audit_log a UNION ALL SELECT to_jsonb(s) FROM staff s) x",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(dump.contains("ann"), "{dump}");
    assert!(!dump.contains(password.expose()));
    assert!(!dump.contains("SCRAM"));
}

#[tokio::test]
async fn tls_on_loopback_and_a_remote_server_must_prove_its_certificate() {
    let pg = TestPostgres::start().await;
    let owner = pg.init().await;
    let password = add_staff(&owner, "ann", false).await;

    // On loopback: encrypted (scripts/postgres offers TLS), the self-signed certificate accepted.
    let ann = PracticeDb::connect(&format!("{}?sslmode=require", pg.url()), "ann", &password).await.unwrap();
    assert!(ann.list_files().await.unwrap().is_empty());
    let admin = raw(&pg.owner_url).await;
    let encrypted: bool = admin
        .query_one("SELECT bool_and(ssl) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) WHERE usename = 'ann'", &[])
        .await
        .unwrap()
        .get(0);
    assert!(encrypted);

    // The same server reached as a remote one (an IPv4-mapped IPv6 address is not loopback to
    // Switchboard): its certificate is checked by the system's trust store, and refused.
    let remote = format!("postgresql://[::ffff:127.0.0.1]:{}/practice", pg.port);
    let error = PracticeDb::connect(&remote, "ann", &password).await.err().unwrap();
    assert!(matches!(error, Error::Unreachable { .. }), "{error:?}");
    assert!(error.to_string().contains("certificate"), "{error}");
}
