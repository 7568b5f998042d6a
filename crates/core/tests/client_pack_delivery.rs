//! Client packs delivered to a real SMTP server on loopback (aiosmtpd, `support/smtp/`), through
//! the Session as the app and `switchboard sync` use it: what arrives per console user and per
//! setting, a client name full of HTML, the cadence across month ends with dates the test chooses,
//! a refused send and its retry, a removed user, a console that is off, a mail server not set up.

// Not in the Windows lane: under Wine there is no Python to run the server.
#![cfg(not(windows))]

use chrono::NaiveDate;
use mail_parser::MessageParser;
use switchboard_core::client_packs::mail::{MailSecurity, MailSettings};
use switchboard_core::credential_store::MemoryCredentialStore;
use switchboard_core::model::{ClientFileDraft, FileId};
use switchboard_core::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUserDraft, PackCadence};
use switchboard_core::{ErrorKind, Session};

#[path = "support/smtp/mod.rs"]
mod smtp;
use smtp::{Mode, ServerOptions, SmtpServer};

const HOSTILE: &str = "<script>alert(1)</script> Kauri & \"Sons\"";

fn d(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

struct Practice {
    _dir: tempfile::TempDir,
    session: Session,
}

impl Practice {
    fn new() -> Practice {
        let dir = tempfile::tempdir().unwrap();
        let session = Session::open(&dir.path().join("cache.sqlite3"));
        Practice { _dir: dir, session }
    }

    fn mail_server(&self, server: &SmtpServer) {
        let settings = MailSettings {
            host: "127.0.0.1".to_owned(),
            port: server.port.into(),
            security: MailSecurity::Unencrypted,
            username: None,
            from_address: "packs@totara.example".to_owned(),
            from_name: "Totara & Co".to_owned(),
        };
        // A server that needs no sign-in: no password, so no credential store is involved.
        settings.save(&mut self.session.cache().unwrap(), &MemoryCredentialStore::default(), None).unwrap();
    }

    /// A file with its console set and its users added (names and emails).
    fn file(&self, name: &str, console: ConsoleSettings, users: &[(&str, &str, ConsoleRole)]) -> FileId {
        let id = self.session.cache().unwrap().upsert_files(&[ClientFileDraft::named(name)]).unwrap()[0];
        self.session.save_console_settings(id, &console).unwrap();
        for (name, email, role) in users {
            let draft = ConsoleUserDraft { name: (*name).to_owned(), email: (*email).to_owned(), role: *role };
            self.session.add_console_user(id, &draft).unwrap();
        }
        id
    }

    fn user_id(&self, file: FileId, email: &str) -> i64 {
        self.session.console_users(file).unwrap().into_iter().find(|u| u.email == email).unwrap().id
    }

    fn audit_actions(&self, file: FileId, action: &str) -> Vec<String> {
        let entries = self.session.cache().unwrap().audit_entries(file).unwrap();
        entries.into_iter().filter(|e| e.action == action).filter_map(|e| e.new_value).collect()
    }
}

fn console(cadence: PackCadence) -> ConsoleSettings {
    ConsoleSettings { enabled: true, key_reports: true, action_items: true, cadence }
}

/// The recipients of the messages received, in order.
fn recipients(server: &SmtpServer) -> Vec<String> {
    server.received().into_iter().flat_map(|r| r.rcpt_tos).collect()
}

#[test]
fn each_console_user_gets_their_pack_with_names_as_text() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let practice = Practice::new();
    practice.mail_server(&server);
    let owner = ("Ann <b>Owner</b>", "ann@kauri.example", ConsoleRole::Owner);
    let viewer = ("Vic Viewer", "vic@kauri.example", ConsoleRole::Viewer);
    let file = practice.file(HOSTILE, console(PackCadence::Monthly), &[owner, viewer]);

    let run = practice.session.send_due_packs(d("2026-12-01")).unwrap();
    assert_eq!((run.sent, run.failed.len()), (2, 0));
    let received = server.received();
    assert_eq!(received.len(), 2, "one message per console user");
    let by_recipient = |email: &str| {
        let got = received.iter().find(|r| r.rcpt_tos == [email]).unwrap();
        MessageParser::default().parse(&got.raw).unwrap()
    };
    let ann = by_recipient("ann@kauri.example");
    let html = ann.body_html(0).unwrap();
    let text = ann.body_text(0).unwrap();
    assert!(!html.contains("<script>") && !html.contains("<b>Owner"), "names arrive as text:\n{html}");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"), "{html}");
    assert!(text.contains(HOSTILE) && text.contains("Hello Ann <b>Owner</b>,"));
    assert!(text.contains("KEY FIGURES") && text.contains("Profit or loss this month: Not available yet"));
    assert!(text.contains("FOR YOU TO ACT ON") && text.contains("Nothing needs you right now."));
    assert_eq!(ann.subject().unwrap(), format!("{HOSTILE}: your pack from Totara & Co, 1 December 2026"));
    assert_eq!(ann.from().unwrap().first().unwrap().name(), Some("Totara & Co"));

    let vic = by_recipient("vic@kauri.example");
    assert!(!vic.body_text(0).unwrap().contains("FOR YOU TO ACT ON"), "a viewer gets the key figures only");

    let sent = practice.audit_actions(file, "client_pack_sent");
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .any(|s| s == "to Ann <b>Owner</b> <ann@kauri.example> (cadence): 0 of 4 key figures, 0 things to act on"),
        "{sent:?}"
    );
}

#[test]
fn the_cadence_counts_calendar_months_and_days_across_month_ends() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let practice = Practice::new();
    practice.mail_server(&server);
    practice.file("Monthly", console(PackCadence::Monthly), &[("M", "m@monthly.example", ConsoleRole::Owner)]);
    practice.file("Weekly", console(PackCadence::Weekly), &[("W", "w@weekly.example", ConsoleRole::Owner)]);
    practice.file("Never", console(PackCadence::Never), &[("N", "n@never.example", ConsoleRole::Owner)]);

    let mut expected: Vec<&str> = Vec::new();
    for (day, due) in [
        ("2027-01-31", &["m@monthly.example", "w@weekly.example"][..]),
        ("2027-01-31", &[][..]),
        ("2027-02-01", &["m@monthly.example"][..]),
        ("2027-02-06", &[][..]),
        ("2027-02-07", &["w@weekly.example"][..]),
        ("2027-02-13", &[][..]),
        ("2027-02-28", &["w@weekly.example"][..]),
        ("2027-03-01", &["m@monthly.example"][..]),
        ("2027-03-06", &[][..]),
        ("2027-03-07", &["w@weekly.example"][..]),
    ] {
        let run = practice.session.send_due_packs(d(day)).unwrap();
        assert_eq!(run.sent as usize, due.len(), "on {day}");
        expected.extend(due);
        let mut got = recipients(&server);
        got.sort();
        let mut want: Vec<String> = expected.iter().map(|e| e.to_string()).collect();
        want.sort();
        assert_eq!(got, want, "after {day}");
    }
    assert!(!recipients(&server).iter().any(|r| r == "n@never.example"), "'never' sends only on Send now");
}

#[test]
fn a_refused_send_is_said_and_tried_again_at_the_next_sync() {
    let refusing = SmtpServer::start(&ServerOptions::new(Mode::Plain).refuse("^bo@"));
    let practice = Practice::new();
    practice.mail_server(&refusing);
    let users = [("Ann", "ann@kauri.example", ConsoleRole::Owner), ("Bo", "bo@kauri.example", ConsoleRole::Owner)];
    let file = practice.file("Kauri", console(PackCadence::Monthly), &users);

    let run = practice.session.send_due_packs(d("2027-01-15")).unwrap();
    assert_eq!(run.sent, 1);
    assert_eq!(run.failed.len(), 1);
    let (failed_file, to, why) = &run.failed[0];
    assert_eq!((*failed_file, to.as_str()), (file, "Bo <bo@kauri.example>"));
    assert!(why.contains("550"), "the server's reply is in the reason: {why}");
    let deliveries = practice.session.pack_deliveries(file).unwrap();
    let bo = deliveries.iter().find(|d| d.email == "bo@kauri.example").unwrap();
    assert!(!bo.sent && bo.failure.as_deref() == Some(why.as_str()));
    let failed = practice.audit_actions(file, "client_pack_failed");
    assert_eq!(failed.len(), 1);
    assert!(failed[0].starts_with("to Bo <bo@kauri.example> (cadence): ") && failed[0].contains("550"), "{failed:?}");

    // The next sync, the same month, with the mail server taking Bo's pack: only Bo's is sent.
    let taking = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    practice.mail_server(&taking);
    let run = practice.session.send_due_packs(d("2027-01-16")).unwrap();
    assert_eq!((run.sent, run.failed.len()), (1, 0));
    assert_eq!(recipients(&taking), ["bo@kauri.example"]);
    assert!(practice.session.pack_deliveries(file).unwrap().iter().all(|d| d.sent && d.failure.is_none()));
    assert_eq!(practice.session.send_due_packs(d("2027-01-17")).unwrap().sent, 0, "nobody is due twice");
}

#[test]
fn a_removed_user_gets_nothing_more() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let practice = Practice::new();
    practice.mail_server(&server);
    let users = [("Ann", "ann@kauri.example", ConsoleRole::Owner), ("Bo", "bo@kauri.example", ConsoleRole::Owner)];
    let file = practice.file("Kauri", console(PackCadence::Weekly), &users);
    assert_eq!(practice.session.send_due_packs(d("2027-01-01")).unwrap().sent, 2);

    practice.session.remove_console_user(file, practice.user_id(file, "bo@kauri.example")).unwrap();
    assert_eq!(practice.session.send_due_packs(d("2027-01-08")).unwrap().sent, 1);
    practice.session.send_pack_now(file).unwrap();
    let bo = recipients(&server).into_iter().filter(|r| r == "bo@kauri.example").count();
    assert_eq!(bo, 1, "Bo got the first pack only");
    assert_eq!(recipients(&server).len(), 4);
}

#[test]
fn a_console_that_is_off_gets_no_pack() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let practice = Practice::new();
    practice.mail_server(&server);
    let off = practice.file("Off", ConsoleSettings::default(), &[("Ann", "ann@off.example", ConsoleRole::Owner)]);
    let on = practice.file("On", console(PackCadence::Never), &[("Bo", "bo@on.example", ConsoleRole::Owner)]);

    assert_eq!(practice.session.send_due_packs(d("2027-01-01")).unwrap().sent, 0);
    let refused = practice.session.send_pack_now(off).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::InvalidInput);
    assert!(refused.message.contains("Client Console of Off is off"), "{}", refused.message);
    assert!(server.received().is_empty());
    assert!(practice.audit_actions(off, "client_pack_sent").is_empty());

    // Send now goes whatever the cadence, to every console user of a console that is on.
    let deliveries = practice.session.send_pack_now(on).unwrap();
    assert!(deliveries.len() == 1 && deliveries[0].sent);
    assert_eq!(recipients(&server), ["bo@on.example"]);
}

#[test]
fn without_a_mail_server_nothing_is_sent_and_the_sync_says_why() {
    let practice = Practice::new();
    let file =
        practice.file("Kauri", console(PackCadence::Weekly), &[("Ann", "ann@kauri.example", ConsoleRole::Owner)]);
    let run = practice.session.send_due_packs(d("2027-01-01")).unwrap();
    assert_eq!(run.sent, 0);
    assert_eq!(run.skipped.len(), 1);
    assert!(run.skipped[0].1.contains("Set up the practice's mail server"), "{:?}", run.skipped);
    assert!(practice.session.pack_deliveries(file).unwrap().is_empty(), "nothing recorded: still due");
    let now = practice.session.send_pack_now(file).unwrap_err();
    assert!(now.message.contains("Set up the practice's mail server"));
}
