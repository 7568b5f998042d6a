//! `switchboard practice` against a PostgreSQL of the test's own (scripts/postgres, Debian's
//! PostgreSQL 15): Linux only, so the Windows lane, which runs these tests under Wine, skips it.
#![cfg(target_os = "linux")]

#[path = "../../practice/tests/support/mod.rs"]
mod pg;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use switchboard_core::credential_store::{CredentialStore, OsCredentialStore};
use switchboard_practice::{PracticeDb, Server, credential_key};

struct Cli {
    service: String,
}

impl Cli {
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_switchboard"));
        command
            .arg("practice")
            .args(args)
            .env("SWITCHBOARD_CREDENTIAL_SERVICE", &self.service)
            .env("SWITCHBOARD_KEYRING", "kernel")
            .env_remove("SWITCHBOARD_STAFF_PASSWORD")
            .env_remove("SWITCHBOARD_DATABASE_URL");
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("switchboard runs")
    }

    fn store(&self) -> OsCredentialStore {
        OsCredentialStore::new(&self.service).in_kernel_keyring().unwrap()
    }
}

fn text(output: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
}

#[tokio::test]
async fn an_admin_sets_up_the_practice_and_staff_sign_in_from_their_computer() {
    let pg = pg::TestPostgres::start().await;
    let cli = Cli { service: format!("switchboard-practice-cli-test-{}", std::process::id()) };
    let owner_url = pg.owner_url.as_str();

    let out = cli.run(&["init", "--database-url", owner_url]);
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("schema version 2 (was 0)"), "{}", text(&out));
    // The URL may come from the environment instead (kept out of the process list).
    let out = cli.command(&["init"]).env("SWITCHBOARD_DATABASE_URL", owner_url).output().unwrap();
    assert!(text(&out).contains("up to date"), "{}", text(&out));

    let owner = PracticeDb::open(owner_url).await.unwrap();
    let alpha = owner.add_file("Alpha Ltd", "xero", None).await.unwrap().id.to_string();

    // A generated password is printed once; a given one is not printed at all.
    let out = cli.run(&[
        "staff",
        "add",
        "--database-url",
        owner_url,
        "--name",
        "Ann Smith",
        "--email",
        "ann@practice.example",
    ]);
    assert!(out.status.success(), "{}", text(&out));
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let ann_password =
        stdout.lines().find_map(|l| l.strip_prefix("Password (shown once): ")).expect("password printed").to_owned();
    assert!(stdout.contains("Added Ann Smith as ann."), "{stdout}");
    let carol_password = "carol-has-a-long-password";
    let out = cli
        .command(&[
            "staff",
            "add",
            "--database-url",
            owner_url,
            "--name",
            "Carol",
            "--email",
            "carol@practice.example",
            "--admin",
        ])
        .env("SWITCHBOARD_STAFF_PASSWORD", carol_password)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    assert!(!text(&out).contains(carol_password));

    let out = cli.run(&["staff", "grant", "ann", &alpha, "--hours", "2", "--database-url", owner_url]);
    assert!(out.status.success(), "{}", text(&out));
    let out = cli.run(&["staff", "list", "--database-url", owner_url]);
    let listing = text(&out);
    assert!(listing.contains("ann ") && listing.contains(&format!("{alpha} (until ")), "{listing}");
    assert!(listing.contains("carol") && listing.contains("admin") && listing.contains("2 staff"), "{listing}");

    // Ann signs in from her computer, the password on standard input; a wrong one is refused.
    let url = pg.url();
    let sign_in = |password: &str| {
        let mut child = cli
            .command(&["sign-in", "--database-url", &url, "--role", "ann"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
        child.wait_with_output().unwrap()
    };
    let out = sign_in("not-her-password");
    assert!(!out.status.success());
    assert!(
        text(&out).contains("wrong role name or password") && !text(&out).contains("not-her-password"),
        "{}",
        text(&out)
    );
    let out = sign_in(&ann_password);
    assert!(out.status.success(), "{}", text(&out));
    let server = Server::from_url(&url).unwrap();
    let ann_key = credential_key(&server, "ann");
    assert_eq!(cli.store().get(&ann_key).unwrap().map(|s| s.expose().to_owned()), Some(ann_password.clone()));

    // Carol signs in too, and works as herself with the stored password.
    let out = cli
        .command(&["sign-in", "--database-url", &url, "--role", "carol"])
        .env("SWITCHBOARD_STAFF_PASSWORD", carol_password)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let out = cli.run(&["--role", "carol", "staff", "access", "ann", "mirror-xero", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    // Ann is no admin.
    let out = cli.run(&["--role", "ann", "staff", "grant", "ann", &alpha, "--database-url", &url]);
    assert!(!out.status.success());
    assert!(text(&out).contains("only a practice admin may grant access"), "{}", text(&out));

    // Ann sees alpha; beta only by name, which she asks for; Carol approves.
    let beta = owner.add_file("Beta Trust", "none", None).await.unwrap().id.to_string();
    let out = cli.run(&["--role", "ann", "files", "--database-url", &url]);
    assert!(text(&out).contains("Alpha Ltd") && !text(&out).contains("Beta Trust"), "{}", text(&out));
    let out = cli.run(&["--role", "ann", "files", "--all-names", "--database-url", &url]);
    assert!(text(&out).contains("Beta Trust"), "{}", text(&out));
    let out = cli.run(&["--role", "ann", "request", &beta, "--reason", "covering", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    let out = cli.run(&["--role", "ann", "decide", "1", "--approve", "--database-url", &url]);
    assert!(text(&out).contains("only a practice admin"), "{}", text(&out));
    let out = cli.run(&["--role", "carol", "decide", "1", "--approve", "--database-url", &url]);
    assert!(out.status.success(), "{}", text(&out));
    let out = cli.run(&["--role", "ann", "requests", "--database-url", &url]);
    assert!(text(&out).contains("approved by carol"), "{}", text(&out));
    let out = cli.run(&["--role", "ann", "files", "--database-url", &url]);
    assert!(text(&out).contains("Beta Trust"), "{}", text(&out));

    let out = cli.run(&["--role", "carol", "staff", "revoke", "ann", &alpha, "--database-url", &url]);
    assert!(text(&out).contains("Revoked"), "{}", text(&out));
    let out = cli.run(&["--role", "carol", "staff", "remove", "ann", "--database-url", &url]);
    assert!(out.status.success() && text(&out).contains("Removed ann"), "{}", text(&out));

    // Clear mistakes.
    let out = cli.run(&["staff", "list", "--database-url", "postgresql://u:pw@127.0.0.1:notaport/x"]);
    assert!(text(&out).contains("database URL is not valid"), "{}", text(&out));
    let out = cli.run(&["staff", "list"]);
    assert!(text(&out).contains("--database-url"), "{}", text(&out));
    let out = cli.run(&["--role", "nobody", "staff", "list", "--database-url", &url]);
    assert!(text(&out).contains("sign-in --role nobody"), "{}", text(&out));

    for role in ["ann", "carol"] {
        cli.store().delete(&credential_key(&server, role)).unwrap();
    }
}
