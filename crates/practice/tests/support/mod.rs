//! A PostgreSQL of the test's own (scripts/postgres), stopped when dropped, and helpers to sign in
//! as its owner or as staff, through the crate or as raw SQL.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use switchboard_practice::{NewStaff, Password, PracticeDb};

pub struct TestPostgres {
    dir: tempfile::TempDir,
    /// The superuser's URL: the practice's owner in these tests.
    pub owner_url: String,
    pub port: u16,
}

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/postgres")
}

impl TestPostgres {
    /// Starts a fresh server (initdb'd into a temporary folder) and creates the database
    /// `practice` in it.
    pub async fn start() -> TestPostgres {
        let dir = tempfile::Builder::new().prefix("sb-pg-").tempdir().expect("temporary folder");
        let out = Command::new("bash").arg(script()).arg("start").arg(dir.path()).output().expect("bash runs");
        assert!(
            out.status.success(),
            "scripts/postgres start failed:\n{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let out = Command::new("bash").arg(script()).arg("url").arg(dir.path()).output().expect("bash runs");
        assert!(out.status.success());
        let admin_url = String::from_utf8(out.stdout).unwrap().trim().to_owned();
        let port: u16 = std::fs::read_to_string(dir.path().join("port")).unwrap().trim().parse().unwrap();
        let pg =
            TestPostgres { owner_url: format!("{}/practice", admin_url.strip_suffix("/postgres").unwrap()), port, dir };
        let admin = raw(&admin_url).await;
        admin.batch_execute("CREATE DATABASE practice").await.expect("database created");
        pg
    }

    /// The practice database's URL without user or password (for staff sign-ins).
    pub fn url(&self) -> String {
        format!("postgresql://127.0.0.1:{}/practice", self.port)
    }

    /// The URL signed in as `role` with `password`.
    pub fn url_as(&self, role: &str, password: &Password) -> String {
        format!("postgresql://{role}:{}@127.0.0.1:{}/practice", password.expose(), self.port)
    }

    /// Creates the practice schema and returns the owner's connection.
    pub async fn init(&self) -> PracticeDb {
        switchboard_practice::init(&self.owner_url).await.expect("init");
        PracticeDb::open(&self.owner_url).await.expect("owner connects")
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        let _ = Command::new("bash").arg(script()).arg("stop").arg(self.dir.path()).output();
    }
}

/// A raw connection (no pool, no schema check), for SQL as a role.
pub async fn raw(url: &str) -> tokio_postgres::Client {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls).await.expect("raw connection");
    tokio::spawn(connection);
    client
}

/// Adds a staff member with a fresh password; returns the password.
pub async fn add_staff(owner: &PracticeDb, role: &str, admin: bool) -> Password {
    let password = Password::generate();
    let staff = NewStaff {
        role: Some(role.to_owned()),
        display_name: format!("Staff {role}"),
        email: format!("{role}@practice.example"),
        is_admin: admin,
    };
    owner.add_staff(&staff, &password).await.expect("staff added");
    password
}

/// A practice of three client files, each with a row in every table of a file (XPM link, console
/// settings and user, Xero user), and three staff members: ann (selected: alpha only), bob (all
/// files) and carol (admin).
pub struct Practice {
    pub pg: TestPostgres,
    pub owner: PracticeDb,
    pub alpha: i64,
    pub beta: i64,
    pub gamma: i64,
    pub ann: Password,
    pub bob: Password,
    pub carol: Password,
}

impl Practice {
    pub async fn new() -> Practice {
        use switchboard_practice::{AccessMode, ConsoleSettings, XpmLink};
        let pg = TestPostgres::start().await;
        let owner = pg.init().await;
        let mut ids = Vec::new();
        for (name, n) in [("Alpha Ltd", 1), ("Beta Trust", 2), ("Gamma & Sons", 3)] {
            let file = owner.add_file(name, "xero", Some(&format!("tenant-{n}"))).await.expect("file added");
            owner
                .set_xpm_link(&XpmLink {
                    file_id: file.id,
                    xpm_client_uuid: format!("xpm-{n}"),
                    xpm_client_name: name.to_owned(),
                })
                .await
                .unwrap();
            let settings =
                ConsoleSettings { enabled: true, key_reports: true, action_items: true, cadence: "monthly".into() };
            owner.set_console_settings(file.id, &settings).await.unwrap();
            owner
                .add_console_user(file.id, "Client Person", &format!("person{n}@client.example"), "viewer")
                .await
                .unwrap();
            owner.set_xero_users(file.id, &[&format!("owner{n}@client.example")]).await.unwrap();
            ids.push(file.id);
        }
        let ann = add_staff(&owner, "ann", false).await;
        let bob = add_staff(&owner, "bob", false).await;
        let carol = add_staff(&owner, "carol", true).await;
        owner.set_access("bob", AccessMode::All).await.unwrap();
        owner.grant_file("ann", ids[0], None).await.unwrap();
        // Another member's grant of beta: a rule that forgot whose grant it reads would show ann
        // beta.
        owner.grant_file("bob", ids[1], None).await.unwrap();
        Practice { owner, alpha: ids[0], beta: ids[1], gamma: ids[2], ann, bob, carol, pg }
    }

    /// A staff member's pooled connection through the crate.
    pub async fn connect(&self, role: &str) -> PracticeDb {
        PracticeDb::connect(&self.pg.url(), role, self.password(role)).await.expect("staff connects")
    }

    /// A staff member's raw SQL connection.
    pub async fn raw(&self, role: &str) -> tokio_postgres::Client {
        raw(&self.pg.url_as(role, self.password(role))).await
    }

    pub fn password(&self, role: &str) -> &Password {
        match role {
            "ann" => &self.ann,
            "bob" => &self.bob,
            "carol" => &self.carol,
            other => panic!("no test staff member {other}"),
        }
    }
}

/// The SQLSTATE of a failed statement ("42501": insufficient privilege or a row-level security
/// policy refusing a row).
pub fn sqlstate(error: &tokio_postgres::Error) -> String {
    error.as_db_error().map(|db| db.code().code().to_owned()).unwrap_or_else(|| format!("not a db error: {error}"))
}
