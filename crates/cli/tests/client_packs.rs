//! `switchboard sync` sends the client packs that are due, to a real SMTP server on loopback
//! (aiosmtpd, the core tests' `support/smtp/`): said in its summary, not sent twice in a month, and
//! a refused send makes it exit 3 (needs attention) with the reason, then goes at the next sync.

// Not in the Windows lane: under Wine there is no Python to run the SMTP server.
#![cfg(not(windows))]

use std::process::Output;

use switchboard_core::Cache;
use switchboard_core::client_packs::mail::{MailSecurity, MailSettings};
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::FileId;
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use xero_sim::config::SimConfig;

mod support;
use support::practice::Practice;

#[path = "../../core/tests/support/smtp/mod.rs"]
mod smtp;
use smtp::{Mode, ServerOptions, SmtpServer};

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The mail server (no sign-in, so no password) and a monthly console with two owners on the
/// first file.
fn set_up(p: &Practice, server: &SmtpServer) -> FileId {
    let mut cache = Cache::open(&p.cache_path()).unwrap();
    let settings = MailSettings {
        host: "127.0.0.1".to_owned(),
        port: server.port.into(),
        security: MailSecurity::Unencrypted,
        username: None,
        from_address: "packs@practice.example".to_owned(),
        from_name: "Totara & Co".to_owned(),
    };
    settings.save(&mut cache, &MemoryCredentialStore::default(), None).unwrap();
    let file = cache.list_files().unwrap()[0].id;
    let console =
        ConsoleSettings { enabled: true, key_reports: true, action_items: true, cadence: PackCadence::Monthly };
    cache.save_console_settings(file, &console).unwrap();
    for (name, email) in [("Ann", "ann@client.example"), ("Bo", "bo@client.example")] {
        let draft = ConsoleUserDraft { name: name.to_owned(), email: email.to_owned(), role: ConsoleRole::Owner };
        cache.add_console_user(file, &draft).unwrap();
    }
    file
}

#[test]
fn sync_sends_the_packs_that_are_due_and_says_what_failed() {
    let p = Practice::new(SimConfig::default().orgs(2).seed(4), "packs");
    p.connect();
    let refusing = SmtpServer::start(&ServerOptions::new(Mode::Plain).refuse("^bo@"));
    set_up(&p, &refusing);

    let sync = p.run(&["sync"]);
    let printed = stdout(&sync);
    assert_eq!(sync.status.code(), Some(3), "a refused send needs attention:\n{printed}");
    assert!(printed.contains("Client packs: sent 1, failed 1."), "{printed}");
    assert!(printed.contains("\n  Bo <bo@client.example>: ") && printed.contains("550"), "{printed}");
    assert!(printed.contains("It is tried again at the next sync."), "{printed}");
    let received: Vec<String> = refusing.received().into_iter().flat_map(|r| r.rcpt_tos).collect();
    assert_eq!(received, ["ann@client.example"]);
    let pack = String::from_utf8_lossy(&refusing.received()[0].raw).into_owned();
    assert!(pack.contains("Totara & Co"), "the pack names the practice");

    // The next sync: the mail server takes Bo's; Ann already has this month's.
    let taking = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    set_up_server_only(&p, &taking);
    let sync = p.run(&["sync"]);
    let printed = stdout(&sync);
    assert_eq!(sync.status.code(), Some(0), "{printed}");
    assert!(printed.contains("Client packs: sent 1, failed 0."), "{printed}");
    let received: Vec<String> = taking.received().into_iter().flat_map(|r| r.rcpt_tos).collect();
    assert_eq!(received, ["bo@client.example"]);

    let sync = p.run(&["sync"]);
    assert_eq!(sync.status.code(), Some(0));
    assert!(!stdout(&sync).contains("Client packs"), "nothing due, nothing said");
    assert_eq!(taking.received().len(), 1);
}

fn set_up_server_only(p: &Practice, server: &SmtpServer) {
    let mut cache = Cache::open(&p.cache_path()).unwrap();
    let mut settings = MailSettings::load(&cache).unwrap().unwrap();
    settings.port = server.port.into();
    settings.save(&mut cache, &MemoryCredentialStore::default(), None).unwrap();
}
