//! Client packs by email, against a real SMTP server on loopback (aiosmtpd, `support/smtp/`):
//! what arrives (headers with awkward names, both parts, the bodies as sent), STARTTLS, implicit
//! TLS and sign-in, and each way a send fails, in a sentence, with nothing delivered. Also: no
//! encryption only for this computer, and the password kept out of the cache.
//!
//! A test that needs the test's certificate authority trusted runs itself again in a child
//! process of this binary with `SSL_CERT_FILE` set (environment variables are process-wide), as
//! `tls.rs` does: the OS verifier reads it on Linux.

// Not in the Windows lane: under Wine there is no Python to run the server, and Windows checks
// certificates with CryptoAPI, which ignores SSL_CERT_FILE.
#![cfg(not(windows))]

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use mail_parser::MessageParser;
use switchboard_core::client_packs::mail::settings::{password_key, saved_password};
use switchboard_core::client_packs::mail::{MailSecurity, MailSender, MailSettings, OutgoingMail};
use switchboard_core::credential_store::{CredentialStore, MemoryCredentialStore};
use switchboard_core::secret::Secret;
use switchboard_core::{Cache, Error, ErrorKind};
use xero_sim::TestAuthority;

#[path = "support/smtp/mod.rs"]
mod smtp;
use smtp::{Mode, ServerOptions, SmtpServer};

const PRACTICE: &str = "Smith & Zoë <Partners> \"LLP\"";
const CLIENT: &str = "Zoë \"Z\" O'Brien <Ltd>, Ñandú & Co";

fn settings(host: &str, port: u16, security: MailSecurity) -> MailSettings {
    MailSettings {
        host: host.to_owned(),
        port: port.into(),
        security,
        username: None,
        from_address: "packs@practice.example".to_owned(),
        from_name: PRACTICE.to_owned(),
    }
}

fn pack(to_email: &str) -> OutgoingMail {
    OutgoingMail {
        to_name: CLIENT.to_owned(),
        to_email: to_email.to_owned(),
        subject: "Your pack for März — Ñandú\r\nBcc: thief@evil.example".to_owned(),
        html: "<html><body><h1>Hello Zoë</h1><p>Profit &amp; loss: <b>£1,234.56</b></p></body></html>".to_owned(),
        text: "Hello Zoë,\n\nProfit & loss: £1,234.56\n.\nA line that starts with a dot, and a long one: ".to_owned()
            + &"x".repeat(200)
            + "\n",
    }
}

fn error_text(result: switchboard_core::error::Result<()>) -> String {
    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Mail, "{error}");
    error.to_string()
}

// --- Running in a child process with the test authority trusted ------------------------------

/// Set in the child process, to the folder with the authority's `ca.pem` and the server's
/// `cert.pem` and `key.pem`.
const CHILD: &str = "SWITCHBOARD_TEST_CHILD";

/// In the child process: the folder. In the parent: makes an authority and a certificate for
/// `names`, runs the test `name` in a child process that trusts the authority, fails if it
/// failed there, and answers `None`.
fn trusting_authority(name: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(CHILD) {
        return Some(PathBuf::from(dir));
    }
    let authority = TestAuthority::new(names);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ca.pem"), &authority.ca_pem).unwrap();
    std::fs::write(dir.path().join("cert.pem"), &authority.server.cert_chain_pem).unwrap();
    std::fs::write(dir.path().join("key.pem"), &authority.server.key_pem).unwrap();
    run_in_child(name, &[(CHILD, dir.path().into()), ("SSL_CERT_FILE", dir.path().join("ca.pem").into())]);
    None
}

fn run_in_child(name: &str, env: &[(&str, OsString)]) {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command.args([name, "--exact", "--nocapture", "--test-threads=1"]);
    for var in ["SSL_CERT_FILE", "SSL_CERT_DIR"] {
        command.env_remove(var);
    }
    command.envs(env.iter().map(|(k, v)| (k, v)));
    let out = command.output().unwrap();
    let said = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success() && said.contains("1 passed"), "in the child process:\n{said}");
}

/// A certificate and key made by an authority nobody trusts, in a folder.
fn untrusted_certificate() -> tempfile::TempDir {
    let authority = TestAuthority::new(&["127.0.0.1", "localhost"]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("cert.pem"), &authority.server.cert_chain_pem).unwrap();
    std::fs::write(dir.path().join("key.pem"), &authority.server.key_pem).unwrap();
    dir
}

// --- What arrives -------------------------------------------------------------------------

/// Lines as a reader sees them (SMTP carries CRLF).
fn lines(text: &str) -> String {
    text.replace("\r\n", "\n")
}

#[test]
fn a_pack_arrives_as_sent_with_awkward_names_encoded_and_both_parts() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let sender = MailSender::new(&settings("127.0.0.1", server.port, MailSecurity::Unencrypted), None).unwrap();
    assert_eq!(sender.practice_name(), PRACTICE);
    let mail = pack("zoe@client.example");
    sender.send(&mail).unwrap();

    let received = server.received();
    assert_eq!(received.len(), 1);
    let got = &received[0];
    assert_eq!(got.mail_from, "packs@practice.example");
    assert_eq!(got.rcpt_tos, ["zoe@client.example"], "the envelope has the client only");
    assert!(got.raw.is_ascii(), "headers and bodies are encoded for any server");

    let message = MessageParser::default().parse(&got.raw).unwrap();
    let from = message.from().unwrap().first().unwrap();
    assert_eq!((from.name(), from.address()), (Some(PRACTICE), Some("packs@practice.example")));
    let to = message.to().unwrap().first().unwrap();
    assert_eq!((to.name(), to.address()), (Some(CLIENT), Some("zoe@client.example")));
    assert_eq!(message.subject(), Some("Your pack for März — Ñandú Bcc: thief@evil.example"));
    assert!(message.header_raw("Bcc").is_none(), "a line break in the subject started no header");
    assert!(message.message_id().unwrap().ends_with("@practice.example"), "{:?}", message.message_id());
    assert!(message.header_raw("Date").is_some());
    let content_type = message.header_raw("Content-Type").unwrap();
    assert!(content_type.contains("multipart/alternative"), "{content_type}");
    assert_eq!((message.text_body_count(), message.html_body_count()), (1, 1));
    assert_eq!(lines(&message.body_text(0).unwrap()), mail.text);
    assert_eq!(lines(&message.body_html(0).unwrap()), mail.html);
}

#[test]
fn a_name_with_a_line_break_starts_no_header() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let sender = MailSender::new(&settings("localhost", server.port, MailSecurity::Unencrypted), None).unwrap();
    let mail = OutgoingMail { to_name: "Eve\r\nBcc: thief@evil.example".to_owned(), ..pack("eve@client.example") };
    sender.send(&mail).unwrap();
    let received = server.received();
    assert_eq!(received[0].rcpt_tos, ["eve@client.example"]);
    let message = MessageParser::default().parse(&received[0].raw).unwrap();
    assert!(message.header_raw("Bcc").is_none());
    assert_eq!(message.to().unwrap().first().unwrap().name(), Some("Eve Bcc: thief@evil.example"));
}

#[test]
fn a_test_message_arrives() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let sender = MailSender::new(&settings("127.0.0.1", server.port, MailSecurity::Unencrypted), None).unwrap();
    sender.send_test("staff@practice.example").unwrap();
    let received = server.received();
    let message = MessageParser::default().parse(&received[0].raw).unwrap();
    assert_eq!(message.subject(), Some(format!("Test message from {PRACTICE}").as_str()));
    assert!(message.body_text(0).unwrap().contains("This is a test message from Switchboard."));
    assert!(message.body_html(0).unwrap().contains("Smith &amp; Zoë &lt;Partners&gt;"));
}

// --- STARTTLS, TLS and sign-in ------------------------------------------------------------

#[test]
fn starttls_with_sign_in_delivers_over_the_encrypted_connection() {
    let Some(dir) =
        trusting_authority("starttls_with_sign_in_delivers_over_the_encrypted_connection", &["127.0.0.1", "localhost"])
    else {
        return;
    };
    let server =
        SmtpServer::start(&ServerOptions::new(Mode::Starttls).tls_from(&dir).user("packs@practice.example", "pw-ok"));
    let mut config = settings("localhost", server.port, MailSecurity::Starttls);
    config.username = Some("packs@practice.example".to_owned());
    let sender = MailSender::new(&config, Some(Secret::new("pw-ok"))).unwrap();
    sender.send(&pack("zoe@client.example")).unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].encrypted);
    assert_eq!(received[0].login.as_deref(), Some("packs@practice.example"));
}

#[test]
fn implicit_tls_with_sign_in_delivers() {
    let Some(dir) = trusting_authority("implicit_tls_with_sign_in_delivers", &["127.0.0.1", "localhost"]) else {
        return;
    };
    let server = SmtpServer::start(&ServerOptions::new(Mode::Tls).tls_from(&dir).user("office", "pw-ok"));
    let mut config = settings("127.0.0.1", server.port, MailSecurity::Tls);
    config.username = Some("office".to_owned());
    let sender = MailSender::new(&config, Some(Secret::new("pw-ok"))).unwrap();
    sender.send(&pack("zoe@client.example")).unwrap();
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert!(received[0].encrypted);
    assert_eq!(received[0].login.as_deref(), Some("office"));
}

#[test]
fn a_wrong_password_is_the_sign_in_message_and_nothing_arrives() {
    let Some(dir) =
        trusting_authority("a_wrong_password_is_the_sign_in_message_and_nothing_arrives", &["127.0.0.1", "localhost"])
    else {
        return;
    };
    let server = SmtpServer::start(&ServerOptions::new(Mode::Starttls).tls_from(&dir).user("office", "pw-right"));
    let mut config = settings("127.0.0.1", server.port, MailSecurity::Starttls);
    config.username = Some("office".to_owned());
    let sender = MailSender::new(&config, Some(Secret::new("pw-WRONG-4417"))).unwrap();
    let said = error_text(sender.send(&pack("zoe@client.example")));
    assert!(said.starts_with("The mail server did not accept the user name \"office\" and its password"), "{said}");
    assert!(said.contains("535"), "the server's code: {said}");
    assert!(!said.contains("pw-WRONG-4417"), "{said}");
    assert!(server.received().is_empty());
}

#[test]
fn a_certificate_for_another_name_is_refused_and_nothing_arrives() {
    let Some(dir) =
        trusting_authority("a_certificate_for_another_name_is_refused_and_nothing_arrives", &["mail.example.test"])
    else {
        return;
    };
    for (mode, security) in [(Mode::Tls, MailSecurity::Tls), (Mode::Starttls, MailSecurity::Starttls)] {
        let server = SmtpServer::start(&ServerOptions::new(mode).tls_from(&dir));
        let sender = MailSender::new(&settings("127.0.0.1", server.port, security), None).unwrap();
        let said = error_text(sender.send(&pack("zoe@client.example")));
        assert_eq!(
            said,
            "The certificate of the mail server 127.0.0.1 is not trusted by this computer: it was issued for another \
             name. Nothing was sent."
        );
        assert!(server.received().is_empty());
    }
}

#[test]
fn an_authority_this_computer_does_not_trust_is_refused_and_nothing_arrives() {
    let certificate = untrusted_certificate();
    for (mode, security) in [(Mode::Tls, MailSecurity::Tls), (Mode::Starttls, MailSecurity::Starttls)] {
        let server = SmtpServer::start(&ServerOptions::new(mode).tls_from(certificate.path()));
        let sender = MailSender::new(&settings("localhost", server.port, security), None).unwrap();
        let said = error_text(sender.send(&pack("zoe@client.example")));
        assert!(said.starts_with("The certificate of the mail server localhost is not trusted by this computer: "));
        assert!(said.contains("issued by an authority this computer does not trust"), "{said}");
        assert!(server.received().is_empty());
    }
}

// --- Failures -----------------------------------------------------------------------------

#[test]
fn a_refused_recipient_is_named_with_the_server_s_reply_and_nothing_arrives() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain).refuse("^nobody@"));
    let sender = MailSender::new(&settings("127.0.0.1", server.port, MailSecurity::Unencrypted), None).unwrap();
    let said = error_text(sender.send(&pack("nobody@client.example")));
    assert_eq!(
        said,
        "The mail server refused the recipient nobody@client.example. It said: 550 5.1.1 <nobody@client.example>: \
         Recipient address rejected: User unknown in virtual mailbox table"
    );
    assert!(server.received().is_empty());
    // The next message goes through: nothing was left half-done.
    sender.send(&pack("zoe@client.example")).unwrap();
    assert_eq!(server.received().len(), 1);
}

#[test]
fn starttls_not_offered_is_refused_before_anything_is_sent() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let sender = MailSender::new(&settings("127.0.0.1", server.port, MailSecurity::Starttls), None).unwrap();
    let said = error_text(sender.send(&pack("zoe@client.example")));
    assert!(said.starts_with(&format!("The mail server 127.0.0.1:{} does not offer STARTTLS", server.port)), "{said}");
    assert!(server.received().is_empty());
}

#[test]
fn tls_to_a_server_that_does_not_speak_it_says_to_check_the_security_setting() {
    let server = SmtpServer::start(&ServerOptions::new(Mode::Plain));
    let sender = MailSender::new(&settings("127.0.0.1", server.port, MailSecurity::Tls), None)
        .unwrap()
        .with_timeout(Duration::from_secs(5));
    let said = error_text(sender.send(&pack("zoe@client.example")));
    assert!(said.contains("Check the security setting"), "{said}");
}

#[test]
fn a_server_that_never_answers_times_out_with_a_sentence() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    // Accepts, then says nothing.
    let held = std::thread::spawn(move || listener.accept().map(|(stream, _)| stream));
    let sender = MailSender::new(&settings("127.0.0.1", port, MailSecurity::Starttls), None)
        .unwrap()
        .with_timeout(Duration::from_secs(1));
    let started = Instant::now();
    let said = error_text(sender.send(&pack("zoe@client.example")));
    assert_eq!(
        said,
        format!(
            "The mail server 127.0.0.1:{port} did not answer within 1 second. Check the server name, port and \
             security setting, and that this network lets mail out."
        )
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    drop(held.join());
}

#[test]
fn a_refused_connection_says_so() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let sender = MailSender::new(&settings("127.0.0.1", port, MailSecurity::Tls), None).unwrap();
    let said = error_text(sender.send(&pack("zoe@client.example")));
    assert_eq!(
        said,
        format!(
            "The mail server 127.0.0.1:{port} refused the connection. Check the server name and port, and that the \
             server is running."
        )
    );
}

#[test]
fn an_address_that_is_not_one_is_refused_before_connecting() {
    // Port 9 (discard) on loopback: nothing is listening, and nothing is tried.
    let sender = MailSender::new(&settings("127.0.0.1", 9, MailSecurity::Unencrypted), None).unwrap();
    let error = sender.send(&pack("zoe@client.example\r\nRCPT TO:<x@evil.example>")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
}

// --- Settings -----------------------------------------------------------------------------

#[test]
fn no_encryption_is_refused_for_a_host_that_is_not_this_computer() {
    for host in ["mail.example.com", "192.168.1.10", "localhost.example.com"] {
        let error = MailSender::new(&settings(host, 25, MailSecurity::Unencrypted), None).unwrap_err();
        assert!(matches!(error, Error::InvalidInput(_)), "{error:?}");
        assert!(error.to_string().contains("allowed only for a mail server on this computer"), "{error}");
        let dir = tempfile::tempdir().unwrap();
        let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
        let store = MemoryCredentialStore::default();
        assert!(settings(host, 25, MailSecurity::Unencrypted).save(&mut cache, &store, None).is_err());
        assert_eq!(MailSettings::load(&cache).unwrap(), None, "nothing saved");
    }
}

/// Every byte of the cache on disk (the database and its write-ahead log).
fn cache_bytes(dir: &Path) -> Vec<u8> {
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        bytes.extend(std::fs::read(entry.unwrap().path()).unwrap());
    }
    bytes
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn the_password_is_kept_in_the_credential_store_never_in_the_cache_or_its_history() {
    let dir = tempfile::tempdir().unwrap();
    let mut cache = Cache::open(&dir.path().join("cache.sqlite3")).unwrap();
    let store = MemoryCredentialStore::default();
    let password = "pw-Only-In-The-Store-9c1e";
    let mut config = settings("smtp.practice.example", 587, MailSecurity::Starttls);
    config.username = Some("packs@practice.example".to_owned());

    // A user name needs a password.
    let error = config.save(&mut cache, &store, None).unwrap_err();
    assert!(error.to_string().contains("Enter the mail server's password"), "{error}");
    config.save(&mut cache, &store, Some(&Secret::new(password))).unwrap();

    assert_eq!(MailSettings::load(&cache).unwrap(), Some(config.clone()));
    assert_eq!(store.keys(), [password_key(&cache)]);
    assert_eq!(saved_password(&cache, &store).unwrap().unwrap().expose(), password);
    assert!(password_key(&cache).contains(cache.id()), "each cache keeps its own");
    assert!(!contains(&cache_bytes(dir.path()), password), "the password is not in the cache");
    let history = cache.practice_audit_entries(10).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "mail_settings");
    assert_eq!(history[0].old_value.as_deref(), Some("not set up"));
    let new = history[0].new_value.as_deref().unwrap();
    assert!(new.contains("smtp.practice.example:587 (STARTTLS)") && new.contains("password replaced"), "{new}");
    assert!(!format!("{history:?}").contains(password));

    // Saving again without a password keeps it, and records nothing when nothing changed.
    config.save(&mut cache, &store, None).unwrap();
    assert!(saved_password(&cache, &store).unwrap().is_some());
    assert_eq!(cache.practice_audit_entries(10).unwrap().len(), 1);

    // An empty password forgets it, which a user name does not allow; without one it is forgotten.
    assert!(config.save(&mut cache, &store, Some(&Secret::new(""))).is_err());
    assert!(saved_password(&cache, &store).unwrap().is_some(), "a refused save changed nothing");
    let relay = MailSettings { username: None, ..config.clone() };
    relay.save(&mut cache, &store, None).unwrap();
    assert_eq!(store.get(&password_key(&cache)).unwrap(), None);
    let latest = &cache.practice_audit_entries(10).unwrap()[0];
    assert!(
        latest
            .new_value
            .as_deref()
            .unwrap()
            .ends_with("no sign-in; from Smith & Zoë <Partners> \"LLP\" <packs@practice.example>; password removed"),
        "{latest:?}"
    );

    // A sender for settings with a user name but no saved password says what to do.
    let error = MailSender::new(&config, None).unwrap_err();
    assert!(error.to_string().contains("password is not saved on this computer"), "{error}");
    assert!(!format!("{:?}", MailSender::new(&config, Some(Secret::new(password))).unwrap()).contains(password));
}

/// The session's methods over the real OS credential store: the Linux kernel keyring, under a
/// service name of this test's own, in a child process (the store is chosen by environment).
#[test]
#[cfg_attr(not(target_os = "linux"), ignore = "the kernel keyring exists only on Linux")]
fn the_session_saves_reports_and_loads_the_mail_server() {
    const SESSION_CHILD: &str = "SWITCHBOARD_TEST_SESSION_CHILD";
    if std::env::var_os(SESSION_CHILD).is_none() {
        let service = format!("app.switchboard.test.mail.{}", std::process::id());
        run_in_child(
            "the_session_saves_reports_and_loads_the_mail_server",
            &[
                (SESSION_CHILD, "1".into()),
                ("SWITCHBOARD_KEYRING", "kernel".into()),
                ("SWITCHBOARD_CREDENTIAL_SERVICE", service.into()),
            ],
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let session = switchboard_core::Session::open(&dir.path().join("cache.sqlite3"));
    let error = session.mail_sender().unwrap_err();
    assert_eq!(error.to_string(), "Set up the practice's mail server in Settings → Client packs by email first.");
    let status = session.mail_settings().unwrap();
    assert_eq!((status.settings, status.password_saved), (None, false));

    let mut config = settings("smtp.practice.example", 465, MailSecurity::Tls);
    config.username = Some("office".to_owned());
    let status = session.save_mail_settings(&config, Some("pw-session-51".to_owned())).unwrap();
    assert_eq!((status.settings.as_ref(), status.password_saved), (Some(&config), true));
    assert!(!serde_json::to_string(&status).unwrap().contains("pw-session-51"), "the answer never carries it");
    let sender = session.mail_sender().unwrap();
    assert_eq!((sender.practice_name(), sender.from_address()), (PRACTICE, "packs@practice.example"));

    let status = session.save_mail_settings(&MailSettings { username: None, ..config }, Some(String::new())).unwrap();
    assert!(!status.password_saved);
}
